// The Python seed generator (tools/fuzz/make_seeds.py) builds MCU events on its own, so the
// seed corpora could drift from the core's layout unnoticed. This test rebuilds every sample
// event the generator prints (--layout-samples, run by the genrule in fuzz/BUILD) with the
// core's connac::EncodeEvent and requires the same bytes.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_event.h"
#include "gtest/gtest.h"

namespace {

std::vector<uint8_t> FromHex(const std::string& s) {
  std::vector<uint8_t> out;
  if (s == "-") return out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(SeedLayoutTest, GeneratorEventsAreTheCoresEvents) {
  std::ifstream in("fuzz/seed_layout_samples.txt");
  ASSERT_TRUE(in.good()) << "the genrule's output is missing";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string kind, payload_hex, event_hex;
    int rxd = 0, seq = 0, eid = 0, option = 0, ext_eid = 0;
    ASSERT_TRUE(f >> kind >> rxd >> seq >> eid >> option >> ext_eid >> payload_hex >> event_hex)
        << line;
    ASSERT_EQ(kind, "event");
    const connac::Profile& p = rxd == 36 ? connac::kMt7921 : connac::kMt7925;
    ASSERT_EQ(p.rxd_size, rxd);
    connac::EventHeader h;
    h.seq = static_cast<uint8_t>(seq);
    h.eid = static_cast<uint8_t>(eid);
    h.option = static_cast<uint8_t>(option);
    h.ext_eid = static_cast<uint8_t>(ext_eid);
    const std::vector<uint8_t> payload = FromHex(payload_hex);
    std::vector<uint8_t> out(rxd + payload.size());
    const connac::Result<size_t> n =
        connac::EncodeEvent(p, h, connac::ConstBytes(payload.data(), payload.size()),
                            connac::MutableBytes(out.data(), out.size()));
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(out, FromHex(event_hex)) << line;
    ++checked;
  }
  EXPECT_GE(checked, 20) << "too few samples: the generator's sample list shrank";
}

}  // namespace
