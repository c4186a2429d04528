#!/usr/bin/env bash
# Installs every Debian 12 package needed to build ductor and run all of its
# tests (compilers, libraries, and the real peers the integration tests use).
# Run as root (or through sudo).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  libboost-dev libboost-program-options-dev libspdlog-dev catch2
  # real peers for the integration tests
  systemd dbus python3 libxml2-utils util-linux procps passwd
  wine wine64
)

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-deps: ${#packages[@]} packages present"
