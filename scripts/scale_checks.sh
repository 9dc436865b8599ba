#!/usr/bin/env bash
# Proof-at-scale checks for CI, run on the test database after pytest (it
# must still exist: call this before the database is dropped):
#   1. every bench/bench_*.py at the ci preset (they roll back what they seed),
#   2. the load test at a reduced size (multi-worker Odoo on a loopback port),
#   3. the upgrade and uninstall check (on a copy of the database),
#   4. the scale-out check at a reduced size (scripts/scaleout.sh on a copy
#      of the database: primary, streaming replica, two Odoo nodes, nginx).
# Exits non-zero if any failed.
#
#   bash scripts/scale_checks.sh DB
#   LOAD_CLIENTS=4 LOAD_ORDERS=40   load test size (full size: 20 and 2000)
#   LOAD_PORT=8270                  loopback port of the load test's Odoo
#   SCALEOUT_CLIENTS=2 SCALEOUT_ORDERS=24   scale-out size (full: 20 and 2000)
#   SKIP_BENCH=1 / SKIP_LOAD=1 / SKIP_UPGRADE=1 / SKIP_SCALEOUT=1   leave one out
source "$(dirname "$0")/common.sh"

DB="${1:-${CHECK_DB:-}}"
[ -n "$DB" ] || die "usage: scripts/scale_checks.sh <database with the addons>"
check_odoo
ensure_venv
ensure_postgres
db_exists "$DB" || die "Database $DB does not exist."

rc=0
if [ -z "${SKIP_BENCH:-}" ]; then
    say "Benchmarks (ci preset) on $DB"
    ADDONS_PATH="$ADDONS_PATH" ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" \
        "$REPO_DIR/bench/run_all.py" --db "$DB" --preset ci || rc=1
fi
if [ -z "${SKIP_LOAD:-}" ]; then
    say "Load test: ${LOAD_CLIENTS:-4} clients, ${LOAD_ORDERS:-40} orders on $DB"
    ADDONS_PATH="$ADDONS_PATH" ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" \
        "$REPO_DIR/bench/load_test.py" --db "$DB" \
        --clients "${LOAD_CLIENTS:-4}" --orders "${LOAD_ORDERS:-40}" \
        --port "${LOAD_PORT:-8270}" --max-seconds "${LOAD_MAX_SECONDS:-900}" || rc=1
fi
if [ -z "${SKIP_UPGRADE:-}" ]; then
    say "Upgrade and uninstall check on a copy of $DB"
    bash "$REPO_DIR/scripts/check_upgrade.sh" "$DB" || rc=1
fi
if [ -z "${SKIP_SCALEOUT:-}" ]; then
    # CI size: the set-up (replica, two nodes) dominates; a few orders per
    # client are enough for every check
    export SCALEOUT_CLIENTS="${SCALEOUT_CLIENTS:-2}" SCALEOUT_ORDERS="${SCALEOUT_ORDERS:-24}"
    say "Scale-out check: $SCALEOUT_CLIENTS clients, $SCALEOUT_ORDERS orders on a copy of $DB"
    bash "$REPO_DIR/scripts/scaleout.sh" --from-db "$DB" || rc=1
fi
[ "$rc" -eq 0 ] && say "Scale checks passed." || say "Scale checks FAILED."
exit "$rc"
