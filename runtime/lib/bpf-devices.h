/* cgroup v2 has no devices files: access to device nodes is decided by a
   BPF_PROG_TYPE_CGROUP_DEVICE program attached to the group.  This builds
   the program from the device rules (hand-assembled, no libbpf), loads it
   with bpf(2) and attaches it in place of any program already there.  */
#ifndef MC_BPF_DEVICES_H
#define MC_BPF_DEVICES_H

#include <linux/bpf.h>
#include <stddef.h>

#include "common/error.h"
#include "runtime/lib/cgroup-devices.h"

/* The program for `rules` (last match wins; no match denies).  *insns is
   owned by the caller.  */
void mc_bpf_devices_program (const mc_device_rule_t *rules, size_t len,
                             struct bpf_insn **insns, size_t *insns_len);

/* Load the program; the fd is the caller's.  */
int mc_bpf_devices_load (const struct bpf_insn *insns, size_t len,
                         mc_error_t *err);

/* Attach `prog_fd` to the cgroup directory `dir` and detach the device
   programs that were attached before.  */
int mc_bpf_devices_attach (const char *dir, int prog_fd, mc_error_t *err);

#endif
