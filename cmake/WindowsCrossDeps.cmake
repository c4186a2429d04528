# Imported targets for the Windows cross build, from the prefix that
# scripts/windows-deps.sh prepares (Debian's headers + a mingw-built
# Boost.Program_options). spdlog and fmt are used header-only.
set(DUCTOR_WINDOWS_DEPS "" CACHE PATH "Prefix made by scripts/windows-deps.sh")
if(NOT EXISTS "${DUCTOR_WINDOWS_DEPS}/lib/libboost_program_options.a")
  message(FATAL_ERROR "Run scripts/windows-deps.sh first and set DUCTOR_WINDOWS_DEPS to its prefix")
endif()
set(deps_include "${DUCTOR_WINDOWS_DEPS}/include")

add_library(Boost::headers INTERFACE IMPORTED)
target_include_directories(Boost::headers SYSTEM INTERFACE "${deps_include}")
# MinGW: without forced instantiation Boost.DLL aliases are only declared.
target_compile_definitions(Boost::headers INTERFACE BOOST_ALL_NO_LIB BOOST_DLL_FORCE_ALIAS_INSTANTIATION
  BOOST_BIND_GLOBAL_PLACEHOLDERS)

add_library(Boost::program_options STATIC IMPORTED)
set_target_properties(Boost::program_options PROPERTIES
  IMPORTED_LOCATION "${DUCTOR_WINDOWS_DEPS}/lib/libboost_program_options.a")
target_link_libraries(Boost::program_options INTERFACE Boost::headers)
target_compile_definitions(Boost::program_options INTERFACE BOOST_PROGRAM_OPTIONS_STATIC_LINK)

add_library(spdlog::spdlog INTERFACE IMPORTED)
target_include_directories(spdlog::spdlog SYSTEM INTERFACE "${deps_include}")
target_compile_definitions(spdlog::spdlog INTERFACE SPDLOG_HEADER_ONLY FMT_HEADER_ONLY SPDLOG_FMT_EXTERNAL)

add_library(Catch2::Catch2 INTERFACE IMPORTED)
target_include_directories(Catch2::Catch2 SYSTEM INTERFACE "${deps_include}")
set(Catch2_FOUND TRUE)
