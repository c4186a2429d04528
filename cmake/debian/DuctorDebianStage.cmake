# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, set by
# ductor_debian_cpack_defaults() in DuctorDebian.cmake): fixes the staged
# files up as Debian's dh_strip and dh_fixperms do, before CPack computes
# md5sums and builds the packages.
#
# Stripping: executables and shared objects (plugins) lose their symbol tables
# and the .comment/.note sections; static libraries keep their symbols (they
# are linked) and lose debug information.
# Modes: folders and executables in bin/ 0755, everything else 0644 (shared
# objects too: a plugin is loaded, never executed), whatever the umask of the
# build or the install rules said.
if(NOT CPACK_DUCTOR_STRIP)
  message(FATAL_ERROR "DuctorDebianStage.cmake: CPACK_DUCTOR_STRIP (the strip program) is not set")
endif()
set(sections --remove-section=.comment --remove-section=.note)
set(file_mode OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
set(exec_mode ${file_mode} OWNER_EXECUTE GROUP_EXECUTE WORLD_EXECUTE)
file(GLOB_RECURSE staged LIST_DIRECTORIES true "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(file IN LISTS staged)
  if(IS_SYMLINK "${file}")
    continue()
  endif()
  if(IS_DIRECTORY "${file}")
    file(CHMOD "${file}" PERMISSIONS ${exec_mode})
    continue()
  endif()
  set(mode ${file_mode})
  if(file MATCHES "\\.a$")
    set(options --strip-debug --enable-deterministic-archives ${sections})
  elseif(file MATCHES "\\.so$")
    set(options --strip-unneeded ${sections})
  elseif(file MATCHES "/bin/[^/]+$")
    set(options ${sections})
    set(mode ${exec_mode})
  else()
    set(options "")
  endif()
  if(options)
    execute_process(COMMAND "${CPACK_DUCTOR_STRIP}" ${options} "${file}" COMMAND_ERROR_IS_FATAL ANY)
  endif()
  file(CHMOD "${file}" PERMISSIONS ${mode})
endforeach()
