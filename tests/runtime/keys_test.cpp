#include "runtime/keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "tests/error_code.h"

namespace savm::runtime {
namespace {

using testing::error_code;

std::vector<std::uint8_t> unhex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

KeyPair from_seed_hex(const std::string& hex) {
  const auto bytes = unhex(hex);
  return KeyPair::from_seed(std::span<const std::uint8_t, 32>(bytes.data(), 32));
}

// RFC 8032 §7.1, typed from the RFC (also cross-checked with OpenSSL through Python's
// `cryptography`): secret seed, public key, message, signature.
struct RfcVector {
  const char* name;
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

const RfcVector kRfc8032[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

TEST(Ed25519, Rfc8032Vectors) {
  for (const RfcVector& v : kRfc8032) {
    const KeyPair key = from_seed_hex(v.secret);
    EXPECT_EQ(key.public_key().hex(), v.public_key) << v.name;
    const auto message = unhex(v.message);
    const Signature sig = key.sign_raw(message);
    EXPECT_EQ(sig.hex(), v.signature) << v.name;
    EXPECT_TRUE(verify_raw(PublicKey::from_hex(v.public_key), message, Signature::from_hex(v.signature))) << v.name;
  }
}

TEST(Ed25519, TamperedMessageKeyOrSignatureFails) {
  for (const RfcVector& v : kRfc8032) {
    const PublicKey pk = PublicKey::from_hex(v.public_key);
    const Signature good = Signature::from_hex(v.signature);
    auto message = unhex(v.message);
    ASSERT_TRUE(verify_raw(pk, message, good));
    message.push_back(0);
    EXPECT_FALSE(verify_raw(pk, message, good)) << v.name;
    message.pop_back();
    for (std::size_t byte = 0; byte < Signature::kSize; byte += 7) {
      auto bytes = good.bytes();
      bytes[byte] ^= 0x01;
      EXPECT_FALSE(verify_raw(pk, message, Signature(bytes))) << v.name << " byte " << byte;
    }
    auto key_bytes = pk.bytes();
    key_bytes[0] ^= 0x01;
    EXPECT_FALSE(verify_raw(PublicKey(key_bytes), message, good)) << v.name;
  }
}

TEST(Ed25519, SignsCanonicalBytesAndFraming) {
  const KeyPair key = from_seed_hex(kRfc8032[0].secret);
  const CanonicalBytes doc = canonicalize_text(R"({"b":2,"a":1})");
  const Signature sig = key.sign(doc);
  // Identical to the raw primitive over the canonical text "{"a":1,"b":2}".
  const std::string canonical = R"({"a":1,"b":2})";
  EXPECT_EQ(sig, key.sign_raw(std::span(reinterpret_cast<const std::uint8_t*>(canonical.data()), canonical.size())));
  EXPECT_TRUE(verify(key.public_key(), doc, sig));
  EXPECT_FALSE(verify(key.public_key(), canonicalize_text(R"({"a":1,"b":3})"), sig));
  const Signature framed = key.sign("hdr.", doc);
  EXPECT_TRUE(verify(key.public_key(), "hdr.", doc, framed));
  EXPECT_FALSE(verify(key.public_key(), "hdr:", doc, framed));
  EXPECT_FALSE(verify(key.public_key(), doc, framed));
  // Deterministic (RFC 8032): the same key and message always give the same signature.
  EXPECT_EQ(key.sign(doc), sig);
}

TEST(Ed25519, GeneratedKeysDifferAndWork) {
  const KeyPair a = KeyPair::generate();
  const KeyPair b = KeyPair::generate();
  EXPECT_NE(a.public_key(), b.public_key());
  const CanonicalBytes doc = canonicalize_text("{}");
  EXPECT_TRUE(verify(a.public_key(), doc, a.sign(doc)));
  EXPECT_FALSE(verify(b.public_key(), doc, a.sign(doc)));
}

TEST(Ed25519, MovedKeyKeepsWorking) {
  KeyPair a = from_seed_hex(kRfc8032[1].secret);
  KeyPair b = std::move(a);
  EXPECT_EQ(b.public_key().hex(), kRfc8032[1].public_key);
  KeyPair c = KeyPair::generate();
  c = std::move(b);
  EXPECT_EQ(c.sign_raw(unhex("72")).hex(), kRfc8032[1].signature);
  static_assert(!std::is_copy_constructible_v<KeyPair> && !std::is_copy_assignable_v<KeyPair>);
}

TEST(Ed25519, HexInputsAreChecked) {
  EXPECT_EQ(error_code([] { PublicKey::from_hex("abcd"); }), "key.length");
  EXPECT_EQ(error_code([] { PublicKey::from_hex(std::string(64, 'x')); }), "key.hex");
  EXPECT_EQ(error_code([] { PublicKey::from_hex(std::string(kRfc8032[0].public_key) + "00"); }), "key.length");
  EXPECT_EQ(error_code([] { Signature::from_hex(std::string(127, 'a')); }), "key.length");
  EXPECT_EQ(error_code([] { Signature::from_hex(std::string(126, 'a') + " a"); }), "key.hex");
  EXPECT_EQ(PublicKey::from_hex("D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A").hex(),
            kRfc8032[0].public_key);
}

// ---- key files -----------------------------------------------------------------------------------

class KeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("savm-keys-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path path(const char* name) const { return dir_ / name; }
  void write_text(const std::filesystem::path& p, const std::string& text, mode_t mode = 0600) const {
    std::ofstream(p) << text;
    ::chmod(p.c_str(), mode);
  }

  std::filesystem::path dir_;
};

TEST_F(KeyFile, RoundTripWithMode0600) {
  const KeyPair key = from_seed_hex(kRfc8032[2].secret);
  write_key_file(path("k.json"), key);
  struct stat st {};
  ASSERT_EQ(::stat(path("k.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const KeyPair back = read_key_file(path("k.json"));
  EXPECT_EQ(back.public_key(), key.public_key());
  EXPECT_EQ(back.sign_raw(unhex("af82")).hex(), kRfc8032[2].signature);
  // The documented layout, with the RFC seed in it.
  std::ifstream in(path("k.json"));
  const Json json = Json::parse(in);
  EXPECT_EQ(json["type"], "SAVMEd25519KeyPair");
  EXPECT_EQ(json["public_key"], kRfc8032[2].public_key);
  EXPECT_EQ(json["secret_seed"], kRfc8032[2].secret);
  EXPECT_EQ(json.size(), 3u);
  // No temporary left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), std::filesystem::directory_iterator()), 1);
}

TEST_F(KeyFile, OverwriteRefused) {
  write_key_file(path("k.json"), from_seed_hex(kRfc8032[0].secret));
  EXPECT_EQ(error_code([&] { write_key_file(path("k.json"), from_seed_hex(kRfc8032[1].secret)); }), "key.exists");
  EXPECT_EQ(read_key_file(path("k.json")).public_key().hex(), kRfc8032[0].public_key);
  write_text(path("other"), "not a key");
  EXPECT_EQ(error_code([&] { write_key_file(path("other"), from_seed_hex(kRfc8032[1].secret)); }), "key.exists");
  EXPECT_EQ(error_code([&] { write_key_file(dir_ / "missing-dir" / "k.json", KeyPair::generate()); }), "key.io");
}

TEST_F(KeyFile, GroupOrWorldAccessRefused) {
  write_key_file(path("k.json"), from_seed_hex(kRfc8032[0].secret));
  for (mode_t mode : {0640, 0604, 0644, 0660, 0601}) {
    ::chmod(path("k.json").c_str(), mode);
    EXPECT_EQ(error_code([&] { read_key_file(path("k.json")); }), "key.permissions") << std::oct << mode;
  }
  ::chmod(path("k.json").c_str(), 0400);
  EXPECT_NO_THROW(read_key_file(path("k.json")));
  EXPECT_EQ(error_code([&] { read_key_file(dir_); }), "key.permissions");
  EXPECT_EQ(error_code([&] { read_key_file(path("absent")); }), "key.io");
}

TEST_F(KeyFile, MalformedFilesRejected) {
  const std::string pk = kRfc8032[0].public_key, seed = kRfc8032[0].secret;
  auto code_for = [&](const std::string& text) {
    write_text(path("k.json"), text);
    const std::string code = error_code([&] { read_key_file(path("k.json")); });
    std::filesystem::remove(path("k.json"));
    return code;
  };
  auto file = [](const std::string& type, const std::string& p, const std::string& s) {
    return R"({"type":")" + type + R"(","public_key":")" + p + R"(","secret_seed":")" + s + R"("})";
  };
  EXPECT_EQ(code_for(file("SAVMEd25519KeyPair", pk, seed)), "no error");
  EXPECT_EQ(code_for(file("SAVMEd25519KeyPair", pk, seed.substr(2))), "key.length");
  EXPECT_EQ(code_for(file("SAVMEd25519KeyPair", pk, seed + "00")), "key.length");
  EXPECT_EQ(code_for(file("SAVMEd25519KeyPair", pk, "zz" + seed.substr(2))), "key.hex");
  EXPECT_EQ(code_for(file("SAVMEd25519KeyPair", pk.substr(1), seed)), "key.length");
  EXPECT_EQ(code_for(file("SAVMEd25519KeyPair", kRfc8032[1].public_key, seed)), "key.mismatch");
  EXPECT_EQ(code_for(file("RSA", pk, seed)), "key.format");
  EXPECT_EQ(code_for("not json"), "key.format");
  EXPECT_EQ(code_for("[]"), "key.format");
  EXPECT_EQ(code_for(R"({"type":"SAVMEd25519KeyPair","public_key":")" + pk + "\"}"), "key.format");
  EXPECT_EQ(code_for(R"({"type":"SAVMEd25519KeyPair","public_key":")" + pk + R"(","secret_seed":")" + seed +
                     R"(","comment":1})"),
            "key.format");
  EXPECT_EQ(code_for(std::string(5000, ' ')), "key.format");
}

TEST_F(KeyFile, PublicKeyFiles) {
  const KeyPair key = from_seed_hex(kRfc8032[3].secret);
  write_public_key_file(path("k.pub"), key.public_key());
  EXPECT_EQ(read_public_key_file(path("k.pub")), key.public_key());
  EXPECT_EQ(error_code([&] { write_public_key_file(path("k.pub"), key.public_key()); }), "key.exists");
  // A key pair file serves as a public key, still under the secret-file permission rule.
  write_key_file(path("k.json"), key);
  EXPECT_EQ(read_public_key_file(path("k.json")), key.public_key());
  ::chmod(path("k.json").c_str(), 0644);
  EXPECT_EQ(error_code([&] { read_public_key_file(path("k.json")); }), "key.permissions");
  write_text(path("bad.pub"), R"({"type":"SAVMEd25519PublicKey","public_key":"00"})", 0644);
  EXPECT_EQ(error_code([&] { read_public_key_file(path("bad.pub")); }), "key.length");
}

}  // namespace
}  // namespace savm::runtime
