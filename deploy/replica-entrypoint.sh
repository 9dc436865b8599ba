#!/bin/bash
# PostgreSQL streaming replica of the scale-out profile: on its first start,
# a base backup of the primary (pg_basebackup -R writes primary_conninfo and
# standby.signal), then a hot standby that serves read-only queries.
set -euo pipefail
export PGPASSWORD="${PRIMARY_PASSWORD:-odoo}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready -q -h "${PRIMARY_HOST:-db-primary}" -U "${PRIMARY_USER:-odoo}"; do
        sleep 1
    done
    pg_basebackup -h "${PRIMARY_HOST:-db-primary}" -U "${PRIMARY_USER:-odoo}" \
        -D "$PGDATA" -R -X stream -c fast
    chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
