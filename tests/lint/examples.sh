#!/bin/sh
# SPDX-License-Identifier: MIT
# packaging/examples/syncd.conf is one campo-syncd reads: as shipped, and
# with every commented-out setting switched on (exit 2 is a configuration
# error; 1 is the missing database this check gives it).
# usage: examples.sh SOURCE_ROOT CAMPO_SYNCD
root=$1 syncd=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/campo-examples.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
conf=$root/packaging/examples/syncd.conf
sed 's/^#\([a-z_]* = \)/\1/' "$conf" >"$tmp/all.conf"
for c in "$conf" "$tmp/all.conf"; do
    HOME=$tmp "$syncd" status --config "$c" --db "$tmp/none.db" >"$tmp/out" 2>&1
    rc=$?
    if [ $rc -ne 1 ] || ! grep -q 'cannot open' "$tmp/out"; then
        echo "$c: campo-syncd does not read it (exit $rc):"; cat "$tmp/out"; status=1
    fi
done
[ $status -eq 0 ] && echo ok
exit $status
