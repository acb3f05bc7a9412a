#!/bin/sh
# SPDX-License-Identifier: MIT
# The man pages render without a warning (groff -man -ww), and every option
# a program's usage names is documented in its page.
# usage: man.sh SOURCE_ROOT [PAGE=PROGRAM...]
root=$1
shift
command -v groff >/dev/null 2>&1 || { echo "groff not installed: skip"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/campo-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
for page in "$root"/docs/man/*.[1-8]; do
    LC_ALL=C.UTF-8 groff -man -ww -z "$page" >"$tmp/out" 2>&1 || echo "groff failed" >>"$tmp/out"
    if [ -s "$tmp/out" ]; then
        echo "$page:"; cat "$tmp/out"; status=1
    fi
done
# PAGE=PROGRAM: the options in PROGRAM's usage (what --help prints, on
# stdout or, for campo-hub, on stderr) must each appear in PAGE as roff
# writes them (\-\-name).
for pair in "$@"; do
    page=$root/docs/man/${pair%%=*} prog=${pair#*=}
    "$prog" --help >"$tmp/usage" 2>&1
    for opt in $(grep -v "unknown option" "$tmp/usage" | grep -oE -- "--[a-z][a-z-]*" | sort -u); do
        roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
        grep -q -- "$roff" "$page" || { echo "$page: does not document $opt"; status=1; }
    done
done
[ $status -eq 0 ] && echo ok
exit $status
