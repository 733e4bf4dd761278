"""What a worker runs: `newsevents extract --shard` over one shard's files.

This module is sent to workers by value (cloudpickle), so a worker needs
Python with distributed and the newsevents binary, not this package.
"""

import os
import shutil
import subprocess
import tempfile
import uuid

# `newsevents extract` exit codes (pipeline/cli.h): 0 ok, 1 some input files
# had errors and the shard holds the records of the rest. Anything else
# (configuration, output failure, a crash) fails the task, so Dask retries it.
EXIT_OK = 0
EXIT_INPUT_ERRORS = 1


class ShardFailed(RuntimeError):
    """`newsevents extract --shard` failed as a whole (not for bad input)."""


def _die_with_worker(command):
    """The command, run so that it gets SIGKILL when the worker thread that
    started it dies: a worker killed mid-shard leaves no extract behind, still
    busy. (Dask's worker threads live as long as the worker.) util-linux's
    setpriv sets that up before exec, where a preexec_fn could deadlock in a
    threaded worker; without setpriv the orphan only writes its own file."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL"] + command if setpriv else command


def resolve_binary(binary):
    """An explicit path, or `newsevents` on this machine's PATH."""
    if binary:
        return binary
    found = shutil.which("newsevents")
    if not found:
        raise ShardFailed("no `newsevents` on this worker's PATH (give --binary)")
    return found


def run_shard(shard, files, shard_dir, extract_args, binary=None, gather="files"):
    """Runs extract --shard over `files` and returns a dict: shard, exit_code
    (0 or 1), stderr (text), and either path (the shard file, written in
    `shard_dir`, which the client must see: gather="files") or data (its bytes:
    gather="bytes", for workers without a shared file system).

    Every attempt writes its own file (`shard` is the sortable shard name,
    plus a random suffix), so an attempt on a dead worker cannot clobber the
    retry's; the reduce reads only the files the client was handed."""
    binary = resolve_binary(binary)
    name = f"{shard}-{uuid.uuid4().hex[:12]}.jsonl"
    local_dir = None
    if gather == "bytes":
        local_dir = tempfile.mkdtemp(prefix="newsevents-shard-")
        path = os.path.join(local_dir, name)
    else:
        path = os.path.join(shard_dir, name)
    command = [binary, "extract", "--shard", "--quiet", "--threads", "1", "-o", path]
    # extract takes every argument starting with "-" for an option.
    command += list(extract_args) + [("./" + f if f.startswith("-") else f) for f in files]
    try:
        proc = subprocess.run(_die_with_worker(command), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = proc.stderr.decode("utf-8", "replace")
        if proc.returncode not in (EXIT_OK, EXIT_INPUT_ERRORS):
            how = (f"killed by signal {-proc.returncode}" if proc.returncode < 0
                   else f"exit code {proc.returncode}")
            raise ShardFailed(f"{shard}: newsevents extract --shard: {how}\n{stderr.strip()}")
        result = {"shard": shard, "exit_code": proc.returncode, "stderr": stderr}
        if gather == "bytes":
            with open(path, "rb") as f:
                result["data"] = f.read()
        else:
            result["path"] = path
        return result
    except BaseException:
        if gather != "bytes":
            try:
                os.unlink(path)
            except OSError:
                pass
        raise
    finally:
        if local_dir:
            shutil.rmtree(local_dir, ignore_errors=True)
