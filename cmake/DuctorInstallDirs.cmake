# Where ductor installs, all from GNUInstallDirs (include it first):
#
#   DUCTOR_PLUGIN_INSTALL_DIR        <libdir>/ductor/plugins, relative to the prefix
#   DUCTOR_PLUGIN_FULL_DIR           the same, absolute: the system plugin folder
#                                    compiled into ductor (POSIX)
#   DUCTOR_PLUGIN_DIR_FROM_BINDIR    the plugin folder relative to <bindir>, e.g.
#                                    ../lib/x86_64-linux-gnu/ductor/plugins: how the
#                                    installed ductor finds its plugins from its own
#                                    location, also after the tree was moved
#   DUCTOR_CMAKE_INSTALL_DIR         <libdir>/cmake/ductor (the SDK's CMake package)
#   DUCTOR_DOC_INSTALL_DIR           <datadir>/doc/ductor
#   DUCTOR_BUILD_PLUGIN_DIR          the build tree's plugin folder, at the same place
#                                    relative to the build's bin/ as in the install tree
#
# On Debian and its derivatives a prefix of /usr makes <libdir> the multiarch
# folder (lib/x86_64-linux-gnu); elsewhere it is lib or lib64.
#
# Hooks for the man page and the shell completions, installed into the
# component `runtime` where distributions look for them:
#
#   ductor_install_man_page(<file>)            ductor.1 -> <mandir>/man1/ductor.1[.gz]
#   ductor_install_completion(BASH|ZSH|FISH <file>)
#
# Their folders are cache variables, so a packager can move them:
# DUCTOR_BASH_COMPLETION_DIR, DUCTOR_ZSH_COMPLETION_DIR, DUCTOR_FISH_COMPLETION_DIR.
# DUCTOR_COMPRESS_MAN_PAGES (ON on Linux) installs man pages as gzip -9n, as
# Debian policy asks.

set(DUCTOR_PLUGIN_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/ductor/plugins")
set(DUCTOR_PLUGIN_FULL_DIR "${CMAKE_INSTALL_FULL_LIBDIR}/ductor/plugins")
set(DUCTOR_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/ductor")
set(DUCTOR_DOC_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/doc/ductor")
if(IS_ABSOLUTE "${CMAKE_INSTALL_BINDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  file(RELATIVE_PATH DUCTOR_PLUGIN_DIR_FROM_BINDIR "${CMAKE_INSTALL_FULL_BINDIR}" "${DUCTOR_PLUGIN_FULL_DIR}")
else()
  # Both under the prefix, which then does not matter (and may be a Windows
  # path that a Linux host would not call absolute when cross-compiling).
  file(RELATIVE_PATH DUCTOR_PLUGIN_DIR_FROM_BINDIR "/${CMAKE_INSTALL_BINDIR}" "/${DUCTOR_PLUGIN_INSTALL_DIR}")
endif()

# The build tree mirrors the install tree: ductor is built into bin/ and the
# plugins into bin/<DUCTOR_PLUGIN_DIR_FROM_BINDIR>, so a freshly built ductor
# finds them by the same rule as an installed one.
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/bin")
cmake_path(ABSOLUTE_PATH DUCTOR_PLUGIN_DIR_FROM_BINDIR BASE_DIRECTORY "${PROJECT_BINARY_DIR}/bin" NORMALIZE
  OUTPUT_VARIABLE DUCTOR_BUILD_PLUGIN_DIR)
cmake_path(IS_PREFIX PROJECT_BINARY_DIR "${DUCTOR_BUILD_PLUGIN_DIR}" NORMALIZE inside_build_tree)
if(NOT inside_build_tree)
  message(FATAL_ERROR "ductor finds its plugins relative to itself: CMAKE_INSTALL_BINDIR (${CMAKE_INSTALL_FULL_BINDIR}) "
    "and CMAKE_INSTALL_LIBDIR (${CMAKE_INSTALL_FULL_LIBDIR}) must share a prefix")
endif()

set(DUCTOR_BASH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" CACHE STRING
  "Where the bash completion is installed (relative to the prefix, or absolute)")
# Debian's zsh reads vendor-completions; upstream zsh reads site-functions.
if(EXISTS /etc/debian_version)
  set(zsh_default "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
else()
  set(zsh_default "${CMAKE_INSTALL_DATADIR}/zsh/site-functions")
endif()
set(DUCTOR_ZSH_COMPLETION_DIR "${zsh_default}" CACHE STRING
  "Where the zsh completion is installed (relative to the prefix, or absolute)")
set(DUCTOR_FISH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d" CACHE STRING
  "Where the fish completion is installed (relative to the prefix, or absolute)")
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(compress_default ON)
else()
  set(compress_default OFF)
endif()
option(DUCTOR_COMPRESS_MAN_PAGES "Install man pages compressed with gzip -9n" ${compress_default})

# ductor_install_man_page(<file>): <file> is named <page>.<section> (ductor.1).
function(ductor_install_man_page file)
  cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
  cmake_path(GET file FILENAME name)
  cmake_path(GET file EXTENSION LAST_ONLY section)
  string(SUBSTRING "${section}" 1 1 section)
  if(NOT section MATCHES "^[1-9]$")
    message(FATAL_ERROR "ductor_install_man_page(${file}): the name must end in .<section>")
  endif()
  if(DUCTOR_COMPRESS_MAN_PAGES)
    find_program(DUCTOR_GZIP gzip REQUIRED)
    set(compressed "${CMAKE_CURRENT_BINARY_DIR}/${name}.gz")
    add_custom_command(OUTPUT "${compressed}"
      COMMAND "${DUCTOR_GZIP}" -9 -n -c "${file}" > "${compressed}"
      DEPENDS "${file}" VERBATIM)
    add_custom_target(ductor_man_${name} ALL DEPENDS "${compressed}")
    set(file "${compressed}")
  endif()
  install(FILES "${file}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man${section}" COMPONENT runtime)
endfunction()

# ductor_install_completion(BASH|ZSH|FISH <file>): installed under the name
# each shell looks for (ductor, _ductor, ductor.fish).
function(ductor_install_completion shell file)
  if(shell STREQUAL "BASH")
    set(dir "${DUCTOR_BASH_COMPLETION_DIR}")
    set(name ductor)
  elseif(shell STREQUAL "ZSH")
    set(dir "${DUCTOR_ZSH_COMPLETION_DIR}")
    set(name _ductor)
  elseif(shell STREQUAL "FISH")
    set(dir "${DUCTOR_FISH_COMPLETION_DIR}")
    set(name ductor.fish)
  else()
    message(FATAL_ERROR "ductor_install_completion: unknown shell '${shell}' (BASH, ZSH or FISH)")
  endif()
  install(FILES "${file}" DESTINATION "${dir}" RENAME "${name}" COMPONENT runtime)
endfunction()
