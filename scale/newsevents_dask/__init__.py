"""Runs `newsevents extract` on a Dask cluster, with the same records.

The map/reduce split lives in the newsevents binary itself (pipeline/shard.h):
`newsevents extract --shard` writes a shard's records before cross-item
de-duplication, with each item's story key; `newsevents dedup SHARD...` links
the items of all shards and writes the final records. This package only
drives it:

  drop.py    lists the input files as `newsevents extract` does and cuts them,
             in name order, into shards of about --shard-mb
  task.py    what a worker runs: `newsevents extract --shard` on one shard
  runner.py  submits the shards (with retries), follows them with Dask's
             progress bar, isolates a shard that keeps failing file by file,
             and runs the reduce, which writes the output atomically
  cli.py     `newsevents-dask extract INPUT... -o OUT ...`

Only Debian's python3-dask and python3-distributed are needed, on the client
and on every worker; workers need the newsevents binary (on their PATH, or
--binary) and, by default, a file system shared with the client.
"""

__version__ = "1"
