#!/bin/sh
# SPDX-License-Identifier: MIT
# Each third-party library has one home (docs/architecture.md); fail when
# another folder includes it, and when a lower layer includes a higher one.
root=${1:-.}
cd "$root" || exit 2
status=0

# pattern|folders allowed to include it (grep -E on the path)
rules='
sqlite3\.h|^lib/store/|^tests/unit/test-store\.c
curl/|^syncd/
curses\.h|^collector/tui/
microhttpd\.h|^hub/
zlib\.h|^lib/wire/
pcre2\.h|^lib/form/
cjson/|^lib/(form|wire|store|report)/|^tests/
'
files=$(find lib collector syncd hub tests bench -name '*.[ch]' 2>/dev/null)
echo "$rules" | while IFS='|' read -r pat home; do
    [ -n "$pat" ] || continue
    for f in $files; do
        if grep -Eq "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pat)" "$f"; then
            if ! echo "$f" | grep -Eq "$home"; then
                echo "$f: includes '$pat' outside its home ($home)"
                echo x >> "${TMPDIR:-/tmp}/campo-lint-$$"
            fi
        fi
    done
done
# layering: util <- form <- store, wire <- report <- programs
layer_check() {
    dir=$1; shift
    for f in $(find "$dir" -name '*.[ch]' 2>/dev/null); do
        for up in "$@"; do
            if grep -Eq "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"$up/" "$f"; then
                echo "$f: includes $up/, a higher layer"
                echo x >> "${TMPDIR:-/tmp}/campo-lint-$$"
            fi
        done
    done
}
layer_check lib/util form store wire report
layer_check lib/form store wire report
layer_check lib/store wire report
layer_check lib/wire store report
if [ -e "${TMPDIR:-/tmp}/campo-lint-$$" ]; then
    rm -f "${TMPDIR:-/tmp}/campo-lint-$$"
    status=1
fi
exit $status
