// File: connac/mcu_frame.h
//
// Host-to-device MCU frames: encode, build UNI payloads, and decode (for tools and tests).
//
// A frame is a 32-byte hardware TX descriptor, then a 16-byte UNI header (48 bytes in all) or
// a 32-byte legacy header (64 bytes in all), then the payload. FW_SCATTER is the exception:
// raw firmware bytes with no header at all, which still consume a sequence number.
// Layouts and option rules: docs/mcu-protocol.md, from openwrt/mt76 mt76_connac_mcu.h,
// mt76_connac2_mac.h, mt76_connac3_mac.h, mt7925/mcu.c, mt76_connac_mcu.c, mt7996/mcu.c.
//
// Example (zero-copy: the payload is built in place behind the header):
//
//   uint8_t buf[256];
//   auto b = connac::FrameBuilder::Start(connac::kMt7925, cmd, buf);
//   if (!b.ok()) return b.status();
//   connac::FrameBuilder fb = *b;
//   CONNAC_RETURN_IF_ERROR(fb.SetFixedHeader(hdr, /*count_offset=*/2));
//   auto tlv = fb.AddTlv(/*tag=*/0x27, /*body_len=*/64);   // zeroed body to fill in
//   connac::Result<connac::ConstBytes> frame = fb.Finish(seq);
//
// # Invariants
// - No function writes outside the MutableBytes it is given; a buffer that is too small is
//   Errno::kNoBufs before any byte is written.
// - A finished frame has TX_BYTES == its length and len == length - 32, both checked against
//   the 16-bit fields (Errno::kMsgSize when the frame would not fit them).

#ifndef CONNAC_MCU_FRAME_H_
#define CONNAC_MCU_FRAME_H_

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/status.h"
#include "connac/wire.h"

namespace connac {

inline constexpr size_t kHwTxdSize = wire::txd::kSize;
inline constexpr size_t kUniHeaderSize = wire::uni_cmd::kSize;
inline constexpr size_t kLegacyHeaderSize = wire::legacy_cmd::kSize;
// The driver reserves the legacy size as headroom for every command (mcu_ops.headroom).
inline constexpr size_t kMcuHeadroom = kLegacyHeaderSize;
// TX_BYTES (DW0 15:0) bounds the whole frame.
inline constexpr size_t kMaxFrameSize = 0xffff;
inline constexpr uint8_t kMcuPktId = 0xa0;
inline constexpr uint16_t kMcuPqId = 0x8000;  // MCU_PQ_ID(MCU port 1, RX_Q0 0x20)
inline constexpr uint8_t kMaxSeq = 15;

// UNI header option bits (mt76_connac_mcu.h MCU_CMD_ACK/UNI/SET).
namespace uni_option {
inline constexpr uint8_t kAck = 0x01;
inline constexpr uint8_t kUni = 0x02;
inline constexpr uint8_t kSet = 0x04;
}  // namespace uni_option

// s2d_index: source and destination core.
enum class S2d : uint8_t { kH2N = 0, kC2N = 1, kH2C = 2, kH2CN = 3 };
// Legacy set_query.
enum class SetQuery : uint8_t { kQuery = 0, kSet = 1, kReserved = 2, kNa = 3 };

// TXD DW0/DW1 as the MCU fillers write them.
namespace txd {
inline constexpr uint32_t kDw0PktFmtCmd = 2u << 23;   // PKT_FMT (24:23) = MT_TX_TYPE_CMD
inline constexpr uint32_t kDw0QIdxMcu = 0x20u << 25;  // Q_IDX (31:25) = MT_TX_MCU_PORT_RX_Q0
inline constexpr uint32_t kDw0TxBytesMask = 0xffff;
// connac2 (mt76_connac2_mac.h): LONG_FORMAT bit 31, HDR_FORMAT (17:16) = CMD.
inline constexpr uint32_t kDw1Connac2 = (1u << 31) | (1u << 16);
// connac3 (mt76_connac3_mac.h, used by mt7925 and mt7996): HDR_FORMAT (15:14) = CMD.
inline constexpr uint32_t kDw1Connac3 = 1u << 14;
}  // namespace txd

// Per-send choices that are not part of the command word.
struct FrameParams {
  // The caller will wait for a response. Only mt7996 encodes this (ACK bit); mt7921 and
  // mt7925 always ask for the ACK.
  bool wait_response = true;
};

// Header bytes `cmd` puts in front of its payload: 0 for FW_SCATTER, 48 for UNI, else 64.
constexpr size_t HeaderSizeFor(CmdWord cmd) {
  if (cmd.is_fw_scatter()) return 0;
  return cmd.uni() ? kUniHeaderSize : kLegacyHeaderSize;
}

constexpr bool IsValidSeq(uint8_t seq) { return seq >= 1 && seq <= kMaxSeq; }

// The UNI option byte the profile's filler writes for `cmd`.
constexpr uint8_t UniOptionFor(const Profile& p, CmdWord cmd, FrameParams params = {}) {
  using namespace uni_option;  // NOLINT(build/namespaces): local, three constants.
  switch (p.filler) {
    case Filler::kConnac2: return kAck | kUni | kSet;  // Always "SET + ACK", even for queries.
    case Filler::kMt7925: {
      uint8_t opt = cmd.query() ? (kAck | kUni) : (kAck | kUni | kSet);
      // The driver compares the whole word, so only the plain SET forms drop the ACK.
      if (cmd == CmdWord::Uni(uni::kHifCtrl) || cmd == CmdWord::Uni(uni::kChipConfig)) {
        opt = static_cast<uint8_t>(opt & ~kAck);
      }
      if (cmd.id() == uni::kTestmodeCtrl || cmd.id() == uni::kTestmodeRxStat) {
        opt = cmd.query() ? kUni : (kUni | kSet);
      }
      return opt;
    }
    case Filler::kMt7996: {
      uint8_t opt = kUni;
      if (!cmd.query()) opt |= kSet;
      if (params.wait_response) opt |= kAck;
      return opt;
    }
  }
  return 0;
}

// s2d_index of a UNI header.
constexpr S2d UniS2dFor(const Profile& p, CmdWord cmd) {
  if (p.filler != Filler::kMt7996) return S2d::kH2N;
  if (cmd.wa() && cmd.wm()) return S2d::kH2CN;
  if (cmd.wa()) return S2d::kH2C;
  if (cmd.wm()) return S2d::kH2N;
  return S2d::kH2CN;
}

// Writes the TXD and MCU header into frame[0, HeaderSizeFor(cmd)) for a payload of
// `payload_len` bytes that the caller has placed (or will place) right behind it.
// Returns the total frame length.
//
// Errors: kInval for a seq outside 1..15 or a word with bits mt76 does not define;
// kMsgSize when header + payload exceeds 0xffff; kNoBufs when `frame` is shorter than
// header + payload (nothing is written then).
inline Result<size_t> WriteHeader(const Profile& p, CmdWord cmd, uint8_t seq, size_t payload_len,
                                  MutableBytes frame, FrameParams params = {}) {
  if (!IsValidSeq(seq) || cmd.has_unknown_bits()) return Errno::kInval;
  const size_t hdr = HeaderSizeFor(cmd);
  if (payload_len > kMaxFrameSize - hdr) return Errno::kMsgSize;
  const size_t total = hdr + payload_len;
  if (frame.size() < total) return Errno::kNoBufs;
  if (hdr == 0) return total;  // FW_SCATTER: raw data, seq consumed by the caller only.

  // The header is assembled as 64-bit little-endian words and written with six (UNI) or
  // eight (legacy) stores: no fill, no byte stores. This is the hot path of every command
  // (docs/PERFORMANCE.md): the bytes are exactly the named fields of wire::uni_cmd /
  // wire::legacy_cmd, the rest zero.
  namespace uni = wire::uni_cmd;
  namespace leg = wire::legacy_cmd;
  static_assert(wire::txd::kDw0 == 0 && wire::txd::kDw1 == 4 && kHwTxdSize == 32);
  static_assert(uni::kLen == 32 && uni::kCid == 34 && uni::kPktType == 37 && uni::kFragN == 38 &&
                    uni::kSeq == 39 && uni::kChecksum == 40 && uni::kS2d == 42 &&
                    uni::kOption == 43 && uni::kSize == 48,
                "the UNI header words below follow wire::uni_cmd");
  static_assert(leg::kLen == 32 && leg::kPqId == 34 && leg::kCid == 36 && leg::kPktType == 37 &&
                    leg::kSetQuery == 38 && leg::kSeq == 39 && leg::kExtCid == 41 &&
                    leg::kS2d == 42 && leg::kExtCidAck == 43 && leg::kSize == 64,
                "the legacy header words below follow wire::legacy_cmd");
  const uint64_t dw0 = static_cast<uint32_t>(total) | txd::kDw0PktFmtCmd | txd::kDw0QIdxMcu;
  const uint64_t dw1 = p.filler == Filler::kConnac2 ? txd::kDw1Connac2 : txd::kDw1Connac3;
  const uint64_t len = static_cast<uint16_t>(total - kHwTxdSize);
  frame.put_le64(0, dw0 | dw1 << 32);
  frame.put_le64(8, 0);
  frame.put_le64(16, 0);
  frame.put_le64(24, 0);

  if (cmd.uni()) {
    const uint64_t s2d = static_cast<uint8_t>(UniS2dFor(p, cmd));
    const uint64_t option = UniOptionFor(p, cmd, params);
    // len, cid, rsv, pkt_type, frag_n, seq | checksum, s2d_index, option, rsv[4].
    frame.put_le64(
        32, len | uint64_t{cmd.id()} << 16 | uint64_t{kMcuPktId} << 40 | uint64_t{seq} << 56);
    frame.put_le64(40, s2d << 16 | option << 24);
    return total;
  }

  // Legacy header.
  const uint64_t ext = cmd.ext_id();
  SetQuery sq = SetQuery::kNa;
  // mt7996 ignores the CE bit here; the connac2 and mt7925 fillers treat CE like EXT.
  const bool set_query = ext != 0 || (p.filler != Filler::kMt7996 && cmd.ce());
  if (set_query) sq = cmd.query() ? SetQuery::kQuery : SetQuery::kSet;
  const uint64_t s2d = static_cast<uint8_t>(cmd.wa() ? S2d::kH2C : S2d::kH2N);
  // len, pq_id, cid, pkt_type, set_query, seq | uc_d2b0_rev, ext_cid, s2d_index, ext_cid_ack.
  frame.put_le64(32, len | uint64_t{kMcuPqId} << 16 | uint64_t{cmd.id()} << 32 |
                         uint64_t{kMcuPktId} << 40 | uint64_t{static_cast<uint8_t>(sq)} << 48 |
                         uint64_t{seq} << 56);
  frame.put_le64(40, ext << 8 | s2d << 16 | uint64_t{ext != 0 ? 1u : 0u} << 24);
  frame.put_le64(48, 0);
  frame.put_le64(56, 0);
  return total;
}

// Encodes header + a copy of `payload` into `out`. Returns the frame length.
// Errors as WriteHeader. REQUIRES: `payload` does not overlap `out`.
inline Result<size_t> EncodeFrame(const Profile& p, CmdWord cmd, uint8_t seq, ConstBytes payload,
                                  MutableBytes out, FrameParams params = {}) {
  Result<size_t> n = WriteHeader(p, cmd, seq, payload.size(), out, params);
  if (!n.ok()) return n;
  CopyBytes(out.data() + HeaderSizeFor(cmd), payload.data(), payload.size());
  return n;
}

// PayloadWriter appends a UNI payload into a caller buffer: a fixed header, then TLVs
// `{le16 tag, le16 len}` whose len counts the 4-byte TLV header. When the fixed header has a
// le16 TLV counter (STA_REC's sta_req_hdr.tlv_num at offset 2), the writer keeps it equal to
// the number of TLVs appended.
//
// # Invariants
// - size() <= buffer size; every byte in [0, size()) was written by this writer or zeroed.
// - After an error, the writer is unchanged (the failed TLV is not half-appended).
class PayloadWriter {
 public:
  static constexpr size_t kNoCount = static_cast<size_t>(-1);
  static constexpr size_t kTlvHeaderSize = 4;

  constexpr PayloadWriter() = default;
  constexpr explicit PayloadWriter(MutableBytes buf) : buf_(buf) {}

  // Copies the fixed header to the start of the payload. `count_offset` is the offset of a
  // le16 TLV counter inside it, or kNoCount.
  // REQUIRES: called once, before any TLV. Errors: kNoBufs, kInval (counter outside header,
  // or called after TLVs were added).
  Status SetFixedHeader(ConstBytes fixed, size_t count_offset = kNoCount) {
    if (size_ != 0) return Status(Errno::kInval);
    if (count_offset != kNoCount && !fixed.Has(count_offset, 2)) return Status(Errno::kInval);
    if (fixed.size() > buf_.size()) return Status(Errno::kNoBufs);
    CopyBytes(buf_.data(), fixed.data(), fixed.size());
    size_ = fixed.size();
    count_offset_ = count_offset;
    if (count_offset_ != kNoCount) buf_.put_le16(count_offset_, 0);
    return OkStatus();
  }

  // Appends a TLV with a zeroed body of `body_len` bytes and returns the body to fill in.
  // Errors: kNoBufs when it does not fit; kMsgSize when its length exceeds the le16 field.
  Result<MutableBytes> AddTlv(uint16_t tag, size_t body_len) {
    if (body_len > 0xffff - kTlvHeaderSize) return Errno::kMsgSize;
    const size_t len = kTlvHeaderSize + body_len;
    if (!buf_.Has(size_, len)) return Errno::kNoBufs;
    if (tlv_count_ == 0xffff) return Errno::kRange;  // tlv_count() must not wrap.
    MutableBytes tlv(buf_.data() + size_, len);
    ZeroBytes(tlv.data(), len);
    tlv.put_le16(0, tag);
    tlv.put_le16(2, static_cast<uint16_t>(len));
    size_ += len;
    ++tlv_count_;
    if (count_offset_ != kNoCount) buf_.put_le16(count_offset_, tlv_count_);
    return MutableBytes(tlv.data() + kTlvHeaderSize, body_len);
  }

  // Appends a TLV whose body is a copy of `body`.
  Status AppendTlv(uint16_t tag, ConstBytes body) {
    Result<MutableBytes> dst = AddTlv(tag, body.size());
    if (!dst.ok()) return dst.status();
    CopyBytes(dst->data(), body.data(), body.size());
    return OkStatus();
  }

  // Appends raw bytes (a payload with no TLV structure).
  Status AppendRaw(ConstBytes bytes) {
    if (!buf_.Has(size_, bytes.size())) return Status(Errno::kNoBufs);
    CopyBytes(buf_.data() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
    return OkStatus();
  }

  constexpr size_t size() const { return size_; }
  constexpr uint16_t tlv_count() const { return tlv_count_; }
  constexpr ConstBytes bytes() const { return ConstBytes(buf_.data(), size_); }

 private:
  MutableBytes buf_;
  size_t size_ = 0;
  size_t count_offset_ = kNoCount;
  uint16_t tlv_count_ = 0;
};

// FrameBuilder: a PayloadWriter placed behind the header room of one command, so the
// payload is built in place and Finish() only writes the header (the driver's skb_push).
class FrameBuilder {
 public:
  // Errors: kInval (word with unknown bits), kNoBufs (out smaller than the header).
  static Result<FrameBuilder> Start(const Profile& p, CmdWord cmd, MutableBytes out) {
    if (cmd.has_unknown_bits()) return Errno::kInval;
    const size_t hdr = HeaderSizeFor(cmd);
    if (out.size() < hdr) return Errno::kNoBufs;
    FrameBuilder b;
    b.profile_ = &p;
    b.cmd_ = cmd;
    b.out_ = out;
    const size_t room = out.size() - hdr;
    // Payloads larger than the 16-bit TX_BYTES allows are refused by Finish().
    b.payload_ = PayloadWriter(MutableBytes(out.data() + hdr, room));
    return b;
  }

  Status SetFixedHeader(ConstBytes fixed, size_t count_offset = PayloadWriter::kNoCount) {
    return payload_.SetFixedHeader(fixed, count_offset);
  }
  Result<MutableBytes> AddTlv(uint16_t tag, size_t body_len) {
    return payload_.AddTlv(tag, body_len);
  }
  Status AppendTlv(uint16_t tag, ConstBytes body) { return payload_.AppendTlv(tag, body); }
  Status AppendRaw(ConstBytes bytes) { return payload_.AppendRaw(bytes); }
  const PayloadWriter& payload() const { return payload_; }

  // Default-constructed builders are inert; use Start(). Public so Result<> can hold one.
  constexpr FrameBuilder() = default;

  // Writes the header and returns the whole frame. Errors as WriteHeader.
  Result<ConstBytes> Finish(uint8_t seq, FrameParams params = {}) const {
    Result<size_t> n = WriteHeader(*profile_, cmd_, seq, payload_.size(), out_, params);
    if (!n.ok()) return n.status();
    return ConstBytes(out_.data(), *n);
  }

 private:
  const Profile* profile_ = &kMt7925;
  CmdWord cmd_;
  MutableBytes out_;
  PayloadWriter payload_;
};

// A host-to-device frame taken apart: what `connac decode` prints.
struct DecodedFrame {
  bool uni = false;
  uint32_t dw0 = 0;
  uint32_t dw1 = 0;
  uint16_t tx_bytes = 0;                   // DW0 15:0
  uint8_t pkt_fmt = 0;                     // DW0 24:23
  uint8_t q_idx = 0;                       // DW0 31:25
  const char* txd_generation = "unknown";  // "connac2" or "connac3", from DW1
  uint16_t len = 0;
  uint16_t cid = 0;    // UNI: le16 cid; legacy: the cid byte
  uint16_t pq_id = 0;  // legacy only
  uint8_t pkt_type = 0;
  uint8_t seq = 0;
  uint8_t option = 0;       // UNI only
  uint8_t set_query = 0;    // legacy only
  uint8_t ext_cid = 0;      // legacy only
  uint8_t ext_cid_ack = 0;  // legacy only
  uint8_t s2d_index = 0;
  CmdWord cmd;  // the driver's command word, reconstructed
  ConstBytes payload;
};

// Decodes a frame produced by any profile's filler. The frame is untrusted: every field is
// checked against the rules above and a violation is kBadMsg with `*reason` set (when
// non-null) to a short static explanation.
//
// Reconstructing the word: UNI → UNI | id (| QUERY when the SET option bit is clear);
// legacy → cid | ext << 8, QUERY when set_query is QUERY, CE when set_query is SET/QUERY
// without an EXT id, WA when s2d is H2C. FW_SCATTER has no header and cannot be decoded.
inline Result<DecodedFrame> DecodeFrame(ConstBytes f, const char** reason = nullptr) {
  auto bad = [reason](const char* why) -> Result<DecodedFrame> {
    if (reason != nullptr) *reason = why;
    return Errno::kBadMsg;
  };
  namespace uni = wire::uni_cmd;
  namespace leg = wire::legacy_cmd;
  if (f.size() < kUniHeaderSize) return bad("shorter than the 48-byte UNI header");
  DecodedFrame d;
  d.dw0 = *f.le32(wire::txd::kDw0);
  d.dw1 = *f.le32(wire::txd::kDw1);
  d.tx_bytes = static_cast<uint16_t>(d.dw0 & txd::kDw0TxBytesMask);
  d.pkt_fmt = static_cast<uint8_t>((d.dw0 >> 23) & 0x3);
  d.q_idx = static_cast<uint8_t>(d.dw0 >> 25);
  if (d.dw1 == txd::kDw1Connac2) d.txd_generation = "connac2";
  if (d.dw1 == txd::kDw1Connac3) d.txd_generation = "connac3";
  d.len = *f.le16(uni::kLen);
  d.pkt_type = f[uni::kPktType];
  d.seq = f[uni::kSeq];
  d.s2d_index = f[uni::kS2d];
  if (d.tx_bytes != f.size()) return bad("TX_BYTES does not match the frame length");
  if (d.len != f.size() - kHwTxdSize) return bad("len does not match the frame length");
  if (d.pkt_fmt != 2 || d.q_idx != 0x20) return bad("DW0 is not an MCU command descriptor");
  if (d.pkt_type != kMcuPktId) return bad("pkt_type is not 0xa0");
  if (!IsValidSeq(d.seq)) return bad("seq outside 1..15");
  if (d.s2d_index > 3) return bad("s2d_index outside 0..3");

  // The UNI cid and the legacy pq_id share offset 34; the UNI option and the legacy
  // ext_cid_ack share 43: pq_id 0x8000 with a 0/1 byte at 43 is the legacy header.
  static_assert(uni::kCid == leg::kPqId && uni::kOption == leg::kExtCidAck);
  const uint16_t w34 = *f.le16(uni::kCid);
  const uint8_t b43 = f[uni::kOption];
  if (w34 == kMcuPqId && b43 <= 1) {
    if (f.size() < kLegacyHeaderSize) return bad("shorter than the 64-byte legacy header");
    d.uni = false;
    d.pq_id = w34;
    d.cid = f[leg::kCid];
    d.set_query = f[leg::kSetQuery];
    d.ext_cid = f[leg::kExtCid];
    d.ext_cid_ack = b43;
    if (d.ext_cid_ack != (d.ext_cid != 0 ? 1 : 0)) return bad("ext_cid_ack disagrees with ext_cid");
    if (d.set_query == static_cast<uint8_t>(SetQuery::kReserved) || d.set_query > 3) {
      return bad("set_query is not QUERY, SET or NA");
    }
    uint32_t w = d.cid | (static_cast<uint32_t>(d.ext_cid) << CmdWord::kExtIdShift);
    if (d.set_query == static_cast<uint8_t>(SetQuery::kQuery)) w |= CmdWord::kQuery;
    if (d.ext_cid == 0 && d.set_query != static_cast<uint8_t>(SetQuery::kNa)) w |= CmdWord::kCe;
    if (d.s2d_index == static_cast<uint8_t>(S2d::kH2C)) w |= CmdWord::kWa;
    d.cmd = CmdWord{w};
    d.payload = *f.From(kLegacyHeaderSize);
    return d;
  }
  if ((b43 & uni_option::kUni) == 0) return bad("neither a UNI header nor a legacy header");
  if (w34 > 0xff) return bad("UNI cid above 0xff");
  d.uni = true;
  d.cid = w34;
  d.option = b43;
  if ((d.option & ~(uni_option::kAck | uni_option::kUni | uni_option::kSet)) != 0) {
    return bad("unknown UNI option bits");
  }
  uint32_t w = CmdWord::kUni | d.cid;
  if ((d.option & uni_option::kSet) == 0) w |= CmdWord::kQuery;
  d.cmd = CmdWord{w};
  d.payload = *f.From(kUniHeaderSize);
  return d;
}

}  // namespace connac

#endif  // CONNAC_MCU_FRAME_H_
