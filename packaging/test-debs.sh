#!/bin/sh
# SPDX-License-Identifier: MIT
# Proof that the Debian packages work: build them, check them with lintian,
# install them on this machine, run the installed programs against the
# installed forms (check, a hub that answers, one interview synced from a
# collector database to the hub), verify the installed systemd units, then
# purge every package the install added, so the machine is left as it was.
# Runs as root (CI, Debian 12, after packaging/install-deps.sh).
# usage: packaging/test-debs.sh
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
[ "$(id -u)" -eq 0 ] || { echo "test-debs: run as root" >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/campo-test-debs.XXXXXX")
chmod 755 "$tmp"
hub_pid=
added=
cleanup() {
    rc=$?
    if [ -n "$hub_pid" ]; then
        kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
    fi
    if [ -n "$added" ]; then
        echo "== purge: $added"
        # shellcheck disable=SC2086
        apt-get purge -y -qq $added >/dev/null || rc=1
        # packages keep their system user and state folder on purge (a
        # hub's database outlives the package); this machine is a test bed
        rm -rf /var/lib/campo-hub
        if getent passwd _campo-hub >/dev/null; then userdel _campo-hub || rc=1; fi
        if getent group _campo-hub >/dev/null; then groupdel _campo-hub || rc=1; fi
    fi
    rm -rf "$tmp"
    [ $rc -eq 0 ] && echo "test-debs: ok" || echo "test-debs: FAILED"
    exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "test-debs: FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($(( $(date +%s) - start ))s)"; }
start=$(date +%s)

step "build"
packaging/build-debs.sh "$tmp/debs" >"$tmp/build.log" 2>&1 ||
    { tail -n 40 "$tmp/build.log"; fail "dpkg-buildpackage"; }

if command -v lintian >/dev/null 2>&1; then
    step "lintian"
    # errors fail; warnings and notes are printed (the ones left are listed
    # in packaging/debian/README.source)
    lintian --fail-on error "$tmp"/debs/*.changes ||
        fail "lintian reports errors"
fi

step "install"
dpkg-query -W -f '${binary:Package}\n' | sort >"$tmp/before"
debs=$(ls "$tmp"/debs/*.deb | grep -v -- '-dbgsym_')
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $debs >"$tmp/apt.log" 2>&1 ||
    { cat "$tmp/apt.log"; added=$(dpkg-query -W -f '${binary:Package}\n' |
        sort | comm -13 "$tmp/before" -); fail "apt-get install"; }
added=$(dpkg-query -W -f '${binary:Package}\n' | sort | comm -13 "$tmp/before" - | tr '\n' ' ')
echo "installed: $added"
for p in campo-collector campo-forms campo-syncd campo-hub; do
    dpkg-query -W -f '${Status}\n' "$p" | grep -q 'install ok installed' ||
        fail "$p is not installed"
done

step "installed files"
forms=/usr/share/campo/forms
[ -x /usr/bin/campo-collector ] && [ -x /usr/bin/campo-hub ] &&
    [ -x /usr/bin/campo-syncd ] || fail "programs missing from /usr/bin"
getent passwd _campo-hub >/dev/null || fail "no _campo-hub user (sysusers.d)"
[ "$(stat -c %U /var/lib/campo-hub)" = _campo-hub ] ||
    fail "/var/lib/campo-hub is not _campo-hub's (tmpfiles.d)"
[ -f /etc/default/campo-hub ] || fail "no /etc/default/campo-hub"
[ -f /usr/share/doc/campo-syncd/examples/syncd.conf ] || fail "no example syncd.conf"
# man pages (a container may be set to skip /usr/share/man: then they are
# not there, and groff already checked them in the lint suite)
for page in /usr/share/man/man1/campo-collector.1.gz \
    /usr/share/man/man8/campo-hub.8.gz /usr/share/man/man8/campo-syncd.8.gz; do
    [ -f "$page" ] || { echo "note: $page not installed (dpkg path-exclude?)"; continue; }
    if command -v groff >/dev/null 2>&1; then
        out=$(zcat "$page" | groff -man -ww -z 2>&1) || fail "$page: groff failed"
        [ -z "$out" ] || fail "$page: $out"
    fi
done

step "campo-collector check on the installed forms"
campo-collector --version
campo-collector check "$forms"/*.json >"$tmp/check.out" ||
    { cat "$tmp/check.out"; fail "campo-collector check"; }

step "campo-hub serve as _campo-hub, on 127.0.0.1 port 0"
hubdir=$tmp/hub
mkdir "$hubdir" && chown _campo-hub:_campo-hub "$hubdir"
# setpriv execs (runuser forks), so $! below is the hub itself
hub() { setpriv --reuid=_campo-hub --regid=_campo-hub --init-groups campo-hub "$@"; }
token=$(hub device add ci-laptop --db "$hubdir/hub.db") || fail "campo-hub device add"
setpriv --reuid=_campo-hub --regid=_campo-hub --init-groups \
    campo-hub serve --db "$hubdir/hub.db" --listen 127.0.0.1:0 --forms "$forms" \
    >"$tmp/hub.out" 2>"$tmp/hub.log" &
hub_pid=$!
i=0
while [ ! -s "$tmp/hub.out" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
addr=$(head -n 1 "$tmp/hub.out")
[ -n "$addr" ] || { cat "$tmp/hub.log"; fail "campo-hub did not start"; }
curl -fsS "http://$addr/api/v1/health" >"$tmp/health" || fail "health"
grep -q '"status":"ok"' "$tmp/health" || fail "health says $(cat "$tmp/health")"
echo "hub at $addr: $(cat "$tmp/health")"

step "one interview: campo-collector import, campo-syncd --once, campo-hub"
grep '"form_id":"household_listing"' "$src/tests/data/report/good.jsonl" |
    grep '"status":"finalized"' | head -n 1 >"$tmp/one.jsonl"
[ -s "$tmp/one.jsonl" ] || fail "no finalized household_listing line in tests/data"
collector_db=$tmp/collector.db
campo-collector import --db "$collector_db" "$tmp/one.jsonl" || fail "campo-collector import"
campo-collector status --db "$collector_db" | grep -q 'waiting to sync *1$' ||
    fail "the imported interview is not waiting to sync"
printf '%s\n' "$token" >"$tmp/token"
chmod 600 "$tmp/token"
# HOME: no configuration file but this one's flags
HOME=$tmp campo-syncd --once --hub "http://$addr" --token-file "$tmp/token" \
    --db "$collector_db" >"$tmp/syncd.out" 2>&1 ||
    { cat "$tmp/syncd.out"; cat "$tmp/hub.log"; fail "campo-syncd --once"; }
cat "$tmp/syncd.out"
campo-collector status --db "$collector_db" | grep -q 'waiting to sync *0$' ||
    fail "the interview is still waiting after the sync"
hub device list --db "$hubdir/hub.db" | grep -q '^ci-laptop.*1 batches$' ||
    fail "the hub did not record one batch: $(hub device list --db "$hubdir/hub.db")"
kill "$hub_pid"
wait "$hub_pid" || fail "campo-hub serve did not stop cleanly on SIGTERM"
hub_pid=
grep -q ' 201 ' "$tmp/hub.log" || fail "no 201 in the hub's log"

step "systemd-analyze verify on the installed units"
if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir "$tmp/run"
    for unit in /lib/systemd/system/campo-hub.service \
        /usr/lib/systemd/user/campo-syncd.service; do
        [ -f "$unit" ] || fail "$unit not installed"
        case $unit in */user/*) scope=--user ;; *) scope=--system ;; esac
        # --man=no: man-db may not be there; the pages were checked above
        out=$(XDG_RUNTIME_DIR=$tmp/run systemd-analyze $scope --man=no \
            verify "$unit" 2>&1) || fail "$unit: $out"
        [ -z "$out" ] || fail "$unit: $out"
        echo "$unit: ok"
    done
    [ -L /etc/systemd/user/default.target.wants/campo-syncd.service ] ||
        fail "campo-syncd.service is not enabled for user sessions"
else
    echo "note: systemd-analyze not installed"
fi
if [ -d /run/systemd/system ]; then
    step "campo-hub.service under systemd"
    systemctl restart campo-hub.service
    i=0
    until curl -fsS http://127.0.0.1:8470/api/v1/health >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 50 ] || { systemctl status campo-hub.service || true;
            fail "campo-hub.service does not answer on 127.0.0.1:8470"; }
        sleep 0.2
    done
    echo "campo-hub.service answers"
fi
step "done"
