#!/bin/sh
# SPDX-License-Identifier: MIT
# kill -9 of campo-syncd at random points, 60 cycles while interviews keep
# coming, then kill -9 of campo-hub while it merges big batches: at the
# end every finalized interview is at the hub exactly once, each batch id
# once, and everything is marked sent on the device.
# usage: syncd-kill.sh CAMPO_COLLECTOR CAMPO_HUB CAMPO_SYNCD ROSTER_FORM
collector=$1 hub=$2 syncd=$3 roster=$4
. "$(dirname "$0")/syncd-lib.sh"
CYCLES=${CAMPO_KILL_CYCLES:-60}

# a random number of milliseconds below $1
rand_ms() { echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 )); }
nap() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
# hub_up [PORT]: hub_start, retried while the port is still held
hub_up() {
    k=0
    until hub_start "$@"; do
        k=$((k + 1)); [ $k -lt 40 ] || return 1
        sleep 0.1
    done
}

# --- kill -9 of syncd
start=$(date +%s)
device "$dir/e.db" eeeeeeee 1 40
total=40
token tablet-e
hub_up || { fail "hub did not start"; finish; }
conf "$dir/e.conf" "http://$hub_addr" "$dir/tablet-e.token" "$dir/e.db" batch_interviews=3
c=0
while [ $c -lt "$CYCLES" ]; do
    c=$((c + 1))
    if [ $((c % 2)) = 0 ]; then
        device "$dir/e.db" eeeeeeee $((total + 1)) $((total + 5))
        total=$((total + 5))
    fi
    "$syncd" --config "$dir/e.conf" 2>>"$dir/syncd-e.log" &
    spid=$!
    nap "$(rand_ms 60)"
    kill -9 $spid 2>/dev/null
    wait $spid 2>/dev/null
    # each cycle bounded; all of them well within the test's time
    [ $(($(date +%s) - start)) -lt 80 ] || { fail "kill cycles too slow ($c done)"; break; }
done
mid=$(at_hub)
"$syncd" --once --config "$dir/e.conf" 2>>"$dir/syncd-e.log" || fail "final --once after the kills"
[ "$(at_hub)" = "$total $total 0" ] || fail "after $c kills: $total at the hub once each, got $(at_hub)"
[ "$(unsent "$dir/e.db")" = "0 0" ] || fail "after $c kills: all marked sent, got $(unsent "$dir/e.db")"
nb=$(sqlite3 "$dir/e.db" 'SELECT count(DISTINCT batch_id) FROM outbox')
[ "$(hub_sql 'SELECT count(*) FROM batches')" = "$nb" ] || fail "each of the device's $nb batch ids at the hub once, got $(hub_sql 'SELECT count(*) FROM batches')"
echo "syncd: $c kill -9 cycles in $(($(date +%s) - start)) s, $total interviews, $nb batches, $(grep -c 'resend=yes' "$dir/syncd-e.log") resends after a kill; at the hub before the last pass: $mid"

# --- kill -9 of the hub while it merges: 100 new interviews a cycle, the
# hub started, syncd woken at once, the hub killed 0-60 ms later
start=$(date +%s)
token tablet-f
device "$dir/f.db" ffffffff 1 100
conf "$dir/f.conf" "http://$hub_addr" "$dir/tablet-f.token" "$dir/f.db" batch_interviews=50
port=${hub_addr##*:}
hub_kill
"$syncd" --config "$dir/f.conf" 2>>"$dir/syncd-f.log" &
spid=$!
pids="$pids $spid"
c=0 nf=100
while [ $c -lt 8 ]; do
    c=$((c + 1))
    hub_up "$port" || { fail "hub did not restart on $port"; break; }
    kill -USR1 $spid   # send now, not after the backoff
    nap "$(rand_ms 60)"
    hub_kill
    device "$dir/f.db" ffffffff $((nf + 1)) $((nf + 100))
    nf=$((nf + 100))
done
hub_up "$port" || fail "hub did not restart"
kill -USR1 $spid
wait_for 20 sh -c "[ \"\$(sqlite3 '$dir/f.db' 'SELECT count(*) FROM outbox WHERE sent_at IS NULL')\" = 0 ]" || fail "syncd delivered after the hub's crashes"
kill -TERM $spid; wait $spid
[ "$(hub_sql 'PRAGMA integrity_check')" = ok ] || fail "hub database intact"
total=$((total + nf))
[ "$(at_hub)" = "$total $total 0" ] || fail "after hub crashes: $total at the hub once each, got $(at_hub)"
[ "$(unsent "$dir/f.db")" = "0 0" ] || fail "after hub crashes: all marked sent"
nb=$(sqlite3 "$dir/f.db" 'SELECT count(DISTINCT batch_id) FROM outbox')
[ "$(hub_sql "SELECT count(*) FROM batches WHERE device = 'tablet-f'")" = "$nb" ] || fail "tablet-f's $nb batches once each"
cut=$(grep 'result=network' "$dir/syncd-f.log" | grep -vc "Couldn't connect")
echo "hub: $c kill -9 cycles in $(($(date +%s) - start)) s, $nf interviews; $cut requests cut by the kill; resent after: $(grep -c 'resend=yes http=201' "$dir/syncd-f.log") uncommitted, $(grep -c 'resend=yes http=200' "$dir/syncd-f.log") committed (ack lost)"
finish
