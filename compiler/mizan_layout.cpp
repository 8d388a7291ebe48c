#include "compiler/mizan_layout.h"

#include "compiler/mizan_compiler.h"
#include "lang/ids.h"

namespace savm::compiler {

vm::Digest text_bytes(const lang::Type& type, const std::string& bytes) {
  const bool id = type.base == lang::BaseType::entity_id || type.base == lang::BaseType::asset_id;
  if (id && lang::is_raw_id(bytes)) return *vm::Digest::from_hex(bytes);
  return vm::sha256(bytes);
}

std::uint32_t word_count(const lang::Type& type, const lang::SourceSpan& span) {
  using lang::BaseType;
  switch (type.base) {
    case BaseType::duration: return 2;
    case BaseType::record: {
      std::uint32_t n = 0;
      for (const lang::FieldInfo& f : type.record->fields) n += word_count(f.type, span);
      return n;
    }
    default: return 1;  // a list too: its block's offset
  }
}

bool holds_list(const lang::Type& type) {
  if (type.base == lang::BaseType::list) return true;
  if (type.base != lang::BaseType::record) return false;
  for (const lang::FieldInfo& f : type.record->fields) {
    if (holds_list(f.type)) return true;
  }
  return false;
}

bool decodable(const lang::Type& type) {
  using lang::BaseType;
  switch (type.base) {
    case BaseType::string:
    case BaseType::entity_id:
    case BaseType::asset_id:
    case BaseType::list: return false;
    case BaseType::record:
      for (const lang::FieldInfo& f : type.record->fields) {
        if (!decodable(f.type)) return false;
      }
      return true;
    default: return true;
  }
}

SlotLayout layout_slots(const lang::FunctionBody& body, const lang::SourceSpan& span) {
  SlotLayout layout;
  for (const lang::Type& t : body.slot_types) {
    layout.base.push_back(layout.total);
    layout.words.push_back(word_count(t, span));
    layout.total += layout.words.back();
  }
  return layout;
}

}  // namespace savm::compiler
