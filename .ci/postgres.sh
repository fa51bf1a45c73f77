#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if needed, starts a throwaway
# cluster on a local port, and prints the URL for the tests.
# Usage: eval "$(bash .ci/postgres.sh)"
set -euo pipefail
port=${PGTEST_PORT:-54329}
dir=${PGTEST_DIR:-/tmp/ghcr-doctor-pg}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")

run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -f "$dir/postmaster.pid" ]; then
  run "$bin/pg_ctl" -D "$dir" -m immediate stop >&2 || true
fi
rm -rf "$dir"
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
run "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
run "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
  -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
run "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres ghcr_doctor_test >&2
echo "export GHCR_DOCTOR_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/ghcr_doctor_test?sslmode=disable"
