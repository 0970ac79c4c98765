/* Global options of one minirun invocation (the flags before the command),
   set once by the CLI before any library call and read by the library
   (the cgroup code reads the cgroup manager from here).  */
#ifndef MC_RUNTIME_OPTS_H
#define MC_RUNTIME_OPTS_H

#include <stdbool.h>

enum mc_cgroup_manager
{
  MC_CGROUP_MANAGER_CGROUPFS = 0, /* the default */
  MC_CGROUP_MANAGER_SYSTEMD,      /* --systemd-cgroup, --cgroup-manager systemd */
  MC_CGROUP_MANAGER_DISABLED,     /* --cgroup-manager disabled */
};

typedef struct mc_runtime_opts
{
  const char *root;       /* --root: the state root */
  const char *log_path;   /* --log: NULL when none */
  bool log_json;          /* --log-format json */
  bool debug;             /* --debug */
  bool rootless;          /* --rootless: accepted, not acted upon */
  enum mc_cgroup_manager cgroup_manager;
} mc_runtime_opts_t;

extern mc_runtime_opts_t mc_runtime_opts;

#endif
