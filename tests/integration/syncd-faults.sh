#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-syncd through fault-proxy.c in front of campo-hub: a captive
# portal's 200 page, a reply lost after the hub committed, a stalled reply,
# a truncated one, a refused connection. After each: nothing marked sent
# that the hub did not acknowledge; at the end every interview is at the
# hub once, each batch id once, and all are marked sent.
# usage: syncd-faults.sh CAMPO_COLLECTOR CAMPO_HUB CAMPO_SYNCD ROSTER FAULT_PROXY
collector=$1 hub=$2 syncd=$3 roster=$4 proxy=$5
. "$(dirname "$0")/syncd-lib.sh"

device "$dir/d.db" dddddddd 1 10
token tablet-d
hub_start || { fail "hub did not start"; finish; }
mode=$dir/mode
"$proxy" "${hub_addr##*:}" "$mode" >"$dir/proxy.out" 2>"$dir/proxy.log" &
pids="$pids $!"
wait_for 5 test -s "$dir/proxy.out" || { fail "proxy did not start"; finish; }
paddr=$(head -n 1 "$dir/proxy.out")
conf "$dir/d.conf" "http://$paddr" "$dir/tablet-d.token" "$dir/d.db" batch_interviews=5

# once MODE: one pass through the proxy in MODE; prints the exit status
once() {
    echo "$1" >"$mode"
    echo "--- $1" >>"$dir/syncd.log"
    "$syncd" --once --config "$dir/d.conf" 2>>"$dir/syncd.log"
    echo $?
}

[ "$(once portal)" = 1 ] || fail "portal: --once exits 1"
grep -q 'http=200 .*result=bad-ack' "$dir/syncd.log" || fail "portal: a 200 page is not an acknowledgement"
[ "$(at_hub)" = "0 0 0" ] || fail "portal: nothing reached the hub"
[ "$(unsent "$dir/d.db")" = "10 10" ] || fail "portal: nothing marked sent, got $(unsent "$dir/d.db")"

[ "$(once refuse)" = 1 ] || fail "refuse: --once exits 1"
[ "$(unsent "$dir/d.db")" = "10 10" ] || fail "refuse: nothing marked sent"

# the hub commits the first batch, the acknowledgement is lost
[ "$(once drop)" = 1 ] || fail "drop: --once exits 1"
[ "$(at_hub)" = "5 5 0" ] || fail "drop: the hub committed the first batch, got $(at_hub)"
[ "$(unsent "$dir/d.db")" = "10 10" ] || fail "drop: a lost acknowledgement marks nothing, got $(unsent "$dir/d.db")"

# the repeat of that batch stalls after 12 bytes: the low-speed limit
t0=$(date +%s)
[ "$(once stall)" = 1 ] || fail "stall: --once exits 1"
t1=$(date +%s)
[ $((t1 - t0)) -le 8 ] || fail "stall: aborted by the low-speed limit, took $((t1 - t0)) s"
grep -q 'result=network' "$dir/syncd.log" || fail "stall: logged as a network failure"
[ "$(unsent "$dir/d.db")" = "10 10" ] || fail "stall: nothing marked sent"

# the daemon stopped (SIGTERM) in the middle of a stalled upload: a clean
# exit, so systemd does not call the unit failed, and nothing marked sent
echo stall >"$mode"
"$syncd" --config "$dir/d.conf" 2>>"$dir/syncd.log" &
spid=$!
wait_for 5 grep -q "stall" "$dir/proxy.log" || true
sleep 1
kill -TERM "$spid"
wait "$spid"
[ $? = 0 ] || fail "SIGTERM during a pass: the daemon exits 0"
[ "$(unsent "$dir/d.db")" = "10 10" ] || fail "SIGTERM: nothing marked sent"

[ "$(once truncate)" = 1 ] || fail "truncate: --once exits 1"
[ "$(unsent "$dir/d.db")" = "10 10" ] || fail "truncate: nothing marked sent"
[ "$(at_hub)" = "5 5 0" ] || fail "faults made no duplicate, got $(at_hub)"

# the link heals: the same batch ids go again and are acknowledged
[ "$(once pass)" = 0 ] || fail "pass: --once exits 0"
[ "$(at_hub)" = "10 10 0" ] || fail "each interview at the hub once, got $(at_hub)"
[ "$(hub_sql 'SELECT count(*) FROM batches')" = 2 ] || fail "retries reused the batch ids: $(hub_sql 'SELECT count(*) FROM batches') batches"
[ "$(unsent "$dir/d.db")" = "0 0" ] || fail "all marked sent at the end"
grep -q 'resend=yes http=200 .*result=ok' "$dir/syncd.log" || fail "the committed batch came back as a repeat"
grep -q 'pass 409' "$mode.log" && fail "no batch id was reused for other content"
finish
