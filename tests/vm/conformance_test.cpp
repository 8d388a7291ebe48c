// The data-driven VM conformance suite (tests/conformance/vm/README.md).
//
// Every *.json file in tests/conformance/vm/ (except receipt_digests.json) holds named sections
// of named cases: an assembly program, its arguments, context, gas limit and initial state, and
// the expected outcome, gas, return words and effects, all computed by hand from docs/gas.md and
// docs/vm.md (each case carries its arithmetic in "note"). One gtest per case,
// VmConformance/<file>.<section>/<case>; each runs under BOTH dispatch loops, which must produce
// byte-identical receipts, then every expected field is checked, then the receipt digest is
// compared with receipt_digests.json, the golden file that pins cross-compiler determinism
// (SAVM_UPDATE_GOLDEN=1 rewrites it). A malformed file or case fails loudly, naming it.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/assembler.h"
#include "runtime/abi_json.h"
#include "runtime/context_json.h"
#include "runtime/execution_receipt.h"
#include "runtime/mcf.h"
#include "vm/abi.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"
#include "vm/verifier.h"

namespace savm::vm {
namespace {

using runtime::Json;
namespace fs = std::filesystem;

const fs::path kCaseDir = fs::path(SAVM_SOURCE_DIR) / "tests" / "conformance" / "vm";
const fs::path kGoldenFile = kCaseDir / "receipt_digests.json";

// A case as loaded, before validation (validation failures are the case's own test failure).
struct CaseRef {
  std::string file;  // stem, e.g. "arithmetic"
  std::string section;
  std::string name;
  Json body;
  std::string id() const { return file + "/" + section + "/" + name; }
};

// A malformed case or file: the message always starts with the case (or file) it is about.
struct CaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void malformed(const CaseRef& c, const std::string& what) {
  throw CaseError(c.id() + ": " + what);
}

bool valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (const char ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  }
  return true;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void require_keys(const CaseRef& c, const Json& obj, const std::set<std::string>& allowed,
                  const std::string& where) {
  if (!obj.is_object()) malformed(c, where + " must be an object");
  for (const auto& [key, value] : obj.items()) {
    if (!allowed.contains(key)) malformed(c, where + ": unknown field \"" + key + "\"");
  }
}

// ---- the defaults every case starts from (README "Defaults")

Json default_context() {
  return Json{{"caller", "did:savm:alice"},
              {"origin", "did:savm:alice"},
              {"jurisdiction", "PK"},
              {"asset_id", "0x0000000000000000000000000000000000000000000000000000000000000001"},
              {"timestamp", 1700000000},
              {"law_date", "2023-11-14"},
              {"sequence", 0}};
}

Word word_value(const CaseRef& c, const Json& v, const std::string& where) {
  if (v.is_number_integer()) return Word::from_i64(v.get<std::int64_t>());
  if (v.is_string()) {
    if (const auto w = Word::from_decimal(v.get<std::string>())) return *w;
  }
  malformed(c, where + ": expected a decimal string or an integer");
}

std::string decimal_of(const CaseRef& c, const Json& v, const std::string& where) {
  return word_value(c, v, where).to_decimal();
}

const Json& member(const CaseRef& c, const Json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key)) malformed(c, where + ": missing \"" + key + "\"");
  return obj.at(key);
}

std::string string_member(const CaseRef& c, const Json& obj, const char* key, const std::string& where) {
  const Json& v = member(c, obj, key, where);
  if (!v.is_string()) malformed(c, where + "." + key + " must be a string");
  return v.get<std::string>();
}

template <std::size_t N>
std::size_t index_of(const CaseRef& c, const std::array<std::string_view, N>& names,
                     const std::string& name, const std::string& where) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return i;
  }
  malformed(c, where + ": unknown name \"" + name + "\"");
}

constexpr std::array<std::string_view, kDomainCount> kDomains = {
    "aml", "kyc", "sanctions", "tax", "securities", "corporate", "custody", "data_privacy",
    "licensing", "banking", "payments", "clearing", "settlement", "digital_assets", "employment",
    "immigration", "ip", "consumer_protection", "arbitration", "trade", "insurance",
    "anti_bribery", "sharia"};
constexpr std::array<std::string_view, kComplianceStateCount> kStates = {
    "non_compliant", "pending", "not_applicable", "exempt", "compliant"};
constexpr std::array<std::string_view, 6> kMigrationStatuses = {
    "none", "active", "in_transit", "settled", "compensated", "released"};

Word asset_id(const CaseRef& c, const Json& obj, const std::string& where) {
  return runtime::parse_id(string_member(c, obj, "asset", where), runtime::IdForm::raw, where + ".asset");
}
Word jurisdiction_id(const CaseRef& c, const Json& obj, const char* key, const std::string& where) {
  return runtime::parse_id(string_member(c, obj, key, where), runtime::IdForm::short_string,
                           where + "." + key);
}

// ---- the host a case runs against

// Intrinsics every case may import (README "Host"). Pure and deterministic.
void register_intrinsics(MemoryHost& host) {
  host.register_intrinsic("test.add", [](std::span<const Word> args) {
    HostCallResult r;
    Word sum;
    r.ok = args.size() == 2 && checked_add(args[0], args[1], sum);
    if (r.ok) r.results = {sum};
    return r;
  });
  host.register_intrinsic("test.fail", [](std::span<const Word>) { return HostCallResult{}; });
  host.register_intrinsic("test.two_results", [](std::span<const Word>) {
    return HostCallResult{true, {Word::one(), Word::one()}};
  });
}

// The mock verifier of system 4 ("mock", test-mode hosts only): accepts iff the proof is the
// single byte 0x01 and the verifying-key word is 7.
void register_mock_zk(MemoryHost& host) {
  host.register_mock_zk_verifier(4, [](std::span<const std::uint8_t> proof, std::span<const Word> inputs) {
    return proof.size() == 1 && proof[0] == 1 && !inputs.empty() && inputs[0] == Word::from_u64(7);
  });
}

void load_state(const CaseRef& c, const Word& asset, MemoryHost& host) {
  const Json& b = c.body;
  if (b.contains("storage")) {
    const Json& rows = b.at("storage");
    if (!rows.is_array()) malformed(c, "storage must be an array");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string where = "storage[" + std::to_string(i) + "]";
      require_keys(c, rows[i], {"asset", "key", "value"}, where);
      host.set_storage(rows[i].contains("asset") ? asset_id(c, rows[i], where) : asset, word_value(c, member(c, rows[i], "key", where), where + ".key"),
                       word_value(c, member(c, rows[i], "value", where), where + ".value"));
    }
  }
  if (b.contains("tensor")) {
    const Json& rows = b.at("tensor");
    if (!rows.is_array()) malformed(c, "tensor must be an array");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string where = "tensor[" + std::to_string(i) + "]";
      const Json& t = rows[i];
      require_keys(c, t, {"asset", "jurisdiction", "domain", "state", "evidence", "as_of", "expires"}, where);
      TensorCell cell;
      cell.state = static_cast<ComplianceState>(index_of(c, kStates, string_member(c, t, "state", where), where));
      if (t.contains("evidence")) {
        const auto d = Digest::from_hex(string_member(c, t, "evidence", where));
        if (!d) malformed(c, where + ".evidence must be 64 hex digits");
        cell.evidence = *d;
      }
      cell.as_of = t.value("as_of", std::int64_t{0});
      cell.expires = t.value("expires", std::int64_t{0});
      const TensorKey key{asset_id(c, t, where), jurisdiction_id(c, t, "jurisdiction", where),
                          static_cast<Domain>(index_of(c, kDomains, string_member(c, t, "domain", where), where))};
      host.set_tensor(key, cell);
    }
  }
  if (b.contains("migrations")) {
    const Json& rows = b.at("migrations");
    if (!rows.is_array()) malformed(c, "migrations must be an array");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string where = "migrations[" + std::to_string(i) + "]";
      const Json& mj = rows[i];
      require_keys(c, mj, {"id", "asset", "jurisdiction", "target", "amount", "status"}, where);
      MigrationRecord r;
      r.id = runtime::parse_id(string_member(c, mj, "id", where), runtime::IdForm::raw, where + ".id");
      r.asset = asset_id(c, mj, where);
      r.jurisdiction = jurisdiction_id(c, mj, "jurisdiction", where);
      r.target = mj.contains("target") ? jurisdiction_id(c, mj, "target", where) : Word::zero();
      r.amount = word_value(c, member(c, mj, "amount", where), where + ".amount");
      r.status = static_cast<MigrationStatus>(
          index_of(c, kMigrationStatuses, string_member(c, mj, "status", where), where));
      host.set_migration(r);
    }
  }
}

// ---- expected values, normalized to the receipt's wire form

Json expected_outcome(const CaseRef& c, const Json& e) {
  const std::string status = string_member(c, e, "outcome", "expect");
  Json out{{"status", status}};
  if (status == "revert") {
    out["code"] = decimal_of(c, member(c, e, "revert_code", "expect"), "expect.revert_code");
    out["message"] = e.contains("revert_message") ? string_member(c, e, "revert_message", "expect") : "";
  } else if (status == "fault") {
    out["fault"] = string_member(c, e, "fault", "expect");
  } else if (status != "success" && status != "out_of_gas") {
    malformed(c, "expect.outcome must be success, revert, out_of_gas or fault");
  }
  if (status != "revert" && (e.contains("revert_code") || e.contains("revert_message"))) {
    malformed(c, "expect.revert_code/revert_message only go with outcome revert");
  }
  if (status != "fault" && e.contains("fault")) malformed(c, "expect.fault only goes with outcome fault");
  return out;
}

Json list_or_empty(const CaseRef& c, const Json& e, const char* key) {
  if (!e.contains(key)) return Json::array();
  if (!e.at(key).is_array()) malformed(c, std::string("expect.") + key + " must be an array");
  return e.at(key);
}

Json expected_return(const CaseRef& c, const Json& e) {
  Json out = Json::array();
  const Json list = list_or_empty(c, e, "return");
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(decimal_of(c, list[i], "expect.return[" + std::to_string(i) + "]"));
  return out;
}

Json expected_storage(const CaseRef& c, const Json& e) {
  Json out = Json::array();
  const Json list = list_or_empty(c, e, "storage_diff");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "expect.storage_diff[" + std::to_string(i) + "]";
    require_keys(c, list[i], {"key", "old", "new"}, where);
    Json row{{"key", decimal_of(c, member(c, list[i], "key", where), where + ".key")}};
    if (list[i].contains("old")) row["old"] = decimal_of(c, list[i].at("old"), where + ".old");
    if (list[i].contains("new")) row["new"] = decimal_of(c, list[i].at("new"), where + ".new");
    out.push_back(row);
  }
  return out;
}

// Ids are written in their input forms (asset raw, jurisdictions as short strings); the receipt
// prints 0x form.
void normalize_ids(const CaseRef& c, Json& row, const std::string& where) {
  if (row.contains("asset")) row["asset"] = runtime::id_hex(asset_id(c, row, where));
  for (const char* key : {"jurisdiction", "target"}) {
    if (row.contains(key)) row[key] = runtime::id_hex(jurisdiction_id(c, row, key, where));
  }
  if (row.contains("id")) {
    row["id"] = runtime::id_hex(runtime::parse_id(string_member(c, row, "id", where), runtime::IdForm::raw, where + ".id"));
  }
  for (const char* key : {"claim", "amount"}) {
    if (row.contains(key)) row[key] = decimal_of(c, row.at(key), where + "." + key);
  }
}

Json expected_rows(const CaseRef& c, const Json& e, const char* key, const std::set<std::string>& fields) {
  Json out = Json::array();
  const Json list = list_or_empty(c, e, key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = std::string("expect.") + key + "[" + std::to_string(i) + "]";
    require_keys(c, list[i], fields, where);
    Json row = list[i];
    normalize_ids(c, row, where);
    if (row.contains("topics")) {
      Json topics = Json::array();
      for (const auto& t : row.at("topics")) topics.push_back(decimal_of(c, t, where + ".topics"));
      row["topics"] = topics;
    }
    out.push_back(row);
  }
  return out;
}

// Derived ids cannot be computed by hand (they hash the module digest): an expected row may
// leave "id" out, and then every other field must match.
void expect_rows_match(const Json& expected, const Json& actual, const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what << ": expected " << expected.dump() << "\n   actual " << actual.dump();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    Json got = actual[i];
    if (!expected[i].contains("id")) got.erase("id");
    EXPECT_EQ(expected[i], got) << what << "[" << i << "]";
  }
}

Json traces_json(const std::vector<TraceEvent>& traces) {
  Json out = Json::array();
  for (const auto& t : traces) out.push_back(Json{{"citation", t.code.to_decimal()}, {"args", runtime::words_to_json(t.args)}});
  return out;
}

Json expected_traces(const CaseRef& c, const Json& e) {
  Json out = Json::array();
  const Json list = list_or_empty(c, e, "traces");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "expect.traces[" + std::to_string(i) + "]";
    require_keys(c, list[i], {"citation", "args"}, where);
    Json args = Json::array();
    for (const auto& a : member(c, list[i], "args", where)) args.push_back(decimal_of(c, a, where + ".args"));
    out.push_back(Json{{"citation", decimal_of(c, member(c, list[i], "citation", where), where + ".citation")},
                       {"args", args}});
  }
  return out;
}

// ---- the golden receipt digests

Json read_golden() {
  if (!fs::exists(kGoldenFile)) return Json::object();
  return Json::parse(read_text(kGoldenFile));
}

bool updating_golden() {
  const char* v = std::getenv("SAVM_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// Read-modify-write, so running the binary directly (one process) or case by case both work;
// do not run the update under a parallel ctest.
void write_golden_entry(const std::string& id, const std::string& digest) {
  Json golden = read_golden();
  golden[id] = digest;
  std::ofstream out(kGoldenFile, std::ios::binary | std::ios::trunc);
  out << golden.dump(2) << "\n";  // nlohmann objects are std::map: keys sorted, stable output
}

// ---- running one case

struct Run {
  Json receipt;
  ExecutionResult result;
};

std::string program_text(const CaseRef& c) {
  const Json& p = member(c, c.body, "program", "case");
  if (p.is_string()) return p.get<std::string>();
  if (!p.is_array()) malformed(c, "program must be a string or an array of lines");
  std::string text;
  for (const auto& line : p) {
    if (!line.is_string()) malformed(c, "program lines must be strings");
    text += line.get<std::string>();
    text += '\n';
  }
  return text;
}

VerifiedModule build_module(const CaseRef& c) {
  Module module;
  try {
    module = compiler::assemble(program_text(c), compiler::AssembleOptions{c.id() + ".sasm", false});
  } catch (const compiler::AsmError& e) {
    malformed(c, "program line " + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " +
                     e.message + " [" + e.code + "]");
  }
  auto verified = verify(std::move(module));
  if (auto* errors = std::get_if<std::vector<VerifyError>>(&verified)) {
    malformed(c, "program does not verify: " + errors->front().reason + " [" + errors->front().code + "]");
  }
  return std::get<VerifiedModule>(std::move(verified));
}

Run execute_case(const CaseRef& c, const VerifiedModule& module, Dispatch dispatch) {
  const Json& b = c.body;
  const std::string entry = b.contains("entry") ? string_member(c, b, "entry", "case") : "main";
  const auto function = find_export(module.module(), entry);
  if (!function) malformed(c, "no export named \"" + entry + "\"");

  Json context = default_context();
  if (b.contains("context")) {
    require_keys(c, b.at("context"), {"caller", "origin", "jurisdiction", "asset_id", "corridor", "timestamp",
                                      "law_date", "sequence"}, "context");
    for (const auto& [key, value] : b.at("context").items()) context[key] = value;
  }
  const Json& gas = member(c, b, "gas_limit", "case");
  if (!gas.is_number_unsigned()) malformed(c, "gas_limit must be a non-negative integer");
  context["gas_limit"] = gas;

  runtime::ExecutionRequest request;
  request.module_digest = module.digest();
  request.entry = entry;
  request.input = abi_encode(runtime::abi_args_from_json(runtime::parse_json(b.value("args", Json::array()).dump())));
  request.context = runtime::context_from_json(runtime::parse_json(context.dump()));

  const bool zk = b.contains("zk");
  if (zk && b.at("zk") != "mock") malformed(c, "zk must be \"mock\"");
  MemoryHost host(zk ? HostMode::test : HostMode::production);
  register_intrinsics(host);
  if (zk) register_mock_zk(host);
  load_state(c, request.context.asset_id, host);

  ExecutionContext ctx = request.context;
  ctx.execution_digest = runtime::execution_digest(request);
  Run run;
  run.result = execute(module, *function, request.input, ctx, host, dispatch);
  run.receipt = runtime::execution_receipt(request, run.result);
  return run;
}

void check_case(const CaseRef& c) {
  const Json& b = c.body;
  require_keys(c, b, {"name", "note", "program", "entry", "args", "context", "gas_limit", "storage", "tensor",
                      "migrations", "zk", "expect"}, "case");
  if (!b.contains("note") || !b.at("note").is_string() || b.at("note").get<std::string>().empty()) {
    malformed(c, "every case needs a \"note\" with the hand computation");
  }
  const Json& e = member(c, b, "expect", "case");
  require_keys(c, e, {"outcome", "revert_code", "revert_message", "fault", "gas_used", "return", "storage_diff",
                      "tensor_updates", "logs", "attestations", "migrations", "traces", "receipt_digest"},
               "expect");
  // Validate every expectation before running, so a typo fails as "malformed", not as a mismatch.
  const Json outcome = expected_outcome(c, e);
  const Json& gas_used = member(c, e, "gas_used", "expect");
  if (!gas_used.is_number_unsigned()) malformed(c, "expect.gas_used must be a non-negative integer");
  const Json ret = expected_return(c, e);
  const Json storage = expected_storage(c, e);
  const Json tensor = expected_rows(c, e, "tensor_updates", {"asset", "jurisdiction", "domain", "old", "new", "evidence", "as_of"});
  const Json logs = expected_rows(c, e, "logs", {"topics", "data"});
  const Json attestations = expected_rows(c, e, "attestations", {"id", "asset", "jurisdiction", "domain", "claim"});
  const Json migrations = expected_rows(c, e, "migrations", {"op", "id", "asset", "jurisdiction", "target", "amount", "status"});
  const Json traces = expected_traces(c, e);

  const VerifiedModule module = build_module(c);
  const Run by_goto = execute_case(c, module, Dispatch::computed_goto);
  const Run by_switch = execute_case(c, module, Dispatch::switch_loop);
  const std::string goto_bytes = runtime::canonicalize(by_goto.receipt).str();
  ASSERT_EQ(goto_bytes, runtime::canonicalize(by_switch.receipt).str()) << "the two dispatch loops disagree";
  ASSERT_EQ(by_goto.result, by_switch.result);

  const Json& r = by_goto.receipt;
  EXPECT_EQ(outcome, r.at("outcome")) << "outcome";
  EXPECT_EQ(gas_used.get<std::uint64_t>(), r.at("gas_used").get<std::uint64_t>()) << "gas_used";
  EXPECT_EQ(ret, r.at("return")) << "return";
  EXPECT_EQ(storage, r.at("storage_mutations")) << "storage_diff";
  EXPECT_EQ(tensor, r.at("tensor_updates")) << "tensor_updates";
  EXPECT_EQ(logs, r.at("logs")) << "logs";
  expect_rows_match(attestations, r.at("attestations"), "attestations");
  expect_rows_match(migrations, r.at("migrations"), "migrations");
  EXPECT_EQ(traces, traces_json(by_goto.result.effects.traces)) << "traces";
  runtime::check_receipt_digests(r);

  const std::string digest = r.at("receipt_digest").get<std::string>();
  if (e.contains("receipt_digest")) {
    EXPECT_EQ(string_member(c, e, "receipt_digest", "expect"), digest) << "independently computed receipt_digest";
  }
  if (updating_golden()) {
    write_golden_entry(c.id(), digest);
    return;
  }
  const Json golden = read_golden();
  ASSERT_TRUE(golden.contains(c.id())) << c.id() << " has no golden receipt digest; run with SAVM_UPDATE_GOLDEN=1";
  EXPECT_EQ(golden.at(c.id()).get<std::string>(), digest)
      << "receipt digest differs from " << kGoldenFile << "\nreceipt: " << goto_bytes;
}

// ---- loading and registration

std::vector<CaseRef>& all_cases() {
  static std::vector<CaseRef> cases;
  return cases;
}

class CaseTest : public ::testing::Test {
 public:
  explicit CaseTest(CaseRef c) : case_(std::move(c)) {}
  void TestBody() override {
    try {
      check_case(case_);
    } catch (const CaseError& e) {
      FAIL() << "malformed conformance case " << e.what();
    } catch (const std::exception& e) {
      FAIL() << case_.id() << ": " << e.what();
    }
  }

 private:
  CaseRef case_;
};

class BrokenFileTest : public ::testing::Test {
 public:
  explicit BrokenFileTest(std::string message) : message_(std::move(message)) {}
  void TestBody() override { FAIL() << "malformed conformance file " << message_; }

 private:
  std::string message_;
};

// Structure only (names, sections); each case's content is validated by its own test.
std::vector<CaseRef> load_file(const fs::path& path) {
  const std::string file = path.stem().string();
  const Json doc = Json::parse(read_text(path));
  if (!doc.is_object() || !doc.contains("feature") || !doc.contains("sections") || !doc.at("sections").is_array()) {
    throw std::runtime_error(file + ": needs \"feature\" and an array \"sections\"");
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "feature" && key != "description" && key != "sections") {
      throw std::runtime_error(file + ": unknown top-level field \"" + key + "\"");
    }
  }
  std::vector<CaseRef> out;
  std::set<std::string> ids;
  for (const auto& section : doc.at("sections")) {
    const std::string sname = section.is_object() ? section.value("name", "") : "";
    if (!valid_name(sname) || !section.contains("cases") || !section.at("cases").is_array()) {
      throw std::runtime_error(file + ": a section needs a name [A-Za-z0-9_]+ and an array \"cases\"");
    }
    for (const auto& body : section.at("cases")) {
      const std::string cname = body.is_object() ? body.value("name", "") : "";
      if (!valid_name(cname)) throw std::runtime_error(file + "/" + sname + ": a case needs a name [A-Za-z0-9_]+");
      CaseRef c{file, sname, cname, body};
      if (!ids.insert(c.id()).second) throw std::runtime_error(c.id() + ": duplicate case name");
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCaseDir)) {
    if (entry.path().extension() == ".json" && entry.path() != kGoldenFile) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every opcode of vm/opcodes.h appears in at least one case's program.
TEST(VmConformanceSuite, CoversEveryOpcode) {
  std::set<std::uint8_t> seen;
  for (const CaseRef& c : all_cases()) {
    try {
      const VerifiedModule m = build_module(c);
      for (const Function& fn : m.module().functions) {
        Instruction ins;
        for (std::uint32_t off = 0; off < fn.code.size(); off += ins.size) {
          ASSERT_EQ(decode(fn.code, off, ins), DecodeStatus::ok);
          seen.insert(static_cast<std::uint8_t>(ins.op));
        }
      }
    } catch (const CaseError&) {
      // reported by the case's own test
    }
  }
  for (std::size_t byte = 0; byte < kOpTable.size(); ++byte) {
    if (kOpTable[byte].defined()) {
      EXPECT_TRUE(seen.contains(static_cast<std::uint8_t>(byte))) << kOpTable[byte].mnemonic << " is not covered";
    }
  }
}

// Every fault kind is expected by at least one case.
TEST(VmConformanceSuite, CoversEveryFaultKind) {
  std::set<std::string> seen;
  for (const CaseRef& c : all_cases()) {
    const Json e = c.body.value("expect", Json::object());
    if (e.value("outcome", "") == "fault") seen.insert(e.value("fault", ""));
  }
  for (auto k = static_cast<int>(FaultKind::overflow); k <= static_cast<int>(FaultKind::host_call); ++k) {
    const std::string name(fault_kind_name(static_cast<FaultKind>(k)));
    EXPECT_TRUE(seen.contains(name)) << "no case expects fault " << name;
  }
}

// The golden file names only cases that exist (a renamed case must not leave a stale pin).
TEST(VmConformanceSuite, GoldenDigestsHaveNoStaleEntries) {
  if (updating_golden()) GTEST_SKIP() << "updating the golden file";
  std::set<std::string> ids;
  for (const CaseRef& c : all_cases()) ids.insert(c.id());
  const Json golden = read_golden();  // named: items() of a temporary would dangle in the loop
  for (const auto& [id, digest] : golden.items()) EXPECT_TRUE(ids.contains(id)) << "stale golden entry " << id;
}

// Registration happens at static initialization (allowed by RegisterTest), before gtest_main
// runs the tests or lists them for ctest.
const bool kRegistered = [] {
  for (const fs::path& path : case_files()) {
    const std::string file = path.stem().string();
    std::vector<CaseRef> cases;
    try {
      cases = load_file(path);
    } catch (const std::exception& e) {
      const std::string message = path.string() + ": " + e.what();
      ::testing::RegisterTest(("VmConformance/" + file).c_str(), "load", nullptr, nullptr, __FILE__, __LINE__,
                              [message]() -> ::testing::Test* { return new BrokenFileTest(message); });
      continue;
    }
    for (CaseRef& c : cases) {
      all_cases().push_back(c);
      ::testing::RegisterTest(("VmConformance/" + c.file).c_str(), (c.section + "/" + c.name).c_str(), nullptr,
                              nullptr, __FILE__, __LINE__, [c]() -> ::testing::Test* { return new CaseTest(c); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace savm::vm
