// Lists (docs/design/mizan-compiler.md "Lists"). A List<T> value is one word, the memory offset
// of its block: the length, then each element's words (compiler/mizan_layout.h), 32 bytes each.
// Blocks are never written after they are built, so a list is shared by copying its offset.
//
// Memory is a bump heap: word 0 holds how many bytes are allocated past it, so the next block
// starts at 32 + that (empty memory reads 0: nothing to initialize). Entries with list
// parameters copy their input to offset 32 first (mizan_module.cpp), so input lists are blocks
// like any other.
//
// SAVM has no backward jumps, so an iteration is unrolled max_list_length times, each copy
// guarded by "index < length". The static gas bound is therefore that of max_list_length
// elements; a length outside 0..max_list_length (only an entry's input can hold one) reverts
// list_too_long before the list is used. A lambda body that iterates itself is lifted into a
// function of its own and called from each copy, so nested iteration costs code linear in the
// depth, not max_list_length^depth (the gas bound is still the product).
#include <string>
#include <type_traits>
#include <variant>

#include "compiler/mizan_emitter.h"

namespace savm::compiler {
namespace {

std::string num(std::uint64_t n) { return std::to_string(n); }

std::uint32_t list_cap(FunctionEmitter& f) { return f.module().options().max_list_length; }

// Allocates the byte count on top of the stack; the block's offset goes to local `at`.
void emit_alloc(FunctionEmitter& f, std::uint32_t at) {
  f.op("PUSH0");
  f.op("MLOAD");  // (bytes used)
  f.op("DUP", "1");
  f.push("32");
  f.op("ADD");
  f.op("LOCAL_SET", num(at));
  f.op("ADD");  // (used + bytes)
  f.op("PUSH0");
  f.op("SWAP", "1");
  f.op("MSTORE");
}

// The top word into word `index` of the block whose offset is in local `block`.
void store_word(FunctionEmitter& f, std::uint32_t block, std::uint64_t index) {
  f.op("LOCAL_GET", num(block));
  f.push(num(32 * index));
  f.op("ADD");
  f.op("SWAP", "1");
  f.op("MSTORE");
}

void load_word(FunctionEmitter& f, std::uint32_t block, std::uint64_t index) {
  f.op("LOCAL_GET", num(block));
  f.push(num(32 * index));
  f.op("ADD");
  f.op("MLOAD");
}

// The length of the block in local `list` into local `length`, reverting list_too_long unless
// 0 ≤ length ≤ max_list_length.
void emit_checked_length(FunctionEmitter& f, std::uint32_t list, std::uint32_t length) {
  const std::string ok = f.fresh_label("length_ok");
  f.op("LOCAL_GET", num(list));
  f.op("MLOAD");
  f.op("LOCAL_SET", num(length));
  f.op("LOCAL_GET", num(length));
  f.push(num(list_cap(f)));
  f.op("GT");
  f.op("LOCAL_GET", num(length));
  f.op("PUSH0");
  f.op("LT");
  f.op("OR");
  f.op("ISZERO");
  f.op("JUMPI", ok);
  f.revert(kRevertListTooLong);
  f.label(ok);
}

// Evaluates the list operand; its offset and checked length go to fresh locals.
struct ListPlace {
  std::uint32_t block;
  std::uint32_t length;
};

ListPlace emit_list_operand(FunctionEmitter& f, const lang::TExpr& list) {
  const ListPlace place{f.temp(1, list.span), f.temp(1, list.span)};
  emit_expr(f, list);
  f.op("LOCAL_SET", num(place.block));
  emit_checked_length(f, place.block, place.length);
  return place;
}

bool iterates(const lang::TExpr& e);

bool any_iterates(const std::vector<lang::TExprPtr>& es) {
  for (const lang::TExprPtr& e : es) {
    if (iterates(*e)) return true;
  }
  return false;
}

// Whether `e` holds an iteration in its own code (a called rule's iterations are the callee's).
bool iterates(const lang::TExpr& e) {
  return std::visit(
      [](const auto& n) -> bool {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, lang::Iterate>) {
          return true;
        } else if constexpr (std::is_same_v<N, lang::FieldGet>) {
          return iterates(*n.object);
        } else if constexpr (std::is_same_v<N, lang::RecordMake>) {
          return any_iterates(n.fields);
        } else if constexpr (std::is_same_v<N, lang::ListMake>) {
          return any_iterates(n.items);
        } else if constexpr (std::is_same_v<N, lang::RuleCall> || std::is_same_v<N, lang::TableCall> ||
                             std::is_same_v<N, lang::BuiltinCall>) {
          return any_iterates(n.args);
        } else if constexpr (std::is_same_v<N, lang::TUnary> || std::is_same_v<N, lang::Rescale>) {
          return iterates(*n.operand);
        } else if constexpr (std::is_same_v<N, lang::TBinary>) {
          return iterates(*n.lhs) || iterates(*n.rhs);
        } else if constexpr (std::is_same_v<N, lang::Rounded>) {
          return iterates(*n.a) || iterates(*n.b) || iterates(*n.divisor);
        } else if constexpr (std::is_same_v<N, lang::TIf>) {
          return iterates(*n.condition) || iterates(*n.then_branch) || iterates(*n.else_branch);
        } else if constexpr (std::is_same_v<N, lang::TLet>) {
          return iterates(*n.value) || iterates(*n.body);
        } else if constexpr (std::is_same_v<N, lang::TensorRead>) {
          return iterates(*n.asset) || iterates(*n.jurisdiction) || iterates(*n.domain);
        } else {
          return false;  // constants and variables
        }
      },
      e.node);
}

// One copy of a lambda body. Inline, unless it iterates itself: then it is lifted into a
// function with the enclosing function's slot layout, called with every slot's words (so the
// body finds its variables where it would inline). Its temps die with the copy.
void emit_lambda_body(FunctionEmitter& f, const lang::TExpr& body) {
  const std::uint32_t slot_words = f.slots().total;
  if (!iterates(body) || slot_words > vm::kMaxParams) {
    const std::uint32_t mark = f.temp_mark();
    emit_expr(f, body);
    f.release_temps(mark);
    return;
  }
  const std::string* name = f.lifted(&body);
  const std::string callee = name != nullptr ? *name : f.lift(&body, [&](const std::string& lifted_name) {
    FunctionEmitter g(f.module(), lifted_name, f.body(), f.span());
    g.comment("lambda body of " + f.name());
    emit_expr(g, body);
    g.op("RETURN");
    return g.finish(slot_words, word_count(body.type, body.span));
  });
  f.load(0, slot_words);
  f.op("CALL", callee);
}

// Jumps to `end` unless element `index` exists, then binds it to the lambda's slot.
void emit_element(FunctionEmitter& f, const ListPlace& list, std::uint32_t index, std::uint32_t words,
                  std::uint32_t slot, const std::string& end) {
  f.op("LOCAL_GET", num(list.length));
  f.push(num(index));
  f.op("GT");
  f.op("ISZERO");
  f.op("JUMPI", end);
  const std::uint32_t base = f.slots().base.at(slot);
  for (std::uint32_t j = 0; j < words; ++j) {
    load_word(f, list.block, 1 + std::uint64_t{index} * words + j);
    f.op("LOCAL_SET", num(base + j));
  }
}

// A fresh block of `words`-word elements with room for the list's length, into local `out`.
void emit_alloc_like(FunctionEmitter& f, const ListPlace& list, std::uint32_t words, std::uint32_t out) {
  f.op("LOCAL_GET", num(list.length));
  f.push(num(32 * std::uint64_t{words}));
  f.op("MUL");
  f.push("32");
  f.op("ADD");
  emit_alloc(f, out);
}

void emit_map(FunctionEmitter& f, const lang::TExpr& e, const lang::Iterate& it, const ListPlace& list) {
  const std::uint32_t in_words = word_count(it.list->type.args[0], e.span);
  const std::uint32_t out_words = word_count(e.type.args[0], e.span);
  const std::uint32_t out = f.temp(1, e.span);
  emit_alloc_like(f, list, out_words, out);
  f.op("LOCAL_GET", num(list.length));
  store_word(f, out, 0);
  const std::string end = f.fresh_label("map_end");
  for (std::uint32_t i = 0; i < list_cap(f); ++i) {
    emit_element(f, list, i, in_words, it.elem_slot, end);
    emit_lambda_body(f, *it.body);
    for (std::uint32_t j = out_words; j > 0; --j) store_word(f, out, 1 + std::uint64_t{i} * out_words + j - 1);
  }
  f.label(end);
  f.op("LOCAL_GET", num(out));
}

// Kept elements are copied to the next free place of the new block: out + 32 × (1 + count × w).
void emit_filter(FunctionEmitter& f, const lang::TExpr& e, const lang::Iterate& it, const ListPlace& list) {
  const std::uint32_t words = word_count(e.type.args[0], e.span);
  const std::uint32_t out = f.temp(1, e.span);
  const std::uint32_t count = f.temp(1, e.span);
  emit_alloc_like(f, list, words, out);
  f.op("PUSH0");
  f.op("LOCAL_SET", num(count));
  const std::string end = f.fresh_label("filter_end");
  const std::uint32_t element = f.slots().base.at(it.elem_slot);
  for (std::uint32_t i = 0; i < list_cap(f); ++i) {
    emit_element(f, list, i, words, it.elem_slot, end);
    emit_lambda_body(f, *it.body);
    const std::string skip = f.fresh_label("filter_skip");
    f.op("ISZERO");
    f.op("JUMPI", skip);
    for (std::uint32_t j = 0; j < words; ++j) {
      f.op("LOCAL_GET", num(out));
      f.op("LOCAL_GET", num(count));
      f.push(num(32 * std::uint64_t{words}));
      f.op("MUL");
      f.op("ADD");
      f.push(num(32 * (1 + std::uint64_t{j})));
      f.op("ADD");
      f.op("LOCAL_GET", num(element + j));
      f.op("MSTORE");
    }
    f.op("LOCAL_GET", num(count));
    f.push("1");
    f.op("ADD");
    f.op("LOCAL_SET", num(count));
    f.label(skip);
  }
  f.label(end);
  f.op("LOCAL_GET", num(count));
  store_word(f, out, 0);
  f.op("LOCAL_GET", num(out));
}

// any/all stop at the first element that decides them, as the evaluator does (a later element's
// fault is never reached).
void emit_quantifier(FunctionEmitter& f, const lang::TExpr& e, const lang::Iterate& it, const ListPlace& list) {
  const bool is_any = it.kind == lang::IterKind::any;
  const std::uint32_t words = word_count(it.list->type.args[0], e.span);
  const std::string end = f.fresh_label(is_any ? "any_end" : "all_end");
  const std::string decided = f.fresh_label(is_any ? "any_found" : "all_failed");
  const std::string done = f.fresh_label(is_any ? "any_done" : "all_done");
  for (std::uint32_t i = 0; i < list_cap(f); ++i) {
    emit_element(f, list, i, words, it.elem_slot, end);
    emit_lambda_body(f, *it.body);
    if (!is_any) f.op("ISZERO");
    f.op("JUMPI", decided);
  }
  f.label(end);
  f.push(is_any ? "0" : "1");
  f.op("JUMP", done);
  f.label(decided);
  f.push(is_any ? "1" : "0");
  f.label(done);
}

void emit_fold(FunctionEmitter& f, const lang::TExpr& e, const lang::Iterate& it, const ListPlace& list) {
  const std::uint32_t words = word_count(it.list->type.args[0], e.span);
  const std::uint32_t acc = f.slots().base.at(it.acc_slot);
  const std::uint32_t acc_words = f.slots().words.at(it.acc_slot);
  emit_expr(f, *it.init);
  f.spill(acc, acc_words);
  const std::string end = f.fresh_label("fold_end");
  for (std::uint32_t i = 0; i < list_cap(f); ++i) {
    emit_element(f, list, i, words, it.elem_slot, end);
    emit_lambda_body(f, *it.body);
    f.spill(acc, acc_words);
  }
  f.label(end);
  f.load(acc, acc_words);
}

}  // namespace

void emit_list_make(FunctionEmitter& f, const lang::TExpr& e, const lang::ListMake& l) {
  if (l.items.size() > list_cap(f)) {
    throw CompileError({"C0004", lang::Severity::warning, e.span,
                        "a list of " + std::to_string(l.items.size()) + " elements (the compiled maximum is " +
                            std::to_string(list_cap(f)) + ", max_list_length)",
                        ""});
  }
  const std::uint32_t words = word_count(e.type.args[0], e.span);
  const std::uint32_t block = f.temp(1, e.span);
  f.push(num(32 * (1 + l.items.size() * std::uint64_t{words})));
  emit_alloc(f, block);
  f.push(num(l.items.size()));
  store_word(f, block, 0);
  for (std::size_t i = 0; i < l.items.size(); ++i) {
    emit_expr(f, *l.items[i]);
    for (std::uint32_t j = words; j > 0; --j) store_word(f, block, 1 + i * words + j - 1);
  }
  f.op("LOCAL_GET", num(block));
}

void emit_iterate(FunctionEmitter& f, const lang::TExpr& e, const lang::Iterate& it) {
  const ListPlace list = emit_list_operand(f, *it.list);
  switch (it.kind) {
    case lang::IterKind::map: return emit_map(f, e, it, list);
    case lang::IterKind::filter: return emit_filter(f, e, it, list);
    case lang::IterKind::any:
    case lang::IterKind::all: return emit_quantifier(f, e, it, list);
    case lang::IterKind::fold: return emit_fold(f, e, it, list);
  }
}

void emit_list_size(FunctionEmitter& f, const lang::TExpr& list) {
  const ListPlace place = emit_list_operand(f, list);
  f.op("LOCAL_GET", num(place.length));
}

}  // namespace savm::compiler
