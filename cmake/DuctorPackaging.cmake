# Debian packages with CPack (see docs/packaging.md): `cpack -G DEB` in a tree
# configured with CMAKE_INSTALL_PREFIX=/usr (presets `package` and `ci`)
# builds two packages from the install components:
#
#   ductor      component runtime: the ductor executable and the plugins that
#               `cmake --install` installs (this platform's own, see
#               DUCTOR_INSTALL_PLUGINS); dependencies from dpkg-shlibdeps;
#               Provides ductor-plugin-abi-<major> (= <major>.<minor>), the
#               plugin ABI it loads, which plugin packages depend on
#   ductor-dev  component dev: the SDK headers, libductor_sdk.a and the CMake
#               package (find_package(ductor), ductor_add_plugin(),
#               ductor_package_plugin()); depends on ductor of the same version
#
# The steps Debian's debhelper would do (copyright, changelog.Debian.gz,
# stripping, modes) come from cmake/debian/DuctorDebian.cmake, which plugin
# packages use too (ductor_package_plugin()). The copyright and changelog
# install with an explicit component (as CPack asks), not with a plain
# `cmake --install`.
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()
endif()
include("${PROJECT_SOURCE_DIR}/cmake/debian/DuctorDebian.cmake")

set(debian_dir "${PROJECT_SOURCE_DIR}/cmake/debian")
set(DUCTOR_DEB_REVISION "1" CACHE STRING "Debian revision of the packages (the part after the '-')")
set(deb_version "${PROJECT_VERSION}-${DUCTOR_DEB_REVISION}")
ductor_debian_changelog("${debian_dir}/changelog" PACKAGE ductor VERSION "${deb_version}"
  MAINTAINER_VAR changelog_maintainer)
set(DUCTOR_DEB_MAINTAINER "${changelog_maintainer}" CACHE STRING
  "Maintainer field of the Debian packages (default: the newest entry of cmake/debian/changelog)")
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "Debian packages: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}, not /usr; "
    "configure with -DCMAKE_INSTALL_PREFIX=/usr (preset package) to build packages for a distribution")
endif()

ductor_debian_install_docs(ductor CHANGELOG "${debian_dir}/changelog" COPYRIGHT "${debian_dir}/copyright"
  COMPONENT runtime)
ductor_debian_install_docs(ductor-dev CHANGELOG "${debian_dir}/changelog" COPYRIGHT "${debian_dir}/copyright"
  COMPONENT dev)

ductor_debian_cpack_defaults()
set(CPACK_PACKAGE_NAME ductor)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${DUCTOR_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${DUCTOR_DEB_REVISION}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${DUCTOR_DEB_MAINTAINER}")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ductor)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
# The plugin ABI this ductor loads (sdk/include/ductor/sdk/abi.hpp): plugins
# of ABI <major>.0 up to <major>.<minor>. See docs/packaging.md.
ductor_debian_abi_package(${DUCTOR_ABI_MAJOR} abi_package)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_PROVIDES "${abi_package} (= ${DUCTOR_ABI_MAJOR}.${DUCTOR_ABI_MINOR})")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "run a long-lived program as a per-user service
ductor installs a long-lived program (a chat bot, an agent, a small server)
as a per-user background service with one command and manages it
afterwards: start, stop, restart, status, logs, uninstall. It never needs
root for the normal path.
.
The service managers are reached through backend plugins in
${DUCTOR_PLUGIN_FULL_DIR}; this package holds the ones for this
platform (systemd user units, and a standalone runner for machines without
a user service manager). Other backends can ship in packages of their own,
which depend on ${abi_package}.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME ductor-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The SDK's headers use Boost.DLL; the CMake package asks for Boost 1.74.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "ductor (= ${deb_version}), libboost-dev (>= 1.74)")
set(CPACK_COMPONENT_DEV_DESCRIPTION "SDK for ductor backend plugins
The headers, static libraries and CMake package (find_package(ductor),
ductor_add_plugin(), ductor_package_plugin()) to build, test and package a
backend plugin for ductor, which runs a long-lived program as a per-user
service. A plugin built with it installs into
${DUCTOR_PLUGIN_FULL_DIR}, where ductor finds it.
.
Plugins need C++17 or later, and the same compiler family, C++ standard
library and SDK major version as ductor itself.")

include(CPack)
