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

# ductor_package_plugin(<target>
#                       SUMMARY <one line> DESCRIPTION <text>
#                       CHANGELOG <file> COPYRIGHT <file>
#                       [PACKAGE <name>] [REVISION <n>] [SECTION <section>]
#                       [DEPENDS <dependency>...])
#
# Makes `cpack` (in the build folder) write a Debian package of the plugin
# <target> (made with ductor_add_plugin()) that lintian accepts: call it once,
# at the end of the project, instead of include(CPack). Linux only.
#
#   PACKAGE      the package name; default ductor-plugin-<target>
#   SUMMARY      the synopsis (Description's first line)
#   DESCRIPTION  the extended description (blank lines separate paragraphs)
#   CHANGELOG    a Debian changelog (debian/changelog format); its newest
#                entry must be <package> (<project version>-<revision>) and
#                names the Maintainer
#   COPYRIGHT    a machine-readable debian/copyright
#   REVISION     the Debian revision; default 1
#   SECTION      default admin
#   DEPENDS      what else the plugin needs (its manager's own package)
#
# The package holds the plugin in ductor's plugin folder (the prefix of the
# ductor whose SDK find_package(ductor) found: /usr for Debian's ductor-dev),
# stripped and 0644, and /usr/share/doc/<package>/copyright and
# changelog.Debian.gz; every folder 0755. It depends on the plugin ABI it was
# built for: ductor-plugin-abi-<major> (>= <major>.<minor>), the virtual
# package the ductor package provides (docs/packaging.md argues why), plus
# DEPENDS and what dpkg-shlibdeps finds. The Debian steps are the ones
# ductor's own packages use (debian/DuctorDebian.cmake).
function(ductor_package_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PACKAGE;SUMMARY;DESCRIPTION;CHANGELOG;COPYRIGHT;REVISION;SECTION"
    "DEPENDS")
  foreach(required IN ITEMS SUMMARY DESCRIPTION CHANGELOG COPYRIGHT)
    if(NOT arg_${required})
      message(FATAL_ERROR "ductor_package_plugin(${target}): ${required} is required (and not empty)")
    endif()
  endforeach()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "ductor_package_plugin(${target}): no such target; make it with ductor_add_plugin()")
  endif()
  if(NOT ductor_VERSION_MAJOR OR "${ductor_VERSION_MINOR}" STREQUAL "" OR NOT ductor_PLUGIN_DIR)
    message(FATAL_ERROR "ductor_package_plugin(${target}): call find_package(ductor) first (it gives the plugin ABI)")
  endif()
  if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
    message(STATUS "ductor_package_plugin(${target}): Debian packages are built on Linux only")
    return()
  endif()
  include("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/debian/DuctorDebian.cmake")
  include(GNUInstallDirs)
  set(package "ductor-plugin-${target}")
  if(arg_PACKAGE)
    set(package "${arg_PACKAGE}")
  endif()
  set(revision 1)
  if(arg_REVISION)
    set(revision "${arg_REVISION}")
  endif()
  set(section admin)
  if(arg_SECTION)
    set(section "${arg_SECTION}")
  endif()
  cmake_path(ABSOLUTE_PATH arg_CHANGELOG BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
  cmake_path(ABSOLUTE_PATH arg_COPYRIGHT BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
  ductor_debian_changelog("${arg_CHANGELOG}" PACKAGE "${package}" VERSION "${PROJECT_VERSION}-${revision}"
    MAINTAINER_VAR maintainer)
  set(docs_component "${package}-debian-docs")
  ductor_debian_install_docs("${package}" CHANGELOG "${arg_CHANGELOG}" COPYRIGHT "${arg_COPYRIGHT}"
    COMPONENT "${docs_component}")

  ductor_debian_cpack_defaults()
  # Everything the project installs, and the docs component, which only an
  # explicit install of it installs.
  set(CPACK_INSTALL_CMAKE_PROJECTS
    "${PROJECT_BINARY_DIR};${PROJECT_NAME};ALL;/"
    "${PROJECT_BINARY_DIR};${PROJECT_NAME};${docs_component};/")
  # ductor's prefix: where its SDK says the plugin folder is, less the folder's
  # relative part (/usr/lib/x86_64-linux-gnu/ductor/plugins -> /usr).
  string(LENGTH "${ductor_PLUGIN_DIR}" full_length)
  string(LENGTH "/${ductor_PLUGIN_INSTALL_DIR}" relative_length)
  math(EXPR prefix_length "${full_length} - ${relative_length}")
  if(prefix_length LESS 0)
    set(prefix_length 0)
  endif()
  string(SUBSTRING "${ductor_PLUGIN_DIR}" 0 ${prefix_length} prefix)
  string(SUBSTRING "${ductor_PLUGIN_DIR}" ${prefix_length} -1 relative)
  if(NOT relative STREQUAL "/${ductor_PLUGIN_INSTALL_DIR}")
    message(FATAL_ERROR "ductor_package_plugin(${target}): the SDK's plugin folder ${ductor_PLUGIN_DIR} does not "
      "end in its relative plugin folder ${ductor_PLUGIN_INSTALL_DIR}")
  endif()
  if(prefix STREQUAL "")
    set(prefix /)
  endif()
  set(CPACK_PACKAGING_INSTALL_PREFIX "${prefix}")
  set(CPACK_PACKAGE_NAME "${package}")
  set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
  set(CPACK_PACKAGE_CONTACT "${maintainer}")
  set(CPACK_DEBIAN_PACKAGE_NAME "${package}")
  set(CPACK_DEBIAN_PACKAGE_RELEASE "${revision}")
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${maintainer}")
  set(CPACK_DEBIAN_PACKAGE_SECTION "${section}")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  string(STRIP "${arg_DESCRIPTION}" description)
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${arg_SUMMARY}\n${description}")
  ductor_debian_abi_package(${ductor_VERSION_MAJOR} abi_package)
  set(depends "${abi_package} (>= ${ductor_VERSION_MAJOR}.${ductor_VERSION_MINOR})" ${arg_DEPENDS})
  list(JOIN depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
  include(CPack)
endfunction()
