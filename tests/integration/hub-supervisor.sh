#!/bin/sh
# SPDX-License-Identifier: MIT
# campo-hub's supervisors on 127.0.0.1 port 0: accounts, targets, the
# report from the command line, signing in with the form and a cookie, the
# page, /api/v1/report with the cookie and with HTTP Basic, wrong
# passwords, signing out, a cross-site form. The numbers shown are checked
# against the database.
# usage: hub-supervisor.sh CAMPO_HUB MAKE_BATCH FORMS_DIR
hub=$1 mk=$2 forms=$3
command -v curl >/dev/null 2>&1 || { echo "curl not installed: skip"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/campo-sup-test.XXXXXX") || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect() { # WHAT WANT GOT
    [ "$2" = "$3" ] || fail "$1: want '$2', got '$3'"
}

db=$dir/hub.db
form=quilicura_census
ver=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$forms/quilicura-census.json" | head -n 1)
pass='correct horse battery'

# ----- accounts -----
token=$("$hub" device add tablet-1 --db "$db") || { echo "device add failed"; exit 1; }
"$hub" device add tablet-2 --db "$db" >/dev/null || exit 1
printf '%s\n' "$pass" | "$hub" supervisor add ana --db "$db" || fail "supervisor add from stdin"
printf 'other-pass-1\n' >"$dir/pw"
"$hub" supervisor add bo --db "$db" --password-file "$dir/pw" || fail "supervisor add --password-file"
printf '%s\n' "$pass" | "$hub" supervisor add ana --db "$db" 2>/dev/null && fail "a second ana"
printf 'short\n' | "$hub" supervisor add cy --db "$db" 2>/dev/null && fail "a 5-byte password"
"$hub" supervisor add dee --db "$db" --password-file "$dir/none" 2>/dev/null && fail "a missing password file"
sqlite3 "$db" "SELECT count(*) FROM supervisors WHERE iterations >= 100000 AND length(salt) = 16" |
    grep -qx 2 || fail "two supervisors with a salted slow hash"
sqlite3 "$db" "SELECT count(*) FROM supervisors WHERE instr(CAST(hash AS TEXT), 'correct') > 0" |
    grep -qx 0 || fail "a password stored in clear"

# ----- targets -----
printf 'area,enumerator,expected\n3,,40\n3,AB1,25\n' >"$dir/targets.csv"
"$hub" targets import "$dir/targets.csv" --db "$db" | grep -qx "2 targets" || fail "targets import"
printf 'area,expected\nnorte,many\n' >"$dir/bad.csv"
"$hub" targets import "$dir/bad.csv" --db "$db" 2>"$dir/err" && fail "a bad targets file"
grep -q "line 2" "$dir/err" || fail "a bad targets file names its line: $(cat "$dir/err")"

# ----- the hub, with 10 interviews and one conflict -----
"$hub" serve --db "$db" --listen 127.0.0.1:0 >"$dir/out" 2>"$dir/log" &
pid=$!
i=0
while [ ! -s "$dir/out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
addr=$(head -n 1 "$dir/out")
[ -n "$addr" ] || { echo "hub did not start"; cat "$dir/log"; exit 1; }
base=http://$addr

"$mk" "$dir/b1.gz" 11111111-1111-4111-8111-000000000001 $form "$ver" 10 0 || exit 1
"$mk" "$dir/b2.gz" 11111111-1111-4111-8111-000000000002 $form "$ver" 2 0 1 || exit 1
for b in 1 2; do
    curl -s -o /dev/null -X PUT -H "Authorization: Bearer $token" \
        --data-binary "@$dir/b$b.gz" \
        "$base/api/v1/batches/11111111-1111-4111-8111-00000000000$b"
done
interviews=$(sqlite3 "$db" 'SELECT count(DISTINCT instance_id) FROM revisions')
conflicts=$(sqlite3 "$db" 'SELECT count(*) FROM conflicts WHERE settled = 0')
expect "interviews stored" 10 "$interviews"
expect "conflicts stored" 2 "$conflicts"

# ----- the report on the command line -----
"$hub" report --db "$db" --format json >"$dir/cli.json" || fail "report --format json"
grep -q "\"total\":$interviews," "$dir/cli.json" || fail "report total: $(cat "$dir/cli.json")"
grep -q '"by_status":\[{"status":"received","interviews":8},{"status":"conflict","interviews":2},{"status":"returned","interviews":0},{"status":"resubmitted","interviews":0}\]' \
    "$dir/cli.json" || fail "report by status"
grep -q '{"area":"3","interviews":10,"expected":40,"percent":25.0}' "$dir/cli.json" ||
    fail "report area against its target"
grep -q '"name":"tablet-2","revoked":false,"last_seen":null,"last_batch":null,"batches":0,"interviews":0,"never_seen":true' \
    "$dir/cli.json" || fail "report: a device never seen"
"$hub" report --db "$db" --format csv | grep -q '^by_area,3,,10,40,25.0,,,' || fail "report --format csv"
"$hub" report --db "$db" | grep -q "^interviews 10 " || fail "report as a table"
"$hub" report --db "$db" --format xml 2>/dev/null; expect "unknown format" 2 $?
"$hub" report --db "$db" --area-field 'no such' 2>/dev/null; expect "bad area field" 1 $?

# ----- exports of what was synced -----
"$hub" export --db "$db" --out "$dir/csv" --forms "$forms" --codebook >/dev/null || fail "export csv"
expect "CSV rows" $((interviews + 1)) "$(grep -c '^uuid:\|^instance_id,' "$dir/csv/$form.csv")"
expect "CSV conflicts flagged" "$conflicts" "$(grep -c '^uuid:[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,1,' "$dir/csv/$form.csv")"
[ -s "$dir/csv/$form-codebook.csv" ] || fail "codebook"
"$hub" export --db "$db" --out "$dir/json" --format json --all-revisions >/dev/null || fail "export json"
expect "JSON lines, every revision" "$(sqlite3 "$db" 'SELECT count(*) FROM revisions')" "$(wc -l <"$dir/json/interviews.jsonl")"
"$hub" export --db "$db" --out "$dir/csv2" 2>/dev/null; expect "CSV without forms" 2 $?

# ----- signing in -----
# get PATH [CURL ARGS...]: prints the status; headers in $dir/h, body in $dir/body
get() {
    p=$1; shift
    curl -s -D "$dir/h" -o "$dir/body" -w '%{http_code}' "$@" "$base$p"
}
expect "/ unsigned" 303 "$(get /)"
tr -d '\r' <"$dir/h" | grep -qix 'Location: /signin' || fail "/ sends to /signin"
expect "/signin" 200 "$(get /signin)"
grep -q '<form method="post" action="/signin">' "$dir/body" || fail "the sign-in form"
grep -qi "^Content-Security-Policy: default-src 'none'" "$dir/h" || fail "a CSP"
expect "wrong password" 401 "$(get /signin --data-urlencode name=ana --data-urlencode password=wrong)"
grep -q 'wrong name or password' "$dir/body" || fail "wrong password says so"
grep -qi '^Set-Cookie' "$dir/h" && fail "no cookie for a wrong password"
expect "unknown name" 401 "$(get /signin -d 'name=eve&password=x')"
expect "empty form" 400 "$(get /signin -d '')"
expect "sign in" 303 "$(get /signin --data-urlencode name=ana --data-urlencode "password=$pass" -c "$dir/jar")"
tr -d '\r' <"$dir/h" | grep -qix 'Location: /' || fail "signed in goes to /"
cookie=$(grep -i '^Set-Cookie:' "$dir/h" | tr -d '\r')
echo "$cookie" | grep -q 'campo_session=[0-9a-f]\{64\};' || fail "session cookie: $cookie"
echo "$cookie" | grep -q 'HttpOnly' || fail "cookie HttpOnly"
echo "$cookie" | grep -q 'SameSite=Strict' || fail "cookie SameSite=Strict"
echo "$cookie" | grep -q 'Max-Age=[1-9]' || fail "cookie expiry"
echo "$cookie" | grep -q 'Secure' && fail "cookie Secure on plain HTTP"
sqlite3 "$db" "SELECT count(*) FROM sessions" | grep -qx 1 || fail "one session stored"
sqlite3 "$db" "SELECT count(*) FROM sessions WHERE hex(token_hash) = upper('$(echo "$cookie" | sed 's/.*campo_session=\([0-9a-f]*\);.*/\1/')')" |
    grep -qx 0 || fail "session token stored in clear"

# ----- the page -----
expect "the page" 200 "$(get / -b "$dir/jar")"
grep -q "<b id=\"total\">$interviews</b>" "$dir/body" || fail "page total"
grep -q "<b id=\"conflicts\">$conflicts</b>" "$dir/body" || fail "page conflicts"
grep -q '<tr data-area="3"><td>3</td><td class="n done">10</td><td class="n expected">40</td><td><progress max="40" value="10">' \
    "$dir/body" || fail "page area progress"
grep -q '<tr data-enumerator="AB1"><td>AB1</td><td class="n done">10</td><td class="n expected">25</td>' \
    "$dir/body" || fail "page enumerator progress"
grep -q '<tr data-device="tablet-2"><td>tablet-2</td><td><span class="warn">never</span>' \
    "$dir/body" || fail "page: a device never seen"
grep -q '<meta http-equiv="refresh"' "$dir/body" || fail "page refreshes itself"
grep -Eq '(src|href)="(https?:)?//' "$dir/body" && fail "page loads something from elsewhere"
grep -q '<script' "$dir/body" && fail "page has a script"

# ----- /api/v1/report -----
expect "report with cookie" 200 "$(get /api/v1/report -b "$dir/jar")"
cmp -s "$dir/body" "$dir/cli.json" || fail "the API's JSON is the command's"
expect "report with Basic" 200 "$(get /api/v1/report -u "ana:$pass")"
cmp -s "$dir/body" "$dir/cli.json" || fail "the API's JSON with Basic"
expect "report with bo's Basic" 200 "$(get /api/v1/report -u bo:other-pass-1)"
expect "report wrong Basic" 401 "$(get /api/v1/report -u ana:wrong)"
grep -qi '^WWW-Authenticate: Basic' "$dir/h" || fail "401 asks for Basic"
expect "report unsigned" 401 "$(get /api/v1/report)"
expect "report with a device token" 401 "$(get /api/v1/report -H "Authorization: Bearer $token")"
expect "page with Basic" 200 "$(get / -u "ana:$pass")"
expect "page wrong Basic" 401 "$(get / -u ana:nope)"
expect "report POST" 405 "$(get /api/v1/report -X POST -u "ana:$pass")"

# ----- a form from elsewhere, signing out -----
expect "cross-site sign out" 403 "$(get /signout -X POST -b "$dir/jar" -H 'Origin: http://evil.example')"
expect "still signed in" 200 "$(get /api/v1/report -b "$dir/jar")"
expect "sign out" 303 "$(get /signout -X POST -b "$dir/jar" -H "Origin: $base")"
grep -qi '^Set-Cookie: campo_session=; Path=/; Max-Age=0' "$dir/h" || fail "sign out clears the cookie"
expect "signed out" 401 "$(get /api/v1/report -b "$dir/jar")"
sqlite3 "$db" "SELECT count(*) FROM sessions" | grep -qx 0 || fail "session removed"

# a devices' upload still works beside all this
expect health 200 "$(get /api/v1/health)"
kill "$pid" && wait "$pid"
pid=
grep -q 'GET / 200 .*device=ana' "$dir/log" || fail "the log names the supervisor"
grep -q "$pass" "$dir/log" && fail "a password in the log"

[ $fails -eq 0 ] && echo ok
[ $fails -eq 0 ]
