// File: rig/vmt7925/crypto.h
//
// The data-frame ciphers the MT7925 firmware runs in hardware, done here with OpenSSL's
// libcrypto: CCMP-128/256 and GCMP-128/256 (IEEE 802.11-2020 12.5.3, 12.5.5) and BIP-CMAC-128
// (12.5.4). The functions work on whole 802.11 MPDUs: they build the AAD and nonce from the
// MAC header as the standard says, insert or strip the 8-byte CCMP/GCMP header, and append or
// check the MIC. Pure functions: no state, no I/O.

#ifndef RIG_VMT7925_CRYPTO_H_
#define RIG_VMT7925_CRYPTO_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vmt {

// Cipher ids as the firmware numbers them (mt7925/mcu.h enum connac3_mcu_cipher_type, the
// same values the RXD SEC_MODE field carries: mt76_connac.h enum mt76_cipher_type).
enum class Cipher : uint8_t {
  kNone = 0,
  kCcmp = 4,
  kBipCmac128 = 6,
  kCcmp256 = 10,
  kGcmp = 11,
  kGcmp256 = 12,
};

bool IsAeadCipher(Cipher c);
// MIC length of an AEAD cipher (8 for CCMP-128, 16 otherwise); 0 for others.
size_t MicLen(Cipher c);
// Key length the cipher needs (16 or 32); 0 when unsupported.
size_t KeyLenFor(Cipher c);

// Length of the 802.11 MAC header of `f` (FC, durations, addresses, seq, A4, QoS, HTC), or
// 0 when the frame is too short for its own header.
size_t HeaderLen(const uint8_t* f, size_t len);

// Encrypts the MPDU `frame` (plaintext, Protected bit clear) in place into `out`: header with
// Protected set, CCMP/GCMP header (PN, key id, ExtIV), ciphertext, MIC. False on a frame that
// is too short, an unsupported cipher or a wrong key length.
bool EncryptMpdu(Cipher c, const uint8_t* key, size_t key_len, uint64_t pn, uint8_t key_id,
                 const std::vector<uint8_t>& frame, std::vector<uint8_t>* out);

// Decrypts a protected MPDU. On success `out` is the header (Protected bit kept, as the
// driver leaves it for mac80211) followed by the plaintext: CCMP/GCMP header and MIC
// stripped; `*pn` and `*key_id` are taken from the CCMP/GCMP header. False when the MIC
// does not verify or the frame is malformed.
bool DecryptMpdu(Cipher c, const uint8_t* key, size_t key_len, const uint8_t* frame, size_t len,
                 std::vector<uint8_t>* out, uint64_t* pn, uint8_t* key_id);

// Reads the PN and key id of a protected frame without decrypting. False when too short.
bool ReadCcmpHeader(const uint8_t* frame, size_t len, uint64_t* pn, uint8_t* key_id);

// BIP-CMAC-128 (AES-128-CMAC truncated to 64 bits) over a group-addressed management frame
// whose last 18 bytes are the MMIE {id 76, len 16, key id, IPN[6], MIC[8]}. Sign fills the
// MIC; Verify checks it.
bool BipCmacSign(const uint8_t* key, std::vector<uint8_t>* frame);
bool BipCmacVerify(const uint8_t* key, const uint8_t* frame, size_t len);

// Raw primitives, exposed for the known-answer tests.
bool AesCcmSeal(const uint8_t* key, size_t key_len, const uint8_t* nonce, size_t nonce_len,
                const uint8_t* aad, size_t aad_len, const uint8_t* pt, size_t pt_len,
                size_t tag_len, uint8_t* ct_and_tag);
bool AesGcmSeal(const uint8_t* key, size_t key_len, const uint8_t* nonce, const uint8_t* aad,
                size_t aad_len, const uint8_t* pt, size_t pt_len, uint8_t* ct_and_tag);
bool AesCmac(const uint8_t* key, size_t key_len, const uint8_t* msg, size_t len, uint8_t mac[16]);

}  // namespace vmt

#endif  // RIG_VMT7925_CRYPTO_H_
