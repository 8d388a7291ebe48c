# Project code builds with warnings as errors on both compilers. Generated code (ANTLR) does
# not link this target, so its warnings cannot break the build.
add_library(savm_warnings INTERFACE)
target_compile_options(savm_warnings INTERFACE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor)
