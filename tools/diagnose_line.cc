// File: tools/diagnose_line.cc

#include "tools/diagnose_line.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "absl/strings/match.h"

namespace connac::diagnose {
namespace {

// ---- Cursor helpers: each consumes from the front of *s only when it matches. ----------

// Character classes as a table. The scanners that run on every line read it directly
// (kClass[...] & kDigit) rather than through a helper, so that the unoptimised build, where
// nothing is inlined, streams as fast as it must (docs/PERFORMANCE.md).
enum : uint8_t { kDigit = 1, kAlpha = 2, kIfaceChar = 4, kBusChar = 8 };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    t[c] = static_cast<uint8_t>(
        (digit ? kDigit : 0) | (alpha ? kAlpha : 0) |
        (digit || alpha || c == '_' || c == '-' || c == '.' || c == '@' ? kIfaceChar : 0) |
        (digit || alpha || c == ':' || c == '.' || c == '-' || c == '_' ? kBusChar : 0));
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClass = MakeClasses();

uint8_t ClassOf(char c) { return kClass[static_cast<uint8_t>(c)]; }
bool IsDigit(char c) { return (ClassOf(c) & kDigit) != 0; }
bool IsAlpha(char c) { return (ClassOf(c) & kAlpha) != 0; }
bool IsAlnum(char c) { return (ClassOf(c) & (kDigit | kAlpha)) != 0; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Consume(absl::string_view* s, absl::string_view lit) {
  if (!absl::StartsWith(*s, lit)) return false;
  s->remove_prefix(lit.size());
  return true;
}

void SkipSpaces(absl::string_view* s) {
  const char* p = s->data();
  const size_t n = s->size();
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) ++i;
  s->remove_prefix(i);
}

// Unsigned decimal of min..max digits. Values stay far below 2^63 (max_digits <= 18).
// The scanners below walk raw pointers: they run on every line, and this keeps the
// unoptimised build (the default `bazel build`) fast as well.
bool ConsumeUint(absl::string_view* s, size_t min_digits, size_t max_digits, int64_t* v) {
  const char* p = s->data();
  const size_t n = s->size();
  size_t i = 0;
  int64_t x = 0;
  while (i < n && i < max_digits && (kClass[static_cast<uint8_t>(p[i])] & kDigit)) {
    x = x * 10 + (p[i++] - '0');
  }
  if (i < min_digits || (i < n && (kClass[static_cast<uint8_t>(p[i])] & kDigit))) return false;
  *v = x;
  s->remove_prefix(i);
  return true;
}

bool ConsumeInt(absl::string_view* s, int32_t* v) {
  absl::string_view t = *s;
  const bool neg = Consume(&t, "-");
  int64_t x = 0;
  if (!ConsumeUint(&t, 1, 10, &x) || x > 0x7fffffff) return false;
  *v = static_cast<int32_t>(neg ? -x : x);
  *s = t;
  return true;
}

// Fraction digits after a '.', as seconds: ".723320" -> 0.72332.
bool ConsumeFraction(absl::string_view* s, double* frac) {
  const char* p = s->data();
  const size_t n = s->size();
  if (n == 0 || p[0] != '.') return false;
  size_t i = 1;
  double scale = 0.1;
  double f = 0;
  while (i < n && i <= 10 && (kClass[static_cast<uint8_t>(p[i])] & kDigit)) {
    f += (p[i++] - '0') * scale;
    scale /= 10;
  }
  if (i == 1) return false;
  *frac = f;
  s->remove_prefix(i);
  return true;
}

bool ConsumeHex(absl::string_view* s, size_t min_digits, size_t max_digits, uint32_t* v) {
  size_t i = 0;
  uint32_t x = 0;
  while (i < s->size() && i < max_digits && HexDigit((*s)[i]) >= 0) {
    x = x << 4 | static_cast<uint32_t>(HexDigit((*s)[i++]));
  }
  if (i < min_digits) return false;
  *v = x;
  s->remove_prefix(i);
  return true;
}

bool ConsumeMac(absl::string_view* s, Mac* m) {
  if (s->size() < 17) return false;
  for (int i = 0; i < 6; ++i) {
    const int hi = HexDigit((*s)[3 * i]);
    const int lo = HexDigit((*s)[3 * i + 1]);
    if (hi < 0 || lo < 0 || (i < 5 && (*s)[3 * i + 2] != ':')) return false;
    m->b[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  s->remove_prefix(17);
  return true;
}

// ---- Calendar ------------------------------------------------------------------------

constexpr absl::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr absl::string_view kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int ConsumeMonth(absl::string_view* s) {
  if (s->size() < 4 || (*s)[3] != ' ') return 0;
  for (int i = 0; i < 12; ++i) {
    if (s->substr(0, 3) == kMonths[i]) {
      s->remove_prefix(4);
      return i + 1;
    }
  }
  return 0;
}

bool ConsumeWeekday(absl::string_view* s) {
  if (s->size() < 4 || (*s)[3] != ' ') return false;
  for (absl::string_view d : kWeekdays) {
    if (s->substr(0, 3) == d) {
      s->remove_prefix(4);
      return true;
    }
  }
  return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "hh:mm:ss" with an optional fraction, as seconds of the day.
bool ConsumeClock(absl::string_view* s, double* sod) {
  absl::string_view t = *s;
  int64_t h = 0, m = 0, sec = 0;
  if (!ConsumeUint(&t, 2, 2, &h) || !Consume(&t, ":") || !ConsumeUint(&t, 2, 2, &m) ||
      !Consume(&t, ":") || !ConsumeUint(&t, 2, 2, &sec) || h > 23 || m > 59 || sec > 60) {
    return false;
  }
  double frac = 0;
  ConsumeFraction(&t, &frac);
  *sod = static_cast<double>(h * 3600 + m * 60 + sec) + frac;
  *s = t;
  return true;
}

// Day of month, space-padded by ctime ("May  3").
bool ConsumeDay(absl::string_view* s, int64_t* day) {
  SkipSpaces(s);
  return ConsumeUint(s, 1, 2, day) && *day >= 1 && *day <= 31;
}

// "Www Mmm d hh:mm:ss yyyy" (ctime, as dmesg -T and OpenWrt logread print it).
bool ConsumeCtime(absl::string_view* s, double* wall) {
  absl::string_view t = *s;
  int64_t day = 0, year = 0;
  double sod = 0;
  if (!ConsumeWeekday(&t)) return false;
  const int month = ConsumeMonth(&t);
  if (month == 0 || !ConsumeDay(&t, &day) || !Consume(&t, " ") || !ConsumeClock(&t, &sod) ||
      !Consume(&t, " ") || !ConsumeUint(&t, 4, 4, &year)) {
    return false;
  }
  *wall = static_cast<double>(DaysFromCivil(year, month, day) * 86400) + sod;
  *s = t;
  return true;
}

// "yyyy-mm-ddThh:mm:ss[.frac][Z|+hh:mm|+hhmm]" (RFC 3339; a space instead of 'T' too).
bool ConsumeIso(absl::string_view* s, double* wall) {
  absl::string_view t = *s;
  int64_t y = 0, mo = 0, d = 0;
  double sod = 0;
  if (!ConsumeUint(&t, 4, 4, &y) || !Consume(&t, "-") || !ConsumeUint(&t, 2, 2, &mo) ||
      !Consume(&t, "-") || !ConsumeUint(&t, 2, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
      t.empty() || (t[0] != 'T' && t[0] != ' ')) {
    return false;
  }
  t.remove_prefix(1);
  if (!ConsumeClock(&t, &sod)) return false;
  double offset = 0;
  if (Consume(&t, "Z")) {
  } else if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    const double sign = t[0] == '-' ? -1 : 1;
    absl::string_view z = t.substr(1);
    int64_t hh = 0, mm = 0;
    if (ConsumeUint(&z, 2, 2, &hh)) {
      Consume(&z, ":");
      ConsumeUint(&z, 2, 2, &mm);
      offset = sign * static_cast<double>(hh * 3600 + mm * 60);
      t = z;
    }
  }
  *wall = static_cast<double>(DaysFromCivil(y, mo, d) * 86400) + sod - offset;
  *s = t;
  return true;
}

// "[ 1447.723320]": seconds since boot.
bool ConsumeKernelTs(absl::string_view* s, double* boot) {
  absl::string_view t = *s;
  int64_t whole = 0;
  double frac = 0;
  if (!Consume(&t, "[")) return false;
  SkipSpaces(&t);
  if (!ConsumeUint(&t, 1, 12, &whole) || !ConsumeFraction(&t, &frac) || !Consume(&t, "]")) {
    return false;
  }
  *boot = static_cast<double>(whole) + frac;
  *s = t;
  return true;
}

// "[    T123]" / "[  C1]" (CONFIG_PRINTK_CALLER), right after the kernel timestamp.
void SkipPrintkCaller(absl::string_view* s) {
  absl::string_view t = *s;
  int64_t id = 0;
  if (!Consume(&t, "[")) return;
  SkipSpaces(&t);
  if (t.empty() || (t[0] != 'T' && t[0] != 'C')) return;
  t.remove_prefix(1);
  if (ConsumeUint(&t, 1, 10, &id) && Consume(&t, "]")) *s = t;
}

// The syslog identifier after a wall-clock stamp: up to two tokens (host, OpenWrt's
// "kern.err") then "tag:" or "tag[pid]:".
bool ConsumeTag(absl::string_view* s, absl::string_view* tag) {
  absl::string_view t = *s;
  for (int token = 0; token < 3; ++token) {
    SkipSpaces(&t);
    size_t end = 0;
    while (end < t.size() && end < 64 && t[end] != ' ' && t[end] != '\t') ++end;
    if (end == 0 || end == t.size() || end == 64) return false;
    if (t[end - 1] == ':') {
      absl::string_view name = t.substr(0, end - 1);
      const size_t bracket = name.find('[');
      if (bracket != absl::string_view::npos) name = name.substr(0, bracket);
      *tag = name;
      t.remove_prefix(end);
      *s = t;
      return true;
    }
    t.remove_prefix(end);
  }
  return false;
}

}  // namespace

void PrefixParser::Parse(absl::string_view line, ParsedLine* out) {
  *out = ParsedLine();
  absl::string_view s = line;
  SkipSpaces(&s);
  // Console/kmsg priority "<6>".
  if (s.size() > 2 && s[0] == '<' && IsDigit(s[1])) {
    absl::string_view t = s.substr(1);
    int64_t pri = 0;
    if (ConsumeUint(&t, 1, 3, &pri) && Consume(&t, ">")) s = t;
  }
  bool tagged = false;  // formats that carry a syslog identifier
  const absl::string_view before = s;
  if (!s.empty() && s[0] == '[') {
    absl::string_view t = s;
    if (ConsumeKernelTs(&t, &out->at.boot)) {
      out->at.has_boot = true;
      s = t;
      SkipPrintkCaller(&s);
      // journalctl -o short-monotonic: "[ 12.3] host kernel: msg". Only "<host> kernel: "
      // is taken, so that "mt7925e 0000:c0:00.0: msg" stays the body.
      constexpr absl::string_view kKernelTag = "kernel: ";
      if (s.size() > 1 && s[0] == ' ') {
        const size_t limit = s.size() - 1 < 64 ? s.size() - 1 : 64;
        const void* sp = std::memchr(s.data() + 1, ' ', limit);
        if (sp != nullptr) {
          const absl::string_view rest =
              s.substr(static_cast<size_t>(static_cast<const char*>(sp) - s.data()) + 1);
          if (absl::StartsWith(rest, kKernelTag)) {
            out->tag = "kernel";
            s = rest.substr(kKernelTag.size());
          }
        }
      }
    } else {
      t = s.substr(1);
      if (ConsumeCtime(&t, &out->at.wall) && Consume(&t, "]")) {  // dmesg -T
        out->at.has_wall = true;
        out->wall_text = before.substr(1, static_cast<size_t>(t.data() - before.data()) - 2);
        s = t;
      }
    }
  } else if (!s.empty() && IsDigit(s[0])) {
    absl::string_view t = s;
    int64_t a = 0, b = 0, usec = 0;
    if (ConsumeIso(&t, &out->at.wall)) {
      out->at.has_wall = true;
      tagged = true;
      s = t;
    } else {
      // /dev/kmsg: "pri,seq,usec,flags[,...];msg".
      t = s;
      if (ConsumeUint(&t, 1, 3, &a) && Consume(&t, ",") && ConsumeUint(&t, 1, 18, &b) &&
          Consume(&t, ",") && ConsumeUint(&t, 1, 18, &usec) && Consume(&t, ",")) {
        const size_t semi = t.find(';');
        if (semi != absl::string_view::npos && semi < 16) {
          out->at.has_boot = true;
          out->at.boot = static_cast<double>(usec) / 1e6;
          out->tag = "kernel";
          s = t.substr(semi + 1);
        }
      }
    }
  } else if (!s.empty() && IsAlpha(s[0])) {
    absl::string_view t = s;
    if (ConsumeCtime(&t, &out->at.wall)) {  // OpenWrt logread
      out->at.has_wall = true;
      tagged = true;
      s = t;
    } else {
      t = s;
      int64_t day = 0;
      double sod = 0;
      const int month = ConsumeMonth(&t);
      if (month != 0 && ConsumeDay(&t, &day) && Consume(&t, " ") && ConsumeClock(&t, &sod)) {
        if (last_month_ != 0 && month < last_month_) ++year_;
        last_month_ = month;
        out->at.has_wall = true;
        out->at.wall = static_cast<double>(DaysFromCivil(year_, month, day) * 86400) + sod;
        tagged = true;
        s = t;
      }
    }
  }
  if (tagged) {
    out->wall_text = before.substr(0, static_cast<size_t>(s.data() - before.data()));
    ConsumeTag(&s, &out->tag);
    SkipSpaces(&s);
    // Syslog of kernel lines often keeps the kernel timestamp: "kernel: [74118.579123] msg".
    if (ConsumeKernelTs(&s, &out->at.boot)) {
      out->at.has_boot = true;
      SkipPrintkCaller(&s);
    }
  }
  SkipSpaces(&s);
  out->body = s;
}

// ---- Body rules --------------------------------------------------------------------------

namespace {

bool IsIfaceChar(char c) { return (ClassOf(c) & kIfaceChar) != 0; }
bool IsBusChar(char c) { return (ClassOf(c) & kBusChar) != 0; }

// Trailing spaces are tolerated after the last field.
bool AtEnd(absl::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// `s` is `lit`, maybe followed by spaces.
bool IsExactly(absl::string_view s, absl::string_view lit) {
  return absl::StartsWith(s, lit) && AtEnd(s.substr(lit.size()));
}

// The build-time token of a firmware version line: "20250721232943", "20250721232852a".
absl::string_view BuildToken(absl::string_view s) {
  size_t n = 0;
  while (n < s.size() && n < 16 && IsAlnum(s[n])) ++n;
  return s.substr(0, n);
}

// mt76 driver messages: "<msg>" of "<driver> <bus>: <msg>".
bool ClassifyDriverMsg(absl::string_view msg, Event* ev) {
  absl::string_view s = msg;
  if (Consume(&s, "Message ")) {
    uint32_t cmd = 0;
    int32_t seq = 0;
    if (ConsumeHex(&s, 8, 8, &cmd) && Consume(&s, " (seq ") && ConsumeInt(&s, &seq) &&
        Consume(&s, ") timeout") && AtEnd(s)) {
      ev->kind = EventKind::kMcuTimeout;
      ev->cmd = cmd;
      ev->seq = seq;
      return true;
    }
    return false;
  }
  constexpr absl::string_view kBuildTime = ", Build Time: ";
  if (Consume(&s, "HW/SW Version: ") || Consume(&s, "WM Firmware Version: ")) {
    const size_t at = s.find(kBuildTime);
    if (at == absl::string_view::npos) return false;
    ev->kind = msg[0] == 'H' ? EventKind::kHwSwVersion : EventKind::kWmVersion;
    ev->build = BuildToken(s.substr(at + kBuildTime.size()));
    return true;
  }
  if (Consume(&s, "ASIC revision: ")) {
    if (!ConsumeHex(&s, 1, 8, &ev->value)) return false;
    ev->kind = EventKind::kAsicRevision;
    return true;
  }
  if (absl::StartsWith(msg, "chip reset")) {
    s.remove_prefix(10);
    if (AtEnd(s)) {
      ev->kind = EventKind::kChipReset;
      return true;
    }
    if (Consume(&s, " failed") && AtEnd(s)) {
      ev->kind = EventKind::kChipResetFailed;
      return true;
    }
    return false;
  }
  if (absl::StrContains(msg, "mac_reset not supported")) {
    ev->kind = EventKind::kMacResetUnsupported;
    return true;
  }
  if (Consume(&s, "Timeout for initializing firmware") && AtEnd(s)) {
    ev->kind = EventKind::kFwInitTimeout;
    return true;
  }
  if (absl::StartsWith(msg, "timed out waiting for pending tx")) {
    ev->kind = EventKind::kPendingTxTimeout;
    return true;
  }
  return false;
}

// mac80211 (sdata_info/sdata_err) and wpa_supplicant messages: "<msg>" of "<iface>: <msg>".
bool ClassifyIfaceMsg(absl::string_view msg, Event* ev) {
  absl::string_view s = msg;
  if (Consume(&s, "failed to ")) {
    const bool remove = Consume(&s, "remove key (");
    if (!remove && !Consume(&s, "set key (")) return false;
    if (!ConsumeInt(&s, &ev->key_idx) || !Consume(&s, ", ") || !ConsumeMac(&s, &ev->addr) ||
        !Consume(&s, remove ? ") from hardware (" : ") to hardware (") ||
        !ConsumeInt(&s, &ev->err) || !Consume(&s, ")") || !AtEnd(s)) {
      return false;
    }
    ev->kind = remove ? EventKind::kKeyRemoveFailed : EventKind::kKeySetFailed;
    return true;
  }
  if (IsExactly(s, "authenticated")) {
    ev->kind = EventKind::kAuthenticated;
    return true;
  }
  if (IsExactly(s, "associated")) {
    ev->kind = EventKind::kAssociated;
    return true;
  }
  if (Consume(&s, "authenticate with ")) {
    if (!ConsumeMac(&s, &ev->addr)) return false;
    ev->kind = EventKind::kAuthenticate;
    return true;
  }
  if (Consume(&s, "[link ")) {
    int32_t link = 0;
    if (!ConsumeInt(&s, &link) || link < 0 || link > 14 || !Consume(&s, "] local address ") ||
        !ConsumeMac(&s, &ev->addr) || !Consume(&s, ", AP link address ") ||
        !ConsumeMac(&s, &ev->addr2)) {
      return false;
    }
    ev->flag = Consume(&s, " (assoc)");
    ev->value = static_cast<uint32_t>(link);
    ev->kind = EventKind::kMloLink;
    return true;
  }
  if (Consume(&s, "disconnect from AP ")) {
    if (!ConsumeMac(&s, &ev->addr) ||
        !(Consume(&s, " for new auth to ") || Consume(&s, " for new assoc to ")) ||
        !ConsumeMac(&s, &ev->addr2)) {
      return false;
    }
    ev->kind = EventKind::kRoam;
    return true;
  }
  const bool assoc_with = Consume(&s, "association with ");
  if (assoc_with || Consume(&s, "authentication with ")) {
    if (!ConsumeMac(&s, &ev->addr) || !Consume(&s, " timed out")) return false;
    ev->kind = assoc_with ? EventKind::kAssocTimeout : EventKind::kAuthTimeout;
    return true;
  }
  if (Consume(&s, "Driver requested disconnection from AP")) {
    SkipSpaces(&s);
    ConsumeMac(&s, &ev->addr);
    ev->kind = EventKind::kDriverDisconnect;
    return true;
  }
  if (Consume(&s, "Connection to AP ")) {
    if (!ConsumeMac(&s, &ev->addr) || !Consume(&s, " lost")) return false;
    ev->kind = EventKind::kConnectionLost;
    return true;
  }
  if (absl::StartsWith(s, "SME: Association request to the driver failed")) {
    ev->kind = EventKind::kAssocRequestFailed;
    return true;
  }
  if (ConsumeMac(&s, &ev->addr) &&
      Consume(&s, " rejected association temporarily; comeback duration ")) {
    int64_t tu = 0;
    if (!ConsumeUint(&s, 1, 9, &tu)) return false;
    ev->value = static_cast<uint32_t>(tu);
    ev->kind = EventKind::kAssocComeback;
    return true;
  }
  return false;
}

struct Cfg80211Text {
  Cfg80211Msg msg;
  absl::string_view text;
};
constexpr Cfg80211Text kCfg80211Texts[] = {
    {Cfg80211Msg::kLinkIdRequired, "link ID must for MLO group key"},
    {Cfg80211Msg::kLinkIdPairwise, "link ID not allowed for pairwise key"},
    {Cfg80211Msg::kLinkIdInvalid, "invalid link ID for MLO group key"},
    {Cfg80211Msg::kLinkIdNonMlo, "link ID not allowed for non-MLO group key"},
    {Cfg80211Msg::kBssForLink, "Error fetching BSS for link"},
};

}  // namespace

bool ClassifyBody(absl::string_view body, Event* ev) {
  *ev = Event();
  if (body.size() < 4) return false;
  // "<driver> <bus>: <msg>" or "<driver> <bus> <iface>: <msg>" (dev_printk / netdev_printk:
  // dev_driver_string(), then dev_name()). The driver string is the bound driver's name:
  // KBUILD_MODNAME for the PCI, USB and SDIO drivers (mt7925e, mt7921u, mt7921s, mt7996e), and
  // for the on-chip platform drivers their .driver.name, which may hold '-' or '_':
  // "mt7622-wmac" (mt7615/soc.c), "mt798x-wmac" (mt7915/soc.c), "mt76_wmac" (mt7603/soc.c).
  // Every one starts with mt7, so this test is cheap.
  if (absl::StartsWith(body, "mt7")) {
    size_t sp = 0;
    while (sp < body.size() && sp < 16 &&
           (IsAlnum(body[sp]) || body[sp] == '_' || body[sp] == '-')) {
      ++sp;
    }
    if (sp < body.size() && body[sp] == ' ') {
      const absl::string_view rest = body.substr(sp + 1);
      for (size_t j = 0; j < rest.size() && j < 64; ++j) {
        const char c = rest[j];
        if (c == ':' && j > 0 && j + 1 < rest.size() && rest[j + 1] == ' ') {
          ev->driver = body.substr(0, sp);
          ev->device = body.substr(0, sp + 1 + j);
          if (!ClassifyDriverMsg(rest.substr(j + 2), ev)) ev->kind = EventKind::kDeviceOther;
          return true;
        }
        if (c == ' ' && j > 0) {
          absl::string_view t = rest.substr(j + 1);
          size_t k = 0;
          while (k < t.size() && k < 16 && IsIfaceChar(t[k])) ++k;
          if (k == 0 || k + 1 >= t.size() || t[k] != ':' || t[k + 1] != ' ') break;
          ev->driver = body.substr(0, sp);
          ev->device = body.substr(0, sp + 1 + j);
          ev->iface = t.substr(0, k);
          ev->kind = EventKind::kDeviceOther;
          return true;
        }
        if (!IsBusChar(c)) break;
      }
    }
  }
  // "<iface>: <msg>".
  const char* b = body.data();
  const size_t n = body.size();
  size_t k = 0;
  while (k < n && k < 16 && (kClass[static_cast<uint8_t>(b[k])] & kIfaceChar)) ++k;
  if (k > 0 && k + 1 < n && b[k] == ':' && b[k + 1] == ' ') {
    if (ClassifyIfaceMsg(body.substr(k + 2), ev)) {
      ev->iface = body.substr(0, k);
      return true;
    }
    *ev = Event();
  }
  // wpa_supplicant: "nl80211: kernel reports: <extack message>".
  constexpr absl::string_view kReports = "kernel reports: ";
  const void* at = memmem(b, n, kReports.data(), kReports.size());
  if (at != nullptr) {
    const absl::string_view m =
        body.substr(static_cast<size_t>(static_cast<const char*>(at) - b) + kReports.size());
    for (const Cfg80211Text& c : kCfg80211Texts) {
      if (absl::StartsWith(m, c.text)) {
        ev->kind = EventKind::kCfg80211Error;
        ev->cfg = c.msg;
        return true;
      }
    }
  }
  return false;
}

void FormatMac(const Mac& m, char out[18]) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 0; i < 6; ++i) {
    out[3 * i] = kDigits[m.b[i] >> 4];
    out[3 * i + 1] = kDigits[m.b[i] & 0xf];
    out[3 * i + 2] = i < 5 ? ':' : '\0';
  }
}

}  // namespace connac::diagnose
