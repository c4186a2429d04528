#!/usr/bin/env bash
# The Debian packages as a distribution ships them: builds ductor and
# ductor-dev with cpack from the already-built tree, installs them with dpkg,
# runs the installed /usr/bin/ductor (it must find its plugins with no flag)
# through a service lifecycle with the standalone backend, builds a plugin
# with -std=c++17 against the installed SDK (and installs it into the system
# plugin folder, where ductor finds it as it would find a plugin package's).
# Then the third-party plugin package: builds examples/runit against the
# installed ductor-dev and packages it (ductor_package_plugin()), checks all
# three packages with lintian, installs ductor-plugin-runit, and drives the
# installed ductor as a test user: runit is selected while that user's own
# runsvdir runs (a service installed, its status, uninstalled), and ductor
# falls back to standalone once it is gone. Finally purges the three packages
# and checks that nothing is left. The machine is restored on every exit, also
# after a failure.
#
# Usage: check_deb_packages.sh <build dir> <source dir> <cpack>
# Needs root, dpkg and runit; otherwise it prints SKIPPED and exits 77, except
# with CI=true, where a skip is a failure.
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
for tool in dpkg dpkg-deb dpkg-query dpkg-architecture dpkg-shlibdeps dpkg-parsechangelog lintian file c++ cmake \
  ninja setpriv useradd runsvdir runsv sv svlogd "$cpack"; do
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
for p in ductor ductor-dev ductor-plugin-runit; do
  if is_installed "$p"; then
    skip "the package $p is installed on this machine; the test would replace and purge it"
  fi
done
for path in /usr/bin/ductor /usr/include/ductor "$libdir/ductor" "$libdir/cmake/ductor"; do
  [ ! -e "$path" ] || skip "$path exists outside any package; the test would overwrite and remove it"
done

# shellcheck source=../integration/runit/user_runsvdir.sh
source "$source_dir/tests/integration/runit/user_runsvdir.sh"
work=$(mktemp -d)
chmod 0755 "$work"
home=$work/home
marker=$work/service.pid
service=ductor-package-test
installed=no
consumer_manifest=""
runit_service_installed=no
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
  if [ "$runit_service_installed" = yes ]; then
    runit_user_ductor service uninstall --name "$service" >/dev/null 2>&1
  fi
  stop_user_runsvdir
  if [ "$installed" = yes ]; then
    installed_ductor service uninstall --name "$service" >/dev/null 2>&1
    if [ -n "$consumer_manifest" ] && [ -f "$consumer_manifest" ]; then
      xargs -d '\n' rm -f <"$consumer_manifest"
    fi
    dpkg --purge ductor-plugin-runit ductor-dev ductor >/dev/null 2>&1
  fi
  pid_alive && kill -KILL "$(cat "$marker")"
  remove_runit_test_user
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
# The plugin ABI that ductor loads, as a versioned virtual package.
abi_major=$(sed -n 's/^#define DUCTOR_ABI_MAJOR \([0-9]*\)$/\1/p' "$source_dir/sdk/include/ductor/sdk/abi.hpp")
abi_minor=$(sed -n 's/^#define DUCTOR_ABI_MINOR \([0-9]*\)$/\1/p' "$source_dir/sdk/include/ductor/sdk/abi.hpp")
abi_package=ductor-plugin-abi-$abi_major
provides=$(dpkg-deb -f "$deb" Provides)
echo "ductor provides: $provides"
[ "$provides" = "$abi_package (= $abi_major.$abi_minor)" ] || {
  echo "FAILED: ductor should provide $abi_package (= $abi_major.$abi_minor)"
  exit 1
}
for f in "$deb" "$deb_dev"; do
  dpkg-deb -I "$f" md5sums >/dev/null
  package=$(dpkg-deb -f "$f" Package)
  contents=$(dpkg-deb -c "$f")
  grep -q "/usr/share/doc/$package/copyright$" <<<"$contents"
  grep -q "/usr/share/doc/$package/changelog.Debian.gz$" <<<"$contents"
done

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
# expect_stripped <mode> <file>...: each file is stripped and has that mode (dh_fixperms').
expect_stripped() {
  local mode=$1 binary kind
  shift
  for binary in "$@"; do
    kind=$(file -L "$binary")
    grep -q ', stripped' <<<"$kind" || {
      echo "FAILED: not stripped: $kind"
      exit 1
    }
    [ "$(stat -c %a "$binary")" = "$mode" ] || {
      echo "FAILED: $binary has mode $(stat -c %a "$binary"), not $mode"
      exit 1
    }
  done
}
expect_stripped 755 /usr/bin/ductor
expect_stripped 644 "$plugin_dir/systemd.so" "$plugin_dir/standalone.so"

step "/usr/bin/ductor plugins (no flag, no DUCTOR_PLUGIN_PATH)"
out=$(installed_ductor plugins)
echo "$out"
grep -qF "$plugin_dir  (beside the executable)" <<<"$out"
grep -qF "$plugin_dir/systemd.so" <<<"$out"
grep -qF "$plugin_dir/standalone.so" <<<"$out"
grep -q "^Selected: " <<<"$out"

step "man ductor and tab completion from the installed files"
# As a user's shell finds them: man on its MANPATH, bash-completion's loader by the command's
# name, zsh's compinit on its fpath, fish in its vendor folder; each asks the installed ductor.
as_user() { env -i HOME="$home" DUCTOR_HOME="$home/.ductor" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
[ "$(as_user man -w ductor)" = /usr/share/man/man1/ductor.1.gz ] || {
  echo "FAILED: man -w ductor: $(as_user man -w ductor 2>&1)"
  exit 1
}
as_user env MANWIDTH=80 man ductor 2>/dev/null | grep -q "ductor service install"
# shellcheck disable=SC2016  # expanded by the user's bash
words=$(as_user bash --norc --noprofile -c 'source /usr/share/bash-completion/bash_completion
  _completion_loader ductor; complete -p ductor >/dev/null || exit 3
  COMP_WORDS=(ductor service ""); COMP_CWORD=2; _ductor; printf "%s\n" "${COMPREPLY[@]}"
  COMP_WORDS=(ductor --backend ""); COMP_CWORD=2; _ductor; printf "%s\n" "${COMPREPLY[@]}"')
for word in install uninstall standalone systemd; do
  grep -qx "$word" <<<"$words" || {
    echo "FAILED: bash completion from the installed script does not offer '$word':"
    echo "$words"
    exit 1
  }
done
# shellcheck disable=SC2016
as_user zsh -f -c 'autoload -Uz compinit && compinit -u -D; [[ ${_comps[ductor]} == _ductor ]]' || {
  echo "FAILED: zsh's compinit does not bind _ductor to ductor from the installed files"
  exit 1
}
as_user fish -c 'complete -C "ductor --backend "' | cut -f1 | grep -qx standalone || {
  echo "FAILED: fish does not complete --backend from the installed script"
  exit 1
}
echo "man ductor, and bash, zsh and fish completion, work from the installed files"

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

step "ductor-plugin-runit: examples/runit built against the installed ductor-dev, packaged by ductor_package_plugin()"
# Only the plugin (its own tests run in runit.real_runsvdir), in /usr's layout.
cmake -S "$source_dir/examples/runit" -B "$work/runit" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRUNIT_PLUGIN_TESTS=OFF -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/runit.log" 2>&1 &&
  cmake --build "$work/runit" >>"$work/runit.log" 2>&1 &&
  "$cpack" --config "$work/runit/CPackConfig.cmake" -B "$work/out" >>"$work/runit.log" 2>&1 || {
  cat "$work/runit.log"
  exit 1
}
grep -qx "ductor_DIR:PATH=$libdir/cmake/ductor" "$work/runit/CMakeCache.txt"
runit_version=$(dpkg-parsechangelog -l "$source_dir/examples/runit/debian/changelog" -S Version)
deb_runit=$work/out/ductor-plugin-runit_${runit_version}_${arch}.deb
[ -f "$deb_runit" ] || {
  echo "FAILED: $(basename "$deb_runit") was not built (examples/runit/debian/changelog's version is $runit_version):"
  ls "$work/out"
  exit 1
}
printf '%s  %s bytes\n' "$(basename "$deb_runit")" "$(stat -c %s "$deb_runit")"
depends_runit=$(dpkg-deb -f "$deb_runit" Depends)
echo "ductor-plugin-runit depends on: $depends_runit"
# The ABI of the SDK it was built with, its manager, and dpkg-shlibdeps' libraries.
depends_list=$(sed 's/, */\n/g' <<<"$depends_runit")
grep -qxF "$abi_package (>= $abi_major.$abi_minor)" <<<"$depends_list"
grep -qx "runit" <<<"$depends_list"
grep -q "^libc6 " <<<"$depends_list"
description=$(dpkg-deb -f "$deb_runit" Description)
[ "$(wc -l <<<"$description")" -gt 2 ] || {
  echo "FAILED: no extended description: $description"
  exit 1
}
contents=$(dpkg-deb -c "$deb_runit")
echo "$contents"
for file in "$plugin_dir/runit.so" /usr/share/doc/ductor-plugin-runit/copyright \
  /usr/share/doc/ductor-plugin-runit/changelog.Debian.gz; do
  grep -q " \.$file\$" <<<"$contents" || {
    echo "FAILED: the package lacks $file"
    exit 1
  }
done

step "lintian (all three packages)"
lintian --fail-on error --display-info "$deb" "$deb_dev" "$deb_runit" | tee "$work/lintian.log"
if grep -q '^E: ' "$work/lintian.log"; then
  echo "FAILED: lintian reports errors"
  exit 1
fi
echo "lintian: no errors, $(grep -c '^W: ' "$work/lintian.log") warnings, $(grep -c '^I: ' "$work/lintian.log") notes"

step "dpkg -i ductor-plugin-runit"
# Its paths that the ductor packages did not bring, and which of them exist before.
dpkg-deb -c "$deb_runit" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | sort -u | comm -23 - "$work/paths" \
  >"$work/runit-paths"
while read -r path; do [ ! -e "$path" ] || echo "$path"; done <"$work/runit-paths" >>"$work/before"
sort -u -o "$work/paths" "$work/paths" "$work/runit-paths"
sort -u -o "$work/before" "$work/before"
dpkg -i "$deb_runit"
dpkg --verify ductor-plugin-runit
expect_stripped 644 "$plugin_dir/runit.so"

step "the installed ductor selects runit while the test user's own runsvdir runs"
runit_home=$work/runit-home
mkdir -p "$runit_home"
runit_test_user "$runit_home"
runit_env=(env -i HOME="$runit_home" PATH=/usr/bin:/bin LANG=C.UTF-8)
runit_user_ductor() { "${as_user[@]}" "${runit_env[@]}" /usr/bin/ductor "$@"; }
uid=$("${as_user[@]}" id -u)
svdir=$runit_home/.config/ductor/runit/service
runit_marker=$runit_home/service.pid
# expect_fallback: runit is listed, unavailable with the reason, and standalone is selected.
expect_fallback() {
  local out
  out=$(runit_user_ductor plugins)
  echo "$out"
  grep -qF "$plugin_dir/runit.so" <<<"$out"
  grep -Eq "runit 1\.0\.0 +ABI $abi_major\.$abi_minor +priority 50 +unavailable" <<<"$out"
  grep -qF "no runsvdir of uid $uid watches $svdir" <<<"$out"
  grep -qx "Selected: standalone" <<<"$out"
}
expect_fallback
start_user_runsvdir "$svdir" "$work/runsvdir.out" "${runit_env[@]}"
runit_selected() { runit_user_ductor plugins | grep -qx "Selected: runit"; }
wait_for 10 "ductor selecting runit once the test user's runsvdir runs" runit_selected
runit_user_ductor plugins
runit_pid_alive() { [ -s "$runit_marker" ] && kill -0 "$(cat "$runit_marker")" 2>/dev/null; }
runit_service_installed=yes
# No --backend: the selected backend installs it.
# shellcheck disable=SC2016  # $$ and $1 belong to the service's own shell
runit_user_ductor service install --name "$service" -- /bin/sh -c 'echo $$ >"$1"; exec /bin/sleep 600' sh \
  "$runit_marker"
wait_for 30 "the runit service's program starting" runit_pid_alive
status=$(runit_user_ductor service status --name "$service" --json)
echo "$status"
grep -q '"backend": *"runit"' <<<"$status"
grep -q "\"pid\": *$(cat "$runit_marker")" <<<"$status"
test -L "$svdir/$service"
runit_user_ductor service uninstall --name "$service"
runit_service_installed=no
rc=0
runit_user_ductor service status --name "$service" >/dev/null || rc=$?
[ "$rc" = 4 ] || {
  echo "FAILED: status after uninstall exits $rc, not 4 (not installed)"
  exit 1
}
wait_for 15 "the runit service's program ending after uninstall" eval '! runit_pid_alive'
left=$(find "$svdir" "$runit_home/.ductor/runit" -mindepth 1 2>/dev/null || true)
[ -z "$left" ] || {
  echo "FAILED: uninstall left: $left"
  exit 1
}

step "without the runsvdir, the installed ductor falls back to standalone"
stop_user_runsvdir
expect_fallback

step "dpkg --purge"
dpkg --purge ductor-plugin-runit ductor-dev ductor
installed=no
for p in ductor ductor-dev ductor-plugin-runit; do
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
  /usr/share/doc/ductor-dev /usr/share/doc/ductor-plugin-runit; do
  [ ! -e "$path" ] || {
    echo "FAILED: $path is left behind"
    exit 1
  }
done
echo
echo "packages: built, lintian-clean, installed, used, purged without a trace ($((SECONDS - start)) s)"
