// Merkle Mountain Range over corridor receipt roots (FORMATS.md "MMR over receipt roots";
// docs/formats.md "MMR"). Byte-compatible with the MEZ stack's mez-crypto mmr.rs / tools/mmr.py:
//   leaf = SHA-256(0x00 ‖ 32 raw bytes of next_root)
//   node = SHA-256(0x01 ‖ left ‖ right)
//   peaks strictly decreasing in height left to right; root = bag of the peaks right to left;
//   the root of an empty MMR is the empty string.
//
// An inclusion proof lets anyone check that one receipt's next_root is committed by an MMR root
// without seeing the other receipts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/huge_page_allocator.h"
#include "runtime/mcf.h"
#include "vm/crypto/digest.h"

namespace savm::runtime {

using vm::Digest;

// One peak: the root of a perfect subtree of 2^height leaves.
struct MmrPeak {
  std::uint32_t height = 0;
  Digest hash;
  friend bool operator==(const MmrPeak&, const MmrPeak&) = default;
};

// Where a sibling sits relative to the running hash while folding a path bottom-up.
enum class MmrSide { kLeft, kRight };

struct MmrPathStep {
  MmrSide side = MmrSide::kLeft;
  Digest hash;
  friend bool operator==(const MmrPathStep&, const MmrPathStep&) = default;
};

// An inclusion proof. JSON form (to_json/from_json), hex lowercase:
//   {"size", "root", "leaf_index", "receipt_next_root", "leaf_hash", "peak_index", "peak_height",
//    "path": [{"side": "left"|"right", "hash"}], "peaks": [{"height", "hash"}]}
// The MEZ stack also emits "computed_peak_root"; from_json accepts it, and verify_inclusion then
// requires it to equal the peak recomputed from the path. to_json never emits it.
struct MmrProof {
  std::uint64_t size = 0;
  Digest root;
  std::uint64_t leaf_index = 0;
  Digest receipt_next_root;
  Digest leaf_hash;
  std::uint64_t peak_index = 0;
  std::uint32_t peak_height = 0;
  std::vector<MmrPathStep> path;  // siblings inside the leaf's peak subtree, bottom-up
  std::vector<MmrPeak> peaks;     // every peak of the MMR at `size`, left to right
  std::optional<Digest> computed_peak_root;

  Json to_json() const;
  // Validates shape, types and hex; throws Error "mmr.proof" naming the field and the reason.
  // A well-formed proof may still fail verify_inclusion.
  static MmrProof from_json(const Json& json);
  friend bool operator==(const MmrProof&, const MmrProof&) = default;
};

Digest mmr_leaf_hash(const Digest& next_root);
Digest mmr_node_hash(const Digest& left, const Digest& right);

// Heights of the peaks an MMR of `size` leaves has, left to right: the binary digits of `size`
// from the most significant down (17 → {4, 0}; 7 → {2, 1, 0}; 8 → {3}; 0 → {}).
std::vector<std::uint32_t> mmr_peak_plan(std::uint64_t size);

// Bags peaks right to left; nullopt for no peaks (the empty MMR, whose root is "").
std::optional<Digest> mmr_bag_peaks(std::span<const MmrPeak> peaks);

// The wire form of a root: 64 lowercase hex digits, or "" for the empty MMR.
std::string mmr_root_hex(const std::optional<Digest>& root);

// A next_root as the MMR accepts it: surrounding ASCII whitespace trimmed, either case, exactly
// 64 hex digits. Throws Error "mmr.hex" naming `what` otherwise.
Digest parse_mmr_hex(std::string_view text, std::string_view what);

// Parses text with one next_root per line (blank lines ignored). Throws "mmr.hex" naming the
// 1-based line of the first bad entry.
std::vector<Digest> parse_next_root_lines(std::string_view text);

// What appending the leaf for `next_root` does to the peaks of an MMR of `size` leaves (the
// peaks after it are Mmr::append's), for a caller that keeps only the peaks, such as a zone's
// chain head: no nodes are kept, nothing is allocated beyond the peaks. Throws Error
// "mmr.peaks" if `peaks` is not an MMR of `size`, as Mmr::from_peaks does.
void mmr_append_to_peaks(std::uint64_t size, std::vector<MmrPeak>& peaks, const Digest& next_root);

class Mmr {
 public:
  Mmr() = default;

  // Resumes from a checkpoint: `peaks` must match mmr_peak_plan(size) height for height, else
  // Error "mmr.peaks". Leaves before `size` cannot be proven by the resumed MMR (it never saw
  // them); later leaves can, because every sibling they need is a checkpoint peak or was built
  // after resuming.
  static Mmr from_peaks(std::uint64_t size, std::vector<MmrPeak> peaks);

  void append(const Digest& next_root);
  // Makes room for `leaves` more appends, so that they allocate nothing (every node is kept for
  // proofs, so storage grows with the leaves; this moves the growth out of the append path).
  void reserve(std::uint64_t leaves);

  std::uint64_t size() const { return size_; }
  const std::vector<MmrPeak>& peaks() const { return peaks_; }
  std::optional<Digest> root() const { return mmr_bag_peaks(peaks_); }
  std::string root_hex() const { return mmr_root_hex(root()); }

  // O(log n). Throws Error "mmr.index" if index >= size() or the leaf precedes the checkpoint
  // this MMR was resumed from.
  MmrProof prove(std::uint64_t index) const;

 private:
  const Digest* node(std::uint32_t height, std::uint64_t position) const;
  void store(std::uint32_t height, std::uint64_t position, const Digest& hash);

  std::uint64_t size_ = 0;
  std::uint64_t first_provable_ = 0;  // leaves below this were only seen as checkpoint peaks
  std::vector<MmrPeak> peaks_;
  // Every node is kept for proofs: these arrays only grow, into huge pages once large
  // (runtime/huge_page_allocator.h), so that appending does not fault once per 4 KiB.
  using NodeArray = std::vector<Digest, HugePageAllocator<Digest>>;
  NodeArray next_roots_;  // appended next_roots, from first_provable_ on
  // The known nodes of one height: position p is the root of the perfect subtree over leaves
  // [p·2^h, (p+1)·2^h). Known positions are contiguous from `first` (a checkpoint peak, or the
  // first node completed after resuming), so a resumed MMR stores nothing for the leaves it never saw.
  struct Level {
    std::uint64_t first = 0;
    NodeArray hashes;
  };
  std::vector<Level> levels_;
};

// All checks of FORMATS.md / domain-brief §5.5: size > 0, leaf_index < size, leaf_hash is the leaf
// of receipt_next_root, peaks follow the peak plan of size, (peak_index, peak_height) is the peak
// that holds leaf_index, the path has peak_height steps whose sides match the leaf's position, the
// folded path substituted for that peak bags to root (compared in constant time).
bool verify_inclusion(const MmrProof& proof);

}  // namespace savm::runtime
