// Fuzz target: DecodeFrame on arbitrary bytes (host-to-device frames, as `connac decode` and
// FwSim see them).
//
// Properties: a rejected frame names a reason; an accepted one has TX_BYTES and len equal to
// its size, a header of 48 (UNI) or 64 (legacy) bytes and a payload that is the rest of the
// input; and re-encoding the decoded word, seq and payload with the mt7925 filler (which loses
// nothing of the word) decodes back to the same word, seq and payload.

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_frame.h"
#include "fuzz/fuzz_check.h"

namespace {

uint8_t g_out[connac::kMaxFrameSize];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace connac;  // NOLINT(build/namespaces): a fuzz target, not a header.
  const ConstBytes f(data, size);
  const char* reason = nullptr;
  Result<DecodedFrame> d = DecodeFrame(f, &reason);
  if (!d.ok()) {
    FUZZ_CHECK(d.status().err() == Errno::kBadMsg);
    FUZZ_CHECK(reason != nullptr);
    return 0;
  }
  const size_t hdr = d->uni ? kUniHeaderSize : kLegacyHeaderSize;
  FUZZ_CHECK(d->tx_bytes == size);
  FUZZ_CHECK(d->len == size - kHwTxdSize);
  FUZZ_CHECK(IsValidSeq(d->seq));
  FUZZ_CHECK(!d->cmd.has_unknown_bits());
  FUZZ_CHECK(d->cmd.uni() == d->uni);
  FUZZ_CHECK(d->payload.size() == size - hdr);
  FUZZ_CHECK(d->payload.data() == data + hdr);
  FUZZ_CHECK(connac_fuzz::Inside(d->payload, f));

  // A legacy header with cid 0xee and no flags decodes to the FW_SCATTER word, which is sent
  // without any header: nothing to re-encode.
  if (d->cmd.is_fw_scatter()) return 0;
  Result<size_t> n =
      EncodeFrame(kMt7925, d->cmd, d->seq, d->payload, MutableBytes(g_out, sizeof(g_out)));
  FUZZ_CHECK(n.ok());
  FUZZ_CHECK(*n == size);
  Result<DecodedFrame> again = DecodeFrame(ConstBytes(g_out, *n));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->cmd == d->cmd);
  FUZZ_CHECK(again->seq == d->seq);
  FUZZ_CHECK(again->uni == d->uni);
  FUZZ_CHECK(again->payload.size() == d->payload.size());
  for (size_t i = 0; i < d->payload.size(); ++i) FUZZ_CHECK(again->payload[i] == d->payload[i]);
  return 0;
}
