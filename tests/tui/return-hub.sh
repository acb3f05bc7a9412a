#!/bin/sh
# SPDX-License-Identifier: MIT
# Issue 6's proof in one run: an interview made in the terminal reaches the
# real campo-hub through campo-syncd; a supervisor returns it with a note;
# the next sync brings the return to the device; the enumerator corrects it
# in the terminal; the next sync sends the new revision, which names the
# old one at the hub, and the hub's report counts it resubmitted.
# usage: return-hub.sh COLLECTOR DATA SCREENS CAMPO_HUB CAMPO_SYNCD
. "$(dirname "$0")/lib.sh"
HUB=$4
SYNCD=$5
NOTE="Edad de Ana: confirmar"
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 missing: skipped"; exit 77; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
hub_pid=
stop_hub() {
	[ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
	hub_pid=
}
trap 'stop_hub; cleanup' EXIT

restart() {
	$TM respawn-pane -k -t t \
		"exec env HOME=$WORK XDG_DATA_HOME=$WORK LC_ALL=C.UTF-8 $WRAP $EXE $*"
}
quit() {
	keys F10
	n=100
	while [ "$n" -gt 0 ] && [ "$($TM display-message -p -t t '#{pane_dead}')" != 1 ]; do
		sleep 0.05
		n=$((n - 1))
	done
}
sync_once() {
	"$SYNCD" --once --config "$WORK/syncd.conf" 2>>"$WORK/syncd.log" ||
		fail "campo-syncd --once: $(tail -n 3 "$WORK/syncd.log")"
}
status_count() {
	"$HUB" report --db "$WORK/hub.db" --format csv |
		awk -F, -v s="$1" '$1 == "by_status" && $2 == s { print $4 }'
}

# the office: a hub that knows the form, a token for this laptop
mkdir -p "$WORK/forms"
cp "$FORM" "$WORK/forms/"
"$HUB" device add laptop-07 --db "$WORK/hub.db" >"$WORK/token" ||
	fail "device add"
"$HUB" serve --db "$WORK/hub.db" --listen 127.0.0.1:0 --forms "$WORK/forms" \
	>"$WORK/hub.out" 2>>"$WORK/hub.log" &
hub_pid=$!
n=100
while [ ! -s "$WORK/hub.out" ] && [ "$n" -gt 0 ]; do
	sleep 0.05
	n=$((n - 1))
done
addr=$(head -n 1 "$WORK/hub.out")
[ -n "$addr" ] || fail "the hub did not start: $(cat "$WORK/hub.log")"
printf 'hub = http://%s\ntoken_file = %s\ndb = %s\nconnect_timeout_s = 2\ntimeout_s = 10\n' \
	"$addr" "$WORK/token" "$DB" >"$WORK/syncd.conf"

# the enumerator: one interview, finalized in the terminal
start run --db "$DB" --form "$FORM"
first_run
keys Enter
wait_for "Nombre del hogar"
keys "Casa Uno" Enter
wait_for "Fecha de la visita"
keys "01/02/2025" Enter
wait_for "Lo Cruzat"
keys 1 Enter
wait_for "Cuántas personas"
keys 1 Enter
wait_for "Persona 1 de 1"
keys "Ana" Enter
wait_for "Edad de Ana"
keys "30" Enter
wait_for "Gracias."
keys Enter
wait_for "Revisión"
keys f
wait_for "Finalizar esta entrevista"
keys s
wait_for "Entrevista finalizada"
quit
old=$("$EXE" list --db "$DB" | grep -F "Casa Uno" | grep -o 'uuid:[0-9a-f-]*')
[ -n "$old" ] || fail "no Casa Uno"

# sync; the supervisor returns it; the next sync brings the return
sync_once
[ "$(sqlite3 "$WORK/hub.db" "SELECT count(*) FROM revisions WHERE instance_id = '$old'")" = 1 ] ||
	fail "the hub does not have $old"
"$HUB" return "$old" --note "$NOTE" --db "$WORK/hub.db" >/dev/null ||
	fail "campo-hub return"
[ "$(status_count returned)" = 1 ] || fail "report: returned 1"
sync_once
"$EXE" show --db "$DB" "$old" | grep -qF "returned_note  $NOTE" ||
	fail "the return did not reach the device"

# the enumerator sees the note and corrects the age in the terminal
restart run --db "$DB" --form "$FORM"
wait_for "confirmar"
keys Enter
wait_for "El supervisor devolvió esta entrevista"
keys s
wait_for "Nombre del hogar"
keys F5
wait_for "Revisión"
keys F3
wait_for "Preguntas"
keys Down Down Down Down Down Enter
wait_for "Edad de Ana"
keys C-u "31" Enter
wait_for "Gracias."
keys F5
wait_for "Revisión"
keys f
wait_for "Finalizar esta entrevista"
keys s
wait_for "Entrevista finalizada"
shot corrected
quit

# the correction reaches the hub as a revision naming the old one
sync_once
new=$(sqlite3 "$WORK/hub.db" "SELECT instance_id FROM revisions WHERE deprecated_id = '$old'")
[ -n "$new" ] || fail "no revision at the hub names $old"
sqlite3 "$WORK/hub.db" "SELECT data FROM revisions WHERE instance_id = '$new'" |
	grep -q '"31"' || fail "the corrected age is not at the hub"
[ "$(status_count resubmitted)" = 1 ] || fail "report: resubmitted 1, got '$(status_count resubmitted)'"
[ "$(status_count returned)" = 0 ] || fail "report: returned 0 after the correction"
echo ok
