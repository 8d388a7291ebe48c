# SAVM_SANITIZE applies to every target so that libraries and tests agree on the runtime.
# Any sanitizer report aborts the process, so a report can never hide behind a passing test.
if(SAVM_SANITIZE)
  add_compile_options(-fsanitize=${SAVM_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${SAVM_SANITIZE})
endif()
if(SAVM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SAVM_FUZZ needs clang (libFuzzer)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link -DSAVM_FUZZING=1)
endif()
