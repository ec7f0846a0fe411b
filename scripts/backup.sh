#!/usr/bin/env bash
# Back up the PostgreSQL database and the uploaded files into one directory:
#   scripts/backup.sh /backups/zizhu-$(date +%F)
# DATABASE_URL and MEDIA_ROOT are read from the environment (or .env), as the app reads them.
# Keep SECRET_KEY and AUDIT_HMAC_KEY elsewhere: without the key the audit log cannot be verified.
set -euo pipefail
umask 077  # the dump holds password hashes, TOTP secrets and every uploaded document
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/backup.sh <directory>}
. scripts/env.sh
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
media=${MEDIA_ROOT:-var/media}
mkdir -p "$out"
# One consistent snapshot of every table (custom format: compressed, restorable selectively).
pg_dump --format=custom --no-owner --no-privileges --file="$out/database.dump" "$DATABASE_URL"
# Files are written before their rows commit, so copying them after the dump misses nothing
# the dump refers to; files newer than the dump are harmless extras.
if [ -d "$media" ]; then
  tar -C "$media" -czf "$out/media.tar.gz" .
else
  tar -czf "$out/media.tar.gz" -T /dev/null
fi
(cd "$out" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "backup: $out ($(du -sh "$out" | cut -f1))"
