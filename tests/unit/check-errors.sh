#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-collector check: exit 1 with every error of a multi-error form, one a
# line on stderr; exit 0 with a summary for a good form; exit 2 for usage.
# usage: check-errors.sh CAMPO_COLLECTOR TESTS_DATA_DIR
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

cd "$data/forms" || exit 1

"$exe" check multi-error.json >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "multi-error form: exit $rc, want 1"
[ -s "$tmp/out" ] && fail "multi-error form: wrote to stdout"
if ! diff -u multi-error.expected "$tmp/err"; then
    fail "multi-error form: errors differ from multi-error.expected"
fi

"$exe" check good/small.json >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || fail "good form: exit $rc, want 0"
[ -s "$tmp/err" ] && fail "good form: wrote to stderr: $(cat "$tmp/err")"
grep -q '^good/small.json: ok$' "$tmp/out" || fail "good form: no 'ok' line"
grep -q 'member > trip' "$tmp/out" || fail "good form: nested repeat not shown"

# one bad form among good ones: exit 1, the good one still summarised
"$exe" check good/small.json bad/calc-cycle.json >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "mixed forms: exit $rc, want 1"
grep -q '^good/small.json: ok$' "$tmp/out" || fail "mixed forms: no summary"
grep -q '^bad/calc-cycle.json: fields\[1\].calculation: ' "$tmp/err" ||
    fail "mixed forms: no cycle error"

"$exe" check >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "no forms: exit $rc, want 2"
"$exe" check --frobnicate good/small.json >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "unknown option: exit $rc, want 2"
"$exe" check missing.json >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "missing file: exit $rc, want 1"
grep -q '^missing.json: cannot open' "$tmp/err" || fail "missing file: $(cat "$tmp/err")"
exit $status
