#!/usr/bin/env bash
# Back up the CRM: the PostgreSQL database (pg_dump custom format) and the private media (CVs) as a tar archive.
#   DATABASE_URL=postgres://user:pass@host:5432/sonitec PRIVATE_MEDIA_ROOT=/data/private-media \
#   BACKUP_DIR=/backups scripts/backup.sh
# Writes BACKUP_DIR/db-<UTC time>.dump and BACKUP_DIR/media-<UTC time>.tar.gz, each under a temporary name
# first, so a backup that failed half-way never looks complete. BACKUP_KEEP_DAYS (default 14) removes older ones.
# Restore with scripts/restore.sh. Needs pg_dump of the server's major version or newer.
set -euo pipefail

if [[ -n "${DATABASE_URL_FILE:-}" ]]; then DATABASE_URL="$(cat "$DATABASE_URL_FILE")"; fi
: "${DATABASE_URL:?set DATABASE_URL (postgres://user:password@host:5432/name)}"
BACKUP_DIR="${BACKUP_DIR:-backups}"
PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-private-media}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
db_file="$BACKUP_DIR/db-$stamp.dump"
media_file="$BACKUP_DIR/media-$stamp.tar.gz"

pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$db_file.partial"
mv "$db_file.partial" "$db_file"

if [[ -d "$PRIVATE_MEDIA_ROOT" ]]; then
    tar --create --gzip --file="$media_file.partial" --directory="$PRIVATE_MEDIA_ROOT" .
else
    tar --create --gzip --file="$media_file.partial" --files-from=/dev/null
fi
mv "$media_file.partial" "$media_file"

find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'db-*.dump' -o -name 'media-*.tar.gz' \) -mtime +"$KEEP_DAYS" -delete

echo "database: $db_file"
echo "media:    $media_file"
