/*
 * Why: the only contract between the kernel C file and the C++ core TU of the
 * compile-check module. Plain C with no kernel and no C++ headers, so both
 * compilers read it: the C side never sees C++, the C++ side never sees kernel
 * headers. Errors are 0 or a negative errno (the core's Status::code()).
 */
#ifndef CONNAC_KCHECK_H
#define CONNAC_KCHECK_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Builds a frame for command word @cmd with sequence number @seq into @buf
 * three ways (WriteHeader, EncodeFrame, FrameBuilder) and decodes it again.
 * @profile: 0 = mt7921, 1 = mt7925, 2 = mt7996. Returns the frame length or a
 * negative errno.
 */
int kcheck_frame(unsigned int profile, unsigned int cmd, unsigned char seq,
		 unsigned char *buf, unsigned long len);

/*
 * Decodes the MCU event in @ev, walks its TLVs and applies every family's
 * response rules for (@cmd, @seq). Stores the firmware status of @profile's
 * verdict in @fw_status and the command's name (or NULL) in @cmd_name.
 */
int kcheck_event(unsigned int profile, unsigned int cmd, unsigned char seq,
		 const unsigned char *ev, unsigned long len, int *fw_status,
		 const char **cmd_name);

/*
 * Runs a transaction cycle on the module's one in-flight table: arm, feed @ev,
 * expire at the next deadline, cancel, fail all. @now_ns is the host clock.
 */
int kcheck_txn(long long now_ns, const unsigned char *ev, unsigned long len);

/*
 * Runs one MLO link's key life on the module's key table (mt7925): link and
 * link-station up; group CCMP, IGTK and pairwise keys from the @key_len bytes
 * at @key; a rolled-back send; a firmware reset replay; teardown. Each
 * STA_REC_UPDATE frame is encoded into @buf with sequence number @seq.
 * Returns the number of frames or a negative errno.
 */
int kcheck_keys(const unsigned char *key, unsigned long key_len,
		unsigned char seq, unsigned char *buf, unsigned long len);

/*
 * One reset episode on a connac::Device: a command is never answered, the
 * timeout fails it fast, every reset step runs and the restore is sent.
 * Returns the number of steps run or a negative errno.
 */
int kcheck_reset(long long start_ns);

/* Kernel spelling of errno @err ("EINVAL"), or "OK" for 0. */
const char *kcheck_errno_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_KCHECK_H */
