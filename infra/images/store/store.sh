#!/bin/bash
# Starts PostgreSQL (loopback inside the container), waits for it, then FerretDB on 0.0.0.0:27017.
# The container lives as long as both do; SIGTERM stops both.
set -eu
PG=/usr/lib/postgresql/15/bin
setpriv --reuid=postgres --regid=postgres --init-groups "$PG/postgres" -D /var/lib/hrp-postgres -p 5432 \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 -c shared_buffers=128MB &
pg=$!
for _ in $(seq 1 300); do
  "$PG/pg_isready" -q -U postgres -h 127.0.0.1 -p 5432 && break
  kill -0 "$pg" 2>/dev/null || { echo "postgres exited during start-up" >&2; exit 1; }
  sleep 0.1
done
# A pool near max_connections: FerretDB's PostgreSQL backend can deadlock with a smaller one
# (see infra/lib/servers.js).
/opt/store/ferretdb -listen 0.0.0.0:27017 -postgresql-url 'postgres://postgres@127.0.0.1:5432/postgres?pool_max_conns=250' &
fdb=$!
trap 'kill -TERM "$fdb" 2>/dev/null; kill -INT "$pg" 2>/dev/null' TERM INT
wait -n "$pg" "$fdb" || true
kill -TERM "$fdb" 2>/dev/null || true
kill -INT "$pg" 2>/dev/null || true
wait
