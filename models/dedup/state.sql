-- State of the de-duplicator across drops (newsevents extract --state FILE).
--
-- Read at run time by pipeline/dedup_state.cc and applied inside the
-- transaction of the first run that writes the file, so a run killed before
-- it commits leaves no half-made file behind. Every statement must be
-- idempotent (IF NOT EXISTS): it runs again at every commit.
--
-- The file is SQLite in WAL mode with synchronous=FULL: a commit is durable
-- once Commit() returns, and a process killed at any moment leaves the file
-- as it was after the last commit.

-- Settings the stored signatures depend on ('sketch': the MinHash and LSH
-- parameters; 'schema': this file's version). A run whose dedup.conf
-- sketches differently refuses the file instead of comparing apples with
-- oranges.
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- One row per committed run.
CREATE TABLE IF NOT EXISTS runs (
  run          INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,     -- UTC, ISO 8601
  committed_at TEXT NOT NULL,     -- UTC, ISO 8601
  items_added  INTEGER NOT NULL,
  tool_version TEXT NOT NULL
);

-- Every item ever recorded, in the order it was first seen: seq is the item
-- number the index uses, so "first telling" means "smallest seq".
CREATE TABLE IF NOT EXISTS items (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,       -- record id: "ev-" + 16 hex digits
  source_file  TEXT NOT NULL,              -- file name as reported in records
  item_index   INTEGER NOT NULL,           -- 0-based position in that file
  fingerprint  INTEGER NOT NULL,           -- XXH3-64 of the folded, whitespace-collapsed text (as signed 64-bit)
  duplicate_of TEXT NOT NULL DEFAULT '',   -- id of the first telling, '' for an original
  link         TEXT NOT NULL DEFAULT '',   -- why: exact, near, containment, dated ('' for an original)
  shingles     INTEGER NOT NULL,           -- distinct word shingles of the text
  signature    BLOB NOT NULL,              -- MinHash signature, one byte per bin
  facts        TEXT NOT NULL,              -- JSON: event, days, places, countries, orgs, organizers
  run          INTEGER NOT NULL REFERENCES runs(run)
);

-- "Was this very item recorded by an earlier run?" (Process' answer, --new-only).
CREATE INDEX IF NOT EXISTS items_by_source ON items(source_file, item_index, fingerprint);

INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '1');
