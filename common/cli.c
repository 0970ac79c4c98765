/* See cli.h.  */
#include "common/cli.h"

#include <string.h>

static const mc_cli_entry_t *
entry_at (const mc_cli_table_t *t, size_t i)
{
  return (const mc_cli_entry_t *) ((const char *) t->commands
                                   + i * t->stride);
}

const mc_cli_entry_t *
mc_cli_find (const mc_cli_table_t *t, const char *name)
{
  for (size_t i = 0; i < t->n; i++)
    if (strcmp (entry_at (t, i)->name, name) == 0)
      return entry_at (t, i);
  return NULL;
}

void
mc_cli_print_commands (const mc_cli_table_t *t, FILE *out)
{
  for (size_t i = 0; i < t->n; i++)
    fprintf (out, "  %-10s %s\n", entry_at (t, i)->name,
             entry_at (t, i)->summary);
  fprintf (out, "  %-10s %s\n", "help", "show the help of a command");
}

bool
mc_cli_wants_help (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return false;
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        return true;
    }
  return false;
}

static int
help_command (const mc_cli_table_t *t, const char *prog, int argc,
              char **argv, void (*main_help) (FILE *), int usage_status)
{
  const mc_cli_entry_t *cmd;

  if (argc < 2)
    {
      main_help (stdout);
      return 0;
    }
  cmd = mc_cli_find (t, argv[1]);
  if (cmd == NULL)
    {
      fprintf (stderr, "%s: help: unknown command `%s`\n", prog, argv[1]);
      return usage_status;
    }
  cmd->help (stdout);
  return 0;
}

const mc_cli_entry_t *
mc_cli_select (const mc_cli_table_t *t, const char *prog, int argc,
               char **argv, void (*main_help) (FILE *), int usage_status,
               int *status)
{
  const mc_cli_entry_t *cmd;

  *status = usage_status;
  if (argc < 1)
    {
      main_help (stderr);
      return NULL;
    }
  if (strcmp (argv[0], "help") == 0)
    {
      *status = help_command (t, prog, argc, argv, main_help, usage_status);
      return NULL;
    }
  cmd = mc_cli_find (t, argv[0]);
  if (cmd == NULL)
    {
      fprintf (stderr, "%s: unknown command `%s`; try `%s --help`\n", prog,
               argv[0], prog);
      return NULL;
    }
  if (!cmd->own_help && mc_cli_wants_help (argc, argv))
    {
      cmd->help (stdout);
      *status = 0;
      return NULL;
    }
  return cmd;
}
