"""Drives a split run on a Dask cluster: map (`newsevents extract --shard` per
shard, on the workers), then reduce (`newsevents dedup`, here on the client).

Faults:
  * A worker that dies mid-shard: the scheduler runs the shard again on
    another worker (Dask counts it against distributed.scheduler.allowed-
    failures); a shard that fails by itself (the binary crashes, cannot write)
    is retried `retries` times. Each attempt writes its own file, and only the
    files of attempts that returned are read, so nothing is read twice.
  * A shard that still fails is run again one file per task: the file at
    fault is reported and left out, every other file gets its records.
  * Bad input files (unreadable, invalid UTF-8, too large) are what extract
    reports them to be: the shard holds the records of the rest, and the run
    ends with exit code 1, as `newsevents extract` does.
  * The output is written by `newsevents dedup` beside its final name and
    renamed into place: a run that fails or is killed leaves OUT as it was.
"""

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

import cloudpickle
import distributed

from . import drop, task

# Workers need distributed and the binary, not this package.
cloudpickle.register_pickle_by_value(task)

EXIT_OK, EXIT_INPUT_ERRORS, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3


@dataclasses.dataclass
class Options:
    output: str
    shard_mb: float = 64
    binary: str = None         # newsevents on the workers (default: their PATH)
    reduce_binary: str = None  # newsevents here (default: binary, else PATH)
    retries: int = 3
    gather: str = "files"      # "files": shared file system; "bytes": through Dask
    extract_args: list = dataclasses.field(default_factory=list)  # --lang, --explain, ...
    dedup_args: list = dataclasses.field(default_factory=list)    # --state, --new-only, ...
    progress: bool = True
    quiet: bool = False


def say(message):
    print(f"newsevents-dask: {message}", file=sys.stderr, flush=True)


def _report_stderr(shard, text):
    """Extract's messages about input files: errors are passed on, notes
    (a byte-order mark dropped, an empty file) counted."""
    notes = 0
    for line in text.splitlines():
        if ": error: " in line:
            say(f"{shard}: {line}")
        elif ": note: " in line:
            notes += 1
        elif line.strip():
            say(f"{shard}: {line}")
    return notes


def _submit(client, name, files, shard_dir, options, token):
    return client.submit(task.run_shard, name, files, shard_dir, options.extract_args,
                         options.binary, options.gather, key=f"newsevents-{name}-{token}",
                         retries=options.retries, pure=False)


def _wait(futures, show_progress):
    if show_progress and futures:
        # Dask's own bar (stdout); it stops at the first failed shard, the
        # wait below still waits for the others.
        distributed.progress(futures)
    distributed.wait(futures)


def _outcome(future, shard_dir):
    """(result, None) or (None, error text). A shard gathered as bytes is
    written to `shard_dir` at once (result["path"]) and released from the
    cluster, so the client holds one shard's bytes at a time."""
    if future.status == "finished":
        result = future.result()
        future.release()
        if "data" in result:
            path = os.path.join(shard_dir, f"{result['shard']}.jsonl")
            with open(path, "wb") as f:
                f.write(result.pop("data"))
            result["path"] = path
        return result, None
    try:
        error = future.exception()
    except Exception as e:  # cancelled, lost
        error = e
    return None, f"{type(error).__name__}: {error}".strip()


def _write_empty(path):
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".newsevents-dask-", dir=directory)
    os.close(fd)
    os.chmod(temp, 0o644)
    os.replace(temp, path)


def run_extract(client, inputs, options):
    """Runs the split extract of `inputs` on `client`'s cluster into
    options.output. Returns the exit code of `newsevents extract` semantics."""
    reduce_binary = options.reduce_binary or options.binary or shutil.which("newsevents")
    if not reduce_binary:
        say("no `newsevents` on PATH here (give --binary)")
        return EXIT_USAGE
    files, errors = drop.list_drop_files(inputs)
    for e in errors:
        say(f"error: {e}")
    failed_files = []
    # Workers may run elsewhere: absolute paths (records name files by name).
    files = [os.path.abspath(f) for f in files]
    shards = drop.cut_into_shards(files, int(options.shard_mb * (1 << 20)))
    if not shards:
        _write_empty(options.output)
        return EXIT_INPUT_ERRORS if errors else EXIT_OK

    output_dir = os.path.dirname(os.path.abspath(options.output))
    shard_dir = tempfile.mkdtemp(prefix=".newsevents-dask-", dir=output_dir)
    token = uuid.uuid4().hex[:8]
    try:
        if not options.quiet:
            say(f"{len(files)} files in {len(shards)} shards of about {options.shard_mb:g} MiB; "
                 f"shards in {shard_dir}")
        names = [f"shard-{i:06d}" for i in range(len(shards))]
        futures = [_submit(client, name, shard, shard_dir, options, token)
                   for name, shard in zip(names, shards)]
        _wait(futures, options.progress and not options.quiet)

        results = []  # (name, result)
        retry = []    # (name, files) of shards that failed as a whole
        for name, shard, future in zip(names, shards, futures):
            result, error = _outcome(future, shard_dir)
            if result is not None:
                results.append((name, result))
            elif len(shard) == 1:
                say(f"error: {shard[0]}: {error}")
                failed_files.append(shard[0])
            else:
                say(f"{name} failed ({error.splitlines()[0]}); running its "
                     f"{len(shard)} files one by one to find the file at fault")
                retry.append((name, shard))
        if retry:
            pieces = [(f"{name}-{j:06d}", [path]) for name, shard in retry
                      for j, path in enumerate(shard)]
            piece_futures = [_submit(client, piece, paths, shard_dir, options, token)
                             for piece, paths in pieces]
            _wait(piece_futures, False)
            for (piece, paths), future in zip(pieces, piece_futures):
                result, error = _outcome(future, shard_dir)
                if result is not None:
                    results.append((piece, result))
                else:
                    say(f"error: {paths[0]}: {error}")
                    failed_files.append(paths[0])

        # Shard file names sort in shard order: the reduce reads them so.
        results.sort(key=lambda r: r[0])
        shard_paths, notes, input_errors = [], 0, bool(errors or failed_files)
        for name, result in results:
            notes += _report_stderr(name, result["stderr"])
            input_errors |= result["exit_code"] == EXIT_INPUT_ERRORS
            shard_paths.append(result["path"])
        if notes and not options.quiet:
            say(f"{notes} notes about input files (extract --shard reports them; "
                 f"run newsevents extract on a file to see them)")
        del futures, results

        command = [reduce_binary, "dedup", *shard_paths, "-o", options.output]
        command += options.dedup_args + (["--quiet"] if options.quiet else [])
        code = subprocess.run(command, stdin=subprocess.DEVNULL).returncode
        if code not in (EXIT_OK, EXIT_INPUT_ERRORS):
            say(f"newsevents dedup failed (exit code {code}): {options.output} not written")
            return code if code > 0 else EXIT_OUTPUT
        if failed_files:
            say(f"{len(failed_files)} file(s) left out: " + ", ".join(failed_files))
        return EXIT_INPUT_ERRORS if (input_errors or code == EXIT_INPUT_ERRORS) else EXIT_OK
    finally:
        shutil.rmtree(shard_dir, ignore_errors=True)
