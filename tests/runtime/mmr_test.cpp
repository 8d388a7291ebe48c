#include "runtime/mmr.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "tests/error_code.h"

namespace savm::runtime {
namespace {

// ---- an independent oracle: recursive perfect-subtree hashing over the leaf list -----------------
// Written from the definition (leaf/node tags, greedy power-of-two split, bag right to left) with
// its own SHA-256 framing, sharing nothing with the Mmr class beyond vm::sha256.

Digest naive_hash(std::uint8_t tag, const std::string& body) {
  return vm::sha256(std::string(1, static_cast<char>(tag)) + body);
}

std::string raw(const Digest& d) { return std::string(d.bytes().begin(), d.bytes().end()); }

Digest naive_leaf(const Digest& next_root) { return naive_hash(0x00, raw(next_root)); }

Digest naive_subtree(const std::vector<Digest>& roots, std::size_t first, std::size_t count) {
  if (count == 1) return naive_leaf(roots[first]);
  const std::size_t half = count / 2;
  return naive_hash(0x01, raw(naive_subtree(roots, first, half)) + raw(naive_subtree(roots, first + half, half)));
}

struct NaivePeak {
  std::size_t first;
  std::size_t count;
  Digest hash;
};

std::vector<NaivePeak> naive_peaks(const std::vector<Digest>& roots) {
  std::vector<NaivePeak> peaks;
  std::size_t first = 0;
  while (first < roots.size()) {
    std::size_t count = 1;
    while (count * 2 <= roots.size() - first) count *= 2;
    peaks.push_back({first, count, naive_subtree(roots, first, count)});
    first += count;
  }
  return peaks;
}

std::string naive_root_hex(const std::vector<Digest>& roots) {
  const auto peaks = naive_peaks(roots);
  if (peaks.empty()) return "";
  Digest bag = peaks.back().hash;
  for (std::size_t i = peaks.size() - 1; i-- > 0;) bag = naive_hash(0x01, raw(peaks[i].hash) + raw(bag));
  return bag.hex();
}

// next_root_i = SHA-256 of the ASCII text "receipt-i" (FORMATS.md public check).
Digest receipt_root(std::size_t i) { return vm::sha256("receipt-" + std::to_string(i)); }

std::vector<Digest> receipt_roots(std::size_t n) {
  std::vector<Digest> roots;
  for (std::size_t i = 0; i < n; ++i) roots.push_back(receipt_root(i));
  return roots;
}

Mmr build(const std::vector<Digest>& roots) {
  Mmr mmr;
  for (const auto& r : roots) mmr.append(r);
  return mmr;
}

// ---- public vectors ------------------------------------------------------------------------------

// The published vectors number receipts from 1: the leaves are SHA-256("receipt-1"), then
// SHA-256("receipt-2") (checked independently with Python's hashlib; "receipt-0" does not match).
TEST(Mmr, FormatsPublicVectors) {
  Mmr mmr;
  mmr.append(receipt_root(1));
  EXPECT_EQ(mmr.root_hex(), "29534994a3ad2af6dd418f46d4093897971cd14bea312167ad82c4b31dbbfcec");
  EXPECT_EQ(mmr.root_hex(), mmr_leaf_hash(receipt_root(1)).hex());  // one leaf: the root is the leaf
  mmr.append(receipt_root(2));
  EXPECT_EQ(mmr.root_hex(), "a34e6d5dac1ff07f820cc5156b41a50ce78c6a6868d81d5c5824cad0cab7250b");
}

TEST(Mmr, EmptyRootIsEmptyString) {
  Mmr mmr;
  EXPECT_EQ(mmr.size(), 0u);
  EXPECT_FALSE(mmr.root().has_value());
  EXPECT_EQ(mmr.root_hex(), "");
  EXPECT_TRUE(mmr.peaks().empty());
  EXPECT_THROW(mmr.prove(0), Error);
}

TEST(Mmr, LeafAndNodeFraming) {
  // Hand framing: the leaf is the hash of 33 bytes, the node of 65.
  const Digest a = receipt_root(0), b = receipt_root(1);
  EXPECT_EQ(mmr_leaf_hash(a), vm::sha256(std::string(1, '\0') + raw(a)));
  EXPECT_EQ(mmr_node_hash(a, b), vm::sha256(std::string(1, '\1') + raw(a) + raw(b)));
}

TEST(Mmr, PeakPlans) {
  using V = std::vector<std::uint32_t>;
  EXPECT_EQ(mmr_peak_plan(17), (V{4, 0}));
  EXPECT_EQ(mmr_peak_plan(9), (V{3, 0}));
  EXPECT_EQ(mmr_peak_plan(7), (V{2, 1, 0}));
  EXPECT_EQ(mmr_peak_plan(8), (V{3}));
  EXPECT_EQ(mmr_peak_plan(0), V{});
  EXPECT_EQ(mmr_peak_plan(UINT64_MAX).size(), 64u);
  for (std::size_t n : {17u, 9u, 7u, 8u}) {
    const Mmr mmr = build(receipt_roots(n));
    const auto plan = mmr_peak_plan(n);
    ASSERT_EQ(mmr.peaks().size(), plan.size()) << n;
    for (std::size_t i = 0; i < plan.size(); ++i) EXPECT_EQ(mmr.peaks()[i].height, plan[i]) << n;
  }
}

// ---- exhaustive against the oracle ---------------------------------------------------------------

TEST(Mmr, EverySizeAndIndexAgainstNaiveOracle) {
  const auto all = receipt_roots(64);
  Mmr mmr;
  for (std::size_t n = 1; n <= 64; ++n) {
    mmr.append(all[n - 1]);
    const std::vector<Digest> roots(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    ASSERT_EQ(mmr.root_hex(), naive_root_hex(roots)) << "size " << n;
    const auto peaks = naive_peaks(roots);
    ASSERT_EQ(mmr.peaks().size(), peaks.size());
    for (std::size_t p = 0; p < peaks.size(); ++p) EXPECT_EQ(mmr.peaks()[p].hash, peaks[p].hash);

    for (std::size_t i = 0; i < n; ++i) {
      const MmrProof proof = mmr.prove(i);
      ASSERT_TRUE(verify_inclusion(proof)) << "size " << n << " index " << i;
      EXPECT_EQ(proof.size, n);
      EXPECT_EQ(proof.root.hex(), naive_root_hex(roots));
      EXPECT_EQ(proof.receipt_next_root, all[i]);
      EXPECT_EQ(proof.leaf_hash, naive_leaf(all[i]));
      // The peak the oracle says holds leaf i, and that folding the path reproduces it.
      std::size_t peak = 0;
      while (i >= peaks[peak].first + peaks[peak].count) ++peak;
      EXPECT_EQ(proof.peak_index, peak);
      EXPECT_EQ(std::uint64_t{1} << proof.peak_height, peaks[peak].count);
      Digest cur = naive_leaf(all[i]);
      for (const auto& step : proof.path)
        cur = step.side == MmrSide::kLeft ? naive_hash(0x01, raw(step.hash) + raw(cur))
                                          : naive_hash(0x01, raw(cur) + raw(step.hash));
      EXPECT_EQ(cur, peaks[peak].hash) << "size " << n << " index " << i;
      // And the JSON form round-trips.
      EXPECT_EQ(MmrProof::from_json(proof.to_json()), proof);
    }
  }
}

TEST(Mmr, ResumedFromPeaksEqualsFullAppend) {
  const auto all = receipt_roots(64);
  for (std::size_t checkpoint = 0; checkpoint <= 40; ++checkpoint) {
    Mmr full = build(std::vector<Digest>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(checkpoint)));
    Mmr resumed = Mmr::from_peaks(full.size(), full.peaks());
    EXPECT_EQ(resumed.root_hex(), full.root_hex());
    for (std::size_t n = checkpoint; n < 64; ++n) {
      full.append(all[n]);
      resumed.append(all[n]);
      ASSERT_EQ(resumed.root_hex(), full.root_hex()) << checkpoint << " " << n;
      ASSERT_EQ(resumed.peaks(), full.peaks());
    }
    // Leaves after the checkpoint are provable with identical proofs; earlier ones are refused.
    for (std::size_t i = 0; i < 64; ++i) {
      if (i < checkpoint) {
        EXPECT_THROW(resumed.prove(i), Error);
      } else {
        const MmrProof proof = resumed.prove(i);
        EXPECT_EQ(proof, full.prove(i)) << checkpoint << " " << i;
        EXPECT_TRUE(verify_inclusion(proof));
      }
    }
  }
}

TEST(Mmr, FromPeaksRejectsPeaksOffThePlan) {
  const Mmr seven = build(receipt_roots(7));
  EXPECT_NO_THROW(Mmr::from_peaks(7, seven.peaks()));
  try {
    Mmr::from_peaks(8, seven.peaks());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "mmr.peaks");
  }
  auto wrong_height = seven.peaks();
  wrong_height[1].height = 0;
  EXPECT_THROW(Mmr::from_peaks(7, wrong_height), Error);
  EXPECT_THROW(Mmr::from_peaks(0, seven.peaks()), Error);
  EXPECT_NO_THROW(Mmr::from_peaks(0, {}));
}

// The peaks-only append a zone's chain head uses, against the naive oracle at every size.
TEST(Mmr, AppendToPeaksMatchesTheNaivePeaks) {
  const auto roots = receipt_roots(70);
  std::vector<MmrPeak> peaks;
  for (std::size_t n = 0; n < roots.size(); ++n) {
    mmr_append_to_peaks(n, peaks, roots[n]);
    const auto expected = naive_peaks(std::vector<Digest>(roots.begin(), roots.begin() + static_cast<long>(n + 1)));
    ASSERT_EQ(peaks.size(), expected.size()) << n;
    for (std::size_t i = 0; i < peaks.size(); ++i) {
      EXPECT_EQ(std::uint64_t{1} << peaks[i].height, expected[i].count) << n << " " << i;
      EXPECT_EQ(peaks[i].hash, expected[i].hash) << n << " " << i;
    }
  }
  // Peaks that are not an MMR of the size given are refused, not extended.
  const auto code_of = [&](std::uint64_t size, std::vector<MmrPeak> bad) {
    return testing::error_code([&] { mmr_append_to_peaks(size, bad, roots[0]); });
  };
  auto seven = build(receipt_roots(7)).peaks();
  EXPECT_EQ(code_of(8, seven), "mmr.peaks");
  seven[1].height = 0;
  EXPECT_EQ(code_of(7, seven), "mmr.peaks");
}

TEST(Mmr, ProveOutOfRange) {
  const Mmr mmr = build(receipt_roots(5));
  try {
    mmr.prove(5);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "mmr.index");
  }
}

// ---- tampering -----------------------------------------------------------------------------------

Digest flip(Digest d, std::size_t byte) {
  auto bytes = d.bytes();
  bytes[byte] ^= 0x01;
  return Digest(bytes);
}

TEST(Mmr, TamperedProofsFail) {
  const auto all = receipt_roots(23);
  const Mmr mmr = build(all);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const MmrProof good = mmr.prove(i);
    ASSERT_TRUE(verify_inclusion(good));
    for (std::size_t byte : {0u, 17u, 31u}) {
      MmrProof p = good;
      p.root = flip(p.root, byte);
      EXPECT_FALSE(verify_inclusion(p));
      p = good;
      p.leaf_hash = flip(p.leaf_hash, byte);
      EXPECT_FALSE(verify_inclusion(p));
      p = good;
      p.receipt_next_root = flip(p.receipt_next_root, byte);
      EXPECT_FALSE(verify_inclusion(p));
      for (std::size_t s = 0; s < good.path.size(); ++s) {
        p = good;
        p.path[s].hash = flip(p.path[s].hash, byte);
        EXPECT_FALSE(verify_inclusion(p)) << i << " step " << s;
      }
      for (std::size_t k = 0; k < good.peaks.size(); ++k) {
        if (k == good.peak_index) continue;  // replaced by the folded path, see below
        p = good;
        p.peaks[k].hash = flip(p.peaks[k].hash, byte);
        EXPECT_FALSE(verify_inclusion(p)) << i << " peak " << k;
      }
    }
    for (std::size_t s = 0; s < good.path.size(); ++s) {
      MmrProof p = good;
      p.path[s].side = p.path[s].side == MmrSide::kLeft ? MmrSide::kRight : MmrSide::kLeft;
      EXPECT_FALSE(verify_inclusion(p));
    }
    MmrProof p = good;
    p.leaf_index = (i + 1) % all.size();
    EXPECT_FALSE(verify_inclusion(p)) << "wrong index " << i;
    p = good;
    p.leaf_index = all.size();
    EXPECT_FALSE(verify_inclusion(p));
    p = good;
    p.peak_index = good.peak_index + 1;
    EXPECT_FALSE(verify_inclusion(p));
    p = good;
    p.peak_height = good.peak_height + 1;
    EXPECT_FALSE(verify_inclusion(p));
    p = good;
    p.size = good.size + 1;
    EXPECT_FALSE(verify_inclusion(p));
    p = good;
    p.size = 0;
    EXPECT_FALSE(verify_inclusion(p));
    p = good;
    p.peaks.clear();
    EXPECT_FALSE(verify_inclusion(p));
    if (!good.path.empty()) {
      p = good;
      p.path.pop_back();
      EXPECT_FALSE(verify_inclusion(p));
    }
    p = good;
    p.path.push_back(good.path.empty() ? MmrPathStep{MmrSide::kRight, good.leaf_hash} : good.path.back());
    EXPECT_FALSE(verify_inclusion(p));
    p = good;
    p.computed_peak_root = good.leaf_hash;
    EXPECT_EQ(verify_inclusion(p), good.path.empty());  // a single-leaf peak IS its leaf hash
  }
}

// Leaf 6 of 7 is alone in its peak: a wrong peak in that slot is ignored (replaced by the folded
// path), which is exactly why the verifier recomputes it instead of trusting it.
TEST(Mmr, ClaimedPeakForTheLeafIsRecomputedNotTrusted) {
  const Mmr mmr = build(receipt_roots(7));
  MmrProof p = mmr.prove(6);
  p.peaks[p.peak_index].hash = Digest::zero();
  EXPECT_TRUE(verify_inclusion(p));
}

TEST(Mmr, ProofOfAnotherMmrFails) {
  const Mmr a = build(receipt_roots(9));
  auto other = receipt_roots(9);
  other[8] = vm::sha256("something else");
  const Mmr b = build(other);
  MmrProof p = a.prove(3);
  p.root = *b.root();
  EXPECT_FALSE(verify_inclusion(p));
}

// ---- JSON ----------------------------------------------------------------------------------------

TEST(MmrProofJson, FieldNamesAndHexAreExact) {
  const Mmr mmr = build(receipt_roots(3));
  const Json json = mmr.prove(1).to_json();
  EXPECT_EQ(json["size"], 3);
  EXPECT_EQ(json["leaf_index"], 1);
  EXPECT_EQ(json["peak_index"], 0);
  EXPECT_EQ(json["peak_height"], 1);
  EXPECT_EQ(json["receipt_next_root"], receipt_root(1).hex());
  EXPECT_EQ(json["root"], mmr.root_hex());
  ASSERT_EQ(json["path"].size(), 1u);
  EXPECT_EQ(json["path"][0]["side"], "left");
  EXPECT_EQ(json["path"][0]["hash"], naive_leaf(receipt_root(0)).hex());
  ASSERT_EQ(json["peaks"].size(), 2u);
  EXPECT_EQ(json["peaks"][1]["height"], 0);
  EXPECT_EQ(json["peaks"][1]["hash"], naive_leaf(receipt_root(2)).hex());
  EXPECT_EQ(json.size(), 9u);
}

std::string proof_error(const Json& json) {
  try {
    MmrProof::from_json(json);
  } catch (const Error& e) {
    return e.code() + " " + e.what();
  }
  return "accepted";
}

TEST(MmrProofJson, RejectsMalformed) {
  const Json good = build(receipt_roots(5)).prove(2).to_json();
  auto with = [&](const char* key, Json value) {
    Json j = good;
    j[key] = std::move(value);
    return proof_error(j);
  };
  EXPECT_NE(with("size", -1).find("mmr.proof"), std::string::npos);
  EXPECT_NE(with("size", "5").find("$.size"), std::string::npos);
  EXPECT_NE(with("root", "abc").find("$.root"), std::string::npos);
  EXPECT_NE(with("root", std::string(64, 'g')).find("mmr.proof"), std::string::npos);
  EXPECT_NE(with("peak_height", 64).find("$.peak_height"), std::string::npos);
  EXPECT_NE(with("path", Json::object()).find("$.path"), std::string::npos);
  EXPECT_NE(with("path", Json::array({{{"side", "up"}, {"hash", receipt_root(0).hex()}}})).find("$.path[0].side"),
            std::string::npos);
  EXPECT_NE(with("peaks", Json::array({1})).find("$.peaks[0]"), std::string::npos);
  EXPECT_NE(with("extra", 1).find("unknown field"), std::string::npos);
  Json missing = good;
  missing.erase("leaf_hash");
  EXPECT_NE(proof_error(missing).find("leaf_hash"), std::string::npos);
  EXPECT_NE(proof_error(Json::array()).find("mmr.proof"), std::string::npos);
  // Upper case and surrounding blanks are accepted, as for next_roots.
  EXPECT_EQ(with("root", "  " + build(receipt_roots(5)).root_hex() + "\n"), "accepted");
}

TEST(MmrProofJson, AcceptsMezComputedPeakRoot) {
  const Mmr mmr = build(receipt_roots(6));
  const MmrProof proof = mmr.prove(4);
  Json json = proof.to_json();
  json["computed_peak_root"] = mmr.peaks()[1].hash.hex();
  const MmrProof parsed = MmrProof::from_json(json);
  EXPECT_TRUE(verify_inclusion(parsed));
  json["computed_peak_root"] = mmr.peaks()[0].hash.hex();
  EXPECT_FALSE(verify_inclusion(MmrProof::from_json(json)));
}

// ---- next_root text ------------------------------------------------------------------------------

TEST(MmrHex, TrimsAndLowercases) {
  const std::string hex = receipt_root(0).hex();
  std::string upper = hex;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(parse_mmr_hex(" \t" + upper + "\r\n", "x"), receipt_root(0));
  for (const std::string& bad : {std::string(""), hex.substr(1), hex + "0", "z" + hex.substr(1), "sha256:" + hex}) {
    try {
      parse_mmr_hex(bad, "next_root");
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "mmr.hex");
      EXPECT_NE(std::string(e.what()).find("next_root"), std::string::npos);
    }
  }
}

TEST(MmrHex, LinesSkipBlanksAndNameTheBadLine) {
  const std::string text = receipt_root(0).hex() + "\n\n  \n" + receipt_root(1).hex();
  EXPECT_EQ(parse_next_root_lines(text), (std::vector<Digest>{receipt_root(0), receipt_root(1)}));
  EXPECT_TRUE(parse_next_root_lines("").empty());
  EXPECT_TRUE(parse_next_root_lines("\n\n").empty());
  try {
    parse_next_root_lines(receipt_root(0).hex() + "\n\nnope\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "mmr.hex");
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos);
  }
}

// reserve() only moves allocation out of append: roots, peaks and proofs are those of an MMR
// that grew on its own, also for a resumed MMR and past the reserved size.
TEST(Mmr, ReserveChangesNoResult) {
  const auto leaf = [](std::uint64_t i) { return vm::sha256("receipt-" + std::to_string(i)); };
  Mmr plain, reserved;
  reserved.reserve(20);
  for (std::uint64_t i = 0; i < 37; ++i) {
    plain.append(leaf(i));
    reserved.append(leaf(i));
    ASSERT_EQ(reserved.root(), plain.root()) << i;
    ASSERT_EQ(reserved.peaks(), plain.peaks()) << i;
  }
  for (std::uint64_t i = 0; i < 37; ++i) ASSERT_EQ(reserved.prove(i), plain.prove(i)) << i;
  // Resumed at 11 leaves: later leaves are provable with or without reserve.
  Mmr resumed = Mmr::from_peaks(plain.size(), plain.peaks());
  Mmr resumed_reserved = Mmr::from_peaks(plain.size(), plain.peaks());
  resumed_reserved.reserve(5);
  for (std::uint64_t i = 37; i < 60; ++i) {
    resumed.append(leaf(i));
    resumed_reserved.append(leaf(i));
  }
  ASSERT_EQ(resumed_reserved.root(), resumed.root());
  for (std::uint64_t i = 37; i < 60; ++i) {
    ASSERT_EQ(resumed_reserved.prove(i), resumed.prove(i)) << i;
    ASSERT_TRUE(verify_inclusion(resumed_reserved.prove(i))) << i;
  }
}

}  // namespace
}  // namespace savm::runtime
