/* What minirun's and mcimg's command lines share: a table of commands
   (each tool's own struct, whose first member is an mc_cli_entry_t, so
   that one lookup and one help printer serve both), `--help` detection and
   the `help COMMAND` command.  */
#ifndef MC_COMMON_CLI_H
#define MC_COMMON_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct mc_cli_entry
{
  const char *name;
  const char *summary; /* one line for the tool's --help */
  void (*help) (FILE *out);
} mc_cli_entry_t;

/* A table of n structs of `stride` bytes, each starting with an
   mc_cli_entry_t.  */
typedef struct mc_cli_table
{
  const void *commands;
  size_t n;
  size_t stride;
} mc_cli_table_t;

/* The initializer of an mc_cli_table_t for an array of commands.  */
#define MC_CLI_TABLE(array)                                                   \
  { (array), sizeof (array) / sizeof ((array)[0]), sizeof ((array)[0]) }

/* The entry named `name` (the start of the tool's struct), or NULL.  */
const mc_cli_entry_t *mc_cli_find (const mc_cli_table_t *t, const char *name);

/* "  NAME       SUMMARY" for each command, and for `help`.  */
void mc_cli_print_commands (const mc_cli_table_t *t, FILE *out);

/* Whether -h or --help comes before a `--` in argv[1..].  */
bool mc_cli_wants_help (int argc, char **argv);

/* `PROG help [COMMAND]`: the command's help, or main_help without one;
   an unknown command is an error that returns usage_status.  */
int mc_cli_help_command (const mc_cli_table_t *t, const char *prog,
                         int argc, char **argv, void (*main_help) (FILE *),
                         int usage_status);

#endif
