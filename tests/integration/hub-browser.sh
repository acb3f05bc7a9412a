#!/bin/sh
# SPDX-License-Identifier: MIT
# The supervisor's page in a real browser: Debian's chromium, headless, on
# a hub at 127.0.0.1 port 0 with interviews, a conflict and targets. The
# page loads, its numbers match the database, the sign-in form is what a
# browser without credentials gets, and a phone-sized screenshot is kept
# as test output (meson-logs/hub-dashboard.png).
# usage: hub-browser.sh CAMPO_HUB MAKE_BATCH FORMS_DIR
hub=$1 mk=$2 forms=$3
browser=${CHROMIUM:-chromium}
command -v "$browser" >/dev/null 2>&1 || { echo "chromium not installed: skip"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "curl not installed: skip"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/campo-browser-test.XXXXXX") || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

db=$dir/hub.db
form=quilicura_census
ver=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$forms/quilicura-census.json" | head -n 1)
pass='correct horse battery'
shots=${CAMPO_BUILD_ROOT:-$dir}/meson-logs
mkdir -p "$shots"

token=$("$hub" device add tablet-1 --db "$db") || exit 1
"$hub" device add tablet-9 --db "$db" >/dev/null || exit 1
printf '%s\n' "$pass" | "$hub" supervisor add ana --db "$db" || exit 1
printf 'area,enumerator,expected\n3,,40\nnorte,,12\n' >"$dir/targets.csv"
"$hub" targets import "$dir/targets.csv" --db "$db" >/dev/null || exit 1

"$hub" serve --db "$db" --listen 127.0.0.1:0 >"$dir/out" 2>"$dir/log" &
pid=$!
i=0
while [ ! -s "$dir/out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
addr=$(head -n 1 "$dir/out")
[ -n "$addr" ] || { echo "hub did not start"; cat "$dir/log"; exit 1; }

"$mk" "$dir/b1.gz" 22222222-1111-4111-8111-000000000001 $form "$ver" 17 0 || exit 1
"$mk" "$dir/b2.gz" 22222222-1111-4111-8111-000000000002 $form "$ver" 3 0 1 || exit 1
for b in 1 2; do
    curl -s -o /dev/null -X PUT -H "Authorization: Bearer $token" \
        --data-binary "@$dir/b$b.gz" \
        "http://$addr/api/v1/batches/22222222-1111-4111-8111-00000000000$b"
done

# The browser keeps everything in the test's folder, never in a home.
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_CACHE_HOME="$dir/home/.cache"
mkdir -p "$HOME"
sandbox=
[ "$(id -u)" -eq 0 ] && sandbox=--no-sandbox # chromium refuses root otherwise
browse() { # OUTPUT-OPTION URL
    timeout 120 "$browser" --headless=new $sandbox --disable-gpu \
        --no-first-run --no-default-browser-check --disable-extensions \
        --disable-background-networking --disable-sync --disable-dev-shm-usage \
        --user-data-dir="$dir/profile" --window-size=412,915 \
        "$@" 2>>"$dir/browser.log"
}

# name:password@ in the URL is sent after the 401 that ?auth=basic asks for
url="http://ana:correct%20horse%20battery@$addr/?auth=basic"
browse --dump-dom "$url" >"$dir/dom.html" || fail "chromium --dump-dom failed: $(tail -n 3 "$dir/browser.log")"
browse --screenshot="$shots/hub-dashboard.png" "$url" >/dev/null ||
    fail "chromium --screenshot failed"
[ -s "$shots/hub-dashboard.png" ] || fail "no screenshot"

# the numbers on the page, against the database
total=$(sqlite3 "$db" 'SELECT count(DISTINCT instance_id) FROM revisions')
conflicts=$(sqlite3 "$db" 'SELECT count(*) FROM conflicts WHERE settled = 0')
ab1=$(sqlite3 "$db" "SELECT count(DISTINCT instance_id) FROM revisions WHERE enumerator = 'AB1'")
[ "$total" = 17 ] && [ "$conflicts" = 3 ] || fail "seeded: $total interviews, $conflicts conflicts"
grep -q "<b id=\"total\">$total</b>" "$dir/dom.html" || fail "page total is not $total"
grep -q "<b id=\"conflicts\">$conflicts</b>" "$dir/dom.html" || fail "page conflicts are not $conflicts"
grep -q '<b id="never-seen">1</b>' "$dir/dom.html" || fail "page: one device never seen"
grep -q "<tr data-area=\"3\"><td>3</td><td class=\"n done\">$total</td><td class=\"n expected\">40</td>" \
    "$dir/dom.html" || fail "page: area 3 done against 40"
grep -q '<tr data-area="norte"><td>norte</td><td class="n done">0</td><td class="n expected">12</td>' \
    "$dir/dom.html" || fail "page: norte, nothing done of 12"
grep -q "<tr data-enumerator=\"AB1\"><td>AB1</td><td class=\"n done\">$ab1</td>" \
    "$dir/dom.html" || fail "page: AB1 did $ab1"
grep -q "<tr data-status=\"conflict\"><td>conflict</td><td class=\"n done\">$conflicts</td>" \
    "$dir/dom.html" || fail "page: $conflicts in conflict"
grep -q '<tr data-device="tablet-9"><td>tablet-9</td><td><span class="warn">never</span>' \
    "$dir/dom.html" || fail "page: tablet-9 never seen"
# what the browser got is what the JSON says
curl -s -u "ana:$pass" "http://$addr/api/v1/report" >"$dir/report.json"
grep -q "\"total\":$total," "$dir/report.json" || fail "JSON total"

# without credentials the browser lands on the sign-in form
browse --dump-dom "http://$addr/" >"$dir/signin.html" || fail "chromium on /"
grep -q '<form method="post" action="/signin">' "$dir/signin.html" || fail "no sign-in form without credentials"
grep -q 'id="total"' "$dir/signin.html" && fail "numbers shown without signing in"
# a wrong password shows no numbers either
browse --dump-dom "http://ana:wrong@$addr/?auth=basic" >"$dir/wrong.html"
grep -q 'id="total"' "$dir/wrong.html" && fail "numbers shown for a wrong password"

kill "$pid" && wait "$pid"
pid=
if [ $fails -ne 0 ]; then
    cat "$dir/log"
    tail -n 20 "$dir/browser.log"
    exit 1
fi
echo "ok (screenshot: $shots/hub-dashboard.png)"
