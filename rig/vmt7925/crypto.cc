// File: rig/vmt7925/crypto.cc
//
// AAD, nonce and header rules: IEEE 802.11-2020 12.5.3.3 (CCMP), 12.5.5.3 (GCMP), 12.5.4.5
// (BIP). The AES modes themselves are OpenSSL's (EVP AES-CCM, AES-GCM, EVP_MAC CMAC).

#include "rig/vmt7925/crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <memory>

namespace vmt {
namespace {

constexpr size_t kPnHeaderLen = 8;
constexpr uint8_t kFcProtected = 0x40;  // FC byte 1

bool IsData(const uint8_t* f) { return ((f[0] >> 2) & 3) == 2; }
bool IsMgmt(const uint8_t* f) { return ((f[0] >> 2) & 3) == 0; }
bool IsQosData(const uint8_t* f) { return IsData(f) && (f[0] & 0x80) != 0; }
bool HasA4(const uint8_t* f) { return (f[1] & 3) == 3; }

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

// AAD of a CCMP/GCMP MPDU whose header is `f[0, hdr_len)`. Returns its length (<= 30).
size_t BuildAad(const uint8_t* f, size_t hdr_len, uint8_t aad[32]) {
  size_t n = 0;
  uint8_t fc0 = f[0];
  if (IsData(f)) fc0 &= 0x8f;  // subtype bits 4..6 masked in data MPDUs
  uint8_t fc1 = f[1] & static_cast<uint8_t>(~(0x08 | 0x10 | 0x20));  // Retry, PwrMgt, MoreData
  fc1 |= kFcProtected;
  if (IsQosData(f)) fc1 &= 0x7f;  // +HTC/Order masked in QoS data
  aad[n++] = fc0;
  aad[n++] = fc1;
  std::memcpy(aad + n, f + 4, 18);  // A1, A2, A3
  n += 18;
  aad[n++] = f[22] & 0x0f;  // sequence control: fragment number only
  aad[n++] = 0;
  size_t off = 24;
  if (HasA4(f) && IsData(f)) {
    std::memcpy(aad + n, f + off, 6);
    n += 6;
    off += 6;
  }
  if (IsQosData(f) && off + 2 <= hdr_len) {
    aad[n++] = f[off] & 0x0f;  // TID only
    aad[n++] = 0;
  }
  return n;
}

// CCMP nonce: flags (priority, management), A2, PN big-endian.
void CcmpNonce(const uint8_t* f, size_t hdr_len, uint64_t pn, uint8_t nonce[13]) {
  uint8_t flags = 0;
  if (IsQosData(f)) {
    size_t qos = 24 + (HasA4(f) ? 6 : 0);
    if (qos < hdr_len) flags = f[qos] & 0x0f;
  }
  if (IsMgmt(f)) flags |= 0x10;
  nonce[0] = flags;
  std::memcpy(nonce + 1, f + 10, 6);
  for (int i = 0; i < 6; ++i) nonce[7 + i] = static_cast<uint8_t>(pn >> (8 * (5 - i)));
}

void GcmpNonce(const uint8_t* f, uint64_t pn, uint8_t nonce[12]) {
  std::memcpy(nonce, f + 10, 6);
  for (int i = 0; i < 6; ++i) nonce[6 + i] = static_cast<uint8_t>(pn >> (8 * (5 - i)));
}

// The ciphers are fetched from the default provider once: handing EVP_*Init_ex the legacy
// EVP_aes_*() objects makes OpenSSL 3 fetch the implementation again on every frame, which
// under TCG cost more than the AES itself (the rig's 10 ms probe saturated the guest).
// Function-local statics: initialised once, thread-safe; kept for the process's life.
const EVP_CIPHER* Fetched(const char* name) { return EVP_CIPHER_fetch(nullptr, name, nullptr); }
const EVP_CIPHER* CcmCipher(size_t key_len) {
  static const EVP_CIPHER* const k128 = Fetched("AES-128-CCM");
  static const EVP_CIPHER* const k256 = Fetched("AES-256-CCM");
  return key_len == 16 ? k128 : key_len == 32 ? k256 : nullptr;
}
const EVP_CIPHER* GcmCipher(size_t key_len) {
  static const EVP_CIPHER* const k128 = Fetched("AES-128-GCM");
  static const EVP_CIPHER* const k256 = Fetched("AES-256-GCM");
  return key_len == 16 ? k128 : key_len == 32 ? k256 : nullptr;
}

bool AesCcmOpen(const uint8_t* key, size_t key_len, const uint8_t* nonce, const uint8_t* aad,
                size_t aad_len, const uint8_t* ct, size_t ct_len, const uint8_t* tag,
                size_t tag_len, uint8_t* pt) {
  const EVP_CIPHER* c = CcmCipher(key_len);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int outl = 0;
  if (c == nullptr || !ctx) return false;
  if (EVP_DecryptInit_ex(ctx.get(), c, nullptr, nullptr, nullptr) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, 13, nullptr) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_len),
                          const_cast<uint8_t*>(tag)) != 1) {
    return false;
  }
  if (EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key, nonce) != 1) return false;
  if (EVP_DecryptUpdate(ctx.get(), nullptr, &outl, nullptr, static_cast<int>(ct_len)) != 1) {
    return false;
  }
  if (EVP_DecryptUpdate(ctx.get(), nullptr, &outl, aad, static_cast<int>(aad_len)) != 1) {
    return false;
  }
  uint8_t dummy = 0;
  return EVP_DecryptUpdate(ctx.get(), ct_len ? pt : &dummy, &outl, ct, static_cast<int>(ct_len)) ==
         1;
}

bool AesGcmOpen(const uint8_t* key, size_t key_len, const uint8_t* nonce, const uint8_t* aad,
                size_t aad_len, const uint8_t* ct, size_t ct_len, const uint8_t* tag, uint8_t* pt) {
  const EVP_CIPHER* c = GcmCipher(key_len);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int outl = 0;
  if (c == nullptr || !ctx) return false;
  if (EVP_DecryptInit_ex(ctx.get(), c, nullptr, nullptr, nullptr) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) != 1) return false;
  if (EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key, nonce) != 1) return false;
  if (EVP_DecryptUpdate(ctx.get(), nullptr, &outl, aad, static_cast<int>(aad_len)) != 1) {
    return false;
  }
  if (ct_len > 0 && EVP_DecryptUpdate(ctx.get(), pt, &outl, ct, static_cast<int>(ct_len)) != 1) {
    return false;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, const_cast<uint8_t*>(tag)) != 1) {
    return false;
  }
  uint8_t fin[16];
  return EVP_DecryptFinal_ex(ctx.get(), fin, &outl) == 1;
}

}  // namespace

bool AesGcmSeal(const uint8_t* key, size_t key_len, const uint8_t* nonce, const uint8_t* aad,
                size_t aad_len, const uint8_t* pt, size_t pt_len, uint8_t* ct_and_tag) {
  const EVP_CIPHER* c = GcmCipher(key_len);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int outl = 0;
  if (c == nullptr || !ctx) return false;
  if (EVP_EncryptInit_ex(ctx.get(), c, nullptr, nullptr, nullptr) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) != 1) return false;
  if (EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key, nonce) != 1) return false;
  if (EVP_EncryptUpdate(ctx.get(), nullptr, &outl, aad, static_cast<int>(aad_len)) != 1) {
    return false;
  }
  if (pt_len > 0 &&
      EVP_EncryptUpdate(ctx.get(), ct_and_tag, &outl, pt, static_cast<int>(pt_len)) != 1) {
    return false;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), ct_and_tag + pt_len, &outl) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, ct_and_tag + pt_len) == 1;
}

bool IsAeadCipher(Cipher c) {
  return c == Cipher::kCcmp || c == Cipher::kCcmp256 || c == Cipher::kGcmp || c == Cipher::kGcmp256;
}

size_t MicLen(Cipher c) {
  if (c == Cipher::kCcmp) return 8;
  return IsAeadCipher(c) ? 16 : 0;
}

size_t KeyLenFor(Cipher c) {
  switch (c) {
    case Cipher::kCcmp:
    case Cipher::kGcmp:
    case Cipher::kBipCmac128: return 16;
    case Cipher::kCcmp256:
    case Cipher::kGcmp256: return 32;
    default: return 0;
  }
}

size_t HeaderLen(const uint8_t* f, size_t len) {
  if (len < 24) return 0;
  size_t n = 24;
  const uint8_t type = (f[0] >> 2) & 3;
  if (type == 1) return 0;  // control frames are never protected here
  if (type == 2) {
    if (HasA4(f)) n += 6;
    if (f[0] & 0x80) n += 2;
  }
  if ((f[1] & 0x80) != 0 && (type == 0 || (type == 2 && (f[0] & 0x80) != 0))) n += 4;  // HTC
  return n <= len ? n : 0;
}

bool AesCcmSeal(const uint8_t* key, size_t key_len, const uint8_t* nonce, size_t nonce_len,
                const uint8_t* aad, size_t aad_len, const uint8_t* pt, size_t pt_len,
                size_t tag_len, uint8_t* ct_and_tag) {
  const EVP_CIPHER* c = CcmCipher(key_len);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int outl = 0;
  if (c == nullptr || !ctx) return false;
  if (EVP_EncryptInit_ex(ctx.get(), c, nullptr, nullptr, nullptr) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce_len),
                          nullptr) != 1) {
    return false;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_len), nullptr) !=
      1) {
    return false;
  }
  if (EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key, nonce) != 1) return false;
  if (EVP_EncryptUpdate(ctx.get(), nullptr, &outl, nullptr, static_cast<int>(pt_len)) != 1) {
    return false;
  }
  if (EVP_EncryptUpdate(ctx.get(), nullptr, &outl, aad, static_cast<int>(aad_len)) != 1) {
    return false;
  }
  uint8_t dummy[16];
  if (EVP_EncryptUpdate(ctx.get(), pt_len ? ct_and_tag : dummy, &outl, pt,
                        static_cast<int>(pt_len)) != 1) {
    return false;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), dummy, &outl) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_len),
                             ct_and_tag + pt_len) == 1;
}

bool AesCmac(const uint8_t* key, size_t key_len, const uint8_t* msg, size_t len, uint8_t mac[16]) {
  EVP_MAC* m = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  if (m == nullptr) return false;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(m);
  bool ok = ctx != nullptr;
  char cipher[] = "AES-128-CBC";
  char cipher256[] = "AES-256-CBC";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
                                                          key_len == 32 ? cipher256 : cipher, 0),
                         OSSL_PARAM_construct_end()};
  size_t outl = 0;
  ok = ok && EVP_MAC_init(ctx, key, key_len, params) == 1;
  ok = ok && EVP_MAC_update(ctx, msg, len) == 1;
  ok = ok && EVP_MAC_final(ctx, mac, &outl, 16) == 1 && outl == 16;
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(m);
  return ok;
}

bool EncryptMpdu(Cipher c, const uint8_t* key, size_t key_len, uint64_t pn, uint8_t key_id,
                 const std::vector<uint8_t>& frame, std::vector<uint8_t>* out) {
  if (!IsAeadCipher(c) || key_len != KeyLenFor(c) || key_id > 3) return false;
  const size_t hdr = HeaderLen(frame.data(), frame.size());
  if (hdr == 0) return false;
  const size_t body = frame.size() - hdr;
  const size_t mic = MicLen(c);
  out->assign(hdr + kPnHeaderLen + body + mic, 0);
  uint8_t* o = out->data();
  std::memcpy(o, frame.data(), hdr);
  o[1] |= kFcProtected;
  uint8_t* ph = o + hdr;
  ph[0] = static_cast<uint8_t>(pn);
  ph[1] = static_cast<uint8_t>(pn >> 8);
  ph[2] = 0;
  ph[3] = static_cast<uint8_t>(0x20 | (key_id << 6));  // ExtIV
  for (int i = 0; i < 4; ++i) ph[4 + i] = static_cast<uint8_t>(pn >> (16 + 8 * i));
  uint8_t aad[32];
  const size_t aad_len = BuildAad(o, hdr, aad);
  if (c == Cipher::kCcmp || c == Cipher::kCcmp256) {
    uint8_t nonce[13];
    CcmpNonce(o, hdr, pn, nonce);
    return AesCcmSeal(key, key_len, nonce, 13, aad, aad_len, frame.data() + hdr, body, mic,
                      ph + kPnHeaderLen);
  }
  uint8_t nonce[12];
  GcmpNonce(o, pn, nonce);
  return AesGcmSeal(key, key_len, nonce, aad, aad_len, frame.data() + hdr, body, ph + kPnHeaderLen);
}

bool ReadCcmpHeader(const uint8_t* frame, size_t len, uint64_t* pn, uint8_t* key_id) {
  const size_t hdr = HeaderLen(frame, len);
  if (hdr == 0 || len < hdr + kPnHeaderLen) return false;
  const uint8_t* ph = frame + hdr;
  if ((ph[3] & 0x20) == 0) return false;  // no ExtIV: not CCMP/GCMP
  uint64_t v = static_cast<uint64_t>(ph[0]) | (static_cast<uint64_t>(ph[1]) << 8);
  for (int i = 0; i < 4; ++i) v |= static_cast<uint64_t>(ph[4 + i]) << (16 + 8 * i);
  *pn = v;
  *key_id = ph[3] >> 6;
  return true;
}

bool DecryptMpdu(Cipher c, const uint8_t* key, size_t key_len, const uint8_t* frame, size_t len,
                 std::vector<uint8_t>* out, uint64_t* pn, uint8_t* key_id) {
  if (!IsAeadCipher(c) || key_len != KeyLenFor(c)) return false;
  const size_t hdr = HeaderLen(frame, len);
  const size_t mic = MicLen(c);
  if (hdr == 0 || len < hdr + kPnHeaderLen + mic) return false;
  if (!ReadCcmpHeader(frame, len, pn, key_id)) return false;
  const size_t ct_len = len - hdr - kPnHeaderLen - mic;
  const uint8_t* ct = frame + hdr + kPnHeaderLen;
  out->assign(hdr + ct_len, 0);
  std::memcpy(out->data(), frame, hdr);
  uint8_t aad[32];
  const size_t aad_len = BuildAad(frame, hdr, aad);
  if (c == Cipher::kCcmp || c == Cipher::kCcmp256) {
    uint8_t nonce[13];
    CcmpNonce(frame, hdr, *pn, nonce);
    return AesCcmOpen(key, key_len, nonce, aad, aad_len, ct, ct_len, ct + ct_len, mic,
                      out->data() + hdr);
  }
  uint8_t nonce[12];
  GcmpNonce(frame, *pn, nonce);
  return AesGcmOpen(key, key_len, nonce, aad, aad_len, ct, ct_len, ct + ct_len, out->data() + hdr);
}

namespace {
constexpr size_t kMmieLen = 18;

// BIP input: AAD (FC with Retry/PwrMgt/MoreData masked, A1..A3), then the body with the MMIE
// MIC zeroed.
bool BipMic(const uint8_t* key, const uint8_t* f, size_t len, uint8_t mic[8]) {
  if (len < 24 + kMmieLen || f[len - kMmieLen] != 76 || f[len - kMmieLen + 1] != 16) {
    return false;
  }
  std::vector<uint8_t> m(20 + (len - 24));
  m[0] = f[0];
  m[1] = f[1] & static_cast<uint8_t>(~(0x08 | 0x10 | 0x20));
  std::memcpy(m.data() + 2, f + 4, 18);
  std::memcpy(m.data() + 20, f + 24, len - 24);
  std::memset(m.data() + m.size() - 8, 0, 8);
  uint8_t full[16];
  if (!AesCmac(key, 16, m.data(), m.size(), full)) return false;
  std::memcpy(mic, full, 8);
  return true;
}
}  // namespace

bool BipCmacSign(const uint8_t* key, std::vector<uint8_t>* frame) {
  uint8_t mic[8];
  if (!BipMic(key, frame->data(), frame->size(), mic)) return false;
  std::memcpy(frame->data() + frame->size() - 8, mic, 8);
  return true;
}

bool BipCmacVerify(const uint8_t* key, const uint8_t* frame, size_t len) {
  uint8_t mic[8];
  if (!BipMic(key, frame, len, mic)) return false;
  return std::memcmp(mic, frame + len - 8, 8) == 0;
}

}  // namespace vmt
