#include "runtime/lib/bpf-devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

/* Registers: r1 is the context (struct bpf_cgroup_dev_ctx); the prologue
   loads type into r2, access into r3, major into r4, minor into r5.  */
#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5

typedef struct prog
{
  struct bpf_insn *insns;
  size_t len;
} prog_t;

static size_t
emit (prog_t *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
      int32_t imm)
{
  p->insns = xgrow (p->insns, p->len, sizeof (struct bpf_insn));
  p->insns[p->len] = (struct bpf_insn) {
    .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm,
  };
  return p->len++;
}

static void
emit_prologue (prog_t *p)
{
  /* access_type is (access << 16) | type.  */
  emit (p, BPF_LDX | BPF_MEM | BPF_W, R2, R1,
        offsetof (struct bpf_cgroup_dev_ctx, access_type), 0);
  emit (p, BPF_ALU | BPF_AND | BPF_K, R2, 0, 0, 0xffff);
  emit (p, BPF_LDX | BPF_MEM | BPF_W, R3, R1,
        offsetof (struct bpf_cgroup_dev_ctx, access_type), 0);
  emit (p, BPF_ALU | BPF_RSH | BPF_K, R3, 0, 0, 16);
  emit (p, BPF_LDX | BPF_MEM | BPF_W, R4, R1,
        offsetof (struct bpf_cgroup_dev_ctx, major), 0);
  emit (p, BPF_LDX | BPF_MEM | BPF_W, R5, R1,
        offsetof (struct bpf_cgroup_dev_ctx, minor), 0);
}

static uint32_t
bpf_access (unsigned acc)
{
  return ((acc & MC_DEV_ACC_READ) ? BPF_DEVCG_ACC_READ : 0)
         | ((acc & MC_DEV_ACC_WRITE) ? BPF_DEVCG_ACC_WRITE : 0)
         | ((acc & MC_DEV_ACC_MKNOD) ? BPF_DEVCG_ACC_MKNOD : 0);
}

/* One rule: a block of tests that jump past its end (to the next rule)
   when the device does not match, then "return verdict".  */
static void
emit_rule (prog_t *p, const mc_device_rule_t *r)
{
  const uint32_t all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE
                       | BPF_DEVCG_ACC_MKNOD;
  uint32_t acc = bpf_access (r->access);
  size_t jumps[8];
  size_t n = 0;
  size_t end;

  if (r->type != 'a')
    jumps[n++] = emit (p, BPF_JMP32 | BPF_JNE | BPF_K, R2, 0, 0,
                       r->type == 'c' ? BPF_DEVCG_DEV_CHAR
                                      : BPF_DEVCG_DEV_BLOCK);
  if (acc != all)
    {
      /* An allow rule covers a request whose bits are all in it; a deny
         rule one with any bit in it (so a partial deny still denies).  */
      emit (p, BPF_ALU | BPF_MOV | BPF_X, R1, R3, 0, 0);
      emit (p, BPF_ALU | BPF_AND | BPF_K, R1, 0, 0, (int32_t) acc);
      if (r->allow)
        jumps[n++] = emit (p, BPF_JMP32 | BPF_JNE | BPF_X, R1, R3, 0, 0);
      else
        jumps[n++] = emit (p, BPF_JMP32 | BPF_JEQ | BPF_K, R1, 0, 0, 0);
    }
  if (r->major >= 0)
    jumps[n++] = emit (p, BPF_JMP32 | BPF_JNE | BPF_K, R4, 0, 0,
                       (int32_t) r->major);
  if (r->minor >= 0)
    jumps[n++] = emit (p, BPF_JMP32 | BPF_JNE | BPF_K, R5, 0, 0,
                       (int32_t) r->minor);
  emit (p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, r->allow ? 1 : 0);
  end = emit (p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  for (size_t i = 0; i < n; i++)
    p->insns[jumps[i]].off = (int16_t) (end - jumps[i]);
}

void
mc_bpf_devices_program (const mc_device_rule_t *rules, size_t len,
                        struct bpf_insn **insns, size_t *insns_len)
{
  prog_t p = { NULL, 0 };

  emit_prologue (&p);
  /* Last match wins: test the rules from the last one back, so the first
     that matches decides.  A rule with no access never matches.  */
  for (size_t i = len; i-- > 0;)
    {
      if (rules[i].access == 0)
        continue;
      emit_rule (&p, &rules[i]);
      /* A rule for every device and access always decides: the verifier
         refuses the unreachable code that would follow.  */
      if (rules[i].type == 'a' && rules[i].access == (MC_DEV_ACC_READ
                                                      | MC_DEV_ACC_WRITE
                                                      | MC_DEV_ACC_MKNOD))
        goto done;
    }
  emit (&p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 0);
  emit (&p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
done:
  *insns = p.insns;
  *insns_len = p.len;
}

static int
sys_bpf (int cmd, union bpf_attr *attr)
{
  return (int) syscall (SYS_bpf, cmd, attr, sizeof (*attr));
}

int
mc_bpf_devices_load (const struct bpf_insn *insns, size_t len,
                     mc_error_t *err)
{
  char log[4096] = "";
  union bpf_attr attr;
  int fd;

  memset (&attr, 0, sizeof (attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t) (uintptr_t) insns;
  attr.insn_cnt = (uint32_t) len;
  attr.license = (uint64_t) (uintptr_t) "Apache";
  attr.log_buf = (uint64_t) (uintptr_t) log;
  attr.log_size = sizeof (log);
  attr.log_level = 1;
  fd = sys_bpf (BPF_PROG_LOAD, &attr);
  if (fd < 0 && errno == ENOSPC)
    {
      /* The log did not fit: load again without it.  */
      attr.log_buf = 0;
      attr.log_size = 0;
      attr.log_level = 0;
      fd = sys_bpf (BPF_PROG_LOAD, &attr);
    }
  if (fd < 0)
    return mc_error_make (err, errno, "bpf: load the device program%s%.200s",
                          *log ? ": " : "", log);
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

int
mc_bpf_devices_attach (const char *dir, int prog_fd, mc_error_t *err)
{
  cleanup_close int cg_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  uint32_t old_ids[64];
  union bpf_attr attr;
  uint32_t old_n = 0;

  if (cg_fd < 0)
    return mc_error_make (err, errno, "open `%s`", dir);
  memset (&attr, 0, sizeof (attr));
  attr.query.target_fd = (uint32_t) cg_fd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t) (uintptr_t) old_ids;
  attr.query.prog_cnt = sizeof (old_ids) / sizeof (old_ids[0]);
  if (sys_bpf (BPF_PROG_QUERY, &attr) == 0)
    old_n = attr.query.prog_cnt;

  /* MULTI: the new program is in place before the old ones go, so there
     is no moment without a filter.  */
  memset (&attr, 0, sizeof (attr));
  attr.target_fd = (uint32_t) cg_fd;
  attr.attach_bpf_fd = (uint32_t) prog_fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf (BPF_PROG_ATTACH, &attr) < 0)
    return mc_error_make (err, errno, "bpf: attach the device program to `%s`",
                          dir);
  for (uint32_t i = 0; i < old_n; i++)
    {
      cleanup_close int old_fd = -1;

      memset (&attr, 0, sizeof (attr));
      attr.prog_id = old_ids[i];
      old_fd = sys_bpf (BPF_PROG_GET_FD_BY_ID, &attr);
      if (old_fd < 0)
        continue;
      memset (&attr, 0, sizeof (attr));
      attr.target_fd = (uint32_t) cg_fd;
      attr.attach_bpf_fd = (uint32_t) old_fd;
      attr.attach_type = BPF_CGROUP_DEVICE;
      if (sys_bpf (BPF_PROG_DETACH, &attr) < 0)
        return mc_error_make (err, errno, "bpf: detach the old device "
                              "program from `%s`", dir);
    }
  return 0;
}
