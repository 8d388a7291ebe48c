#include "runtime/canonical_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "runtime/datetime.h"
#include "runtime/error.h"
#include "runtime/mcf_text.h"
#include "runtime/utf8.h"

namespace savm::runtime {
namespace {

// True when every byte is printable ASCII other than '"' and '\\' (0x20..0x7F): such text is
// valid UTF-8 and is written between quotes as it is. One word-at-a-time pass stands for the
// UTF-8 check and the escape scan of the general path, which the usual key or value — an
// identifier, a hex digest, a base64url JWS, a decimal amount — does not need.
bool is_plain_ascii(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (std::uint64_t word = 0; i + sizeof word <= text.size(); i += sizeof word) {
    std::memcpy(&word, text.data() + i, sizeof word);
    const std::uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
    // A high bit is set for a byte >= 0x80, below 0x20, '"' or '\\' (borrow tests as in
    // append_json_string).
    const std::uint64_t special = word | ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) |
                                  ((backslash - kOnes) & ~backslash);
    if ((special & kHigh) != 0) return false;
  }
  for (; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\') return false;
  }
  return true;
}

// Appends rather than resizes: resize would zero the bytes first.
void append_quoted(std::string& out, std::string_view plain) {
  out += '"';
  out += plain;
  out += '"';
}

}  // namespace

void CanonicalWriter::reset() {
  out_.clear();
  depth_ = 0;
  deepest_ = 0;
  member_count_ = 0;
  raw_keys_.clear();
}

void CanonicalWriter::check_utf8(std::string_view text, const char* what) const {
  const std::size_t bad = utf8::first_invalid(text);
  if (bad != std::string_view::npos) {
    throw Error("mcf.utf8", fmt::format("{} is not valid UTF-8 (byte 0x{:02x} at offset {})", what,
                                        static_cast<unsigned char>(text[bad]), bad));
  }
}

// Commas and the key-before-value rule: the structure is the caller's, so breaking it is a bug.
void CanonicalWriter::before_value() {
  if (depth_ == 0) {
    if (!out_.empty()) throw std::logic_error("CanonicalWriter: a second top-level value");
    return;
  }
  Frame& frame = frames_[depth_ - 1];
  if (frame.is_object) {
    if (!frame.has_key) throw std::logic_error("CanonicalWriter: an object member without a key");
    frame.has_key = false;
    return;
  }
  if (frame.has_member) out_ += ',';
  frame.has_member = true;
}

void CanonicalWriter::open(bool is_object) {
  before_value();
  if (depth_ >= limits_.max_depth) {
    throw Error("mcf.limit", fmt::format("nesting deeper than the limit of {}", limits_.max_depth));
  }
  if (frames_.size() == depth_) frames_.emplace_back();
  Frame& frame = frames_[depth_];
  frame.is_object = is_object;
  frame.has_member = false;
  frame.has_key = false;
  ++depth_;
  deepest_ = std::max(deepest_, depth_);
  out_ += is_object ? '{' : '[';
}

void CanonicalWriter::close(bool is_object) {
  if (depth_ == 0 || frames_[depth_ - 1].is_object != is_object || frames_[depth_ - 1].has_key) {
    throw std::logic_error("CanonicalWriter: close does not match the open container");
  }
  --depth_;
  out_ += is_object ? '}' : ']';
}

void CanonicalWriter::begin_object() { open(true); }
void CanonicalWriter::end_object() { close(true); }
void CanonicalWriter::begin_array() { open(false); }
void CanonicalWriter::end_array() { close(false); }

std::string_view CanonicalWriter::key_text(const KeyRef& key) const {
  return std::string_view(key.plain ? out_ : raw_keys_).substr(key.at, key.size);
}

void CanonicalWriter::remember_key(KeyRef& ref, std::string_view text, bool plain, std::size_t quote_at) {
  ref.size = text.size();
  ref.plain = plain;
  if (plain) {
    ref.at = quote_at + 1;
  } else {
    ref.at = raw_keys_.size();
    raw_keys_ += text;
  }
}

void CanonicalWriter::key(std::string_view text) {
  if (depth_ == 0 || !frames_[depth_ - 1].is_object || frames_[depth_ - 1].has_key) {
    throw std::logic_error("CanonicalWriter: a key outside an object or after a key");
  }
  const bool plain = is_plain_ascii(text);
  if (!plain) check_utf8(text, "object key");
  Frame& frame = frames_[depth_ - 1];
  if (frame.has_member) {
    const std::string_view last = key_text(depth_ == 1 ? members_[member_count_ - 1].key : frame.last_key);
    // string_view compares as unsigned char: the UTF-8 byte order MCF sorts keys in.
    if (!(last < text)) {
      throw std::logic_error(fmt::format("CanonicalWriter: key \"{}\" is not after \"{}\"", text, last));
    }
    out_ += ',';
  }
  frame.has_member = true;
  frame.has_key = true;
  const std::size_t quote_at = out_.size();
  if (depth_ == 1) {
    if (members_.size() == member_count_) members_.emplace_back();
    members_[member_count_].offset = quote_at;
    remember_key(members_[member_count_].key, text, plain, quote_at);
    ++member_count_;
  } else {
    remember_key(frame.last_key, text, plain, quote_at);
  }
  if (plain) {
    append_quoted(out_, text);
  } else {
    append_json_string(out_, text);
  }
  out_ += ':';
}

// append_json_text's rule (a date-time is written in UTC), with two shortcuts: plain text needs
// no escape pass, and text already in UTC seconds is its own canonical form (no parse, no copy).
void CanonicalWriter::string(std::string_view text) {
  before_value();
  const bool plain = is_plain_ascii(text);
  if (!plain) check_utf8(text, "string");
  if (plain && is_utc_seconds_shape(text)) {
    append_quoted(out_, text);
  } else if (auto utc = utc_datetime(text)) {
    append_json_string(out_, *utc);
  } else if (plain) {
    append_quoted(out_, text);
  } else {
    append_json_string(out_, text);
  }
}

void CanonicalWriter::integer(std::uint64_t value) {
  before_value();
  append_json_integer(out_, value);
}

void CanonicalWriter::integer(std::int64_t value) {
  before_value();
  append_json_integer(out_, value);
}

void CanonicalWriter::digest(const vm::Digest& value) {
  before_value();
  char text[2 * vm::Digest::kSize + 2];  // built on the stack: resizing out_ would zero it first
  text[0] = '"';
  vm::write_lower_hex(value.bytes(), text + 1);
  text[sizeof text - 1] = '"';
  out_.append(text, sizeof text);
}

void CanonicalWriter::value(const Json& json, std::string_view path) {
  before_value();
  deepest_ = std::max(deepest_, depth_ + append_canonical(out_, json, limits_, depth_, path));
}

void CanonicalWriter::value(const CanonicalBytes& canonical) {
  const std::size_t inner = canonical.depth();
  if (depth_ + inner > limits_.max_depth) {
    throw Error("mcf.limit", fmt::format("nesting deeper than the limit of {}", limits_.max_depth));
  }
  before_value();
  out_ += canonical.view();
  deepest_ = std::max(deepest_, depth_ + inner);
}

void CanonicalWriter::insert_member(std::string_view key, std::string_view string_value) {
  check_utf8(string_value, "string");
  scratch_.clear();
  append_json_text(scratch_, string_value);
  insert_text(key, scratch_, 0);
}

void CanonicalWriter::insert_member(std::string_view key, const CanonicalWriter& document) {
  if (!document.complete()) throw std::logic_error("CanonicalWriter: inserting an unfinished document");
  if (&document == this) throw std::logic_error("CanonicalWriter: inserting a document into itself");
  insert_text(key, document.out_, document.deepest_);
}

// `value` is the value's canonical text. The member goes in front of the first member whose key
// sorts after `key`, or before the closing brace, with the comma on the side that keeps the list
// intact. The text is copied once, straight into its place.
void CanonicalWriter::insert_text(std::string_view key, std::string_view value, std::size_t value_depth) {
  if (!complete() || out_.front() != '{') {
    throw std::logic_error("CanonicalWriter: insert_member needs a finished top-level object");
  }
  const bool plain_key = is_plain_ascii(key);
  if (!plain_key) check_utf8(key, "object key");
  if (value_depth + 1 > limits_.max_depth) {
    throw Error("mcf.limit", fmt::format("nesting deeper than the limit of {}", limits_.max_depth));
  }
  const auto* members = members_.data();
  const std::size_t at = static_cast<std::size_t>(
      std::find_if(members, members + member_count_, [&](const Member& m) { return key <= key_text(m.key); }) -
      members);
  if (at < member_count_ && key_text(members_[at].key) == key) {
    throw std::logic_error(fmt::format("CanonicalWriter: member \"{}\" is already present", key));
  }
  const bool comma_after = at < member_count_;
  std::string& head = member_;  // the comma before, if any, and the key: reused, like scratch_
  head.clear();
  if (!comma_after && member_count_ > 0) head += ',';
  append_json_string(head, key);
  head += ':';
  const std::size_t offset = comma_after ? members_[at].offset : out_.size() - 1;  // or before the '}'
  const std::size_t size = head.size() + value.size() + (comma_after ? 1 : 0);
  out_.insert(offset, size, ',');  // the comma after, if any, is the last of these
  std::memcpy(out_.data() + offset, head.data(), head.size());
  std::memcpy(out_.data() + offset + head.size(), value.data(), value.size());
  // The new member starts after its comma when it was appended last.
  const std::size_t start = comma_after || member_count_ == 0 ? offset : offset + 1;
  for (std::size_t i = at; i < member_count_; ++i) {
    members_[i].offset += size;
    if (members_[i].key.plain) members_[i].key.at += size;  // a raw key is in raw_keys_, which stays
  }
  if (members_.size() == member_count_) members_.emplace_back();
  std::rotate(members_.begin() + static_cast<std::ptrdiff_t>(at),
              members_.begin() + static_cast<std::ptrdiff_t>(member_count_),
              members_.begin() + static_cast<std::ptrdiff_t>(member_count_ + 1));
  members_[at].offset = start;
  remember_key(members_[at].key, key, plain_key, start);
  ++member_count_;
  deepest_ = std::max(deepest_, value_depth + 1);
}

CanonicalBytes CanonicalWriter::bytes() const {
  if (!complete()) throw std::logic_error("CanonicalWriter: the document is not finished");
  return CanonicalBytes(out_, deepest_);
}

}  // namespace savm::runtime
