#!/bin/sh
# SPDX-License-Identifier: MIT
# Returning an interview, end to end (issue 6): a device syncs a finalized
# interview; `campo-hub return` queues it for that device; campo-syncd
# --once fetches the message and the collector shows it returned with the
# note; the enumerator corrects it (revise-finalize: the session commands
# the terminal runs) and it syncs again; the hub has the new revision
# naming the old one, and the report moves returned 1 to resubmitted 1.
# The page's Return form: only a signed-in session with its form token.
# usage: return-e2e.sh CAMPO_COLLECTOR CAMPO_HUB CAMPO_SYNCD ROSTER_FORM
#        REVISE_FINALIZE
collector=$1 hub=$2 syncd=$3 roster=$4 revise=$5
. "$(dirname "$0")/syncd-lib.sh"

command -v curl >/dev/null 2>&1 || { echo "curl not installed: skip"; exit 77; }
old=uuid:aaaaaaaa-1111-4111-8111-000000000001
two=uuid:aaaaaaaa-1111-4111-8111-000000000002
note='Falta la edad de Berta, "por favor"'
# status_count STATUS: the report's by_status count of STATUS (CSV)
status_count() {
    "$hub" report --db "$dir/hub.db" --format csv |
        awk -F, -v s="$1" '$1 == "by_status" && $2 == s { print $4 }'
}

device "$dir/a.db" aaaaaaaa 1 2
token tablet-a
token tablet-b
hub_start || { fail "hub did not start"; finish; }
conf "$dir/a.conf" "http://$hub_addr" "$dir/tablet-a.token" "$dir/a.db"
"$syncd" --once --config "$dir/a.conf" 2>>"$dir/syncd-a.log" || fail "first sync"
[ "$(at_hub)" = "2 2 0" ] || fail "hub has 2 interviews, got $(at_hub)"

# --- the supervisor returns one; twice is one message; unknown ids refused
"$hub" return "$old" --note "$note" --db "$dir/hub.db" >"$dir/return.out" 2>>"$dir/hub-cli.log" || fail "campo-hub return"
"$hub" return "$old" --note "$note" --db "$dir/hub.db" >>"$dir/return.out" 2>>"$dir/hub-cli.log" || fail "campo-hub return again"
[ "$(hub_sql "SELECT count(*) FROM messages WHERE instance_id = '$old' AND device = 'tablet-a'")" = 1 ] || fail "one message for tablet-a: $(hub_sql 'SELECT * FROM messages')"
"$hub" return uuid:00000000-0000-4000-8000-000000000000 --note x --db "$dir/hub.db" 2>"$dir/out"; rc=$?
[ $rc = 3 ] || fail "an unknown interview exits 3, got $rc: $(cat "$dir/out")"
[ "$(status_count returned)" = 1 ] || fail "report: returned 1, got '$(status_count returned)'"
"$hub" return "$old" --note "$(printf 'bad \377')" --db "$dir/hub.db" 2>/dev/null && fail "a note that is not UTF-8 is refused"

# --- GET /api/v1/messages: only with a token, only this device's
curl -s -o /dev/null -w '%{http_code}' "http://$hub_addr/api/v1/messages?after=0" >"$dir/code"
[ "$(cat "$dir/code")" = 401 ] || fail "messages without a token: 401, got $(cat "$dir/code")"
curl -s -H "Authorization: Bearer $(cat "$dir/tablet-b.token")" "http://$hub_addr/api/v1/messages?after=0" >"$dir/b.json"
[ "$(cat "$dir/b.json")" = '{"format":"campo-messages/1","messages":[]}' ] || fail "tablet-b has no messages: $(cat "$dir/b.json")"
curl -s -H "Authorization: Bearer $(cat "$dir/tablet-a.token")" "http://$hub_addr/api/v1/messages?after=0" >"$dir/a.json"
grep -q '^{"format":"campo-messages/1","messages":\[{"seq":1,"type":"return","instance_id":"'"$old"'","note":"Falta la edad de Berta, \\"por favor\\"","at":"20[0-9-]*T[0-9:]*\.[0-9]\{3\}Z"}\]}$' "$dir/a.json" || fail "tablet-a's message: $(cat "$dir/a.json")"
curl -s -H "Authorization: Bearer $(cat "$dir/tablet-a.token")" "http://$hub_addr/api/v1/messages?after=1" >"$dir/a1.json"
[ "$(cat "$dir/a1.json")" = '{"format":"campo-messages/1","messages":[]}' ] || fail "nothing after seq 1: $(cat "$dir/a1.json")"
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$dir/tablet-a.token")" "http://$hub_addr/api/v1/messages?after=-1" >"$dir/code"
[ "$(cat "$dir/code")" = 400 ] || fail "after=-1: 400, got $(cat "$dir/code")"

# --- the page: a Return form per recent interview, for a session only
pass=correct-horse-battery
echo "$pass" >"$dir/pw"
"$hub" supervisor add ana --db "$dir/hub.db" --password-file "$dir/pw" 2>>"$dir/hub-cli.log" || fail "supervisor add"
base="http://$hub_addr"
post() { curl -s -D "$dir/h" -o "$dir/body" -w '%{http_code}' "$@"; }
[ "$(post "$base/signin" --data-urlencode name=ana --data-urlencode "password=$pass" -c "$dir/jar")" = 303 ] || fail "sign in"
curl -s -b "$dir/jar" "$base/" >"$dir/page.html"
grep -q "<tr data-interview=\"$two\">" "$dir/page.html" || fail "the page lists $two"
grep -q '<form class="return" method="post" action="/return"><input type="hidden" name="id" value="'"$two"'">' "$dir/page.html" || fail "a Return form for $two"
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]\{64\}\)".*/\1/p' "$dir/page.html" | head -n 1)
[ -n "$csrf" ] || fail "the form carries a token"
curl -s -u "ana:$pass" "$base/" | grep -q 'action="/return"' && fail "no Return form with HTTP Basic (no session, no token)"
[ "$(post "$base/return" -b "$dir/jar" --data-urlencode "id=$two" -d note=x)" = 403 ] || fail "no token: 403"
[ "$(post "$base/return" -b "$dir/jar" --data-urlencode "id=$two" -d note=x -d "csrf=$(echo "$csrf" | tr 0-9a-f 1-9a-f0)")" = 403 ] || fail "a wrong token: 403"
[ "$(post "$base/return" -u "ana:$pass" --data-urlencode "id=$two" -d note=x -d "csrf=$csrf")" = 303 ] && tr -d '\r' <"$dir/h" | grep -qix 'Location: /signin' || fail "Basic only: sent to sign in"
[ "$(post "$base/return" -b "$dir/jar" -H "Origin: http://evil.example" --data-urlencode "id=$two" -d note=x -d "csrf=$csrf")" = 403 ] || fail "another site's form: 403"
[ "$(hub_sql "SELECT count(*) FROM messages WHERE instance_id = '$two'")" = 0 ] || fail "refused forms queue nothing"
[ "$(post "$base/return" -b "$dir/jar" --data-urlencode "id=uuid:00000000-0000-4000-8000-000000000000" -d note=x -d "csrf=$csrf")" = 404 ] || fail "an unknown interview: 404"
[ "$(post "$base/return" -b "$dir/jar" --data-urlencode "id=$two" --data-urlencode "note=¿Dirección?" -d "csrf=$csrf")" = 303 ] || fail "return from the page: 303"
tr -d '\r' <"$dir/h" | grep -qx 'Location: /' || fail "back to the page"
[ "$(hub_sql "SELECT device || '|' || note || '|' || supervisor FROM messages WHERE instance_id = '$two'")" = "tablet-a|¿Dirección?|ana" ] || fail "the page's return queued: $(hub_sql 'SELECT * FROM messages')"
curl -s -b "$dir/jar" "$base/" | grep -q 'class="warn returned">returned' || fail "the page marks it returned"
[ "$(status_count returned)" = 2 ] || fail "report: returned 2, got '$(status_count returned)'"

# --- the device receives both
"$syncd" --once --config "$dir/a.conf" 2>>"$dir/syncd-a.log" || fail "second sync"
"$collector" show --db "$dir/a.db" "$old" >"$dir/show" 2>&1 || fail "show $old"
grep -q '^status *returned$' "$dir/show" || fail "returned on the device: $(cat "$dir/show")"
grep -qF "returned_note  $note" "$dir/show" || fail "the note on the device: $(cat "$dir/show")"
"$collector" show --db "$dir/a.db" "$two" | grep -qF 'returned_note  ¿Dirección?' || fail "the page's note on the device"

# --- the enumerator corrects it; it syncs again
new=$("$revise" "$dir/a.db" "$roster" "$old" 'household/member[2]/age' 41 2>>"$dir/revise.log") || fail "revise and finalize: $(cat "$dir/revise.log")"
[ -n "$new" ] && [ "$new" != "$old" ] || fail "a new instance id, got '$new'"
"$syncd" --once --config "$dir/a.conf" 2>>"$dir/syncd-a.log" || fail "third sync"
[ "$(at_hub)" = "3 3 0" ] || fail "hub has the new revision, got $(at_hub)"
[ "$(hub_sql "SELECT deprecated_id FROM revisions WHERE instance_id = '$new'")" = "$old" ] || fail "the new revision names $old"
[ "$(status_count returned)" = 1 ] || fail "report: returned 1 (the page's) after the correction, got '$(status_count returned)'"
[ "$(status_count resubmitted)" = 1 ] || fail "report: resubmitted 1, got '$(status_count resubmitted)'"
[ "$(status_count received)" = 0 ] || fail "report: none merely received, got '$(status_count received)'"
# a replaced revision cannot be returned: its latest must be
"$hub" return "$old" --note again --db "$dir/hub.db" 2>"$dir/out" && fail "returning a corrected revision is refused"
finish
