#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media directory:
#   DATABASE_URL=postgres://…/zizhu MEDIA_ROOT=/srv/zizhu/media scripts/restore.sh /backups/zizhu-2026-11-24
# then run `manage.py verify_audit` (with the same AUDIT_HMAC_KEY) before opening the service.
set -euo pipefail
umask 077
cd "$(dirname "$0")/.."
in=${1:?usage: scripts/restore.sh <backup directory>}
. scripts/env.sh
: "${DATABASE_URL:?DATABASE_URL must name the (empty) PostgreSQL database to restore into}"
media=${MEDIA_ROOT:-var/media}
(cd "$in" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql "$DATABASE_URL" -tAc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "restore: $DATABASE_URL is not empty ($tables tables): restore into a new database" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$in/database.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$in/media.tar.gz"
echo "restore: database and files from $in; now run: manage.py verify_audit"
