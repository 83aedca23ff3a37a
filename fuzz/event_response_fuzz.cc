// Fuzz target: ParseEvent and ParseResponse (device-to-host events) for every profile.
//
// Input: le32 command word, u8 seq, then the event bytes. The same event is parsed with the
// mt7921, mt7925 and mt7996 rules, and its payload (and the TLVs of an unsolicited event) is
// walked with TlvIterator.
//
// Properties: ParseEvent accepts exactly the events at least rxd_size long and its payload is
// the rest of the input; ParseResponse is kMalformed when ParseEvent fails, kStale when the
// seq differs, gives a reason for every kStale/kMalformed and a payload inside the event for
// kDone; TLV walks stay inside the input and end.

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_response.h"
#include "fuzz/fuzz_check.h"

namespace {

using connac::ConstBytes;

void WalkTlvs(ConstBytes tlvs) {
  connac::TlvIterator it(tlvs);
  size_t n = 0;
  connac::Result<connac::Tlv> t = it.Next();
  for (; t.ok(); t = it.Next()) {
    FUZZ_CHECK(connac_fuzz::Inside(t->value, tlvs));
    FUZZ_CHECK(t->len >= 4 && t->value.size() == t->len - 4u);
    FUZZ_CHECK(++n <= tlvs.size() / 4);  // every TLV consumes at least 4 bytes
  }
  FUZZ_CHECK(it.count() == n);
  FUZZ_CHECK(it.done() == (t.status().err() == connac::Errno::kNoEnt));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace connac;  // NOLINT(build/namespaces): a fuzz target, not a header.
  connac_fuzz::Reader in(data, size);
  const CmdWord cmd{in.Le32()};
  const uint8_t seq = in.U8();
  const ConstBytes event = in.Take(in.left());

  for (const Profile* p : kAllProfiles) {
    Result<McuEvent> ev = ParseEvent(*p, event);
    FUZZ_CHECK(ev.ok() == (event.size() >= p->rxd_size));
    const Response r = ParseResponse(*p, cmd, seq, event);
    if (!ev.ok()) {
      FUZZ_CHECK(r.verdict == Verdict::kMalformed);
    } else {
      FUZZ_CHECK(ev->payload.size() == event.size() - p->rxd_size);
      FUZZ_CHECK(ev->payload.data() == event.data() + p->rxd_size);
      FUZZ_CHECK(ev->raw.data() == event.data() && ev->raw.size() == event.size());
      if (ev->seq != seq) FUZZ_CHECK(r.verdict == Verdict::kStale);
      WalkTlvs(ev->payload);
      Result<ConstBytes> un = ev->UnsolicitedTlvs();
      FUZZ_CHECK(un.ok() == (ev->payload.size() >= kUnsolicitedFixedHeader));
      if (un.ok()) {
        FUZZ_CHECK(connac_fuzz::Inside(*un, event));
        WalkTlvs(*un);
      }
    }
    if (r.verdict == Verdict::kDone) {
      FUZZ_CHECK(r.reason == nullptr);
      FUZZ_CHECK(connac_fuzz::Inside(r.payload, event));
    } else {
      FUZZ_CHECK(r.reason != nullptr);
      FUZZ_CHECK(r.verdict == Verdict::kStale || r.verdict == Verdict::kMalformed);
    }
  }
  return 0;
}
