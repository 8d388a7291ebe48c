// Values to entry input words and result words back to Values, by Mizan type, and running an
// export on the interpreter (docs/design/mizan-compiler.md "Entries").
#include <algorithm>
#include <stdexcept>
#include <variant>

#include "compiler/mizan_compiler.h"
#include "compiler/mizan_layout.h"
#include "vm/abi.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"
#include "vm/verifier.h"

namespace savm::compiler {
namespace {

vm::Word scalar_word(const std::string& text) {
  const auto w = vm::Word::from_decimal(text);
  if (!w) throw std::invalid_argument("value " + text + " is not an int256 decimal");
  return *w;
}

// Input words: the parameters' words (the head), then one block per list (the tail). A list
// word is the offset its block will have in memory once the entry copied the input to offset
// 32: 32 + 32 × (head words + its index in the tail). A block is reserved before its elements
// are encoded, so nested lists come after the list that holds them.
class InputEncoder {
 public:
  explicit InputEncoder(std::uint32_t head_words) : head_words_(head_words) {}

  void value(const lang::Value& v, const lang::Type& type, std::vector<vm::Word>& out) {
    using lang::BaseType;
    switch (type.base) {
      case BaseType::string:
      case BaseType::entity_id:
      case BaseType::asset_id: out.push_back(vm::Word::from_be_bytes(text_bytes(type, v.bytes).bytes())); return;
      case BaseType::duration:
        if (v.items.size() != 2) throw std::invalid_argument("a Duration is (months, days)");
        out.push_back(scalar_word(v.items[0].scalar));
        out.push_back(scalar_word(v.items[1].scalar));
        return;
      case BaseType::record:
        if (v.items.size() != type.record->fields.size()) {
          throw std::invalid_argument("a " + type.record->qualified_name + " has " +
                                      std::to_string(type.record->fields.size()) + " fields");
        }
        for (std::size_t i = 0; i < v.items.size(); ++i) value(v.items[i], type.record->fields[i].type, out);
        return;
      case BaseType::list: out.push_back(list(v, type.args.at(0))); return;
      default: out.push_back(scalar_word(v.scalar)); return;
    }
  }

  std::vector<vm::Word> finish(std::vector<vm::Word> head) const {
    head.insert(head.end(), tail_.begin(), tail_.end());
    return head;
  }

 private:
  vm::Word list(const lang::Value& v, const lang::Type& element) {
    const std::size_t at = tail_.size();
    const std::size_t words = word_count(element, {});
    tail_.resize(at + 1 + v.items.size() * words);
    std::vector<vm::Word> block{vm::Word::from_u64(v.items.size())};
    for (const lang::Value& item : v.items) value(item, element, block);
    std::copy(block.begin(), block.end(), tail_.begin() + static_cast<std::ptrdiff_t>(at));
    return vm::Word::from_u64(32 + 32 * (head_words_ + at));
  }

  std::uint64_t head_words_;
  std::vector<vm::Word> tail_;
};

lang::Value decode_value(const std::vector<vm::Word>& words, std::size_t& at, const lang::Type& type) {
  using lang::BaseType;
  lang::Value v;
  switch (type.base) {
    case BaseType::duration:
      for (int i = 0; i < 2; ++i) {
        lang::Value part;
        part.scalar = words.at(at++).to_decimal();
        v.items.push_back(std::move(part));
      }
      return v;
    case BaseType::record:
      for (const lang::FieldInfo& f : type.record->fields) v.items.push_back(decode_value(words, at, f.type));
      return v;
    default: v.scalar = words.at(at++).to_decimal(); return v;
  }
}

// The outcome as the evaluator names it: its error codes for the Mizan faults and reverts.
std::string error_code(const vm::Outcome& outcome) {
  switch (outcome.status) {
    case vm::Status::success: return "";
    case vm::Status::out_of_gas: return "out_of_gas";
    case vm::Status::fault: return std::string(vm::fault_kind_name(outcome.fault));
    case vm::Status::revert: break;
  }
  if (outcome.revert_code == vm::Word::from_u64(kRevertNoLaw)) return "no_law";
  if (outcome.revert_code == vm::Word::from_u64(kRevertNoRow)) return "no_row";
  if (outcome.revert_code == vm::Word::from_u64(kRevertConflict)) return "conflict";
  if (outcome.revert_code == vm::Word::from_u64(kRevertListTooLong)) return "list_too_long";
  if (outcome.revert_code == vm::Word::from_u64(kRevertRequirement)) return "requirement";
  return "revert " + outcome.revert_code.to_decimal();
}

// Export `e` with `args` on `host`, gas limit its static bound plus the memory allowance.
vm::ExecutionResult execute_export(const CompiledPack& pack, const ExportInfo& e, const std::vector<lang::Value>& args,
                                   std::int64_t law_date, const vm::Host& host) {
  if (args.size() != e.params.size()) throw std::invalid_argument("wrong number of arguments for " + e.name);
  const std::vector<vm::Word> words = input_words(e.params, args);
  std::vector<vm::AbiValue> abi;
  for (const vm::Word& w : words) abi.push_back(vm::AbiValue{w});
  const std::vector<std::uint8_t> input = vm::abi_encode(abi);

  const vm::VerifiedModule& module = *pack.verified;
  const auto function = vm::find_export(module.module(), e.name);
  vm::ExecutionContext context;
  context.law_date = law_date;
  context.gas_limit = module.function(*function).gas_bound + vm::kMaxMemoryGas;
  return vm::execute(module, *function, input, context, host);
}

// The export named `name`, or the reason it is missing (its C000x code, or "no_export").
const ExportInfo* export_or_reason(const CompiledPack& pack, std::string_view name, std::optional<std::string>& reason) {
  const ExportInfo* e = pack.find_export(name);
  if (e == nullptr) {
    const auto why = pack.not_exported.find(std::string(name));
    reason = why != pack.not_exported.end() ? why->second : "no_export";
  }
  return e;
}

}  // namespace

std::vector<vm::Word> input_words(const std::vector<lang::TParam>& params, const std::vector<lang::Value>& args) {
  if (args.size() != params.size()) throw std::invalid_argument("wrong number of arguments");
  std::uint32_t head_words = 0;
  for (const lang::TParam& p : params) head_words += word_count(p.type, {});
  InputEncoder encoder(head_words);
  std::vector<vm::Word> head;
  for (std::size_t i = 0; i < args.size(); ++i) encoder.value(args[i], params[i].type, head);
  return encoder.finish(std::move(head));
}

RunResult run_export(const CompiledPack& pack, std::string_view name, const std::vector<lang::Value>& args,
                     std::int64_t law_date) {
  RunResult out;
  const ExportInfo* e = export_or_reason(pack, name, out.error_code);
  if (e == nullptr) return out;
  const vm::MemoryHost host;
  const vm::ExecutionResult result = execute_export(pack, *e, args, law_date, host);
  out.gas_used = result.gas_used;
  if (result.outcome.status != vm::Status::success) {
    out.error_code = error_code(result.outcome);
    return out;
  }
  std::size_t at = 0;
  out.value = decode_value(result.returned, at, e->result);
  out.trace.reserve(result.effects.traces.size());
  for (const vm::TraceEvent& event : result.effects.traces) out.trace.push_back(static_cast<std::uint16_t>(event.code.limb[0]));
  return out;
}

TransitionResult run_transition_export(const CompiledPack& pack, const lang::TransitionInfo& transition,
                                       const std::vector<lang::Value>& args, std::int64_t law_date, const vm::Host& host) {
  TransitionResult out;
  const ExportInfo* e = export_or_reason(pack, transition.qualified_name, out.error_code);
  if (e == nullptr) return out;
  const vm::ExecutionResult result = execute_export(pack, *e, args, law_date, host);
  out.gas_used = result.gas_used;
  if (result.outcome.status != vm::Status::success) {
    out.error_code = error_code(result.outcome);
    return out;
  }
  out.writes = result.effects.tensor_updates;
  return out;
}

RunResult run_compiled(const CompiledPack& pack, const lang::RuleInfo& rule, const std::vector<lang::Value>& args,
                       std::int64_t law_date) {
  return run_export(pack, rule.qualified_name, args, law_date);
}

}  // namespace savm::compiler
