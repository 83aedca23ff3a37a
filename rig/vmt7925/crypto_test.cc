// Known-answer tests for the device's ciphers. Vector sources:
// - CCMP: IEEE Std 802.11-2020 Annex J.6.4 "CCMP test vector" (TK c97c1f67..., PN
//   0xB5039776E70C, a data MPDU with Retry set, so the AAD masking is exercised).
// - GCM: McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test case 4
//   (AES-128, 60-byte plaintext, 20-byte AAD), the vector NIST's GCM validation also uses.
// - CMAC: RFC 4493 section 4, examples 1 and 2 (AES-128 key 2b7e1516...).
// GCMP and BIP at the MPDU level are checked by round trips and tamper tests on top of the
// primitives above.

#include "rig/vmt7925/crypto.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace vmt {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Hex(const char* s) {
  Bytes b;
  auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (; s[0] && s[1]; s += 2) {
    while (*s == ' ') ++s;
    b.push_back(static_cast<uint8_t>(nib(s[0]) << 4 | nib(s[1])));
  }
  return b;
}

const Bytes kCcmpTk = Hex("c97c1f67ce371185514a8a19f2bdd52f");
const Bytes kCcmpHdr =
    Hex("08 48 c3 2c 0f d2 e1 28 a5 7c 50 30 f1 84 44 08 ab ae a5 b8 fc ba 80 33");
const Bytes kCcmpPlain = Hex("f8 ba 1a 55 d0 2f 85 ae 96 7b b6 2f b6 cd a8 eb 7e 78 a0 50");
const Bytes kCcmpEncrypted =
    Hex("08 48 c3 2c 0f d2 e1 28 a5 7c 50 30 f1 84 44 08 ab ae a5 b8 fc ba 80 33"  // header
        "0c e7 00 20 76 97 03 b5"                                                  // CCMP header
        "f3 d0 a2 fe 9a 3d bf 23 42 a6 43 e4 32 46 e8 0c 3c 04 d0 19"              // data
        "78 45 ce 0b 16 f9 76 23");                                                // MIC
constexpr uint64_t kCcmpPn = 0xB5039776E70C;

TEST(CcmpTest, EncryptsTheAnnexVector) {
  Bytes plain = kCcmpHdr;
  plain[1] &= static_cast<uint8_t>(~0x40);  // the device gets it unprotected
  plain.insert(plain.end(), kCcmpPlain.begin(), kCcmpPlain.end());
  Bytes out;
  ASSERT_TRUE(EncryptMpdu(Cipher::kCcmp, kCcmpTk.data(), 16, kCcmpPn, 0, plain, &out));
  EXPECT_EQ(out, kCcmpEncrypted);
}

TEST(CcmpTest, DecryptsTheAnnexVectorAndKeepsTheProtectedBit) {
  Bytes out;
  uint64_t pn = 0;
  uint8_t key_id = 9;
  ASSERT_TRUE(DecryptMpdu(Cipher::kCcmp, kCcmpTk.data(), 16, kCcmpEncrypted.data(),
                          kCcmpEncrypted.size(), &out, &pn, &key_id));
  EXPECT_EQ(pn, kCcmpPn);
  EXPECT_EQ(key_id, 0);
  Bytes want = kCcmpHdr;
  want.insert(want.end(), kCcmpPlain.begin(), kCcmpPlain.end());
  EXPECT_EQ(out, want);
}

TEST(CcmpTest, RejectsATamperedFrame) {
  for (size_t i : {1u, 5u, 12u, 30u, 40u, 59u}) {  // FC, A1, A2, PN, data, MIC
    Bytes bad = kCcmpEncrypted;
    bad[i] ^= 0x04;  // Retry (FC byte 1 bit 3) is masked out of the AAD: avoid it
    if (i == 1) bad[i] ^= 0x04 ^ 0x01;
    Bytes out;
    uint64_t pn;
    uint8_t kid;
    EXPECT_FALSE(
        DecryptMpdu(Cipher::kCcmp, kCcmpTk.data(), 16, bad.data(), bad.size(), &out, &pn, &kid))
        << "byte " << i;
  }
}

TEST(CcmpTest, RetryBitIsOutsideTheAad) {
  Bytes f = kCcmpEncrypted;
  f[1] &= static_cast<uint8_t>(~0x08);
  Bytes out;
  uint64_t pn;
  uint8_t kid;
  EXPECT_TRUE(DecryptMpdu(Cipher::kCcmp, kCcmpTk.data(), 16, f.data(), f.size(), &out, &pn, &kid));
}

TEST(GcmTest, McGrewViegaCase4) {
  const Bytes key = Hex("feffe9928665731c6d6a8f9467308308");
  const Bytes iv = Hex("cafebabefacedbaddecaf888");
  const Bytes pt =
      Hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
          "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const Bytes aad = Hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const Bytes want =
      Hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
          "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
          "5bc94fbc3221a5db94fae95ae7121a47");
  Bytes out(pt.size() + 16);
  ASSERT_TRUE(AesGcmSeal(key.data(), 16, iv.data(), aad.data(), aad.size(), pt.data(), pt.size(),
                         out.data()));
  EXPECT_EQ(out, want);
}

TEST(CmacTest, Rfc4493Examples) {
  const Bytes key = Hex("2b7e151628aed2a6abf7158809cf4f3c");
  uint8_t mac[16];
  ASSERT_TRUE(AesCmac(key.data(), 16, nullptr, 0, mac));
  EXPECT_EQ(Bytes(mac, mac + 16), Hex("bb1d6929e95937287fa37d129b756746"));
  const Bytes m = Hex("6bc1bee22e409f96e93d7e117393172a");
  ASSERT_TRUE(AesCmac(key.data(), 16, m.data(), m.size(), mac));
  EXPECT_EQ(Bytes(mac, mac + 16), Hex("070a16b46b4d4144f79bdd9dd04a287c"));
}

Bytes QosDataFrame() {
  // QoS data, ToDS, A1 = BSSID, A2 = STA, A3 = DA, TID 5, then LLC/SNAP + payload.
  Bytes f = Hex("8801 0000 020000000000 020079250001 0200000000aa 1000 0500");
  const Bytes body = Hex("aaaa030000000800 4500001c0000400040010000 0a4d0002 0a4d0001");
  f.insert(f.end(), body.begin(), body.end());
  return f;
}

class AeadRoundTrip : public ::testing::TestWithParam<Cipher> {};

TEST_P(AeadRoundTrip, EncryptThenDecrypt) {
  const Cipher c = GetParam();
  Bytes key(KeyLenFor(c));
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 13 + 1);
  const Bytes plain = QosDataFrame();
  Bytes enc;
  ASSERT_TRUE(EncryptMpdu(c, key.data(), key.size(), 0x0102030405, 2, plain, &enc));
  EXPECT_EQ(enc.size(), plain.size() + 8 + MicLen(c));
  EXPECT_NE(enc[1] & 0x40, 0);
  Bytes dec;
  uint64_t pn = 0;
  uint8_t kid = 0;
  ASSERT_TRUE(DecryptMpdu(c, key.data(), key.size(), enc.data(), enc.size(), &dec, &pn, &kid));
  EXPECT_EQ(pn, 0x0102030405u);
  EXPECT_EQ(kid, 2);
  Bytes want = plain;
  want[1] |= 0x40;
  EXPECT_EQ(dec, want);
  // The TID is in the nonce/AAD: another TID must not verify.
  Bytes other = enc;
  other[24] = 6;
  EXPECT_FALSE(DecryptMpdu(c, key.data(), key.size(), other.data(), other.size(), &dec, &pn, &kid));
  // Wrong key length is refused, not read past.
  EXPECT_FALSE(EncryptMpdu(c, key.data(), key.size() == 16 ? 32 : 16, 1, 0, plain, &enc));
}

INSTANTIATE_TEST_SUITE_P(Ciphers, AeadRoundTrip,
                         ::testing::Values(Cipher::kCcmp, Cipher::kCcmp256, Cipher::kGcmp,
                                           Cipher::kGcmp256));

TEST(BipTest, SignsAndVerifiesAGroupDeauth) {
  const Bytes key = Hex("4cecf8c63e8c9e1f4bd1e6ab0ee8b0c6");
  // Broadcast deauth with an MMIE {76, 16, key id 4, IPN 1, MIC zero}.
  Bytes f =
      Hex("c000 0000 ffffffffffff 020000000000 020000000000 0000 0300"
          "4c10 0400 010000000000 0000000000000000");
  ASSERT_TRUE(BipCmacSign(key.data(), &f));
  EXPECT_TRUE(BipCmacVerify(key.data(), f.data(), f.size()));
  Bytes bad = f;
  bad[24] ^= 1;  // reason code
  EXPECT_FALSE(BipCmacVerify(key.data(), bad.data(), bad.size()));
  Bytes retry = f;
  retry[1] |= 0x08;  // Retry is masked out of the BIP AAD
  EXPECT_TRUE(BipCmacVerify(key.data(), retry.data(), retry.size()));
}

TEST(HeaderLenTest, Shapes) {
  const Bytes data = Hex("0801 0000 000000000000 000000000000 000000000000 0000");
  EXPECT_EQ(HeaderLen(data.data(), data.size()), 24u);
  const Bytes qos = QosDataFrame();
  EXPECT_EQ(HeaderLen(qos.data(), qos.size()), 26u);
  Bytes a4 = Hex("0803 0000 000000000000 000000000000 000000000000 0000 000000000000");
  EXPECT_EQ(HeaderLen(a4.data(), a4.size()), 30u);
  EXPECT_EQ(HeaderLen(a4.data(), 20), 0u);  // too short for its own header
}

}  // namespace
}  // namespace vmt
