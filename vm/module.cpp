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
//
// Writing is two steps: check_encodable() raises every ModuleError a module can have, in the
// order the bytes would be written, then emit() writes the bytes into a sink and cannot fail.
// A section's length prefix is found by emitting its body into a SizeSink first, so no section
// body is ever materialized: module_digest(Module) streams the canonical bytes straight into
// SHA-256, and write_module() allocates its output once at its exact size.

[[noreturn]] void fail_encode(const char* code, const std::string& reason) {
  throw ModuleError(code, 0, "cannot encode: " + reason);
}

void require(bool ok, const char* code, const std::string& reason) {
  if (!ok) fail_encode(code, reason);
}

// Signatures are unique so that "(params)->results" names exactly one entry (assembler text).
bool has_duplicate_signature(const std::vector<Signature>& sigs) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> keys;
  keys.reserve(sigs.size());
  for (const auto& s : sigs) keys.emplace_back(s.params, s.results);
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

template <typename T, typename Key>
void require_sorted_unique(const std::vector<T>& items, Key key, const char* what) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    require(key(items[i - 1]) < key(items[i]), "module.unsorted",
            std::string(what) + " must be sorted and unique");
  }
}

void require_string(const std::string& s, const char* what) {
  require(s.size() <= kMaxStringBytes, "module.limit", std::string(what) + " longer than the cap");
  require(valid_utf8(s), "module.bad_utf8", std::string(what) + " is not valid UTF-8");
}

// Every reason the module has no canonical encoding, first one (in byte order) thrown.
void check_encodable(const Module& m, bool include_debug) {
  require(m.version == kModuleFormatVersion, "module.unsupported_version", "unknown format version");

  require(m.signatures.size() <= kMaxSignatures, "module.limit", "too many signatures");
  for (const auto& s : m.signatures) {
    require(s.params <= kMaxParams && s.results <= kMaxResults, "module.limit",
            "signature has too many parameters or results");
  }
  require(!has_duplicate_signature(m.signatures), "module.duplicate_signature",
          "signatures must be unique");

  require(m.host_imports.size() <= kMaxImports && m.module_imports.size() <= kMaxImports,
          "module.limit", "too many imports");
  for (const auto& h : m.host_imports) {
    require_string(h.name, "import name");
    require(h.gas <= kMaxHostGas, "module.limit", "host import gas above the cap");
  }
  require_sorted_unique(m.module_imports, [](const ModuleImport& i) { return i.digest; },
                        "module imports");
  for (const auto& mi : m.module_imports) require_string(mi.name, "module import name");

  require(m.constants.size() <= kMaxConstants, "module.limit", "too many constants");

  require(m.data.size() <= kMaxDataSegments, "module.limit", "too many data segments");
  std::size_t data_total = 0;
  for (const auto& d : m.data) {
    data_total += d.bytes.size();
    require(data_total <= kMaxDataBytes, "module.limit", "data segments above the cap");
  }

  require(m.functions.size() <= kMaxFunctions, "module.limit", "too many functions");
  for (const auto& f : m.functions) {
    require(f.code.size() <= kMaxCodeBytes, "module.limit", "function code above the cap");
  }

  require(m.exports.size() <= kMaxExports, "module.limit", "too many exports");
  require_sorted_unique(m.exports, [](const Export& e) { return std::string_view(e.name); }, "exports");
  for (const auto& e : m.exports) {
    require_string(e.name, "export name");
    require(static_cast<std::size_t>(e.kind) < kExportKindNames.size(), "module.bad_export_kind",
            "unknown export kind");
  }

  const Metadata& md = m.metadata;
  require_string(md.pack_id, "pack id");
  require_string(md.kind, "pack kind");
  require_string(md.version, "pack version");
  require_string(md.jurisdiction, "jurisdiction");
  require_string(md.in_force_from, "in-force-from date");
  require_string(md.in_force_to, "in-force-to date");
  require(md.citations.size() <= kMaxCitations, "module.limit", "too many citations");
  for (const auto& c : md.citations) require_string(c, "citation");

  if (!include_debug || !m.debug) return;
  const Debug& d = *m.debug;
  require_string(d.source_name, "debug source name");
  auto names = [&](const std::vector<std::string>& v, std::size_t count, const char* what) {
    require(v.empty() || v.size() == count, "module.bad_debug",
            std::string(what) + " must be empty or one per item");
    for (const auto& n : v) require_string(n, what);
  };
  names(d.function_names, m.functions.size(), "debug function names");
  names(d.constant_names, m.constants.size(), "debug constant names");
  names(d.data_names, m.data.size(), "debug data names");
  require_sorted_unique(d.source_map,
                        [](const SourceMapEntry& e) { return std::pair(e.function, e.offset); },
                        "source map entries");
}

// ---- sinks: where emitted bytes go

struct SizeSink {
  std::size_t size = 0;
  void put(std::span<const std::uint8_t> bytes) { size += bytes.size(); }
};

struct BufferSink {
  std::vector<std::uint8_t>& out;
  void put(std::span<const std::uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }
};

// Gathers the many small pieces (ULEBs, names) into one buffer so SHA-256 sees few large updates;
// code and data go to it directly.
class HashSink {
 public:
  void put(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > sizeof(buffer_) - used_) {
      flush();
      if (bytes.size() >= sizeof(buffer_)) {
        sha_.update(bytes);
        return;
      }
    }
    std::copy(bytes.begin(), bytes.end(), buffer_ + used_);  // memcpy of an empty span is UB
    used_ += bytes.size();
  }
  Digest finish() {
    flush();
    return sha_.finish();
  }

 private:
  void flush() {
    sha_.update(std::span<const std::uint8_t>(buffer_, used_));
    used_ = 0;
  }
  Sha256 sha_;
  std::uint8_t buffer_[1024];
  std::size_t used_ = 0;
};

template <typename Sink>
class Encoder {
 public:
  explicit Encoder(Sink& sink) : sink_(sink) {}
  void byte(std::uint8_t b) { sink_.put(std::span<const std::uint8_t>(&b, 1)); }
  void uleb(std::uint64_t v) {
    std::uint8_t bytes[10];
    std::size_t n = 0;
    do {
      std::uint8_t b = v & 0x7F;
      v >>= 7;
      if (v != 0) b |= 0x80;
      bytes[n++] = b;
    } while (v != 0);
    sink_.put(std::span<const std::uint8_t>(bytes, n));
  }
  void raw(std::span<const std::uint8_t> bytes) { sink_.put(bytes); }
  void str(const std::string& s) {
    uleb(s.size());
    sink_.put(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
  // Id, body length, body: `body(encoder)` runs twice, first to measure, then to emit.
  template <typename Body>
  void section(SectionId id, Body body) {
    SizeSink measure;
    Encoder<SizeSink> counter(measure);
    body(counter);
    byte(static_cast<std::uint8_t>(id));
    uleb(measure.size);
    body(*this);
  }

 private:
  Sink& sink_;
};

// The canonical bytes of a module that passed check_encodable().
template <typename Sink>
void emit(const Module& m, bool include_debug, Encoder<Sink>& out) {
  out.raw(kModuleMagic);
  out.byte(m.version & 0xFF);
  out.byte(m.version >> 8);
  out.section(SectionId::signatures, [&](auto& e) {
    e.uleb(m.signatures.size());
    for (const auto& s : m.signatures) {
      e.uleb(s.params);
      e.uleb(s.results);
    }
  });
  out.section(SectionId::imports, [&](auto& e) {
    e.uleb(m.host_imports.size());
    for (const auto& h : m.host_imports) {
      e.str(h.name);
      e.uleb(h.signature);
      e.uleb(h.gas);
    }
    e.uleb(m.module_imports.size());
    for (const auto& mi : m.module_imports) {
      e.raw(mi.digest.bytes());
      e.str(mi.name);
    }
  });
  out.section(SectionId::constants, [&](auto& e) {
    e.uleb(m.constants.size());
    for (const auto& c : m.constants) e.raw(c);
  });
  out.section(SectionId::data, [&](auto& e) {
    e.uleb(m.data.size());
    for (const auto& d : m.data) {
      e.uleb(d.bytes.size());
      e.raw(d.bytes);
    }
  });
  out.section(SectionId::functions, [&](auto& e) {
    e.uleb(m.functions.size());
    for (const auto& f : m.functions) {
      e.uleb(f.signature);
      e.uleb(f.local_count);
      e.uleb(f.max_stack);
      e.uleb(f.gas_bound);
      e.uleb(f.code.size());
      e.raw(f.code);
    }
  });
  out.section(SectionId::exports, [&](auto& e) {
    e.uleb(m.exports.size());
    for (const auto& x : m.exports) {
      e.str(x.name);
      e.byte(static_cast<std::uint8_t>(x.kind));
      e.uleb(x.function);
    }
  });
  out.section(SectionId::metadata, [&](auto& e) {
    const Metadata& md = m.metadata;
    e.str(md.pack_id);
    e.str(md.kind);
    e.str(md.version);
    e.str(md.jurisdiction);
    e.str(md.in_force_from);
    e.str(md.in_force_to);
    e.uleb(md.citations.size());
    for (const auto& c : md.citations) e.str(c);
  });
  if (!include_debug || !m.debug) return;
  out.section(SectionId::debug, [&](auto& e) {
    const Debug& d = *m.debug;
    e.str(d.source_name);
    for (const auto* names : {&d.function_names, &d.constant_names, &d.data_names}) {
      e.uleb(names->size());
      for (const auto& n : *names) e.str(n);
    }
    e.uleb(d.source_map.size());
    for (const auto& s : d.source_map) {
      e.uleb(s.function);
      e.uleb(s.offset);
      e.uleb(s.line);
      e.uleb(s.column);
    }
  });
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
  check_encodable(module, true);
  SizeSink size;
  Encoder<SizeSink> measure(size);
  emit(module, true, measure);
  if (size.size > kMaxModuleBytes) {
    fail_encode("module.too_large", "module is larger than " + std::to_string(kMaxModuleBytes) + " bytes");
  }
  std::vector<std::uint8_t> bytes;
  bytes.reserve(size.size);
  BufferSink sink{bytes};
  Encoder<BufferSink> out(sink);
  emit(module, true, out);
  return bytes;
}

Module read_module(std::span<const std::uint8_t> bytes) {
  std::size_t prefix = 0;
  return read_with_prefix(bytes, prefix);
}

Digest module_digest(const Module& module) {
  check_encodable(module, false);
  HashSink sink;
  Encoder<HashSink> out(sink);
  emit(module, false, out);
  return sink.finish();
}

Digest module_digest(std::span<const std::uint8_t> bytes) {
  std::size_t prefix = 0;
  read_with_prefix(bytes, prefix);
  return sha256(bytes.first(prefix));
}

}  // namespace savm::vm
