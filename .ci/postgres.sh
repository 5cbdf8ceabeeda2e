#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite and print the URL to use:
#
#     eval "$(bash .ci/postgres.sh)"     # sets REDLINE_TEST_POSTGRES_URL
#
# Idempotent: installs Debian's postgresql package only when it is missing, reuses a server it
# started before (same data dir, same port), and otherwise creates a fresh cluster under /tmp
# that listens on 127.0.0.1 only, on a free port. Everything but the export line goes to stderr.
# Stop it with: bash .ci/postgres.sh stop
set -euo pipefail

ROOT="${REDLINE_PG_DIR:-/tmp/redline-postgres}"
DATA="$ROOT/data"
LOG="$ROOT/server.log"
ROLE=redline
PASSWORD=redline
DB=redline

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

BIN="$(find_bindir || true)"
if [ -z "$BIN" ]; then
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bindir)"
fi

# initdb and postgres refuse to run as root: run them as the 'postgres' user the package creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-}" = "stop" ]; then
  if [ -d "$DATA" ]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true; fi
  exit 0
fi

mkdir -p "$ROOT"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$ROOT"; fi

running() { [ -f "$ROOT/port" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

if running; then
  PORT="$(cat "$ROOT/port")"
  log "reusing the server on 127.0.0.1:$PORT ($DATA)"
else
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    rm -rf "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$ROOT/initdb.log" 2>&1 \
      || as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
         -E UTF8 --locale=C >"$ROOT/initdb.log" 2>&1 \
      || { cat "$ROOT/initdb.log" >&2; exit 1; }
  fi
  # A free port: ask the kernel for one (python3 is on every machine that runs .ci/run).
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_owner sh -c "echo $PORT > '$ROOT/port'"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $ROOT -c max_connections=200 -c fsync=off" \
    start >&2 || { tail -20 "$LOG" >&2; exit 1; }
  log "started on 127.0.0.1:$PORT"
fi

psql_admin() { as_owner "$BIN/psql" -h "$ROOT" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi

echo "export REDLINE_TEST_POSTGRES_URL=postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
