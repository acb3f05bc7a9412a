#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-collector run refuses, before taking the terminal, a form it cannot
# load: every error on stderr, exit 1, and a hint when the bundled forms are
# not installed; no database is created.
# usage: run-errors.sh CAMPO_COLLECTOR TESTS_DATA_DIR
exe=$1
data=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

"$exe" run --db "$tmp/a.db" --form "$data/forms/multi-error.json" \
    </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "bad form: exit $rc, want 1"
# the same errors check prints, each behind the program's name
sed 's/^/campo-collector: /' "$data/forms/multi-error.expected" \
    | sed "s|campo-collector: multi-error.json|campo-collector: $data/forms/multi-error.json|" \
    >"$tmp/want"
diff -u "$tmp/want" "$tmp/err" || fail "bad form: errors differ"
[ -e "$tmp/a.db" ] && fail "bad form: a database was created"

CAMPO_FORMS_DIR="$tmp/none" "$exe" run --db "$tmp/b.db" </dev/null \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "no bundled forms: exit $rc, want 1"
grep -q "give --form FILE" "$tmp/err" || fail "no hint: $(cat "$tmp/err")"
exit $status
