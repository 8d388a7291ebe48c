// A streaming MCF writer: canonical bytes written directly from typed fields, without building a
// JSON tree (docs/design/receipt-fast-path.md). The receipt fast path (runtime/receipt_producer.h)
// uses it; anything a tree would be built for can use it too.
//
// Why its output is canonical (byte-identical to canonicalize() of the equivalent Json):
// - strings, integers and embedded Json values are written by the canonicalizer's own code
//   (runtime/mcf_text.h): the same escaping, the same date-time rule, the same integer printing;
// - the writer checks that each object's keys arrive in strictly increasing UTF-8 byte order (the
//   order MCF sorts them into) and that every string is valid UTF-8; a key out of order is a bug
//   in the caller and throws std::logic_error, invalid UTF-8 is bad input ("mcf.utf8");
// - nesting counts against JsonLimits::max_depth exactly as in canonicalize ("mcf.limit");
// - insert_member() adds a member to the finished top-level object at its sorted position, so a
//   value that depends on the rest of the document (a receipt's next_root, a proof) is added
//   without writing the rest again.
// So a CanonicalWriter is, with canonicalize(), the only maker of CanonicalBytes (runtime/mcf.h).
//
// A writer is reusable: reset() keeps its buffers, so a producer that writes one document after
// another allocates only while its buffers grow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"

namespace savm::runtime {

class CanonicalWriter {
 public:
  explicit CanonicalWriter(const JsonLimits& limits = {}) : limits_(limits) {}

  // Forgets the document, keeps the capacity.
  void reset();

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The next member's key (objects only). Keys are never date-normalized.
  void key(std::string_view text);
  // A string value, under the MCF date-time rule like every string value.
  void string(std::string_view text);
  void integer(std::uint64_t value);
  void integer(std::int64_t value);
  // A digest as 64 lowercase hex digits (a string value; no date-time is 64 hex digits).
  void digest(const vm::Digest& value);
  // Any JSON value, canonicalized in place; errors name paths below `path` (its JSON path here).
  void value(const Json& json, std::string_view path);
  // Bytes that are canonical already (from canonicalize or another writer), copied in; their
  // nesting counts against the limit from here.
  void value(const CanonicalBytes& canonical);

  // After the top-level object is finished: inserts "key":<value> at the key's sorted position.
  // A key already present is a caller bug (std::logic_error).
  void insert_member(std::string_view key, std::string_view string_value);
  // The value is another writer's finished document.
  void insert_member(std::string_view key, const CanonicalWriter& document);

  // The bytes so far; canonical once the document is complete.
  std::string_view view() const { return out_; }
  bool complete() const { return depth_ == 0 && !out_.empty(); }
  // A copy of the finished document (std::logic_error if it is not complete).
  CanonicalBytes bytes() const;

 private:
  // A key already written, kept for the order check and insert_member. A plain key (the usual
  // case) stands in out_ as it is, so it is found there instead of copied; any other key is
  // written escaped, and its raw text is appended to raw_keys_. Plain data, so that inserting a
  // member moves the members after it as bytes.
  struct KeyRef {
    std::size_t at = 0;  // where its text starts: in out_ if plain, else in raw_keys_
    std::size_t size = 0;
    bool plain = true;
  };
  struct Frame {
    bool is_object = false;
    bool has_member = false;
    bool has_key = false;   // objects: a key was written and awaits its value
    KeyRef last_key;        // nested objects (the top level's keys are in members_)
  };
  // A member of the top-level object: where it starts (its opening quote) and its key.
  struct Member {
    std::size_t offset = 0;
    KeyRef key;
  };

  void before_value();
  void open(bool is_object);
  void close(bool is_object);
  void check_utf8(std::string_view text, const char* what) const;
  std::string_view key_text(const KeyRef& key) const;
  void remember_key(KeyRef& ref, std::string_view text, bool plain, std::size_t quote_at);
  void insert_text(std::string_view key, std::string_view value, std::size_t value_depth);

  JsonLimits limits_;
  std::string out_;
  std::vector<Frame> frames_;     // frames_[0 .. depth_) are open
  std::size_t depth_ = 0;
  std::size_t deepest_ = 0;       // deepest nesting reached ("{}" is 1)
  std::vector<Member> members_;   // members_[0 .. member_count_) of the top-level object
  std::size_t member_count_ = 0;
  std::string raw_keys_;  // the raw text of the keys that are not plain, one after another
  std::string scratch_;  // insert_member: the value's text
  std::string member_;   // insert_member: the member's comma and key
};

}  // namespace savm::runtime
