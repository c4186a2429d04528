# ductor_add_plugin(<target> SOURCES <src>... [OUTPUT_DIRECTORY <dir>]
#                   [COMPONENT <component>] [NO_INSTALL])
#
# Builds a ductor backend plugin: a MODULE library named after the target
# (`systemd` -> systemd.so / systemd.dll) that links ductor::sdk, hides every
# symbol but the exported entry points, and installs into
# <libdir>/ductor/plugins (in the install component <component> when given)
# unless NO_INSTALL is given. Name the target after the backend name the
# plugin declares.
#
# The installed ductor searches <libdir>/ductor/plugins of its own prefix: a
# plugin package configured with the same CMAKE_INSTALL_PREFIX (/usr for a
# distribution package, where GNUInstallDirs picks the same <libdir>, e.g.
# lib/x86_64-linux-gnu on Debian) lands where ductor finds it without a flag.
# ductor_PLUGIN_DIR (set by find_package(ductor)) names that folder.
#
# Plugins need C++17 or later (the SDK headers are C++17), and the same
# compiler family, C++ standard library and SDK major version as ductor: C++
# types cross the plugin boundary (see <ductor/sdk/abi.hpp>).
#
# Every symbol the plugin uses must be found when it is linked
# (-Wl,--no-undefined with GNU-style linkers): a plugin cannot lean on symbols
# that ductor's executable happens to export, and a missing one fails the
# build instead of a user's `ductor` run. (With Clang's sanitizers, link with
# -shared-libsan so that their runtime is found.)
function(ductor_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_INSTALL" "OUTPUT_DIRECTORY;COMPONENT" "SOURCES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "ductor_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE ductor::sdk)
  target_compile_features(${target} PRIVATE cxx_std_17)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT APPLE AND NOT MSVC)
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
  if(arg_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${arg_OUTPUT_DIRECTORY}")
  endif()
  if(NOT arg_NO_INSTALL)
    include(GNUInstallDirs)
    set(component "")
    if(arg_COMPONENT)
      set(component COMPONENT "${arg_COMPONENT}")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/ductor/plugins" ${component})
  endif()
endfunction()
