#!/usr/bin/env bash
# The tests through Odoo's own runner instead of pytest: a fresh database,
# the addons and the test-only addon test_service_suite installed with
# --test-enable, every test tagged for them run by odoo-bin (--test-tags),
# the database dropped. Non-zero when a test fails or errors.
#
#   TEST_DB=name     database to use (default: sq_odoo_test_<pid>)
#   KEEP_DB=1        keep the database afterwards
#   HTTP_PORT=8169   port of the test HTTP server (browser tests)
#   TEST_TAGS=spec   --test-tags (default: every addon of ADDONS and the test addon, e.g.
#                    TEST_TAGS=/service_quality:TestSlaCron for one class)
source "$(dirname "$0")/common.sh"

TEST_DB="${TEST_DB:-sq_odoo_test_$$}"
HTTP_PORT="${HTTP_PORT:-8169}"
DEFAULT_TAGS="/${ADDONS//,/,/},/$TEST_ADDONS"
TEST_TAGS="${TEST_TAGS:-$DEFAULT_TAGS}"
LOG="${TEST_LOG:-$REPO_DIR/.test-odoo-bin.log}"

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

dropdb --if-exists "$TEST_DB" >/dev/null 2>&1 || true
say "Installing $ADDONS,$TEST_ADDONS into $TEST_DB and running the tests tagged $TEST_TAGS"
set +e
odoo_bin -d "$TEST_DB" -i "$ADDONS,$TEST_ADDONS" --load-language=en_US,zh_CN \
    --test-enable --test-tags="$TEST_TAGS" \
    --http-port="$HTTP_PORT" --stop-after-init --log-level=test >"$LOG" 2>&1
rc=$?
set -e
grep -E "odoo.tests.result: |tests? .*(failed|error)" "$LOG" | tail -5
if [ "$rc" -ne 0 ] || grep -Eq "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$LOG"; then
    grep -E -A20 "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$LOG" | head -80
    die "Tests failed under odoo-bin (full log: $LOG)."
fi
grep -q "odoo.tests.stats" "$LOG" || die "odoo-bin ran no test (full log: $LOG)."
say "All tests passed under odoo-bin."
