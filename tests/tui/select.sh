#!/bin/sh
# SPDX-License-Identifier: MIT
# A single select that was never touched is left unanswered by Enter: an
# optional one moves on empty, a required one is refused until a choice is
# made (Down picks the first, Down again the next).
. "$(dirname "$0")/lib.sh"

FORM=$DATA/forms/tui-select.json
start run --db "$DB" --form "$FORM"
first_run
keys Enter
wait_for "Tiene mascota"
keys Enter
wait_for "Color de la puerta"
keys Enter
wait_for "Esta pregunta es obligatoria"
screen | grep -qF "Color de la puerta" || fail "a required select moved on"
keys Down Down Enter
wait_for "Listo"
keys F10
wait_for "Iniciar una entrevista nueva"
[ -z "$(field pet)" ] || fail "pet answered: '$(field pet)'"
[ "$(field color)" = blue ] || fail "color is '$(field color)', want blue"
exit 0
