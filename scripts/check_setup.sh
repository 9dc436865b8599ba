#!/usr/bin/env bash
# Clean-machine checks of the set-up scripts, run by CI before the tests:
#   1. PostgreSQL without the odoo role: on a throw-away cluster (its own
#      port, no role, no database), ensure_postgres creates the role as the
#      postgres superuser over the local socket, then logs in as that role
#      over TCP with its password and creates a database. The cluster is
#      dropped afterwards.
#   2. No Odoo at ODOO_PATH: make run's set-up gets it with a shallow clone
#      of the 18.0 branch (from a local stand-in repository, so no network is
#      needed) and, when it cannot, stops with the clear error.
# Needs root (pg_createcluster). Exits non-zero on the first failure.
#
#   FRESH_PG_PORT=5497   port of the throw-away cluster
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || die "scripts/check_setup.sh needs root (it creates a PostgreSQL cluster)."
work="$(mktemp -d)"
version="$(ls /etc/postgresql | sort -V | tail -1)"
cluster="sq_fresh_$$"
cleanup() {
    pg_dropcluster --stop "$version" "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# 1. a fresh cluster: no odoo role
export PGHOST=localhost PGPORT="${FRESH_PG_PORT:-5497}" PGUSER=odoo PGPASSWORD="fresh-$$"
say "Throw-away PostgreSQL $version cluster $cluster on port $PGPORT"
pg_createcluster "$version" "$cluster" --port "$PGPORT" --start >/dev/null
if psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
    die "the fresh cluster already lets $PGUSER log in: the check would prove nothing"
fi
ensure_postgres
[ "$(psql -d postgres -tAc "select current_user")" = "$PGUSER" ] \
    || die "ensure_postgres did not make $PGUSER able to log in over TCP"
createdb sq_fresh_check && dropdb sq_fresh_check \
    || die "the role $PGUSER cannot create databases"
# run again: the role exists, nothing to do, still fine
ensure_postgres
say "OK: ensure_postgres creates the role on a cluster that has none"

# 2. no Odoo at ODOO_PATH
src="$work/odoo-src"
mkdir -p "$src/odoo" "$src/addons/web/static/lib"
printf '#!/usr/bin/env python3\n' > "$src/odoo-bin"
printf 'version_info = (18, 0, 0, "final", 0, "")\n' > "$src/odoo/release.py"
touch "$src/addons/web/static/lib/.keep"
git -C "$src" init -q -b 18.0
git -C "$src" -c user.name=ci -c user.email=ci@example.com add -A
git -C "$src" -c user.name=ci -c user.email=ci@example.com commit -qm "Odoo stand-in"
(
    ODOO_PATH="$work/odoo" ODOO_GIT_URL="file://$src" GET_ODOO=1
    offer_odoo
    check_odoo
    [ -f "$ODOO_PATH/odoo-bin" ] || die "offer_odoo did not clone Odoo"
    [ "$(git -C "$ODOO_PATH" rev-parse --abbrev-ref HEAD)" = 18.0 ] || die "not the 18.0 branch"
    [ "$(git -C "$ODOO_PATH" rev-list --count HEAD)" = 1 ] || die "not a shallow clone"
) || exit 1
output="$(ODOO_PATH="$work/missing" ODOO_GIT_URL="file://$work/nowhere" GET_ODOO=1 \
    bash -c 'source "$0"; offer_odoo; check_odoo' "$REPO_DIR/scripts/common.sh" 2>&1)" \
    && die "check_odoo accepted a missing Odoo"
grep -q "No Odoo 18 source tree at ODOO_PATH=$work/missing" <<<"$output" \
    || die "no clear error when Odoo cannot be cloned: $output"
[ ! -e "$work/missing" ] || die "a failed clone left $work/missing behind"
say "OK: make run gets Odoo when it is missing, or says clearly how to"
