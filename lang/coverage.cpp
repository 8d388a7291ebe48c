#include "lang/coverage.h"

namespace savm::lang {
namespace {

void count(CoverageCount& c, bool taken, std::string name) {
  ++c.total;
  if (taken) {
    ++c.taken;
  } else {
    c.never.push_back(std::move(name));
  }
}

// A library pack's tests are not run with the workspace's, so its items are not counted either.
bool in_library(const Program& program, const std::string& pack_id) {
  for (const PackInfo& p : program.packs) {
    if (p.id == pack_id) return p.library;
  }
  return false;
}

}  // namespace

void Coverage::record(const std::vector<TraceEvent>& trace) {
  for (const TraceEvent& e : trace) {
    if (e.kind == "rule") rules_.insert(e.name);
    if (e.kind == "row") rows_.insert({e.name, e.index});
    if (e.kind == "exception") branches_.insert({e.name, e.index, e.label});
    if (e.kind == "default") branches_.insert({e.name, e.index, ""});
  }
}

CoverageReport Coverage::report() const {
  CoverageReport report;
  for (const auto& rule : program_.rules) {
    if (in_library(program_, rule->pack_id)) continue;
    count(report.rules, rules_.count(rule->qualified_name) != 0, rule->qualified_name);
    for (std::uint32_t v = 0; v < rule->versions.size(); ++v) {
      const TDefinition& def = rule->versions[v].definition;
      if (def.exceptions.empty()) continue;
      const std::string prefix =
          rule->qualified_name + (rule->versions.size() > 1 ? " version " + std::to_string(v + 1) : "") + " ";
      count(report.branches, branches_.count({rule->qualified_name, v, ""}) != 0, prefix + "default");
      for (const TException& exception : def.exceptions) {
        count(report.branches, branches_.count({rule->qualified_name, v, exception.label}) != 0,
              prefix + "exception " + exception.label);
      }
    }
  }
  for (const auto& table : program_.tables) {
    if (in_library(program_, table->pack_id)) continue;
    for (const TRow& row : table->rows) {
      count(report.rows, rows_.count({table->qualified_name, row.index}) != 0,
            table->qualified_name + " row " + std::to_string(row.index + 1));
    }
  }
  return report;
}

}  // namespace savm::lang
