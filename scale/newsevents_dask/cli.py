"""newsevents-dask: `newsevents extract` on a Dask cluster, same records."""

import argparse
import logging
import os
import sys

from . import runner

DESCRIPTION = """\
Runs `newsevents extract INPUT...` on a Dask cluster and writes the same
records, byte for byte. The input files (listed as extract lists them, in
name order) are cut into shards of about --shard-mb; each shard runs as
`newsevents extract --shard` on a worker; then `newsevents dedup` links the
items of all shards and writes OUT (beside its final name, then renamed).

Workers need the newsevents binary (on their PATH, or --binary) and the input
files under the same paths. With --gather files (the default) they also write
the shards into a folder next to OUT, which the client must see (a shared
file system); --gather bytes sends the shards back through Dask instead.

exit codes, as extract's: 0 ok, 1 some input files had errors (records
written for the rest), 2 usage or configuration error, 3 output failure."""


def parse_args(argv):
    p = argparse.ArgumentParser(prog="newsevents-dask", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="records of a drop, on a Dask cluster",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("inputs", nargs="+", metavar="INPUT", help="files and folders, as for extract")
    e.add_argument("-o", "--output", required=True, metavar="OUT", help="the records (a file)")
    where = e.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running Dask scheduler (tcp://host:8786)")
    where.add_argument("--local-workers", type=int, metavar="N",
                       help="start a local cluster of N worker processes (default: one per core)")
    e.add_argument("--threads-per-worker", type=int, default=1, metavar="N",
                   help="local cluster: shards a worker runs at once (default 1)")
    e.add_argument("--dashboard-address", default=":8787", metavar="[HOST]:PORT",
                   help="local cluster: where its dashboard listens (default :8787, :0 any)")
    e.add_argument("--shard-mb", type=float, default=64, metavar="MB",
                   help="input MiB per shard (default 64)")
    e.add_argument("--binary", metavar="PATH",
                   help="newsevents binary, the same path on every worker and here "
                        "(default: newsevents on each one's PATH)")
    e.add_argument("--retries", type=int, default=3, metavar="N",
                   help="times a failing shard is retried (default 3)")
    e.add_argument("--gather", choices=("files", "bytes"), default="files",
                   help="how shards reach the reduce: a shared folder next to OUT "
                        "(default), or their bytes through Dask")
    e.add_argument("--state", metavar="FILE", help="as for extract (used by the reduce)")
    e.add_argument("--new-only", action="store_true", help="as for extract (needs --state)")
    e.add_argument("--lang", choices=("auto", "en", "fr", "es"), help="as for extract")
    e.add_argument("--reference-date", metavar="YYYY-MM-DD", help="as for extract")
    e.add_argument("--explain", action="store_true", help="as for extract")
    e.add_argument("--max-file-mb", type=int, metavar="N", help="as for extract")
    e.add_argument("--data", metavar="DIR", help="as for extract (on workers and here)")
    e.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar, no summary; errors only")
    args = p.parse_args(argv)
    if args.new_only and not args.state:
        p.error("--new-only needs --state FILE")
    if args.output == "-":
        p.error("-o takes a file (standard output shows the progress bar)")
    if args.shard_mb <= 0:
        p.error("--shard-mb takes a positive number")
    return args


def options_of(args):
    extract_args = []
    if args.lang:
        extract_args += ["--lang", args.lang]
    if args.reference_date:
        extract_args += ["--reference-date", args.reference_date]
    if args.explain:
        extract_args += ["--explain"]
    if args.max_file_mb is not None:
        extract_args += ["--max-file-mb", str(args.max_file_mb)]
    dedup_args = []
    if args.data:
        data = os.path.abspath(args.data)
        extract_args += ["--data", data]
        dedup_args += ["--data", data]
    if args.state:
        dedup_args += ["--state", args.state]
    if args.new_only:
        dedup_args += ["--new-only"]
    binary = os.path.abspath(args.binary) if args.binary else None
    return runner.Options(output=args.output, shard_mb=args.shard_mb, binary=binary,
                          retries=args.retries, gather=args.gather, extract_args=extract_args,
                          dedup_args=dedup_args, progress=not args.quiet, quiet=args.quiet)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    options = options_of(args)
    import distributed  # after argument errors: importing it takes a second

    if args.scheduler:
        with distributed.Client(args.scheduler) as client:
            return runner.run_extract(client, args.inputs, options)
    workers = args.local_workers or os.cpu_count() or 1
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=args.threads_per_worker,
                                  processes=True, dashboard_address=args.dashboard_address,
                                  silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        if not args.quiet:
            try:
                import bokeh  # noqa: F401  the dashboard's pages need it
                pages = ""
            except ImportError:
                pages = (" (no bokeh here: only the scheduler's info pages, "
                         + cluster.dashboard_link.replace("/status", "/info/main/workers.html")
                         + ")")
            runner.say(f"local cluster: {workers} workers x {args.threads_per_worker} "
                        f"thread(s); dashboard: {cluster.dashboard_link}{pages}")
        return runner.run_extract(client, args.inputs, options)
