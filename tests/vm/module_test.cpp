// The .savm encoding: a hand-written byte oracle, round trips, canonical-form rejections, digest.
#include "vm/module.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/vm/code_builder.h"

namespace savm::vm {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::string code_of(const Bytes& bytes) {
  try {
    read_module(bytes);
  } catch (const ModuleError& e) {
    return e.code;
  }
  return "ok";
}

// The empty module, written out by hand from the format description in docs/vm.md.
const Bytes kEmptyModule = {
    0x00, 'S', 'A', 'V', 'M', 0x01, 0x00,  // magic, version 1 LE
    0x01, 0x01, 0x00,                      // signatures: count 0
    0x02, 0x02, 0x00, 0x00,                // imports: 0 host, 0 module
    0x03, 0x01, 0x00,                      // constants
    0x04, 0x01, 0x00,                      // data
    0x05, 0x01, 0x00,                      // functions
    0x06, 0x01, 0x00,                      // exports
    0x07, 0x07, 0, 0, 0, 0, 0, 0, 0,       // metadata: six empty strings, 0 citations
};

Module rich_module() {
  Module m;
  m.signatures = {{0, 1}, {2, 1}, {0, 0}};
  m.host_imports = {{"sanctions.screen", 1, 2500}, {"table.lookup", 1, 300}};
  Digest::Bytes d{};
  d[0] = 0x11;
  m.module_imports = {{Digest(d), "stdlib.money"}};
  WordBytes c{};
  c[31] = 7;
  m.constants = {c, WordBytes{}};
  m.data = {{{'P', 'K', 'R'}}, {{}}};
  m.functions = {Function{0, 3, 2, 1234, {0x01, 0x01, 0x10, 0x53}},
                 Function{1, 2, 1, 99, {0x56}}};
  m.exports = {{"check", ExportKind::rule, 0}, {"zz_test", ExportKind::test, 1}};
  m.metadata = {"pk.sbp.aml", "lawpack", "1.2.0", "PK", "2024-01-01", "",
                {"AML Act 2010 s.7", "Résumé §3"}};
  m.debug = Debug{"aml.sasm", {"check", "helper"}, {"seven", "zero"}, {"code", "empty"},
                  {{0, 0, 3, 1}, {0, 2, 4, 5}, {1, 0, 9, 1}}};
  return m;
}

TEST(ModuleFormat, EmptyModuleMatchesHandWrittenBytes) {
  EXPECT_EQ(write_module(Module{}), kEmptyModule);
  EXPECT_EQ(read_module(kEmptyModule), Module{});
}

TEST(ModuleFormat, HandWrittenFunctionSection) {
  Module m;
  m.signatures = {{0, 0}};
  m.functions = {Function{0, 0, 0, 200, {0x56}}};  // HALT, gas bound 200 = 0xC8 0x01 in ULEB
  const Bytes bytes = write_module(m);
  const Bytes expected_functions = {0x05, 0x08, 0x01, 0x00, 0x00, 0x00, 0xC8, 0x01, 0x01, 0x56};
  EXPECT_NE(std::search(bytes.begin(), bytes.end(), expected_functions.begin(), expected_functions.end()),
            bytes.end());
}

TEST(ModuleFormat, RoundTripAndDeterminism) {
  const Module m = rich_module();
  const Bytes bytes = write_module(m);
  const Module back = read_module(bytes);
  EXPECT_EQ(back, m);
  EXPECT_EQ(write_module(back), bytes);
  EXPECT_EQ(write_module(m), bytes);  // same value, same bytes
}

TEST(ModuleFormat, DigestExcludesDebug) {
  Module m = rich_module();
  const Digest with_debug = module_digest(m);
  Module stripped = m;
  stripped.debug.reset();
  EXPECT_EQ(module_digest(stripped), with_debug);
  EXPECT_EQ(with_debug, sha256(write_module(stripped)));  // header + sections 1..7
  EXPECT_EQ(module_digest(write_module(m)), with_debug);
  m.debug->source_name = "renamed.sasm";
  EXPECT_EQ(module_digest(m), with_debug);
  m.metadata.version = "1.2.1";
  EXPECT_NE(module_digest(m), with_debug);
}

TEST(ModuleFormat, EveryPrefixIsRejectedWithoutCrashing) {
  const Module m = rich_module();
  const Bytes bytes = write_module(m);
  Module stripped = m;
  stripped.debug.reset();
  const std::size_t no_debug = write_module(stripped).size();  // a valid module on its own
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    if (n == no_debug) {
      EXPECT_EQ(code_of(prefix), "ok");
    } else {
      EXPECT_NE(code_of(prefix), "ok") << "prefix of " << n << " bytes was accepted";
    }
  }
}

TEST(ModuleFormat, RejectsBadHeader) {
  Bytes b = kEmptyModule;
  b[1] = 'X';
  EXPECT_EQ(code_of(b), "module.bad_magic");
  b = kEmptyModule;
  b[5] = 2;
  EXPECT_EQ(code_of(b), "module.unsupported_version");
}

TEST(ModuleFormat, RejectsNonMinimalLeb) {
  Bytes b = kEmptyModule;
  // signatures section: length 2, count encoded as 0x80 0x00 (zero, two bytes).
  b.erase(b.begin() + 8, b.begin() + 10);
  b.insert(b.begin() + 8, {0x02, 0x80, 0x00});
  EXPECT_EQ(code_of(b), "module.leb_non_minimal");
}

TEST(ModuleFormat, RejectsLebOverflow) {
  Bytes b = kEmptyModule;
  b.erase(b.begin() + 8, b.begin() + 10);
  b.insert(b.begin() + 8, {0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00});
  EXPECT_EQ(code_of(b), "module.leb_overflow");
}

TEST(ModuleFormat, RejectsSectionsOutOfOrderDuplicatedOrMissing) {
  Bytes swapped = kEmptyModule;  // constants (3) before imports (2)
  Bytes imports(swapped.begin() + 10, swapped.begin() + 14);
  Bytes constants(swapped.begin() + 14, swapped.begin() + 17);
  swapped.erase(swapped.begin() + 10, swapped.begin() + 17);
  swapped.insert(swapped.begin() + 10, imports.begin(), imports.end());
  swapped.insert(swapped.begin() + 10, constants.begin(), constants.end());
  EXPECT_EQ(code_of(swapped), "module.section_order");

  Bytes duplicated = kEmptyModule;
  duplicated.insert(duplicated.begin() + 10, {0x01, 0x01, 0x00});
  EXPECT_EQ(code_of(duplicated), "module.section_order");

  Bytes missing = kEmptyModule;
  missing.erase(missing.begin() + 14, missing.begin() + 17);  // no constants section
  EXPECT_EQ(code_of(missing), "module.section_order");
}

TEST(ModuleFormat, RejectsTrailingBytesAndBadSectionLength) {
  Bytes b = write_module(rich_module());
  b.push_back(0x00);
  EXPECT_EQ(code_of(b), "module.trailing_bytes");

  Bytes junk_after_metadata = kEmptyModule;
  junk_after_metadata.push_back(0x09);
  EXPECT_EQ(code_of(junk_after_metadata), "module.section_order");

  Bytes long_section = kEmptyModule;  // signatures body one byte longer than its content
  long_section[8] = 0x02;
  long_section.insert(long_section.begin() + 10, 0x00);
  EXPECT_EQ(code_of(long_section), "module.section_length");
}

TEST(ModuleFormat, RejectsForgedCountsWithoutAllocating) {
  Bytes b = kEmptyModule;  // constants: count 2^32 claimed in a 6-byte body
  b.erase(b.begin() + 14, b.begin() + 17);
  b.insert(b.begin() + 14, {0x03, 0x05, 0x80, 0x80, 0x80, 0x80, 0x10});
  EXPECT_EQ(code_of(b), "module.limit");
  b = kEmptyModule;
  b.erase(b.begin() + 14, b.begin() + 17);
  b.insert(b.begin() + 14, {0x03, 0x02, 0x90, 0x4E});  // 10,000 constants, no bytes for them
  EXPECT_EQ(code_of(b), "module.truncated");
}

TEST(ModuleFormat, RejectsInvalidUtf8AndUnsortedExports) {
  Module m;
  m.metadata.pack_id = "ok";
  Bytes b = write_module(m);
  const auto at = std::find(b.begin(), b.end(), 'o');
  *at = 0xC0;  // overlong lead byte
  *(at + 1) = 0x80;
  EXPECT_EQ(code_of(b), "module.bad_utf8");

  Module bad;
  bad.metadata.jurisdiction = std::string("\xED\xA0\x80");  // UTF-16 surrogate
  EXPECT_THROW(write_module(bad), ModuleError);

  Module unsorted;
  unsorted.exports = {{"b", ExportKind::rule, 0}, {"a", ExportKind::rule, 0}};
  try {
    write_module(unsorted);
    FAIL() << "unsorted exports were written";
  } catch (const ModuleError& e) {
    EXPECT_EQ(e.code, "module.unsorted");
  }
  Module sorted = unsorted;
  std::swap(sorted.exports[0], sorted.exports[1]);
  Bytes sb = write_module(sorted);
  const Bytes a_then_b = {0x01, 'a', 0x00, 0x00, 0x01, 'b'};
  auto pos = std::search(sb.begin(), sb.end(), a_then_b.begin(), a_then_b.end());
  ASSERT_NE(pos, sb.end());
  pos[1] = 'b';
  pos[5] = 'a';
  EXPECT_EQ(code_of(sb), "module.unsorted");
  pos[5] = 'b';  // duplicate names
  EXPECT_EQ(code_of(sb), "module.unsorted");
}

TEST(ModuleFormat, RejectsBadExportKind) {
  Module m;
  m.exports = {{"a", ExportKind::rule, 0}};
  Bytes b = write_module(m);
  const Bytes entry = {0x01, 'a', 0x00, 0x00};
  auto pos = std::search(b.begin(), b.end(), entry.begin(), entry.end());
  ASSERT_NE(pos, b.end());
  pos[2] = 4;
  EXPECT_EQ(code_of(b), "module.bad_export_kind");
}

TEST(ModuleFormat, SizeCaps) {
  Module m;
  m.signatures = {{0, 0}};
  m.functions = {Function{0, 0, 0, 0, std::vector<std::uint8_t>(kMaxCodeBytes + 1, 0x56)}};
  try {
    write_module(m);
    FAIL() << "oversized function was written";
  } catch (const ModuleError& e) {
    EXPECT_EQ(e.code, "module.limit");
  }
  Module s;
  s.signatures = {{kMaxParams + 1, 0}};
  EXPECT_THROW(write_module(s), ModuleError);
  EXPECT_EQ(code_of(Bytes(kMaxModuleBytes + 1, 0)), "module.too_large");
}

TEST(ModuleFormat, RejectsDuplicateSignatures) {
  Bytes b = kEmptyModule;  // two (0)->(1) signatures
  b.erase(b.begin() + 8, b.begin() + 10);
  b.insert(b.begin() + 8, {0x05, 0x02, 0x00, 0x01, 0x00, 0x01});
  EXPECT_EQ(code_of(b), "module.duplicate_signature");
  b[12] = 0x02;  // (0)->(1), (0)->(2): fine
  EXPECT_EQ(code_of(b), "ok");
}

TEST(ModuleFormat, DebugNamesMustMatchCounts) {
  Module m = rich_module();
  m.debug->function_names.pop_back();
  EXPECT_THROW(write_module(m), ModuleError);
}

}  // namespace
}  // namespace savm::vm
