// The `.savm` module: the in-memory form, its one canonical binary encoding, and its digest.
//
// Binary format (docs/vm.md "Module format"): magic "\0SAVM", u16 LE format version, then the
// sections signatures(1) imports(2) constants(3) data(4) functions(5) exports(6) metadata(7),
// all mandatory and in that order, then an optional debug(8) section. Each section is an id byte,
// a ULEB128 byte length and its body. Every integer is minimal ULEB128 (u16 jump/index
// immediates inside code are little-endian, see vm/opcodes.h). The reader rejects anything that
// is not the canonical encoding, so write_module(read_module(b)) == b for every accepted b.
// The reader checks structure and caps only; indices and code are checked by vm/verifier.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "vm/crypto/digest.h"

namespace savm::vm {

inline constexpr std::uint16_t kModuleFormatVersion = 1;
inline constexpr std::array<std::uint8_t, 5> kModuleMagic = {0x00, 'S', 'A', 'V', 'M'};

// Size caps (documented in docs/vm.md). Index immediates are u16, hence the 65,536 caps.
inline constexpr std::size_t kMaxModuleBytes = 16u << 20;
inline constexpr std::size_t kMaxCodeBytes = 1u << 20;  // per function
inline constexpr std::size_t kMaxFunctions = 65536;
inline constexpr std::size_t kMaxSignatures = 65536;
inline constexpr std::size_t kMaxImports = 65536;
inline constexpr std::size_t kMaxConstants = 65536;
inline constexpr std::size_t kMaxDataSegments = 65536;
inline constexpr std::size_t kMaxDataBytes = 4u << 20;  // all data segments together
inline constexpr std::size_t kMaxExports = 65536;
inline constexpr std::size_t kMaxCitations = 65536;
inline constexpr std::size_t kMaxStringBytes = 65536;
inline constexpr std::uint32_t kMaxParams = 255;   // per signature
inline constexpr std::uint32_t kMaxResults = 255;  // per signature
inline constexpr std::uint32_t kMaxLocals = 4096;  // per function, parameters included
inline constexpr std::uint64_t kMaxHostGas = 1'000'000'000;  // declared gas of one host import

using WordBytes = std::array<std::uint8_t, 32>;  // a constant: 32 bytes, big-endian

// Signatures are unique within a module (module.duplicate_signature).
struct Signature {
  std::uint32_t params = 0;
  std::uint32_t results = 0;
  friend bool operator==(const Signature&, const Signature&) = default;
};

// A host intrinsic (HOSTCALL index). `gas` is what the host charges per call on top of
// HOSTCALL's base gas; the runtime refuses to link a module whose declared gas differs from its
// registry, which is what makes the static gas bound sound.
struct HostImport {
  std::string name;
  std::uint32_t signature = 0;
  std::uint64_t gas = 0;
  friend bool operator==(const HostImport&, const HostImport&) = default;
};

// A dependency on another module, by digest (resolved by the runtime's pack store; v1 bytecode
// has no cross-module call instruction). Sorted by digest, unique.
struct ModuleImport {
  Digest digest;
  std::string name;
  friend bool operator==(const ModuleImport&, const ModuleImport&) = default;
};

struct DataSegment {
  std::vector<std::uint8_t> bytes;
  friend bool operator==(const DataSegment&, const DataSegment&) = default;
};

// Parameters arrive in locals 0..params-1; locals params..local_count-1 start at zero; the
// operand stack starts empty. max_stack and gas_bound must equal what the verifier computes.
struct Function {
  std::uint32_t signature = 0;
  std::uint32_t local_count = 0;
  std::uint32_t max_stack = 0;
  std::uint64_t gas_bound = 0;
  std::vector<std::uint8_t> code;
  friend bool operator==(const Function&, const Function&) = default;
};

enum class ExportKind : std::uint8_t { rule = 0, transition = 1, trigger = 2, test = 3 };
inline constexpr std::array<const char*, 4> kExportKindNames = {"rule", "transition", "trigger",
                                                                "test"};

// Exports are sorted by name (bytewise), names unique.
struct Export {
  std::string name;
  ExportKind kind = ExportKind::rule;
  std::uint32_t function = 0;
  friend bool operator==(const Export&, const Export&) = default;
};

struct Metadata {
  std::string pack_id;
  std::string kind;     // lawpack | regpack | licensepack | test | ...
  std::string version;
  std::string jurisdiction;
  std::string in_force_from;  // YYYY-MM-DD or empty
  std::string in_force_to;    // YYYY-MM-DD or empty
  std::vector<std::string> citations;  // TRACE immediates index this table
  friend bool operator==(const Metadata&, const Metadata&) = default;
};

struct SourceMapEntry {
  std::uint32_t function = 0;
  std::uint32_t offset = 0;  // code offset of the instruction
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const SourceMapEntry&, const SourceMapEntry&) = default;
};

// Not part of the digest. function_names/constant_names/data_names are empty or one per item.
struct Debug {
  std::string source_name;
  std::vector<std::string> function_names;
  std::vector<std::string> constant_names;
  std::vector<std::string> data_names;
  std::vector<SourceMapEntry> source_map;  // sorted by (function, offset), unique
  friend bool operator==(const Debug&, const Debug&) = default;
};

struct Module {
  std::uint16_t version = kModuleFormatVersion;
  std::vector<Signature> signatures;
  std::vector<HostImport> host_imports;
  std::vector<ModuleImport> module_imports;
  std::vector<WordBytes> constants;
  std::vector<DataSegment> data;
  std::vector<Function> functions;
  std::vector<Export> exports;
  Metadata metadata;
  std::optional<Debug> debug;
  friend bool operator==(const Module&, const Module&) = default;
};

// A malformed module. `code` is stable ("module.truncated"), `offset` the byte offset in the
// input where the problem was found.
struct ModuleError : std::runtime_error {
  ModuleError(std::string code_, std::size_t offset_, const std::string& reason_);
  std::string code;
  std::size_t offset;
  std::string reason;
};

// Section ids, in their required order.
enum class SectionId : std::uint8_t {
  signatures = 1,
  imports = 2,
  constants = 3,
  data = 4,
  functions = 5,
  exports = 6,
  metadata = 7,
  debug = 8,
};

// Canonical bytes. Throws ModuleError (the reader's code for the same defect: "module.limit",
// "module.too_large", "module.unsorted", "module.bad_utf8"...) if the module cannot be encoded
// canonically.
std::vector<std::uint8_t> write_module(const Module& module);
// Throws ModuleError on any malformed or non-canonical input. Never reads out of bounds.
Module read_module(std::span<const std::uint8_t> bytes);

// SHA-256 over the canonical bytes without the debug section: magic, version and sections 1..7.
Digest module_digest(const Module& module);
Digest module_digest(std::span<const std::uint8_t> bytes);  // validates via read_module

}  // namespace savm::vm
