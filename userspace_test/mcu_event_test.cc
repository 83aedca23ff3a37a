// connac/mcu_event.h: RX descriptor decode and TLV iteration over untrusted bytes.
//
// Layouts (openwrt/mt76 @59676919): mt7925/mcu.h struct mt7925_mcu_rxd and mt7996/mcu.h
// struct mt7996_mcu_rxd (32-byte HW RXD + 12: len@32 pkt_type_id@34 eid@36 seq@37 option@38
// ext_eid@40 s2d_index@43, payload@44); mt76_connac_mcu.h struct mt76_connac2_mcu_rxd (mt7921,
// 24-byte HW RXD + 12: eid@28 seq@29 option@30 ext_eid@32 s2d@35, payload@36).
// RXD0 PKT_TYPE 31:27, PKT_FLAG 19:16 (mt76_connac2_mac.h / mt76_connac3_mac.h).

#include "connac/mcu_event.h"

#include <cstdint>
#include <vector>

#include "connac/family.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"

namespace connac {
namespace {

using connac_test::Hex;
using connac_test::Inside;
using connac_test::Prng;
using connac_test::View;

// ---------------------------------------------------------------------------------------
// ParseEvent golden headers.

struct EventCase {
  const char* desc;
  const Profile* p;
  const char* bytes;
  uint32_t rxd0;
  uint16_t len;
  uint16_t pkt_type_id;
  uint8_t eid, seq, option, ext_eid, s2d;
  const char* payload;
};

const EventCase kEventCases[] = {
    {"mt7925 UNI RESULT for BSS_INFO seq 12 (mt7925_mcu_rxd, 44 bytes)", &kMt7925,
     "34 00 00 38"  // RXD0: PKT_TYPE 7 (RX_EVENT) << 27, PKT_FLAG 0, length 0x34
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "14 00"                      // @32 len
     "00 e0"                      // @34 pkt_type_id
     "01"                         // @36 eid MCU_UNI_EVENT_RESULT
     "0c"                         // @37 seq 12
     "02"                         // @38 option MCU_UNI_CMD_EVENT
     "00"                         // @39 rsv
     "00"                         // @40 ext_eid
     "00 00"                      // @41 rsv1
     "00"                         // @43 s2d_index
     "02 00 00 00  01 00 00 c0",  // @44 payload {u8 cid 2, 3 pad, le32 0xc0000001}
     0x38000034, 0x0014, 0xe000, 0x01, 12, 0x02, 0x00, 0x00, "02 00 00 00 01 00 00 c0"},

    {"mt7996 header fields at the same offsets, every field distinct", &kMt7996,
     "78 56 34 12"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "21 43 65 87 a1 a2 a3 a4 a5 a6 a7 a8",
     0x12345678, 0x4321, 0x8765, 0xa1, 0xa2, 0xa3, 0xa5, 0xa8, ""},

    {"mt7921 connac2 rxd: 24-byte HW RXD, eid@28 seq@29 option@30 ext_eid@32 s2d@35", &kMt7921,
     "28 00 00 38"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "0c 00"         // @24 len
     "00 e0"         // @26 pkt_type_id
     "ed"            // @28 eid MCU_EVENT_EXT
     "07"            // @29 seq
     "00"            // @30 option: legacy event
     "00"            // @31 rsv
     "2c"            // @32 ext_eid
     "00 00"         // @33 rsv1
     "02"            // @35 s2d_index
     "de ad be ef",  // @36 payload
     0x38000028, 0x000c, 0xe000, 0xed, 7, 0x00, 0x2c, 0x02, "de ad be ef"},
};

TEST(ParseEventTest, GoldenHeaders) {
  for (const EventCase& c : kEventCases) {
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> raw = Hex(c.bytes);
    ASSERT_GE(raw.size(), c.p->rxd_size);
    Result<McuEvent> e = ParseEvent(*c.p, View(raw));
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->rxd0, c.rxd0);
    EXPECT_EQ(e->len, c.len);
    EXPECT_EQ(e->pkt_type_id, c.pkt_type_id);
    EXPECT_EQ(e->eid, c.eid);
    EXPECT_EQ(e->seq, c.seq);
    EXPECT_EQ(e->option, c.option);
    EXPECT_EQ(e->ext_eid, c.ext_eid);
    EXPECT_EQ(e->s2d_index, c.s2d);
    EXPECT_EQ(e->raw.data(), raw.data());
    EXPECT_EQ(e->raw.size(), raw.size());
    EXPECT_EQ(e->payload.data(), raw.data() + c.p->rxd_size);
    EXPECT_TRUE(connac_test::BytesEqual(View(Hex(c.payload)), e->payload));
  }
}

// EncodeEvent writes the golden events byte for byte: the encoder the firmware simulators and
// tests use shares its layout with ParseEvent, and both are pinned by the driver's structs.
TEST(EncodeEventTest, ReproducesTheGoldenEvents) {
  for (const EventCase& c : kEventCases) {
    // Only the events a firmware would send: RXD0 and len say the real length (the other
    // golden cases put distinct values in every field to test the parser).
    const size_t size = Hex(c.bytes).size();
    if (c.rxd0 >> 27 != 7 || (c.rxd0 & 0xffff) != size || c.len != size - (c.p->rxd_size - 12u)) {
      continue;
    }
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> want = Hex(c.bytes);
    EventHeader h;
    h.eid = c.eid;
    h.seq = c.seq;
    h.option = c.option;
    h.ext_eid = c.ext_eid;
    h.pkt_type_id = c.pkt_type_id;
    h.s2d_index = c.s2d;
    const std::vector<uint8_t> payload = Hex(c.payload);
    std::vector<uint8_t> out(want.size() + 8, 0xa5);
    Result<size_t> n = EncodeEvent(*c.p, h, View(payload), connac_test::MutView(out));
    ASSERT_TRUE(n.ok());
    out.resize(*n);
    EXPECT_TRUE(connac_test::BytesEqual(View(want), View(out)));
  }
}

TEST(EncodeEventTest, RefusesWhatDoesNotFit) {
  uint8_t small[43];
  EXPECT_EQ(EncodeEvent(kMt7925, EventHeader{}, ConstBytes(), MutableBytes(small)).status(),
            Errno::kNoBufs);
  std::vector<uint8_t> big(0x10000);
  std::vector<uint8_t> out(big.size() + 64);
  EXPECT_EQ(EncodeEvent(kMt7925, EventHeader{}, View(big), connac_test::MutView(out)).status(),
            Errno::kMsgSize);
  const Profile bad(Family::kMt7925, "x", Filler::kMt7925, ResponseRules::kMt7925, 0,
                    Duration::Seconds(3));
  EXPECT_EQ(EncodeEvent(bad, EventHeader{}, ConstBytes(), connac_test::MutView(out)).status(),
            Errno::kInval);
}

// Each header byte lands in exactly the field the layout says, for every profile.
TEST(ParseEventTest, EachOffsetFeedsItsField) {
  for (const Profile* p : kAllProfiles) {
    SCOPED_TRACE(p->name);
    std::vector<uint8_t> raw(p->rxd_size + 3);
    for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>(0x40 + i);
    Result<McuEvent> e = ParseEvent(*p, View(raw));
    ASSERT_TRUE(e.ok());
    const size_t hw = p->rxd_size - 12u;
    EXPECT_EQ(e->len, raw[hw] | raw[hw + 1] << 8);
    EXPECT_EQ(e->pkt_type_id, raw[hw + 2] | raw[hw + 3] << 8);
    EXPECT_EQ(e->eid, raw[hw + 4]);
    EXPECT_EQ(e->seq, raw[hw + 5]);
    EXPECT_EQ(e->option, raw[hw + 6]);
    EXPECT_EQ(e->ext_eid, raw[hw + 8]);
    EXPECT_EQ(e->s2d_index, raw[hw + 11]);
    EXPECT_EQ(e->payload.size(), 3u);
    EXPECT_EQ(e->payload[0], raw[p->rxd_size]);
  }
}

TEST(ParseEventTest, EveryTruncatedPrefixIsBadMsg) {
  for (const Profile* p : kAllProfiles) {
    SCOPED_TRACE(p->name);
    const std::vector<uint8_t> raw(p->rxd_size, 0x11);
    for (size_t n = 0; n < raw.size(); ++n) {
      EXPECT_EQ(ParseEvent(*p, ConstBytes(raw.data(), n)).status().err(), Errno::kBadMsg) << n;
    }
    // Exactly the header: accepted, with an empty payload.
    Result<McuEvent> e = ParseEvent(*p, View(raw));
    ASSERT_TRUE(e.ok());
    EXPECT_TRUE(e->payload.empty());
  }
  EXPECT_EQ(ParseEvent(kMt7925, ConstBytes()).status().err(), Errno::kBadMsg);
}

// The header's own len field is not trusted or enforced (the driver ignores it too).
TEST(ParseEventTest, LenFieldIsNotEnforced) {
  std::vector<uint8_t> raw(50, 0);
  raw[32] = 0xff;
  raw[33] = 0xff;
  Result<McuEvent> e = ParseEvent(kMt7925, View(raw));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->len, 0xffff);
  EXPECT_EQ(e->payload.size(), 6u);
}

struct Rxd0Case {
  const char* desc;
  uint32_t rxd0;
  uint8_t type;
  uint8_t flag;
  bool mcu_event;
};

constexpr Rxd0Case kRxd0Cases[] = {
    {"PKT_TYPE_RX_EVENT, flag 0", 0x38000000, 7, 0, true},
    {"RX_EVENT with PKT_FLAG 1 is an MCU data frame (PKT_TYPE_NORMAL_MCU path)", 0x38010000, 7, 1,
     false},
    {"RX_EVENT with PKT_FLAG 2 is still an event", 0x38020000, 7, 2, true},
    {"RX_EVENT, length bits do not matter", 0x3800ffff, 7, 0, true},
    {"PKT_TYPE_NORMAL", 0x10000000, 2, 0, false},
    {"PKT_TYPE_TXRX_NOTIFY", 0x30000000, 6, 0, false},
    {"PKT_TYPE_NORMAL_MCU", 0x40000000, 8, 0, false},
    {"PKT_TYPE_TXRX_NOTIFY_V0 0x18", 0xc0000000, 0x18, 0, false},
    {"PKT_FLAG 15", 0x380f0000, 7, 15, true},
};

TEST(McuEventTest, PktTypeAndFlag) {
  for (const Rxd0Case& c : kRxd0Cases) {
    SCOPED_TRACE(c.desc);
    McuEvent e;
    e.rxd0 = c.rxd0;
    EXPECT_EQ(e.pkt_type(), c.type);
    EXPECT_EQ(e.pkt_flag(), c.flag);
    EXPECT_EQ(e.is_mcu_event(), c.mcu_event);
  }
}

struct OptionBitsCase {
  const char* desc;
  uint8_t option;
  bool uni;
  bool unsolicited;
};

constexpr OptionBitsCase kOptionBitsCases[] = {
    {"legacy response", 0x00, false, false},
    {"UNI response (MCU_UNI_CMD_EVENT)", 0x02, true, false},
    {"UNI unsolicited (MCU_UNI_CMD_UNSOLICITED_EVENT)", 0x06, true, true},
    {"unsolicited bit alone", 0x04, false, true},
    {"bit 0 only", 0x01, false, false},
};

TEST(McuEventTest, OptionBits) {
  for (const OptionBitsCase& c : kOptionBitsCases) {
    SCOPED_TRACE(c.desc);
    McuEvent e;
    e.option = c.option;
    EXPECT_EQ(e.uni(), c.uni);
    EXPECT_EQ(e.unsolicited(), c.unsolicited);
  }
}

TEST(McuEventTest, UnsolicitedTlvsSkipTheFixedHeader) {
  struct Case {
    const char* desc;
    const char* payload;
    Errno want;
    const char* tlvs;
  };
  const Case cases[] = {
      {"empty payload: shorter than the 4-byte fixed header", "", Errno::kBadMsg, ""},
      {"3 bytes: short", "01 02 03", Errno::kBadMsg, ""},
      {"exactly the fixed header: no TLVs", "01 02 03 04", Errno::kOk, ""},
      {"fixed header then a TLV", "01 02 03 04  05 00 04 00", Errno::kOk, "05 00 04 00"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> payload = Hex(c.payload);
    McuEvent e;
    e.payload = View(payload);
    Result<ConstBytes> t = e.UnsolicitedTlvs();
    EXPECT_EQ(t.status().err(), c.want);
    if (t.ok()) {
      EXPECT_TRUE(connac_test::BytesEqual(View(Hex(c.tlvs)), *t));
    }
  }
}

// ---------------------------------------------------------------------------------------
// TlvIterator.

struct TlvCase {
  const char* desc;
  const char* bytes;
  std::vector<uint16_t> tags;  // tags returned before the end or the error
  std::vector<uint16_t> value_sizes;
  bool malformed;  // ends in kBadMsg rather than kNoEnt
};

const TlvCase kTlvCases[] = {
    {"empty input: done at once", "", {}, {}, false},
    {"one empty TLV (len 4)", "01 00 04 00", {1}, {0}, false},
    {"one TLV with a 3-byte value (no padding rule)", "02 00 07 00 aa bb cc", {2}, {3}, false},
    {"two TLVs back to back", "27 00 06 00 01 02  0a 01 05 00 ff", {0x27, 0x10a}, {2, 1}, false},
    {"three empty TLVs", "01 00 04 00 02 00 04 00 03 00 04 00", {1, 2, 3}, {0, 0, 0}, false},
    {"len 0 would never advance", "01 00 00 00", {}, {}, true},
    {"len 1", "01 00 01 00", {}, {}, true},
    {"len 3", "01 00 03 00 00", {}, {}, true},
    {"len past the end by one", "01 00 05 00", {}, {}, true},
    {"len 0xffff", "01 00 ff ff 00 00", {}, {}, true},
    {"good TLV then len < 4", "01 00 04 00  02 00 02 00", {1}, {0}, true},
    {"good TLV then len past the end", "01 00 04 00  02 00 09 00 00 00 00 00", {1}, {0}, true},
    {"trailing 1 byte", "01 00 04 00  00", {1}, {0}, true},
    {"trailing 2 bytes", "01 00 04 00  00 00", {1}, {0}, true},
    {"trailing 3 bytes", "01 00 04 00  00 00 00", {1}, {0}, true},
    {"only 3 bytes", "01 00 04", {}, {}, true},
};

TEST(TlvIteratorTest, Sequences) {
  for (const TlvCase& c : kTlvCases) {
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> bytes = Hex(c.bytes);
    TlvIterator it(View(bytes));
    std::vector<uint16_t> tags;
    std::vector<uint16_t> sizes;
    Result<Tlv> t = it.Next();
    for (size_t guard = 0; t.ok() && guard <= bytes.size(); ++guard) {
      tags.push_back(t->tag);
      sizes.push_back(static_cast<uint16_t>(t->value.size()));
      EXPECT_EQ(t->len, t->value.size() + 4);
      EXPECT_TRUE(Inside(t->value, View(bytes)));
      t = it.Next();
    }
    ASSERT_FALSE(t.ok()) << "iteration did not end";
    EXPECT_EQ(tags, c.tags);
    EXPECT_EQ(sizes, c.value_sizes);
    EXPECT_EQ(it.count(), c.tags.size());
    EXPECT_EQ(t.status().err(), c.malformed ? Errno::kBadMsg : Errno::kNoEnt);
    EXPECT_EQ(it.status().err(), c.malformed ? Errno::kBadMsg : Errno::kOk);
    EXPECT_EQ(it.done(), !c.malformed);
    // The end state is sticky: asking again gives the same answer and changes nothing.
    for (int i = 0; i < 3; ++i) {
      Result<Tlv> again = it.Next();
      EXPECT_EQ(again.status().err(), t.status().err());
      EXPECT_EQ(it.count(), c.tags.size());
    }
  }
}

TEST(TlvIteratorTest, ValuePointsIntoTheInput) {
  const std::vector<uint8_t> bytes = Hex("27 00 08 00 de ad be ef  01 00 05 00 7f");
  TlvIterator it(View(bytes));
  Result<Tlv> a = it.Next();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->tag, 0x27);
  EXPECT_EQ(a->len, 8);
  EXPECT_EQ(a->value.data(), bytes.data() + 4);
  EXPECT_EQ(a->value[3], 0xef);
  EXPECT_FALSE(it.done()) << "not done until the end is reached";
  Result<Tlv> b = it.Next();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->value.data(), bytes.data() + 12);
  EXPECT_EQ(b->value[0], 0x7f);
  EXPECT_TRUE(it.done());
  EXPECT_EQ(it.Next().status().err(), Errno::kNoEnt);
}

// Random bytes, and random TLV chains with corrupted lengths: the iterator always ends,
// within size/4 + 1 steps, and every TLV it returns lies inside the buffer.
TEST(TlvIteratorTest, FuzzNeverLeavesTheBuffer) {
  Prng rng(0x5eed1234);
  size_t total_tlvs = 0;
  size_t clean_ends = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<uint8_t> buf;
    if (rng.OneIn(2)) {
      buf.resize(rng.Below(96));
      for (uint8_t& b : buf) b = rng.Byte();
    } else {
      // A well-formed chain, then maybe a corruption.
      const uint32_t n = rng.Below(6);
      for (uint32_t k = 0; k < n; ++k) {
        const uint16_t body = static_cast<uint16_t>(rng.Below(12));
        const uint16_t len = static_cast<uint16_t>(body + 4);
        buf.push_back(rng.Byte());
        buf.push_back(rng.Byte());
        buf.push_back(static_cast<uint8_t>(len));
        buf.push_back(static_cast<uint8_t>(len >> 8));
        for (uint16_t j = 0; j < body; ++j) buf.push_back(rng.Byte());
      }
      if (!buf.empty() && rng.OneIn(2))
        buf[rng.Below(static_cast<uint32_t>(buf.size()))] = rng.Byte();
      if (rng.OneIn(4)) buf.resize(buf.size() + rng.Below(4), 0);
    }
    const ConstBytes view = View(buf);
    TlvIterator it(view);
    size_t steps = 0;
    size_t consumed = 0;
    Result<Tlv> t = it.Next();
    while (t.ok()) {
      ASSERT_LE(++steps, buf.size() / 4) << "more TLVs than 4-byte headers fit";
      ASSERT_GE(t->len, 4);
      ASSERT_TRUE(Inside(t->value, view));
      ASSERT_EQ(t->value.data(), buf.data() + consumed + 4) << "TLVs are contiguous";
      consumed += t->len;
      ASSERT_LE(consumed, buf.size());
      t = it.Next();
    }
    ASSERT_TRUE(t.status().err() == Errno::kNoEnt || t.status().err() == Errno::kBadMsg);
    ASSERT_EQ(it.count(), steps);
    if (it.done()) {
      ASSERT_EQ(consumed, buf.size());
      ++clean_ends;
    }
    total_tlvs += steps;
  }
  EXPECT_GT(total_tlvs, 10000u);
  EXPECT_GT(clean_ends, 1000u);
}

TEST(ParseEventTest, FuzzRandomBytes) {
  Prng rng(77);
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<uint8_t> buf(rng.Below(64));
    for (uint8_t& b : buf) b = rng.Byte();
    for (const Profile* p : kAllProfiles) {
      Result<McuEvent> e = ParseEvent(*p, View(buf));
      if (buf.size() < p->rxd_size) {
        ASSERT_EQ(e.status().err(), Errno::kBadMsg);
        continue;
      }
      ASSERT_TRUE(e.ok());
      ASSERT_TRUE(Inside(e->payload, View(buf)));
      ASSERT_EQ(e->payload.size(), buf.size() - p->rxd_size);
      Result<ConstBytes> tl = e->UnsolicitedTlvs();
      if (tl.ok()) {
        ASSERT_TRUE(Inside(*tl, View(buf)));
      }
    }
  }
}

}  // namespace
}  // namespace connac
