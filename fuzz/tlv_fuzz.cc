// Fuzz target: TlvIterator over arbitrary bytes.
//
// Properties: every TLV lies inside the input, has len >= 4 and value = len - 4 bytes, and
// follows the previous one without gap or overlap; the walk ends (kNoEnt exactly when every
// byte was consumed, else a sticky kBadMsg) within size / 4 TLVs; count() is the number
// returned.

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/mcu_event.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace connac;  // NOLINT(build/namespaces): a fuzz target, not a header.
  const ConstBytes in(data, size);
  TlvIterator it(in);
  size_t n = 0;
  size_t consumed = 0;
  Result<Tlv> t = it.Next();
  for (; t.ok(); t = it.Next()) {
    FUZZ_CHECK(++n <= size / 4);
    FUZZ_CHECK(t->len >= 4);
    FUZZ_CHECK(t->value.size() == t->len - 4u);
    FUZZ_CHECK(connac_fuzz::Inside(t->value, in));
    FUZZ_CHECK(t->value.data() == data + consumed + 4);  // right behind the previous TLV
    FUZZ_CHECK(t->tag == (data[consumed] | data[consumed + 1] << 8));
    consumed += t->len;
    FUZZ_CHECK(it.count() == n);
  }
  FUZZ_CHECK(it.count() == n);
  if (t.status().err() == Errno::kNoEnt) {
    FUZZ_CHECK(consumed == size);
    FUZZ_CHECK(it.done());
  } else {
    FUZZ_CHECK(t.status().err() == Errno::kBadMsg);
    FUZZ_CHECK(!it.done());
    FUZZ_CHECK(consumed < size);
    // Sticky: the error repeats and nothing more is returned.
    for (int i = 0; i < 3; ++i) {
      Result<Tlv> again = it.Next();
      FUZZ_CHECK(!again.ok() && again.status().err() == Errno::kBadMsg);
      FUZZ_CHECK(it.count() == n);
    }
  }
  return 0;
}
