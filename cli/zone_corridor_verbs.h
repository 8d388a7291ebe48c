// Corridor chains in a zone (cli/zone_corridor_verbs.cpp): the `zone corridor` verbs and the
// `--corridor` forms of `chain verify` / `chain prove`, which cli/zone_verbs.cpp dispatches here.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace savm::cli {

// savm zone corridor open | export | receive, under the `zone` subcommand.
void add_zone_corridor_verbs(CLI::App& zone);

int run_corridor_chain_verify(const std::string& dir, const std::string& corridor);
int run_corridor_chain_prove(const std::string& dir, const std::string& corridor, std::uint64_t sequence);

}  // namespace savm::cli
