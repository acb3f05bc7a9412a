#!/bin/sh
# SPDX-License-Identifier: MIT
# Issue 4's proof: a complete census interview (forms/quilicura-census.json)
# of a household of three in Spanish, with Creole and back (F2), a
# constraint violated and corrected, a back-and-forth edit, countries found
# by typing ("hai", and "ayiti" through the list's search column), select
# multiple, the index, help, review and finalize; then the database. The
# questions with nothing special are answered by answer(), a table keyed by
# the label on screen that fails on any label it does not know.
. "$(dirname "$0")/lib.sh"

CENSUS=${CAMPO_CENSUS:-$(dirname "$0")/../../forms/quilicura-census.json}

# The label's first line (row 5), without the required mark.
label() {
	screen | sed -n 5p | sed 's/^  //; s/ \*$//; s/ *$//'
}

# What identifies the position: the header, the roster line and the label.
position() {
	screen | sed -n '1,5p'
}

# settle: polls until two captures in a row are the same, so that a frame
# caught half drawn (slow machines, valgrind) is never read as the next.
settle() {
	prev=$(screen)
	n=200
	while [ "$n" -gt 0 ]; do
		sleep 0.02
		cur=$(screen)
		if [ "$cur" = "$prev" ]; then
			return 0
		fi
		prev=$cur
		n=$((n - 1))
	done
	fail "the screen never settled"
}

# wait_moved OLD: polls until the position differs from OLD.
wait_moved() {
	n=${WAIT_STEPS:-500}
	while [ "$n" -gt 0 ]; do
		if [ "$(position)" != "$1" ]; then
			settle
			return 0
		fi
		sleep 0.02
		n=$((n - 1))
	done
	fail "no move from '$(label)'"
}

# answer: answers the question on screen from the table and waits for the
# next one. Digits pick (and tick) choices by their number on screen.
answer() {
	before=$(position)
	l=$(label)
	case "$l" in
	"Código del encuestador") keys "QC07" Enter ;;
	"Fecha de la visita") keys Enter ;; # today() by default
	"Sector") keys 3 Enter ;;
	"Número de manzana") keys "112" Enter ;;
	"Dirección (calle"*) keys "Pasaje Los Aromos 1450, pieza 3" Enter ;;
	"Número de visita") keys Enter ;; # 1 by default
	"Resultado de la visita") keys 1 Enter ;;
	"Buenos días."*) keys Enter ;;
	"Idioma de la entrevista") keys Enter ;; # Español by default
	"¿Acepta participar"*) keys 1 Enter ;;
	"Nombre de la persona que responde") keys "Jean Pierre" Enter ;;
	"Edad de la persona que responde") keys "40" Enter ;;
	"Ahora registraremos"*) keys Enter ;;
	"Nombre de la persona 1") keys "Jean Pierre" Enter ;;
	"Nombre de la persona 2") keys "Marie Joseph" Enter ;;
	"Nombre de la persona 3") keys "Sofía Pierre" Enter ;;
	"Sexo de Jean Pierre") keys 1 Enter ;;
	"Sexo de Marie Joseph") keys 1 Enter ;; # corrected below
	"Sexo de Sofía Pierre") keys 2 Enter ;;
	"¿Sabe la fecha de nacimiento de Marie"*) keys 1 Enter ;;
	"¿Sabe la fecha de nacimiento de"*) keys 2 Enter ;;
	"Fecha de nacimiento") keys "15/08/1988" Enter ;;
	"Marie Joseph tiene 38 años.") keys Enter ;;
	"Edad en años cumplidos")
		case "$(screen | sed -n 2p)" in
		*"3 de 3"*) keys "4" Enter ;;
		*) keys "40" Enter ;;
		esac
		;;
	"¿Qué relación tiene Jean"*) keys Enter ;; # head by default
	"¿Qué relación tiene Marie"*) keys 2 Enter ;;
	"¿Qué relación tiene Sofía"*) keys 3 Enter ;;
	"¿En qué país nació Marie"*) keys "hai" Enter ;;
	"¿En qué país nació Sofía"*) keys "chile" Enter ;;
	"¿Cuál es la nacionalidad de Marie"*) keys "ayiti" Enter ;;
	"¿Cuál es la nacionalidad de Sofía"*) keys "chile" Enter ;;
	"¿En qué año llegó Jean"*) keys "2018" Enter ;;
	"¿En qué año llegó Marie"*) keys "2019" Enter ;;
	"¿En qué región vivió"*) keys "metropolitana" Enter ;;
	"¿En qué comuna?") keys "quilicura" Enter ;;
	"¿Cuál es la situación migratoria actual de Jean"*) keys 2 Enter ;;
	"¿Cuál es la situación migratoria actual de"*) keys 3 Enter ;;
	"¿Qué documentos de identidad tiene Jean"*) keys 2 3 Enter ;;
	"¿Qué documentos de identidad tiene Marie"*) keys 3 Enter ;;
	"¿Qué documentos de identidad tiene Sofía"*) keys 4 Enter ;;
	"¿Qué idiomas habla Jean"*) keys 1 2 Enter ;;
	"¿Qué idiomas habla Marie"*) keys 2 3 Enter ;;
	"¿Qué idiomas habla Sofía"*) keys 1 Enter ;;
	"¿Qué tan bien habla español"*) keys 2 Enter ;;
	"¿Asiste Sofía"*) keys 1 Enter ;;
	"¿Asiste"*) keys 2 Enter ;;
	"¿Cuál es el nivel de estudios más alto que ha alcanzado Jean"*)
		keys 4 Enter ;;
	"¿Cuál es el nivel de estudios más alto que ha alcanzado"*)
		keys 6 Enter ;;
	"¿Completó ese nivel?") keys 1 Enter ;;
	"¿Sus estudios superiores"*) keys 2 Enter ;;
	"La semana pasada, ¿trabajó Jean"*) keys 1 Enter ;;
	"La semana pasada, ¿trabajó"*) keys 2 Enter ;;
	"¿Cuál es su ocupación u oficio?") keys "Maestro albañil" Enter ;;
	"¿En qué rubro trabaja?") keys 3 Enter ;;
	"¿En qué condiciones trabaja?") keys 1 Enter ;;
	"¿Por qué no trabajó la semana pasada?") keys 1 Enter ;;
	"¿Qué previsión de salud tiene"*) keys 1 Enter ;;
	"¿Tiene "*" dificultad para"*) keys 1 Enter ;;
	"Hogar de Jean Pierre: 3 personas"*) keys Enter ;;
	"Confirme con la persona que no falta nadie"*) keys Space Enter ;;
	"Tipo de vivienda (observe)") keys 1 Enter ;;
	"Este hogar, ¿ocupa la vivienda como…?") keys 3 Enter ;;
	"¿Cuánto pagan de arriendo"*) keys "250000" Enter ;;
	"¿Cuántos hogares"*) keys Enter ;; # 1 by default
	"¿Cuántas piezas usa este hogar"*) keys "4" Enter ;;
	"¿Cuántas de esas piezas se usan para dormir?") keys "2" Enter ;;
	"Personas por dormitorio: 1,5."* | "Personas por dormitorio: 1.5."*)
		keys Enter ;;
	"¿Con qué servicios cuenta la vivienda?") keys 1 2 3 Enter ;;
	"¿Tiene la vivienda alguno de estos problemas?") keys 1 Enter ;;
	"Las siguientes preguntas son sobre"*) keys Enter ;;
	"¿Por qué razones vino a Chile?") keys 1 2 Enter ;;
	"¿Con quién viajó a Chile?") keys 2 Enter ;;
	"¿Cómo llegó a Chile?") keys 1 Enter ;;
	"Antes de llegar a Chile"*) keys 2 Enter ;;
	"¿Tiene hijos o hijas menores"*) keys 2 Enter ;;
	"En los últimos 12 meses, ¿envió dinero"*) keys 1 Enter ;;
	"¿Con qué frecuencia?") keys 1 Enter ;;
	"¿Cómo lo envía habitualmente?") keys 1 Enter ;;
	"¿Cuánto envía en promedio"*) keys "50000" Enter ;;
	"Desde que vive en Chile, ¿se ha sentido"*) keys 2 Enter ;;
	"En el último año, ¿qué servicios ha usado"*) keys 1 4 Enter ;;
	"¿Ha tenido problemas para ser atendido"*) keys 2 Enter ;;
	"¿Cuáles son las tres necesidades"*) keys 1 2 3 Enter ;;
	"En los próximos dos años, ¿qué piensa hacer?") keys 1 Enter ;;
	"¿Acepta que la Municipalidad lo contacte"*) keys 2 Enter ;;
	"Muchas gracias por su tiempo."*) keys Enter ;;
	"Observaciones del encuestador") keys Enter ;;
	*) fail "no answer for the label '$l'" ;;
	esac
	wait_moved "$before"
}

# answer_until TEXT: answers from the table until TEXT is on the label
# line (or, for the review, its title line).
answer_until() {
	n=300
	while [ "$n" -gt 0 ]; do
		if screen | sed -n '4,5p' | grep -qF -- "$1"; then
			return 0
		fi
		answer
		n=$((n - 1))
	done
	fail "'$1' never came"
}

start run --db "$DB" --form "$CENSUS"
first_run
wait_for "borradores: 0"
shot census-home
keys Enter
wait_for "Código del encuestador"
shot census-question

answer_until "¿Cuántas personas viven habitualmente"
# a constraint violated, the answer kept on screen, then corrected
keys "20" Enter
wait_for "Entre 1 y 15 personas."
screen | grep -qF "    20" || fail "the wrong answer left the screen"
shot census-constraint
# F2 says the message again in the new language, and back
keys F2
wait_for "Ant 1 ak 15 moun."
keys F2 F2 F2
wait_for "Entre 1 y 15 personas."
screen | grep -qF "    20" || fail "F2 lost the typed answer"
keys BSpace BSpace "3" Enter
wait_for "Ahora registraremos a las 3 personas"

answer_until "¿En qué país nació Jean Pierre?"
wait_for "Persona 1 de 3: Jean Pierre"
shot census-roster
# the country by a filter: "hai" finds Haití first (and Tailandia,
# whose search column has "thailand"), Enter takes the first
keys "hai"
wait_for "escriba para filtrar: hai"
screen | sed -n 9p | grep -qF "Haití" || fail "Haití is not first"
shot census-select-filter
keys Enter
wait_for "¿Cuál es la nacionalidad de Jean Pierre?"

# Creole and back (F2 goes es, ht, fr, en, es)
wait_for "¿Cuál es la nacionalidad de Jean Pierre?"
keys F2
wait_for "Ki nasyonalite Jean Pierre?"
wait_for "Moun 1 sou 3"
shot census-creole
keys F2 F2 F2
wait_for "¿Cuál es la nacionalidad de Jean Pierre?"
# "ayiti" is in the list's search column, not in the Spanish label
keys "ayiti"
wait_for "escriba para filtrar: ayiti"
screen | sed -n 9p | grep -qF "Haití" || fail "ayiti did not find Haití"
keys Enter
wait_for "¿En qué año llegó Jean Pierre"

# a back-and-forth edit: Marie's sex was answered wrong, go back, fix it
answer_until "¿Sabe la fecha de nacimiento de Marie Joseph?"
keys BTab
wait_for "Sexo de Marie Joseph"
keys 2 Tab
wait_for "¿Sabe la fecha de nacimiento de Marie Joseph?"
wait_gone "Sexo de Marie Joseph"

answer_until "Nombre de la persona 3"
# the index: every question reached so far, Esc back
keys F3
wait_for "Preguntas"
shot census-index
keys Escape
wait_for "Nombre de la persona 3"

answer_until "Revisión"
shot census-review
keys F1
wait_for "Teclas"
shot census-help
keys Escape
wait_for "Revisión"
keys f
wait_for "Finalizar esta entrevista"
keys s
wait_for "por sincronizar: 1"
shot census-home-after
keys F10
n=100
while [ "$n" -gt 0 ] && [ "$($TM display-message -p -t t '#{pane_dead}')" != 1 ]; do
	sleep 0.05
	n=$((n - 1))
done

# the database: campo-collector show of the only interview
check() {
	got=$(field "$1")
	[ "$got" = "$2" ] || fail "$1 is '$got', not '$2'"
}
"$EXE" list --db "$DB" | grep -q "finalized" || fail "not finalized"
check identification/enumerator QC07
check identification/sector s03
check identification/address "Pasaje Los Aromos 1450, pieza 3"
check identification/visit_result completed
check consent_section/consent yes
check household/hh_size 3
check 'member\[1\]/m_name' "Jean Pierre"
check 'member\[1\]/relationship' head
check 'member\[1\]/country_birth' HTI
check 'member\[1\]/nationality' HTI
check 'member\[1\]/id_document' "passport origin_id"
check 'member\[1\]/languages_spoken' "es ht"
check 'member\[2\]/m_name' "Marie Joseph"
check 'member\[2\]/sex' female
check 'member\[2\]/dob' 1988-08-15
check 'member\[2\]/relationship' spouse
check 'member\[2\]/country_birth' HTI
check 'member\[3\]/m_name' "Sofía Pierre"
check 'member\[3\]/country_birth' CHL
check 'member\[3\]/age_reported' 4
check summary/n_born_haiti 2
check housing/services "water sewer electricity"
check migration/needs "papers work housing"
check summary/roster_confirmed OK
echo ok
