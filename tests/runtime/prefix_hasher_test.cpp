// PrefixHasher resumes SHA-256 from the blocks an input shares with the one before; every digest
// must still be SHA-256 of the whole input (oracles: FIPS 180-2 vectors and the one-shot hash).
#include "runtime/prefix_hasher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace savm::runtime {
namespace {

TEST(PrefixHasher, KnownVectorsThroughEveryPath) {
  // FIPS 180-2 appendix B.1 ("abc") and B.2 (56 bytes, two blocks once padded).
  const std::string abc_hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const std::string two_hex = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  const std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  PrefixHasher hasher;
  EXPECT_EQ(hasher.hash("abc").hex(), abc_hex);          // nothing before: no prefix
  EXPECT_EQ(hasher.hash(two).hex(), two_hex);            // shares "a" only: no whole block
  EXPECT_EQ(hasher.hash("abc").hex(), abc_hex);
  // 1,000,000 'a' (FIPS 180-2 B.3), after a shorter run of 'a' shares whole blocks with it.
  const std::string million(1'000'000, 'a');
  hasher.hash(std::string(200, 'a'));
  EXPECT_EQ(hasher.hash(million).hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(hasher.hash(million).hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Inputs sharing 0..200 leading bytes with the previous one, around block boundaries, shorter
// and longer than the kept prefix, equal to it: each digest equals the one-shot hash.
TEST(PrefixHasher, EveryDigestIsTheHashOfTheWholeInput) {
  PrefixHasher hasher;
  std::string base(300, 'x');
  for (std::size_t i = 0; i < base.size(); ++i) base[i] = static_cast<char>('a' + i % 26);
  std::vector<std::string> inputs;
  for (const std::size_t shared : {0, 1, 63, 64, 65, 127, 128, 129, 192, 200}) {
    for (const std::size_t size : {shared, shared + 1, shared + 64, std::size_t{300}}) {
      std::string input = base.substr(0, std::min(size, base.size()));
      if (shared < input.size()) input[shared] = '#';  // differs right after the shared part
      inputs.push_back(input);
      inputs.push_back(input);  // the same input again resumes from its own prefix
    }
  }
  inputs.push_back("");
  inputs.push_back(base.substr(0, 64));
  inputs.push_back(base.substr(0, 128));
  inputs.push_back(base.substr(0, 64));  // shorter than the kept prefix
  for (const std::string& input : inputs) {
    EXPECT_EQ(hasher.hash(input), vm::sha256(input)) << input.size();
  }
}

}  // namespace
}  // namespace savm::runtime
