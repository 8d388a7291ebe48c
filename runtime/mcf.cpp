// The MCF canonicalizer (canonicalize in runtime/mcf.h): the only code that makes CanonicalBytes.
//
// Iterative, like the parser: open containers live on a heap vector, so a value of any depth is
// checked against the limit without recursing on the C++ stack.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/datetime.h"
#include "runtime/error.h"
#include "runtime/json_path.h"
#include "runtime/mcf.h"
#include "runtime/mcf_text.h"
#include "runtime/utf8.h"

namespace savm::runtime {

// RFC 8785 §3.2.2.2 escaping, which is also serde_json's: the two-character escapes for " \ and
// the five named controls, \u00xx (lowercase hex) for the other controls, every other byte raw
// (DEL and non-ASCII included; the input is already known to be valid UTF-8).
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  // One table lookup per byte instead of three comparisons: this loop sees every string byte.
  static constexpr auto kEscaped = [] {
    std::array<bool, 256> escaped{};
    for (std::size_t b = 0; b < 0x20; ++b) escaped[b] = true;
    escaped['"'] = escaped['\\'] = true;
    return escaped;
  }();
  out += '"';
  std::size_t run_start = 0;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    // Skip eight bytes at a time while none needs an escape (the usual case): a word has a byte
    // below 0x20, or equal to '"' or '\\', exactly when these borrow tests set a high bit.
    for (std::uint64_t word = 0; i + sizeof word <= text.size(); i += sizeof word) {
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
      std::memcpy(&word, text.data() + i, sizeof word);
      const std::uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
      const std::uint64_t special = ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) |
                                    ((backslash - kOnes) & ~backslash);
      if ((special & kHigh) != 0) break;
    }
    if (i >= text.size()) break;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!kEscaped[byte]) continue;
    out.append(text, run_start, i - run_start);
    run_start = i + 1;
    switch (byte) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
    }
  }
  out.append(text, run_start, text.size() - run_start);
  out += '"';
}

void append_json_integer(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void append_json_integer(std::string& out, std::uint64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void append_json_text(std::string& out, std::string_view text) {
  if (auto utc = utc_datetime(text)) {
    append_json_string(out, *utc);
  } else {
    append_json_string(out, text);
  }
}

namespace {

// Writes into a caller's buffer so that a value can also be embedded in a document that the
// streaming writer (runtime/canonical_writer.h) is producing: `depth` open containers already
// surround it, and `root` is the JSON path of the value in errors.
class Canonicalizer {
 public:
  Canonicalizer(std::string& out, const JsonLimits& limits, std::size_t depth, std::string_view root)
      : limits_(limits), depth_(depth), root_(root), out_(out) {}

  // Returns the deepest nesting reached inside `value` ("[]" is 1, a scalar 0).
  std::size_t run(const Json& value) {
    emit(value);
    while (!stack_.empty()) step();
    return deepest_;
  }

 private:
  // An open container and the position of its next member.
  struct Frame {
    bool is_object;
    Json::object_t::const_iterator object_next, object_end;
    Json::array_t::const_iterator array_next, array_end;
    std::size_t index = 0;          // of the member being written
    std::string_view key;           // of the member being written (objects)
    bool member_open = false;
  };

  [[noreturn]] void fail(const char* code, const std::string& what) const {
    std::vector<PathStep> steps;
    for (const Frame& frame : stack_) {
      if (!frame.member_open) break;
      steps.push_back({frame.is_object, frame.key, frame.index});
    }
    const std::string path = format_path(steps);
    throw Error(code, fmt::format("{} at {}{}", what, root_, std::string_view(path).substr(1)));
  }

  void check_utf8(std::string_view text, const char* what) const {
    const std::size_t bad = utf8::first_invalid(text);
    if (bad != std::string_view::npos) {
      fail("mcf.utf8", fmt::format("{} is not valid UTF-8 (byte 0x{:02x} at offset {})", what,
                                   static_cast<unsigned char>(text[bad]), bad));
    }
  }

  // Writes the next member of the innermost container, or closes it.
  void step() {
    Frame& frame = stack_.back();
    if (frame.is_object ? frame.object_next == frame.object_end : frame.array_next == frame.array_end) {
      out_ += frame.is_object ? '}' : ']';
      stack_.pop_back();
      return;
    }
    if (frame.member_open) {
      out_ += ',';
      ++frame.index;
    }
    frame.member_open = true;
    const Json* member = nullptr;
    if (frame.is_object) {
      frame.key = frame.object_next->first;
      member = &frame.object_next->second;
      ++frame.object_next;
      check_utf8(frame.key, "object key");
      append_json_string(out_, frame.key);  // keys are never date-normalized
      out_ += ':';
    } else {
      member = &*frame.array_next;
      ++frame.array_next;
    }
    emit(*member);  // may push a frame: `frame` is not used after this
  }

  void emit(const Json& value) {
    switch (value.type()) {
      case Json::value_t::null: out_ += "null"; return;
      case Json::value_t::boolean: out_ += value.get<bool>() ? "true" : "false"; return;
      case Json::value_t::number_integer: append_json_integer(out_, value.get<std::int64_t>()); return;
      case Json::value_t::number_unsigned: append_json_integer(out_, value.get<std::uint64_t>()); return;
      case Json::value_t::number_float:
        fail("mcf.float", "floating-point number: MCF accepts only integers");
      case Json::value_t::string: return emit_string(value.get_ref<const std::string&>());
      case Json::value_t::object: return open(value, true);
      case Json::value_t::array: return open(value, false);
      case Json::value_t::binary:
      case Json::value_t::discarded:
        break;
    }
    fail("mcf.type", "value has no JSON form (binary or discarded)");
  }

  void emit_string(const std::string& text) {
    check_utf8(text, "string");
    append_json_text(out_, text);
  }

  // std::map orders keys with std::char_traits<char>::compare, which compares as unsigned char
  // ([char.traits.specializations.char]): exactly the UTF-8 byte order MCF requires.
  void open(const Json& value, bool is_object) {
    if (depth_ + stack_.size() >= limits_.max_depth) {
      fail("mcf.limit", fmt::format("nesting deeper than the limit of {}", limits_.max_depth));
    }
    Frame frame{};
    frame.is_object = is_object;
    if (is_object) {
      const auto& members = value.get_ref<const Json::object_t&>();
      frame.object_next = members.begin();
      frame.object_end = members.end();
    } else {
      const auto& elements = value.get_ref<const Json::array_t&>();
      frame.array_next = elements.begin();
      frame.array_end = elements.end();
    }
    out_ += is_object ? '{' : '[';
    stack_.push_back(frame);
    deepest_ = std::max(deepest_, stack_.size());
  }

  JsonLimits limits_;
  std::size_t depth_;
  std::string_view root_;
  std::vector<Frame> stack_;
  std::size_t deepest_ = 0;
  std::string& out_;
};

}  // namespace

std::size_t append_canonical(std::string& out, const Json& value, const JsonLimits& limits, std::size_t depth,
                             std::string_view root) {
  return Canonicalizer(out, limits, depth, root).run(value);
}

CanonicalBytes canonicalize(const Json& value, const JsonLimits& limits) {
  std::string out;
  const std::size_t depth = append_canonical(out, value, limits, 0, "$");
  return CanonicalBytes(std::move(out), depth);
}

CanonicalBytes canonicalize_text(std::string_view text, const JsonLimits& limits) {
  return canonicalize(parse_json(text, limits), limits);
}

}  // namespace savm::runtime
