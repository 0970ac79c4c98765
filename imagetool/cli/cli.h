/* mcimg's command line: main.c parses the global flags and dispatches to
   one function per command (one file each), which parses its own flags and
   calls one library function.  */
#ifndef MCIMG_CLI_H
#define MCIMG_CLI_H

#include <stdio.h>

#include "common/cli.h"
#include "common/error.h"

typedef struct mcimg_cli_global
{
  const char *root; /* --root, else $MCIMG_ROOT, else /var/lib/mcimg */
} mcimg_cli_global_t;

/* Returns the exit status; when *err is set main prints it and exits with
   the status, or 1 if that was 0.  argv[0] is the command name.  */
typedef int (*mcimg_cli_fn) (const mcimg_cli_global_t *g, int argc,
                             char **argv, mc_error_t *err);

typedef struct mcimg_cli_command
{
  mc_cli_entry_t entry; /* first: the shared lookup and help see this */
  mcimg_cli_fn fn;
} mcimg_cli_command_t;

#define MCIMG_CLI_DECLARE(cmd)                                                \
  int mcimg_cli_##cmd (const mcimg_cli_global_t *g, int argc, char **argv,   \
                       mc_error_t *err);                                      \
  void mcimg_cli_##cmd##_help (FILE *out)

MCIMG_CLI_DECLARE (pull);
MCIMG_CLI_DECLARE (images);
MCIMG_CLI_DECLARE (inspect);
MCIMG_CLI_DECLARE (tag);
MCIMG_CLI_DECLARE (rmi);
MCIMG_CLI_DECLARE (prune);
MCIMG_CLI_DECLARE (save);
MCIMG_CLI_DECLARE (load);
MCIMG_CLI_DECLARE (login);
MCIMG_CLI_DECLARE (logout);
MCIMG_CLI_DECLARE (bundle);
MCIMG_CLI_DECLARE (mount);
MCIMG_CLI_DECLARE (unbundle);
MCIMG_CLI_DECLARE (bundles);

/* Print "mcimg: CMD: MSG; try `mcimg CMD --help`" and return 2: usage
   errors are not library errors.  */
int mcimg_cli_usage (const char *cmd, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

#endif
