// File: rig/vmt7925/firmware.cc

#include "rig/vmt7925/firmware.h"

#include <cstdio>
#include <cstring>

namespace vmt {
namespace {

void PutBe32(std::vector<uint8_t>* b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*b)[off + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}
void PutLe32(std::vector<uint8_t>* b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*b)[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
void Fill(std::vector<uint8_t>* b, size_t off, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; ++i) (*b)[off + i] = static_cast<uint8_t>(seed + i * 7);
}

constexpr size_t kPatchHdr = 96;  // mt76_connac2_patch_hdr
constexpr size_t kPatchSec = 64;  // mt76_connac2_patch_sec
constexpr size_t kPatchData = 1024;
constexpr size_t kRamRegion = 40;   // mt76_connac2_fw_region
constexpr size_t kRamTrailer = 36;  // mt76_connac2_fw_trailer

}  // namespace

std::vector<uint8_t> BuildPatchImage() {
  // Header (big-endian): build_date[16], platform[4], hw_sw_ver, patch_ver, checksum(16),
  // rsv(16), desc {patch_ver, subsys, feature, n_region, crc, rsv[11]}.
  std::vector<uint8_t> f(kPatchHdr + kPatchSec + kPatchData, 0);
  std::memcpy(f.data(), "20261201000000", 14);
  std::memcpy(f.data() + 16, "ALPS", 4);
  PutBe32(&f, 20, kHwSwVersion);
  PutBe32(&f, 24, 0x00000001);
  PutBe32(&f, 32, 0x00000001);  // desc.patch_ver
  PutBe32(&f, 44, 1);           // desc.n_region
  // Section: type (low 16 bits PATCH_SEC_TYPE_INFO = 2), offs, size, then info {addr, len,
  // sec_key_idx (0xffffffff = PATCH_SEC_NOT_SUPPORT: plain), align_len}.
  const size_t s = kPatchHdr;
  PutBe32(&f, s + 0, 0x00000002);
  PutBe32(&f, s + 4, kPatchHdr + kPatchSec);
  PutBe32(&f, s + 8, kPatchData);
  PutBe32(&f, s + 12, 0x00900000);  // selects PATCH_START_REQ
  PutBe32(&f, s + 16, kPatchData);
  PutBe32(&f, s + 20, 0xffffffff);
  Fill(&f, kPatchHdr + kPatchSec, kPatchData, 0x5a);
  return f;
}

std::vector<uint8_t> BuildRamImage() {
  // Region data back to back, 16 bytes gap, release info {le16 len, pad_len, tag} with one
  // inner FEATURE (tag 4) block whose second byte has MT792x_FW_CAP_CNM (bit 7), the region
  // table, the trailer.
  const uint32_t lens[2] = {1024, 512};
  const uint32_t addrs[2] = {0x00000800, 0xe0000000};
  std::vector<uint8_t> f;
  size_t data = lens[0] + lens[1];
  f.assign(data, 0);
  Fill(&f, 0, data, 0x33);
  f.resize(data + 16, 0);
  const uint8_t features[16] = {0, 0x80};  // mt792x_fw_features {segment, data, rsv[14]}
  const uint8_t inner[4] = {sizeof(features), 0, 0, 4};
  const uint8_t outer[4] = {sizeof(inner) + sizeof(features), 0, 0, 0};
  f.insert(f.end(), outer, outer + 4);
  f.insert(f.end(), inner, inner + 4);
  f.insert(f.end(), features, features + sizeof(features));
  for (int i = 0; i < 2; ++i) {
    const size_t r = f.size();
    f.resize(r + kRamRegion, 0);
    PutLe32(&f, r + 16, addrs[i]);
    PutLe32(&f, r + 20, lens[i]);
    f[r + 24] = 0;  // feature_set: download, not encrypted
  }
  const size_t t = f.size();
  f.resize(t + kRamTrailer, 0);
  f[t + 0] = 0x25;  // chip_id
  f[t + 2] = 2;     // n_region
  f[t + 3] = 1;     // format_ver
  std::memcpy(f.data() + t + 7, kFwVersion, 10);
  std::memcpy(f.data() + t + 17, "20261201000000", 14);
  return f;
}

bool WriteFirmware(const std::string& dir) {
  const std::pair<const char*, std::vector<uint8_t>> files[] = {{kPatchName, BuildPatchImage()},
                                                                {kRamName, BuildRamImage()}};
  for (const auto& [name, bytes] : files) {
    const std::string path = dir + "/" + name;
    FILE* fp = std::fopen(path.c_str(), "wb");
    if (fp == nullptr) return false;
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), fp) == bytes.size();
    if (std::fclose(fp) != 0 || !ok) return false;
  }
  return true;
}

}  // namespace vmt
