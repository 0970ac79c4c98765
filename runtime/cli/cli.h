/* minirun's command line: main.c parses the global flags and dispatches to
   one function per command, which parses its own flags and calls one
   library function.  */
#ifndef MC_CLI_H
#define MC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "common/error.h"

typedef struct cli_global
{
  const char *root; /* --root: the state root */
} cli_global_t;

/* A command returns the exit status; when it fills *err, main prints the
   message (already prefixed with "COMMAND ID: ") and exits with the status,
   or 1 if that was 0.  */
typedef int (*cli_command_fn) (const cli_global_t *g, int argc, char **argv,
                               mc_error_t *err);

typedef struct cli_command
{
  const char *name;
  const char *summary;
  cli_command_fn fn;
  void (*help) (FILE *out);
} cli_command_t;

#define CLI_COMMAND(name)                                                   \
  int cli_##name (const cli_global_t *g, int argc, char **argv,             \
                  mc_error_t *err);                                         \
  void cli_##name##_help (FILE *out)

CLI_COMMAND (create);
CLI_COMMAND (run);
CLI_COMMAND (start);
CLI_COMMAND (state);
CLI_COMMAND (kill);
CLI_COMMAND (delete);
CLI_COMMAND (list);
CLI_COMMAND (exec);
CLI_COMMAND (ps);
CLI_COMMAND (features);
CLI_COMMAND (pause);
CLI_COMMAND (resume);
CLI_COMMAND (update);
CLI_COMMAND (events);

/* create and run: their shared options (help text and parser) and the
   single container ID operand of most commands.  */
struct mc_container_opts;
void cli_create_options_help (FILE *out);
int cli_parse_create (const char *cmd, bool is_run, int argc, char **argv,
                      struct mc_container_opts *opts, bool *detach,
                      bool *keep, mc_error_t *err);
int cli_one_id (const char *cmd, int argc, char **argv, const char **id,
                mc_error_t *err);
int cli_spec (const cli_global_t *g, int argc, char **argv, mc_error_t *err);
void cli_spec_help (FILE *out);

/* "--help" or "-h" among the arguments (before "--").  */
int cli_wants_help (int argc, char **argv);

#endif
