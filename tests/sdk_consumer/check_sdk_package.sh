#!/usr/bin/env bash
# Installs ductor into a temp prefix, builds tests/sdk_consumer against the
# installed package with find_package(ductor), and checks that the installed
# ductor loads the result and selects it.
# Usage: check_sdk_package.sh <build dir> <consumer source dir>
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/ductor"
# The package version is the plugin ABI: asking for another ABI major fails and says why.
mkdir -p "$work/old-abi"
printf 'cmake_minimum_required(VERSION 3.25)\nproject(old CXX)\nfind_package(ductor 2.2 REQUIRED)\n' >"$work/old-abi/CMakeLists.txt"
if old=$(cmake -S "$work/old-abi" -B "$work/old-abi/build" -DCMAKE_PREFIX_PATH="$work/prefix" 2>&1); then
  echo "find_package(ductor 2.2) should have failed"; exit 1
fi
grep -q "builds plugins for plugin ABI [0-9.]*, not 2.2" <<<"$old"
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
plugin="$work/build/plugins/consumer.so"
test -f "$plugin"

out=$("$work/prefix/bin/ductor" plugins --plugin-dir "$work/build/plugins" --backend consumer)
echo "$out"
grep -Eq "consumer 1.0.0  ABI [0-9]+\.[0-9]+  priority 1  available" <<<"$out"
grep -q "Selected: consumer" <<<"$out"
# The installed ductor finds the native plugins in <prefix>/lib*/ductor/plugins.
grep -Eq "/prefix/lib[^ ]*/ductor/plugins/systemd.so" <<<"$out"
dry=$("$work/prefix/bin/ductor" --plugin-dir "$work/build/plugins" --backend consumer service install --dry-run -- /bin/true)
grep -q "consumerctl add ductor" <<<"$dry"
echo "sdk package: install, find_package(ductor), ductor_add_plugin and loading all work"
