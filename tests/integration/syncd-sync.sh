#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-syncd against campo-hub on 127.0.0.1: two devices sync and the
# hub's counts match; the hub down, then up: syncd backs off, then every
# interview arrives once; a USB export imported at the hub, then the same
# batches uploaded: no duplicates. And the refusals: a token argument, an
# http:// hub off loopback.
# usage: syncd-sync.sh CAMPO_COLLECTOR CAMPO_HUB CAMPO_SYNCD ROSTER_FORM
collector=$1 hub=$2 syncd=$3 roster=$4
. "$(dirname "$0")/syncd-lib.sh"

# --- refusals before anything runs
"$syncd" --once --token abc >"$dir/out" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "refusing a token" "$dir/out" || fail "a token argument is refused ($rc): $(cat "$dir/out")"
CAMPO_TOKEN=x "$syncd" --once --hub http://office.example --db "$dir/none.db" >"$dir/out" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "must be https" "$dir/out" || fail "plain http off loopback is refused ($rc): $(cat "$dir/out")"

# --- two devices, a normal sync
device "$dir/a.db" aaaaaaaa 1 30
device "$dir/b.db" bbbbbbbb 1 45
token tablet-a
token tablet-b
hub_start || { fail "hub did not start"; finish; }
conf "$dir/a.conf" "http://$hub_addr" "$dir/tablet-a.token" "$dir/a.db" batch_interviews=10
conf "$dir/b.conf" "http://$hub_addr/" "$dir/tablet-b.token" "$dir/b.db" batch_interviews=100
"$syncd" --once --config "$dir/a.conf" 2>>"$dir/syncd-a.log" || fail "device a: --once"
"$syncd" --once --config "$dir/b.conf" 2>>"$dir/syncd-b.log" || fail "device b: --once"
[ "$(at_hub)" = "75 75 0" ] || fail "hub has 75 interviews once each, got $(at_hub)"
[ "$(hub_sql "SELECT count(*) FROM revisions WHERE instance_id LIKE 'uuid:aaaaaaaa%'")" = 30 ] || fail "30 from device a"
[ "$(hub_sql 'SELECT count(*) FROM batches')" = 4 ] || fail "3 batches from a, 1 from b, got $(hub_sql 'SELECT count(*) FROM batches')"
[ "$(unsent "$dir/a.db")" = "0 0" ] || fail "device a all sent, got $(unsent "$dir/a.db")"
[ "$(unsent "$dir/b.db")" = "0 0" ] || fail "device b all sent, got $(unsent "$dir/b.db")"
[ "$(sent "$dir/b.db")" = 45 ] || fail "device b: 45 marked sent"
[ "$(grep -c 'batch=.*result=ok' "$dir/syncd-a.log")" = 3 ] || fail "one log line per attempt: $(cat "$dir/syncd-a.log")"
grep -q 'interviews=10 bytes=[0-9]* http=201 ms=[0-9.]* result=ok new=10' "$dir/syncd-a.log" || fail "log line fields: $(head -n 1 "$dir/syncd-a.log")"
"$syncd" status --db "$dir/a.db" >"$dir/status" 2>&1 || fail "status"
grep -q '^waiting: 0 interviews' "$dir/status" || fail "status: nothing waiting: $(cat "$dir/status")"
grep -q '^last success: 20' "$dir/status" || fail "status: last success"
grep -q '^last attempt: .*result=ok' "$dir/status" || fail "status: last attempt"
[ "$(sqlite3 "$dir/a.db" "SELECT count(*) FROM settings WHERE key = 'sync.last_success'")" = 1 ] || fail "sync.last_success written"
# nothing waiting: a pass is a no-op and still exits 0
"$syncd" --once --config "$dir/a.conf" 2>>"$dir/syncd-a.log" || fail "empty pass exits 0"
[ "$(hub_sql 'SELECT count(*) FROM batches')" = 4 ] || fail "empty pass sent nothing"

# --- a wrong token: 401, nothing marked, exit 1
device "$dir/a.db" aaaaaaaa 31 33
echo 0000 >"$dir/wrong.token"
conf "$dir/w.conf" "http://$hub_addr" "$dir/wrong.token" "$dir/a.db"
"$syncd" --once --config "$dir/w.conf" 2>>"$dir/syncd-w.log" && fail "wrong token exits 1"
grep -q 'http=401' "$dir/syncd-w.log" || fail "401 logged: $(cat "$dir/syncd-w.log")"
[ "$(unsent "$dir/a.db")" = "3 3" ] || fail "wrong token marks nothing: $(unsent "$dir/a.db")"
"$syncd" status --db "$dir/a.db" | grep -q '^waiting: 3 interviews (3 in a batch' || fail "status shows 3 waiting"

# --- the hub down, then up: backoff, then everything once
hub_stop
device "$dir/b.db" bbbbbbbb 46 60
"$syncd" --config "$dir/b.conf" 2>>"$dir/syncd-down.log" &
spid=$!
pids="$pids $spid"
wait_for 10 sh -c "[ \$(grep -c 'backoff: retry' '$dir/syncd-down.log') -ge 3 ]" || fail "syncd backs off while the hub is down"
grep -q 'result=network' "$dir/syncd-down.log" || fail "failed attempts logged"
[ "$(unsent "$dir/b.db")" = "15 15" ] || fail "nothing marked while down"
hub_start "${hub_addr##*:}" || { fail "hub did not come back on its port"; finish; }
wait_for 15 sh -c "[ \"\$(sqlite3 '$dir/b.db' 'SELECT count(*) FROM outbox WHERE sent_at IS NULL')\" = 0 ]" || fail "syncd delivered after the hub came back"
# a new interview wakes the daemon at once, not after idle_ms (10 min)
device "$dir/b.db" bbbbbbbb 61 61
wait_for 10 sh -c "[ \"\$(sqlite3 '$dir/b.db' 'SELECT count(*) FROM outbox WHERE sent_at IS NULL')\" = 0 ]" || fail "a finalize wakes syncd"
kill -TERM $spid; wait $spid || fail "syncd exits 0 on SIGTERM"
[ "$(at_hub)" = "91 91 0" ] || fail "after the outage: 91 once each, got $(at_hub)"
[ "$(unsent "$dir/b.db")" = "0 0" ] || fail "device b all sent after the outage"
retries=$(grep -c 'backoff: retry' "$dir/syncd-down.log")
echo "hub down: $retries retries logged before it came back"

# --- USB: export, import at the hub, then the same batches uploaded
device "$dir/c.db" cccccccc 1 12
token tablet-c
conf "$dir/c.conf" "http://$hub_addr" "$dir/tablet-c.token" "$dir/c.db" batch_interviews=5
"$syncd" --usb "$dir/stick" --config "$dir/c.conf" 2>>"$dir/syncd-c.log" || fail "usb export"
[ "$(ls "$dir/stick" | grep -c '\.campo-batch$')" = 3 ] || fail "3 batch files: $(ls "$dir/stick")"
ls "$dir/stick" | grep -v '\.campo-batch$' | grep -q . && fail "no temporary files left: $(ls "$dir/stick")"
[ "$(unsent "$dir/c.db")" = "12 12" ] || fail "usb export leaves the interviews queued"
"$hub" import --db "$dir/hub.db" --forms "$dir/forms" "$dir"/stick/*.campo-batch >"$dir/import-hub.log" 2>&1 || fail "hub import: $(cat "$dir/import-hub.log")"
[ "$(grep -c ': 201 ' "$dir/import-hub.log")" = 3 ] || fail "import merged 3 batches: $(cat "$dir/import-hub.log")"
[ "$(at_hub)" = "103 103 0" ] || fail "after import: 103, got $(at_hub)"
"$syncd" --once --config "$dir/c.conf" 2>>"$dir/syncd-c.log" || fail "upload after import"
[ "$(grep -c "batch=.*http=200 .*result=ok" "$dir/syncd-c.log")" = 3 ] || fail "uploads after import are repeats: $(cat "$dir/syncd-c.log")"
[ "$(at_hub)" = "103 103 0" ] || fail "no duplicates after import and upload, got $(at_hub)"
[ "$(unsent "$dir/c.db")" = "0 0" ] || fail "device c marked sent from the hub's acknowledgement"
finish
