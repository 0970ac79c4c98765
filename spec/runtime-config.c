/* Field tables for config.json (runtime-spec v1.2, Linux) and its API.
   JSON keys are the spec's, in the spec's order, so generated files read
   like runc's.  */
#include "spec/runtime-config.h"

#include <fcntl.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "spec/json-desc.h"

/* ---- root, mounts ---- */

static const spec_field_t root_fields[] = {
  SPEC_F (spec_root_t, path, "path", SPEC_STRING, NULL),
  SPEC_F (spec_root_t, readonly, "readonly", SPEC_BOOL, NULL),
};
static SPEC_TYPE (root_type, spec_root_t, root_fields);

static const spec_field_t id_mapping_fields[] = {
  SPEC_FR (spec_id_mapping_t, container_id, "containerID", SPEC_U32, NULL),
  SPEC_FR (spec_id_mapping_t, host_id, "hostID", SPEC_U32, NULL),
  SPEC_FR (spec_id_mapping_t, size, "size", SPEC_U32, NULL),
};
static SPEC_TYPE (id_mapping_type, spec_id_mapping_t, id_mapping_fields);

static const spec_field_t mount_fields[] = {
  SPEC_FR (spec_mount_t, destination, "destination", SPEC_STRING, NULL),
  SPEC_F (spec_mount_t, source, "source", SPEC_STRING, NULL),
  SPEC_F (spec_mount_t, type, "type", SPEC_STRING, NULL),
  SPEC_FA (spec_mount_t, options, "options", SPEC_STRV, NULL),
  SPEC_FA (spec_mount_t, uid_mappings, "uidMappings", SPEC_ARRAY, &id_mapping_type),
  SPEC_FA (spec_mount_t, gid_mappings, "gidMappings", SPEC_ARRAY, &id_mapping_type),
};
static SPEC_TYPE (mount_type, spec_mount_t, mount_fields);

/* ---- process ---- */

static const spec_field_t console_size_fields[] = {
  SPEC_F (spec_console_size_t, height, "height", SPEC_U32, NULL),
  SPEC_F (spec_console_size_t, width, "width", SPEC_U32, NULL),
};
static SPEC_TYPE (console_size_type, spec_console_size_t, console_size_fields);

static const spec_field_t user_fields[] = {
  SPEC_FR (spec_user_t, uid, "uid", SPEC_U32, NULL),
  SPEC_FR (spec_user_t, gid, "gid", SPEC_U32, NULL),
  SPEC_FO (spec_user_t, umask, "umask", SPEC_U32),
  SPEC_FA (spec_user_t, additional_gids, "additionalGids", SPEC_U32V, NULL),
  SPEC_F (spec_user_t, username, "username", SPEC_STRING, NULL),
};
static SPEC_TYPE (user_type, spec_user_t, user_fields);

static const spec_field_t capabilities_fields[] = {
  SPEC_FA (spec_capabilities_t, bounding, "bounding", SPEC_STRV, NULL),
  SPEC_FA (spec_capabilities_t, effective, "effective", SPEC_STRV, NULL),
  SPEC_FA (spec_capabilities_t, inheritable, "inheritable", SPEC_STRV, NULL),
  SPEC_FA (spec_capabilities_t, permitted, "permitted", SPEC_STRV, NULL),
  SPEC_FA (spec_capabilities_t, ambient, "ambient", SPEC_STRV, NULL),
};
static SPEC_TYPE (capabilities_type, spec_capabilities_t, capabilities_fields);

static const spec_field_t rlimit_fields[] = {
  SPEC_FR (spec_rlimit_t, type, "type", SPEC_STRING, NULL),
  SPEC_FR (spec_rlimit_t, hard, "hard", SPEC_U64, NULL),
  SPEC_FR (spec_rlimit_t, soft, "soft", SPEC_U64, NULL),
};
static SPEC_TYPE (rlimit_type, spec_rlimit_t, rlimit_fields);

static const spec_field_t scheduler_fields[] = {
  SPEC_F (spec_scheduler_t, policy, "policy", SPEC_STRING, NULL),
  SPEC_F (spec_scheduler_t, nice, "nice", SPEC_I32, NULL),
  SPEC_F (spec_scheduler_t, priority, "priority", SPEC_I32, NULL),
  SPEC_FA (spec_scheduler_t, flags, "flags", SPEC_STRV, NULL),
  SPEC_F (spec_scheduler_t, runtime, "runtime", SPEC_U64, NULL),
  SPEC_F (spec_scheduler_t, deadline, "deadline", SPEC_U64, NULL),
  SPEC_F (spec_scheduler_t, period, "period", SPEC_U64, NULL),
};
static SPEC_TYPE (scheduler_type, spec_scheduler_t, scheduler_fields);

static const spec_field_t io_priority_fields[] = {
  SPEC_F (spec_io_priority_t, class_, "class", SPEC_STRING, NULL),
  SPEC_F (spec_io_priority_t, priority, "priority", SPEC_I32, NULL),
};
static SPEC_TYPE (io_priority_type, spec_io_priority_t, io_priority_fields);

static const spec_field_t process_fields[] = {
  SPEC_F (spec_process_t, terminal, "terminal", SPEC_BOOL, NULL),
  SPEC_F (spec_process_t, console_size, "consoleSize", SPEC_OBJECT, &console_size_type),
  SPEC_F (spec_process_t, user, "user", SPEC_INLINE, &user_type),
  SPEC_FA (spec_process_t, args, "args", SPEC_STRV, NULL),
  SPEC_F (spec_process_t, command_line, "commandLine", SPEC_STRING, NULL),
  SPEC_FA (spec_process_t, env, "env", SPEC_STRV, NULL),
  SPEC_F (spec_process_t, cwd, "cwd", SPEC_STRING, NULL),
  SPEC_F (spec_process_t, capabilities, "capabilities", SPEC_OBJECT, &capabilities_type),
  SPEC_FA (spec_process_t, rlimits, "rlimits", SPEC_ARRAY, &rlimit_type),
  SPEC_F (spec_process_t, no_new_privileges, "noNewPrivileges", SPEC_BOOL, NULL),
  SPEC_F (spec_process_t, apparmor_profile, "apparmorProfile", SPEC_STRING, NULL),
  SPEC_FO (spec_process_t, oom_score_adj, "oomScoreAdj", SPEC_I32),
  SPEC_F (spec_process_t, scheduler, "scheduler", SPEC_OBJECT, &scheduler_type),
  SPEC_F (spec_process_t, selinux_label, "selinuxLabel", SPEC_STRING, NULL),
  SPEC_F (spec_process_t, io_priority, "ioPriority", SPEC_OBJECT, &io_priority_type),
};
static SPEC_TYPE (process_type, spec_process_t, process_fields);

/* ---- hooks ---- */

static const spec_field_t hook_fields[] = {
  SPEC_FR (spec_hook_t, path, "path", SPEC_STRING, NULL),
  SPEC_FA (spec_hook_t, args, "args", SPEC_STRV, NULL),
  SPEC_FA (spec_hook_t, env, "env", SPEC_STRV, NULL),
  SPEC_FO (spec_hook_t, timeout, "timeout", SPEC_I32),
};
static SPEC_TYPE (hook_type, spec_hook_t, hook_fields);

static const spec_field_t hooks_fields[] = {
  SPEC_FA (spec_hooks_t, prestart, "prestart", SPEC_ARRAY, &hook_type),
  SPEC_FA (spec_hooks_t, create_runtime, "createRuntime", SPEC_ARRAY, &hook_type),
  SPEC_FA (spec_hooks_t, create_container, "createContainer", SPEC_ARRAY, &hook_type),
  SPEC_FA (spec_hooks_t, start_container, "startContainer", SPEC_ARRAY, &hook_type),
  SPEC_FA (spec_hooks_t, poststart, "poststart", SPEC_ARRAY, &hook_type),
  SPEC_FA (spec_hooks_t, poststop, "poststop", SPEC_ARRAY, &hook_type),
};
static SPEC_TYPE (hooks_type, spec_hooks_t, hooks_fields);

/* ---- linux: namespaces, devices, time offsets, net devices ---- */

static const spec_field_t namespace_fields[] = {
  SPEC_FR (spec_namespace_t, type, "type", SPEC_STRING, NULL),
  SPEC_F (spec_namespace_t, path, "path", SPEC_STRING, NULL),
};
static SPEC_TYPE (namespace_type, spec_namespace_t, namespace_fields);

static const spec_field_t device_fields[] = {
  SPEC_FR (spec_device_t, type, "type", SPEC_STRING, NULL),
  SPEC_FR (spec_device_t, path, "path", SPEC_STRING, NULL),
  SPEC_F (spec_device_t, major, "major", SPEC_I64, NULL),
  SPEC_F (spec_device_t, minor, "minor", SPEC_I64, NULL),
  SPEC_FO (spec_device_t, file_mode, "fileMode", SPEC_U32),
  SPEC_FO (spec_device_t, uid, "uid", SPEC_U32),
  SPEC_FO (spec_device_t, gid, "gid", SPEC_U32),
};
static SPEC_TYPE (device_type, spec_device_t, device_fields);

static const spec_field_t time_offset_fields[] = {
  SPEC_F (spec_time_offset_t, secs, "secs", SPEC_I64, NULL),
  SPEC_F (spec_time_offset_t, nanosecs, "nanosecs", SPEC_U32, NULL),
};
static SPEC_TYPE (time_offset_type, spec_time_offset_t, time_offset_fields);

static const spec_field_t net_device_fields[] = {
  SPEC_F (spec_net_device_t, name, "name", SPEC_STRING, NULL),
};
static SPEC_TYPE (net_device_type, spec_net_device_t, net_device_fields);

/* ---- linux.resources ---- */

static const spec_field_t device_cgroup_fields[] = {
  SPEC_FR (spec_device_cgroup_t, allow, "allow", SPEC_BOOL, NULL),
  SPEC_F (spec_device_cgroup_t, type, "type", SPEC_STRING, NULL),
  SPEC_FO (spec_device_cgroup_t, major, "major", SPEC_I64),
  SPEC_FO (spec_device_cgroup_t, minor, "minor", SPEC_I64),
  SPEC_F (spec_device_cgroup_t, access, "access", SPEC_STRING, NULL),
};
static SPEC_TYPE (device_cgroup_type, spec_device_cgroup_t, device_cgroup_fields);

static const spec_field_t memory_fields[] = {
  SPEC_FO (spec_memory_t, limit, "limit", SPEC_I64),
  SPEC_FO (spec_memory_t, reservation, "reservation", SPEC_I64),
  SPEC_FO (spec_memory_t, swap, "swap", SPEC_I64),
  SPEC_FO (spec_memory_t, kernel, "kernel", SPEC_I64),
  SPEC_FO (spec_memory_t, kernel_tcp, "kernelTCP", SPEC_I64),
  SPEC_FO (spec_memory_t, swappiness, "swappiness", SPEC_U64),
  SPEC_FO (spec_memory_t, disable_oom_killer, "disableOOMKiller", SPEC_BOOL),
  SPEC_FO (spec_memory_t, use_hierarchy, "useHierarchy", SPEC_BOOL),
  SPEC_FO (spec_memory_t, check_before_update, "checkBeforeUpdate", SPEC_BOOL),
};
static SPEC_TYPE (memory_type, spec_memory_t, memory_fields);

static const spec_field_t cpu_fields[] = {
  SPEC_FO (spec_cpu_t, shares, "shares", SPEC_U64),
  SPEC_FO (spec_cpu_t, quota, "quota", SPEC_I64),
  SPEC_FO (spec_cpu_t, burst, "burst", SPEC_U64),
  SPEC_FO (spec_cpu_t, period, "period", SPEC_U64),
  SPEC_FO (spec_cpu_t, realtime_runtime, "realtimeRuntime", SPEC_I64),
  SPEC_FO (spec_cpu_t, realtime_period, "realtimePeriod", SPEC_U64),
  SPEC_F (spec_cpu_t, cpus, "cpus", SPEC_STRING, NULL),
  SPEC_F (spec_cpu_t, mems, "mems", SPEC_STRING, NULL),
  SPEC_FO (spec_cpu_t, idle, "idle", SPEC_I64),
};
static SPEC_TYPE (cpu_type, spec_cpu_t, cpu_fields);

static const spec_field_t pids_fields[] = {
  SPEC_FO (spec_pids_t, limit, "limit", SPEC_I64),
};
static SPEC_TYPE (pids_type, spec_pids_t, pids_fields);

static const spec_field_t weight_device_fields[] = {
  SPEC_FR (spec_weight_device_t, major, "major", SPEC_I64, NULL),
  SPEC_FR (spec_weight_device_t, minor, "minor", SPEC_I64, NULL),
  SPEC_FO (spec_weight_device_t, weight, "weight", SPEC_U16),
  SPEC_FO (spec_weight_device_t, leaf_weight, "leafWeight", SPEC_U16),
};
static SPEC_TYPE (weight_device_type, spec_weight_device_t, weight_device_fields);

static const spec_field_t throttle_device_fields[] = {
  SPEC_FR (spec_throttle_device_t, major, "major", SPEC_I64, NULL),
  SPEC_FR (spec_throttle_device_t, minor, "minor", SPEC_I64, NULL),
  SPEC_FR (spec_throttle_device_t, rate, "rate", SPEC_U64, NULL),
};
static SPEC_TYPE (throttle_device_type, spec_throttle_device_t, throttle_device_fields);

static const spec_field_t block_io_fields[] = {
  SPEC_FO (spec_block_io_t, weight, "weight", SPEC_U16),
  SPEC_FO (spec_block_io_t, leaf_weight, "leafWeight", SPEC_U16),
  SPEC_FA (spec_block_io_t, weight_device, "weightDevice", SPEC_ARRAY, &weight_device_type),
  SPEC_FA (spec_block_io_t, throttle_read_bps_device, "throttleReadBpsDevice",
           SPEC_ARRAY, &throttle_device_type),
  SPEC_FA (spec_block_io_t, throttle_write_bps_device, "throttleWriteBpsDevice",
           SPEC_ARRAY, &throttle_device_type),
  SPEC_FA (spec_block_io_t, throttle_read_iops_device, "throttleReadIOPSDevice",
           SPEC_ARRAY, &throttle_device_type),
  SPEC_FA (spec_block_io_t, throttle_write_iops_device, "throttleWriteIOPSDevice",
           SPEC_ARRAY, &throttle_device_type),
};
static SPEC_TYPE (block_io_type, spec_block_io_t, block_io_fields);

static const spec_field_t hugepage_limit_fields[] = {
  SPEC_FR (spec_hugepage_limit_t, page_size, "pageSize", SPEC_STRING, NULL),
  SPEC_FR (spec_hugepage_limit_t, limit, "limit", SPEC_U64, NULL),
};
static SPEC_TYPE (hugepage_limit_type, spec_hugepage_limit_t, hugepage_limit_fields);

static const spec_field_t net_priority_fields[] = {
  SPEC_F (spec_net_priority_t, name, "name", SPEC_STRING, NULL),
  SPEC_F (spec_net_priority_t, priority, "priority", SPEC_U32, NULL),
};
static SPEC_TYPE (net_priority_type, spec_net_priority_t, net_priority_fields);

static const spec_field_t network_resources_fields[] = {
  SPEC_FO (spec_network_resources_t, class_id, "classID", SPEC_U32),
  SPEC_FA (spec_network_resources_t, priorities, "priorities", SPEC_ARRAY, &net_priority_type),
};
static SPEC_TYPE (network_resources_type, spec_network_resources_t,
                  network_resources_fields);

static const spec_field_t rdma_fields[] = {
  SPEC_FO (spec_rdma_t, hca_handles, "hcaHandles", SPEC_U32),
  SPEC_FO (spec_rdma_t, hca_objects, "hcaObjects", SPEC_U32),
};
static SPEC_TYPE (rdma_type, spec_rdma_t, rdma_fields);

static const spec_field_t resources_fields[] = {
  SPEC_FA (spec_resources_t, devices, "devices", SPEC_ARRAY, &device_cgroup_type),
  SPEC_F (spec_resources_t, memory, "memory", SPEC_OBJECT, &memory_type),
  SPEC_F (spec_resources_t, cpu, "cpu", SPEC_OBJECT, &cpu_type),
  SPEC_F (spec_resources_t, pids, "pids", SPEC_OBJECT, &pids_type),
  SPEC_F (spec_resources_t, block_io, "blockIO", SPEC_OBJECT, &block_io_type),
  SPEC_FA (spec_resources_t, hugepage_limits, "hugepageLimits", SPEC_ARRAY,
           &hugepage_limit_type),
  SPEC_F (spec_resources_t, network, "network", SPEC_OBJECT, &network_resources_type),
  SPEC_FA (spec_resources_t, rdma, "rdma", SPEC_MAP, &rdma_type),
  SPEC_FA (spec_resources_t, unified, "unified", SPEC_KV, NULL),
};
static SPEC_TYPE (resources_type, spec_resources_t, resources_fields);

/* ---- linux.seccomp, intelRdt, personality ---- */

static const spec_field_t seccomp_arg_fields[] = {
  SPEC_FR (spec_seccomp_arg_t, index, "index", SPEC_U32, NULL),
  SPEC_FR (spec_seccomp_arg_t, value, "value", SPEC_U64, NULL),
  SPEC_F (spec_seccomp_arg_t, value_two, "valueTwo", SPEC_U64, NULL),
  SPEC_FR (spec_seccomp_arg_t, op, "op", SPEC_STRING, NULL),
};
static SPEC_TYPE (seccomp_arg_type, spec_seccomp_arg_t, seccomp_arg_fields);

static const spec_field_t seccomp_syscall_fields[] = {
  SPEC_FAR (spec_seccomp_syscall_t, names, "names", SPEC_STRV, NULL),
  SPEC_FR (spec_seccomp_syscall_t, action, "action", SPEC_STRING, NULL),
  SPEC_FO (spec_seccomp_syscall_t, errno_ret, "errnoRet", SPEC_U32),
  SPEC_FA (spec_seccomp_syscall_t, args, "args", SPEC_ARRAY, &seccomp_arg_type),
};
static SPEC_TYPE (seccomp_syscall_type, spec_seccomp_syscall_t, seccomp_syscall_fields);

static const spec_field_t seccomp_fields[] = {
  SPEC_FR (spec_seccomp_t, default_action, "defaultAction", SPEC_STRING, NULL),
  SPEC_FO (spec_seccomp_t, default_errno_ret, "defaultErrnoRet", SPEC_U32),
  SPEC_FA (spec_seccomp_t, architectures, "architectures", SPEC_STRV, NULL),
  SPEC_FA (spec_seccomp_t, flags, "flags", SPEC_STRV, NULL),
  SPEC_F (spec_seccomp_t, listener_path, "listenerPath", SPEC_STRING, NULL),
  SPEC_F (spec_seccomp_t, listener_metadata, "listenerMetadata", SPEC_STRING, NULL),
  SPEC_FA (spec_seccomp_t, syscalls, "syscalls", SPEC_ARRAY, &seccomp_syscall_type),
};
static SPEC_TYPE (seccomp_type, spec_seccomp_t, seccomp_fields);

static const spec_field_t intel_rdt_fields[] = {
  SPEC_F (spec_intel_rdt_t, clos_id, "closID", SPEC_STRING, NULL),
  SPEC_F (spec_intel_rdt_t, l3_cache_schema, "l3CacheSchema", SPEC_STRING, NULL),
  SPEC_F (spec_intel_rdt_t, mem_bw_schema, "memBwSchema", SPEC_STRING, NULL),
  SPEC_F (spec_intel_rdt_t, enable_cmt, "enableCMT", SPEC_BOOL, NULL),
  SPEC_F (spec_intel_rdt_t, enable_mbm, "enableMBM", SPEC_BOOL, NULL),
};
static SPEC_TYPE (intel_rdt_type, spec_intel_rdt_t, intel_rdt_fields);

static const spec_field_t personality_fields[] = {
  SPEC_F (spec_personality_t, domain, "domain", SPEC_STRING, NULL),
  SPEC_FA (spec_personality_t, flags, "flags", SPEC_STRV, NULL),
};
static SPEC_TYPE (personality_type, spec_personality_t, personality_fields);

/* ---- linux, root document ---- */

static const spec_field_t linux_fields[] = {
  SPEC_FA (spec_linux_t, namespaces, "namespaces", SPEC_ARRAY, &namespace_type),
  SPEC_FA (spec_linux_t, uid_mappings, "uidMappings", SPEC_ARRAY, &id_mapping_type),
  SPEC_FA (spec_linux_t, gid_mappings, "gidMappings", SPEC_ARRAY, &id_mapping_type),
  SPEC_FA (spec_linux_t, time_offsets, "timeOffsets", SPEC_MAP, &time_offset_type),
  SPEC_FA (spec_linux_t, devices, "devices", SPEC_ARRAY, &device_type),
  SPEC_FA (spec_linux_t, net_devices, "netDevices", SPEC_MAP, &net_device_type),
  SPEC_F (spec_linux_t, cgroups_path, "cgroupsPath", SPEC_STRING, NULL),
  SPEC_F (spec_linux_t, resources, "resources", SPEC_OBJECT, &resources_type),
  SPEC_F (spec_linux_t, rootfs_propagation, "rootfsPropagation", SPEC_STRING, NULL),
  SPEC_F (spec_linux_t, seccomp, "seccomp", SPEC_OBJECT, &seccomp_type),
  SPEC_FA (spec_linux_t, sysctl, "sysctl", SPEC_KV, NULL),
  SPEC_FA (spec_linux_t, masked_paths, "maskedPaths", SPEC_STRV, NULL),
  SPEC_FA (spec_linux_t, readonly_paths, "readonlyPaths", SPEC_STRV, NULL),
  SPEC_F (spec_linux_t, mount_label, "mountLabel", SPEC_STRING, NULL),
  SPEC_F (spec_linux_t, intel_rdt, "intelRdt", SPEC_OBJECT, &intel_rdt_type),
  SPEC_F (spec_linux_t, personality, "personality", SPEC_OBJECT, &personality_type),
};
static SPEC_TYPE (linux_type, spec_linux_t, linux_fields);

static const spec_field_t runtime_config_fields[] = {
  SPEC_FR (spec_runtime_config_t, oci_version, "ociVersion", SPEC_STRING, NULL),
  SPEC_F (spec_runtime_config_t, process, "process", SPEC_OBJECT, &process_type),
  SPEC_F (spec_runtime_config_t, root, "root", SPEC_OBJECT, &root_type),
  SPEC_F (spec_runtime_config_t, hostname, "hostname", SPEC_STRING, NULL),
  SPEC_F (spec_runtime_config_t, domainname, "domainname", SPEC_STRING, NULL),
  SPEC_FA (spec_runtime_config_t, mounts, "mounts", SPEC_ARRAY, &mount_type),
  SPEC_F (spec_runtime_config_t, hooks, "hooks", SPEC_OBJECT, &hooks_type),
  SPEC_FA (spec_runtime_config_t, annotations, "annotations", SPEC_KV, NULL),
  SPEC_F (spec_runtime_config_t, linux_, "linux", SPEC_OBJECT, &linux_type),
};
static SPEC_TYPE (runtime_config_type, spec_runtime_config_t, runtime_config_fields);

int
spec_runtime_config_parse (const char *json, size_t len, const char *what,
                           spec_runtime_config_t **out, mc_error_t *err)
{
  return spec_parse (&runtime_config_type, json, len, what, (void **) out, err);
}

int
spec_runtime_config_load (const char *path, spec_runtime_config_t **out,
                          mc_error_t *err)
{
  cleanup_free char *text = NULL;
  size_t len = 0;

  *out = NULL;
  if (mc_read_file_at (AT_FDCWD, path, SPEC_MAX_DOCUMENT_SIZE, &text, &len, err) < 0)
    return -1;
  return spec_runtime_config_parse (text, len, path, out, err);
}

int
spec_runtime_config_generate (const spec_runtime_config_t *cfg, bool pretty,
                              char **out, size_t *len, mc_error_t *err)
{
  return spec_generate (&runtime_config_type, cfg, pretty, out, len, err);
}

void
spec_runtime_config_free (spec_runtime_config_t *cfg)
{
  spec_free (&runtime_config_type, cfg);
}

void
spec_runtime_config_freep (spec_runtime_config_t **cfg)
{
  spec_runtime_config_free (*cfg);
  *cfg = NULL;
}

int
spec_process_parse (const char *json, size_t len, const char *what,
                    spec_process_t **out, mc_error_t *err)
{
  void *p;

  if (spec_parse (&process_type, json, len, what, &p, err) < 0)
    return -1;
  *out = p;
  return 0;
}

void
spec_process_free (spec_process_t *p)
{
  spec_free (&process_type, p);
}

int
spec_resources_parse (const char *json, size_t len, const char *what,
                      spec_resources_t **out, mc_error_t *err)
{
  void *r;

  if (spec_parse (&resources_type, json, len, what, &r, err) < 0)
    return -1;
  *out = r;
  return 0;
}

void
spec_resources_free (spec_resources_t *r)
{
  spec_free (&resources_type, r);
}

int
spec_seccomp_parse (const char *json, size_t len, const char *what,
                    spec_seccomp_t **out, mc_error_t *err)
{
  void *s;

  if (spec_parse (&seccomp_type, json, len, what, &s, err) < 0)
    return -1;
  *out = s;
  return 0;
}

void
spec_seccomp_free (spec_seccomp_t *s)
{
  spec_free (&seccomp_type, s);
}
