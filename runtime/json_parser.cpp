// The strict MCF input parser (parse_json in runtime/mcf.h).
//
// Hand-written rather than nlohmann's parser because MCF needs what that parser does not give:
// duplicate keys rejected (nlohmann keeps the last one), integers beyond 2^53 kept exact and those
// beyond [-2^63, 2^64-1] rejected (nlohmann turns them into doubles), and nesting bounded without
// recursion. It is iterative: open containers live on a heap vector, so a 100,000-deep document
// costs one small allocation per level up to the limit and then a located error, never a stack
// overflow.
#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "runtime/error.h"
#include "runtime/json_path.h"
#include "runtime/mcf.h"
#include "runtime/utf8.h"

namespace savm::runtime {
namespace {

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  Json parse() {
    if (text_.size() > limits_.max_bytes) {
      fail("mcf.limit", fmt::format("document is {} bytes, over the limit of {}", text_.size(),
                                    limits_.max_bytes));
    }
    skip_whitespace();
    if (at_end()) fail("mcf.syntax", "empty document, expected a JSON value");
    for (;;) {
      Json value;
      if (!begin_value(value)) continue;  // opened a non-empty container: parse its first member
      if (!complete(std::move(value))) continue;
      return std::move(result_);
    }
  }

 private:
  // An open array or object. `member_open` is true while its current element (or the value of
  // `key`) is being parsed, so error paths point into it.
  struct Frame {
    Json value;
    std::string key;
    bool member_open = false;
  };

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  void skip_whitespace() {
    while (!at_end()) {
      const char c = peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  std::string path() const {
    std::vector<PathStep> steps;
    steps.reserve(stack_.size());
    for (const Frame& frame : stack_) {
      if (!frame.member_open) break;
      if (frame.value.is_object()) {
        steps.push_back({true, frame.key, 0});
      } else {
        steps.push_back({false, {}, frame.value.size()});
      }
    }
    return format_path(steps);
  }

  [[noreturn]] void fail(const char* code, const std::string& what) const { fail_at(code, what, pos_); }
  [[noreturn]] void fail_at(const char* code, const std::string& what, std::size_t offset) const {
    throw Error(code, fmt::format("{} at {} (byte {})", what, path(), offset));
  }

  std::string describe_next() const {
    if (at_end()) return "end of input";
    const auto byte = static_cast<unsigned char>(peek());
    if (byte >= 0x21 && byte < 0x7F) return fmt::format("'{}'", peek());
    return fmt::format("byte 0x{:02x}", byte);
  }

  void expect(char c, const char* context) {
    if (at_end() || peek() != c) {
      fail("mcf.syntax", fmt::format("expected '{}' {}, found {}", c, context, describe_next()));
    }
    ++pos_;
  }

  // Parses a scalar into `value` and returns true, or opens a container: an empty one is returned
  // as a value (true); a non-empty one is pushed and false says "parse its first member next".
  bool begin_value(Json& value) {
    skip_whitespace();
    if (at_end()) fail("mcf.syntax", "unexpected end of input, expected a value");
    const char c = peek();
    if (c == '{' || c == '[') return open_container(value, c == '{');
    if (c == '"') {
      value = parse_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      value = parse_number();
    } else {
      value = parse_literal();
    }
    return true;
  }

  bool open_container(Json& value, bool is_object) {
    if (stack_.size() >= limits_.max_depth) {
      fail("mcf.limit", fmt::format("nesting deeper than the limit of {}", limits_.max_depth));
    }
    ++pos_;
    skip_whitespace();
    const char close = is_object ? '}' : ']';
    if (!at_end() && peek() == close) {
      ++pos_;
      value = is_object ? Json::object() : Json::array();
      return true;
    }
    stack_.push_back(Frame{is_object ? Json::object() : Json::array(), {}, false});
    if (is_object) begin_member();
    stack_.back().member_open = true;
    return false;
  }

  // Reads `"key" :` of the next member of the innermost object and checks it is not a duplicate.
  void begin_member() {
    skip_whitespace();
    if (at_end() || peek() != '"') {
      fail("mcf.syntax", fmt::format("expected a string key, found {}", describe_next()));
    }
    const std::size_t key_offset = pos_;
    std::string key = parse_string();
    Frame& frame = stack_.back();
    if (frame.value.contains(key)) {
      frame.key = key;
      frame.member_open = true;
      fail_at("mcf.duplicate_key", fmt::format("duplicate key \"{}\"", key), key_offset);
    }
    frame.key = std::move(key);
    skip_whitespace();
    expect(':', "after an object key");
  }

  // Attaches a finished value to its parent, closing every container that ends right after it.
  // Returns true when the whole document is done (result_ holds it), false when another member
  // follows.
  bool complete(Json value) {
    for (;;) {
      if (stack_.empty()) {
        skip_whitespace();
        if (!at_end()) {
          fail("mcf.syntax", fmt::format("unexpected {} after the document", describe_next()));
        }
        result_ = std::move(value);
        return true;
      }
      Frame& frame = stack_.back();
      const bool is_object = frame.value.is_object();
      if (is_object) {
        frame.value.get_ref<Json::object_t&>().emplace(std::move(frame.key), std::move(value));
        frame.key.clear();
      } else {
        frame.value.get_ref<Json::array_t&>().push_back(std::move(value));
      }
      frame.member_open = false;
      skip_whitespace();
      const char close = is_object ? '}' : ']';
      if (!at_end() && peek() == ',') {
        ++pos_;
        if (is_object) begin_member();
        frame.member_open = true;
        return false;
      }
      if (at_end() || peek() != close) {
        fail("mcf.syntax", fmt::format("expected ',' or '{}', found {}", close, describe_next()));
      }
      ++pos_;
      value = std::move(frame.value);
      stack_.pop_back();
    }
  }

  Json parse_literal() {
    const std::string_view rest = text_.substr(pos_);
    if (rest.starts_with("true")) {
      pos_ += 4;
      return true;
    }
    if (rest.starts_with("false")) {
      pos_ += 5;
      return false;
    }
    if (rest.starts_with("null")) {
      pos_ += 4;
      return nullptr;
    }
    // Not JSON at all, but say what the author meant: MCF has no non-finite numbers either.
    if (rest.starts_with("NaN") || rest.starts_with("Infinity")) {
      fail("mcf.float", "non-finite number: MCF accepts only integers");
    }
    fail("mcf.syntax", fmt::format("unexpected {}, expected a value", describe_next()));
  }

  std::size_t skip_digits() {
    const std::size_t start = pos_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    return pos_ - start;
  }

  Json parse_number() {
    const std::size_t start = pos_;
    const bool negative = peek() == '-';
    if (negative) {
      ++pos_;
      if (text_.substr(pos_).starts_with("Infinity")) {
        fail_at("mcf.float", "non-finite number: MCF accepts only integers", start);
      }
    }
    const std::size_t int_start = pos_;
    const std::size_t digits = skip_digits();
    if (digits == 0) fail("mcf.syntax", fmt::format("expected a digit, found {}", describe_next()));
    if (digits > 1 && text_[int_start] == '0') {
      fail_at("mcf.syntax", "leading zero in a number", int_start);
    }
    if (!at_end() && (peek() == '.' || peek() == 'e' || peek() == 'E')) {
      check_float_syntax();
      fail_at("mcf.float",
              fmt::format("number {} is not an integer: MCF rejects fractions and exponents "
                          "(send amounts as decimal strings)",
                          text_.substr(start, pos_ - start)),
              start);
    }
    return integer_value(text_.substr(int_start, digits), negative, start);
  }

  // A fraction or exponent makes the number a float (rejected either way), but a malformed one
  // ("1.", "1e") is first of all a syntax error.
  void check_float_syntax() {
    if (peek() == '.') {
      ++pos_;
      if (skip_digits() == 0) fail("mcf.syntax", "expected a digit after the decimal point");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (skip_digits() == 0) fail("mcf.syntax", "expected a digit in the exponent");
    }
  }

  // Exact integers in [-2^63, 2^64-1]. "-0" is rejected as a float: it only exists as an IEEE
  // double, and the MEZ reference parser (serde_json) turns it into -0.0, which MCF rejects.
  Json integer_value(std::string_view digits, bool negative, std::size_t start) {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t magnitude = 0;
    bool overflow = false;
    for (char d : digits) {
      const auto digit = static_cast<std::uint64_t>(d - '0');
      if (magnitude > (kMax - digit) / 10) {
        overflow = true;
        break;
      }
      magnitude = magnitude * 10 + digit;
    }
    const std::string_view token = text_.substr(start, pos_ - start);
    constexpr std::uint64_t kMinMagnitude = std::uint64_t{1} << 63;  // |-2^63|
    if (overflow || (negative && magnitude > kMinMagnitude)) {
      fail_at("mcf.range",
              fmt::format("integer {} is outside [-2^63, 2^64-1] (send it as a decimal string)", token),
              start);
    }
    if (!negative) return Json(magnitude);
    if (magnitude == 0) fail_at("mcf.float", "number -0 is not an integer (negative zero)", start);
    // Two's complement negation of the magnitude, well-defined for 2^63 as well.
    return Json(static_cast<std::int64_t>(~magnitude + 1));
  }

  std::uint32_t parse_hex4() {
    if (text_.size() - pos_ < 4) fail("mcf.syntax", "truncated \\u escape");
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_];
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        digit = static_cast<std::uint32_t>((c | 0x20) - 'a' + 10);
      } else {
        fail("mcf.syntax", fmt::format("invalid hex digit {} in a \\u escape", describe_next()));
      }
      value = value * 16 + digit;
      ++pos_;
    }
    return value;
  }

  // After the 'u' of "\uXXXX": one code point, joining a UTF-16 surrogate pair.
  std::uint32_t parse_unicode_escape(std::size_t escape_start) {
    const std::uint32_t unit = parse_hex4();
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      fail_at("mcf.utf8", fmt::format("lone low surrogate \\u{:04x}", unit), escape_start);
    }
    if (unit < 0xD800 || unit > 0xDBFF) return unit;
    if (!text_.substr(pos_).starts_with("\\u")) {
      fail_at("mcf.utf8", fmt::format("lone high surrogate \\u{:04x}", unit), escape_start);
    }
    pos_ += 2;
    const std::uint32_t low = parse_hex4();
    if (low < 0xDC00 || low > 0xDFFF) {
      fail_at("mcf.utf8", fmt::format("high surrogate \\u{:04x} not followed by a low one", unit),
              escape_start);
    }
    return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
  }

  void parse_escape(std::string& out) {
    const std::size_t escape_start = pos_;
    ++pos_;  // the backslash
    if (at_end()) fail("mcf.syntax", "unterminated string");
    const char c = peek();
    ++pos_;
    switch (c) {
      case '"': out += '"'; return;
      case '\\': out += '\\'; return;
      case '/': out += '/'; return;
      case 'b': out += '\b'; return;
      case 'f': out += '\f'; return;
      case 'n': out += '\n'; return;
      case 'r': out += '\r'; return;
      case 't': out += '\t'; return;
      case 'u': utf8::append(out, parse_unicode_escape(escape_start)); return;
      default:
        fail_at("mcf.syntax", fmt::format("invalid escape \\{}", c), escape_start);
    }
  }

  std::string parse_string() {
    ++pos_;  // the opening quote
    std::string out;
    for (;;) {
      // Copy the run of plain bytes in one go: most strings have no escapes.
      const std::size_t run_start = pos_;
      while (!at_end()) {
        const auto byte = static_cast<unsigned char>(peek());
        if (byte == '"' || byte == '\\' || byte < 0x20 || byte >= 0x80) break;
        ++pos_;
      }
      out.append(text_, run_start, pos_ - run_start);
      if (at_end()) fail("mcf.syntax", "unterminated string");
      const auto byte = static_cast<unsigned char>(peek());
      if (byte == '"') {
        ++pos_;
        return out;
      }
      if (byte == '\\') {
        parse_escape(out);
      } else if (byte < 0x20) {
        fail("mcf.syntax", fmt::format("unescaped control character 0x{:02x} in a string", byte));
      } else {
        const std::size_t n = utf8::sequence_length(text_, pos_);
        if (n == 0) fail("mcf.utf8", fmt::format("invalid UTF-8 sequence starting with byte 0x{:02x}", byte));
        out.append(text_, pos_, n);
        pos_ += n;
      }
    }
  }

  std::string_view text_;
  JsonLimits limits_;
  std::size_t pos_ = 0;
  std::vector<Frame> stack_;
  Json result_;
};

}  // namespace

Json parse_json(std::string_view text, const JsonLimits& limits) {
  return Parser(text, limits).parse();
}

}  // namespace savm::runtime
