/* runtime/lib/bpf-devices.c and cgroup-devices.c: device rules -> a
   BPF_PROG_TYPE_CGROUP_DEVICE program.  The programs are checked three
   ways: the exact instructions for small rule sets, their verdicts through
   a small interpreter of the instructions used, and, as root with a cgroup2
   hierarchy, loaded and attached for real.  */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/bpf-devices.h"
#include "runtime/lib/cgroup-devices.h"

#define RWM (MC_DEV_ACC_READ | MC_DEV_ACC_WRITE | MC_DEV_ACC_MKNOD)

/* Run `p` on a device access: the subset of eBPF the generator emits.  */
static int
run_prog (const struct bpf_insn *p, size_t n, int type, int major, int minor,
          uint32_t access)
{
  uint32_t ctx[3] = { (access << 16) | (uint32_t) type, (uint32_t) major,
                      (uint32_t) minor };
  uint64_t r[11] = { 0 };

  for (size_t pc = 0; pc < n; pc++)
    {
      const struct bpf_insn *i = &p[pc];
      uint32_t lhs32;

      switch (i->code)
        {
        case BPF_LDX | BPF_MEM | BPF_W:
          assert_int_equal (i->src_reg, 1);
          r[i->dst_reg] = ctx[i->off / 4];
          break;
        case BPF_ALU | BPF_AND | BPF_K:
          r[i->dst_reg] = (uint32_t) r[i->dst_reg] & (uint32_t) i->imm;
          break;
        case BPF_ALU | BPF_RSH | BPF_K:
          r[i->dst_reg] = (uint32_t) r[i->dst_reg] >> i->imm;
          break;
        case BPF_ALU | BPF_MOV | BPF_X:
          r[i->dst_reg] = (uint32_t) r[i->src_reg];
          break;
        case BPF_ALU64 | BPF_MOV | BPF_K:
          r[i->dst_reg] = (uint64_t) (int64_t) i->imm;
          break;
        case BPF_JMP32 | BPF_JNE | BPF_K:
          lhs32 = (uint32_t) r[i->dst_reg];
          if (lhs32 != (uint32_t) i->imm)
            pc += (size_t) i->off;
          break;
        case BPF_JMP32 | BPF_JEQ | BPF_K:
          lhs32 = (uint32_t) r[i->dst_reg];
          if (lhs32 == (uint32_t) i->imm)
            pc += (size_t) i->off;
          break;
        case BPF_JMP32 | BPF_JNE | BPF_X:
          if ((uint32_t) r[i->dst_reg] != (uint32_t) r[i->src_reg])
            pc += (size_t) i->off;
          break;
        case BPF_JMP | BPF_EXIT:
          return (int) r[0];
        default:
          fail_msg ("unexpected opcode 0x%02x at %zu", i->code, pc);
        }
    }
  fail_msg ("ran off the end of the program");
  return -1;
}

static void
insn_is (const struct bpf_insn *i, uint8_t code, uint8_t dst, uint8_t src,
         int16_t off, int32_t imm)
{
  assert_int_equal (i->code, code);
  assert_int_equal (i->dst_reg, dst);
  assert_int_equal (i->src_reg, src);
  assert_int_equal (i->off, off);
  assert_int_equal (i->imm, imm);
}

static void
test_instructions_one_rule (void **state)
{
  mc_device_rule_t rules[] = { { 'c', 1, 3, RWM, true } };
  cleanup_free struct bpf_insn *p = NULL;
  size_t n = 0;

  mc_bpf_devices_program (rules, 1, &p, &n);
  assert_int_equal (n, 13);
  /* Prologue: type, access, major, minor into r2..r5.  */
  insn_is (&p[0], BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);
  insn_is (&p[1], BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
  insn_is (&p[2], BPF_LDX | BPF_MEM | BPF_W, 3, 1, 0, 0);
  insn_is (&p[3], BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
  insn_is (&p[4], BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0);
  insn_is (&p[5], BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0);
  /* The rule: every mismatch jumps past its `return 1`.  */
  insn_is (&p[6], BPF_JMP32 | BPF_JNE | BPF_K, 2, 0, 4, BPF_DEVCG_DEV_CHAR);
  insn_is (&p[7], BPF_JMP32 | BPF_JNE | BPF_K, 4, 0, 3, 1);
  insn_is (&p[8], BPF_JMP32 | BPF_JNE | BPF_K, 5, 0, 2, 3);
  insn_is (&p[9], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
  insn_is (&p[10], BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  /* No match: deny.  */
  insn_is (&p[11], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
  insn_is (&p[12], BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void
test_instructions_last_match_first (void **state)
{
  /* allow all, then deny writes to block devices of major 8.  */
  mc_device_rule_t rules[] = {
    { 'a', -1, -1, RWM, true },
    { 'b', 8, -1, MC_DEV_ACC_WRITE, false },
  };
  cleanup_free struct bpf_insn *p = NULL;
  size_t n = 0;

  mc_bpf_devices_program (rules, 2, &p, &n);
  /* Nothing after the unconditional "a" (the verifier refuses
     unreachable code).  */
  assert_int_equal (n, 6 + 7 + 2);
  /* The last rule comes first.  */
  insn_is (&p[6], BPF_JMP32 | BPF_JNE | BPF_K, 2, 0, 6, BPF_DEVCG_DEV_BLOCK);
  insn_is (&p[7], BPF_ALU | BPF_MOV | BPF_X, 1, 3, 0, 0);
  insn_is (&p[8], BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, BPF_DEVCG_ACC_WRITE);
  insn_is (&p[9], BPF_JMP32 | BPF_JEQ | BPF_K, 1, 0, 3, 0);
  insn_is (&p[10], BPF_JMP32 | BPF_JNE | BPF_K, 4, 0, 2, 8);
  insn_is (&p[11], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
  insn_is (&p[12], BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  /* "a": no test at all.  */
  insn_is (&p[13], BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
  insn_is (&p[14], BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

#define C BPF_DEVCG_DEV_CHAR
#define B BPF_DEVCG_DEV_BLOCK
#define R BPF_DEVCG_ACC_READ
#define W BPF_DEVCG_ACC_WRITE
#define M BPF_DEVCG_ACC_MKNOD

static void
test_verdicts (void **state)
{
  /* runc's usual list: deny all, then the config's, then the defaults.  */
  spec_device_cgroup_t cfg[] = {
    { .allow = false, .access = (char *) "rwm" },
    { .allow = true, .type = (char *) "c", .major = 10, .has_major = true,
      .minor = 200, .has_minor = true, .access = (char *) "rw" },
    { .allow = false, .type = (char *) "c", .major = 10, .has_major = true,
      .access = (char *) "w" },
    { .allow = true, .type = (char *) "b", .major = 8, .has_major = true,
      .access = (char *) "r" },
  };
  spec_resources_t r = { .devices = cfg, .devices_len = 4 };
  cleanup_free mc_device_rule_t *rules = NULL;
  cleanup_free struct bpf_insn *p = NULL;
  mc_error_t err = NULL;
  size_t n = 0, np = 0;
  static const struct { int type, major, minor; uint32_t acc; int want; } cases[] = {
    { C, 1, 3, R | W, 1 },   /* /dev/null: default */
    { C, 136, 7, R | W, 1 }, /* /dev/pts/7 */
    { C, 1, 1, R, 0 },       /* /dev/mem: denied */
    { C, 1, 1, M, 1 },       /* mknod of any char device: default */
    { B, 8, 0, M, 1 },
    { C, 10, 200, R, 1 },    /* allowed, then writes denied by major */
    { C, 10, 200, W, 0 },
    { C, 10, 200, R | W, 0 },
    { C, 10, 229, R, 0 },
    { B, 8, 1, R, 1 },
    { B, 8, 1, W, 0 },
    { B, 9, 1, R, 0 },
  };

  assert_int_equal (mc_cgroup_device_rules (&r, &rules, &n, &err), 0);
  assert_int_equal (n, 4 + 10);
  mc_bpf_devices_program (rules, n, &p, &np);
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    if (run_prog (p, np, cases[i].type, cases[i].major, cases[i].minor,
                  cases[i].acc) != cases[i].want)
      fail_msg ("case %zu: %d %d:%d access %u: want %d", i, cases[i].type,
                cases[i].major, cases[i].minor, cases[i].acc, cases[i].want);
}

static void
test_bad_rules (void **state)
{
  spec_device_cgroup_t bad_type = { .allow = true, .type = (char *) "x" };
  spec_device_cgroup_t bad_acc = { .allow = true, .access = (char *) "rwx" };
  spec_resources_t r = { .devices = &bad_type, .devices_len = 1 };
  mc_device_rule_t *rules = NULL;
  mc_error_t err = NULL;
  size_t n;

  assert_true (mc_cgroup_device_rules (&r, &rules, &n, &err) < 0);
  mc_error_release (&err);
  r.devices = &bad_acc;
  assert_true (mc_cgroup_device_rules (&r, &rules, &n, &err) < 0);
  mc_error_release (&err);
}

static void
test_v1_strings (void **state)
{
  mc_device_rule_t a = { 'a', -1, -1, RWM, false };
  mc_device_rule_t c = { 'c', 136, -1, MC_DEV_ACC_READ | MC_DEV_ACC_MKNOD, true };
  cleanup_free char *sa = mc_device_rule_v1_string (&a);
  cleanup_free char *sc = mc_device_rule_v1_string (&c);

  assert_string_equal (sa, "a");
  assert_string_equal (sc, "c 136:* rm");
}

/* A cgroup2 hierarchy to attach to: the v2 root or the hybrid one.  */
static const char *
cgroup2_mount (void)
{
  static const char *const cands[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
  struct statfs sfs;

  for (size_t i = 0; i < 2; i++)
    if (statfs (cands[i], &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
      return cands[i];
  return NULL;
}

/* In the child: 0 when /dev/null opens and /dev/zero is refused.  */
static int
child_checks (const char *dir)
{
  char pid[32];
  cleanup_free char *procs = xasprintf ("%s/cgroup.procs", dir);
  int fd = open (procs, O_WRONLY);
  int ok = 0;

  snprintf (pid, sizeof (pid), "%d", (int) getpid ());
  if (fd < 0 || write (fd, pid, strlen (pid)) < 0)
    return 10;
  close (fd);
  fd = open ("/dev/null", O_RDWR);
  if (fd < 0)
    ok |= 1;
  else
    close (fd);
  fd = open ("/dev/zero", O_RDONLY);
  if (fd >= 0 || errno != EPERM)
    ok |= 2;
  return ok;
}

static void
test_load_and_attach (void **state)
{
  /* As with the defaults: a deny-all first, an allow after.  */
  mc_device_rule_t rules[] = {
    { 'a', -1, -1, RWM, false },
    { 'c', 1, 3, RWM, true },
    { 'b', 8, -1, MC_DEV_ACC_WRITE, false },
  };
  const char *mnt = cgroup2_mount ();
  cleanup_free struct bpf_insn *p = NULL;
  cleanup_free char *dir = NULL;
  mc_error_t err = NULL;
  size_t n = 0;
  int prog, prog2, status;
  pid_t pid;

  if (geteuid () != 0 || mnt == NULL)
    skip ();
  mc_bpf_devices_program (rules, 3, &p, &n);
  prog = mc_bpf_devices_load (p, n, &err);
  if (prog < 0)
    fail_msg ("load: %s", err->msg);
  prog2 = mc_bpf_devices_load (p, n, &err);
  if (prog2 < 0)
    fail_msg ("load: %s", err->msg);
  dir = xasprintf ("%s/minirun-bpf-test-%d", mnt, (int) getpid ());
  assert_int_equal (mkdir (dir, 0755), 0);
  /* Twice, as an update does: the second replaces the first.  */
  if (mc_bpf_devices_attach (dir, prog, &err) < 0
      || mc_bpf_devices_attach (dir, prog2, &err) < 0)
    {
      rmdir (dir);
      fail_msg ("attach: %s: %s", err->msg, strerror (err->status));
    }
  close (prog);
  close (prog2);
  pid = fork ();
  if (pid == 0)
    _exit (child_checks (dir));
  assert_int_equal (waitpid (pid, &status, 0), pid);
  /* The child is gone: the group can go (retry while it is released).  */
  for (int i = 0; i < 100 && rmdir (dir) < 0 && errno == EBUSY; i++)
    usleep (10000);
  assert_true (WIFEXITED (status));
  assert_int_equal (WEXITSTATUS (status), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_instructions_one_rule),
    cmocka_unit_test (test_instructions_last_match_first),
    cmocka_unit_test (test_verdicts),
    cmocka_unit_test (test_bad_rules),
    cmocka_unit_test (test_v1_strings),
    cmocka_unit_test (test_load_and_attach),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
