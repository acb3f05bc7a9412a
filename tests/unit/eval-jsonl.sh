#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-collector eval --jsonl and eval EXPR through the real binary: one
# result line per case line, errors as {"id", "error"}, exit codes.
collector=$1
tmp=${TMPDIR:-/tmp}/campo-eval-jsonl-$$
mkdir -p "$tmp" || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0

cat > "$tmp/in" <<'IN'
{"id": "sum", "expr": "sum(${m_age}) + 1", "fields": {}, "repeats": {"member": [{"m_age": "3"}, {"m_age": ""}, {"m_age": "4"}]}}

{"id": "ctx", "expr": "if(position(..) = 2, ${name}, 'no')", "fields": {}, "repeats": {"member": [{"name": "Ama"}, {"name": "Kofi \"K\""}]}, "context": {"repeat": "member", "index": 2, "field": "name"}}
{"id": "choice", "expr": "region = ${r}", "fields": {"r": "GA"}, "choice": {"name": "accra", "label": "Accra", "region": "GA"}}
{"id": 7, "expr": "lenght('x')", "fields": {}}
{"id": "date", "expr": "date('2021-02-29')", "fields": {}}
not json
IN
cat > "$tmp/want" <<'WANT'
{"id": "sum", "value": "8", "boolean": true}
{"id": "ctx", "value": "Kofi \"K\"", "boolean": true}
{"id": "choice", "value": "true", "boolean": true}
{"id": 7, "error": "unknown function 'lenght' at column 1"}
{"id": "date", "error": "impossible date '2021-02-29'"}
{"id": null, "error": "line 7: not valid JSON"}
WANT
"$collector" eval --jsonl < "$tmp/in" > "$tmp/got"
rc=$?
if [ "$rc" != 1 ]; then
    echo "eval --jsonl with a bad line: exit $rc, want 1"
    status=1
fi
if ! diff -u "$tmp/want" "$tmp/got"; then
    status=1
fi

got=$("$collector" eval 'concat(${a}, "/", ${b} * 2)' a=x b=1,5)
if [ "$got" != "x/3" ]; then
    echo "eval EXPR NAME=VALUE: got '$got', want 'x/3'"
    status=1
fi
if "$collector" eval '1 +' 2> "$tmp/err"; then
    echo "eval '1 +' succeeded"
    status=1
fi
if ! grep -q "unexpected end of expression at column 4" "$tmp/err"; then
    echo "eval '1 +': unexpected message: $(cat "$tmp/err")"
    status=1
fi
exit $status
