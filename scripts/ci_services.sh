#!/usr/bin/env bash
# Source me (". scripts/ci_services.sh"): installs PostgreSQL from Debian's packages when missing, starts a
# throwaway cluster on a private loopback port, and exports PIGGY_TEST_POSTGRES_URL for the checkpointer tests.
set -euo pipefail

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  echo "$found"
}

if [ -z "$(pg_bin)" ]; then
  echo "installing PostgreSQL from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(pg_bin)
PG_DIR=$(mktemp -d /tmp/piggy-pg.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUN=""
if [ "$(id -u)" = "0" ]; then
  chown postgres "$PG_DIR"
  RUN="runuser -u postgres --"
fi
$RUN "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust >/dev/null
$RUN "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export PIGGY_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
export PIGGY_TEST_POSTGRES_STOP="$RUN $PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop"
echo "PostgreSQL for the tests: $PIGGY_TEST_POSTGRES_URL"
