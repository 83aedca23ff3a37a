#!/usr/bin/env python3
"""Writes the fuzz seed corpora under fuzz/corpus/<target>/ from the repository's golden vectors.

Sources (nothing is invented where a golden vector exists):
  frame_decode    the golden frames of userspace_test/mcu_frame_test.cc (kGoldenCases) and the
                  frames spelled out in tools/cli_test.sh (bss12, the mt7921 frame, ptk_frame)
  event_response  the golden events of userspace_test/mcu_event_test.cc (kEventCases) and the
                  events of tools/cli_test.sh, each behind {le32 cmd, u8 seq} for the command
                  it answers; plus one event per parse_response rule of mcu_response_test.cc
                  (built like test_util.h MakeEvent)
  tlv             userspace_test/mcu_event_test.cc kTlvCases, and the STA_REC TLVs of the key
                  frame in tools/cli_test.sh
  inflight        short programs (see fuzz/inflight_fuzz.cc) using the golden events' shapes
  keys_script     tools/scripts/roam-1036.keys and the scripts of tools/cli_test.sh
  diagnose        tools/testdata/diagnose/*.log and *.dmesg, behind a chunk-size byte
  cli_parse       the command words, names and frames of tools/cli_test.sh, and bad input of
                  each kind the CLI's bad-input table covers, behind a length-bound byte
  keytable, reset, capi
                  short programs (see fuzz/<target>_fuzz.cc) built on the same golden frames
                  and events where they take device bytes

Run from anywhere: tools/fuzz/make_seeds.py [TARGET...] (default: all). It rewrites the named
seed directories completely; the
files are named by content (sha1 prefix) like libFuzzer's own corpus entries.
"""

import glob
import hashlib
import os
import re
import shutil
import struct
import subprocess

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def hexbytes(s):
    s = re.sub(r"[\s|:,_]", "", s)
    assert len(s) % 2 == 0, s
    return bytes.fromhex(s)


def literal_runs(block):
    """C string literals of `block`, adjacent ones (only whitespace/comments between) joined."""
    block = re.sub(r"//[^\n]*", "", block)
    runs, cur, pos = [], None, 0
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', block):
        between = block[pos:m.start()]
        if cur is not None and between.strip() == "":
            cur += m.group(1)
        else:
            if cur is not None:
                runs.append(cur)
            cur = m.group(1)
        pos = m.end()
    if cur is not None:
        runs.append(cur)
    return runs


def table_entries(src, name):
    """Top-level `{...}` entries of `const X name[] = { ... };`."""
    start = src.index(name + "[] = {")
    i = src.index("{", start) + 1
    depth, entry_start, entries = 0, None, []
    in_str = False
    while True:
        c = src[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "/" and src[i + 1] == "/":
            i = src.index("\n", i)
            continue
        elif c == "{":
            if depth == 0:
                entry_start = i
            depth += 1
        elif c == "}":
            if depth == 0:
                return entries
            depth -= 1
            if depth == 0:
                entries.append(src[entry_start:i + 1])
        i += 1


def cli_var(name):
    """A variable of tools/cli_test.sh, evaluated by bash with the script's helpers."""
    src = read("tools/cli_test.sh")
    lines = [l for l in src.splitlines() if re.match(r"^(hdr|ev14|bss12|" + name + r")=", l)]
    script = "z() { printf '%0*d' \"$1\" 0; }\n" + "\n".join(lines) + "\nprintf '%s' \"$" + name + "\"\n"
    return subprocess.run(["bash", "-c", script], check=True, capture_output=True, text=True).stdout


def make_event(rxd_size, seq, eid, option, ext_eid, payload):
    """test_util.h MakeEvent: HW RXD (DW0 = PKT_TYPE_RX_EVENT | length), 12-byte MCU part, payload."""
    hw = rxd_size - 12
    total = rxd_size + len(payload)
    e = bytearray(rxd_size)
    struct.pack_into("<I", e, 0, (7 << 27) | total)
    struct.pack_into("<H", e, hw, total - hw)
    e[hw + 4], e[hw + 5], e[hw + 6], e[hw + 8] = eid, seq, option, ext_eid
    return bytes(e) + payload


def response_seed(cmd, seq, event):
    return struct.pack("<IB", cmd, seq) + event


ONLY = set()  # targets named on the command line; empty: all


def write(target, seeds):
    if ONLY and target not in ONLY:
        return
    d = os.path.join(ROOT, "fuzz", "corpus", target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    seen = set()
    for s in seeds:
        h = hashlib.sha1(s).hexdigest()
        if h in seen:
            continue
        seen.add(h)
        with open(os.path.join(d, h[:16]), "wb") as f:
            f.write(s)
    print(f"{target}: {len(seen)} seeds")


BSS, STA_REC, DEV_INFO, HIF_CTRL = 0x20002, 0x20003, 0x20001, 0x20007
PATCH_SEM, PATCH_FINISH = 0x10, 0x07
EXT_THERMAL = 0xED | (0x2C << 8)
RESULT, UNI_EV = 0x01, 0x02


def main():
    # ---- frame_decode
    frames = []
    for e in table_entries(read("userspace_test/mcu_frame_test.cc"), "kGoldenCases"):
        frames.append(hexbytes(literal_runs(e)[-1]))
    frames.append(hexbytes(cli_var("bss12")))
    cli = read("tools/cli_test.sh")
    frames += [hexbytes(m) for m in re.findall(r'"(3400004100000180[0-9a-f]+)"', cli)]
    ptk = hexbytes(cli_var("ptk_frame"))
    frames.append(ptk)
    write("frame_decode", frames)

    # ---- event_response: {le32 cmd, u8 seq, event}
    seeds = []
    ev_src = read("userspace_test/mcu_event_test.cc")
    for e in table_entries(ev_src, "kEventCases"):
        ev = hexbytes(literal_runs(e)[1])
        rxd = 36 if "kMt7921" in e else 44
        seq = ev[rxd - 12 + 5]
        seeds.append(response_seed(BSS, seq, ev))
        seeds.append(response_seed(PATCH_SEM, seq, ev))
    ev14 = hexbytes(cli_var("ev14"))
    seeds.append(response_seed(BSS, 14, ev14))
    seeds.append(response_seed(BSS, 14, ev14[:50]))  # the "short result" case
    # One event per parse_response rule (mcu_response_test.cc kCases).
    for rxd in (36, 44):
        seeds.append(response_seed(BSS, 12, make_event(rxd, 12, RESULT, UNI_EV, 0, hexbytes("02000000010000c0"))))
        seeds.append(response_seed(STA_REC, 13, make_event(rxd, 13, RESULT, UNI_EV, 0, hexbytes("0300000001000000"))))
        seeds.append(response_seed(DEV_INFO, 1, make_event(rxd, 1, RESULT, UNI_EV, 0, hexbytes("0300000000000000"))))
        seeds.append(response_seed(PATCH_SEM, 1, make_event(rxd, 1, 0x04, 0, 0x02, b"")))
        seeds.append(response_seed(PATCH_FINISH, 3, make_event(rxd, 3, 0x01, 0, 0xFF, b"")))
        seeds.append(response_seed(HIF_CTRL, 5, make_event(rxd, 5, RESULT, UNI_EV, 0, hexbytes("0700000004000000"))))
        seeds.append(response_seed(EXT_THERMAL, 7, make_event(rxd, 7, 0xED, 0, 0x2C, hexbytes("000000002a000000"))))
        # mt7996 UNI RESULT: {le16 cid, 2 rsv, le32 status}
        seeds.append(response_seed(BSS, 9, make_event(rxd, 9, RESULT, UNI_EV, 0, hexbytes("0200000005000000"))))
        # Unsolicited UNI event with a 4-byte fixed header and two TLVs.
        seeds.append(response_seed(BSS, 0, make_event(rxd, 0, 0x2B, UNI_EV | 0x04, 0,
                                                      hexbytes("00000000 01000600aabb 0200040000"))))
    write("event_response", seeds)

    # ---- tlv
    tlvs = []
    for e in table_entries(ev_src, "kTlvCases"):
        tlvs.append(hexbytes(literal_runs(e)[1]))
    tlvs.append(ptk[48 + 8:])  # STA_REC_KEY_V3 TLV of the key frame
    tlvs.append(ptk[48 + 8:] + hexbytes("25000400"))  # ... then STA_REC_REMOVE
    write("tlv", tlvs)

    # ---- inflight programs: byte 0 profile; ops (fuzz/inflight_fuzz.cc)
    progs = [
        # mt7925: arm BSS_INFO, answer it with a matching RESULT (cid set), check deadline
        bytes([1, 0, 0, 1, 0, 0x80 | 0x20 | 0x10, 8]) + bytes(8) + bytes([7]),
        # mt7925: arm 2, answer slot 0 with wrong cid (stale), time out both, late answer
        bytes([1, 0, 0, 0, 1, 1, 0, 0x30, 8, 3, 0, 0, 0, 0, 0, 0, 0, 3, 60, 4, 1, 0, 0xb0, 8]) + bytes(8),
        # mt7921: arm STA_REC, cancel, arm PATCH_SEM, answer, fail all
        bytes([0, 0, 1, 5, 0, 0, 3, 1, 1, 0, 0, 6, 4, 7]),
        # mt7996: arm THERMAL + SCAN + DEV_INFO + HIF, advance past 5 s, expire, arm until busy
        bytes([2, 0, 5, 0, 4, 0, 2, 0, 6, 0, 0, 3, 120, 4]) + bytes([0, 1] * 12) + bytes([7]),
        # mt7925: raw events: the golden BSS result, then garbage, then unsolicited
        bytes([1, 0, 0, 2, len(ev14)]) + ev14 + bytes([2, 3, 1, 2, 3, 1, 0, 0x60, 4, 1, 2, 3, 4]),
    ]
    write("inflight", progs)

    # ---- keys_script
    scripts = [read("tools/scripts/roam-1036.keys").encode()]
    for m in re.findall(r"keys '([^']*)'", cli):
        scripts.append(m.replace("\\n", "\n").encode())
    roam = re.search(r"^roam='([^']*)'", cli, re.M).group(1)
    scripts.append(roam.replace("\\n", "\n").encode())
    scripts.append(b"link add 0\nlink add 1\nlink add 2\nlink add 3\nlink add 4\n"
                   b"sta add 0 02:00:00:00:00:10\nkey set group idx=2 link=0 cipher=TKIP\n"
                   b"key set group idx=5 link=0 cipher=AES-CMAC\nreset begin\nlink remove 0\n"
                   b"key set pairwise idx=1 cipher=GCMP-256 key=00112233445566778899aabbccddeeff"
                   b"00112233445566778899aabbccddeeff\nreset end\n")
    write("keys_script", scripts)

    # ---- diagnose: chunk-size byte, then the log
    logs = sorted(glob.glob(os.path.join(ROOT, "tools/testdata/diagnose/*.log")) +
                  glob.glob(os.path.join(ROOT, "tools/testdata/diagnose/*.dmesg")))
    seeds = []
    for i, p in enumerate(logs):
        with open(p, "rb") as f:
            seeds.append(bytes([(31, 0, 200, 7)[i % 4]]) + f.read())
    write("diagnose", seeds)

    # ---- cli_parse: a bound byte, then what a user types for --cmd / --hex / --payload: the
    # words and names of tools/cli_test.sh and README, its frames, and bad input of each kind
    texts = [b"0x00020002", b"00020002", b"131074", b"UNI_BSS_INFO_UPDATE", b"UNI BSS_INFO_UPDATE",
             b"MCU_UNI_CMD_BSS_INFO_UPDATE", b"EXT_GET_MIB_INFO", b"MCU_EXT_CMD_GET_MIB_INFO",
             b"CE_REG_READ:query", b"CMD_PATCH_SEM_CONTROL", b"MCU_CMD_FW_SCATTER", b"BSS_INFO_UPDATE",
             b"0x00005aed", b"UNI_NOPE", b"0x80020002", b"12\r",
             cli_var("bss12").encode(), cli_var("ptk_frame").encode()[:200], b"0x0a 1B:ff\tde\nad",
             b"abc", b"00zz", b"00\xff\xfe", b"\x1b[31mX\xe2\x80\xae", b"caf\xc3\xa9", b"A" * 300]
    write("cli_parse", [bytes([(48, 200, 7, 63)[i % 4]]) + t for i, t in enumerate(texts)])

    # ---- keytable: byte 0 policy; ops of fuzz/keytable_fuzz.cc. SET/DISABLE operands:
    # link, cipher pick (0 CCMP, 1 AES-CMAC, 2 TKIP), keyidx, link id + 1, length tweak; then
    # the fill level, then the send byte (>= 64: all sent) when actions were emitted.
    def kset(op, cipher, idx, link_id, fill=0, send=200):
        return bytes([op, 0, cipher, idx, link_id + 1, 0, fill, send])
    setup = bytes([0, 0, 0, 200, 2, 0, 0, 200]) + kset(4, 0, 0, -1) + kset(4, 0, 1, 0) + kset(4, 1, 4, 0)
    progs = [
        bytes([0]) + setup + kset(5, 0, 1, 0) + bytes([1, 0]),
        bytes([0]) + setup + bytes([0, 1, 0, 200, 2, 1, 0, 200]) + kset(5, 0, 0, -1, fill=15),
        bytes([1]) + kset(4, 0, 1, 0) + kset(4, 1, 4, 0) + bytes([0, 0, 16, 0, 0, 0, 200]),
        bytes([0]) + setup + bytes([6]) + kset(4, 2, 2, 0) + bytes([7, 0, 0, 200]),
        bytes([0]) + setup + kset(4, 0, 0, -1, fill=17) + kset(4, 0, 2, 0, send=1) + bytes([8]),
    ]
    write("keytable", progs)

    # ---- reset: 4 config bytes (probe, wedge_after, hold_off_after, backoff scale); ops of
    # fuzz/reset_fuzz.cc (step result: which < 160 = the current step, then ok).
    steps_ok = bytes([3, 0, 1] * 6)
    progs = [
        bytes([0, 5, 3, 1]) + bytes([0]) + steps_ok + bytes([8]),
        bytes([0, 5, 3, 1]) + bytes([0, 3, 0, 0, 5, 10, 0]) + steps_ok,
        bytes([1, 5, 3, 1]) + bytes([5, 200, 20, 4, 0, 5, 50, 0]) + steps_ok,
        bytes([0, 2, 0, 0]) + bytes([1, 3, 0, 0, 3, 0, 0, 6, 10, 5, 1, 0]),
        bytes([0, 5, 3, 1]) + bytes([7, 0, 0, 0, 7, 1, 0, 0, 7, 2, 0, 1, 7, 1, 2, 1, 7, 2, 2, 0,
                                     8, 0]) + steps_ok + bytes([7, 3, 0, 0, 8]),
    ]
    write("reset", progs)

    # ---- capi: byte 0 family (| 4 probe callback, | 8 pairwise-before-group); ops of
    # fuzz/capi_fuzz.cc (API 2: op % 11). An event op is {flags, len, bytes}: flags 1 makes
    # it a UNI RESULT for the last command (| 4: for the last SEND), | 8 a COREDUMP, | 2
    # unsolicited, 0x10 leaves it unread.
    def ev(flags, n=52):
        return bytes([3, flags, n]) + bytes(n)
    submit = lambda pick: bytes([2, pick])
    tick = lambda steps, ok=1: bytes([4, steps, ok])
    link_add = lambda link: bytes([6, 0, link, 0])
    sta_add = lambda link: bytes([6, 1, link, 0])
    key_set = lambda link_plus_1, pick: bytes([6, 2, link_plus_1, pick])
    associate = link_add(0) + sta_add(0) + bytes([6, 6, 0, 1]) + key_set(0, 0) + \
        ev(5) + ev(5) + key_set(1, 4) + ev(5) + key_set(1, 0x11) + ev(5)
    progs = [
        # a command answered; the stateless calls on golden bytes
        bytes([1]) + submit(0) + ev(1) + bytes([7, 1, 1, 0, 12, len(ev14)]) + ev14 +
        bytes([0, len(ptk)]) + ptk,
        # associate (BSS cipher, keys answered), then a hang: timeouts, the reset, restore
        bytes([1]) + associate + submit(0) + submit(1) + tick(63) + tick(63) + tick(10) +
        ev(5) + ev(5) + ev(5) + ev(5) + ev(5) + ev(5) + tick(10) + submit(0) + ev(1),
        # COREDUMP, failed steps, the probe on with a dead firmware, a request, config
        bytes([5]) + submit(8) + ev(0x0b) + tick(1, 0) + tick(1, 0) + bytes([5, 4, 0, 0]) +
        bytes([8, 120, 1, 3, 0, 1, 1]) + bytes([5, 2, 10]) + tick(5) + tick(63),
        # an event left unread (the next is -EBUSY), the host's own results, key encode
        bytes([2]) + submit(0) + submit(1) + ev(0x11) + ev(1) + bytes([5, 3, 1, 2, 1]) +
        bytes([5, 3, 1, 3, 0]) + bytes([10]) + bytes(range(48)) + bytes([1, 1]),
        # four links with stations, a pairwise key fanned out, one link torn down
        bytes([9]) + link_add(0) + sta_add(0) + link_add(1) + sta_add(1) + link_add(2) +
        key_set(0, 0) + ev(5) + ev(5) + ev(5, 40) + bytes([6, 4, 1, 0, 6, 3, 2, 0]) + tick(40),
        # frame encode with any sizes, decode, parse_response for every family
        bytes([0, 9, 1, 0, 0, 3, 0, 8]) + bytes(8) + bytes([200, 1]) +
        bytes([1, 0, 0, 14, len(ev14)]) + ev14 + bytes([1, 2, 1, 14, 20]) + ev14[:20],
    ]
    write("capi", progs)


def layout_samples():
    """One line per event make_event() builds, for //fuzz:seed_layout_test, which rebuilds each
    with the core's connac::EncodeEvent and compares: the seeds must share the core's layout.
    Line: event <rxd_size> <seq> <eid> <option> <ext_eid> <payload hex|-> <event hex>."""
    payloads = [b"", hexbytes("02000000010000c0"), bytes(range(1, 40))]
    for rxd in (36, 44):
        for seq, eid, option, ext_eid in ((12, RESULT, UNI_EV, 0), (0, 0x2B, UNI_EV | 0x04, 0),
                                          (3, 0x01, 0, 0xFF), (15, 0xED, 0, 0x2C)):
            for p in payloads:
                ev = make_event(rxd, seq, eid, option, ext_eid, p)
                print("event", rxd, seq, eid, option, ext_eid, p.hex() or "-", ev.hex())


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--layout-samples"]:
        layout_samples()
        sys.exit(0)
    ONLY.update(sys.argv[1:])
    main()
