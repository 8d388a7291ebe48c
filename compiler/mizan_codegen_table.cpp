// Tables: rows tried in source order; a row applies when it is in force at the law date and
// every key matches its parameter. The first that applies returns its results (one per column:
// the column record's words); none is the no_row REVERT. Key tests are `LOCAL_GET; PUSH; cmp;
// JUMPI`, the shape the interpreter fuses into one instruction.
#include "compiler/mizan_emitter.h"
#include "vm/word.h"

namespace savm::compiler {
namespace {

void skip_if(FunctionEmitter& f, std::uint32_t local, const std::string& bound, const char* compare,
             const std::string& skip) {
  f.op("LOCAL_GET", std::to_string(local));
  f.push(bound);
  f.op(compare);
  f.op("JUMPI", skip);
}

void check_bound(const std::string& value, const lang::SourceSpan& span) {
  if (!vm::Word::from_decimal(value)) {
    throw CompileError({"C0004", lang::Severity::warning, span, "row key " + value + " is outside int256", ""});
  }
}

// Jumps to `skip` unless `key` matches the parameter in `local`.
void emit_key(FunctionEmitter& f, const lang::TRowKey& key, std::uint32_t local, const std::string& skip,
              const lang::SourceSpan& span) {
  using lang::RowKeyKind;
  switch (key.kind) {
    case RowKeyKind::up_to: check_bound(key.high, span); return skip_if(f, local, key.high, "GT", skip);
    case RowKeyKind::above: check_bound(key.low, span); return skip_if(f, local, key.low, "LE", skip);
    case RowKeyKind::range:
      check_bound(key.low, span);
      check_bound(key.high, span);
      skip_if(f, local, key.low, "LT", skip);
      return skip_if(f, local, key.high, "GE", skip);
    case RowKeyKind::exact: check_bound(key.low, span); return skip_if(f, local, key.low, "NE", skip);
    case RowKeyKind::otherwise: return;
  }
}

std::string row_detail(const lang::TRow& row) {
  std::string detail = "row " + std::to_string(row.index);
  if (row.in_force) {
    detail += " in force " + date_text(row.in_force->from) + " .." + (row.in_force->to ? " " + date_text(*row.in_force->to) : "");
  }
  return detail;
}

}  // namespace

std::string emit_table(ModuleContext& m, const lang::TableInfo& table, const std::string& function_name) {
  FunctionEmitter f(m, function_name, table.body, table.span);
  f.comment("table " + table.qualified_name);
  bool fell_through = true;  // false once a row without any test returned: the rest is dead
  for (const lang::TRow& row : table.rows) {
    const std::string next = f.fresh_label("row");
    f.at(row.span);
    bool guarded = row.in_force.has_value();
    if (row.in_force) {
      f.op("LAW_DATE");
      f.push(std::to_string(row.in_force->from));
      f.op("LT");
      f.op("JUMPI", next);
      if (row.in_force->to) {
        f.op("LAW_DATE");
        f.push(std::to_string(*row.in_force->to));
        f.op("GE");
        f.op("JUMPI", next);
      }
    }
    for (std::size_t k = 0; k < row.keys.size(); ++k) {
      if (row.keys[k].kind == lang::RowKeyKind::otherwise) continue;
      if (f.slots().words.at(k) != 1) {
        throw CompileError({"C0004", lang::Severity::warning, row.span,
                            "a row key on a parameter of several words (" + lang::qualified_type_name(table.params.at(k).type) + ")", ""});
      }
      emit_key(f, row.keys[k], f.slots().base.at(k), next, row.span);
      guarded = true;
    }
    std::vector<std::string> cites = row.cites;
    if (cites.empty()) cites = table.cites;
    f.push(std::to_string(row.index));
    f.op("TRACE", m.cite(trace_text("row", table.qualified_name, row_detail(row), cites)));
    for (const lang::TExprPtr& result : row.results) emit_expr(f, *result);
    f.op("RETURN");
    if (!guarded) {
      fell_through = false;
      break;
    }
    f.label(next);
  }
  if (fell_through) f.revert(kRevertNoRow);
  std::uint32_t params = 0;
  for (const lang::TParam& p : table.params) params += word_count(p.type, table.span);
  return f.finish(params, word_count(table.result, table.span));
}

}  // namespace savm::compiler
