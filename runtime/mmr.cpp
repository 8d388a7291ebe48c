#include "runtime/mmr.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <stdexcept>
#include <span>
#include <string>
#include <utility>

#include "runtime/error.h"

namespace savm::runtime {
namespace {

constexpr std::uint8_t kLeafTag = 0x00;
constexpr std::uint8_t kNodeTag = 0x01;
// A size is a u64, so no peak is taller than 63 and no path longer than 63 steps.
constexpr std::uint32_t kMaxHeight = 63;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// ---- proof JSON --------------------------------------------------------------------------------

[[noreturn]] void bad_proof(const std::string& where, const std::string& why) {
  throw Error("mmr.proof", "MMR proof " + where + ": " + why);
}

const Json& member(const Json& object, const char* name, const std::string& where) {
  const auto it = object.find(name);
  if (it == object.end()) bad_proof(where, std::string("missing field \"") + name + "\"");
  return *it;
}

std::uint64_t read_count(const Json& object, const char* name, const std::string& where) {
  const Json& value = member(object, name, where);
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  bad_proof(where + "." + name, "must be a non-negative integer");
}

std::uint32_t read_height(const Json& object, const char* name, const std::string& where) {
  const std::uint64_t height = read_count(object, name, where);
  if (height > kMaxHeight) bad_proof(where + "." + name, "height above " + std::to_string(kMaxHeight));
  return static_cast<std::uint32_t>(height);
}

Digest read_hash(const Json& object, const char* name, const std::string& where) {
  const Json& value = member(object, name, where);
  if (!value.is_string()) bad_proof(where + "." + name, "must be a string of 64 hex digits");
  const auto& text = value.get_ref<const std::string&>();
  const auto digest = Digest::from_hex(trim(text));
  if (!digest) bad_proof(where + "." + name, "must be 64 hex digits");
  return *digest;
}

const Json& read_array(const Json& object, const char* name, const std::string& where) {
  const Json& value = member(object, name, where);
  if (!value.is_array()) bad_proof(where + "." + name, "must be an array");
  return value;
}

void reject_unknown_fields(const Json& object, std::initializer_list<std::string_view> known,
                           const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (const auto name : known) found = found || key == name;
    if (!found) bad_proof(where, "unknown field \"" + key + "\"");
  }
}

MmrPathStep read_step(const Json& json, const std::string& where) {
  if (!json.is_object()) bad_proof(where, "must be an object {side, hash}");
  reject_unknown_fields(json, {"side", "hash"}, where);
  const Json& side = member(json, "side", where);
  MmrPathStep step;
  if (side == "left") {
    step.side = MmrSide::kLeft;
  } else if (side == "right") {
    step.side = MmrSide::kRight;
  } else {
    bad_proof(where + ".side", "must be \"left\" or \"right\"");
  }
  step.hash = read_hash(json, "hash", where);
  return step;
}

MmrPeak read_peak(const Json& json, const std::string& where) {
  if (!json.is_object()) bad_proof(where, "must be an object {height, hash}");
  reject_unknown_fields(json, {"height", "hash"}, where);
  return MmrPeak{read_height(json, "height", where), read_hash(json, "hash", where)};
}

// The peak (index into the peak plan) whose subtree holds leaf `index`, and the first leaf of it.
struct PeakSlot {
  std::size_t peak_index;
  std::uint32_t height;
  std::uint64_t first_leaf;
};

std::optional<PeakSlot> locate_leaf(std::uint64_t size, std::uint64_t index) {
  if (index >= size) return std::nullopt;
  std::uint64_t first = 0;
  std::size_t peak = 0;
  for (const std::uint32_t height : mmr_peak_plan(size)) {
    const std::uint64_t width = std::uint64_t{1} << height;
    if (index - first < width) return PeakSlot{peak, height, first};
    first += width;
    ++peak;
  }
  return std::nullopt;  // unreachable: the plan covers [0, size)
}

// Throws "mmr.peaks" unless `peaks` has exactly the heights of an MMR of `size` leaves: the
// binary digits of `size`, most significant first (mmr_peak_plan).
void check_peaks(std::uint64_t size, std::span<const MmrPeak> peaks) {
  const auto expected = static_cast<std::size_t>(std::popcount(size));
  if (peaks.size() != expected) {
    throw Error("mmr.peaks", "an MMR of size " + std::to_string(size) + " has " + std::to_string(expected) +
                                 " peaks, got " + std::to_string(peaks.size()));
  }
  std::uint64_t rest = size;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    const auto height = static_cast<std::uint32_t>(std::bit_width(rest) - 1);
    if (peaks[i].height != height) {
      throw Error("mmr.peaks", "peak " + std::to_string(i) + " of an MMR of size " + std::to_string(size) +
                                   " has height " + std::to_string(height) + ", got " + std::to_string(peaks[i].height));
    }
    rest &= ~(std::uint64_t{1} << height);
  }
}

// Appends the leaf for `next_root` to `peaks` (an MMR of `size` leaves): the leaf, then every
// merge with an equal-height peak on its left. `on_node(height, position, hash)` sees each node
// made, the leaf first (Mmr keeps them for proofs).
template <typename OnNode>
void append_leaf(std::uint64_t size, std::vector<MmrPeak>& peaks, const Digest& next_root, OnNode on_node) {
  if (size == UINT64_MAX) throw Error("mmr.size", "the MMR holds 2^64-1 leaves and cannot grow");
  std::uint64_t position = size;  // position of `cur` among nodes of height `height`
  std::uint32_t height = 0;
  Digest cur = mmr_leaf_hash(next_root);
  on_node(0, position, cur);
  while (!peaks.empty() && peaks.back().height == height) {
    cur = mmr_node_hash(peaks.back().hash, cur);
    peaks.pop_back();
    ++height;
    position >>= 1;
    on_node(height, position, cur);
  }
  peaks.push_back(MmrPeak{height, cur});
}

}  // namespace

// ---- hashing and plans ---------------------------------------------------------------------------

// One-shot hashes of a stack buffer: every append makes one leaf and on average one node, so the
// incremental hasher's state setup would be a visible share of an append.
Digest mmr_leaf_hash(const Digest& next_root) {
  std::array<std::uint8_t, 1 + Digest::kSize> input;
  input[0] = kLeafTag;
  std::copy(next_root.bytes().begin(), next_root.bytes().end(), input.begin() + 1);
  return vm::sha256(input);
}

Digest mmr_node_hash(const Digest& left, const Digest& right) {
  std::array<std::uint8_t, 1 + 2 * Digest::kSize> input;
  input[0] = kNodeTag;
  std::copy(left.bytes().begin(), left.bytes().end(), input.begin() + 1);
  std::copy(right.bytes().begin(), right.bytes().end(), input.begin() + 1 + Digest::kSize);
  return vm::sha256(input);
}

std::vector<std::uint32_t> mmr_peak_plan(std::uint64_t size) {
  std::vector<std::uint32_t> heights;
  for (std::uint32_t bit = 64; bit-- > 0;)
    if ((size >> bit) & 1U) heights.push_back(bit);
  return heights;
}

std::optional<Digest> mmr_bag_peaks(std::span<const MmrPeak> peaks) {
  if (peaks.empty()) return std::nullopt;
  Digest bag = peaks.back().hash;
  for (std::size_t i = peaks.size() - 1; i-- > 0;) bag = mmr_node_hash(peaks[i].hash, bag);
  return bag;
}

std::string mmr_root_hex(const std::optional<Digest>& root) { return root ? root->hex() : ""; }

Digest parse_mmr_hex(std::string_view text, std::string_view what) {
  const std::string_view trimmed = trim(text);
  const auto digest = Digest::from_hex(trimmed);
  if (!digest) {
    throw Error("mmr.hex", std::string(what) + ": expected 64 hex digits, got " +
                               std::to_string(trimmed.size()) + " characters");
  }
  return *digest;
}

std::vector<Digest> parse_next_root_lines(std::string_view text) {
  std::vector<Digest> roots;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    ++line_number;
    if (!trim(line).empty()) roots.push_back(parse_mmr_hex(line, "line " + std::to_string(line_number)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return roots;
}

// ---- the MMR -------------------------------------------------------------------------------------

Mmr Mmr::from_peaks(std::uint64_t size, std::vector<MmrPeak> peaks) {
  check_peaks(size, peaks);
  Mmr mmr;
  std::uint64_t first = 0;
  for (const MmrPeak& peak : peaks) {
    mmr.store(peak.height, first >> peak.height, peak.hash);
    first += std::uint64_t{1} << peak.height;
  }
  mmr.size_ = size;
  mmr.first_provable_ = size;
  mmr.peaks_ = std::move(peaks);
  return mmr;
}

void Mmr::reserve(std::uint64_t leaves) {
  const std::uint64_t total = size_ + leaves;
  next_roots_.reserve(static_cast<std::size_t>(total - first_provable_));
  const auto heights = static_cast<std::size_t>(std::bit_width(total));
  if (levels_.size() < heights) levels_.resize(heights);
  for (std::size_t height = 0; height < heights; ++height) {
    Level& level = levels_[height];
    const std::uint64_t first = level.hashes.empty() ? (first_provable_ >> height) : level.first;
    const std::uint64_t last = total >> height;  // positions below this can complete
    if (last > first) level.hashes.reserve(static_cast<std::size_t>(last - first));
  }
  peaks_.reserve(kMaxHeight + 1);
}

void Mmr::append(const Digest& next_root) {
  append_leaf(size_, peaks_, next_root,
              [this](std::uint32_t height, std::uint64_t position, const Digest& hash) { store(height, position, hash); });
  next_roots_.push_back(next_root);
  ++size_;
}

void mmr_append_to_peaks(std::uint64_t size, std::vector<MmrPeak>& peaks, const Digest& next_root) {
  check_peaks(size, peaks);
  append_leaf(size, peaks, next_root, [](std::uint32_t, std::uint64_t, const Digest&) {});
}

MmrProof Mmr::prove(std::uint64_t index) const {
  if (index >= size_) {
    throw Error("mmr.index", "leaf " + std::to_string(index) + " is not in an MMR of size " + std::to_string(size_));
  }
  if (index < first_provable_) {
    throw Error("mmr.index", "leaf " + std::to_string(index) + " precedes the checkpoint (size " +
                                 std::to_string(first_provable_) + ") this MMR was resumed from");
  }
  const PeakSlot slot = *locate_leaf(size_, index);
  MmrProof proof;
  proof.size = size_;
  proof.root = *root();
  proof.leaf_index = index;
  proof.receipt_next_root = next_roots_[index - first_provable_];
  proof.leaf_hash = mmr_leaf_hash(proof.receipt_next_root);
  proof.peak_index = slot.peak_index;
  proof.peak_height = slot.height;
  proof.peaks = peaks_;
  std::uint64_t position = index;
  for (std::uint32_t height = 0; height < slot.height; ++height, position >>= 1) {
    const bool sibling_on_left = (position & 1U) != 0;
    const Digest* sibling = node(height, position ^ 1U);
    // Every sibling is post-checkpoint or a checkpoint peak (mmr.h), so this is an invariant.
    if (sibling == nullptr) throw std::logic_error("Mmr::prove: missing node");
    proof.path.push_back(MmrPathStep{sibling_on_left ? MmrSide::kLeft : MmrSide::kRight, *sibling});
  }
  return proof;
}

const Digest* Mmr::node(std::uint32_t height, std::uint64_t position) const {
  if (height >= levels_.size()) return nullptr;
  const Level& level = levels_[height];
  if (position < level.first || position - level.first >= level.hashes.size()) return nullptr;
  return &level.hashes[position - level.first];
}

void Mmr::store(std::uint32_t height, std::uint64_t position, const Digest& hash) {
  if (levels_.size() <= height) levels_.resize(height + 1);
  Level& level = levels_[height];
  if (level.hashes.empty()) level.first = position;
  // Nodes of one height complete left to right, so a gap would mean a broken append.
  if (position != level.first + level.hashes.size()) throw std::logic_error("Mmr::store: non-contiguous node");
  level.hashes.push_back(hash);
}

// ---- verification --------------------------------------------------------------------------------

bool verify_inclusion(const MmrProof& proof) {
  if (proof.size == 0 || proof.leaf_index >= proof.size) return false;
  if (!vm::equal_constant_time(proof.leaf_hash, mmr_leaf_hash(proof.receipt_next_root))) return false;
  const std::vector<std::uint32_t> plan = mmr_peak_plan(proof.size);
  if (proof.peaks.empty() || proof.peaks.size() != plan.size()) return false;
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (proof.peaks[i].height != plan[i]) return false;
  const PeakSlot slot = *locate_leaf(proof.size, proof.leaf_index);
  if (proof.peak_index != slot.peak_index || proof.peak_height != slot.height) return false;
  if (proof.path.size() != slot.height) return false;

  Digest cur = proof.leaf_hash;
  std::uint64_t offset = proof.leaf_index - slot.first_leaf;
  for (const MmrPathStep& step : proof.path) {
    // The side is determined by the leaf's position; a proof claiming otherwise is for another leaf.
    const MmrSide expected = (offset & 1U) != 0 ? MmrSide::kLeft : MmrSide::kRight;
    if (step.side != expected) return false;
    cur = step.side == MmrSide::kLeft ? mmr_node_hash(step.hash, cur) : mmr_node_hash(cur, step.hash);
    offset >>= 1;
  }
  if (proof.computed_peak_root && !vm::equal_constant_time(*proof.computed_peak_root, cur)) return false;

  std::vector<MmrPeak> peaks = proof.peaks;
  peaks[slot.peak_index].hash = cur;
  return vm::equal_constant_time(*mmr_bag_peaks(peaks), proof.root);
}

// ---- JSON ---------------------------------------------------------------------------------------

Json MmrProof::to_json() const {
  Json path_json = Json::array();
  for (const MmrPathStep& step : path)
    path_json.push_back({{"side", step.side == MmrSide::kLeft ? "left" : "right"}, {"hash", step.hash.hex()}});
  Json peaks_json = Json::array();
  for (const MmrPeak& peak : peaks) peaks_json.push_back({{"height", peak.height}, {"hash", peak.hash.hex()}});
  return Json{{"size", size},
              {"root", root.hex()},
              {"leaf_index", leaf_index},
              {"receipt_next_root", receipt_next_root.hex()},
              {"leaf_hash", leaf_hash.hex()},
              {"peak_index", peak_index},
              {"peak_height", peak_height},
              {"path", std::move(path_json)},
              {"peaks", std::move(peaks_json)}};
}

MmrProof MmrProof::from_json(const Json& json) {
  const std::string where = "$";
  if (!json.is_object()) bad_proof(where, "must be a JSON object");
  reject_unknown_fields(json,
                        {"size", "root", "leaf_index", "receipt_next_root", "leaf_hash", "peak_index",
                         "peak_height", "path", "peaks", "computed_peak_root"},
                        where);
  MmrProof proof;
  proof.size = read_count(json, "size", where);
  proof.root = read_hash(json, "root", where);
  proof.leaf_index = read_count(json, "leaf_index", where);
  proof.receipt_next_root = read_hash(json, "receipt_next_root", where);
  proof.leaf_hash = read_hash(json, "leaf_hash", where);
  proof.peak_index = read_count(json, "peak_index", where);
  proof.peak_height = read_height(json, "peak_height", where);
  const Json& path = read_array(json, "path", where);
  if (path.size() > kMaxHeight) bad_proof("$.path", "longer than " + std::to_string(kMaxHeight) + " steps");
  for (std::size_t i = 0; i < path.size(); ++i)
    proof.path.push_back(read_step(path[i], "$.path[" + std::to_string(i) + "]"));
  const Json& peaks = read_array(json, "peaks", where);
  if (peaks.size() > kMaxHeight + 1) bad_proof("$.peaks", "more than 64 peaks");
  for (std::size_t i = 0; i < peaks.size(); ++i)
    proof.peaks.push_back(read_peak(peaks[i], "$.peaks[" + std::to_string(i) + "]"));
  if (json.contains("computed_peak_root")) proof.computed_peak_root = read_hash(json, "computed_peak_root", where);
  return proof;
}

}  // namespace savm::runtime
