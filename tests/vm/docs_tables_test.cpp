// The bytecode reference (docs/vm.md, "Instruction set") is what compiler writers and other
// implementations read, so it must say exactly what vm/opcodes.h does: every defined opcode has
// one row with its byte, mnemonic, immediate width, operand count and base gas, and no row names
// an opcode the VM lacks.
#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "vm/opcodes.h"

namespace {

using savm::vm::kOpTable;
using savm::vm::OpInfo;
using savm::vm::StackRule;

struct Row {
  std::size_t line = 0;
  std::vector<std::string> cells;  // byte, mnemonic, immediate, stack, gas, notes
};

// Table rows start "| 0x"; cells are separated by " | " (a bare '|' inside "(a|b)" is content).
std::map<int, Row> opcode_rows() {
  std::ifstream in(std::string(SAVM_SOURCE_DIR) + "/docs/vm.md");
  std::map<int, Row> rows;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.rfind("| 0x", 0) != 0) continue;
    Row row{number, {}};
    std::string rest = line.substr(2);
    for (std::size_t at; (at = rest.find(" | ")) != std::string::npos; rest = rest.substr(at + 3)) {
      row.cells.push_back(rest.substr(0, at));
    }
    row.cells.push_back(rest);
    const int byte = std::stoi(row.cells[0], nullptr, 16);
    EXPECT_EQ(rows.count(byte), 0u) << "docs/vm.md:" << number << " repeats byte " << row.cells[0];
    rows[byte] = row;
  }
  return rows;
}

// Words inside the first "( ... )" of a stack cell: "(a b) → (a+b)" has 2.
std::size_t operand_count(const std::string& stack) {
  const std::size_t open = stack.find('('), close = stack.find(')');
  std::istringstream words(stack.substr(open + 1, close - open - 1));
  std::size_t n = 0;
  for (std::string w; words >> w;) ++n;
  return n;
}

TEST(DocsTables, EveryOpcodeHasOneMatchingRow) {
  const std::map<int, Row> rows = opcode_rows();
  ASSERT_GT(rows.size(), 50u) << "the opcode table of docs/vm.md was not found";
  for (int byte = 0; byte < 256; ++byte) {
    const OpInfo& info = kOpTable[static_cast<std::size_t>(byte)];
    const auto it = rows.find(byte);
    if (!info.defined()) {
      EXPECT_EQ(it, rows.end()) << "docs/vm.md:" << it->second.line << " documents undefined byte " << byte;
      continue;
    }
    ASSERT_NE(it, rows.end()) << info.mnemonic << " (byte " << byte << ") is missing from docs/vm.md";
    const Row& row = it->second;
    ASSERT_GE(row.cells.size(), 5u) << "docs/vm.md:" << row.line;
    const std::string where = "docs/vm.md:" + std::to_string(row.line) + " ";
    EXPECT_EQ(row.cells[1], "`" + std::string(info.mnemonic) + "`") << where;

    // Immediate: "—", "N bytes" (PUSHn) or "u8/u16/u32 <kind>", the width the decoder reads.
    const std::size_t width = savm::vm::instruction_size(info) - 1;
    const std::string& imm = row.cells[2];
    if (width == 0) {
      EXPECT_EQ(imm, "—") << where;
    } else if (info.imm == savm::vm::Imm::push) {
      EXPECT_EQ(imm, std::to_string(width) + " bytes") << where;
    } else {
      EXPECT_EQ(imm.rfind("u" + std::to_string(8 * width) + " ", 0), 0u) << where << imm;
    }

    // Operands popped, where the count is fixed (calls, DUP, SWAP and RETURN's "(r_1 … r_m)"
    // depend on the immediate or the signature).
    const bool variadic = row.cells[3].find("…") != std::string::npos;
    if (info.rule == StackRule::fixed && !variadic) {
      EXPECT_EQ(operand_count(row.cells[3]), info.pops) << where << row.cells[3];
    }

    // Base gas leads the gas cell (VERIFY_ZK is priced per proof system in docs/gas.md).
    const std::string& gas = row.cells[4];
    if (info.imm == savm::vm::Imm::proof_system) {
      EXPECT_EQ(gas.rfind("by system", 0), 0u) << where;
    } else {
      std::smatch lead;
      ASSERT_TRUE(std::regex_search(gas, lead, std::regex("^[0-9]+"))) << where << gas;
      EXPECT_EQ(std::stoul(lead.str()), info.base_gas) << where << info.mnemonic;
    }
  }
}

}  // namespace
