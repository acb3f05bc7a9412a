#!/bin/sh
# SPDX-License-Identifier: MIT
# An interview the supervisor returned (docs/wire-format.md, "Messages to
# a device"): the home screen lists it first, marked, with the note; Enter
# offers to correct it; the correction is a new revision naming the old
# one, finalized and queued. $4 is the mark-returned test program (what
# campo-syncd does when the hub's message arrives).
. "$(dirname "$0")/lib.sh"
MARK=$4
NOTE="Edad de Ana: confirmar con la jefa de hogar"

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

# two finalized interviews
start run --db "$DB" --form "$FORM"
first_run
for name in "Casa Uno" "Casa Dos"; do
	keys Enter
	wait_for "Nombre del hogar"
	keys "$name" Enter
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
done
wait_for "por sincronizar: 2"
quit

# the supervisor returns Casa Uno
old=$("$EXE" list --db "$DB" | grep -F "Casa Uno" | grep -o 'uuid:[0-9a-f-]*')
[ -n "$old" ] || fail "no Casa Uno"
"$MARK" "$DB" "$old" "$NOTE" || fail "mark-returned failed"
"$MARK" "$DB" "$old" "$NOTE" || fail "mark-returned is not idempotent"
"$EXE" list --db "$DB" | grep -F "Casa Uno" | grep -q returned ||
	fail "list does not show Casa Uno returned"
"$EXE" show --db "$DB" "$old" | grep -qF "returned_note  $NOTE" ||
	fail "show does not print the note"
"$EXE" status --db "$DB" | grep -q returned || fail "status has no returned"

# first on the home screen, marked, highlighted, its note shown
restart run --db "$DB" --form "$FORM"
wait_for "↩ Nota del supervisor:"
wait_for "confirmar con la jefa de hogar"
screen | sed -n 6p | grep -qF "↩ Casa Uno" ||
	fail "Casa Uno is not the first row, marked"
screen | sed -n 6p | grep -qF "devuelta" || fail "no 'devuelta' on the row"
shot home
# in the form's other language too
keys F2
wait_for "Nòt sipèvizè a"
screen | sed -n 6p | grep -qF "retounen" || fail "no 'retounen' on the row"
keys F2
wait_for "Nota del supervisor"
# the note goes with the highlight
keys Down
wait_gone "Nota del supervisor"
keys Up
wait_for "Nota del supervisor"

# Enter offers to correct; n keeps it as it is
keys Enter
wait_for "El supervisor devolvió esta entrevista"
shot correct
keys n
wait_gone "El supervisor devolvió esta entrevista"
keys Enter
wait_for "El supervisor devolvió esta entrevista"
keys s
wait_for "Nombre del hogar"
wait_for "confirmar con la jefa de hogar"
shot revision
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
# corrected: no longer marked, no note; the new revision waits to sync
wait_for "por sincronizar: 2"
screen | grep -qF "↩" && fail "the corrected interview is still marked"
quit

"$EXE" list --db "$DB" | grep -F "$old" | grep -q returned ||
	fail "the returned revision is not kept"
new=$("$EXE" list --db "$DB" | grep -F "Casa Uno" | grep finalized |
	grep -o 'uuid:[0-9a-f-]*')
[ -n "$new" ] || fail "no finalized revision of Casa Uno"
"$EXE" show --db "$DB" "$new" | grep -qF "deprecated_id  $old" ||
	fail "the revision does not name $old"
"$EXE" show --db "$DB" "$new" | grep -qF "revision       2" ||
	fail "not revision 2"
age=$("$EXE" show --db "$DB" "$new" | sed -n 's|^  .*age = ||p')
[ "$age" = "31" ] || fail "the corrected age is '$age'"
echo ok
