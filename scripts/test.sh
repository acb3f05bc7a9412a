#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds campo with warnings as errors and runs every test suite.
# Usage: scripts/test.sh [BUILDDIR]   (packages: packaging/install-deps.sh)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-test}
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" -Dwerror=true >/dev/null
fi
ninja -C "$build"
meson test -C "$build" --print-errorlogs
