#!/bin/sh
# SPDX-License-Identifier: MIT
# The home screen and what hangs off it: when the last sync succeeded
# ("nunca", then the setting campo-syncd writes), discarding a draft with a
# confirmation, editing a finalized interview as a new revision; and the
# format hints and DD/MM/YYYY of time and date-time questions.
. "$(dirname "$0")/lib.sh"

TIMES=$DATA/forms/tui-times.json

# restart ARGS...: the collector again in the same pane.
restart() {
	$TM respawn-pane -k -t t \
		"exec env HOME=$WORK LC_ALL=C.UTF-8 $WRAP $EXE $*"
}

# quit: F10 at home, and wait for the pane to die.
quit() {
	keys F10
	n=100
	while [ "$n" -gt 0 ] && [ "$($TM display-message -p -t t '#{pane_dead}')" != 1 ]; do
		sleep 0.05
		n=$((n - 1))
	done
}

start run --db "$DB" --form "$FORM"
first_run
wait_for "última sincronización: nunca"

# a finalized interview
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
screen | grep -qF "01/02/2025" || fail "the review does not show DD/MM/YYYY"
keys f
wait_for "Finalizar esta entrevista"
keys s
wait_for "por sincronizar: 1"

# a draft, left at once, then discarded from home
keys Enter
wait_for "Nombre del hogar"
keys "Casa Dos" Enter
wait_for "Fecha de la visita"
keys F10
wait_for "* Casa Dos"
keys d
wait_for "¿Descartar este borrador?"
shot discard
keys n
wait_gone "¿Descartar este borrador?"
screen | grep -qF "* Casa Dos" || fail "n discarded the draft"
keys d
wait_for "¿Descartar este borrador?"
keys s
wait_for "Borrador descartado"
wait_gone "Casa Dos"
"$EXE" list --db "$DB" | grep -F "Casa Dos" | grep -q discarded ||
	fail "Casa Dos is not discarded"

# the last sync, as campo-syncd will write it
if command -v sqlite3 >/dev/null 2>&1; then
	quit
	sqlite3 "$DB" "INSERT OR REPLACE INTO settings VALUES ('sync.last_success', '2026-11-23T13:44:08.705Z')" ||
		fail "cannot set sync.last_success"
	restart run --db "$DB" --form "$FORM"
	wait_for "última sincronización: 23/11/2026 13:44 UTC"
	shot home-synced
	keys F2
	wait_for "dènye senkronizasyon: 23/11/2026 13:44 UTC"
	keys F2
	wait_for "última sincronización"
fi

# edit after finalize: the read-only review, e, a new revision to change
wait_for "Casa Uno"
keys Down Enter
wait_for "Revisión"
wait_for "solo lectura (e: editar)"
keys e
wait_for "¿Editar esta entrevista finalizada?"
shot revise
keys s
wait_gone "¿Editar esta entrevista finalizada?"
wait_gone "solo lectura"
keys F3
wait_for "Preguntas"
keys Enter
wait_for "Nombre del hogar"
keys C-u "Casa Uno bis" Enter
wait_for "Fecha de la visita"
keys F5
wait_for "Revisión"
keys f
wait_for "Finalizar esta entrevista"
keys s
wait_for "por sincronizar: 2"
"$EXE" list --db "$DB" | grep -F "Casa Uno bis" | grep -q finalized ||
	fail "the revision is not finalized"
"$EXE" list --db "$DB" | grep -F "Casa Uno " | grep -q finalized ||
	fail "the first revision is gone"
quit

# time and date-time: the hints, DD/MM/YYYY HH:MM typed and shown
restart run --db "$DB" --form "$TIMES"
wait_for "Iniciar una entrevista nueva"
keys Enter
wait_for "Lugar"
keys "Plaza" Enter
wait_for "Hora de inicio"
wait_for "HH:MM"
shot time
keys "14:30" Enter
wait_for "Próxima cita"
wait_for "DD/MM/AAAA HH:MM"
keys "2025-03-05 09:15" Enter
wait_for "Escriba la fecha y la hora como DD/MM/AAAA HH:MM"
# F2: the message again, in Creole; and back
keys F2
wait_for "Ekri dat la ak lè a konsa"
keys F2
wait_for "Escriba la fecha y la hora como"
keys C-u "05/03/2025 09:15" Enter
wait_for "Listo."
keys Enter
wait_for "Revisión"
screen | grep -qF "05/03/2025 09:15" || fail "the review shows no DD/MM/YYYY HH:MM"
keys BTab
wait_for "Listo."
keys BTab
wait_for "Próxima cita"
screen | grep -qF "05/03/2025 09:15" || fail "the editor shows no DD/MM/YYYY HH:MM"
keys F10
wait_for "Iniciar una entrevista nueva"
id=$("$EXE" list --db "$DB" | grep -F "Plaza" | grep -o 'uuid:[0-9a-f-]*')
got=$("$EXE" show --db "$DB" "$id" | sed -n 's|^  appointment = ||p')
[ "$got" = "2025-03-05T09:15" ] || fail "appointment is '$got'"
got=$("$EXE" show --db "$DB" "$id" | sed -n 's|^  start_time = ||p')
[ "$got" = "14:30" ] || fail "start_time is '$got'"
echo ok
