#!/usr/bin/env bash
# `make bench`: performance figures of the suite (not part of `make test`).
# Creates (or reuses and upgrades) a benchmark database with the addons,
# runs every bench/bench_*.py through bench/run_all.py and prints the tables.
# Each benchmark seeds its own rows and removes them (or rolls back).
#
#   FULL=1          full volumes (1,000,000 orders, ...): hours
#   BENCH_DB=name   database (default sq_bench)
#   BENCH_SIZE=N    one --size for every benchmark (overrides the preset)
#   BENCH_ONLY=a,b  only these areas (bench_<area>.py)
#   FRESH=1         drop and recreate the database first
source "$(dirname "$0")/common.sh"

BENCH_DB="${BENCH_DB:-sq_bench}"
PRESET=ci
[ -n "${FULL:-}" ] && PRESET=full

check_odoo
ensure_venv
ensure_postgres

[ -n "${FRESH:-}" ] && dropdb --if-exists "$BENCH_DB"
LOG="$REPO_DIR/.bench-install.log"
if db_exists "$BENCH_DB"; then
    say "Upgrading $ADDONS in $BENCH_DB"
    odoo_bin -d "$BENCH_DB" -u "$ADDONS" --stop-after-init --log-level=warn >"$LOG" 2>&1 \
        || { tail -50 "$LOG"; die "Upgrading the addons failed (full log: $LOG)."; }
else
    say "Creating $BENCH_DB with $ADDONS (no demo data)"
    odoo_bin -d "$BENCH_DB" -i "$ADDONS" --without-demo=all --stop-after-init --log-level=warn \
        >"$LOG" 2>&1 || { tail -50 "$LOG"; die "Installing the addons failed (full log: $LOG)."; }
fi

args=(--db "$BENCH_DB" --preset "$PRESET")
[ -n "${BENCH_SIZE:-}" ] && args+=(--size "$BENCH_SIZE")
[ -n "${BENCH_ONLY:-}" ] && args+=(--only "$BENCH_ONLY")
say "Running the benchmarks (preset $PRESET) on $BENCH_DB"
cd "$REPO_DIR"
ADDONS_PATH="$ADDONS_PATH" ODOO_PATH="$ODOO_PATH" "$VENV/bin/python" bench/run_all.py "${args[@]}"
