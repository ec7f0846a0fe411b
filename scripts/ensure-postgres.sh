#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for user postgres without a
# password (trust, local only): start the cluster if it is stopped, install it if absent.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "postgres: installing"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -n1)
if ! ready; then
  echo "postgres: starting cluster $version/main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 120); do ready && break; sleep 1; done  # a busy machine starts slowly
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1; then
  echo "postgres: allowing trusted local connections for user postgres"
  hba=/etc/postgresql/$version/main/pg_hba.conf
  as_root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  sleep 1
fi
ready && psql -h 127.0.0.1 -U postgres -d postgres -tAc "select version()" | head -n1
# the database the CI settings name (tests use test_<name>, but start-up checks connect to it)
db=${POSTGRES_DB:-zizhu}
psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$db'" \
  | grep -q 1 || createdb -h 127.0.0.1 -U postgres "$db"
