#!/usr/bin/env bash
# Installs every Debian 12 package needed to build ductor and run all of its
# tests (compilers, libraries, and the real peers the integration tests use).
# Run as root (or through sudo).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config clang-format
  libboost-dev libboost-program-options-dev libspdlog-dev catch2
  # the systemd plugin's D-Bus and journal client: headers only (it opens libsystemd0 at run time)
  libsystemd-dev
  # the Windows cross build (posix thread model; objdump comes with it)
  g++-mingw-w64-x86-64-posix
  # real peers for the integration tests
  systemd dbus python3 libxml2-utils util-linux procps passwd patch
  wine wine64
  # runsvdir, runsv, sv, svlogd for the runit example's test. Without its recommends
  # (runit-init, runit-run) it does not replace init and starts nothing: the test runs
  # its own runsvdir on a temp folder as a test user.
  runit
  # the shells whose completion of ductor is tested
  bash-completion zsh fish
  # the man page ductor(1): asciidoctor makes it from docs/ductor.1.adoc; its tests render it
  # with man and groff
  asciidoctor man-db groff-base
  # the Debian packages and their test (cpack -G DEB runs dpkg-shlibdeps, which needs file)
  dpkg-dev file lintian
  # the Ansible collection's tests: a real fleet over local and SSH connections, and
  # ansible-test sanity with Debian's packages in place of the ones it would fetch from PyPI
  ansible-core openssh-server openssh-client python3-venv
  python3-voluptuous python3-pycodestyle pylint yamllint shellcheck
)

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-deps: ${#packages[@]} packages present"

# The Windows cross build's own prefix (Boost.Program_options built with
# mingw-w64 from Debian's source package); does nothing when it exists.
"$(dirname "$0")/windows-deps.sh" "$(dirname "$0")/../build/windows-deps"
