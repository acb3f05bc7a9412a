# SPDX-License-Identifier: MIT
# Shared by the tui tests: the real campo-collector in tmux on a private
# socket, keys with send-keys, the screen with capture-pane. Sourced with
# the collector, the test data folder and the screenshot folder as $1-$3.
if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux is missing: skipped"
	exit 77
fi
EXE=$1
DATA=$2
SCREENS=$3
FORM=$DATA/forms/tui-small.json
# CAMPO_TUI_WRAP runs the collector in the pane under a wrapper, e.g.
#   CAMPO_TUI_WRAP="valgrind --error-exitcode=1 --leak-check=full
#   --suppressions=tests/tui/ncurses.supp --log-file=/tmp/vg.%p"
#   meson test --suite tui -t 10
# then look for "ERROR SUMMARY: [1-9]" in /tmp/vg.* (meson's
# --setup=valgrind would wrap this script, not the collector).
WRAP=${CAMPO_TUI_WRAP:-}
mkdir -p "$SCREENS"
WORK=$(mktemp -d)
DB=$WORK/collector.db
TM="tmux -L campo-test-$$ -f /dev/null"
cleanup() {
	$TM kill-server 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# start ARGS...: runs the collector in an 80x25 pane that stays after exit.
start() {
	$TM new-session -d -s t -x 80 -y 25 \
		"exec env HOME=$WORK XDG_DATA_HOME=$WORK LC_ALL=C.UTF-8 $WRAP $EXE $*" \; \
		set-option -t t remain-on-exit on
}

keys() {
	$TM send-keys -t t "$@"
}

screen() {
	$TM capture-pane -t t -p
}

fail() {
	echo "FAIL: $*"
	echo "----- screen -----"
	screen
	exit 1
}

# wait_for TEXT [SECONDS]: polls the pane until TEXT (fixed string) shows.
wait_for() {
	n=$(( ${2:-10} * 20 ))
	while [ "$n" -gt 0 ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		n=$((n - 1))
	done
	fail "'$1' never appeared"
}

# wait_gone TEXT: polls until TEXT is no longer on screen.
wait_gone() {
	n=200
	while [ "$n" -gt 0 ]; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		n=$((n - 1))
	done
	fail "'$1' never went away"
}

# shot NAME: saves the screen as $SCREENS/NAME.txt for review.
shot() {
	screen > "$SCREENS/$1.txt"
}

# first_run: answers the first-run screen and waits for home.
first_run() {
	wait_for "Nombre del encuestador"
	shot setup
	keys "María Pérez" Enter "MP01" Enter C-u "laptop-07" Enter
	wait_for "Iniciar una entrevista nueva"
}

# field KEY: an answer of the only interview, from campo-collector show.
field() {
	id=$("$EXE" list --db "$DB" | grep -o 'uuid:[0-9a-f-]*' | head -1)
	"$EXE" show --db "$DB" "$id" | sed -n "s|^  $1 = ||p"
}
