#!/usr/bin/python3
"""newsevents-dask against `newsevents extract`: byte-identical records from a
LocalCluster of 2 worker processes, on the corpus and on a generated corpus
of 50 MB; with a worker killed mid-run; with bad input and a shard whose
binary crashes; with --state/--new-only; shards gathered as bytes; and the
command-line script itself. Its cost is generating 50 MB and extracting it
twice (extract, then the cluster), plus 12 MB twice for the killed worker.

  /usr/bin/python3 tests/dask_test.py NEWSEVENTS_BINARY [SCRATCH_DIR]

SCRATCH_DIR keeps the generated corpus between runs (default: a temp dir).
Run from anywhere; ctest runs it from the project root (tests/CMakeLists.txt).
"""

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings

# distributed 2022.12 on Debian's tornado: "make_current is deprecated".
warnings.filterwarnings("ignore", category=DeprecationWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scale"))

import distributed  # noqa: E402

from newsevents_dask import drop, runner  # noqa: E402

BINARY = None
SCRATCH = None
LARGE_MB = 50
KILL_MB = 12


def slurp(path):
    with open(path, "rb") as f:
        return f.read()


def extract(inputs, output, *args, binary=None):
    """`newsevents extract` itself: the reference. Returns its exit code."""
    command = [binary or BINARY, "extract", *inputs, "-o", output, "--quiet", *args]
    return subprocess.run(command, stderr=subprocess.DEVNULL).returncode


def shard_processes(marker):
    """Pids of running `newsevents extract --shard` processes whose command
    line holds `marker`."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        if "--shard" in cmdline and marker in cmdline:
            pids.append(int(pid))
    return pids


def parent_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("PPid:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class DaskRunnerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="newsevents-dask-test-")
        scratch = SCRATCH or cls.tmp
        cls.large = os.path.join(scratch, f"dask-corpus-{LARGE_MB}mb")
        started = time.monotonic()
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate_corpus.py"),
                        "--size-mb", str(LARGE_MB), "--out", cls.large, "--if-missing",
                        "--quiet"], check=True)
        cls.generate_seconds = time.monotonic() - started
        cls.cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                               dashboard_address=":0",
                                               silence_logs=logging.ERROR)
        cls.client = distributed.Client(cls.cluster)
        cls.corpus = os.path.join(ROOT, "corpus")
        cls.corpus_records = os.path.join(cls.tmp, "corpus-extract.jsonl")
        assert extract([cls.corpus], cls.corpus_records) == 0
        started = time.monotonic()
        cls.large_records = os.path.join(cls.tmp, "large-extract.jsonl")
        assert extract([cls.large], cls.large_records, "--threads", "2") == 0
        cls.extract_seconds = time.monotonic() - started

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        print(f"\n(generated {LARGE_MB} MB in {cls.generate_seconds:.1f} s; "
              f"extract --threads 2 took {cls.extract_seconds:.1f} s)", file=sys.stderr)

    def run_dask(self, inputs, name, **options):
        output = os.path.join(self.tmp, name)
        options.setdefault("binary", BINARY)
        options.setdefault("progress", False)
        options.setdefault("quiet", True)
        code = runner.run_extract(self.client, inputs, runner.Options(output=output, **options))
        return code, output

    def assertSameBytes(self, got, want):
        a, b = slurp(got), slurp(want)
        self.assertGreater(len(b), 0)
        self.assertTrue(a == b, f"{got} ({len(a)} bytes) differs from {want} ({len(b)} bytes)")

    def test_corpus_in_several_shards(self):
        files, _ = drop.list_drop_files([self.corpus])
        shards = drop.cut_into_shards(files, int(0.02 * (1 << 20)))
        self.assertGreater(len(shards), 1, "the corpus must be split for the test to mean much")
        code, output = self.run_dask([self.corpus], "corpus.jsonl", shard_mb=0.02)
        self.assertEqual(code, 0)
        self.assertSameBytes(output, self.corpus_records)
        self.assertIn(b'"duplicate_of":"ev-', slurp(output))

    def test_large_generated_corpus(self):
        files, _ = drop.list_drop_files([self.large])
        self.assertGreaterEqual(sum(os.path.getsize(f) for f in files), LARGE_MB * 10**6 * 0.99)
        started = time.monotonic()
        code, output = self.run_dask([self.large], "large.jsonl", shard_mb=8)
        seconds = time.monotonic() - started
        self.assertEqual(code, 0)
        self.assertSameBytes(output, self.large_records)
        print(f"\n(2 local workers: {LARGE_MB} MB in {seconds:.1f} s)", file=sys.stderr)

    def test_worker_killed_mid_run(self):
        # The first KILL_MB of the large corpus, in shards of 2 MiB: enough
        # shards to kill a worker in the middle of one, at half the cost.
        files, size = [], 0
        for path in drop.list_drop_files([self.large])[0]:
            if size >= KILL_MB * 10**6:
                break
            files.append(path)
            size += os.path.getsize(path)
        want = os.path.join(self.tmp, "subset-extract.jsonl")
        self.assertEqual(extract(files, want, "--threads", "2"), 0)
        output_dir = os.path.join(self.tmp, "killed")
        os.makedirs(output_dir)
        outcome = {}

        def run():
            outcome["code"] = runner.run_extract(
                self.client, files,
                runner.Options(output=os.path.join(output_dir, "subset.jsonl"), shard_mb=2,
                               binary=BINARY, progress=False, quiet=True))

        thread = threading.Thread(target=run)
        thread.start()
        # Once a shard has finished, kill the worker running the extract of
        # another (its parent process) in the middle of it.
        worker_pids = set(self.client.run(os.getpid).values())
        victim = None
        deadline = time.monotonic() + 120
        while victim is None and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.2)
            done = [n for d in os.listdir(output_dir) if d.startswith(".newsevents-dask-")
                    for n in os.listdir(os.path.join(output_dir, d)) if n.endswith(".jsonl")]
            if not done:
                continue
            for pid in shard_processes(output_dir):
                if parent_of(pid) in worker_pids:
                    victim = parent_of(pid)
                    break
        self.assertIsNotNone(victim, "no moment found with a shard running")
        os.kill(victim, signal.SIGKILL)
        thread.join(timeout=300)
        self.assertFalse(thread.is_alive())
        self.assertEqual(outcome.get("code"), 0)
        self.assertSameBytes(os.path.join(output_dir, "subset.jsonl"), want)
        # The killed worker's extract died with it (no orphan still writing).
        deadline = time.monotonic() + 10
        while shard_processes(output_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(shard_processes(output_dir), [])
        # The nanny brought the worker back.
        self.client.wait_for_workers(2, timeout=60)

    def test_bad_input_and_a_crashing_shard(self):
        bad = os.path.join(self.tmp, "bad.txt")
        with open(bad, "wb") as f:
            f.write(b"A meeting\n\nThe network met in Lyon on 3 May 2021 \xff\xfe to plan.\n")
        poison = os.path.join(self.tmp, "poison.txt")
        shutil.copy(os.path.join(self.corpus, sorted(os.listdir(self.corpus))[1]), poison)
        # A binary that crashes on the poison file, as a real crash would.
        wrapper = os.path.join(self.tmp, "crashing-newsevents")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in *poison*) kill -SEGV $$;; "
                    f"esac; done\nexec {BINARY} \"$@\"\n")
        os.chmod(wrapper, 0o755)
        missing = os.path.join(self.tmp, "missing.txt")
        inputs = [self.corpus, bad, missing, poison]
        code, output = self.run_dask(inputs, "bad.jsonl", shard_mb=64, binary=wrapper,
                                     retries=1)
        self.assertEqual(code, 1)
        want = os.path.join(self.tmp, "bad-extract.jsonl")
        self.assertEqual(extract([self.corpus, bad, missing], want), 1)
        self.assertSameBytes(output, want)

    def test_state_and_new_only(self):
        files, _ = drop.list_drop_files([self.corpus])
        first = files[: len(files) // 2]
        state_a = os.path.join(self.tmp, "a.db")
        state_b = os.path.join(self.tmp, "b.db")
        runs = [(first, []), (files, ["--new-only"]), (files, [])]
        for i, (inputs, extra) in enumerate(runs):
            want = os.path.join(self.tmp, f"state-extract-{i}.jsonl")
            self.assertEqual(extract(inputs, want, "--state", state_a, *extra), 0)
            code, got = self.run_dask(inputs, f"state-dask-{i}.jsonl", shard_mb=0.02,
                                      dedup_args=["--state", state_b, *extra])
            self.assertEqual(code, 0)
            self.assertSameBytes(got, want)

    def test_shards_gathered_as_bytes(self):
        code, output = self.run_dask([self.corpus], "bytes.jsonl", shard_mb=0.02, gather="bytes")
        self.assertEqual(code, 0)
        self.assertSameBytes(output, self.corpus_records)

    def test_command_line(self):
        output = os.path.join(self.tmp, "cli.jsonl")
        proc = subprocess.run([os.path.join(ROOT, "scale", "newsevents-dask"), "extract",
                               self.corpus, "-o", output, "--local-workers", "1",
                               "--dashboard-address", ":0", "--binary", BINARY,
                               "--shard-mb", "0.05", "--explain"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("dashboard: http://", proc.stderr)
        want = os.path.join(self.tmp, "cli-extract.jsonl")
        self.assertEqual(extract([self.corpus], want, "--explain"), 0)
        self.assertSameBytes(output, want)
        usage = subprocess.run([os.path.join(ROOT, "scale", "newsevents-dask"), "extract",
                                self.corpus, "-o", output, "--new-only"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(usage.returncode, 2)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    BINARY = os.path.abspath(sys.argv[1])
    SCRATCH = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
    unittest.main(argv=[sys.argv[0], "-v"])
