// File: rig/vmt7925/main.cc
//
// vmt7925: the virtual MT7925 USB device, run inside the rig guest. This file is the host of
// the sans-I/O Model: it owns the I/O and the threads.
//
//   vmt7925 run [--ctl PATH] [--udc NAME] [--fw-ready-ms N] [--reload-ms N] [--log-mcu]
//               [--strict-hypothesis] [--mlo]
//                                            (--mlo also from `vmt7925.mlo=1` on the
//                                            kernel command line)
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
#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

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
  static constexpr int kCmdRegister = 1, kCmdFrame = 2, kCmdTxInfo = 3;
  static constexpr int kAttrReceiver = 1, kAttrTransmitter = 2, kAttrFrame = 3, kAttrFlags = 4,
                       kAttrRxRate = 5, kAttrSignal = 6, kAttrTxInfo = 7, kAttrCookie = 8,
                       kAttrFreq = 19, kAttrTxInfoFlags = 21;
  static constexpr uint32_t kTxStatAck = 4, kTxCtlNoAck = 2;

  bool Open() {
    fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (fd_ < 0) return false;
    int sz = 4 << 20;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
    setsockopt(fd_, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) return false;
    family_ = ResolveFamily("MAC80211_HWSIM");
    if (family_ <= 0) return false;
    std::vector<uint8_t> m = Header(family_, kCmdRegister);
    return SendMsg(&m);
  }

  // Reads one batch of netlink messages; feeds frames to the model.
  bool ReadOnce() {
    std::vector<uint8_t>& buf = rx_buf_;  // one buffer: no 64 KiB zeroing per message
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0) return errno == EINTR || errno == ENOBUFS || errno == EAGAIN;
    size_t off = 0;
    while (off + NLMSG_HDRLEN <= static_cast<size_t>(n)) {
      auto* nh = reinterpret_cast<nlmsghdr*>(buf.data() + off);
      if (nh->nlmsg_len < NLMSG_HDRLEN || off + nh->nlmsg_len > static_cast<size_t>(n)) break;
      if (nh->nlmsg_type == family_ && nh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
        auto* gh = reinterpret_cast<genlmsghdr*>(NLMSG_DATA(nh));
        if (gh->cmd == kCmdFrame) {
          OnFrame(reinterpret_cast<uint8_t*>(gh) + GENL_HDRLEN,
                  nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
        }
      } else if (nh->nlmsg_type == NLMSG_ERROR) {
        auto* e = reinterpret_cast<nlmsgerr*>(NLMSG_DATA(nh));
        if (e->error != 0) ++nl_errors_;
      }
      off += NLMSG_ALIGN(nh->nlmsg_len);
    }
    return true;
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

 private:
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

  void OnFrame(const uint8_t* attrs, size_t len) {
    const uint8_t* tx = nullptr;
    const uint8_t* frame = nullptr;
    size_t frame_len = 0;
    uint32_t flags = 0, freq = 0;
    uint64_t cookie = 0;
    const uint8_t* tx_info = nullptr;
    size_t tx_info_len = 0;
    size_t off = 0;
    while (off + NLA_HDRLEN <= len) {
      const auto* na = reinterpret_cast<const nlattr*>(attrs + off);
      if (na->nla_len < NLA_HDRLEN || off + na->nla_len > len) break;
      const uint8_t* d = attrs + off + NLA_HDRLEN;
      const size_t dl = na->nla_len - NLA_HDRLEN;
      switch (na->nla_type & NLA_TYPE_MASK) {
        case kAttrTransmitter:
          if (dl >= 6) tx = d;
          break;
        case kAttrFrame:
          frame = d;
          frame_len = dl;
          break;
        case kAttrFlags:
          if (dl >= 4) std::memcpy(&flags, d, 4);
          break;
        case kAttrFreq:
          if (dl >= 4) std::memcpy(&freq, d, 4);
          break;
        case kAttrCookie:
          if (dl >= 8) std::memcpy(&cookie, d, 8);
          break;
        case kAttrTxInfo:
          tx_info = d;
          tx_info_len = dl;
          break;
        default: break;
      }
      off += NLA_ALIGN(na->nla_len);
    }
    if (tx == nullptr || frame == nullptr) return;
    std::array<uint8_t, 6> t;
    std::memcpy(t.data(), tx, 6);
    {
      std::lock_guard<std::mutex> l(mu_);
      radios_[Key(tx)] = t;
      if (frame_len >= 16 && radio_by_addr_.size() < 64) radio_by_addr_[Key(frame + 10)] = t;
    }
    bool ack = false;
    {
      std::lock_guard<std::mutex> l(g_mu);
      ack = g_model->OnAir(freq, frame, frame_len, -40, NowNs());
      FlushLocked();
    }
    g_timer_cv.notify_one();
    // TX status back to the transmitting radio (hwsim_tx_info_frame_received_nl needs
    // transmitter, flags, cookie, signal and tx_info).
    std::vector<uint8_t> m = Header(family_, kCmdTxInfo);
    PutAttr(&m, kAttrTransmitter, tx, 6);
    PutU32(&m, kAttrFlags, ack && !(flags & kTxCtlNoAck) ? (flags | kTxStatAck) : flags);
    PutU32(&m, kAttrSignal, static_cast<uint32_t>(-40));
    if (tx_info != nullptr) PutAttr(&m, kAttrTxInfo, tx_info, tx_info_len);
    uint64_t c = cookie;
    PutAttr(&m, kAttrCookie, &c, 8);
    SendMsg(&m);
  }

  std::vector<uint8_t> rx_buf_ = std::vector<uint8_t>(1 << 16);
  int fd_ = -1;
  int family_ = -1;
  uint32_t seq_ = 0;
  uint64_t nl_errors_ = 0;
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

int Run(int argc, char** argv) {
  std::string ctl = "/run/vmt7925.sock";
  std::string udc = "dummy_udc.0";
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
  if (medium) {
    if (!m.Open()) {
      Log("cannot register as the hwsim medium (is mac80211_hwsim loaded?): %s", strerror(errno));
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
  std::fprintf(stderr,
               "usage: vmt7925 run [--ctl PATH] [--udc NAME] [--no-medium] [--fw-ready-ms N] "
               "[--reload-ms N] [--log-mcu] [--strict-hypothesis] [--mlo] | gen-firmware DIR | "
               "ctl CMD...\n");
  return 2;
}
