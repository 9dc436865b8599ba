#!/usr/bin/env bash
# Shared by run.sh and test.sh: locate Odoo, prepare the virtualenv and
# PostgreSQL. Sourced, not executed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
VENV="${VENV:-$REPO_DIR/.venv}"
PYTHON_BIN="${PYTHON_BIN:-python3}"
export PGHOST="${PGHOST:-localhost}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-odoo}"
export PGPASSWORD="${PGPASSWORD:-odoo}"
ADDONS="service_quality,service_training,equipment_care,service_installed_base,service_sale"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

check_odoo() {
    if [ ! -x "$ODOO_PATH/odoo-bin" ] && [ ! -f "$ODOO_PATH/odoo-bin" ]; then
        die "No Odoo 18 source tree at ODOO_PATH=$ODOO_PATH (odoo-bin is missing).
Get Odoo's 18.0 branch and point ODOO_PATH at it, for example:
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo
or unpack the official 18.0 source archive there, then run this command again.
(With Docker, 'docker compose up' needs no source tree.)"
    fi
    if ! grep -q "version_info = (18, 0" "$ODOO_PATH/odoo/release.py" 2>/dev/null; then
        die "ODOO_PATH=$ODOO_PATH is not Odoo 18.0 (odoo/release.py says otherwise)."
    fi
    [ -d "$ODOO_PATH/addons/web/static/lib" ] \
        || die "ODOO_PATH=$ODOO_PATH has no addons/web/static/lib: the source tree is incomplete."
    export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
    ADDONS_PATH="$ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$REPO_DIR/addons"
}

ensure_venv() {
    local stamp="$VENV/.requirements.sha256"
    local want
    want="$(sha256sum "$REPO_DIR/requirements.txt" | cut -d' ' -f1)"
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating virtualenv $VENV"
        "$PYTHON_BIN" -m venv "$VENV"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "Installing Python requirements"
        "$VENV/bin/pip" install --quiet --upgrade pip
        "$VENV/bin/pip" install --quiet -r "$REPO_DIR/requirements.txt"
        echo "$want" > "$stamp"
    fi
}

ensure_postgres() {
    if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v psql >/dev/null 2>&1; then
        command -v apt-get >/dev/null 2>&1 \
            || die "PostgreSQL is missing and this is not a Debian/Ubuntu machine: install PostgreSQL and create a role '$PGUSER'."
        say "Installing PostgreSQL"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    fi
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        say "Starting PostgreSQL"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo service postgresql start >/dev/null 2>&1 \
            || $sudo pg_ctlcluster "$(ls /etc/postgresql | sort -V | tail -1)" main start
        for _ in $(seq 1 30); do
            pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
            sleep 1
        done
        pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL did not start on $PGHOST:$PGPORT."
    fi
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        say "Creating PostgreSQL role $PGUSER"
        create_role || die "Could not create the PostgreSQL role $PGUSER as the postgres superuser."
        psql -d postgres -tAc "select 1" >/dev/null || die "Cannot log in to PostgreSQL as $PGUSER."
    fi
}

# Create (or reset) the login role as the postgres superuser, over the local
# socket with peer authentication: the PG* variables exported above name
# the role being created, so they must not reach this psql.
create_role() {
    local sql="DO \$\$BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER') THEN
            ALTER ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD';
        ELSE
            CREATE ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD';
        END IF;
    END\$\$;"
    local as_pg=(su postgres -s /bin/sh -c)
    [ "$(id -u)" = 0 ] || as_pg=(sudo -u postgres sh -c)
    printf '%s\n' "$sql" | "${as_pg[@]}" \
        "env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE psql -X -q -p '$PGPORT' -d postgres -v ON_ERROR_STOP=1" >/dev/null
}

db_exists() {
    psql -d postgres -tAc "select 1 from pg_database where datname = '$1'" | grep -q 1
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$REPO_DIR/odoo.conf" \
        --addons-path="$ADDONS_PATH" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD" \
        "$@"
}
