// Canonical encoding of modules: one writer, one strict reader (docs/vm.md "Module format").
#include "vm/module.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string_view>
#include <utility>

namespace savm::vm {

ModuleError::ModuleError(std::string code_, std::size_t offset_, const std::string& reason_)
    : std::runtime_error(code_ + " at byte " + std::to_string(offset_) + ": " + reason_),
      code(std::move(code_)),
      offset(offset_),
      reason(reason_) {}

namespace {

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i - 1 < n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMinForLength[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// ---------------------------------------------------------------- writing

class Encoder {
 public:
  void byte(std::uint8_t b) { out_.push_back(b); }
  void uleb(std::uint64_t v) {
    do {
      std::uint8_t b = v & 0x7F;
      v >>= 7;
      if (v != 0) b |= 0x80;
      out_.push_back(b);
    } while (v != 0);
  }
  void raw(std::span<const std::uint8_t> bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
  void str(const std::string& s, const char* what) {
    if (s.size() > kMaxStringBytes) fail("module.limit", std::string(what) + " longer than the cap");
    if (!valid_utf8(s)) fail("module.bad_utf8", std::string(what) + " is not valid UTF-8");
    uleb(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void section(SectionId id, const Encoder& body) {
    byte(static_cast<std::uint8_t>(id));
    uleb(body.out_.size());
    raw(body.out_);
  }
  std::vector<std::uint8_t>& bytes() { return out_; }

  [[noreturn]] static void fail(const char* code, const std::string& reason) {
    throw ModuleError(code, 0, "cannot encode: " + reason);
  }

 private:
  std::vector<std::uint8_t> out_;
};

// Signatures are unique so that "(params)->results" names exactly one entry (assembler text).
bool has_duplicate_signature(const std::vector<Signature>& sigs) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> keys;
  keys.reserve(sigs.size());
  for (const auto& s : sigs) keys.emplace_back(s.params, s.results);
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

void require(bool ok, const char* code, const std::string& reason) {
  if (!ok) Encoder::fail(code, reason);
}

template <typename T, typename Key>
void require_sorted_unique(const std::vector<T>& items, Key key, const char* what) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    require(key(items[i - 1]) < key(items[i]), "module.unsorted",
            std::string(what) + " must be sorted and unique");
  }
}

void write_body(const Module& m, bool include_debug, Encoder& out) {
  require(m.version == kModuleFormatVersion, "module.unsupported_version", "unknown format version");
  out.raw(kModuleMagic);
  out.byte(m.version & 0xFF);
  out.byte(m.version >> 8);

  Encoder sigs;
  require(m.signatures.size() <= kMaxSignatures, "module.limit", "too many signatures");
  sigs.uleb(m.signatures.size());
  for (const auto& s : m.signatures) {
    require(s.params <= kMaxParams && s.results <= kMaxResults, "module.limit",
            "signature has too many parameters or results");
    sigs.uleb(s.params);
    sigs.uleb(s.results);
  }
  require(!has_duplicate_signature(m.signatures), "module.duplicate_signature",
          "signatures must be unique");
  out.section(SectionId::signatures, sigs);

  Encoder imports;
  require(m.host_imports.size() <= kMaxImports && m.module_imports.size() <= kMaxImports,
          "module.limit", "too many imports");
  imports.uleb(m.host_imports.size());
  for (const auto& h : m.host_imports) {
    imports.str(h.name, "import name");
    imports.uleb(h.signature);
    require(h.gas <= kMaxHostGas, "module.limit", "host import gas above the cap");
    imports.uleb(h.gas);
  }
  require_sorted_unique(m.module_imports, [](const ModuleImport& i) { return i.digest; },
                        "module imports");
  imports.uleb(m.module_imports.size());
  for (const auto& mi : m.module_imports) {
    imports.raw(mi.digest.bytes());
    imports.str(mi.name, "module import name");
  }
  out.section(SectionId::imports, imports);

  Encoder consts;
  require(m.constants.size() <= kMaxConstants, "module.limit", "too many constants");
  consts.uleb(m.constants.size());
  for (const auto& c : m.constants) consts.raw(c);
  out.section(SectionId::constants, consts);

  Encoder data;
  require(m.data.size() <= kMaxDataSegments, "module.limit", "too many data segments");
  std::size_t data_total = 0;
  data.uleb(m.data.size());
  for (const auto& d : m.data) {
    data_total += d.bytes.size();
    require(data_total <= kMaxDataBytes, "module.limit", "data segments above the cap");
    data.uleb(d.bytes.size());
    data.raw(d.bytes);
  }
  out.section(SectionId::data, data);

  Encoder funcs;
  require(m.functions.size() <= kMaxFunctions, "module.limit", "too many functions");
  funcs.uleb(m.functions.size());
  for (const auto& f : m.functions) {
    require(f.code.size() <= kMaxCodeBytes, "module.limit", "function code above the cap");
    funcs.uleb(f.signature);
    funcs.uleb(f.local_count);
    funcs.uleb(f.max_stack);
    funcs.uleb(f.gas_bound);
    funcs.uleb(f.code.size());
    funcs.raw(f.code);
  }
  out.section(SectionId::functions, funcs);

  Encoder exports;
  require(m.exports.size() <= kMaxExports, "module.limit", "too many exports");
  require_sorted_unique(m.exports, [](const Export& e) { return std::string_view(e.name); }, "exports");
  exports.uleb(m.exports.size());
  for (const auto& e : m.exports) {
    exports.str(e.name, "export name");
    require(static_cast<std::size_t>(e.kind) < kExportKindNames.size(), "module.bad_export_kind",
            "unknown export kind");
    exports.byte(static_cast<std::uint8_t>(e.kind));
    exports.uleb(e.function);
  }
  out.section(SectionId::exports, exports);

  Encoder meta;
  const Metadata& md = m.metadata;
  meta.str(md.pack_id, "pack id");
  meta.str(md.kind, "pack kind");
  meta.str(md.version, "pack version");
  meta.str(md.jurisdiction, "jurisdiction");
  meta.str(md.in_force_from, "in-force-from date");
  meta.str(md.in_force_to, "in-force-to date");
  require(md.citations.size() <= kMaxCitations, "module.limit", "too many citations");
  meta.uleb(md.citations.size());
  for (const auto& c : md.citations) meta.str(c, "citation");
  out.section(SectionId::metadata, meta);

  if (!include_debug || !m.debug) return;
  const Debug& d = *m.debug;
  Encoder dbg;
  dbg.str(d.source_name, "debug source name");
  auto names = [&](const std::vector<std::string>& v, std::size_t count, const char* what) {
    require(v.empty() || v.size() == count, "module.bad_debug",
            std::string(what) + " must be empty or one per item");
    dbg.uleb(v.size());
    for (const auto& n : v) dbg.str(n, what);
  };
  names(d.function_names, m.functions.size(), "debug function names");
  names(d.constant_names, m.constants.size(), "debug constant names");
  names(d.data_names, m.data.size(), "debug data names");
  require_sorted_unique(d.source_map,
                        [](const SourceMapEntry& e) { return std::pair(e.function, e.offset); },
                        "source map entries");
  dbg.uleb(d.source_map.size());
  for (const auto& e : d.source_map) {
    dbg.uleb(e.function);
    dbg.uleb(e.offset);
    dbg.uleb(e.line);
    dbg.uleb(e.column);
  }
  out.section(SectionId::debug, dbg);
}

// ---------------------------------------------------------------- reading

class Decoder {
 public:
  Decoder(std::span<const std::uint8_t> bytes, std::size_t base) : bytes_(bytes), base_(base) {}

  std::size_t offset() const { return base_ + pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }

  [[noreturn]] void fail(const char* code, const std::string& reason) const {
    throw ModuleError(code, offset(), reason);
  }

  std::uint8_t byte() {
    if (at_end()) fail("module.truncated", "unexpected end of input");
    return bytes_[pos_++];
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    if (remaining() < n) fail("module.truncated", "unexpected end of input");
    auto s = bytes_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  // Minimal ULEB128 of at most `max`.
  std::uint64_t uleb(std::uint64_t max, const char* what) {
    const std::size_t start = offset();
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      const std::uint8_t b = byte();
      if (shift == 63 && (b & 0xFE) != 0) {
        throw ModuleError("module.leb_overflow", start, std::string(what) + " exceeds 64 bits");
      }
      v |= std::uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift != 0) {
          throw ModuleError("module.leb_non_minimal", start,
                            std::string(what) + " is not minimally encoded");
        }
        break;
      }
    }
    if (v > max) {
      throw ModuleError("module.limit", start,
                        std::string(what) + " " + std::to_string(v) + " exceeds " + std::to_string(max));
    }
    return v;
  }
  std::uint32_t u32(const char* what) {
    return static_cast<std::uint32_t>(uleb(std::numeric_limits<std::uint32_t>::max(), what));
  }
  // A count of items of at least `min_item_bytes` each: capped, and never more than the bytes
  // left could hold, so a forged count cannot trigger a huge allocation.
  std::size_t count(std::size_t cap, std::size_t min_item_bytes, const char* what) {
    const std::size_t start = offset();
    const std::size_t n = uleb(cap, what);
    if (n > remaining() / min_item_bytes) {
      throw ModuleError("module.truncated", start, std::string(what) + " larger than the input");
    }
    return n;
  }
  std::string str(const char* what) {
    const std::size_t start = offset();
    const std::size_t n = uleb(kMaxStringBytes, what);
    auto s = take(n);
    std::string out(s.begin(), s.end());
    if (!valid_utf8(out)) throw ModuleError("module.bad_utf8", start, std::string(what) + " is not valid UTF-8");
    return out;
  }
  // The body of the next section, which must carry `id`.
  Decoder section(SectionId id) {
    const std::size_t start = offset();
    if (at_end()) fail("module.truncated", "missing section " + std::to_string(static_cast<int>(id)));
    const std::uint8_t got = byte();
    if (got != static_cast<std::uint8_t>(id)) {
      throw ModuleError("module.section_order", start,
                        "expected section " + std::to_string(static_cast<int>(id)) + ", found id " +
                            std::to_string(got) + " (sections are mandatory, unique and in order)");
    }
    const std::size_t len = uleb(kMaxModuleBytes, "section length");
    const std::size_t body = offset();
    return Decoder(take(len), body);
  }
  void expect_end(const char* what) const {
    if (!at_end()) fail("module.section_length", std::string(what) + " section has trailing bytes");
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

template <typename T, typename Key>
void check_sorted_unique(const std::vector<T>& items, Key key, const Decoder& d, const char* what) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (!(key(items[i - 1]) < key(items[i]))) d.fail("module.unsorted", std::string(what) + " must be sorted and unique");
  }
}

void read_signatures(Decoder d, Module& m) {
  m.signatures.resize(d.count(kMaxSignatures, 2, "signature count"));
  for (auto& s : m.signatures) {
    s.params = static_cast<std::uint32_t>(d.uleb(kMaxParams, "parameter count"));
    s.results = static_cast<std::uint32_t>(d.uleb(kMaxResults, "result count"));
  }
  if (has_duplicate_signature(m.signatures)) d.fail("module.duplicate_signature", "signatures must be unique");
  d.expect_end("signatures");
}

void read_imports(Decoder d, Module& m) {
  m.host_imports.resize(d.count(kMaxImports, 3, "host import count"));
  for (auto& h : m.host_imports) {
    h.name = d.str("import name");
    h.signature = d.u32("import signature");
    h.gas = d.uleb(kMaxHostGas, "import gas");
  }
  m.module_imports.resize(d.count(kMaxImports, 33, "module import count"));
  for (auto& mi : m.module_imports) {
    Digest::Bytes b{};
    auto raw = d.take(b.size());
    std::copy(raw.begin(), raw.end(), b.begin());
    mi.digest = Digest(b);
    mi.name = d.str("module import name");
  }
  check_sorted_unique(m.module_imports, [](const ModuleImport& i) { return i.digest; }, d, "module imports");
  d.expect_end("imports");
}

void read_constants(Decoder d, Module& m) {
  m.constants.resize(d.count(kMaxConstants, 32, "constant count"));
  for (auto& c : m.constants) {
    auto raw = d.take(32);
    std::copy(raw.begin(), raw.end(), c.begin());
  }
  d.expect_end("constants");
}

void read_data(Decoder d, Module& m) {
  m.data.resize(d.count(kMaxDataSegments, 1, "data segment count"));
  std::size_t total = 0;
  for (auto& seg : m.data) {
    const std::size_t n = d.uleb(kMaxDataBytes, "data segment length");
    total += n;
    if (total > kMaxDataBytes) d.fail("module.limit", "data segments above the cap");
    auto raw = d.take(n);
    seg.bytes.assign(raw.begin(), raw.end());
  }
  d.expect_end("data");
}

void read_functions(Decoder d, Module& m) {
  m.functions.resize(d.count(kMaxFunctions, 5, "function count"));
  for (auto& f : m.functions) {
    f.signature = d.u32("function signature");
    f.local_count = d.u32("local count");
    f.max_stack = d.u32("max stack");
    f.gas_bound = d.uleb(std::numeric_limits<std::uint64_t>::max(), "gas bound");
    const std::size_t n = d.uleb(kMaxCodeBytes, "code length");
    auto raw = d.take(n);
    f.code.assign(raw.begin(), raw.end());
  }
  d.expect_end("functions");
}

void read_exports(Decoder d, Module& m) {
  m.exports.resize(d.count(kMaxExports, 3, "export count"));
  for (auto& e : m.exports) {
    e.name = d.str("export name");
    const std::size_t at = d.offset();
    const std::uint8_t kind = d.byte();
    if (kind >= kExportKindNames.size()) throw ModuleError("module.bad_export_kind", at, "unknown export kind " + std::to_string(kind));
    e.kind = static_cast<ExportKind>(kind);
    e.function = d.u32("export function");
  }
  check_sorted_unique(m.exports, [](const Export& e) { return std::string_view(e.name); }, d, "exports");
  d.expect_end("exports");
}

void read_metadata(Decoder d, Module& m) {
  Metadata& md = m.metadata;
  md.pack_id = d.str("pack id");
  md.kind = d.str("pack kind");
  md.version = d.str("pack version");
  md.jurisdiction = d.str("jurisdiction");
  md.in_force_from = d.str("in-force-from date");
  md.in_force_to = d.str("in-force-to date");
  md.citations.resize(d.count(kMaxCitations, 1, "citation count"));
  for (auto& c : md.citations) c = d.str("citation");
  d.expect_end("metadata");
}

void read_debug(Decoder d, Module& m) {
  Debug dbg;
  dbg.source_name = d.str("debug source name");
  auto names = [&](std::vector<std::string>& v, std::size_t count, const char* what) {
    const std::size_t at = d.offset();
    v.resize(d.count(count, 1, what));
    if (!v.empty() && v.size() != count) throw ModuleError("module.bad_debug", at, std::string(what) + " must be empty or one per item");
    for (auto& n : v) n = d.str(what);
  };
  names(dbg.function_names, m.functions.size(), "debug function names");
  names(dbg.constant_names, m.constants.size(), "debug constant names");
  names(dbg.data_names, m.data.size(), "debug data names");
  dbg.source_map.resize(d.count(kMaxCodeBytes * 4, 4, "source map size"));
  for (auto& e : dbg.source_map) {
    e.function = d.u32("source map function");
    e.offset = d.u32("source map offset");
    e.line = d.u32("source map line");
    e.column = d.u32("source map column");
  }
  check_sorted_unique(dbg.source_map,
                      [](const SourceMapEntry& e) { return std::pair(e.function, e.offset); }, d,
                      "source map entries");
  d.expect_end("debug");
  m.debug = std::move(dbg);
}

// Reads a module and reports where the digest-covered prefix ends (before the debug section).
Module read_with_prefix(std::span<const std::uint8_t> bytes, std::size_t& digest_prefix) {
  if (bytes.size() > kMaxModuleBytes) {
    throw ModuleError("module.too_large", kMaxModuleBytes, "module is larger than " + std::to_string(kMaxModuleBytes) + " bytes");
  }
  Decoder d(bytes, 0);
  auto magic = d.take(kModuleMagic.size());
  if (!std::equal(magic.begin(), magic.end(), kModuleMagic.begin())) {
    throw ModuleError("module.bad_magic", 0, "not a SAVM module (magic \\0SAVM expected)");
  }
  Module m;
  const std::uint8_t lo = d.byte();
  const std::uint8_t hi = d.byte();
  m.version = static_cast<std::uint16_t>(lo | (hi << 8));
  if (m.version != kModuleFormatVersion) {
    throw ModuleError("module.unsupported_version", kModuleMagic.size(),
                      "format version " + std::to_string(m.version) + " is not supported");
  }
  read_signatures(d.section(SectionId::signatures), m);
  read_imports(d.section(SectionId::imports), m);
  read_constants(d.section(SectionId::constants), m);
  read_data(d.section(SectionId::data), m);
  read_functions(d.section(SectionId::functions), m);
  read_exports(d.section(SectionId::exports), m);
  read_metadata(d.section(SectionId::metadata), m);
  digest_prefix = d.offset();
  if (!d.at_end()) {
    read_debug(d.section(SectionId::debug), m);
    if (!d.at_end()) d.fail("module.trailing_bytes", "bytes after the last section");
  }
  return m;
}

}  // namespace

std::vector<std::uint8_t> write_module(const Module& module) {
  Encoder out;
  write_body(module, true, out);
  if (out.bytes().size() > kMaxModuleBytes) {
    Encoder::fail("module.too_large", "module is larger than " + std::to_string(kMaxModuleBytes) + " bytes");
  }
  return std::move(out.bytes());
}

Module read_module(std::span<const std::uint8_t> bytes) {
  std::size_t prefix = 0;
  return read_with_prefix(bytes, prefix);
}

Digest module_digest(const Module& module) {
  Encoder out;
  write_body(module, false, out);
  return sha256(out.bytes());
}

Digest module_digest(std::span<const std::uint8_t> bytes) {
  std::size_t prefix = 0;
  read_with_prefix(bytes, prefix);
  return sha256(bytes.first(prefix));
}

}  // namespace savm::vm
