// Compiles the dispatch loop twice (computed goto and switch), so both exist in every build and
// can be run against each other (tests, fuzz_dispatch_diff).
#include <algorithm>

#include "vm/abi.h"
#include "vm/interpreter_machine.h"

namespace savm::vm::interp {
namespace {

// The n big-endian immediate bytes of PUSHn, zero-extended.
template <unsigned N>
inline Word read_push(const std::uint8_t* p) {
  Word w = Word::zero();
  for (unsigned i = 0; i < N; ++i) {
    const unsigned bit = (N - 1 - i) * 8;
    w.limb[bit / 64] |= std::uint64_t{p[i]} << (bit % 64);
  }
  return w;
}

}  // namespace

#define SAVM_LOOP_GOTO 1
#define SAVM_LOOP_NAME run_goto
#include "vm/interpreter_loop.inc"
#undef SAVM_LOOP_GOTO
#undef SAVM_LOOP_NAME

#define SAVM_LOOP_GOTO 0
#define SAVM_LOOP_NAME run_switch
#include "vm/interpreter_loop.inc"
#undef SAVM_LOOP_GOTO
#undef SAVM_LOOP_NAME

}  // namespace savm::vm::interp
