#include "runtime/keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "tests/runtime/rfc8032_vectors.h"
#include "tests/error_code.h"

namespace savm::runtime {
namespace {

using testing::error_code;
using namespace rfc8032;

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
