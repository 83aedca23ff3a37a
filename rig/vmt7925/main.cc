// File: rig/vmt7925/main.cc
//
// vmt7925: the virtual MT7925 USB device, run inside the rig guest. This file is the host of
// the sans-I/O Model: it owns the I/O and the threads.
//
//   vmt7925 run [--ctl PATH] [--udc NAME] [--fw-ready-ms N] [--reload-ms N] [--log-mcu]
//               [--strict-hypothesis] [--mlo]
//                                            (--mlo also from `vmt7925.mlo=1` on the
//                                            kernel command line; the medium through
//                                            the holder when its socket exists)
//   vmt7925 medium [--radios N] [--channels N] [--mlo] [--socket PATH]
//                                            hold the hwsim medium for the boot, create
//                                            multi-channel (MLO) radios, relay to devices
//                                            create the USB gadget and serve it
//   vmt7925 gen-firmware DIR                 write the synthetic firmware files
//   vmt7925ctl CMD... | vmt7925 ctl CMD...   talk to a running device (status, fault ...)
//
// Transport: configfs gadget 0e8d:7925 with one FunctionFS function (2 bulk IN, 8 bulk OUT:
// dummy_hcd numbering makes the host skip two duplicates and keep 6, docs/rig.md), ep0 for
// vendor requests (FUNCTIONFS_ALL_CTRL_RECIP). Radio: registered as mac80211_hwsim's wireless
// medium over generic netlink (HWSIM_CMD_REGISTER / FRAME / TX_INFO_FRAME).

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rig/vmt7925/control.h"
#include "rig/vmt7925/firmware.h"
#include "rig/vmt7925/model.h"

namespace vmt {
namespace {

// Where `vmt7925 medium` serves the hwsim medium (RunMedium).
constexpr const char* kHolderSock = "/run/vmt7925-medium.sock";

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void Log(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[512];
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  std::fprintf(stderr, "[%5ld.%03ld] vmt7925: %s\n", static_cast<long>(ts.tv_sec),
               ts.tv_nsec / 1000000, buf);
}

// A device event at its own time (the model's clock is CLOCK_MONOTONIC here), in the same
// "[sec.ms] vmt7925: " form as Log so the rig's report reads one format.
void LogAt(int64_t ns, const std::string& text) {
  std::fprintf(stderr, "[%5lld.%03lld] vmt7925: %s\n", static_cast<long long>(ns / 1000000000),
               static_cast<long long>(ns / 1000000 % 1000), text.c_str());
}

bool WriteFile(const std::string& path, const std::string& v) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, v.data(), v.size()) == static_cast<ssize_t>(v.size());
  close(fd);
  return ok;
}

// ------------------------------------------------------------------ shared state

std::mutex g_mu;  // guards g_model
Model* g_model = nullptr;
std::condition_variable g_timer_cv;

std::mutex g_in_mu;
std::condition_variable g_in_cv;
std::deque<Bytes> g_in_queue;

class Medium;
Medium* g_medium = nullptr;
std::atomic<bool> g_stop{false};

void FlushLocked();

// ------------------------------------------------------------------ hwsim medium

// Generic netlink to mac80211_hwsim, the protocol wmediumd speaks (mac80211_hwsim.h).
class Medium {
 public:
  static constexpr int kCmdRegister = 1, kCmdFrame = 2, kCmdTxInfo = 3, kCmdNewRadio = 4;
  static constexpr int kAttrChannels = 9, kAttrMloSupport = 25;
  static constexpr int kAttrReceiver = 1, kAttrTransmitter = 2, kAttrFrame = 3, kAttrFlags = 4,
                       kAttrRxRate = 5, kAttrSignal = 6, kAttrTxInfo = 7, kAttrCookie = 8,
                       kAttrFreq = 19, kAttrTxInfoFlags = 21;
  static constexpr uint32_t kTxStatAck = 4, kTxCtlNoAck = 2;

  bool Open() {
    if (!OpenNetlink()) return false;
    std::vector<uint8_t> m = Header(family_, kCmdRegister);
    // hwsim refuses a medium once any radio has channels > 1
    // (mac80211_hwsim.c hwsim_register_received_nl: -EOPNOTSUPP): wait for the verdict.
    const int r = Request(&m);
    if (r != 0) errno = r < 0 ? -r : EPROTO;
    return r == 0;
  }

  // Through the medium holder (`vmt7925 medium`, which registered before the multi-channel
  // radios existed): one netlink message per SOCK_SEQPACKET packet, both ways.
  bool OpenVia(const std::string& path) {
    if (!OpenNetlink()) return false;  // only to resolve the family id
    close(fd_);
    fd_ = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path.c_str());
    if (connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) return false;
    via_ = true;
    return true;
  }

  // A netlink request with NLM_F_ACK; frames that arrive before the answer are handled.
  // Returns the answer's error (0, a negative errno, or a positive command result).
  int Request(std::vector<uint8_t>* m) {
    auto* nh = reinterpret_cast<nlmsghdr*>(m->data());
    nh->nlmsg_flags |= NLM_F_ACK;
    const uint32_t seq = nh->nlmsg_seq;
    if (!SendMsg(m)) return -errno;
    std::vector<uint8_t>& buf = rx_buf_;
    for (int tries = 0; tries < 64; ++tries) {
      const ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
      if (n < 0) {
        if (errno == EINTR || errno == ENOBUFS) continue;
        return -errno;
      }
      size_t off = 0;
      while (off + NLMSG_HDRLEN <= static_cast<size_t>(n)) {
        auto* h = reinterpret_cast<nlmsghdr*>(buf.data() + off);
        if (h->nlmsg_len < NLMSG_HDRLEN || off + h->nlmsg_len > static_cast<size_t>(n)) break;
        if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == seq) {
          return reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
        }
        Dispatch(h);
        off += NLMSG_ALIGN(h->nlmsg_len);
      }
    }
    return -ETIMEDOUT;
  }

  // Reads one batch of netlink messages; feeds frames to the model.
  bool ReadOnce() {
    std::vector<uint8_t>& buf = rx_buf_;  // one buffer: no 64 KiB zeroing per message
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0) return errno == EINTR || errno == ENOBUFS || errno == EAGAIN;
    if (n == 0 && via_) return false;  // the holder went away
    size_t off = 0;
    while (off + NLMSG_HDRLEN <= static_cast<size_t>(n)) {
      auto* nh = reinterpret_cast<nlmsghdr*>(buf.data() + off);
      if (nh->nlmsg_len < NLMSG_HDRLEN || off + nh->nlmsg_len > static_cast<size_t>(n)) break;
      Dispatch(nh);
      off += NLMSG_ALIGN(nh->nlmsg_len);
    }
    return true;
  }

  void Dispatch(const nlmsghdr* nh) {
    if (nh->nlmsg_type == family_ && nh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
      const auto* gh = reinterpret_cast<const genlmsghdr*>(NLMSG_DATA(nh));
      if (gh->cmd == kCmdFrame && g_model == nullptr) {
        AnswerUnacked(nh);  // the holder, before it serves: no device to hear it
      } else if (gh->cmd == kCmdFrame) {
        OnFrame(reinterpret_cast<const uint8_t*>(gh) + GENL_HDRLEN,
                nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
      }
    } else if (nh->nlmsg_type == NLMSG_ERROR) {
      const auto* e = reinterpret_cast<const nlmsgerr*>(NLMSG_DATA(nh));
      if (e->error != 0) ++nl_errors_;
    }
  }

  // Puts a frame the device transmits on the air. Returns whether a radio acked it.
  bool Transmit(const AirTx& a) {
    std::vector<std::array<uint8_t, 6>> targets;
    const uint8_t* a1 = a.frame.size() >= 10 ? a.frame.data() + 4 : nullptr;
    bool ack = false;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (a1 != nullptr && (a1[0] & 1) == 0) {
        auto it = radio_by_addr_.find(Key(a1));
        if (it != radio_by_addr_.end()) {
          targets.push_back(it->second);
          ack = true;
        }
      } else {
        for (const auto& [k, r] : radios_) targets.push_back(r);
      }
    }
    for (const auto& t : targets) {
      std::vector<uint8_t> m = Header(family_, kCmdFrame);
      PutAttr(&m, kAttrReceiver, t.data(), 6);
      PutAttr(&m, kAttrFrame, a.frame.data(), a.frame.size());
      PutU32(&m, kAttrRxRate, 0);
      PutU32(&m, kAttrSignal, static_cast<uint32_t>(-40));
      PutU32(&m, kAttrFreq, a.freq);
      SendMsg(&m);
    }
    return ack;
  }

  int fd() const { return fd_; }
  uint64_t nl_errors() const { return nl_errors_; }

  // HWSIM_CMD_NEW_RADIO with `channels` (num_different_channels) and, if `mlo`, MLO support:
  // what an AP MLD with links on two channels needs. Returns the radio id or a negative errno.
  int NewRadio(uint32_t channels, bool mlo) {
    std::vector<uint8_t> m = Header(family_, kCmdNewRadio);
    PutU32(&m, kAttrChannels, channels);
    if (mlo) PutAttr(&m, kAttrMloSupport, nullptr, 0);
    return Request(&m);
  }

  bool SendRaw(std::vector<uint8_t>* m) { return SendMsg(m); }
  // With no device attached the holder answers every frame itself: not acknowledged, so
  // hwsim's pending queue drains (as with no station in range).
  void AnswerUnacked(const nlmsghdr* nh) {
    if (nh->nlmsg_type != family_ || nh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) return;
    const auto* gh = reinterpret_cast<const genlmsghdr*>(NLMSG_DATA(nh));
    if (gh->cmd != kCmdFrame) return;
    const uint8_t* attrs = reinterpret_cast<const uint8_t*>(gh) + GENL_HDRLEN;
    const size_t len = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
    FrameAttrs f;
    if (!ParseFrame(attrs, len, &f)) return;
    SendTxInfo(f, false);
  }

 private:
  struct FrameAttrs {
    const uint8_t* tx = nullptr;
    const uint8_t* frame = nullptr;
    size_t frame_len = 0;
    uint32_t flags = 0, freq = 0;
    uint64_t cookie = 0;
    const uint8_t* tx_info = nullptr;
    size_t tx_info_len = 0;
  };

  bool OpenNetlink() {
    fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (fd_ < 0) return false;
    int sz = 4 << 20;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
    setsockopt(fd_, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) return false;
    family_ = ResolveFamily("MAC80211_HWSIM");
    return family_ > 0;
  }

  static uint64_t Key(const uint8_t* a) {
    uint64_t k = 0;
    for (int i = 0; i < 6; ++i) k = (k << 8) | a[i];
    return k;
  }

  std::vector<uint8_t> Header(int family, int cmd) {
    std::vector<uint8_t> m(NLMSG_HDRLEN + GENL_HDRLEN, 0);
    auto* nh = reinterpret_cast<nlmsghdr*>(m.data());
    nh->nlmsg_type = static_cast<uint16_t>(family);
    nh->nlmsg_flags = NLM_F_REQUEST;
    nh->nlmsg_seq = ++seq_;
    auto* gh = reinterpret_cast<genlmsghdr*>(m.data() + NLMSG_HDRLEN);
    gh->cmd = static_cast<uint8_t>(cmd);
    gh->version = 1;
    return m;
  }
  static void PutAttr(std::vector<uint8_t>* m, int type, const void* data, size_t len) {
    const size_t off = m->size();
    m->resize(off + NLA_ALIGN(NLA_HDRLEN + len), 0);
    auto* na = reinterpret_cast<nlattr*>(m->data() + off);
    na->nla_type = static_cast<uint16_t>(type);
    na->nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
    if (len) std::memcpy(m->data() + off + NLA_HDRLEN, data, len);
  }
  static void PutU32(std::vector<uint8_t>* m, int type, uint32_t v) { PutAttr(m, type, &v, 4); }

  bool SendMsg(std::vector<uint8_t>* m) {
    reinterpret_cast<nlmsghdr*>(m->data())->nlmsg_len = static_cast<uint32_t>(m->size());
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    std::lock_guard<std::mutex> l(send_mu_);
    if (via_) {
      return send(fd_, m->data(), m->size(), MSG_NOSIGNAL) == static_cast<ssize_t>(m->size());
    }
    return sendto(fd_, m->data(), m->size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) ==
           static_cast<ssize_t>(m->size());
  }

  int ResolveFamily(const char* name) {
    std::vector<uint8_t> m = Header(GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
    PutAttr(&m, CTRL_ATTR_FAMILY_NAME, name, std::strlen(name) + 1);
    if (!SendMsg(&m)) return -1;
    std::vector<uint8_t> buf(8192);
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    if (n < static_cast<ssize_t>(NLMSG_HDRLEN + GENL_HDRLEN)) return -1;
    auto* nh = reinterpret_cast<nlmsghdr*>(buf.data());
    if (nh->nlmsg_type != GENL_ID_CTRL) return -1;
    size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
    while (off + NLA_HDRLEN <= nh->nlmsg_len) {
      auto* na = reinterpret_cast<nlattr*>(buf.data() + off);
      if (na->nla_len < NLA_HDRLEN) break;
      if ((na->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) {
        uint16_t id;
        std::memcpy(&id, buf.data() + off + NLA_HDRLEN, 2);
        return id;
      }
      off += NLA_ALIGN(na->nla_len);
    }
    return -1;
  }

  static bool ParseFrame(const uint8_t* attrs, size_t len, FrameAttrs* f) {
    size_t off = 0;
    while (off + NLA_HDRLEN <= len) {
      const auto* na = reinterpret_cast<const nlattr*>(attrs + off);
      if (na->nla_len < NLA_HDRLEN || off + na->nla_len > len) break;
      const uint8_t* d = attrs + off + NLA_HDRLEN;
      const size_t dl = na->nla_len - NLA_HDRLEN;
      switch (na->nla_type & NLA_TYPE_MASK) {
        case kAttrTransmitter:
          if (dl >= 6) f->tx = d;
          break;
        case kAttrFrame:
          f->frame = d;
          f->frame_len = dl;
          break;
        case kAttrFlags:
          if (dl >= 4) std::memcpy(&f->flags, d, 4);
          break;
        case kAttrFreq:
          if (dl >= 4) std::memcpy(&f->freq, d, 4);
          break;
        case kAttrCookie:
          if (dl >= 8) std::memcpy(&f->cookie, d, 8);
          break;
        case kAttrTxInfo:
          f->tx_info = d;
          f->tx_info_len = dl;
          break;
        default: break;
      }
      off += NLA_ALIGN(na->nla_len);
    }
    return f->tx != nullptr && f->frame != nullptr;
  }

  // TX status back to the transmitting radio (hwsim_tx_info_frame_received_nl needs
  // transmitter, flags, cookie, signal and tx_info).
  void SendTxInfo(const FrameAttrs& f, bool ack) {
    std::vector<uint8_t> m = Header(family_, kCmdTxInfo);
    PutAttr(&m, kAttrTransmitter, f.tx, 6);
    PutU32(&m, kAttrFlags, ack && !(f.flags & kTxCtlNoAck) ? (f.flags | kTxStatAck) : f.flags);
    PutU32(&m, kAttrSignal, static_cast<uint32_t>(-40));
    if (f.tx_info != nullptr) PutAttr(&m, kAttrTxInfo, f.tx_info, f.tx_info_len);
    uint64_t c = f.cookie;
    PutAttr(&m, kAttrCookie, &c, 8);
    SendMsg(&m);
  }

  void OnFrame(const uint8_t* attrs, size_t len) {
    FrameAttrs f;
    if (!ParseFrame(attrs, len, &f)) return;
    std::array<uint8_t, 6> t;
    std::memcpy(t.data(), f.tx, 6);
    {
      std::lock_guard<std::mutex> l(mu_);
      radios_[Key(f.tx)] = t;
      if (f.frame_len >= 16 && radio_by_addr_.size() < 64) radio_by_addr_[Key(f.frame + 10)] = t;
    }
    bool ack = false;
    {
      std::lock_guard<std::mutex> l(g_mu);
      ack = g_model->OnAir(f.freq, f.frame, f.frame_len, -40, NowNs());
      FlushLocked();
    }
    g_timer_cv.notify_one();
    SendTxInfo(f, ack);
  }

  std::vector<uint8_t> rx_buf_ = std::vector<uint8_t>(1 << 16);
  int fd_ = -1;
  int family_ = -1;
  uint32_t seq_ = 0;
  uint64_t nl_errors_ = 0;
  bool via_ = false;
  std::mutex mu_, send_mu_;
  std::map<uint64_t, std::array<uint8_t, 6>> radios_;         // by hwsim address
  std::map<uint64_t, std::array<uint8_t, 6>> radio_by_addr_;  // frame A2 -> hwsim address
};

// Drains the model's outputs; REQUIRES g_mu held.
void FlushLocked() {
  DeviceEvent ev;
  while (g_model->PopEvent(&ev)) LogAt(ev.at, ev.text);
  Bytes b;
  bool any = false;
  while (g_model->PopToHost(&b)) {
    std::lock_guard<std::mutex> l(g_in_mu);
    if (g_in_queue.size() < 4096) g_in_queue.push_back(std::move(b));
    any = true;
  }
  if (any) g_in_cv.notify_one();
  AirTx a;
  while (g_model->PopToAir(&a)) {
    bool acked = g_medium != nullptr && g_medium->Transmit(a);
    g_model->OnAirTxStatus(a.token, acked || a.no_ack, NowNs());
  }
  // TX status may have produced more host output.
  any = false;
  while (g_model->PopToHost(&b)) {
    std::lock_guard<std::mutex> l(g_in_mu);
    if (g_in_queue.size() < 4096) g_in_queue.push_back(std::move(b));
    any = true;
  }
  if (any) g_in_cv.notify_one();
}

// ------------------------------------------------------------------ USB gadget

constexpr int kNumIn = 2, kNumOut = 8;
const char* kGadget = "/sys/kernel/config/usb_gadget/vmt7925";
const char* kFfsDir = "/dev/ffs-vmt7925";

struct __attribute__((packed)) Descs {
  usb_functionfs_descs_head_v2 header;
  __le32 fs_count;
  __le32 hs_count;
  struct __attribute__((packed)) {
    usb_interface_descriptor intf;
    usb_endpoint_descriptor_no_audio eps[kNumIn + kNumOut];
  } fs, hs;
};

struct __attribute__((packed)) Strings {
  usb_functionfs_strings_head header;
  struct __attribute__((packed)) {
    __le16 code;
    char str1[sizeof("vmt7925")];
  } lang0;
};

void FillSpeed(decltype(Descs::fs)* s, uint16_t maxp) {
  s->intf.bLength = sizeof(s->intf);
  s->intf.bDescriptorType = USB_DT_INTERFACE;
  s->intf.bNumEndpoints = kNumIn + kNumOut;
  s->intf.bInterfaceClass = 0xff;
  s->intf.bInterfaceSubClass = 0xff;
  s->intf.bInterfaceProtocol = 0xff;
  s->intf.iInterface = 1;
  for (int i = 0; i < kNumIn + kNumOut; ++i) {
    auto& e = s->eps[i];
    e.bLength = sizeof(e);
    e.bDescriptorType = USB_DT_ENDPOINT;
    e.bEndpointAddress = static_cast<uint8_t>((i + 1) | (i < kNumIn ? USB_DIR_IN : USB_DIR_OUT));
    e.bmAttributes = USB_ENDPOINT_XFER_BULK;
    e.wMaxPacketSize = htole16(maxp);
  }
}

// FunctionFS endpoint file index (ep1..ep10) -> the driver's OUT role. ep7/ep8 are the two
// the host drops as duplicates (pitfall 1 in vmt7925-facts.md); their role is never used.
OutEp RoleOfOut(int out_index) {
  static const OutEp kRoles[kNumOut] = {OutEp::kInbandCmd, OutEp::kAcBe, OutEp::kAcBk,
                                        OutEp::kAcVi,      OutEp::kAcBk, OutEp::kAcBk,
                                        OutEp::kAcVo,      OutEp::kHcca};
  return kRoles[out_index];
}

bool SetupGadget(const std::string& udc, int* ep0_out) {
  std::string g = kGadget;
  mkdir(g.c_str(), 0755);
  WriteFile(g + "/idVendor", "0x0e8d");
  WriteFile(g + "/idProduct", "0x7925");
  WriteFile(g + "/bcdUSB", "0x0200");
  mkdir((g + "/strings/0x409").c_str(), 0755);
  WriteFile(g + "/strings/0x409/manufacturer", "MediaTek Inc.");
  WriteFile(g + "/strings/0x409/product", "Wireless_Device (virtual, connac-core rig)");
  WriteFile(g + "/strings/0x409/serialnumber", "000000000");
  mkdir((g + "/configs/c.1").c_str(), 0755);
  mkdir((g + "/configs/c.1/strings/0x409").c_str(), 0755);
  WriteFile(g + "/configs/c.1/strings/0x409/configuration", "mt7925");
  WriteFile(g + "/configs/c.1/MaxPower", "500");
  if (mkdir((g + "/functions/ffs.vmt7925").c_str(), 0755) != 0 && errno != EEXIST) {
    Log("mkdir ffs function: %s", strerror(errno));
    return false;
  }
  if (symlink((g + "/functions/ffs.vmt7925").c_str(), (g + "/configs/c.1/ffs.vmt7925").c_str()) !=
          0 &&
      errno != EEXIST) {
    Log("link function into config: %s", strerror(errno));
    return false;
  }
  mkdir(kFfsDir, 0755);
  if (mount("vmt7925", kFfsDir, "functionfs", 0, nullptr) != 0 && errno != EBUSY) {
    Log("mount functionfs: %s", strerror(errno));
    return false;
  }
  int ep0 = open((std::string(kFfsDir) + "/ep0").c_str(), O_RDWR | O_CLOEXEC);
  if (ep0 < 0) {
    Log("open ep0: %s", strerror(errno));
    return false;
  }
  Descs d{};
  d.header.magic = htole32(FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
  d.header.flags =
      htole32(FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC | FUNCTIONFS_ALL_CTRL_RECIP);
  d.header.length = htole32(sizeof(d));
  d.fs_count = htole32(1 + kNumIn + kNumOut);
  d.hs_count = htole32(1 + kNumIn + kNumOut);
  FillSpeed(&d.fs, 64);
  FillSpeed(&d.hs, 512);
  if (write(ep0, &d, sizeof(d)) != sizeof(d)) {
    Log("write descriptors: %s", strerror(errno));
    return false;
  }
  Strings s{};
  s.header.magic = htole32(FUNCTIONFS_STRINGS_MAGIC);
  s.header.length = htole32(sizeof(s));
  s.header.str_count = htole32(1);
  s.header.lang_count = htole32(1);
  s.lang0.code = htole16(0x0409);
  std::memcpy(s.lang0.str1, "vmt7925", sizeof("vmt7925"));
  if (write(ep0, &s, sizeof(s)) != sizeof(s)) {
    Log("write strings: %s", strerror(errno));
    return false;
  }
  *ep0_out = ep0;
  (void)udc;
  return true;
}

bool BindUdc(const std::string& udc) { return WriteFile(std::string(kGadget) + "/UDC", udc); }

void Ep0Loop(int ep0) {
  pthread_setname_np(pthread_self(), "vmt-ep0");
  usb_functionfs_event ev[4];
  while (!g_stop) {
    ssize_t n = read(ep0, ev, sizeof(ev));
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      Log("ep0 read: %s", strerror(errno));
      usleep(10000);
      continue;
    }
    for (size_t i = 0; i < static_cast<size_t>(n) / sizeof(ev[0]); ++i) {
      const auto& e = ev[i];
      if (e.type == FUNCTIONFS_ENABLE) Log("FunctionFS ENABLE");
      if (e.type == FUNCTIONFS_DISABLE) {
        Log("FunctionFS DISABLE");
        std::lock_guard<std::mutex> l(g_mu);
        g_model->OnUsbReset();
      }
      if (e.type != FUNCTIONFS_SETUP) continue;
      const usb_ctrlrequest& c = e.u.setup;
      const uint16_t len = le16toh(c.wLength);
      const uint32_t addr = (static_cast<uint32_t>(le16toh(c.wValue)) << 16) | le16toh(c.wIndex);
      const bool in = (c.bRequestType & USB_DIR_IN) != 0;
      const int64_t now = NowNs();
      if (in) {
        std::vector<uint8_t> out(len, 0);
        {
          std::lock_guard<std::mutex> l(g_mu);
          uint32_t v = 0;
          if (c.bRequest == 0x63)
            v = g_model->ReadReg(addr, now);  // MT_VEND_READ_EXT
          else if (c.bRequest == 0x01)
            v = g_model->UhwRead(addr, now);  // MT_VEND_DEV_MODE
          for (size_t k = 0; k < out.size() && k < 4; ++k)
            out[k] = static_cast<uint8_t>(v >> (8 * k));
        }
        if (write(ep0, out.data(), out.size()) < 0) Log("ep0 write: %s", strerror(errno));
      } else {
        std::vector<uint8_t> data(len ? len : 1);
        ssize_t r = read(ep0, data.data(), len);
        if (r < 0) {
          Log("ep0 data read: %s", strerror(errno));
          continue;
        }
        std::lock_guard<std::mutex> l(g_mu);
        if (c.bRequest == 0x66) {  // MT_VEND_WRITE_EXT (also block writes, 4 bytes per reg)
          for (ssize_t k = 0; k + 4 <= r; k += 4) {
            uint32_t v;
            std::memcpy(&v, data.data() + k, 4);
            g_model->WriteReg(addr + static_cast<uint32_t>(k), le32toh(v), now);
          }
        } else if (c.bRequest == 0x02 && r >= 4) {  // MT_VEND_WRITE (UHW)
          uint32_t v;
          std::memcpy(&v, data.data(), 4);
          g_model->UhwWrite(addr, le32toh(v), now);
        } else if (c.bRequest == 0x04) {  // MT_VEND_POWER_ON
          g_model->PowerOn(now);
        }
        FlushLocked();
      }
    }
  }
}

void OutLoop(int index) {
  pthread_setname_np(pthread_self(), ("vmt-out" + std::to_string(index)).c_str());
  const std::string path = std::string(kFfsDir) + "/ep" + std::to_string(kNumIn + index + 1);
  std::vector<uint8_t> buf(64 * 1024);
  int fd = -1;
  while (!g_stop) {
    if (fd < 0) {
      fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        usleep(20000);
        continue;
      }
    }
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno != ESHUTDOWN && errno != EINTR) Log("%s read: %s", path.c_str(), strerror(errno));
      usleep(5000);
      continue;
    }
    if (n == 0) continue;
    {
      std::lock_guard<std::mutex> l(g_mu);
      g_model->OnBulkOut(RoleOfOut(index), buf.data(), static_cast<size_t>(n), NowNs());
      FlushLocked();
    }
    g_timer_cv.notify_one();
  }
}

void InLoop() {
  pthread_setname_np(pthread_self(), "vmt-in");
  const std::string path = std::string(kFfsDir) + "/ep1";
  int fd = -1;
  while (!g_stop) {
    Bytes b;
    {
      std::unique_lock<std::mutex> l(g_in_mu);
      g_in_cv.wait(l, [] { return !g_in_queue.empty() || g_stop; });
      if (g_stop) return;
      b = std::move(g_in_queue.front());
      g_in_queue.pop_front();
    }
    // A transfer of a whole number of max-size packets would not end the host's URB: pad it
    // (the RXD length tells the driver where the packet ends).
    if (b.size() % 512 == 0) b.resize(b.size() + 4, 0);
    for (int attempt = 0; attempt < 200 && !g_stop; ++attempt) {
      if (fd < 0) fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd >= 0 && write(fd, b.data(), b.size()) == static_cast<ssize_t>(b.size())) break;
      if (fd >= 0 && errno != ESHUTDOWN && errno != EINTR) Log("ep1 write: %s", strerror(errno));
      usleep(5000);
    }
  }
}

void TimerLoop() {
  pthread_setname_np(pthread_self(), "vmt-timer");
  std::unique_lock<std::mutex> l(g_mu);
  while (!g_stop) {
    const int64_t d = g_model->NextDeadline();
    const int64_t now = NowNs();
    if (d <= now) {
      g_model->Advance(now);
      FlushLocked();
      continue;
    }
    const int64_t wait_ns = d == INT64_MAX ? 200'000'000 : std::min<int64_t>(d - now, 200'000'000);
    g_timer_cv.wait_for(l, std::chrono::nanoseconds(wait_ns));
  }
}

void MediumLoop() {
  pthread_setname_np(pthread_self(), "vmt-medium");
  while (!g_stop && g_medium->ReadOnce()) {
  }
}

// Control requests: one line in, text out (control.h).
std::string HandleControl(const std::string& line) {
  std::lock_guard<std::mutex> l(g_mu);
  ControlRequest req;
  std::string err;
  if (!ParseControl(line, &req, &err)) return "error " + err + "\n";
  const int64_t now = NowNs();
  switch (req.op) {
    case ControlRequest::Op::kStatus: return g_model->StatusText();
    case ControlRequest::Op::kFault:
      g_model->ArmFault(req.fault, now);
      FlushLocked();
      return "ok\n";
    case ControlRequest::Op::kClear:
      g_model->ClearFault(now);
      FlushLocked();
      return "ok\n";
    case ControlRequest::Op::kPing: return "pong\n";
  }
  return "error\n";
}

// `vmt7925.mlo=1` on the kernel command line (RIG_APPEND, or a scenario's files/cmdline)
// turns --mlo on for every device the boot starts, so existing scenarios run unchanged
// against an MLO-capable device.
bool MloFromKernelCmdline() {
  FILE* f = std::fopen("/proc/cmdline", "re");
  if (f == nullptr) return false;
  char buf[4096];
  const size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  buf[n] = 0;
  const std::string line(buf);
  size_t pos = 0;
  while (pos < line.size()) {
    const size_t end = line.find_first_of(" \n", pos);
    const std::string w =
        line.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (w == "vmt7925.mlo=1") return true;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return false;
}

// `vmt7925 medium`: holds the hwsim medium registration for the whole boot. hwsim refuses a
// medium (HWSIM_CMD_REGISTER) once any radio has channels > 1, which an AP MLD with links on
// two channels needs (mac80211_hwsim.c hwsim_register_received_nl); radios created after the
// registration inherit it (mac80211_hwsim_new_radio: data->wmediumd), and it ends when the
// registering socket closes. So the holder registers, creates the multi-channel radios
// (HWSIM_CMD_NEW_RADIO), and relays hwsim's messages to the one device attached on a
// SOCK_SEQPACKET socket (each `vmt7925 run` attaches when the socket exists); with no device
// it answers every frame itself, unacknowledged.
int RunMedium(int argc, char** argv) {
  std::string path = kHolderSock;
  uint32_t radios = 0, channels = 2;
  bool mlo = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--socket" && i + 1 < argc)
      path = argv[++i];
    else if (a == "--radios" && i + 1 < argc)
      radios = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    else if (a == "--channels" && i + 1 < argc)
      channels = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    else if (a == "--mlo")
      mlo = true;
    else {
      std::fprintf(stderr, "vmt7925: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (radios > 16 || channels < 1 || channels > 8 ||
      path.size() + 5 >= sizeof(sockaddr_un{}.sun_path)) {
    std::fprintf(stderr, "vmt7925: medium: radios 0..16, channels 1..8, a short socket path\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  Medium m;
  if (!m.Open()) {
    Log("medium: cannot register with mac80211_hwsim: %s", strerror(errno));
    return 1;
  }
  Log("medium: registered as the mac80211_hwsim medium");
  for (uint32_t i = 0; i < radios; ++i) {
    const int id = m.NewRadio(channels, mlo);
    if (id < 0) {
      Log("medium: HWSIM_CMD_NEW_RADIO failed: %s", strerror(-id));
      return 1;
    }
    Log("medium: radio %d created (channels=%u mlo=%d)", id, channels, mlo ? 1 : 0);
    std::printf("radio %d\n", id);
  }
  std::fflush(stdout);
  const std::string tmp = path + ".tmp";
  unlink(tmp.c_str());
  const int ls = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", tmp.c_str());
  if (ls < 0 || bind(ls, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(ls, 2) != 0 ||
      rename(tmp.c_str(), path.c_str()) != 0) {
    Log("medium: socket %s: %s", path.c_str(), strerror(errno));
    return 1;
  }
  Log("medium: serving %s", path.c_str());
  std::vector<uint8_t> buf(1 << 16), msg;
  int client = -1;
  uint64_t relayed = 0, answered = 0;
  while (true) {
    pollfd p[3] = {{m.fd(), POLLIN, 0}, {ls, POLLIN, 0}, {client, POLLIN, 0}};
    if (poll(p, client >= 0 ? 3 : 2, -1) < 0) {
      if (errno == EINTR) continue;
      Log("medium: poll: %s", strerror(errno));
      return 1;
    }
    if (p[1].revents & POLLIN) {
      const int c = accept4(ls, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) {
        if (client >= 0) close(client);  // a new device replaces a stale one
        client = c;
        Log("medium: device attached (relayed %llu, answered %llu so far)",
            static_cast<unsigned long long>(relayed), static_cast<unsigned long long>(answered));
        continue;  // p[2] described the old client
      }
    }
    if (client >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      const ssize_t k = recv(client, buf.data(), buf.size(), 0);
      if (k <= 0) {
        close(client);
        client = -1;
        Log("medium: device detached");
      } else if (static_cast<size_t>(k) >= NLMSG_HDRLEN) {
        msg.assign(buf.begin(), buf.begin() + k);
        m.SendRaw(&msg);
      }
    }
    if (p[0].revents & POLLIN) {
      const ssize_t n = recv(m.fd(), buf.data(), buf.size(), 0);
      size_t off = 0;
      while (n > 0 && off + NLMSG_HDRLEN <= static_cast<size_t>(n)) {
        auto* nh = reinterpret_cast<nlmsghdr*>(buf.data() + off);
        if (nh->nlmsg_len < NLMSG_HDRLEN || off + nh->nlmsg_len > static_cast<size_t>(n)) break;
        if (client >= 0 &&
            send(client, nh, nh->nlmsg_len, MSG_NOSIGNAL) == static_cast<ssize_t>(nh->nlmsg_len)) {
          ++relayed;
        } else {
          m.AnswerUnacked(nh);
          ++answered;
        }
        off += NLMSG_ALIGN(nh->nlmsg_len);
      }
    }
  }
}

int Run(int argc, char** argv) {
  std::string ctl = "/run/vmt7925.sock";
  std::string udc = "dummy_udc.0";
  std::string medium_via;
  bool medium = true;
  ModelConfig cfg;
  cfg.mlo = MloFromKernelCmdline();
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--ctl" && i + 1 < argc)
      ctl = argv[++i];
    else if (a == "--udc" && i + 1 < argc)
      udc = argv[++i];
    else if (a == "--fw-ready-ms" && i + 1 < argc)
      cfg.fw_ready_ns = std::strtoll(argv[++i], nullptr, 10) * 1000000;
    else if (a == "--reload-ms" && i + 1 < argc)
      cfg.reload_ns = std::strtoll(argv[++i], nullptr, 10) * 1000000;
    else if (a == "--log-mcu")
      cfg.log_mcu = true;
    else if (a == "--strict-hypothesis")
      cfg.strict_hypothesis = true;
    else if (a == "--mlo")
      cfg.mlo = true;
    else if (a == "--no-medium")
      medium = false;
    else if (a == "--medium-via" && i + 1 < argc)
      medium_via = argv[++i];
    else {
      std::fprintf(stderr, "vmt7925: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  if (cfg.mlo) Log("MLO on: chip capability MLO_EVT_EN, per-link channels");
  Model model(cfg);
  g_model = &model;
  Medium m;
  if (medium && (!medium_via.empty() || access(kHolderSock, F_OK) == 0)) {
    if (medium_via.empty()) medium_via = kHolderSock;
    if (!m.OpenVia(medium_via)) {
      Log("cannot reach the medium holder at %s: %s", medium_via.c_str(), strerror(errno));
      return 1;
    }
    g_medium = &m;
    Log("on the mac80211_hwsim medium through the holder at %s", medium_via.c_str());
  } else if (medium) {
    if (!m.Open()) {
      Log("cannot register as the hwsim medium (is mac80211_hwsim loaded? a radio with "
          "channels > 1 needs `vmt7925 medium` first): %s",
          strerror(errno));
      return 1;
    }
    g_medium = &m;
    Log("registered as the mac80211_hwsim medium");
  }
  int ep0 = -1;
  if (!SetupGadget(udc, &ep0)) return 1;
  std::vector<std::thread> threads;
  threads.emplace_back(Ep0Loop, ep0);
  for (int i = 0; i < kNumOut; ++i) threads.emplace_back(OutLoop, i);
  threads.emplace_back(InLoop);
  threads.emplace_back(TimerLoop);
  if (medium) threads.emplace_back(MediumLoop);
  threads.emplace_back([ctl] { ServeControl(ctl, HandleControl, &g_stop); });
  usleep(50000);
  if (!BindUdc(udc)) {
    Log("bind %s: %s", udc.c_str(), strerror(errno));
    return 1;
  }
  Log("bound to %s", udc.c_str());
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace
}  // namespace vmt

int main(int argc, char** argv) {
  std::string self = argv[0];
  const size_t slash = self.rfind('/');
  if (slash != std::string::npos) self = self.substr(slash + 1);
  if (self == "vmt7925ctl") return vmt::ControlClient("/run/vmt7925.sock", argc - 1, argv + 1);
  if (argc >= 2 && std::strcmp(argv[1], "ctl") == 0) {
    return vmt::ControlClient("/run/vmt7925.sock", argc - 2, argv + 2);
  }
  if (argc == 3 && std::strcmp(argv[1], "gen-firmware") == 0) {
    if (!vmt::WriteFirmware(argv[2])) {
      std::fprintf(stderr, "vmt7925: cannot write firmware into %s: %s\n", argv[2],
                   std::strerror(errno));
      return 1;
    }
    return 0;
  }
  if (argc >= 2 && std::strcmp(argv[1], "run") == 0) return vmt::Run(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "medium") == 0) return vmt::RunMedium(argc, argv);
  std::fprintf(stderr,
               "usage: vmt7925 run [--ctl PATH] [--udc NAME] [--no-medium] [--fw-ready-ms N] "
               "[--reload-ms N] [--log-mcu] [--strict-hypothesis] [--mlo] [--medium-via PATH] | "
               "medium [--radios N] [--channels N] [--mlo] [--socket PATH] | gen-firmware DIR | "
               "ctl CMD...\n");
  return 2;
}
