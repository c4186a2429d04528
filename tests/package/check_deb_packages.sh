#!/usr/bin/env bash
# The Debian packages as a distribution ships them: builds ductor and
# ductor-dev with cpack from the already-built tree, checks them with lintian,
# installs them with dpkg, runs the installed /usr/bin/ductor (it must find its
# plugins with no flag) through a service lifecycle with the standalone
# backend, builds a plugin with -std=c++17 against the installed SDK (and
# installs it into the system plugin folder, where ductor finds it as it would
# find a plugin package's), then purges both packages and checks that nothing
# is left. The machine is restored on every exit, also after a failure.
#
# Usage: check_deb_packages.sh <build dir> <source dir> <cpack>
# Needs root and dpkg; otherwise it prints SKIPPED and exits 77, except with
# CI=true, where a skip is a failure.
set -euo pipefail
build_dir=$(realpath "$1")
source_dir=$(realpath "$2")
cpack=$3
start=$SECONDS

skip() {
  if [ "${CI:-}" = "true" ]; then
    echo "FAILED: CI=true and the package test cannot run: $1"
    exit 1
  fi
  echo "SKIPPED: $1"
  exit 77
}
step() { printf '\n== %s\n' "$*"; }

[ "$(id -u)" = 0 ] || skip "installing packages needs root (dpkg -i into /usr)"
for tool in dpkg dpkg-deb dpkg-query dpkg-architecture dpkg-shlibdeps dpkg-parsechangelog lintian file c++ "$cpack"; do
  command -v "$tool" >/dev/null || skip "$tool is missing (scripts/install-deps.sh installs it)"
done
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build_dir/CMakeCache.txt")
[ "$prefix" = /usr ] ||
  skip "the build tree installs into '$prefix'; packages need CMAKE_INSTALL_PREFIX=/usr (presets ci and package)"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=/usr/lib/$multiarch
plugin_dir=$libdir/ductor/plugins
# is_installed <package>: dpkg knows it as installed (also half-installed or unpacked).
is_installed() {
  local status
  status=$(dpkg-query -W -f '${Status}' "$1" 2>/dev/null) || return 1
  [ "${status##* }" != not-installed ]
}
for p in ductor ductor-dev; do
  if is_installed "$p"; then
    skip "the package $p is installed on this machine; the test would replace and purge it"
  fi
done
for path in /usr/bin/ductor /usr/include/ductor "$libdir/ductor" "$libdir/cmake/ductor"; do
  [ ! -e "$path" ] || skip "$path exists outside any package; the test would overwrite and remove it"
done

work=$(mktemp -d)
chmod 0755 "$work"
home=$work/home
marker=$work/service.pid
service=ductor-package-test
installed=no
consumer_manifest=""
# The installed ductor runs with a throwaway HOME and DUCTOR_HOME, and a PATH
# without crontab, so the standalone backend sets up no boot hook of root's.
mkdir -p "$home" "$work/no-tools"
installed_ductor() {
  env -i HOME="$home" DUCTOR_HOME="$home/.ductor" PATH="$work/no-tools" LANG=C.UTF-8 /usr/bin/ductor "$@"
}
pid_alive() { [ -s "$marker" ] && kill -0 "$(cat "$marker")" 2>/dev/null; }
# wait_for <seconds> <what> <command...>: polls until the command succeeds.
wait_for() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "FAILED: $what did not happen within the deadline"
      return 1
    fi
    sleep 0.1
  done
}
# expect_status <code> <when> <meaning>: the test service's status exits with <code>.
expect_status() {
  local rc=0
  installed_ductor --backend standalone service status --name "$service" >/dev/null || rc=$?
  [ "$rc" = "$1" ] || {
    echo "FAILED: status $2 exits $rc, not $1 ($3)"
    exit 1
  }
}
cleanup() {
  local rc=$?
  set +e
  if [ "$installed" = yes ]; then
    installed_ductor service uninstall --name "$service" >/dev/null 2>&1
    if [ -n "$consumer_manifest" ] && [ -f "$consumer_manifest" ]; then
      xargs -d '\n' rm -f <"$consumer_manifest"
    fi
    dpkg --purge ductor-dev ductor >/dev/null 2>&1
  fi
  pid_alive && kill -KILL "$(cat "$marker")"
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

step "cpack -G DEB from $build_dir"
"$cpack" -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log"
  exit 1
}
version=$(dpkg-parsechangelog -l "$source_dir/cmake/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
deb=$work/out/ductor_${version}_${arch}.deb
deb_dev=$work/out/ductor-dev_${version}_${arch}.deb
for f in "$deb" "$deb_dev"; do
  [ -f "$f" ] || {
    echo "FAILED: $(basename "$f") was not built (cmake/debian/changelog's version is $version):"
    ls "$work/out"
    exit 1
  }
  printf '%s  %s bytes\n' "$(basename "$f")" "$(stat -c %s "$f")"
done
# (Output is captured before it is searched: grep -q would end a pipe early.)
depends=$(dpkg-deb -f "$deb" Depends)
depends_dev=$(dpkg-deb -f "$deb_dev" Depends)
printf 'ductor depends on: %s\nductor-dev depends on: %s\n' "$depends" "$depends_dev"
grep -qF "ductor (= $version)" <<<"$depends_dev"
grep -q "libc6" <<<"$depends"  # from dpkg-shlibdeps
for f in "$deb" "$deb_dev"; do
  dpkg-deb -I "$f" md5sums >/dev/null
  package=$(dpkg-deb -f "$f" Package)
  contents=$(dpkg-deb -c "$f")
  grep -q "/usr/share/doc/$package/copyright$" <<<"$contents"
  grep -q "/usr/share/doc/$package/changelog.Debian.gz$" <<<"$contents"
done

step "lintian"
lintian --fail-on error --display-info "$deb" "$deb_dev" | tee "$work/lintian.log"
if grep -q '^E: ' "$work/lintian.log"; then
  echo "FAILED: lintian reports errors"
  exit 1
fi

step "dpkg -i"
# Which of the packages' paths exist before (shared folders such as /usr/bin).
{ dpkg-deb -c "$deb"; dpkg-deb -c "$deb_dev"; } | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | sort -u >"$work/paths"
while read -r path; do [ ! -e "$path" ] || echo "$path"; done <"$work/paths" >"$work/before"
installed=yes
dpkg -i "$deb" "$deb_dev"
dpkg --verify ductor ductor-dev  # every file matches its md5sum
dpkg -L ductor ductor-dev | sort -u >"$work/listed"
grep -qx "$plugin_dir/systemd.so" "$work/listed"
grep -qx "$plugin_dir/standalone.so" "$work/listed"
if grep -E '/(launchd|taskscheduler)\.so$' "$work/listed"; then
  echo "FAILED: plugins of other platforms are installed"
  exit 1
fi
for binary in /usr/bin/ductor "$plugin_dir/systemd.so" "$plugin_dir/standalone.so"; do
  kind=$(file -L "$binary")
  grep -q ', stripped' <<<"$kind" || {
    echo "FAILED: not stripped: $kind"
    exit 1
  }
done

step "/usr/bin/ductor plugins (no flag, no DUCTOR_PLUGIN_PATH)"
out=$(installed_ductor plugins)
echo "$out"
grep -qF "$plugin_dir  (beside the executable)" <<<"$out"
grep -qF "$plugin_dir/systemd.so" <<<"$out"
grep -qF "$plugin_dir/standalone.so" <<<"$out"
grep -q "^Selected: " <<<"$out"

step "service lifecycle with the installed standalone backend"
# shellcheck disable=SC2016  # $$ and $1 belong to the service's own shell
installed_ductor --backend standalone service install --name "$service" -- \
  /bin/sh -c 'echo $$ >"$1"; exec /bin/sleep 600' sh "$marker"
wait_for 30 "the service's program starting" pid_alive
installed_ductor --backend standalone service status --name "$service"
installed_ductor --backend standalone service stop --name "$service"
wait_for 30 "the program ending after stop" eval '! pid_alive'
expect_status 3 "after stop" "installed, not running"
installed_ductor --backend standalone service uninstall --name "$service"
expect_status 4 "after uninstall" "not installed"
list=$(installed_ductor service list)
grep -q "No services installed" <<<"$list"

step "a plugin built with -std=c++17 against the installed ductor-dev"
# Every installed SDK header on its own terms: C++17, pedantic, no warnings.
for h in /usr/include/ductor/sdk/*.hpp; do
  echo "#include <ductor/sdk/$(basename "$h")>"
done >"$work/all_headers.cpp"
c++ -std=c++17 -pedantic-errors -Wall -Wextra -Werror -fsyntax-only -DBOOST_DLL_USE_STD_FS "$work/all_headers.cpp"
# tests/sdk_consumer, found through find_package(ductor) in /usr only.
cmake -S "$source_dir/tests/sdk_consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_CXX_STANDARD=17 -DCMAKE_CXX_STANDARD_REQUIRED=ON -DCMAKE_CXX_EXTENSIONS=OFF \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
grep -qx "ductor_DIR:PATH=$libdir/cmake/ductor" "$work/consumer/CMakeCache.txt"
grep -q -- '-std=c++17' "$work/consumer/compile_commands.json" || {
  echo "FAILED: the plugin was not compiled with -std=c++17:"
  cat "$work/consumer/compile_commands.json"
  exit 1
}
cmake --build "$work/consumer" >/dev/null
# Installed like a plugin package (examples/runit) is: configured with the
# default prefix, installed into /usr as CPack does (CPACK_PACKAGING_INSTALL_PREFIX).
# ductor_add_plugin() follows the SDK's layout, so it lands where ductor looks.
consumer_manifest=$work/consumer/install_manifest.txt
cmake --install "$work/consumer" --prefix /usr >/dev/null
grep -qx "$plugin_dir/consumer.so" "$consumer_manifest"
out=$(installed_ductor plugins --backend consumer)
echo "$out"
grep -qF "$plugin_dir/consumer.so" <<<"$out"
grep -q "Selected: consumer" <<<"$out"
dry=$(installed_ductor --backend consumer service install --dry-run -- /bin/true)
grep -q "consumerctl add ductor" <<<"$dry"
xargs -d '\n' rm -f <"$consumer_manifest"

step "dpkg --purge"
dpkg --purge ductor-dev ductor
installed=no
for p in ductor ductor-dev; do
  if is_installed "$p"; then
    echo "FAILED: $p is still installed"
    exit 1
  fi
done
left=$(comm -23 "$work/paths" "$work/before" | while read -r path; do [ ! -e "$path" ] || echo "$path"; done)
if [ -n "$left" ]; then
  echo "FAILED: left behind after the purge:"
  echo "$left"
  exit 1
fi
for path in /usr/bin/ductor /usr/include/ductor "$libdir/ductor" "$libdir/cmake/ductor" /usr/share/doc/ductor \
  /usr/share/doc/ductor-dev; do
  [ ! -e "$path" ] || {
    echo "FAILED: $path is left behind"
    exit 1
  }
done
echo
echo "packages: built, lintian-clean, installed, used, purged without a trace ($((SECONDS - start)) s)"
