/* config.json: a full runc-style document, round trips, and every error
   shape of the descriptor engine.  */
#include "tests/unit/spec-test-util.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "spec/json-desc.h"
#include "spec/runtime-config.h"

#define U64_MAX_TEXT "18446744073709551615"

static void
check_strv (char **v, size_t len, const char *const *expected)
{
  size_t n = 0;

  while (expected[n])
    n++;
  assert_int_equal (len, n);
  assert_non_null (v);
  for (size_t i = 0; i < n; i++)
    assert_string_equal (v[i], expected[i]);
  /* String arrays are execve-ready.  */
  assert_null (v[n]);
}

#define CHECK_STRV(v, ...) \
  check_strv ((v), (v##_len), (const char *const[]){ __VA_ARGS__, NULL })

static void
check_mapping (const spec_id_mapping_t *m, uint32_t c, uint32_t h, uint32_t s)
{
  assert_int_equal (m->container_id, c);
  assert_int_equal (m->host_id, h);
  assert_int_equal (m->size, s);
}

static void
check_process (const spec_process_t *p)
{
  assert_non_null (p);
  assert_true (p->terminal);
  assert_non_null (p->console_size);
  assert_int_equal (p->console_size->height, 25);
  assert_int_equal (p->console_size->width, 80);
  assert_int_equal (p->user.uid, 1000);
  assert_int_equal (p->user.gid, 1000);
  assert_true (p->user.has_umask);
  assert_int_equal (p->user.umask, 18);
  assert_int_equal (p->user.additional_gids_len, 3);
  assert_int_equal (p->user.additional_gids[0], 5);
  assert_int_equal (p->user.additional_gids[1], 6);
  assert_int_equal (p->user.additional_gids[2], UINT32_MAX);
  assert_string_equal (p->user.username, "app");
  CHECK_STRV (p->args, "/bin/sh", "-c", "echo \"hello\" && exec sleep 1");
  assert_null (p->command_line);
  CHECK_STRV (p->env,
              "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
              "TERM=xterm", "GREETING=h\xc3\xa9llo \xe2\x98\xba");
  assert_string_equal (p->cwd, "/srv");

  assert_non_null (p->capabilities);
  CHECK_STRV (p->capabilities->bounding, "CAP_AUDIT_WRITE", "CAP_KILL",
              "CAP_NET_BIND_SERVICE");
  CHECK_STRV (p->capabilities->effective, "CAP_AUDIT_WRITE", "CAP_KILL");
  /* "inheritable": [] is present and empty, unlike an absent array.  */
  assert_non_null (p->capabilities->inheritable);
  assert_int_equal (p->capabilities->inheritable_len, 0);
  assert_null (p->capabilities->inheritable[0]);
  CHECK_STRV (p->capabilities->permitted, "CAP_AUDIT_WRITE", "CAP_KILL",
              "CAP_NET_BIND_SERVICE");
  CHECK_STRV (p->capabilities->ambient, "CAP_NET_BIND_SERVICE");

  assert_int_equal (p->rlimits_len, 2);
  assert_string_equal (p->rlimits[0].type, "RLIMIT_NOFILE");
  assert_int_equal (p->rlimits[0].hard, 1024);
  assert_int_equal (p->rlimits[0].soft, 1024);
  assert_string_equal (p->rlimits[1].type, "RLIMIT_CORE");
  assert_true (p->rlimits[1].hard == UINT64_MAX);
  assert_int_equal (p->rlimits[1].soft, 0);

  assert_true (p->no_new_privileges);
  assert_string_equal (p->apparmor_profile, "minirun-default");
  assert_true (p->has_oom_score_adj);
  assert_int_equal (p->oom_score_adj, -500);

  assert_non_null (p->scheduler);
  assert_string_equal (p->scheduler->policy, "SCHED_DEADLINE");
  assert_int_equal (p->scheduler->nice, -5);
  assert_int_equal (p->scheduler->priority, 0);
  CHECK_STRV (p->scheduler->flags, "SCHED_FLAG_RESET_ON_FORK");
  assert_int_equal (p->scheduler->runtime, 10000000);
  assert_int_equal (p->scheduler->deadline, 30000000);
  assert_int_equal (p->scheduler->period, 30000000);
  assert_string_equal (p->selinux_label, "system_u:system_r:container_t:s0:c1,c2");
  assert_non_null (p->io_priority);
  assert_string_equal (p->io_priority->class_, "IOPRIO_CLASS_BE");
  assert_int_equal (p->io_priority->priority, 4);
}

static void
check_mounts_and_hooks (const spec_runtime_config_t *c)
{
  const spec_hooks_t *h = c->hooks;

  assert_int_equal (c->mounts_len, 3);
  assert_string_equal (c->mounts[0].destination, "/proc");
  assert_string_equal (c->mounts[0].type, "proc");
  assert_string_equal (c->mounts[0].source, "proc");
  assert_null (c->mounts[0].options);
  assert_int_equal (c->mounts[0].options_len, 0);
  CHECK_STRV (c->mounts[1].options, "nosuid", "strictatime", "mode=755",
              "size=65536k");
  assert_string_equal (c->mounts[2].destination, "/data");
  CHECK_STRV (c->mounts[2].options, "rbind", "idmap");
  assert_int_equal (c->mounts[2].uid_mappings_len, 1);
  check_mapping (&c->mounts[2].uid_mappings[0], 0, 100000, 65536);
  assert_int_equal (c->mounts[2].gid_mappings_len, 1);
  check_mapping (&c->mounts[2].gid_mappings[0], 0, 200000, 65536);

  assert_non_null (h);
  assert_int_equal (h->prestart_len, 1);
  assert_string_equal (h->prestart[0].path, "/usr/bin/fix-mounts");
  CHECK_STRV (h->prestart[0].args, "fix-mounts", "arg1");
  CHECK_STRV (h->prestart[0].env, "key1=value1");
  assert_false (h->prestart[0].has_timeout);
  assert_int_equal (h->create_runtime_len, 1);
  assert_string_equal (h->create_runtime[0].path, "/usr/bin/setup-network");
  /* An explicit 0 is kept apart from an absent timeout.  */
  assert_true (h->create_runtime[0].has_timeout);
  assert_int_equal (h->create_runtime[0].timeout, 0);
  assert_int_equal (h->create_container_len, 1);
  assert_string_equal (h->create_container[0].path, "/usr/bin/inject");
  assert_int_equal (h->create_container[0].timeout, 5);
  assert_int_equal (h->start_container_len, 1);
  assert_string_equal (h->start_container[0].path, "/usr/bin/refresh-ldcache");
  assert_int_equal (h->poststart_len, 1);
  assert_string_equal (h->poststart[0].path, "/usr/bin/notify-start");
  assert_int_equal (h->poststop_len, 1);
  assert_string_equal (h->poststop[0].path, "/usr/sbin/cleanup.sh");
  CHECK_STRV (h->poststop[0].args, "cleanup.sh", "-f");

  assert_int_equal (c->annotations_len, 3);
  assert_string_equal (c->annotations[0].key, "com.example.key1");
  assert_string_equal (c->annotations[0].value, "value1");
  assert_string_equal (c->annotations[1].key, "com.example.key2");
  assert_string_equal (c->annotations[1].value, "value2");
  assert_string_equal (c->annotations[2].key, "org.opencontainers.image.title");
  assert_string_equal (c->annotations[2].value, "");
}

static void
check_resources (const spec_resources_t *r)
{
  const spec_block_io_t *b;

  assert_non_null (r);
  assert_int_equal (r->devices_len, 3);
  assert_false (r->devices[0].allow);
  assert_null (r->devices[0].type);
  assert_false (r->devices[0].has_major);
  assert_string_equal (r->devices[0].access, "rwm");
  assert_true (r->devices[1].allow);
  assert_string_equal (r->devices[1].type, "c");
  assert_true (r->devices[1].has_major);
  assert_int_equal (r->devices[1].major, 10);
  assert_int_equal (r->devices[1].minor, 229);
  assert_true (r->devices[2].has_minor);
  assert_int_equal (r->devices[2].minor, 0);

  assert_non_null (r->memory);
  assert_true (r->memory->has_limit);
  assert_int_equal (r->memory->limit, 536870912);
  assert_true (r->memory->has_reservation);
  assert_int_equal (r->memory->reservation, 0);
  assert_true (r->memory->has_swap);
  assert_int_equal (r->memory->swap, -1);
  assert_int_equal (r->memory->kernel, -1);
  assert_int_equal (r->memory->kernel_tcp, -1);
  assert_true (r->memory->has_swappiness);
  assert_int_equal (r->memory->swappiness, 0);
  assert_true (r->memory->has_disable_oom_killer);
  assert_false (r->memory->disable_oom_killer);
  assert_true (r->memory->use_hierarchy);
  assert_true (r->memory->check_before_update);

  assert_non_null (r->cpu);
  assert_int_equal (r->cpu->shares, 1024);
  assert_int_equal (r->cpu->quota, 1000000);
  assert_int_equal (r->cpu->burst, 1000000);
  assert_int_equal (r->cpu->period, 500000);
  assert_int_equal (r->cpu->realtime_runtime, 950000);
  assert_int_equal (r->cpu->realtime_period, 1000000);
  assert_string_equal (r->cpu->cpus, "2-3");
  assert_string_equal (r->cpu->mems, "0-7");
  assert_true (r->cpu->has_idle);
  assert_int_equal (r->cpu->idle, 0);

  assert_non_null (r->pids);
  assert_true (r->pids->has_limit);
  assert_int_equal (r->pids->limit, 32771);

  b = r->block_io;
  assert_non_null (b);
  assert_int_equal (b->weight, 10);
  assert_int_equal (b->leaf_weight, 10);
  assert_int_equal (b->weight_device_len, 2);
  assert_int_equal (b->weight_device[0].major, 8);
  assert_int_equal (b->weight_device[0].minor, 0);
  assert_int_equal (b->weight_device[0].weight, 500);
  assert_true (b->weight_device[0].has_leaf_weight);
  assert_int_equal (b->weight_device[0].leaf_weight, 300);
  assert_int_equal (b->weight_device[1].minor, 16);
  assert_false (b->weight_device[1].has_leaf_weight);
  assert_int_equal (b->throttle_read_bps_device_len, 1);
  assert_int_equal (b->throttle_read_bps_device[0].rate, 600);
  assert_int_equal (b->throttle_write_bps_device_len, 1);
  assert_int_equal (b->throttle_write_bps_device[0].rate, 0);
  assert_int_equal (b->throttle_read_iops_device_len, 1);
  assert_int_equal (b->throttle_read_iops_device[0].minor, 16);
  assert_int_equal (b->throttle_read_iops_device[0].rate, 300);
  assert_int_equal (b->throttle_write_iops_device_len, 1);
  assert_true (b->throttle_write_iops_device[0].rate == UINT64_MAX);

  assert_int_equal (r->hugepage_limits_len, 2);
  assert_string_equal (r->hugepage_limits[0].page_size, "2MB");
  assert_int_equal (r->hugepage_limits[0].limit, 209715200);
  assert_string_equal (r->hugepage_limits[1].page_size, "64KB");

  assert_non_null (r->network);
  assert_true (r->network->has_class_id);
  assert_int_equal (r->network->class_id, 1048577);
  assert_int_equal (r->network->priorities_len, 2);
  assert_string_equal (r->network->priorities[1].name, "eth1");
  assert_int_equal (r->network->priorities[1].priority, 1000);

  assert_int_equal (r->rdma_len, 2);
  assert_string_equal (r->rdma[0].key, "mlx5_1");
  assert_int_equal (r->rdma[0].hca_handles, 3);
  assert_int_equal (r->rdma[0].hca_objects, 10000);
  assert_string_equal (r->rdma[1].key, "mlx4_0");
  assert_false (r->rdma[1].has_hca_handles);
  assert_true (r->rdma[1].has_hca_objects);

  assert_int_equal (r->unified_len, 2);
  assert_string_equal (r->unified[0].key, "io.weight");
  assert_string_equal (r->unified[0].value, "default 100");
  assert_string_equal (r->unified[1].key, "memory.high");
}

static void
check_seccomp (const spec_seccomp_t *s)
{
  assert_non_null (s);
  assert_string_equal (s->default_action, "SCMP_ACT_ERRNO");
  assert_true (s->has_default_errno_ret);
  assert_int_equal (s->default_errno_ret, 1);
  CHECK_STRV (s->architectures, "SCMP_ARCH_X86_64", "SCMP_ARCH_X86",
              "SCMP_ARCH_X32");
  CHECK_STRV (s->flags, "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
  assert_string_equal (s->listener_path, "/run/seccomp-agent.sock");
  assert_string_equal (s->listener_metadata, "opaque-metadata");
  assert_int_equal (s->syscalls_len, 3);
  CHECK_STRV (s->syscalls[0].names, "getcwd", "chmod");
  assert_string_equal (s->syscalls[0].action, "SCMP_ACT_ALLOW");
  assert_int_equal (s->syscalls[0].args_len, 0);
  assert_int_equal (s->syscalls[1].args_len, 2);
  assert_int_equal (s->syscalls[1].args[0].index, 0);
  assert_int_equal (s->syscalls[1].args[0].value, 0);
  assert_string_equal (s->syscalls[1].args[0].op, "SCMP_CMP_EQ");
  assert_int_equal (s->syscalls[1].args[1].value, 4294967295u);
  assert_int_equal (s->syscalls[1].args[1].value_two, 131072);
  assert_string_equal (s->syscalls[1].args[1].op, "SCMP_CMP_MASKED_EQ");
  assert_true (s->syscalls[2].has_errno_ret);
  assert_int_equal (s->syscalls[2].errno_ret, 38);
}

static void
check_linux (const spec_linux_t *l)
{
  static const char *const ns[] = { "pid", "network", "ipc", "uts",
                                    "mount", "user", "cgroup", "time" };

  assert_non_null (l);
  assert_int_equal (l->namespaces_len, 8);
  for (size_t i = 0; i < 8; i++)
    assert_string_equal (l->namespaces[i].type, ns[i]);
  assert_string_equal (l->namespaces[1].path, "/var/run/netns/neta");
  assert_null (l->namespaces[0].path);
  assert_int_equal (l->uid_mappings_len, 2);
  check_mapping (&l->uid_mappings[0], 0, 1000, 1);
  check_mapping (&l->uid_mappings[1], 1, 100000, 65535);
  assert_int_equal (l->gid_mappings_len, 1);
  check_mapping (&l->gid_mappings[0], 0, 1000, 1);

  assert_int_equal (l->time_offsets_len, 2);
  assert_string_equal (l->time_offsets[0].key, "monotonic");
  assert_int_equal (l->time_offsets[0].secs, -172800);
  assert_string_equal (l->time_offsets[1].key, "boottime");
  assert_int_equal (l->time_offsets[1].secs, 604800);
  assert_int_equal (l->time_offsets[1].nanosecs, 500);

  assert_int_equal (l->devices_len, 2);
  assert_string_equal (l->devices[0].path, "/dev/fuse");
  assert_string_equal (l->devices[0].type, "c");
  assert_int_equal (l->devices[0].major, 10);
  assert_int_equal (l->devices[0].minor, 229);
  assert_true (l->devices[0].has_file_mode);
  assert_int_equal (l->devices[0].file_mode, 0666);
  assert_true (l->devices[0].has_uid);
  assert_int_equal (l->devices[0].uid, 0);
  assert_true (l->devices[0].has_gid);
  assert_string_equal (l->devices[1].type, "b");
  assert_int_equal (l->devices[1].file_mode, 0660);
  assert_false (l->devices[1].has_uid);

  assert_int_equal (l->net_devices_len, 2);
  assert_string_equal (l->net_devices[0].key, "eth0");
  assert_string_equal (l->net_devices[0].name, "ns_eth0");
  assert_string_equal (l->net_devices[1].key, "ens4");
  assert_null (l->net_devices[1].name);

  assert_string_equal (l->cgroups_path, "/myRuntime/myContainer");
  check_resources (l->resources);
  assert_string_equal (l->rootfs_propagation, "slave");
  check_seccomp (l->seccomp);
  assert_int_equal (l->sysctl_len, 2);
  assert_string_equal (l->sysctl[0].key, "net.ipv4.ip_forward");
  assert_string_equal (l->sysctl[0].value, "1");
  assert_string_equal (l->sysctl[1].key, "net.core.somaxconn");
  assert_string_equal (l->sysctl[1].value, "256");
  CHECK_STRV (l->masked_paths, "/proc/acpi", "/proc/kcore", "/sys/firmware");
  CHECK_STRV (l->readonly_paths, "/proc/bus", "/proc/sys");
  assert_string_equal (l->mount_label, "system_u:object_r:container_file_t:s0:c1,c2");
  assert_non_null (l->intel_rdt);
  assert_string_equal (l->intel_rdt->clos_id, "guaranteed_group");
  assert_string_equal (l->intel_rdt->l3_cache_schema, "L3:0=7f0;1=1f");
  assert_string_equal (l->intel_rdt->mem_bw_schema, "MB:0=20;1=70");
  assert_true (l->intel_rdt->enable_cmt);
  assert_true (l->intel_rdt->enable_mbm);
  assert_non_null (l->personality);
  assert_string_equal (l->personality->domain, "LINUX32");
  assert_non_null (l->personality->flags);
  assert_int_equal (l->personality->flags_len, 0);
}

static void
check_full_config (const spec_runtime_config_t *c)
{
  assert_string_equal (c->oci_version, "1.2.0");
  assert_non_null (c->root);
  assert_string_equal (c->root->path, "rootfs");
  assert_true (c->root->readonly);
  assert_string_equal (c->hostname, "box");
  assert_string_equal (c->domainname, "example.org");
  check_process (c->process);
  check_mounts_and_hooks (c);
  check_linux (c->linux_);
}

static spec_runtime_config_t *
parse_ok (const char *json)
{
  spec_runtime_config_t *cfg = NULL;
  cleanup_error mc_error_t err = NULL;

  assert_ok (spec_runtime_config_parse (json, strlen (json), "config.json",
                                        &cfg, &err), err);
  assert_non_null (cfg);
  return cfg;
}

static char *
generate_ok (const spec_runtime_config_t *cfg, bool pretty)
{
  cleanup_error mc_error_t err = NULL;
  char *out = NULL;
  size_t len = 0;

  assert_ok (spec_runtime_config_generate (cfg, pretty, &out, &len, &err), err);
  assert_int_equal (len, strlen (out));
  return out;
}

static void
test_full_config (void **state)
{
  cleanup_free char *text = test_read_data ("config-full.json", NULL);
  cleanup_runtime_config spec_runtime_config_t *cfg = parse_ok (text);

  check_full_config (cfg);
}

/* parse -> generate -> parse keeps every value, in pretty and compact
   form, and generating again gives the same bytes.  */
static void
test_full_config_round_trip (void **state)
{
  cleanup_free char *text = test_read_data ("config-full.json", NULL);
  cleanup_runtime_config spec_runtime_config_t *cfg = parse_ok (text);
  cleanup_free char *pretty = generate_ok (cfg, true);
  cleanup_free char *compact = generate_ok (cfg, false);
  cleanup_runtime_config spec_runtime_config_t *from_pretty = parse_ok (pretty);
  cleanup_runtime_config spec_runtime_config_t *from_compact = parse_ok (compact);
  cleanup_free char *pretty2 = generate_ok (from_pretty, true);
  cleanup_free char *compact2 = generate_ok (from_compact, false);

  check_full_config (from_pretty);
  check_full_config (from_compact);
  assert_string_equal (pretty, pretty2);
  assert_string_equal (compact, compact2);
  assert_null (strchr (compact, '\n'));
  /* runc style: tab indentation, ": " after keys, a final newline.  */
  assert_true (strncmp (pretty, "{\n\t\"ociVersion\": \"1.2.0\",\n\t\"process\": {\n\t\t", 42) == 0);
  assert_non_null (strstr (pretty, "\n\t\t\t\"inheritable\": [],\n"));
  assert_non_null (strstr (pretty, "\n\t\t\t\"ens4\": {}\n"));
  assert_non_null (strstr (compact, "\"hard\":" U64_MAX_TEXT ","));
  assert_non_null (strstr (compact, "\"rate\":" U64_MAX_TEXT "}"));
  /* Required zeros survive; zero non-optional scalars are left out.  */
  assert_non_null (strstr (compact, "{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}"));
  assert_non_null (strstr (compact, "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"));
  assert_non_null (strstr (compact, "\"monotonic\":{\"secs\":-172800}"));
  assert_non_null (strstr (compact, "{\"type\":\"RLIMIT_CORE\",\"hard\":" U64_MAX_TEXT ",\"soft\":0}"));
  assert_int_equal (pretty[strlen (pretty) - 1], '\n');
}

static void
test_generate_exact (void **state)
{
  cleanup_runtime_config spec_runtime_config_t *cfg = parse_ok (
      "{\"ociVersion\":\"1.2.0\",\"process\":{\"terminal\":false,"
      "\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"],\"env\":[],"
      "\"cwd\":\"/\",\"oomScoreAdj\":0},\"root\":{\"path\":\"rootfs\"},"
      "\"annotations\":{},\"linux\":{\"resources\":{\"memory\":{}}}}");
  cleanup_free char *pretty = generate_ok (cfg, true);
  cleanup_free char *compact = generate_ok (cfg, false);

  assert_string_equal (pretty,
                       "{\n"
                       "\t\"ociVersion\": \"1.2.0\",\n"
                       "\t\"process\": {\n"
                       "\t\t\"user\": {\n"
                       "\t\t\t\"uid\": 0,\n"
                       "\t\t\t\"gid\": 0\n"
                       "\t\t},\n"
                       "\t\t\"args\": [\n"
                       "\t\t\t\"sh\"\n"
                       "\t\t],\n"
                       "\t\t\"env\": [],\n"
                       "\t\t\"cwd\": \"/\",\n"
                       "\t\t\"oomScoreAdj\": 0\n"
                       "\t},\n"
                       "\t\"root\": {\n"
                       "\t\t\"path\": \"rootfs\"\n"
                       "\t},\n"
                       "\t\"annotations\": {},\n"
                       "\t\"linux\": {\n"
                       "\t\t\"resources\": {\n"
                       "\t\t\t\"memory\": {}\n"
                       "\t\t}\n"
                       "\t}\n"
                       "}\n");
  assert_string_equal (compact,
                       "{\"ociVersion\":\"1.2.0\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},"
                       "\"args\":[\"sh\"],\"env\":[],\"cwd\":\"/\","
                       "\"oomScoreAdj\":0},\"root\":{\"path\":\"rootfs\"},"
                       "\"annotations\":{},\"linux\":{\"resources\":"
                       "{\"memory\":{}}}}");
}

static void
test_uint64_max (void **state)
{
  cleanup_runtime_config spec_runtime_config_t *cfg = parse_ok (
      "{\"ociVersion\":\"1\",\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_AS\","
      "\"soft\":" U64_MAX_TEXT ",\"hard\":" U64_MAX_TEXT "}]},"
      "\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775807,"
      "\"swap\":-9223372036854775808,\"swappiness\":" U64_MAX_TEXT "}},"
      "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
      "\"names\":[\"x\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":5,"
      "\"value\":" U64_MAX_TEXT ",\"valueTwo\":-0,\"op\":\"SCMP_CMP_NE\"}]}]}}}");
  cleanup_free char *compact = generate_ok (cfg, false);

  assert_true (cfg->process->rlimits[0].soft == UINT64_MAX);
  assert_true (cfg->process->rlimits[0].hard == UINT64_MAX);
  assert_true (cfg->linux_->resources->memory->limit == INT64_MAX);
  assert_true (cfg->linux_->resources->memory->swap == INT64_MIN);
  assert_true (cfg->linux_->resources->memory->swappiness == UINT64_MAX);
  assert_true (cfg->linux_->seccomp->syscalls[0].args[0].value == UINT64_MAX);
  assert_int_equal (cfg->linux_->seccomp->syscalls[0].args[0].value_two, 0);
  assert_non_null (strstr (compact, "\"hard\":" U64_MAX_TEXT ",\"soft\":" U64_MAX_TEXT));
  assert_non_null (strstr (compact, "\"limit\":9223372036854775807,\"swap\":-9223372036854775808"));
  assert_non_null (strstr (compact, "\"value\":" U64_MAX_TEXT ",\"op\""));
}

static void
test_null_is_absent (void **state)
{
  cleanup_runtime_config spec_runtime_config_t *cfg = parse_ok (
      "{\"ociVersion\":\"1\",\"process\":null,\"hostname\":null,\"mounts\":null,"
      "\"annotations\":null,\"linux\":{\"resources\":{\"memory\":{\"limit\":null,"
      "\"swap\":5}},\"uidMappings\":null,\"seccomp\":null}}");

  assert_null (cfg->process);
  assert_null (cfg->hostname);
  assert_null (cfg->mounts);
  assert_int_equal (cfg->mounts_len, 0);
  assert_null (cfg->annotations);
  assert_non_null (cfg->linux_->resources->memory);
  assert_false (cfg->linux_->resources->memory->has_limit);
  assert_true (cfg->linux_->resources->memory->has_swap);
  assert_null (cfg->linux_->uid_mappings);
  assert_null (cfg->linux_->seccomp);
}

static void
test_unknown_fields_ignored (void **state)
{
  cleanup_runtime_config spec_runtime_config_t *cfg = parse_ok (
      "{\"vendorExtension\":{\"deep\":[1,2.5,{\"x\":null}],\"t\":true},"
      "\"ociVersion\":\"1.2.0\",\"process\":{\"futureKey\":\"x\",\"args\":[\"a\"]},"
      "\"windows\":{\"layerFolders\":[\"C:\\\\x\"]},\"mounts\":[{\"destination\":\"/a\","
      "\"someday\":5}]}");
  cleanup_free char *compact = generate_ok (cfg, false);

  assert_string_equal (cfg->oci_version, "1.2.0");
  CHECK_STRV (cfg->process->args, "a");
  assert_string_equal (cfg->mounts[0].destination, "/a");
  /* process.user is inline and its uid and gid are REQUIRED: always written. */
  assert_string_equal (compact, "{\"ociVersion\":\"1.2.0\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"]},"
                                "\"mounts\":[{\"destination\":\"/a\"}]}");
}

/* Every error shape: the message names the document, the JSON path and
   what was wrong.  */
static void
expect_parse_error (const char *json, size_t len, const char *expected)
{
  spec_runtime_config_t *cfg = (spec_runtime_config_t *) 0x1;
  mc_error_t err = NULL;

  if (spec_runtime_config_parse (json, len, "config.json", &cfg, &err) == 0)
    fail_msg ("parse of %.200s succeeded; expected: %s", json, expected);
  assert_null (cfg);
  assert_error (err, expected);
}

#define EXPECT_ERROR(json, expected) \
  expect_parse_error ((json), strlen (json), (expected))
#define CFG(rest) "{\"ociVersion\":\"1.2.0\"," rest "}"

static void
test_wrong_types (void **state)
{
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1G\"}}}"),
                "config.json: .linux.resources.memory.limit: expected an integer, got a string");
  EXPECT_ERROR (CFG ("\"mounts\":[{\"destination\":\"/a\"},{\"destination\":\"/b\"},"
                     "{\"destination\":5}]"),
                "config.json: .mounts[2].destination: expected a string, got a number");
  EXPECT_ERROR (CFG ("\"annotations\":{\"ok\":\"1\",\"key\":1}"),
                "config.json: .annotations[\"key\"]: expected a string, got a number");
  EXPECT_ERROR (CFG ("\"annotations\":{\"a\\\"b\\n\":[]}"),
                "config.json: .annotations[\"a\\\"b\\u000a\"]: expected a string, got an array");
  EXPECT_ERROR (CFG ("\"process\":{\"terminal\":\"yes\"}"),
                "config.json: .process.terminal: expected a boolean, got a string");
  EXPECT_ERROR (CFG ("\"process\":[]"),
                "config.json: .process: expected an object, got an array");
  EXPECT_ERROR (CFG ("\"process\":{\"args\":[\"sh\",1]}"),
                "config.json: .process.args[1]: expected a string, got a number");
  EXPECT_ERROR (CFG ("\"process\":{\"args\":\"sh\"}"),
                "config.json: .process.args: expected an array, got a string");
  EXPECT_ERROR (CFG ("\"process\":{\"args\":[null]}"),
                "config.json: .process.args[0]: expected a string, got null");
  EXPECT_ERROR (CFG ("\"process\":{\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[1,true]}}"),
                "config.json: .process.user.additionalGids[1]: expected an integer, got a boolean");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"rdma\":{\"mlx5_1\":5}}}"),
                "config.json: .linux.resources.rdma[\"mlx5_1\"]: expected an object, got a number");
  EXPECT_ERROR (CFG ("\"linux\":{\"timeOffsets\":{\"boottime\":{\"secs\":{}}}}"),
                "config.json: .linux.timeOffsets[\"boottime\"].secs: expected an integer, got an object");
  EXPECT_ERROR (CFG ("\"linux\":{\"sysctl\":[]}"),
                "config.json: .linux.sysctl: expected an object, got an array");
  EXPECT_ERROR ("[]", "config.json: expected an object, got an array");
  EXPECT_ERROR ("\"config\"", "config.json: expected an object, got a string");
  EXPECT_ERROR ("{\"ociVersion\":1.2}",
                "config.json: .ociVersion: expected a string, got a number");
}

static void
test_out_of_range (void **state)
{
  EXPECT_ERROR (CFG ("\"process\":{\"user\":{\"uid\":-1,\"gid\":0}}"),
                "config.json: .process.user.uid: expected an unsigned 32-bit integer, got -1");
  EXPECT_ERROR (CFG ("\"process\":{\"user\":{\"uid\":0,\"gid\":4294967296}}"),
                "config.json: .process.user.gid: expected an unsigned 32-bit integer, got 4294967296");
  EXPECT_ERROR (CFG ("\"process\":{\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0,-5]}}"),
                "config.json: .process.user.additionalGids[1]: expected an unsigned 32-bit integer, got -5");
  EXPECT_ERROR (CFG ("\"process\":{\"oomScoreAdj\":2147483648}"),
                "config.json: .process.oomScoreAdj: expected a 32-bit integer, got 2147483648");
  EXPECT_ERROR (CFG ("\"process\":{\"oomScoreAdj\":-2147483649}"),
                "config.json: .process.oomScoreAdj: expected a 32-bit integer, got -2147483649");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"blockIO\":{\"weight\":65536}}}"),
                "config.json: .linux.resources.blockIO.weight: expected an unsigned 16-bit integer, got 65536");
  EXPECT_ERROR (CFG ("\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_AS\",\"soft\":0,"
                     "\"hard\":18446744073709551616}]}"),
                "config.json: .process.rlimits[0].hard: expected an unsigned 64-bit integer, got 18446744073709551616");
  EXPECT_ERROR (CFG ("\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_AS\",\"soft\":-1,\"hard\":0}]}"),
                "config.json: .process.rlimits[0].soft: expected an unsigned 64-bit integer, got -1");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775808}}}"),
                "config.json: .linux.resources.memory.limit: expected a 64-bit integer, got 9223372036854775808");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"memory\":{\"limit\":1.5}}}"),
                "config.json: .linux.resources.memory.limit: expected an integer, got 1.5");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"memory\":{\"limit\":1e9}}}"),
                "config.json: .linux.resources.memory.limit: expected an integer, got 1e9");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                     "1234567890123456789012345678901234567890123456789012345678901234567890}}}"),
                "config.json: .linux.resources.pids.limit: expected a 64-bit integer, got "
                "1234567890123456789012345678901234567890123456789012345678901234...");
}

static void
test_required_fields (void **state)
{
  EXPECT_ERROR ("{}", "config.json: missing required field \"ociVersion\"");
  EXPECT_ERROR ("{\"ociVersion\":null}", "config.json: missing required field \"ociVersion\"");
  EXPECT_ERROR (CFG ("\"mounts\":[{\"source\":\"x\"}]"),
                "config.json: .mounts[0]: missing required field \"destination\"");
  /* The runtime-spec makes user.uid, user.gid and a device rule's allow
     REQUIRED: a guessed default would silently grant root or a device.  */
  EXPECT_ERROR (CFG ("\"process\":{\"user\":{\"gid\":0}}"),
                "config.json: .process.user: missing required field \"uid\"");
  EXPECT_ERROR (CFG ("\"process\":{\"user\":{\"uid\":0}}"),
                "config.json: .process.user: missing required field \"gid\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"devices\":[{\"access\":\"rwm\"}]}}"),
                "config.json: .linux.resources.devices[0]: missing required field \"allow\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"path\":\"/x\"}]}"),
                "config.json: .linux.namespaces[1]: missing required field \"type\"");
  EXPECT_ERROR (CFG ("\"hooks\":{\"poststop\":[{\"args\":[]}]}"),
                "config.json: .hooks.poststop[0]: missing required field \"path\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"uidMappings\":[{\"containerID\":0,\"size\":1}]}"),
                "config.json: .linux.uidMappings[0]: missing required field \"hostID\"");
  EXPECT_ERROR (CFG ("\"mounts\":[{\"destination\":\"/a\",\"gidMappings\":[{\"hostID\":0,\"size\":1}]}]"),
                "config.json: .mounts[0].gidMappings[0]: missing required field \"containerID\"");
  EXPECT_ERROR (CFG ("\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_AS\",\"hard\":1}]}"),
                "config.json: .process.rlimits[0]: missing required field \"soft\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"devices\":[{\"path\":\"/dev/x\"}]}"),
                "config.json: .linux.devices[0]: missing required field \"type\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"seccomp\":{}}"),
                "config.json: .linux.seccomp: missing required field \"defaultAction\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"seccomp\":{\"defaultAction\":\"a\",\"syscalls\":[{\"action\":\"b\"}]}}"),
                "config.json: .linux.seccomp.syscalls[0]: missing required field \"names\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"seccomp\":{\"defaultAction\":\"a\",\"syscalls\":[{\"names\":[],"
                     "\"action\":\"b\",\"args\":[{\"index\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}}"),
                "config.json: .linux.seccomp.syscalls[0].args[0]: missing required field \"value\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"hugepageLimits\":[{\"pageSize\":\"2MB\"}]}}"),
                "config.json: .linux.resources.hugepageLimits[0]: missing required field \"limit\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"blockIO\":{\"throttleReadBpsDevice\":"
                     "[{\"major\":8,\"minor\":0}]}}}"),
                "config.json: .linux.resources.blockIO.throttleReadBpsDevice[0]: missing required field \"rate\"");
  EXPECT_ERROR (CFG ("\"linux\":{\"resources\":{\"blockIO\":{\"weightDevice\":[{\"major\":8}]}}}"),
                "config.json: .linux.resources.blockIO.weightDevice[0]: missing required field \"minor\"");
}

static void
test_bad_documents (void **state)
{
  static const char nul_doc[] = "{\"ociVersion\":\"1\"}\0{}";

  EXPECT_ERROR ("", "config.json: empty document");
  EXPECT_ERROR (" \n\t ", "config.json: empty document");
  EXPECT_ERROR ("hello", "config.json: invalid JSON: lexical error: invalid char in json text.");
  EXPECT_ERROR ("{\"ociVersion\": \"1.2",
                "config.json: invalid JSON: parse error: premature EOF");
  EXPECT_ERROR ("{\"ociVersion\": \"1.2.0\", \"process\": {",
                "config.json: invalid JSON: parse error: premature EOF");
  EXPECT_ERROR ("{\"ociVersion\":\"1\"} x",
                "config.json: invalid JSON: parse error: trailing garbage");
  EXPECT_ERROR ("{\"ociVersion\":\"1\",}",
                "config.json: invalid JSON: parse error: invalid object key (must be a string)");
  EXPECT_ERROR ("{\"ociVersion\":\"\xff\"}",
                "config.json: invalid JSON: lexical error: invalid bytes in UTF8 string.");
  EXPECT_ERROR ("{/* c */\"ociVersion\":\"1\"}",
                "config.json: invalid JSON: lexical error: probable comment found in input text, "
                "comments are not enabled.");
  expect_parse_error (nul_doc, sizeof (nul_doc) - 1,
                      "config.json: invalid JSON: parse error: trailing garbage");
  EXPECT_ERROR ("{\"ociVersion\":\"a\\u0000b\"}",
                "config.json: string contains a NUL character (at byte 24)");
  EXPECT_ERROR ("{\"ociVersion\":\"1\",\"hostname\":\"a\",\"hostname\":\"b\"}",
                "config.json: duplicate key \"hostname\"");
  EXPECT_ERROR (CFG ("\"annotations\":{\"k\":\"1\",\"j\":\"2\",\"k\":\"3\"}"),
                "config.json: .annotations: duplicate key \"k\"");
}

static void
test_nesting_too_deep (void **state)
{
  char deep[300], ok[300];
  size_t n = 0, m = 0;

  /* 64 levels are fine (in an ignored key), 65 are not.  */
  n += (size_t) sprintf (deep + n, "{\"ociVersion\":\"1\",\"x\":");
  m += (size_t) sprintf (ok + m, "{\"ociVersion\":\"1\",\"x\":");
  for (int i = 0; i < 64; i++)
    deep[n++] = '[';
  for (int i = 0; i < 63; i++)
    ok[m++] = '[';
  for (int i = 0; i < 64; i++)
    deep[n++] = ']';
  for (int i = 0; i < 63; i++)
    ok[m++] = ']';
  deep[n++] = '}';
  ok[m++] = '}';
  deep[n] = ok[m] = '\0';
  spec_runtime_config_free (parse_ok (ok));
  EXPECT_ERROR (deep, "config.json: nested deeper than 64 levels (at byte 86)");
}

static void
test_string_too_long (void **state)
{
  size_t n = SPEC_MAX_STRING + 1;
  cleanup_free char *doc = xmalloc (n + 64);
  size_t len = (size_t) sprintf (doc, "{\"ociVersion\":\"1\",\"hostname\":\"");

  memset (doc + len, 'a', n);
  len += n;
  len += (size_t) sprintf (doc + len, "\"}");
  EXPECT_ERROR (doc, "config.json: string longer than 1048576 bytes (at byte 1048608)");

  /* Exactly the limit is accepted.  */
  len = (size_t) sprintf (doc, "{\"ociVersion\":\"1\",\"hostname\":\"");
  memset (doc + len, 'a', SPEC_MAX_STRING);
  sprintf (doc + len + SPEC_MAX_STRING, "\"}");
  {
    cleanup_runtime_config spec_runtime_config_t *cfg = parse_ok (doc);
    assert_int_equal (strlen (cfg->hostname), SPEC_MAX_STRING);
  }

  /* Keys are bounded too.  */
  len = (size_t) sprintf (doc, "{\"");
  memset (doc + len, 'k', n);
  sprintf (doc + len + n, "\":1}");
  EXPECT_ERROR (doc, "config.json: string longer than 1048576 bytes (at byte 1048580)");
}

static void
test_document_too_large (void **state)
{
  size_t n = SPEC_MAX_DOCUMENT_SIZE + 1;
  cleanup_free char *doc = xmalloc (n + 1);

  memset (doc, ' ', n);
  doc[0] = '{';
  memcpy (doc + n - 18, "\"ociVersion\":\"1\"}", 17);
  expect_parse_error (doc, n,
                      "config.json: document too large (16777217 bytes, limit 16777216)");
}

static void
test_too_many_values (void **state)
{
  /* The root object, "1" and the array are values too.  */
  size_t zeros = SPEC_MAX_VALUES - 3;
  cleanup_free char *doc = xmalloc (2 * zeros + 64);
  size_t len = (size_t) sprintf (doc, "{\"ociVersion\":\"1\",\"x\":[");

  for (size_t i = 0; i < zeros; i++)
    {
      doc[len++] = '0';
      doc[len++] = ',';
    }
  memcpy (doc + len - 1, "]}", 3);
  spec_runtime_config_free (parse_ok (doc));

  memcpy (doc + len - 1, ",0]}", 5);
  EXPECT_ERROR (doc, "config.json: more than 1048576 values (at byte 2097170)");
}

static void
test_generate_errors (void **state)
{
  spec_runtime_config_t cfg = { 0 };
  spec_mount_t mount = { 0 };
  char *args[] = { "sh", NULL };
  spec_process_t process = { 0 };
  mc_error_t err = NULL;
  char *out = NULL;

  assert_int_equal (spec_runtime_config_generate (&cfg, false, &out, NULL, &err), -1);
  assert_error (err, "generate JSON: .ociVersion: missing required string");

  cfg.oci_version = "1.2.0";
  cfg.hostname = "bad\xff";
  assert_int_equal (spec_runtime_config_generate (&cfg, false, &out, NULL, &err), -1);
  assert_error (err, "generate JSON: .hostname: invalid UTF-8 in string");

  cfg.hostname = NULL;
  cfg.mounts = &mount;
  cfg.mounts_len = 1;
  assert_int_equal (spec_runtime_config_generate (&cfg, false, &out, NULL, &err), -1);
  assert_error (err, "generate JSON: .mounts[0].destination: missing required string");

  mount.destination = "/proc";
  process.args = args;
  process.args_len = 2; /* the NULL terminator counted by mistake */
  cfg.process = &process;
  assert_int_equal (spec_runtime_config_generate (&cfg, false, &out, NULL, &err), -1);
  assert_error (err, "generate JSON: .process.args[1]: NULL string in an array");

  process.args_len = 1;
  assert_ok (spec_runtime_config_generate (&cfg, false, &out, NULL, &err), err);
  assert_string_equal (out, "{\"ociVersion\":\"1.2.0\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},"
                            "\"args\":[\"sh\"]},\"mounts\":[{\"destination\":\"/proc\"}]}");
  free (out);
}

static void
test_load (void **state)
{
  char path[] = "/tmp/spec-config-test.XXXXXX";
  int fd = mkstemp (path);
  const char *doc = "{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":5}}";
  spec_runtime_config_t *cfg = NULL;
  mc_error_t err = NULL;
  cleanup_free char *expected = NULL;

  assert_true (fd >= 0);
  assert_int_equal (write (fd, doc, strlen (doc)), (ssize_t) strlen (doc));
  close (fd);
  assert_int_equal (spec_runtime_config_load (path, &cfg, &err), -1);
  expected = xasprintf ("%s: .process.args: expected an array, got a number", path);
  assert_error (err, expected);

  fd = open (path, O_WRONLY | O_TRUNC);
  assert_int_equal (write (fd, "{\"ociVersion\":\"1.0.2\"}", 22), 22);
  close (fd);
  assert_ok (spec_runtime_config_load (path, &cfg, &err), err);
  assert_string_equal (cfg->oci_version, "1.0.2");
  spec_runtime_config_free (cfg);
  unlink (path);

  assert_true (spec_runtime_config_load ("/nonexistent/config.json", &cfg, &err) < 0);
  assert_null (cfg);
  assert_error (err, "open `/nonexistent/config.json`");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_full_config),
    cmocka_unit_test (test_full_config_round_trip),
    cmocka_unit_test (test_generate_exact),
    cmocka_unit_test (test_uint64_max),
    cmocka_unit_test (test_null_is_absent),
    cmocka_unit_test (test_unknown_fields_ignored),
    cmocka_unit_test (test_wrong_types),
    cmocka_unit_test (test_out_of_range),
    cmocka_unit_test (test_required_fields),
    cmocka_unit_test (test_bad_documents),
    cmocka_unit_test (test_nesting_too_deep),
    cmocka_unit_test (test_string_too_long),
    cmocka_unit_test (test_document_too_large),
    cmocka_unit_test (test_too_many_values),
    cmocka_unit_test (test_generate_errors),
    cmocka_unit_test (test_load),
  };

  return cmocka_run_group_tests_name ("spec-config", tests, NULL, NULL);
}
