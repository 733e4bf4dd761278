"""The files of a drop, listed as `newsevents extract` lists them, and cut
into shards.

Identical output needs identical order: the records of a split run come out
in shard order, then file order within each shard, which must be the order
`newsevents extract INPUT...` reads (pipeline/pipeline.cc ListDropFiles):
each INPUT that is a file, and the *.txt, *.text and *.md files directly
inside each INPUT folder, sorted by file name.
"""

import os

TEXT_EXTENSIONS = (".txt", ".text", ".md")


def list_drop_files(inputs):
    """Returns (files, errors): the files to read, and "path: reason" for
    each input that cannot be listed."""
    files, errors = [], []
    for path in inputs:
        try:
            is_dir = os.path.isdir(path)
            os.stat(path)
        except OSError as e:
            errors.append(f"{path}: {e.strerror}")
            continue
        if not is_dir:
            files.append(path)  # named explicitly: read whatever it is
            continue
        try:
            entries = list(os.scandir(path))
        except OSError as e:
            errors.append(f"{path}: cannot list folder: {e.strerror}")
            continue
        found = []
        for entry in entries:
            if os.path.splitext(entry.name)[1].lower() not in TEXT_EXTENSIONS:
                continue
            if os.path.isdir(entry.path):  # follows links, as extract does
                continue
            found.append(entry)
        # extract sorts by file name as bytes; UTF-8 sorts as code points do.
        found.sort(key=lambda e: os.fsencode(e.name))
        files.extend(e.path for e in found)
    return files, errors


def file_size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # extract will say why it cannot read it


def cut_into_shards(files, shard_bytes):
    """Consecutive runs of `files` of about `shard_bytes` each (a shard closes
    once it reaches the size; one large file is a shard of its own)."""
    shards, current, size = [], [], 0
    for path in files:
        current.append(path)
        size += file_size(path)
        if size >= shard_bytes:
            shards.append(current)
            current, size = [], 0
    if current:
        shards.append(current)
    return shards
