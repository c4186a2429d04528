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
# The installed ductor searches <libdir>/ductor/plugins of its own prefix,
# with ductor's own <libdir> (lib/x86_64-linux-gnu for Debian's /usr). Out of
# tree, the plugin installs into that same relative folder
# (ductor_PLUGIN_INSTALL_DIR, from find_package(ductor)), so a plugin package
# installed with ductor's prefix (/usr for a distribution package) lands where
# ductor finds it without a flag, whatever libdir GNUInstallDirs would pick
# for the plugin's own project. ductor_PLUGIN_DIR is that folder, absolute.
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
    if(ductor_PLUGIN_INSTALL_DIR)  # out of tree: ductor's own layout
      set(destination "${ductor_PLUGIN_INSTALL_DIR}")
    else()  # in tree (DuctorInstallDirs.cmake), or an SDK that does not say
      set(destination "${CMAKE_INSTALL_LIBDIR}/ductor/plugins")
    endif()
    set(component "")
    if(arg_COMPONENT)
      set(component COMPONENT "${arg_COMPONENT}")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${destination}" ${component})
    # Say so when the plugin would land where the SDK's ductor does not look.
    if(ductor_PLUGIN_DIR)
      cmake_path(ABSOLUTE_PATH destination BASE_DIRECTORY "${CMAKE_INSTALL_PREFIX}" NORMALIZE)
      cmake_path(SET searched NORMALIZE "${ductor_PLUGIN_DIR}")
      if(NOT destination STREQUAL searched)
        message(STATUS "ductor_add_plugin(${target}): installs into ${destination}, but the ductor of this SDK "
          "searches ${searched}; install with ductor's prefix for it to be found without a flag")
      endif()
    endif()
  endif()
endfunction()
