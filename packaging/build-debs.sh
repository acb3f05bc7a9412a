#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds campo's Debian packages (campo-collector, campo-forms, campo-syncd,
# campo-hub) from this tree into OUTDIR. dpkg-buildpackage wants debian/ at
# the source root, so the tree (without .git and build folders) is copied to
# a temporary folder with packaging/debian as its debian/.
# The suites do not run (nocheck): CI runs them on its own.
# usage: packaging/build-debs.sh OUTDIR    (tools: packaging/install-deps.sh)
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/campo-debs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/campo"
tar -C "$src" --exclude-vcs --exclude='./build' --exclude='./build-*' \
    --exclude='./packaging/debian' --exclude='*.db' -cf - . |
    tar -C "$tmp/campo" -xf -
cp -a "$src/packaging/debian" "$tmp/campo/debian"
(
    cd "$tmp/campo"
    DEB_BUILD_OPTIONS="nocheck parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" \
        dpkg-buildpackage -us -uc -b
)
for f in "$tmp"/*.deb "$tmp"/*.buildinfo "$tmp"/*.changes; do
    [ -e "$f" ] && mv "$f" "$out"/
done
ls "$out"
