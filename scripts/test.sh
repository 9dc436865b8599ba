#!/usr/bin/env bash
# The test command: a fresh database built as make run builds it (the
# addons with their demo data, English and zh_CN) plus the test-only addon
# test_service_suite, every test under addons/*/tests run with pytest-odoo,
# pytest's summary printed, the database dropped. Non-zero on any failure or
# on any skipped test.
#
#   TEST_DB=name    database to use (default: sq_test_<pid>)
#   KEEP_DB=1       keep the database afterwards (for a quick re-run)
#   REUSE_DB=1      reuse an existing TEST_DB: upgrade the addons, don't recreate
#   HTTP_PORT=8169  port of the test HTTP server (browser tests)
#   SKIP_SCALE=1    leave out the proof-at-scale checks run after pytest
#                   (they also run only when no pytest argument is given)
#   extra args      passed to pytest (e.g. a test path or -k expression)
source "$(dirname "$0")/common.sh"

TEST_DB="${TEST_DB:-sq_test_$$}"
HTTP_PORT="${HTTP_PORT:-8169}"
LOG="${TEST_LOG:-$REPO_DIR/.test-install.log}"

check_odoo
ensure_venv
ensure_postgres

cleanup() {
    if [ -z "${KEEP_DB:-}" ]; then
        dropdb --if-exists "$TEST_DB" >/dev/null 2>&1 || true
        rm -rf "$HOME/.local/share/Odoo/filestore/$TEST_DB"
    fi
}
trap cleanup EXIT

if [ -n "${REUSE_DB:-}" ] && db_exists "$TEST_DB"; then
    say "Upgrading $ADDONS,$TEST_ADDONS in $TEST_DB"
    odoo_bin -d "$TEST_DB" -u "$ADDONS,$TEST_ADDONS" --stop-after-init --log-level=warn >"$LOG" 2>&1 \
        || { tail -50 "$LOG"; die "Upgrading the addons failed (full log: $LOG)."; }
else
    dropdb --if-exists "$TEST_DB" >/dev/null 2>&1 || true
    say "Installing $ADDONS,$TEST_ADDONS with demo data into $TEST_DB"
    create_database "$TEST_DB" "$TEST_ADDONS" --log-level=warn >"$LOG" 2>&1 \
        || { tail -50 "$LOG"; die "Installing the addons failed (full log: $LOG)."; }
fi
if grep -E "ERROR|CRITICAL" "$LOG" >/dev/null; then
    grep -E -A5 "ERROR|CRITICAL" "$LOG" | head -60
    die "Installing the addons logged errors (full log: $LOG)."
fi

paths=("$@")
if [ ${#paths[@]} -eq 0 ]; then
    paths=("$REPO_DIR"/addons/*/tests)
fi

say "Running pytest"
cd "$REPO_DIR"
set +e
"$VENV/bin/python" -m pytest -p no:cacheprovider -rs \
    --odoo-database="$TEST_DB" \
    --odoo-config="$REPO_DIR/odoo.conf" \
    --odoo-addons-path="$ADDONS_PATH" \
    --odoo-log-level=warn \
    --odoo-extra="http-port=$HTTP_PORT" \
    --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" \
    --odoo-extra="db_user=$PGUSER" --odoo-extra="db_password=$PGPASSWORD" \
    "${paths[@]}" 2>&1 | tee "$REPO_DIR/.test-output.log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -eq 5 ]; then
    die "pytest collected no test."
fi
if [ "$rc" -ne 0 ]; then
    die "Tests failed (pytest exit code $rc)."
fi
if grep -Eq "^SKIPPED|[0-9]+ skipped" "$REPO_DIR/.test-output.log"; then
    die "Some tests were skipped (see the summary above): a skipped test proves nothing."
fi
if [ -z "${SKIP_SCALE:-}" ] && [ $# -eq 0 ]; then
    # Proof at scale on the same database, before it is dropped: every
    # benchmark at the ci preset, the load test (multi-worker Odoo on a
    # loopback port, 4 clients x 40 orders) and the upgrade/uninstall check.
    say "Proof at scale: benchmarks (ci preset), load test, upgrade and uninstall"
    LOAD_PORT="${LOAD_PORT:-8270}" bash "$REPO_DIR/scripts/scale_checks.sh" "$TEST_DB" \
        || die "Scale checks failed (benchmarks, load test or upgrade/uninstall)."
fi
say "All tests passed."
