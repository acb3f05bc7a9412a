#!/bin/sh
# SPDX-License-Identifier: MIT
# A whole short interview: first run, accents, a bad date, a select by
# digit, a constraint violated and corrected, Creole and back, a two-member
# roster with a back-and-forth edit, review, help, finalize; then the
# database through campo-collector show.
. "$(dirname "$0")/lib.sh"

start run --db "$DB" --form "$FORM"
first_run
shot home-empty
keys Enter
wait_for "Nombre del hogar"
keys Enter
wait_for "Esta pregunta es obligatoria"
# F2 says the required message again in Creole, F2 back in Spanish
keys F2
wait_for "Non fanmi an"
wait_gone "Esta pregunta es obligatoria"
screen | sed -n 24p | grep -q '[a-z]' || fail "F2 lost the message"
keys F2
wait_for "Esta pregunta es obligatoria"
# "Pèè", one backspace, two lefts: the cursor is before "P", whole letters
keys "Familia Joseph Pèè" BSpace Left Left "x" End "ò" Enter
wait_for "Fecha de la visita"
keys "5/3/25" Enter
wait_for "DD/MM/AAAA"
keys C-u "5/3/2025" Enter
wait_for "Lo Cruzat"
shot select-one
keys 2 Enter
wait_for "Cuántas personas"
keys "20" Enter
wait_for "Entre 1 y 15 personas."
screen | grep -qF "    20" || fail "the answer left the screen"
shot constraint
keys BSpace BSpace "2" Enter
wait_for "Persona 1 de 2"
keys F2
wait_for "Moun 1 sou 2"
wait_for "Non *"
shot creole
keys F2
wait_for "Persona 1 de 2"
keys "Jean" Enter
wait_for "Edad de Jean"
keys "200" Enter
wait_for "La edad no puede pasar de 120."
keys C-u "34" Enter
wait_for "Persona 2 de 2"
shot roster
# back to Jean's age and forward again
keys BTab
wait_for "Edad de Jean"
keys C-u "35" Tab
wait_for "Persona 2 de 2"
keys "Marie" Enter
wait_for "Edad de Marie"
keys "29" Enter
wait_for "Gracias."
keys Enter
wait_for "Revisión"
shot review
keys F1
wait_for "Teclas"
shot help
keys Escape
wait_for "Revisión"
keys f
wait_for "Finalizar esta entrevista"
shot finalize
keys s
wait_for "por sincronizar: 1"
shot home-after
keys F10
$TM list-panes -t t -F '#{pane_dead}' | grep -q 1 || sleep 0.5

[ "$(field hh_name)" = "Familia Joseph xPèò" ] || fail "hh_name is '$(field hh_name)'"
[ "$(field visit_date)" = "2025-03-05" ] || fail "visit_date $(field visit_date)"
[ "$(field sector)" = "s2" ] || fail "sector $(field sector)"
[ "$(field hh_size)" = "2" ] || fail "hh_size $(field hh_size)"
[ "$(field 'member\[1\]/age')" = "35" ] || fail "member 1 age"
[ "$(field 'member\[2\]/name')" = "Marie" ] || fail "member 2 name"
"$EXE" list --db "$DB" | grep -q "finalized" || fail "not finalized"
echo ok
