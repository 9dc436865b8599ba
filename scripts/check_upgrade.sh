#!/usr/bin/env bash
# Upgrade and uninstall safety, on a database that has the
# three addons installed with demo data (e.g. the test database after pytest):
#   1. counts the rows of every model of our addons and our xml ids,
#   2. upgrades the addons (-u) and checks nothing was lost,
#   3. uninstalls service_audit, equipment_care, service_training, service_quality in that
#      order (button_immediate_uninstall) and checks each is really gone.
# Prints PASSED/FAILED lines and a closing line like pytest's:
# "N passed, N failed". Exits non-zero on any failure.
#
#   bash scripts/check_upgrade.sh DB
#   IN_PLACE=1   work on DB itself (default: on a copy DB_upgcheck, dropped after)
source "$(dirname "$0")/common.sh"

SOURCE_DB="${1:-${CHECK_DB:-}}"
[ -n "$SOURCE_DB" ] || die "usage: scripts/check_upgrade.sh <database with the addons>"

check_odoo
ensure_venv
ensure_postgres
db_exists "$SOURCE_DB" || die "Database $SOURCE_DB does not exist."

DB="$SOURCE_DB"
if [ -z "${IN_PLACE:-}" ]; then
    DB="${SOURCE_DB}_upgcheck"
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    say "Copying $SOURCE_DB to $DB"
    createdb -T "$SOURCE_DB" "$DB" || die "Cannot copy $SOURCE_DB (is a server still connected to it?)."
    src_fs="$HOME/.local/share/Odoo/filestore/$SOURCE_DB"
    if [ -d "$src_fs" ]; then
        mkdir -p "$HOME/.local/share/Odoo/filestore"
        cp -a "$src_fs" "$HOME/.local/share/Odoo/filestore/$DB"
    fi
fi
WORK="$(mktemp -d)"
cleanup() {
    rm -rf "$WORK"
    if [ -z "${IN_PLACE:-}" ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
        rm -rf "$HOME/.local/share/Odoo/filestore/$DB"
    fi
}
trap cleanup EXIT

passed=0
failed=0
tally() {  # tally <output file>: add the CHECK-RESULT figures, echo the checks
    grep -E "^(PASSED|FAILED) " "$1" || true
    local p f
    read -r p f < <(grep -E "^CHECK-RESULT " "$1" | awk '{print $2, $3}' | tail -1)
    if [ -z "${p:-}" ]; then
        echo "FAILED $2: the check script crashed"
        tail -30 "$1"
        failed=$((failed + 1))
    else
        passed=$((passed + p))
        failed=$((failed + f))
    fi
}
PY=("$VENV/bin/python" "$REPO_DIR/scripts/check_upgrade.py")
export ADDONS_PATH ODOO_PATH
start=$(date +%s)

say "Counting the records of our addons in $DB"
"${PY[@]}" count --db "$DB" --out "$WORK/before.json" >"$WORK/count.out" 2>&1 || true
tally "$WORK/count.out" "count"

say "Upgrading $ADDONS (-u)"
if odoo_bin -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn >"$WORK/upgrade.log" 2>&1 \
    && ! grep -qE " (ERROR|CRITICAL) " "$WORK/upgrade.log"; then
    echo "PASSED -u $ADDONS without error"
    passed=$((passed + 1))
else
    echo "FAILED -u $ADDONS:"
    grep -E -A5 " (ERROR|CRITICAL) " "$WORK/upgrade.log" | head -40 || tail -30 "$WORK/upgrade.log"
    failed=$((failed + 1))
fi

say "Comparing the counts"
"${PY[@]}" compare --db "$DB" --before "$WORK/before.json" >"$WORK/compare.out" 2>&1 || true
tally "$WORK/compare.out" "compare"

say "Uninstalling our addons one by one (see UNINSTALL_ORDER in check_upgrade.py)"
"${PY[@]}" uninstall --db "$DB" >"$WORK/uninstall.out" 2>&1 || true
tally "$WORK/uninstall.out" "uninstall"
# Odoo tries to delete every record an addon created and keeps, with a
# logged "bad query", the ones other installed modules still reference by a
# foreign key (a demo spare part with done stock moves, a demo tool with
# maintenance requests). Those are expected; any other error is not.
python3 - "$WORK/uninstall.out" >"$WORK/uninstall_errors.out" <<'PYEOF'
import sys

lines = open(sys.argv[1], errors="replace").readlines()
for index, line in enumerate(lines):
    if " ERROR " not in line and " CRITICAL " not in line:
        continue
    following = "".join(lines[index + 1 : index + 4])
    if "odoo.sql_db: bad query" in line and "violates foreign key constraint" in following:
        continue
    print(line.rstrip())
    print(following.rstrip())
PYEOF
if [ -s "$WORK/uninstall_errors.out" ]; then
    echo "FAILED uninstall logged errors:"
    head -40 "$WORK/uninstall_errors.out"
    failed=$((failed + 1))
else
    echo "PASSED uninstall logged no error other than records kept for foreign keys"
    passed=$((passed + 1))
fi

echo "===== $passed passed, $failed failed in $(( $(date +%s) - start ))s (upgrade/uninstall check) ====="
[ "$failed" -eq 0 ]
