#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails when a C file differs from what .clang-format makes of it.
root=$1
cf=$2
cd "$root" || exit 2
status=0
for f in $(find lib collector syncd hub tests bench -name '*.[ch]' 2>/dev/null); do
    if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
        echo "$f: not formatted (run: clang-format -i $f)"
        status=1
    fi
done
exit $status
