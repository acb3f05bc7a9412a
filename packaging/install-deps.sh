#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages campo's build and tests need (Debian 12),
# and the tools that build and check its Debian packages (groff-base for the
# man page lint, systemd for systemd-analyze, debhelper, dpkg-dev, lintian),
# and chromium for the supervisor page's browser test (which skips, exit
# 77, without it).
# Run as root, or as a user who may sudo. Safe to run again.
set -eu

packages="
build-essential
meson
ninja-build
pkg-config
libsqlite3-dev
sqlite3
libcurl4-openssl-dev
libcjson-dev
zlib1g-dev
libpcre2-dev
libncurses-dev
libmicrohttpd-dev
curl
check
tmux
valgrind
clang-format
groff-base
chromium
systemd
debhelper
dpkg-dev
lintian
"

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
else
    sudo="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "install-deps: packages ready"
