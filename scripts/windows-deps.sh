#!/usr/bin/env bash
# Prepares the dependencies of the Windows cross build from Debian packages
# only, in a prefix (default build/windows-deps):
#   include/  symlinks to Debian's Boost, spdlog, fmt and Catch2 headers
#   lib/      libboost_program_options.a, compiled with mingw-w64 from
#             Debian's boost1.74 source package (libs/program_options/src only)
# The source package is fetched with a private sources list and lists folder
# (apt's -o options), so the machine's apt setup is left as it is.
# Needs: g++-mingw-w64-x86-64-posix and the header packages (install-deps.sh).
set -euo pipefail

prefix=$(realpath -m "${1:-build/windows-deps}")
cxx=x86_64-w64-mingw32-g++-posix
ar=x86_64-w64-mingw32-ar
mkdir -p "$prefix/include" "$prefix/lib"

for dir in boost spdlog fmt catch2; do
  ln -sfn "/usr/include/$dir" "$prefix/include/$dir"
done

lib="$prefix/lib/libboost_program_options.a"
if [[ -f "$lib" ]]; then
  echo "windows-deps: $lib exists"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/src"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
  > "$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$work/lists" -o "Debug::NoLocking=1")
apt-get "${apt_opts[@]}" update -qq
(cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only -qq boost1.74)
tar -xJf "$work"/src/boost1.74_*.orig.tar.xz -C "$work/src" --wildcards '*/libs/program_options/src/*'
src=$(find "$work/src" -type d -path '*/libs/program_options/src' | head -n 1)

objects=()
for file in "$src"/*.cpp; do
  obj="$work/$(basename "${file%.cpp}").o"
  "$cxx" -std=c++17 -O2 -DNDEBUG -DBOOST_PROGRAM_OPTIONS_STATIC_LINK -DBOOST_ALL_NO_LIB -DBOOST_BIND_GLOBAL_PLACEHOLDERS \
    -I "$prefix/include" -c "$file" -o "$obj" &
  objects+=("$obj")
done
wait
"$ar" rcs "$lib" "${objects[@]}"
echo "windows-deps: built $lib from ${#objects[@]} Boost.Program_options sources"
