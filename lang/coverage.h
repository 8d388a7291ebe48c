// Test coverage of a Program, counted from evaluation traces (lang/evaluator.h): which rules were
// entered, which table rows were taken and which exception branches (each exception, and the
// default of a definition that has exceptions) decided a value. `savm test` prints it. Library
// packs (PackInfo::library) are left out: their tests are the library's own.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "lang/evaluator.h"
#include "lang/program.h"

namespace savm::lang {

struct CoverageCount {
  std::size_t taken = 0;
  std::size_t total = 0;
  std::vector<std::string> never;  // in program order: "pk.x.rule", "pk.x.table row 3", "pk.x.rule default"
};

struct CoverageReport {
  CoverageCount rules;
  CoverageCount rows;
  CoverageCount branches;
};

class Coverage {
 public:
  explicit Coverage(const Program& program) : program_(program) {}
  void record(const std::vector<TraceEvent>& trace);
  CoverageReport report() const;

 private:
  const Program& program_;
  std::set<std::string> rules_;
  std::set<std::pair<std::string, std::uint32_t>> rows_;
  std::set<std::tuple<std::string, std::uint32_t, std::string>> branches_;  // rule, version, label ("" = default)
};

}  // namespace savm::lang
