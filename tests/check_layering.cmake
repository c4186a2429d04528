# The core's rooms depend one way (DESIGN.md, "Layout"): a room includes only
# itself and the rooms listed for it here, so no header cycle can come back.
#
#   cmake -DSOURCE_DIR=<repository> -P check_layering.cmake
#
# Every `#include <ductor/ROOM/...>` in core/ROOM/ and core/include/ductor/ROOM/
# is checked; a file of a room not listed, or an include of a room its room may
# not use, fails with the file, the line and the rule.

cmake_minimum_required(VERSION 3.20)

set(allowed_cli cli host service runner plugin output platform sdk)
set(allowed_host host runner platform sdk)
set(allowed_service service output platform sdk)
# The runner checks a service's name, environment and restart policy by the service's own rules.
set(allowed_runner runner service platform sdk)
set(allowed_plugin plugin platform sdk)
set(allowed_output output platform sdk)
set(allowed_platform platform sdk)
set(rooms cli host service runner plugin output platform)

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_layering: pass -DSOURCE_DIR=<repository>")
endif()

set(problems "")
file(GLOB room_dirs LIST_DIRECTORIES true RELATIVE "${SOURCE_DIR}/core/include/ductor" "${SOURCE_DIR}/core/include/ductor/*")
file(GLOB source_dirs LIST_DIRECTORIES true RELATIVE "${SOURCE_DIR}/core" "${SOURCE_DIR}/core/*")
list(FILTER source_dirs EXCLUDE REGEX "^(include|CMakeLists.txt|main.cpp)$")
foreach(room IN LISTS room_dirs source_dirs)
  if(NOT room IN_LIST rooms)
    string(APPEND problems "  core/${room}: a room without layering rule (add it to ${CMAKE_CURRENT_LIST_FILE})\n")
  endif()
endforeach()

foreach(room IN LISTS rooms)
  file(GLOB_RECURSE files "${SOURCE_DIR}/core/${room}/*.[ch]pp" "${SOURCE_DIR}/core/include/ductor/${room}/*.hpp")
  foreach(file IN LISTS files)
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]ductor/")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]ductor/([a-z_]+)/.*$" "\\1" used "${line}")
      if(NOT used IN_LIST allowed_${room})
        file(RELATIVE_PATH shown "${SOURCE_DIR}" "${file}")
        string(APPEND problems "  ${shown}: '${line}': ${room} may include only ${allowed_${room}}\n")
      endif()
    endforeach()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "Includes against the layering (cli -> host -> service/runner/plugin/output -> platform -> sdk):\n${problems}")
endif()
message(STATUS "layering: every include of core/ points one way")
