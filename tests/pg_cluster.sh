#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and the database benchmark.
#
#   tests/pg_cluster.sh start DIR [--durable]   prints a libpq connection URL
#   tests/pg_cluster.sh stop DIR                 stops the server, removes DIR
#
# `start` makes DIR (which must not exist), runs initdb in DIR/data and starts
# the server listening on 127.0.0.1 only, on a free port, with its unix
# socket in DIR/socket; nothing listens beyond loopback. Authentication is
# `trust` (a throwaway cluster reachable only from this machine). initdb
# refuses to run as root, so as root the server runs as the `postgres` user
# (created by Debian's postgresql package) and DIR is handed to it.
#
# A throwaway cluster need not survive a power cut: without --durable it
# runs with fsync=off (the tests start one per test process, and syncing on
# a busy disk takes seconds). The benchmark passes --durable, to measure
# what a real server does.
#
# Fails (exit 1, reason on stderr) if PostgreSQL is not installed or the
# server does not start: callers treat that as a test failure, not a skip.
set -euo pipefail

die() { echo "pg_cluster: $*" >&2; exit 1; }

bindir() {
  local d
  # Debian keeps the server programs out of PATH, under a versioned folder.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  die "PostgreSQL server programs not found (Debian package: postgresql)"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local dir=$1 durable=$2 bin port settings=""
  [ "$durable" = --durable ] ||
    settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ -e "$dir" ] && die "$dir exists already"
  bin=$(bindir)
  mkdir -p "$dir/socket"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as root"
    chown -R postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "user postgres cannot reach $dir (a parent folder is private): choose another DIR"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  # A port may be taken between choosing it and binding it: try a few.
  local try
  for try in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket $settings" \
        start >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      echo "postgresql://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
  done
  cat "$dir/server.log" >&2 || true
  die "the server did not start"
}

stop() {
  local dir=$1
  [ -d "$dir/data" ] && as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop \
    >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start)
    [ $# -eq 2 ] || { [ $# -eq 3 ] && [ "$3" = --durable ]; } ||
      die "usage: $0 start DIR [--durable]"
    start "$2" "${3:-}" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 start|stop DIR" ;;
esac
