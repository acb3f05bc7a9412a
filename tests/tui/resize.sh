#!/bin/sh
# SPDX-License-Identifier: MIT
# The frame is drawn again at every size: wider, smaller, back to 80x25;
# a long select list filtered by typing, without accents.
. "$(dirname "$0")/lib.sh"

start run --db "$DB" --form "$FORM"
first_run
keys Enter
wait_for "Nombre del hogar"
keys "Pérez" Enter "02/02/2025" Enter
wait_for "Lo Cruzat"
$TM resize-window -t t -x 120 -y 40
wait_for "$(printf '%118s' | cut -c1-60)es  2/4"
screen | tail -1 | grep -qF "F1 ayuda" || fail "no key bar at 120x40"
shot wide
$TM resize-window -t t -x 80 -y 24
n=100
while [ "$n" -gt 0 ] && [ "$(screen | wc -l)" -ne 24 ]; do
	sleep 0.05
	n=$((n - 1))
done
wait_for "San Luis"
screen | tail -1 | grep -qF "F1 ayuda" || fail "no key bar at 80x24"
shot small
# filter: "luis" and "LUÍS" both find San Luis and only it
keys "LUÍS"
wait_for "escriba para filtrar: LUÍS"
screen | grep -qF "Lo Cruzat" && fail "the filter kept Lo Cruzat"
keys Enter
wait_for "Cuántas personas"
$TM resize-window -t t -x 80 -y 25
wait_for "Cuántas personas"
[ "$(field sector)" = "s3" ] || fail "sector $(field sector)"
echo ok
