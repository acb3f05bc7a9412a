#!/bin/sh
# SPDX-License-Identifier: MIT
# systemd-analyze verify passes, without a word, on packaging/systemd's
# units, with ExecStart= pointed at the programs just built.
# usage: systemd.sh SOURCE_ROOT HUB_EXE SYNCD_EXE (an empty name: skip it)
root=$1 hub=$2 syncd=$3
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze not installed: skip"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/campo-units.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/run" "$tmp/out"
status=0
# verify UNIT PROGRAM [--user]
verify() {
    [ -n "$2" ] || return 0
    sed "s#/usr/bin/$(basename "$2")#$2#" "$root/packaging/systemd/$1" >"$tmp/$1"
    # --user needs a runtime directory; --man=no: the pages are not installed
    XDG_RUNTIME_DIR=$tmp/run systemd-analyze $3 --man=no verify "$tmp/$1" \
        >"$tmp/out/$1" 2>&1 || echo "systemd-analyze failed" >>"$tmp/out/$1"
    if [ -s "$tmp/out/$1" ]; then
        echo "$1:"; cat "$tmp/out/$1"; status=1
    fi
}
verify campo-hub.service "$hub"
verify campo-syncd.service "$syncd" --user
[ $status -eq 0 ] && echo ok
exit $status
