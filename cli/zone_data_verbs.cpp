// The zone's regpack data (docs/cli.md, docs/operating-a-zone.md "Regpack data and host
// intrinsics"):
//   savm zone bind DIR --sanctions LIST.json
// Binds a sanctions list (the reference format of reference/sanctions-sample.json) for the
// `sanctions.screen` intrinsic. Exit 0 bound, 2 bad input (and then nothing was bound).
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "runtime/mcf.h"
#include "runtime/zone.h"

namespace savm::cli {
namespace {

struct BindOptions {
  std::string dir;
  std::string sanctions;
};

int run_bind(const BindOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  const runtime::Json list = runtime::parse_json(read_input(o.sanctions));
  const vm::Digest digest = zone->bind_sanctions_list(list);
  std::cout << "bound sanctions sha256:" << digest.hex() << " " << o.sanctions << " ("
            << list.at("entries").size() << " entries)\n";
  return kOk;
}

}  // namespace

void add_zone_data_verbs(CLI::App& app) {
  auto o = std::make_shared<BindOptions>();
  CLI::App* bind = app.get_subcommand("zone")->add_subcommand("bind", "Bind regpack data (a sanctions list) to a zone's host intrinsics");
  bind->add_option("dir", o->dir, "the zone directory")->required();
  bind->add_option("--sanctions", o->sanctions, "a sanctions list JSON file (the format of reference/sanctions-sample.json)")->required();
  on_run(bind, [o] { return run_bind(*o); });
}

}  // namespace savm::cli
