# What ductor's own Debian packages and every plugin package share (see
# docs/packaging.md): the packaging steps that Debian's debhelper would do,
# for CPack's DEB generator. Used by ductor's build (cmake/DuctorPackaging.cmake)
# and by ductor_package_plugin() (DuctorMacros.cmake); installed with the SDK
# next to DuctorMacros.cmake, in debian/ (as here).
#
#   ductor_debian_changelog(<changelog> PACKAGE <name> VERSION <version>
#                           MAINTAINER_VAR <var>)
#       Reads the newest entry of a Debian changelog: warns when it is not
#       <name> (<version>), sets <var> to its maintainer ("Name <mail>").
#   ductor_debian_install_docs(<package> CHANGELOG <file> COPYRIGHT <file>
#                              COMPONENT <component>)
#       Installs /usr/share/doc/<package>/copyright and changelog.Debian.gz
#       (gzip -9n, as Debian policy asks) into <component>, which only an
#       explicit install of that component (CPack's) installs.
#   ductor_debian_abi_package(<major> <var>)
#       The virtual package that stands for plugin ABI <major>.x:
#       ductor-plugin-abi-<major>. The ductor package Provides it with the
#       version <major>.<minor>; a plugin package Depends on it with
#       (>= <major>.<minor>) of the SDK it was built with.
#   ductor_debian_cpack_defaults()    (a macro: sets CPACK_* in the caller)
#       DEB generator, Debian file names, xz, priority optional, and the
#       staging fix-up (DuctorDebianStage.cmake: strip as dh_strip, modes as
#       dh_fixperms). Set CPACK_PACKAGING_INSTALL_PREFIX yourself.
set(DUCTOR_DEBIAN_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(ductor_debian_changelog changelog)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PACKAGE;VERSION;MAINTAINER_VAR" "")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${changelog}")
  file(STRINGS "${changelog}" lines)
  if(NOT lines)
    message(FATAL_ERROR "Debian changelog ${changelog} is empty or missing")
  endif()
  list(GET lines 0 head)
  if(NOT head MATCHES "^([a-z0-9][a-z0-9.+-]*) \\(([^)]+)\\)")
    message(FATAL_ERROR "${changelog}: the first line is not a changelog entry's: ${head}")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL arg_PACKAGE OR NOT CMAKE_MATCH_2 STREQUAL arg_VERSION)
    message(WARNING "${changelog} starts with '${CMAKE_MATCH_1} (${CMAKE_MATCH_2})', but the package is "
      "'${arg_PACKAGE} (${arg_VERSION})': add a changelog entry (the package tests fail until they agree)")
  endif()
  list(FILTER lines INCLUDE REGEX "^ -- ")
  list(GET lines 0 trailer)
  if(NOT trailer MATCHES "^ -- (.+>)  ")
    message(FATAL_ERROR "${changelog}: the first entry has no ' -- Name <mail>  date' line")
  endif()
  set(${arg_MAINTAINER_VAR} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

function(ductor_debian_install_docs package)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "CHANGELOG;COPYRIGHT;COMPONENT" "")
  foreach(required IN ITEMS CHANGELOG COPYRIGHT COMPONENT)
    if(NOT arg_${required})
      message(FATAL_ERROR "ductor_debian_install_docs(${package}): ${required} is required")
    endif()
  endforeach()
  find_program(DUCTOR_GZIP gzip REQUIRED)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${arg_CHANGELOG}" "${arg_COPYRIGHT}")
  set(gz "${CMAKE_CURRENT_BINARY_DIR}/debian/${package}/changelog.Debian.gz")
  file(MAKE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/debian/${package}")
  execute_process(COMMAND "${DUCTOR_GZIP}" -9 -n -c "${arg_CHANGELOG}" OUTPUT_FILE "${gz}" COMMAND_ERROR_IS_FATAL ANY)
  install(FILES "${arg_COPYRIGHT}" "${gz}" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${package}"
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
    COMPONENT "${arg_COMPONENT}" EXCLUDE_FROM_ALL)
endfunction()

function(ductor_debian_abi_package major var)
  set(${var} "ductor-plugin-abi-${major}" PARENT_SCOPE)
endfunction()

macro(ductor_debian_cpack_defaults)
  set(CPACK_GENERATOR DEB)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
  # The synopsis is the first line of the description: CPack prepends
  # CPACK_PACKAGE_DESCRIPTION_SUMMARY unless it is CPack's own default, so it
  # is set to that default.
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
  set(CPACK_DUCTOR_STRIP "${CMAKE_STRIP}")
  set(CPACK_PRE_BUILD_SCRIPTS "${DUCTOR_DEBIAN_MODULE_DIR}/DuctorDebianStage.cmake")
endmacro()
