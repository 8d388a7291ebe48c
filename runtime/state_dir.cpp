#include "runtime/state_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/execution_receipt.h"
#include "runtime/mcf.h"

namespace savm::runtime {
namespace {

constexpr std::string_view kStateType = "SAVMState";

const Json& member(const Json& obj, const char* name, const std::string& path) {
  if (!obj.is_object() || !obj.contains(name)) throw Error("state.format", path + "." + name + ": missing");
  return obj.at(name);
}

std::string text(const Json& obj, const char* name, const std::string& path) {
  const Json& v = member(obj, name, path);
  if (!v.is_string()) throw Error("state.format", path + "." + name + ": expected a string");
  return v.get<std::string>();
}

vm::Word decimal(const Json& obj, const char* name, const std::string& path) {
  const auto w = vm::Word::from_decimal(text(obj, name, path));
  if (!w) throw Error("state.format", path + "." + name + ": expected a signed decimal int256");
  return *w;
}

std::int64_t integer(const Json& obj, const char* name, const std::string& path) {
  const Json& v = member(obj, name, path);
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX)) {
    throw Error("state.format", path + "." + name + ": expected an integer");
  }
  return v.get<std::int64_t>();
}

template <std::size_t N>
std::size_t named(const std::array<std::string_view, N>& names, const std::string& value,
                  const std::string& path) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == value) return i;
  }
  throw Error("state.format", path + ": unknown name \"" + value + "\"");
}

constexpr std::array<std::string_view, vm::kDomainCount> domain_names() {
  return {"aml", "kyc", "sanctions", "tax", "securities", "corporate", "custody", "data_privacy",
          "licensing", "banking", "payments", "clearing", "settlement", "digital_assets", "employment",
          "immigration", "ip", "consumer_protection", "arbitration", "trade", "insurance",
          "anti_bribery", "sharia"};
}
constexpr std::array<std::string_view, vm::kComplianceStateCount> kStates = {
    "non_compliant", "pending", "not_applicable", "exempt", "compliant"};
constexpr std::array<std::string_view, 6> kStatuses = {"none", "active", "in_transit", "settled",
                                                       "compensated", "released"};

const Json& array_member(const Json& doc, const char* name) {
  const Json& v = member(doc, name, "$");
  if (!v.is_array()) throw Error("state.format", std::string("$.") + name + ": expected an array");
  return v;
}

vm::Digest digest_member(const Json& obj, const char* name, const std::string& path) {
  const auto d = vm::Digest::from_hex(text(obj, name, path));
  if (!d) throw Error("state.format", path + "." + name + ": expected 64 hex digits");
  return *d;
}

}  // namespace

ExecState load_state(const std::filesystem::path& dir) {
  ExecState state{vm::MemoryHost(vm::HostMode::production), {}};
  const auto file = dir / "state.json";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return state;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("state.io", file.string() + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  const Json doc = parse_json(buf.str());
  if (!doc.is_object() || text(doc, "type", "$") != kStateType) {
    throw Error("state.format", "$.type: expected \"SAVMState\"");
  }
  const Json& storage = array_member(doc, "storage");
  for (std::size_t i = 0; i < storage.size(); ++i) {
    const std::string p = "$.storage[" + std::to_string(i) + "]";
    state.host.set_storage(parse_id(text(storage[i], "asset", p), IdForm::raw, p + ".asset"), decimal(storage[i], "key", p),
                           decimal(storage[i], "value", p));
  }
  const Json& tensor = array_member(doc, "tensor");
  for (std::size_t i = 0; i < tensor.size(); ++i) {
    const Json& t = tensor[i];
    const std::string p = "$.tensor[" + std::to_string(i) + "]";
    const vm::TensorKey key{parse_id(text(t, "asset", p), IdForm::raw, p + ".asset"), parse_id(text(t, "jurisdiction", p), IdForm::raw, p + ".jurisdiction"),
                            static_cast<vm::Domain>(named(domain_names(), text(t, "domain", p), p + ".domain"))};
    state.host.set_tensor(key, vm::TensorCell{static_cast<vm::ComplianceState>(named(kStates, text(t, "state", p), p + ".state")),
                                              digest_member(t, "evidence", p), integer(t, "as_of", p),
                                              integer(t, "expires", p)});
  }
  const Json& migrations = array_member(doc, "migrations");
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const Json& mj = migrations[i];
    const std::string p = "$.migrations[" + std::to_string(i) + "]";
    state.host.set_migration(vm::MigrationRecord{
        parse_id(text(mj, "id", p), IdForm::raw, p + ".id"), parse_id(text(mj, "asset", p), IdForm::raw, p + ".asset"), parse_id(text(mj, "jurisdiction", p), IdForm::raw, p + ".jurisdiction"),
        parse_id(text(mj, "target", p), IdForm::raw, p + ".target"), decimal(mj, "amount", p),
        static_cast<vm::MigrationStatus>(named(kStatuses, text(mj, "status", p), p + ".status"))});
  }
  const Json& chains = array_member(doc, "chains");
  for (std::size_t i = 0; i < chains.size(); ++i) {
    const std::string p = "$.chains[" + std::to_string(i) + "]";
    const std::int64_t height = integer(chains[i], "height", p);
    if (height < 0) throw Error("state.format", p + ".height: must not be negative");
    state.chains[parse_id(text(chains[i], "asset", p), IdForm::raw, p + ".asset")] =
        ChainHead{static_cast<std::uint64_t>(height), digest_member(chains[i], "head", p)};
  }
  return state;
}

void save_state(const std::filesystem::path& dir, const ExecState& state) {
  Json storage = Json::array();
  for (const auto& [k, v] : state.host.storage()) {
    storage.push_back(Json{{"asset", id_hex(k.first)}, {"key", k.second.to_decimal()}, {"value", v.to_decimal()}});
  }
  Json tensor = Json::array();
  for (const auto& [k, c] : state.host.tensor()) {
    tensor.push_back(Json{{"asset", id_hex(k.asset)}, {"jurisdiction", id_hex(k.jurisdiction)},
                          {"domain", domain_name(k.domain)}, {"state", state_name(c.state)},
                          {"evidence", c.evidence.hex()}, {"as_of", c.as_of}, {"expires", c.expires}});
  }
  Json migrations = Json::array();
  for (const auto& [id, r] : state.host.migrations()) {
    migrations.push_back(Json{{"id", id_hex(id)}, {"asset", id_hex(r.asset)}, {"jurisdiction", id_hex(r.jurisdiction)},
                              {"target", id_hex(r.target)}, {"amount", r.amount.to_decimal()},
                              {"status", std::string(kStatuses[static_cast<int>(r.status)])}});
  }
  Json chains = Json::array();
  for (const auto& [asset, head] : state.chains) {
    chains.push_back(Json{{"asset", id_hex(asset)}, {"height", head.height}, {"head", head.head.hex()}});
  }
  const Json doc{{"type", kStateType}, {"format_version", 1}, {"storage", storage}, {"tensor", tensor},
                 {"migrations", migrations}, {"chains", chains}};
  const std::string bytes = canonicalize(doc).str();

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("state.io", dir.string() + ": cannot create directory: " + ec.message());
  const auto final_path = dir / "state.json";
  const auto temp_path = dir / ("state.json.tmp." + std::to_string(::getpid()));
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("state.io", temp_path.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == bytes.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    std::filesystem::remove(temp_path, ec);
    throw Error("state.io", final_path.string() + ": cannot write the state");
  }
}

}  // namespace savm::runtime
