/* The OCI runtime-spec v1.2 config.json for Linux, as typed C structures.
 *
 * Conventions (the descriptor engine in spec/json-desc.h relies on them):
 *  - strings are `char *`, NULL when absent;
 *  - arrays are a pointer plus a `<name>_len` member right after it; string
 *    arrays are also NULL-terminated, so they can be passed to execve();
 *  - arrays of objects are contiguous arrays of the struct;
 *  - JSON maps of string to string are arrays of spec_kv_t, in file order;
 *  - a numeric or boolean field whose absence matters has a `has_<name>`
 *    member; other scalars are absent when zero.
 * The runtime converts nothing back to JSON by hand: spec_generate() does.  */
#ifndef SPEC_RUNTIME_CONFIG_H
#define SPEC_RUNTIME_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

typedef struct spec_kv
{
  char *key;
  char *value;
} spec_kv_t;

typedef struct spec_root
{
  char *path;
  bool readonly;
} spec_root_t;

typedef struct spec_id_mapping
{
  uint32_t container_id; /* containerID */
  uint32_t host_id;      /* hostID */
  uint32_t size;
} spec_id_mapping_t;

typedef struct spec_mount
{
  char *destination;
  char *source;
  char *type;
  char **options;
  size_t options_len;
  spec_id_mapping_t *uid_mappings; /* uidMappings (idmapped mounts) */
  size_t uid_mappings_len;
  spec_id_mapping_t *gid_mappings;
  size_t gid_mappings_len;
} spec_mount_t;

typedef struct spec_user
{
  uint32_t uid;
  uint32_t gid;
  uint32_t umask;
  bool has_umask;
  uint32_t *additional_gids; /* additionalGids */
  size_t additional_gids_len;
  char *username;
} spec_user_t;

typedef struct spec_console_size
{
  uint32_t height;
  uint32_t width;
} spec_console_size_t;

typedef struct spec_rlimit
{
  char *type;
  uint64_t soft;
  uint64_t hard;
} spec_rlimit_t;

typedef struct spec_capabilities
{
  char **bounding;
  size_t bounding_len;
  char **effective;
  size_t effective_len;
  char **inheritable;
  size_t inheritable_len;
  char **permitted;
  size_t permitted_len;
  char **ambient;
  size_t ambient_len;
} spec_capabilities_t;

typedef struct spec_io_priority
{
  char *class_; /* "class" */
  int32_t priority;
} spec_io_priority_t;

typedef struct spec_scheduler
{
  char *policy;
  int32_t nice;
  int32_t priority;
  char **flags;
  size_t flags_len;
  uint64_t runtime;
  uint64_t deadline;
  uint64_t period;
} spec_scheduler_t;

typedef struct spec_process
{
  bool terminal;
  spec_console_size_t *console_size; /* consoleSize */
  spec_user_t user;                  /* always present (zero = root) */
  char **args;
  size_t args_len;
  char *command_line; /* commandLine (Windows; kept for round trips) */
  char **env;
  size_t env_len;
  char *cwd;
  spec_capabilities_t *capabilities;
  spec_rlimit_t *rlimits;
  size_t rlimits_len;
  bool no_new_privileges; /* noNewPrivileges */
  char *apparmor_profile; /* apparmorProfile */
  int32_t oom_score_adj;  /* oomScoreAdj */
  bool has_oom_score_adj;
  spec_scheduler_t *scheduler;
  char *selinux_label; /* selinuxLabel */
  spec_io_priority_t *io_priority; /* ioPriority */
} spec_process_t;

typedef struct spec_hook
{
  char *path;
  char **args;
  size_t args_len;
  char **env;
  size_t env_len;
  int32_t timeout;
  bool has_timeout;
} spec_hook_t;

typedef struct spec_hooks
{
  spec_hook_t *prestart;
  size_t prestart_len;
  spec_hook_t *create_runtime; /* createRuntime */
  size_t create_runtime_len;
  spec_hook_t *create_container; /* createContainer */
  size_t create_container_len;
  spec_hook_t *start_container; /* startContainer */
  size_t start_container_len;
  spec_hook_t *poststart;
  size_t poststart_len;
  spec_hook_t *poststop;
  size_t poststop_len;
} spec_hooks_t;

typedef struct spec_namespace
{
  char *type;
  char *path;
} spec_namespace_t;

typedef struct spec_device
{
  char *type;
  char *path;
  int64_t major;
  int64_t minor;
  uint32_t file_mode; /* fileMode */
  bool has_file_mode;
  uint32_t uid;
  bool has_uid;
  uint32_t gid;
  bool has_gid;
} spec_device_t;

typedef struct spec_device_cgroup
{
  bool allow;
  char *type;
  int64_t major;
  bool has_major;
  int64_t minor;
  bool has_minor;
  char *access;
} spec_device_cgroup_t;

typedef struct spec_memory
{
  int64_t limit;
  bool has_limit;
  int64_t reservation;
  bool has_reservation;
  int64_t swap;
  bool has_swap;
  int64_t kernel;
  bool has_kernel;
  int64_t kernel_tcp; /* kernelTCP */
  bool has_kernel_tcp;
  uint64_t swappiness;
  bool has_swappiness;
  bool disable_oom_killer; /* disableOOMKiller */
  bool has_disable_oom_killer;
  bool use_hierarchy; /* useHierarchy */
  bool has_use_hierarchy;
  bool check_before_update; /* checkBeforeUpdate */
  bool has_check_before_update;
} spec_memory_t;

typedef struct spec_cpu
{
  uint64_t shares;
  bool has_shares;
  int64_t quota;
  bool has_quota;
  uint64_t burst;
  bool has_burst;
  uint64_t period;
  bool has_period;
  int64_t realtime_runtime; /* realtimeRuntime */
  bool has_realtime_runtime;
  uint64_t realtime_period; /* realtimePeriod */
  bool has_realtime_period;
  char *cpus;
  char *mems;
  int64_t idle;
  bool has_idle;
} spec_cpu_t;

typedef struct spec_pids
{
  int64_t limit;
  bool has_limit;
} spec_pids_t;

typedef struct spec_weight_device
{
  int64_t major;
  int64_t minor;
  uint16_t weight;
  bool has_weight;
  uint16_t leaf_weight; /* leafWeight */
  bool has_leaf_weight;
} spec_weight_device_t;

typedef struct spec_throttle_device
{
  int64_t major;
  int64_t minor;
  uint64_t rate;
} spec_throttle_device_t;

typedef struct spec_block_io
{
  uint16_t weight;
  bool has_weight;
  uint16_t leaf_weight; /* leafWeight */
  bool has_leaf_weight;
  spec_weight_device_t *weight_device; /* weightDevice */
  size_t weight_device_len;
  spec_throttle_device_t *throttle_read_bps_device; /* throttleReadBpsDevice */
  size_t throttle_read_bps_device_len;
  spec_throttle_device_t *throttle_write_bps_device;
  size_t throttle_write_bps_device_len;
  spec_throttle_device_t *throttle_read_iops_device;
  size_t throttle_read_iops_device_len;
  spec_throttle_device_t *throttle_write_iops_device;
  size_t throttle_write_iops_device_len;
} spec_block_io_t;

typedef struct spec_hugepage_limit
{
  char *page_size; /* pageSize */
  uint64_t limit;
} spec_hugepage_limit_t;

typedef struct spec_net_priority
{
  char *name;
  uint32_t priority;
} spec_net_priority_t;

typedef struct spec_network_resources
{
  uint32_t class_id; /* classID */
  bool has_class_id;
  spec_net_priority_t *priorities;
  size_t priorities_len;
} spec_network_resources_t;

/* An entry of a JSON object keyed by device name ("rdma": {"mlx5_1": {...}}). */
typedef struct spec_rdma
{
  char *key;
  uint32_t hca_handles; /* hcaHandles */
  bool has_hca_handles;
  uint32_t hca_objects; /* hcaObjects */
  bool has_hca_objects;
} spec_rdma_t;

typedef struct spec_resources
{
  spec_device_cgroup_t *devices;
  size_t devices_len;
  spec_memory_t *memory;
  spec_cpu_t *cpu;
  spec_pids_t *pids;
  spec_block_io_t *block_io; /* blockIO */
  spec_hugepage_limit_t *hugepage_limits; /* hugepageLimits */
  size_t hugepage_limits_len;
  spec_network_resources_t *network;
  spec_rdma_t *rdma;
  size_t rdma_len;
  spec_kv_t *unified;
  size_t unified_len;
} spec_resources_t;

typedef struct spec_seccomp_arg
{
  uint32_t index;
  uint64_t value;
  uint64_t value_two; /* valueTwo */
  char *op;
} spec_seccomp_arg_t;

typedef struct spec_seccomp_syscall
{
  char **names;
  size_t names_len;
  char *action;
  uint32_t errno_ret; /* errnoRet */
  bool has_errno_ret;
  spec_seccomp_arg_t *args;
  size_t args_len;
} spec_seccomp_syscall_t;

typedef struct spec_seccomp
{
  char *default_action; /* defaultAction */
  uint32_t default_errno_ret; /* defaultErrnoRet */
  bool has_default_errno_ret;
  char **architectures;
  size_t architectures_len;
  char **flags;
  size_t flags_len;
  char *listener_path;     /* listenerPath */
  char *listener_metadata; /* listenerMetadata */
  spec_seccomp_syscall_t *syscalls;
  size_t syscalls_len;
} spec_seccomp_t;

typedef struct spec_intel_rdt
{
  char *clos_id; /* closID */
  char *l3_cache_schema; /* l3CacheSchema */
  char *mem_bw_schema;   /* memBwSchema */
  bool enable_cmt; /* enableCMT */
  bool enable_mbm; /* enableMBM */
} spec_intel_rdt_t;

typedef struct spec_personality
{
  char *domain;
  char **flags;
  size_t flags_len;
} spec_personality_t;

/* "timeOffsets": {"monotonic": {"secs": .., "nanosecs": ..}, "boottime": ..} */
typedef struct spec_time_offset
{
  char *key;
  int64_t secs;
  uint32_t nanosecs;
} spec_time_offset_t;

/* "netDevices": {"eth0": {"name": "..."}} */
typedef struct spec_net_device
{
  char *key;
  char *name;
} spec_net_device_t;

typedef struct spec_linux
{
  spec_namespace_t *namespaces;
  size_t namespaces_len;
  spec_id_mapping_t *uid_mappings; /* uidMappings */
  size_t uid_mappings_len;
  spec_id_mapping_t *gid_mappings;
  size_t gid_mappings_len;
  spec_time_offset_t *time_offsets; /* timeOffsets */
  size_t time_offsets_len;
  spec_device_t *devices;
  size_t devices_len;
  spec_net_device_t *net_devices; /* netDevices */
  size_t net_devices_len;
  char *cgroups_path; /* cgroupsPath */
  spec_resources_t *resources;
  char *rootfs_propagation; /* rootfsPropagation */
  spec_seccomp_t *seccomp;
  spec_kv_t *sysctl;
  size_t sysctl_len;
  char **masked_paths; /* maskedPaths */
  size_t masked_paths_len;
  char **readonly_paths; /* readonlyPaths */
  size_t readonly_paths_len;
  char *mount_label; /* mountLabel */
  spec_intel_rdt_t *intel_rdt; /* intelRdt */
  spec_personality_t *personality;
} spec_linux_t;

typedef struct spec_runtime_config
{
  char *oci_version; /* ociVersion, required */
  spec_root_t *root;
  spec_mount_t *mounts;
  size_t mounts_len;
  spec_process_t *process;
  char *hostname;
  char *domainname;
  spec_hooks_t *hooks;
  spec_kv_t *annotations;
  size_t annotations_len;
  spec_linux_t *linux_; /* "linux" (a predefined macro name in GNU C) */
} spec_runtime_config_t;

/* Parse config.json text.  `what` names the document in errors
   ("config.json: .process.args: expected an array, got a string").  */
int spec_runtime_config_parse (const char *json, size_t len, const char *what,
                               spec_runtime_config_t **out, mc_error_t *err);
/* Read and parse the file at `path` (bounded in size).  */
int spec_runtime_config_load (const char *path, spec_runtime_config_t **out,
                              mc_error_t *err);
int spec_runtime_config_generate (const spec_runtime_config_t *cfg, bool pretty,
                                  char **out, size_t *len, mc_error_t *err);
void spec_runtime_config_free (spec_runtime_config_t *cfg);

/* A process object on its own (`minirun exec --process FILE`).  */
int spec_process_parse (const char *json, size_t len, const char *what,
                        spec_process_t **out, mc_error_t *err);
void spec_process_free (spec_process_t *p);

/* A linux.resources object on its own (`minirun update --resources`).  */
int spec_resources_parse (const char *json, size_t len, const char *what,
                          spec_resources_t **out, mc_error_t *err);
void spec_resources_free (spec_resources_t *r);
/* A LinuxSeccomp object on its own (what linux.seccomp holds).  */
int spec_seccomp_parse (const char *json, size_t len, const char *what,
                        spec_seccomp_t **out, mc_error_t *err);
void spec_seccomp_free (spec_seccomp_t *s);

#define cleanup_runtime_config \
  __attribute__ ((cleanup (spec_runtime_config_freep)))
void spec_runtime_config_freep (spec_runtime_config_t **cfg);

#endif
