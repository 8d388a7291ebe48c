// Wire facts the compiled-tier tests write out by hand rather than take from the code under test:
// FORMATS.md's domain codes and state ranks, and the id rule's words (docs/mizan.md "Ids").
#pragma once

#include <cstdint>
#include <string>

#include "vm/crypto/digest.h"
#include "vm/word.h"

namespace savm::testing {

constexpr int kSanctions = 2, kTax = 3, kCorporate = 5, kLicensing = 8, kPayments = 10;
constexpr int kNonCompliant = 0, kPending = 1, kNotApplicable = 2, kExempt = 3, kCompliant = 4;

// An id's word: 64 lowercase hex digits are its bytes, any other text its SHA-256.
inline vm::Word id_word(const std::string& id) {
  const bool raw = id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
  return vm::Word::from_be_bytes((raw ? *vm::Digest::from_hex(id) : vm::sha256(id)).bytes());
}

}  // namespace savm::testing
