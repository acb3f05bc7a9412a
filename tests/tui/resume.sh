#!/bin/sh
# SPDX-License-Identifier: MIT
# kill -9 mid-roster, start again: the draft is listed first and
# preselected, and Enter resumes it at the question it was on, with every
# confirmed answer kept.
. "$(dirname "$0")/lib.sh"

start --db "$DB" --form "$FORM"
first_run
keys Enter
wait_for "Nombre del hogar"
keys "Casa Dorvil" Enter
wait_for "Fecha de la visita"
keys "01/02/2025" Enter
wait_for "Lo Cruzat"
keys 3 Enter
wait_for "Cuántas personas"
keys 2 Enter
wait_for "Persona 1 de 2"
keys "Rose" Enter "40" Enter
wait_for "Persona 2 de 2"
keys "Wilner" Enter
wait_for "Edad de Wilner"
# typed but not confirmed: lost with the process, and that is expected
keys "1"
pid=$($TM display-message -p -t t '#{pane_pid}')
kill -9 "$pid"
n=100
while [ "$n" -gt 0 ] && [ "$($TM display-message -p -t t '#{pane_dead}')" != 1 ]; do
	sleep 0.05
	n=$((n - 1))
done
[ "$(field 'member\[2\]/name')" = "Wilner" ] || fail "the confirmed name was lost"

$TM respawn-pane -k -t t \
	"exec env HOME=$WORK LC_ALL=C.UTF-8 $WRAP $EXE run --db $DB --form $FORM"
wait_for "Casa Dorvil"
screen | grep -qF "* Casa Dorvil" || fail "the draft is not marked"
shot home-draft
keys Enter
wait_for "Persona 2 de 2: Wilner"
wait_for "Edad de Wilner"
shot resumed
keys "27" Enter
wait_for "Gracias."
[ "$(field 'member\[2\]/age')" = "27" ] || fail "age after resume"
[ "$(field 'member\[1\]/name')" = "Rose" ] || fail "member 1 after resume"
echo ok
