# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS): strips the staged files as
# Debian's dh_strip does, before CPack computes md5sums and builds the
# packages. Executables and shared objects lose their symbol tables and the
# .comment/.note sections; static libraries keep their symbols (they are
# linked) and lose debug information.
if(NOT CPACK_DUCTOR_STRIP)
  message(FATAL_ERROR "strip.cmake: CPACK_DUCTOR_STRIP (the strip program) is not set")
endif()
set(sections --remove-section=.comment --remove-section=.note)
file(GLOB_RECURSE staged LIST_DIRECTORIES false "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(file IN LISTS staged)
  if(IS_SYMLINK "${file}")
    continue()
  endif()
  if(file MATCHES "\\.a$")
    set(options --strip-debug --enable-deterministic-archives ${sections})
  elseif(file MATCHES "\\.so$")
    set(options --strip-unneeded ${sections})
  elseif(file MATCHES "/bin/[^/]+$")
    set(options ${sections})
  else()
    continue()
  endif()
  execute_process(COMMAND "${CPACK_DUCTOR_STRIP}" ${options} "${file}" COMMAND_ERROR_IS_FATAL ANY)
endforeach()
