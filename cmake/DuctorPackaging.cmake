# Debian packages with CPack (see docs/packaging.md): `cpack -G DEB` in a tree
# configured with CMAKE_INSTALL_PREFIX=/usr (presets `package` and `ci`)
# builds two packages from the install components:
#
#   ductor      component runtime: the ductor executable and the plugins that
#               `cmake --install` installs (this platform's own, see
#               DUCTOR_INSTALL_PLUGINS); dependencies from dpkg-shlibdeps
#   ductor-dev  component dev: the SDK headers, libductor_sdk.a and the CMake
#               package (find_package(ductor), ductor_add_plugin()); depends on
#               ductor of the same version
#
# Each package carries /usr/share/doc/<package>/copyright and
# changelog.Debian.gz from cmake/debian/. Those two files belong to the
# packages only: they install with an explicit component (as CPack asks), not
# with a plain `cmake --install`.
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()
endif()

set(debian_dir "${PROJECT_SOURCE_DIR}/cmake/debian")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${debian_dir}/changelog")

# The changelog's first entry names the package version and the maintainer.
file(STRINGS "${debian_dir}/changelog" changelog_lines)
list(GET changelog_lines 0 changelog_head)
string(REGEX MATCH "^ductor \\(([^)]+)\\)" _ "${changelog_head}")
set(changelog_version "${CMAKE_MATCH_1}")
list(FILTER changelog_lines INCLUDE REGEX "^ -- ")
list(GET changelog_lines 0 changelog_trailer)
string(REGEX MATCH "^ -- (.+>)  " _ "${changelog_trailer}")
set(changelog_maintainer "${CMAKE_MATCH_1}")

set(DUCTOR_DEB_REVISION "1" CACHE STRING "Debian revision of the packages (the part after the '-')")
set(DUCTOR_DEB_MAINTAINER "${changelog_maintainer}" CACHE STRING
  "Maintainer field of the Debian packages (default: the newest entry of cmake/debian/changelog)")
set(deb_version "${PROJECT_VERSION}-${DUCTOR_DEB_REVISION}")
if(NOT changelog_version STREQUAL deb_version)
  message(WARNING "cmake/debian/changelog starts with version '${changelog_version}', but the packages are "
    "${deb_version}: add a changelog entry (the package test fails until they agree)")
endif()
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "Debian packages: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}, not /usr; "
    "configure with -DCMAKE_INSTALL_PREFIX=/usr (preset package) to build packages for a distribution")
endif()

# changelog.Debian.gz, compressed as Debian policy asks (gzip -9n: no name, no time stamp).
find_program(DUCTOR_GZIP gzip)
if(DUCTOR_GZIP)
  set(changelog_gz "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz")
  file(MAKE_DIRECTORY "${PROJECT_BINARY_DIR}/debian")
  execute_process(COMMAND "${DUCTOR_GZIP}" -9 -n -c "${debian_dir}/changelog"
    OUTPUT_FILE "${changelog_gz}" COMMAND_ERROR_IS_FATAL ANY)
  foreach(component IN ITEMS runtime dev)
    if(component STREQUAL "runtime")
      set(package ductor)
    else()
      set(package ductor-dev)
    endif()
    install(FILES "${debian_dir}/copyright" "${changelog_gz}"
      DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${package}" COMPONENT ${component} EXCLUDE_FROM_ALL)
  endforeach()
endif()

set(CPACK_GENERATOR DEB)
# Each package's synopsis is the first line of its component description:
# CPack prepends CPACK_PACKAGE_DESCRIPTION_SUMMARY unless it is CPack's own
# default, so it is set to that default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_NAME ductor)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${DUCTOR_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
# Stripped as dh_strip does (cmake/debian/strip.cmake), also the static
# libraries, which CPACK_STRIP_FILES leaves alone.
set(CPACK_DUCTOR_STRIP "${CMAKE_STRIP}")
set(CPACK_PRE_BUILD_SCRIPTS "${debian_dir}/strip.cmake")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${DUCTOR_DEB_REVISION}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${DUCTOR_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ductor)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "run a long-lived program as a per-user service
ductor installs a long-lived program (a chat bot, an agent, a small server)
as a per-user background service with one command and manages it
afterwards: start, stop, restart, status, logs, uninstall. It never needs
root for the normal path.
.
The service managers are reached through backend plugins in
${DUCTOR_PLUGIN_FULL_DIR}; this package holds the ones for this
platform (systemd user units, and a standalone runner for machines without
a user service manager). Other backends can ship in packages of their own.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME ductor-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The SDK's headers use Boost.DLL; the CMake package asks for Boost 1.74.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "ductor (= ${deb_version}), libboost-dev (>= 1.74)")
set(CPACK_COMPONENT_DEV_DESCRIPTION "SDK for ductor backend plugins
The headers, static library and CMake package (find_package(ductor),
ductor_add_plugin()) to build a backend plugin for ductor, which runs a
long-lived program as a per-user service. A plugin built with it installs
into ${DUCTOR_PLUGIN_FULL_DIR}, where ductor finds it.
.
Plugins need C++17 or later, and the same compiler family, C++ standard
library and SDK major version as ductor itself.")

include(CPack)
