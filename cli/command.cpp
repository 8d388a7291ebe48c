#include "cli/command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "runtime/error.h"

namespace savm::cli {

std::string read_input(const std::string& path) {
  if (path.empty() || path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw runtime::Error("io.read", path + ": cannot open file");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw runtime::Error("io.read", path + ": read failed");
  return bytes;
}

// CLI11 unwinds a callback through CLI::Error; RuntimeError carries our exit code out of run().
void on_run(CLI::App* verb, std::function<int()> body) {
  verb->callback([body = std::move(body)] {
    int code = kOk;
    try {
      code = body();
    } catch (const runtime::Error& e) {
      std::cerr << "savm: error[" << e.code() << "]: " << e.what() << "\n";
      code = kBadInput;
    }
    if (code != kOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace savm::cli
