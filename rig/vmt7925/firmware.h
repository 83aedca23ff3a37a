// File: rig/vmt7925/firmware.h
//
// Synthetic MT7925 firmware images with exactly the header layouts the driver parses
// (mt76_connac2_load_patch, mt76_connac2_load_ram, mt792x_get_offload_capability). The
// payload bytes are a fixed pattern: no proprietary code is involved.

#ifndef RIG_VMT7925_FIRMWARE_H_
#define RIG_VMT7925_FIRMWARE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace vmt {

inline constexpr char kPatchName[] = "WIFI_MT7925_PATCH_MCU_1_1_hdr.bin";  // MT7925_ROM_PATCH
inline constexpr char kRamName[] = "WIFI_RAM_CODE_MT7925_1_1.bin";         // MT7925_FIRMWARE_WM
inline constexpr uint32_t kHwSwVersion = 0x8a108a10;
inline constexpr char kFwVersion[] = "VMT7925001";  // 10 chars: the trailer's fw_ver

std::vector<uint8_t> BuildPatchImage();
std::vector<uint8_t> BuildRamImage();
// Writes both files into `dir`. False (with errno set) on an I/O error.
bool WriteFirmware(const std::string& dir);

}  // namespace vmt

#endif  // RIG_VMT7925_FIRMWARE_H_
