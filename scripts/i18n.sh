#!/usr/bin/env bash
# Regenerate each addon's i18n/<addon>.pot from a database that has the
# three addons installed, and merge it into i18n/zh_CN.po (existing
# translations kept, obsolete entries dropped). Prints the number of
# untranslated entries left per addon.
#   DB=name bash scripts/i18n.sh [addon ...]
source "$(dirname "$0")/common.sh"
DB="${DB:?set DB to a database with the addons installed}"
check_odoo
command -v msgmerge >/dev/null || die "msgmerge is missing: apt-get install gettext"
addons=("$@")
[ ${#addons[@]} -gt 0 ] || addons=(service_quality service_training equipment_care service_installed_base service_sale service_audit service_parts service_contract)
for addon in "${addons[@]}"; do
    dir="$REPO_DIR/addons/$addon/i18n"
    mkdir -p "$dir"
    say "Exporting $addon.pot"
    odoo_bin -d "$DB" --i18n-export="$dir/$addon.pot" --modules="$addon" \
        --stop-after-init --log-level=warn
    po="$dir/zh_CN.po"
    if [ -f "$po" ]; then
        msguniq --use-first "$po" -o "$po.tmp" && mv "$po.tmp" "$po"
        msgmerge --quiet --no-fuzzy-matching --no-wrap "$po" "$dir/$addon.pot" -o "$po.new"
        msgattrib --no-obsolete --no-wrap "$po.new" -o "$po"
        rm -f "$po.new"
    else
        msginit --no-translator --no-wrap --locale=zh_CN.UTF-8 \
            --input="$dir/$addon.pot" --output-file="$po"
    fi
    sed -i 's/^"Language: .*\\n"$/"Language: zh_CN\\n"/' "$po"
    left=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
    [ "$left" -gt 0 ] && left=$((left - 1))
    echo "$addon: $left untranslated"
done
