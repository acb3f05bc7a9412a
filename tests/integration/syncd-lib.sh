# SPDX-License-Identifier: MIT
# Shared by the syncd-*.sh tests: a temporary folder, devices, the hub,
# campo-syncd configurations and the counts to check. Source it after
# setting collector, hub, syncd and roster (the form the interviews use).
# Everything runs on 127.0.0.1; every wait is bounded.
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/campo-syncd-test.XXXXXX") || exit 1
pids=
cleanup() {
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
# nothing may leave loopback, not even through a proxy from the environment
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() {
    if [ $fails -ne 0 ]; then
        for f in "$dir"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }; done
        exit 1
    fi
    echo ok
    exit 0
}
mkdir -p "$dir/forms" "$dir/home"
cp "$roster" "$dir/forms/" || exit 1

# jsonl FILE TAG FROM TO: finalized interviews TAG-FROM..TO (TAG: 8 hex)
jsonl() {
    sed -n 1p "$CAMPO_TEST_DATA/report/good.jsonl" |
    awk -v p="$2" -v a="$3" -v b="$4" '{ for (i = a; i <= b; i++) {
        l = $0
        sub(/uuid:11111111-1111-4111-8111-111111111111/,
            sprintf("uuid:%s-1111-4111-8111-%012d", p, i), l)
        print l } }' >"$1"
}

# device DB TAG FROM TO: import interviews TAG-FROM..TO into DB
device() {
    jsonl "$dir/import.jsonl" "$2" "$3" "$4"
    "$collector" import --db "$1" --form "$roster" "$dir/import.jsonl" \
        >>"$dir/import.log" 2>&1 || { fail "import into $1"; return 1; }
}

# hub_start [PORT]: serve $dir/hub.db; sets hub_pid and hub_addr
hub_start() {
    : >"$dir/hub.out"
    "$hub" serve --db "$dir/hub.db" --listen "127.0.0.1:${1:-0}" \
        --forms "$dir/forms" >"$dir/hub.out" 2>>"$dir/hub.log" &
    hub_pid=$!
    pids="$pids $hub_pid"
    i=0
    while [ ! -s "$dir/hub.out" ] && [ $i -lt 100 ] && kill -0 $hub_pid 2>/dev/null; do
        sleep 0.05; i=$((i + 1))
    done
    hub_addr=$(head -n 1 "$dir/hub.out")
    [ -n "$hub_addr" ]
}
hub_kill() { kill -9 "$hub_pid" 2>/dev/null; wait "$hub_pid" 2>/dev/null; }
hub_stop() { kill "$hub_pid" 2>/dev/null; wait "$hub_pid" 2>/dev/null; }

# token NAME: a device token in $dir/NAME.token
token() {
    "$hub" device add "$1" --db "$dir/hub.db" >"$dir/$1.token" || fail "device add $1"
}

# conf FILE URL TOKENFILE DB [key=value...]: a campo-syncd configuration
conf() {
    f=$1 url=$2 tok=$3 db=$4
    shift 4
    {
        echo "hub = $url"
        echo "token_file = $tok"
        echo "db = $db"
        echo "backoff_min_ms = 50"
        echo "backoff_max_ms = 400"
        echo "poll_ms = 20"
        echo "connect_timeout_s = 2"
        echo "low_speed_limit = 1000"
        echo "low_speed_time_s = 2"
        echo "timeout_s = 10"
        for kv in "$@"; do echo "$kv" | sed 's/=/ = /'; done
    } >"$f"
}

hub_sql() { sqlite3 "$dir/hub.db" "$1"; }
# at_hub: "revisions distinct-instances conflicts"
at_hub() {
    echo "$(hub_sql 'SELECT count(*) FROM revisions') $(hub_sql 'SELECT count(DISTINCT instance_id) FROM revisions') $(hub_sql 'SELECT count(*) FROM conflicts')"
}
# unsent DB: finalized interviews not marked sent, and unsent outbox entries
unsent() {
    echo "$(sqlite3 "$1" "SELECT count(*) FROM interviews WHERE status = 'finalized'") $(sqlite3 "$1" 'SELECT count(*) FROM outbox WHERE sent_at IS NULL')"
}
# sent DB: interviews marked sent
sent() { sqlite3 "$1" "SELECT count(*) FROM interviews WHERE status = 'sent'"; }

# wait_for SECONDS COMMAND...: polls COMMAND every 0.05 s until it succeeds
wait_for() {
    n=$(($1 * 20)); shift
    while [ $n -gt 0 ]; do
        "$@" && return 0
        sleep 0.05; n=$((n - 1))
    done
    return 1
}
