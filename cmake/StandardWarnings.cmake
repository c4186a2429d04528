# One INTERFACE target that carries the project's warnings; -Werror when
# DUCTOR_WERROR is on (CI turns it on).
add_library(ductor_warnings INTERFACE)
if(MSVC)
  target_compile_options(ductor_warnings INTERFACE /W4 $<$<BOOL:${DUCTOR_WERROR}>:/WX>)
else()
  target_compile_options(ductor_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
    $<$<BOOL:${DUCTOR_WERROR}>:-Werror>)
endif()
