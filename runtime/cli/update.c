/* minirun update [--resources FILE | OPTION...] ID */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/cli/cli.h"
#include "runtime/lib/manage.h"

void
cli_update_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... update [OPTION]... CONTAINER-ID\n"
           "Change the resource limits of a running (or paused, or created)\n"
           "container, in its cgroup.  Only what is given changes.\n"
           "\n"
           "Options:\n"
           "  -r, --resources FILE        a LinuxResources JSON object (memory, cpu,\n"
           "                              pids, blockIO, ...) from FILE, or from the\n"
           "                              standard input for `-`; the other options\n"
           "                              are then ignored\n"
           "      --memory SIZE           memory limit (-1: unlimited)\n"
           "      --memory-swap SIZE      memory+swap limit (-1: unlimited)\n"
           "      --memory-reservation SIZE  soft limit\n"
           "      --kernel-memory SIZE    accepted and ignored (obsolete)\n"
           "      --cpu-shares N          relative CPU weight (also --cpu-share)\n"
           "      --cpu-quota N           CFS quota in microseconds per period\n"
           "                              (-1: none)\n"
           "      --cpu-period N          CFS period in microseconds\n"
           "      --cpu-burst N           CFS burst in microseconds\n"
           "      --cpu-rt-period N       realtime period (cgroup v1 with realtime\n"
           "                              group scheduling only)\n"
           "      --cpu-rt-runtime N      realtime runtime (same)\n"
           "      --cpu-idle 0|1          SCHED_IDLE for the group\n"
           "      --cpuset-cpus LIST      CPUs to run on (0-3,5)\n"
           "      --cpuset-mems LIST      memory nodes to use\n"
           "      --pids-limit N          maximum number of processes (-1:\n"
           "                              unlimited, 0: unchanged)\n"
           "      --blkio-weight N        block IO weight, 10 to 1000\n"
           "  -h, --help                  show this help\n"
           "\n"
           "SIZE is a number of bytes with an optional binary unit: 256m, 1g,\n"
           "512KiB, 1.5GB.\n");
}

/* An unsigned or signed decimal number, the whole string.  */
static int
parse_u64 (const char *opt, const char *s, uint64_t *out, mc_error_t *err)
{
  char *end;

  errno = 0;
  if (!isdigit ((unsigned char) s[0])
      || (*out = strtoull (s, &end, 10), errno != 0) || *end != '\0')
    return mc_error_make (err, 0, "invalid value for --%s: `%s`", opt, s);
  return 0;
}

static int
parse_i64 (const char *opt, const char *s, int64_t *out, mc_error_t *err)
{
  char *end;

  errno = 0;
  if ((!isdigit ((unsigned char) s[0]) && s[0] != '-')
      || (*out = strtoll (s, &end, 10), errno != 0) || *end != '\0'
      || end == s)
    return mc_error_make (err, 0, "invalid value for --%s: `%s`", opt, s);
  return 0;
}

static int
parse_size (const char *opt, const char *s, int64_t *out, mc_error_t *err)
{
  if (mc_parse_size (s, out, err) < 0)
    return mc_error_prefix (err, "invalid value for --%s", opt);
  return 0;
}

int
cli_update (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  enum { OPT_MEMORY = 256, OPT_MEMORY_SWAP, OPT_MEMORY_RESERVATION,
         OPT_KERNEL_MEMORY, OPT_KERNEL_MEMORY_TCP, OPT_CPU_SHARES,
         OPT_CPU_QUOTA, OPT_CPU_PERIOD, OPT_CPU_BURST, OPT_CPU_RT_PERIOD,
         OPT_CPU_RT_RUNTIME, OPT_CPU_IDLE, OPT_CPUSET_CPUS, OPT_CPUSET_MEMS,
         OPT_PIDS_LIMIT, OPT_BLKIO_WEIGHT, OPT_RDT };
  static const struct option long_options[] = {
    { "resources", required_argument, NULL, 'r' },
    { "memory", required_argument, NULL, OPT_MEMORY },
    { "memory-swap", required_argument, NULL, OPT_MEMORY_SWAP },
    { "memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION },
    { "kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY },
    { "kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP },
    { "cpu-shares", required_argument, NULL, OPT_CPU_SHARES },
    { "cpu-share", required_argument, NULL, OPT_CPU_SHARES },
    { "cpu-quota", required_argument, NULL, OPT_CPU_QUOTA },
    { "cpu-period", required_argument, NULL, OPT_CPU_PERIOD },
    { "cpu-burst", required_argument, NULL, OPT_CPU_BURST },
    { "cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD },
    { "cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME },
    { "cpu-idle", required_argument, NULL, OPT_CPU_IDLE },
    { "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
    { "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
    { "pids-limit", required_argument, NULL, OPT_PIDS_LIMIT },
    { "blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT },
    { "l3-cache-schema", required_argument, NULL, OPT_RDT },
    { "mem-bw-schema", required_argument, NULL, OPT_RDT },
    { NULL, 0, NULL, 0 },
  };
  spec_memory_t memory = { 0 };
  spec_cpu_t cpu = { 0 };
  spec_pids_t pids = { 0 };
  spec_block_io_t blkio = { 0 };
  spec_resources_t flags = { .memory = &memory, .cpu = &cpu, .pids = &pids,
                             .block_io = &blkio };
  spec_resources_t *from_file = NULL;
  const char *resources = NULL;
  const char *name;
  bool other = false;
  mc_error_t e = NULL;
  uint64_t u;
  const char *id;
  int c, ret = 0, idx = 0;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:r:", long_options, &idx)) != -1)
    {
      name = long_options[idx].name;
      other = other || c != 'r';
      switch (c)
        {
        case 'r':
          resources = optarg;
          break;
        case OPT_MEMORY:
          ret = parse_size (name, optarg, &memory.limit, &e);
          memory.has_limit = true;
          break;
        case OPT_MEMORY_SWAP:
          ret = parse_size (name, optarg, &memory.swap, &e);
          memory.has_swap = true;
          break;
        case OPT_MEMORY_RESERVATION:
          ret = parse_size (name, optarg, &memory.reservation, &e);
          memory.has_reservation = true;
          break;
        case OPT_KERNEL_MEMORY:
        case OPT_KERNEL_MEMORY_TCP:
          mc_warning ("setting --%s is ignored (obsolete)", name);
          break;
        case OPT_CPU_SHARES:
          ret = parse_u64 (name, optarg, &cpu.shares, &e);
          cpu.has_shares = true;
          break;
        case OPT_CPU_QUOTA:
          ret = parse_i64 (name, optarg, &cpu.quota, &e);
          cpu.has_quota = true;
          break;
        case OPT_CPU_PERIOD:
          ret = parse_u64 (name, optarg, &cpu.period, &e);
          cpu.has_period = true;
          break;
        case OPT_CPU_BURST:
          ret = parse_u64 (name, optarg, &cpu.burst, &e);
          cpu.has_burst = true;
          break;
        case OPT_CPU_RT_PERIOD:
          ret = parse_u64 (name, optarg, &cpu.realtime_period, &e);
          cpu.has_realtime_period = true;
          break;
        case OPT_CPU_RT_RUNTIME:
          ret = parse_i64 (name, optarg, &cpu.realtime_runtime, &e);
          cpu.has_realtime_runtime = true;
          break;
        case OPT_CPU_IDLE:
          ret = parse_i64 (name, optarg, &cpu.idle, &e);
          cpu.has_idle = true;
          break;
        case OPT_CPUSET_CPUS:
          cpu.cpus = optarg;
          break;
        case OPT_CPUSET_MEMS:
          cpu.mems = optarg;
          break;
        case OPT_PIDS_LIMIT:
          ret = parse_i64 (name, optarg, &pids.limit, &e);
          pids.has_limit = true;
          break;
        case OPT_BLKIO_WEIGHT:
          ret = parse_u64 (name, optarg, &u, &e);
          if (ret == 0 && u > 65535)
            ret = mc_error_make (&e, 0, "invalid value for --%s: `%s`",
                                 name, optarg);
          blkio.weight = (uint16_t) u;
          blkio.has_weight = true;
          break;
        case OPT_RDT:
          ret = mc_error_make (&e, 0, "--%s: Intel RDT is not supported",
                               name);
          break;
        case ':':
          ret = mc_error_make (&e, 0, "option `%s` needs an argument",
                               argv[optind - 1]);
          break;
        default:
          ret = mc_error_make (&e, 0, "invalid option `%s`; try `minirun "
                               "update --help`", argv[optind - 1]);
          break;
        }
      idx = 0;
      /* The first bad option is the one reported, once the ID is known. */
      if (ret < 0 && *err == NULL)
        *err = e;
      else if (ret < 0)
        mc_error_release (&e);
      e = NULL;
      ret = 0;
    }
  if (*err)
    {
      if (argc - optind == 1)
        mc_error_prefix (err, "update %s", argv[optind]);
      else
        mc_error_prefix (err, "update");
      return 1;
    }
  if (cli_one_id ("update", argc, argv, &id, err) < 0)
    return 1;
  /* Only the controllers an option names: a v1 host may lack the others. */
  if (!memory.has_limit && !memory.has_swap && !memory.has_reservation)
    flags.memory = NULL;
  if (!cpu.has_shares && !cpu.has_quota && !cpu.has_period && !cpu.has_burst
      && !cpu.has_realtime_period && !cpu.has_realtime_runtime
      && !cpu.has_idle && !cpu.cpus && !cpu.mems)
    flags.cpu = NULL;
  if (!pids.has_limit)
    flags.pids = NULL;
  if (!blkio.has_weight)
    flags.block_io = NULL;
  if (resources)
    {
      if (other)
        mc_warning ("update: with --resources the other options are "
                    "ignored");
      if (mc_manage_load_resources (resources, &from_file, err) < 0)
        {
          mc_error_prefix (err, "update %s", id);
          return 1;
        }
    }
  if (mc_manage_update (g->root, id, from_file ? from_file : &flags, err) < 0)
    mc_error_prefix (err, "update %s", id);
  spec_resources_free (from_file);
  return 0;
}
