#!/bin/sh
# SPDX-License-Identifier: MIT
# Returning an interview, end to end (issue 6): a device syncs a finalized
# interview; `campo-hub return` queues it for that device; campo-syncd
# --once fetches the message and the collector shows it returned with the
# note; the enumerator corrects it (revise-finalize: the session commands
# the terminal runs) and it syncs again; the hub has the new revision
# naming the old one, and the report moves returned 1 to resubmitted 1.
# usage: return-e2e.sh CAMPO_COLLECTOR CAMPO_HUB CAMPO_SYNCD ROSTER_FORM
#        REVISE_FINALIZE
collector=$1 hub=$2 syncd=$3 roster=$4 revise=$5
. "$(dirname "$0")/syncd-lib.sh"

old=uuid:aaaaaaaa-1111-4111-8111-000000000001
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

# --- the device receives it
"$syncd" --once --config "$dir/a.conf" 2>>"$dir/syncd-a.log" || fail "second sync"
"$collector" show --db "$dir/a.db" "$old" >"$dir/show" 2>&1 || fail "show $old"
grep -q '^status *returned$' "$dir/show" || fail "returned on the device: $(cat "$dir/show")"
grep -qF "returned_note  $note" "$dir/show" || fail "the note on the device: $(cat "$dir/show")"

# --- the enumerator corrects it; it syncs again
new=$("$revise" "$dir/a.db" "$roster" "$old" 'household/member[2]/age' 41 2>>"$dir/revise.log") || fail "revise and finalize: $(cat "$dir/revise.log")"
[ -n "$new" ] && [ "$new" != "$old" ] || fail "a new instance id, got '$new'"
"$syncd" --once --config "$dir/a.conf" 2>>"$dir/syncd-a.log" || fail "third sync"
[ "$(at_hub)" = "3 3 0" ] || fail "hub has the new revision, got $(at_hub)"
[ "$(hub_sql "SELECT deprecated_id FROM revisions WHERE instance_id = '$new'")" = "$old" ] || fail "the new revision names $old"
[ "$(status_count returned)" = 0 ] || fail "report: returned 0 after the correction, got '$(status_count returned)'"
[ "$(status_count resubmitted)" = 1 ] || fail "report: resubmitted 1, got '$(status_count resubmitted)'"
[ "$(status_count received)" = 1 ] || fail "report: the other one received, got '$(status_count received)'"
# a replaced revision cannot be returned: its latest must be
"$hub" return "$old" --note again --db "$dir/hub.db" 2>"$dir/out" && fail "returning a corrected revision is refused"
finish
