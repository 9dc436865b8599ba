#!/usr/bin/env bash
# Set-up and run: a working Odoo 18 with the addons and demo data on
# http://localhost:8069 (admin/admin). Run again: reuses the database and
# upgrades the addons.
source "$(dirname "$0")/common.sh"

DB="${DB:-service_quality}"
HTTP_PORT="${HTTP_PORT:-8069}"

offer_odoo
check_odoo
ensure_venv
ensure_postgres

if db_exists "$DB"; then
    say "Upgrading $ADDONS in database $DB"
    odoo_bin -d "$DB" -u "$ADDONS" --stop-after-init
else
    say "Creating database $DB with $ADDONS, demo data, English and Simplified Chinese"
    create_database "$DB"
fi
say "Odoo is starting on http://localhost:$HTTP_PORT (login admin / password admin)"
exec "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$REPO_DIR/odoo.conf" \
    --addons-path="$ADDONS_PATH" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD" \
    -d "$DB" --db-filter="^$DB\$" --http-port="$HTTP_PORT" "$@"
