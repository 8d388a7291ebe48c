// The typed signature of a compiled Mizan module's exports, read back from its manifest (data
// segment `mizan.manifest`, format v2: parameter names and types, record fields and enum
// variants; docs/design/mizan-compiler.md "Manifest"), and typed arguments encoded with it as an
// entry's input words. This is how a zone takes `args` as a JSON object by parameter name
// (runtime/typed_arguments.h) while the runtime itself never reads Mizan types.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lang/program.h"
#include "vm/crypto/digest.h"
#include "vm/module.h"
#include "vm/word.h"

namespace savm::compiler {

class ModuleSignature {
 public:
  // The signature in `module`'s manifest; nullopt when the module has none (not compiled Mizan,
  // or compiled before manifests carried types). Throws runtime::Error "abi.signature" for a
  // manifest whose types cannot be read.
  static std::optional<ModuleSignature> read(const vm::Module& module);

  // The parameters of export `entry`, or nullptr when the manifest does not list it.
  const std::vector<lang::TParam>* params(std::string_view entry) const;

 private:
  lang::Type parse_type(std::string_view name) const;

  // Owned here so the Types in entries_ can point at them (lang::Type holds pointers).
  std::map<std::string, std::unique_ptr<lang::RecordInfo>, std::less<>> records_;
  std::map<std::string, std::unique_ptr<lang::EnumInfo>, std::less<>> enums_;
  std::map<std::string, std::vector<lang::TParam>, std::less<>> entries_;
};

// The input words of `entry` of `module` for `args`, a JSON object by parameter name with each
// value in the `savm eval --args` form (lang/value_json.h; ids by the id rule, lang/ids.h).
// Throws runtime::Error "abi.signature" when the module carries no signature for `entry`,
// "abi.value" with the JSON path ("$.args.p.amount.currency") for an unknown or missing
// parameter or a value of the wrong type.
std::vector<vm::Word> typed_input_words(const vm::Module& module, std::string_view entry, const nlohmann::json& args);

// typed_input_words with each module's signature read once, by module digest (the manifest is
// part of the digest), which is what a zone wants (runtime::TypedArguments): reading the
// manifest is most of the cost of encoding (docs/PERFORMANCE.md). Copies share one cache;
// thread-safe.
class TypedArgumentEncoder {
 public:
  std::vector<vm::Word> operator()(const vm::Digest& module_digest, const vm::Module& module, std::string_view entry,
                                   const nlohmann::json& args) const;

 private:
  struct Cache {
    std::mutex mutex;
    std::map<vm::Digest, std::shared_ptr<const std::optional<ModuleSignature>>> signatures;
  };
  std::shared_ptr<Cache> cache_ = std::make_shared<Cache>();
};

}  // namespace savm::compiler
