// How Mizan values are laid out in SAVM words (docs/design/mizan-compiler.md "Values"): every
// scalar is one word, a record its fields' words in declaration order, a Duration two words
// (months, days). String, EntityId and AssetId are one word: a String's SHA-256; an id's by the
// id rule (lang/ids.h: 64 lowercase hex digits are the raw bytes, any other text its SHA-256).
// A List is one word:
// the memory offset of its block [length, element 0 words, element 1 words, ...] (the elements
// laid out by these same rules; mizan_codegen_list.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lang/program.h"
#include "vm/crypto/digest.h"

namespace savm::compiler {

// The 32 bytes of the word of a String, EntityId or AssetId value with text `bytes`.
vm::Digest text_bytes(const lang::Type& type, const std::string& bytes);

// Words of a value of `type` on the stack and in locals.
std::uint32_t word_count(const lang::Type& type, const lang::SourceSpan& span);

// Whether a value of `type` is or holds a list (its words then include memory offsets, which
// only mean something inside one execution).
bool holds_list(const lang::Type& type);

// Whether result words of `type` can be decoded back into a Value (no hashed bytes inside).
bool decodable(const lang::Type& type);

// Where each variable slot of a function lives: slot s occupies locals
// [base[s], base[s] + words[s]); parameters come first, so they are locals 0..P-1.
struct SlotLayout {
  std::vector<std::uint32_t> base;
  std::vector<std::uint32_t> words;
  std::uint32_t total = 0;
};
SlotLayout layout_slots(const lang::FunctionBody& body, const lang::SourceSpan& span);

}  // namespace savm::compiler
