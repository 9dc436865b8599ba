#!/usr/bin/env bash
# Back up and restore a database together with its filestore.
#
#   scripts/backup.sh backup  DB [ARCHIVE]   -> ARCHIVE (default backups/DB-<UTC time>.tar.gz)
#   scripts/backup.sh restore ARCHIVE NEW_DB -> NEW_DB (must not exist) and its filestore
#
# The archive holds dump.pgc (pg_dump custom format), the filestore/ of the
# database and a manifest. The filestore is looked up in Odoo's data
# directory (DATA_DIR, default: data_dir of odoo.conf, else Odoo's default).
# PGHOST / PGPORT / PGUSER / PGPASSWORD select the PostgreSQL server.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
VENV="${VENV:-$REPO_DIR/.venv}"
export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-odoo}" PGPASSWORD="${PGPASSWORD:-odoo}"

tmp=""

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

data_dir() {
    if [ -n "${DATA_DIR:-}" ]; then
        printf '%s\n' "$DATA_DIR"
        return
    fi
    "$VENV/bin/python" - "$ODOO_PATH" "$REPO_DIR/odoo.conf" <<'PY'
import sys

sys.path.insert(0, sys.argv[1])
from odoo.tools import config

config._parse_config(["-c", sys.argv[2]])
print(config["data_dir"])
PY
}

db_exists() {
    [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

backup() {
    local db="${1:?usage: backup.sh backup DB [ARCHIVE]}"
    local archive="${2:-$REPO_DIR/backups/$db-$(date -u +%Y%m%d-%H%M%S).tar.gz}"
    db_exists "$db" || die "database $db does not exist"
    local filestore
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    filestore="$(data_dir)/filestore/$db"
    pg_dump --format=custom --no-owner --file="$tmp/dump.pgc" "$db"
    mkdir -p "$tmp/filestore"
    [ -d "$filestore" ] && cp -a "$filestore/." "$tmp/filestore/"
    printf 'database=%s\ncreated=%s\nfiles=%s\n' "$db" "$(date -u +%FT%TZ)" \
        "$(find "$tmp/filestore" -type f | wc -l)" >"$tmp/manifest.txt"
    mkdir -p "$(dirname "$archive")"
    tar -czf "$archive" -C "$tmp" manifest.txt dump.pgc filestore
    printf '%s\n' "$archive"
}

restore() {
    local archive="${1:?usage: backup.sh restore ARCHIVE NEW_DB}"
    local db="${2:?usage: backup.sh restore ARCHIVE NEW_DB}"
    [ -f "$archive" ] || die "no archive $archive"
    db_exists "$db" && die "database $db exists already: restore into a new database"
    local filestore
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    tar -xzf "$archive" -C "$tmp"
    [ -f "$tmp/dump.pgc" ] || die "$archive holds no dump.pgc"
    filestore="$(data_dir)/filestore/$db"
    [ -e "$filestore" ] && die "filestore $filestore exists already"
    createdb --template=template0 --encoding=UTF8 "$db"
    pg_restore --no-owner --exit-on-error --dbname="$db" "$tmp/dump.pgc"
    mkdir -p "$filestore"
    cp -a "$tmp/filestore/." "$filestore/"
    printf '%s\n' "$db"
}

case "${1:-}" in
    backup) shift; backup "$@" ;;
    restore) shift; restore "$@" ;;
    *) die "usage: $0 backup DB [ARCHIVE] | restore ARCHIVE NEW_DB" ;;
esac
