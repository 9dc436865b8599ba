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
ADDONS="service_quality,service_training,equipment_care,service_installed_base,service_sale,service_audit,service_parts,service_contract"
# Test-only addon (cross-addon tests), installed by the test commands only.
TEST_ADDONS="test_service_suite"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"

# Offer to get Odoo when ODOO_PATH has none (make run): a shallow clone of
# the 18.0 branch, after asking on a terminal or when GET_ODOO=1. Without
# git, network or consent, check_odoo's error follows.
offer_odoo() {
    [ -f "$ODOO_PATH/odoo-bin" ] && return 0
    [ "${GET_ODOO:-}" = 0 ] && return 0
    if [ -z "${GET_ODOO:-}" ]; then
        [ -t 0 ] || return 0
        printf 'No Odoo 18 source tree at ODOO_PATH=%s.\nGet it now (git clone --depth 1 --branch 18.0 %s, about 1 GB)? [Y/n] ' \
            "$ODOO_PATH" "$ODOO_GIT_URL" >&2
        local answer
        read -r answer || answer=n
        case "$answer" in "" | y | Y | yes | Yes) ;; *) return 0 ;; esac
    fi
    command -v git >/dev/null 2>&1 || { say "git is missing: cannot get Odoo"; return 0; }
    if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
        say "$ODOO_PATH exists and is not empty: not cloning into it"
        return 0
    fi
    say "Getting Odoo 18.0 into $ODOO_PATH (shallow clone)"
    git clone --quiet --depth 1 --branch 18.0 "$ODOO_GIT_URL" "$ODOO_PATH" \
        || { rm -rf "$ODOO_PATH"; say "Could not clone $ODOO_GIT_URL (no network?)"; }
}

check_odoo() {
    if [ ! -x "$ODOO_PATH/odoo-bin" ] && [ ! -f "$ODOO_PATH/odoo-bin" ]; then
        die "No Odoo 18 source tree at ODOO_PATH=$ODOO_PATH (odoo-bin is missing).
Get Odoo's 18.0 branch and point ODOO_PATH at it, for example:
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo
or unpack the official 18.0 source archive there, then run this command again
('GET_ODOO=1 make run' clones it for you when the network allows).
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

# Create database $1 with the addons (and their demo data), English and
# Simplified Chinese. The languages are loaded in the same run, right after
# the base module and before the addons: each addon then loads its zh_CN
# terms as it installs, data and demo records included. (A language loaded
# in a later run is loaded before the addons' models are set up: only the
# menus and groups would get their Chinese names.) English comes first so it
# stays the main language. Extra arguments go to odoo-bin.
create_database() {
    # create_database DB [EXTRA_ADDONS] [odoo-bin options...]
    local db="$1" extra="${2:-}"
    shift
    [ $# -gt 0 ] && shift
    odoo_bin -d "$db" -i "$ADDONS${extra:+,$extra}" --load-language=en_US,zh_CN --stop-after-init "$@"
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
