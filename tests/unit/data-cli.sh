#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-collector import, list, status, show, export through the real binary
# on a temporary database: exit codes, per-line errors, the round trip.
collector=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$2
tmp=${TMPDIR:-/tmp}/campo-data-cli-$$
mkdir -p "$tmp" || exit 2
trap 'rm -rf "$tmp"' EXIT
# nothing may read the user's home
HOME=$tmp/home XDG_DATA_HOME=$tmp/xdg
export HOME XDG_DATA_HOME
form="--form $data/roster.json"
status=0

fail() {
	echo "FAIL: $*" >&2
	status=1
}

# import into the default database ($XDG_DATA_HOME/campo/collector.db)
"$collector" import $form "$data/good.jsonl" 2> "$tmp/err" ||
	fail "import good.jsonl: $(cat "$tmp/err")"
grep -qx 'imported 3, unchanged 0, rejected 0' "$tmp/err" ||
	fail "import summary: $(cat "$tmp/err")"
[ -f "$tmp/xdg/campo/collector.db" ] || fail "default database not made"
db="--db $tmp/xdg/campo/collector.db"

# the same file again changes nothing
"$collector" import $db $form "$data/good.jsonl" 2> "$tmp/err" ||
	fail "import again: $(cat "$tmp/err")"
grep -qx 'imported 0, unchanged 3, rejected 0' "$tmp/err" ||
	fail "import again summary: $(cat "$tmp/err")"

# bad lines: one message each with its line number, exit 1, nothing written
(cd "$data" && "$collector" import $db $form bad.jsonl) 2> "$tmp/err"
[ $? = 1 ] || fail "import bad.jsonl: exit status not 1"
# (the census's own message is the forms author's to change)
sed -e "s|not bundled in [^;]*;|not bundled in FORMS;|" \
	-e "s|\(relationship: 'child'\): .*|\1: MESSAGE|" "$tmp/err" > "$tmp/got"
diff -u "$data/bad.expected" "$tmp/got" >&2 || fail "import bad.jsonl messages"

"$collector" list $db > "$tmp/list" || fail "list"
[ "$(wc -l < "$tmp/list")" = 4 ] || fail "list: $(cat "$tmp/list")"
grep -q '^uuid:11111111-1111-4111-8111-111111111111 .*report_roster .*finalized .*hh-Calle 1, "A"$' \
	"$tmp/list" || fail "list row: $(cat "$tmp/list")"

"$collector" status $db > "$tmp/status" || fail "status"
grep -q '^waiting to sync *2$' "$tmp/status" ||
	fail "status waiting: $(cat "$tmp/status")"
grep -q '^  all  *1  *2  *0  *0  *0  *3$' "$tmp/status" ||
	fail "status all: $(cat "$tmp/status")"
grep -q '^  2026-11-25  *0  *1 ' "$tmp/status" ||
	fail "status by day: $(cat "$tmp/status")"
grep -q '^  CD2  *1  *0 ' "$tmp/status" ||
	fail "status by enumerator: $(cat "$tmp/status")"

"$collector" show $db --audit uuid:22222222-2222-4222-8222-222222222222 \
	> "$tmp/show" || fail "show"
grep -q '^  household/member\[2\]/m_name = Zoe$' "$tmp/show" ||
	fail "show answers: $(cat "$tmp/show")"
grep -q 'repeat_added *household/member\[1\]' "$tmp/show" ||
	fail "show audit: $(cat "$tmp/show")"
"$collector" show $db uuid:99999999-9999-4999-8999-999999999999 \
	2> /dev/null && fail "show of an unknown id succeeded"

# export, import into a fresh database, export again: the same bytes (the
# interviews keep the device that collected them)
"$collector" export $db $form --format jsonl --out "$tmp/out1" 2> /dev/null ||
	fail "export jsonl"
diff -u "$data/good.jsonl" "$tmp/out1/interviews.jsonl" >&2 ||
	fail "export jsonl content"
"$collector" import --db "$tmp/fresh.db" $form "$tmp/out1/interviews.jsonl" \
	2> /dev/null || fail "import into a fresh database"
"$collector" export --db "$tmp/fresh.db" $form --format jsonl \
	--out "$tmp/out2" 2> /dev/null || fail "export fresh"
cmp -s "$tmp/out1/interviews.jsonl" "$tmp/out2/interviews.jsonl" ||
	fail "round trip differs"

# CSV: a file per form and per repeat
"$collector" export $db $form --format csv --out "$tmp/csv" --labels en \
	2> /dev/null || fail "export csv"
for f in report_roster.csv report_roster-member.csv report_roster-trip.csv \
	household_listing.csv; do
	[ -f "$tmp/csv/$f" ] || fail "export csv: no $f"
done
grep -q ',Woman,Spanish | Haitian Creole' "$tmp/csv/report_roster-member.csv" ||
	fail "csv labels: $(cat "$tmp/csv/report_roster-member.csv")"
"$collector" export $db $form --format csv --out "$tmp/csv2" \
	--form-id household_listing 2> /dev/null || fail "export --form-id"
[ -f "$tmp/csv2/report_roster.csv" ] && fail "--form-id wrote another form"

"$collector" export $db --format xml --out "$tmp/x" 2> /dev/null
[ $? = 2 ] || fail "export --format xml: exit status not 2"
"$collector" list --db "$tmp/missing.db" 2> /dev/null &&
	fail "list of a missing database succeeded"
exit $status
