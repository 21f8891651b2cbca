#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database (and the media into PRIVATE_MEDIA_ROOT).
#   TARGET_DATABASE_URL=postgres://user:pass@host:5432/sonitec_restored PRIVATE_MEDIA_ROOT=/data/private-media \
#   scripts/restore.sh backups/db-20260101T020000Z.dump backups/media-20260101T020000Z.tar.gz
# TARGET_DATABASE_URL defaults to DATABASE_URL. The database must exist and hold no tables (createdb it first):
# restoring over live data is refused. The restore is one transaction: it lands whole or not at all.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 DB_DUMP [MEDIA_ARCHIVE]" >&2
    exit 2
fi
dump="$1"
media="${2:-}"
if [[ -n "${DATABASE_URL_FILE:-}" ]]; then DATABASE_URL="$(cat "$DATABASE_URL_FILE")"; fi
target="${TARGET_DATABASE_URL:-${DATABASE_URL:-}}"
: "${target:?set TARGET_DATABASE_URL (or DATABASE_URL) to the empty database to restore into}"
PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-private-media}"

tables="$(psql "$target" --no-psqlrc --tuples-only --no-align \
    --command "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [[ "$tables" != "0" ]]; then
    echo "refusing to restore: the target database already has $tables tables (restore into an empty one)" >&2
    exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" "$dump"
echo "database restored from $dump"

if [[ -n "$media" ]]; then
    mkdir -p "$PRIVATE_MEDIA_ROOT"
    tar --extract --gzip --file="$media" --directory="$PRIVATE_MEDIA_ROOT" --no-same-owner
    chmod -R go-rwx "$PRIVATE_MEDIA_ROOT"
    echo "media restored into $PRIVATE_MEDIA_ROOT"
fi
