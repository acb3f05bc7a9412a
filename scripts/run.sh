#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds campo and starts the collector on the bundled census form with a
# local SQLite file (./campo-demo.db unless CAMPO_DB says otherwise).
# Packages first: packaging/install-deps.sh
set -eu
cd "$(dirname "$0")/.."
build=${CAMPO_BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" >/dev/null
fi
ninja -C "$build" >/dev/null
form=forms/quilicura-census.json
db=${CAMPO_DB:-./campo-demo.db}
collector="$build/collector/campo-collector"
# The terminal form runner when it was built (ncursesw found); without it,
# check the bundled forms.
if "$collector" --help | grep -q '^  run '; then
    exec "$collector" run --form "$form" --db "$db"
fi
echo "campo: no terminal form runner in this build (ncursesw missing)"
echo "campo: database will be $db"
exec "$collector" check "$form" forms/household-listing.json
