// Every stable error code the code base can raise has a row in docs/errors.md, because users and
// other implementations match on codes, not messages. The source tree is scanned for code-shaped
// string literals ("mcf.float", "verify.backward_jump", Mizan's "M0001"); a new code without a
// documentation row fails here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Codes documented as table rows: "| `family.name` |", or several in one cell joined by " / ".
std::set<std::string> documented_codes(const std::string& doc) {
  std::set<std::string> codes;
  const std::regex code(R"(`([A-Za-z0-9_.]+)`)");
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::string cell = line.substr(0, line.find(" | "));
    for (auto it = std::sregex_iterator(cell.begin(), cell.end(), code); it != std::sregex_iterator(); ++it) {
      codes.insert((*it)[1].str());
    }
  }
  return codes;
}

bool is_file_name(const std::string& literal) {
  static const std::regex file(R"(.*\.(json|jsonl|h|cpp|md|savm|sasm|mizan|txt|tmp|lock)$)");
  return std::regex_match(literal, file);
}

TEST(ErrorCodes, EveryRaisedCodeIsDocumented) {
  const fs::path root(SAVM_SOURCE_DIR);
  const std::set<std::string> documented = documented_codes(slurp(root / "docs/errors.md"));
  ASSERT_GT(documented.size(), 50u) << "docs/errors.md tables not found";
  std::set<std::string> families;
  for (const std::string& code : documented) {
    if (code.find('.') != std::string::npos) families.insert(code.substr(0, code.find('.')));
  }

  const std::regex literal(R"re("([a-z]+)\.([a-z_0-9]+)"|"(M[0-9]{4})")re");
  std::set<std::string> undocumented;
  std::size_t seen = 0;
  for (const char* dir : {"vm", "runtime", "compiler", "cli", "lang"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".h" && ext != ".inc") continue;
      std::istringstream lines(slurp(entry.path()));
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("#include", 0) == 0) continue;
        for (auto it = std::sregex_iterator(line.begin(), line.end(), literal); it != std::sregex_iterator(); ++it) {
          const std::string code = (*it)[3].matched ? (*it)[3].str() : (*it)[1].str() + "." + (*it)[2].str();
          if ((*it)[1].matched && (families.count((*it)[1].str()) == 0 || is_file_name(code))) continue;
          ++seen;
          if (documented.count(code) == 0) undocumented.insert(code + " (" + entry.path().filename().string() + ")");
        }
      }
    }
  }
  EXPECT_GT(seen, 50u) << "the scan found too few codes to be looking at the right tree";
  for (const std::string& code : undocumented) ADD_FAILURE() << "not in docs/errors.md: " << code;
}

}  // namespace
