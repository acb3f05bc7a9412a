#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-hub on 127.0.0.1 port 0: good, repeated and conflicting batches,
# and every kind of bad input gets the right status, stores nothing and
# leaves the hub serving.
# usage: hub-upload.sh CAMPO_HUB MAKE_BATCH FORMS_DIR
hub=$1 mk=$2 forms=$3
command -v curl >/dev/null 2>&1 || { echo "curl not installed: skip"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/campo-hub-test.XXXXXX") || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

db=$dir/hub.db
form=quilicura_census
ver=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$forms/quilicura-census.json" | head -n 1)
B1=11111111-1111-4111-8111-000000000001
B2=11111111-1111-4111-8111-000000000002
B3=11111111-1111-4111-8111-000000000003

token=$("$hub" device add tablet-1 --db "$db") || { echo "device add failed"; exit 1; }
old=$("$hub" device add tablet-2 --db "$db") || exit 1
"$hub" device revoke tablet-2 --db "$db" || fail "revoke"
"$hub" device list --db "$db" | grep -q "tablet-2.*revoked" || fail "device list shows the revoked device"
sqlite3 "$db" "SELECT count(*) FROM devices WHERE hex(token_hash) LIKE '%$token%'" | grep -qx 0 || fail "token stored in clear"

"$hub" serve --db "$db" --listen 127.0.0.1:0 --forms "$forms" \
    >"$dir/out" 2>"$dir/log" &
pid=$!
i=0
while [ ! -s "$dir/out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
addr=$(head -n 1 "$dir/out")
[ -n "$addr" ] || { echo "hub did not start"; cat "$dir/log"; exit 1; }
url=http://$addr/api/v1

# put FILE BATCH_ID [TOKEN]: prints the HTTP status, the body in $dir/body
put() {
    curl -s -o "$dir/body" -w '%{http_code}' -X PUT \
        -H "Authorization: Bearer ${3-$token}" \
        -H 'Content-Type: application/vnd.campo.batch+json' \
        --data-binary "@$1" "$url/batches/$2"
}
expect() { # WHAT WANT GOT
    [ "$2" = "$3" ] || { fail "$1: want $2, got $3: $(cat "$dir/body")"; }
}
revisions() { sqlite3 "$db" 'SELECT count(*) FROM revisions'; }
batches() { sqlite3 "$db" 'SELECT count(*) FROM batches'; }

expect health 200 "$(curl -s -o "$dir/body" -w '%{http_code}' "$url/health")"

"$mk" "$dir/b1.gz" $B1 $form "$ver" 10 0 || exit 1
"$mk" "$dir/b2.gz" $B2 $form "$ver" 10 5 || exit 1     # 5 seen, 5 new
"$mk" "$dir/b3.gz" $B3 $form "$ver" 2 0 1 || exit 1    # other content
"$mk" "$dir/b1-other.gz" $B1 $form "$ver" 3 100 || exit 1
"$mk" "$dir/unknown-form.gz" $B3 $form 1999 2 200 || exit 1

expect "good upload" 201 "$(put "$dir/b1.gz" $B1)"
grep -q '"new":\["uuid:00000000' "$dir/body" || fail "ack lists new: $(cat "$dir/body")"
grep -q '"messages":\[\]' "$dir/body" || fail "ack has messages"
cp "$dir/body" "$dir/ack1"
[ "$(revisions)" = 10 ] || fail "10 revisions after the first batch"
expect "same batch again" 200 "$(put "$dir/b1.gz" $B1)"
cmp -s "$dir/body" "$dir/ack1" || fail "repeat gets the stored acknowledgement"
expect "same batch id, other content" 409 "$(put "$dir/b1-other.gz" $B1)"
expect "overlapping batch" 201 "$(put "$dir/b2.gz" $B2)"
grep -q '"duplicate":\["uuid:00000005' "$dir/body" || fail "duplicates listed: $(cat "$dir/body")"
[ "$(revisions)" = 15 ] || fail "15 revisions, got $(revisions)"
expect "conflicting interviews" 201 "$(put "$dir/b3.gz" $B3)"
grep -q '"conflict":\["uuid:00000000' "$dir/body" || fail "conflicts listed: $(cat "$dir/body")"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM conflicts')" = 2 ] || fail "2 conflicts recorded"
[ "$(revisions)" = 17 ] || fail "conflicting revisions kept, got $(revisions)"

n_rev=$(revisions) n_batch=$(batches)
B9=11111111-1111-4111-8111-000000000009
"$mk" "$dir/b9.gz" $B9 $form "$ver" 1 300 || exit 1
expect "no token" 401 "$(curl -s -o "$dir/body" -w '%{http_code}' -X PUT --data-binary "@$dir/b9.gz" "$url/batches/$B9")"
expect "wrong token" 401 "$(put "$dir/b9.gz" $B9 0000000000000000000000000000000000000000000000000000000000000000)"
expect "revoked token" 401 "$(put "$dir/b9.gz" $B9 "$old")"
head -c 100 "$dir/b1.gz" >"$dir/truncated.gz"
expect "truncated gzip" 400 "$(put "$dir/truncated.gz" $B9)"
head -c 10000000 /dev/zero | gzip -9 >"$dir/bomb.gz"
expect "gzip bomb" 400 "$(put "$dir/bomb.gz" $B9)"
grep -q 'inflate ratio' "$dir/body" || fail "bomb reason: $(cat "$dir/body")"
printf '{"format":"campo-batch/1",' | gzip >"$dir/invalid.gz"
expect "invalid JSON" 400 "$(put "$dir/invalid.gz" $B9)"
printf '{"format":"campo-batch/1","batch_id":"%s","oops":1}' $B9 | gzip >"$dir/schema.gz"
expect "wrong schema" 400 "$(put "$dir/schema.gz" $B9)"
head -c 9000000 /dev/urandom >"$dir/big.gz"
expect "oversized body" 413 "$(put "$dir/big.gz" $B9)"
expect "oversized chunked body" 413 "$(curl -s -o "$dir/body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" -H 'Transfer-Encoding: chunked' --data-binary "@$dir/big.gz" "$url/batches/$B9")"
expect "path id differs" 400 "$(put "$dir/b9.gz" $B1)"
expect "unknown form version" 422 "$(put "$dir/unknown-form.gz" $B3)"
[ "$(revisions)" = "$n_rev" ] || fail "bad input stored revisions"
[ "$(batches)" = "$n_batch" ] || fail "bad input stored batches"
expect "still serving" 201 "$(put "$dir/b9.gz" $B9)"

# USB import takes the same path: a duplicate of what was uploaded
"$hub" import --db "$db" --forms "$forms" "$dir/b9.gz" >"$dir/imp" 2>&1 || fail "import: $(cat "$dir/imp")"
grep -q ': 200 ' "$dir/imp" || fail "import of an uploaded batch is a repeat: $(cat "$dir/imp")"
B10=11111111-1111-4111-8111-000000000010
"$mk" "$dir/b10.gz" $B10 $form "$ver" 3 400 || exit 1
"$hub" import --db "$db" --forms "$forms" "$dir/b10.gz" >"$dir/imp" 2>&1 || fail "import new: $(cat "$dir/imp")"
expect "upload after import" 200 "$(put "$dir/b10.gz" $B10)"

[ "$(wc -l <"$dir/log")" -ge 15 ] || fail "one log line per request"
if [ $fails -ne 0 ]; then
    echo "--- hub log"; cat "$dir/log"
    exit 1
fi
echo "ok"
