// How an execution ended, and what it produced.
//
// success | revert(code, message) | out_of_gas | fault(kind). Only success carries effects; every
// other outcome keeps gas_used and nothing else (SAVM.md "Outcomes and rollback").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "vm/journal.h"
#include "vm/word.h"

namespace savm::vm {

enum class Status : std::uint8_t { success, revert, out_of_gas, fault };

// Run-time faults a verified module can still hit. The names are the receipt's wire form
// (fault_kind_name) and never change once released.
enum class FaultKind : std::uint8_t {
  none,
  overflow,            // checked arithmetic left [MIN, MAX] (also MULDIV, NEG/ABS of MIN)
  division_by_zero,    // DIV, MOD, MULDIV with a zero divisor
  negative_exponent,   // EXP with a negative exponent
  memory_limit,        // memory would grow past the cap, or an offset/length is out of range
  call_depth,          // CALL beyond the depth cap
  invalid_operand,     // a domain or state out of range, a zero evidence digest
  host_call,           // an intrinsic failed, is unknown or returned the wrong result count
};

std::string_view fault_kind_name(FaultKind kind);
std::string_view status_name(Status status);

struct Outcome {
  Status status = Status::success;
  FaultKind fault = FaultKind::none;         // when status == fault
  Word revert_code{};                         // when status == revert
  std::vector<std::uint8_t> revert_message;   // when status == revert
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

struct ExecutionResult {
  Outcome outcome;
  std::uint64_t gas_used = 0;
  std::vector<Word> returned;  // the entry function's result words (success only)
  Effects effects;             // empty unless success
  friend bool operator==(const ExecutionResult&, const ExecutionResult&) = default;
};

}  // namespace savm::vm
