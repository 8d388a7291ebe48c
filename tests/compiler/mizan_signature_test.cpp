// A compiled module's typed signature (compiler/mizan_signature.h): the manifest names every
// parameter's type and defines the records and enums they use, so the module alone turns typed
// JSON arguments into the entry's input words. The expected words are laid out by hand from
// docs/design/mizan-compiler.md "Values" and "Lists".
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/assembler.h"
#include "compiler/mizan_compiler.h"
#include "compiler/mizan_emitter.h"
#include "compiler/mizan_signature.h"
#include "runtime/error.h"
#include "tests/compiler/checked_source.h"

namespace savm::compiler {
namespace {

const char* kSignaturePack = R"(module t.sig version "1"
enum Kind { goods, services }
record Line {
  kind: Kind
  price: Decimal<2>
}
record Order {
  buyer: EntityId
  lines: List<Line>
  fee: Money<PKR>
}
rule total(o: Order, xs: List<Int>) -> Int = size(o.lines) + fold(xs, 0, (acc, x) -> acc + x)
)";

class SignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = testing::check_text(kSignaturePack);
    ASSERT_TRUE(source_->checked.program);
    pack_ = std::make_unique<CompiledPack>(compile_pack(*source_->checked.program, "t.sig"));
  }
  std::unique_ptr<testing::CheckedSource> source_;
  std::unique_ptr<CompiledPack> pack_;
};

nlohmann::json order(const std::string& kind) {
  return {{"buyer", std::string(63, '0') + "7"},
          {"lines", nlohmann::json::array({{{"kind", kind}, {"price", "1.5"}}})},
          {"fee", {{"amount", "2.5"}, {"currency", "PKR"}}}};
}

std::vector<vm::Word> words(std::initializer_list<std::uint64_t> values) {
  std::vector<vm::Word> out;
  for (const std::uint64_t v : values) out.push_back(vm::Word::from_u64(v));
  return out;
}

std::string error_of(const vm::Module& module, const nlohmann::json& args) {
  try {
    typed_input_words(module, "t.sig.total", args);
  } catch (const runtime::Error& e) {
    return e.code() + " " + e.what();
  }
  return "no error";
}

TEST_F(SignatureTest, TheManifestAloneGivesTheParametersRecordsAndEnums) {
  const auto signature = ModuleSignature::read(pack_->module);
  ASSERT_TRUE(signature);
  const std::vector<lang::TParam>* params = signature->params("t.sig.total");
  ASSERT_NE(params, nullptr);
  ASSERT_EQ(params->size(), 2u);
  EXPECT_EQ((*params)[0].name, "o");
  EXPECT_EQ(lang::qualified_type_name((*params)[0].type), "t.sig.Order");
  EXPECT_EQ(lang::qualified_type_name((*params)[1].type), "List<Int>");
  const lang::RecordInfo& o = *(*params)[0].type.record;
  ASSERT_EQ(o.fields.size(), 3u);
  EXPECT_EQ(o.fields[1].name, "lines");
  EXPECT_EQ(lang::qualified_type_name(o.fields[1].type), "List<t.sig.Line>");
  const lang::RecordInfo& line = *o.fields[1].type.args.at(0).record;
  EXPECT_EQ(line.fields[0].type.enumeration->variants, (std::vector<std::string>{"goods", "services"}));
  EXPECT_EQ(line.fields[1].type.scale, 2);
  EXPECT_EQ(o.fields[2].type.currency, "PKR");
  EXPECT_EQ(signature->params("t.sig.nope"), nullptr);
}

TEST_F(SignatureTest, TypedArgumentsBecomeTheWordsTheEntryReads) {
  // Head: o = (buyer, lines offset, fee), xs offset; 4 words. Tail: o.lines' block at tail 0,
  // [1 element, services = 1, 1.50 = 150], offset 32 + 32 × 4 = 160; xs' block at tail 3,
  // [2, 4, 5], offset 32 + 32 × 7 = 256. The buyer's 64 hex digits are its raw bytes (7); the fee
  // 2.5 PKR is 250 paisa.
  EXPECT_EQ(typed_input_words(pack_->module, "t.sig.total", {{"o", order("services")}, {"xs", {4, 5}}}),
            words({7, 160, 250, 256, 1, 1, 150, 2, 4, 5}));
  EXPECT_EQ(error_of(pack_->module, {{"o", order("rental")}, {"xs", {4}}}).rfind("abi.value $.args.o.lines[0].kind:", 0), 0u);
  EXPECT_EQ(error_of(pack_->module, {{"o", order("goods")}, {"xs", {4, "x"}}}).rfind("abi.value $.args.xs[1]:", 0), 0u);
  EXPECT_EQ(error_of(pack_->module, {{"o", order("goods")}}).rfind("abi.value $.args: missing argument xs", 0), 0u);
  EXPECT_EQ(error_of(pack_->module, nlohmann::json::array()).rfind("abi.value $.args: expected the arguments", 0), 0u)
      << error_of(pack_->module, nlohmann::json::array());
}

// A module with `manifest` as its data segment and one transition export t.sig.total.
vm::Module with_manifest(const std::string& manifest) {
  std::string text = manifest.empty() ? "" : ".data mizan.manifest " + asm_string(manifest) + "\n";
  text += ".func e(0)->0 locals 0\n  RETURN\n.export t.sig.total transition e\n";
  return assemble(text);
}

TEST(Signature, ModulesWithoutOneOrWithABadOneAreRefused) {
  const nlohmann::json args = {{"n", 1}};
  for (const std::string& manifest :
       {std::string(), std::string(R"({"format":"savm.mizan.manifest.v1","exports":[]})")}) {
    EXPECT_FALSE(ModuleSignature::read(with_manifest(manifest)));
    try {
      typed_input_words(with_manifest(manifest), "t.sig.total", args);
      ADD_FAILURE() << "accepted";
    } catch (const runtime::Error& e) {
      EXPECT_EQ(e.code(), "abi.signature");
    }
  }
  const std::string loop =
      R"({"format":"savm.mizan.manifest.v2","exports":[{"name":"t.sig.total","params":[{"name":"n","type":"t.A"}]}],)"
      R"("types":{"t.A":{"fields":[{"name":"next","type":"List<t.A>"}]}}})";
  const std::string unknown =
      R"({"format":"savm.mizan.manifest.v2","exports":[{"name":"t.sig.total","params":[{"name":"n","type":"Float"}]}],"types":{}})";
  for (const std::string& manifest : {loop, unknown}) {
    try {
      ModuleSignature::read(with_manifest(manifest));
      ADD_FAILURE() << manifest;
    } catch (const runtime::Error& e) {
      EXPECT_EQ(e.code(), "abi.signature") << manifest;
    }
  }
}

}  // namespace
}  // namespace savm::compiler
