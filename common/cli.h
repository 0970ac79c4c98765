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
  /* The command reads -h/--help among its own options only: what follows
     its operands belongs to them (`minirun exec c1 ls --help`).  */
  bool own_help;
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

/* The command argv[0] names, once the global options are parsed (argv is
   what follows them).  NULL when there is nothing to run, *status then
   being the exit status: no command (main_help on stderr, usage_status),
   `help [COMMAND]`, a command's --help (0), an unknown command (one line,
   usage_status).  */
const mc_cli_entry_t *mc_cli_select (const mc_cli_table_t *t,
                                     const char *prog, int argc, char **argv,
                                     void (*main_help) (FILE *),
                                     int usage_status, int *status);

#endif
