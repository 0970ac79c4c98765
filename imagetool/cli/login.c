/* mcimg login REGISTRY [-u USER] [--password-stdin] [--authfile F]
   mcimg logout REGISTRY [--authfile F]  */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/auth-file.h"

void
mcimg_cli_login_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg login [OPTION]... REGISTRY\n"
           "Store credentials for REGISTRY (host[:port]) in the auth file\n"
           "($REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json,\n"
           "else ~/.docker/config.json).\n"
           "\n"
           "Options:\n"
           "  -u, --username USER   the user (asked on the terminal otherwise)\n"
           "      --password-stdin  read the password from stdin\n"
           "      --authfile FILE   write FILE instead\n"
           "  -h, --help            show this help\n");
}

void
mcimg_cli_logout_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg logout [--authfile FILE] REGISTRY\n"
           "Remove the stored credentials for REGISTRY.\n"
           "\n"
           "Options:\n"
           "      --authfile FILE   use FILE instead of the default auth file\n"
           "  -h, --help            show this help\n");
}

/* One line from stdin, without echo when it is a terminal.  */
static char *
read_line (const char *prompt, bool secret)
{
  struct termios old, quiet;
  bool tty = isatty (STDIN_FILENO);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  if (tty && prompt)
    fprintf (stderr, "%s", prompt);
  if (tty && secret && tcgetattr (STDIN_FILENO, &old) == 0)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  else
    secret = false;
  n = getline (&line, &cap, stdin);
  if (secret)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
      fputc ('\n', stderr);
    }
  if (n < 0)
    {
      free (line);
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  return line;
}

int
mcimg_cli_login (const mcimg_cli_global_t *g, int argc, char **argv,
                 mc_error_t *err)
{
  enum { OPT_PASSWORD_STDIN = 256, OPT_AUTHFILE };
  static const struct option long_options[] = {
    { "username", required_argument, NULL, 'u' },
    { "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN },
    { "authfile", required_argument, NULL, OPT_AUTHFILE },
    { NULL, 0, NULL, 0 },
  };
  const char *authfile = NULL;
  mcimg_credentials_t creds = { 0 };
  bool password_stdin = false;
  int c, ret;

  (void) g;
  while ((c = getopt_long (argc, argv, "u:", long_options, NULL)) != -1)
    switch (c)
      {
      case 'u':
        free (creds.username);
        creds.username = xstrdup (optarg);
        break;
      case OPT_PASSWORD_STDIN:
        password_stdin = true;
        break;
      case OPT_AUTHFILE:
        authfile = optarg;
        break;
      default:
        mcimg_credentials_clear (&creds);
        return mcimg_cli_usage ("login", "invalid option");
      }
  if (optind + 1 != argc)
    {
      mcimg_credentials_clear (&creds);
      return mcimg_cli_usage ("login", "expected one REGISTRY");
    }
  if (password_stdin && creds.username == NULL)
    return mcimg_cli_usage ("login", "--password-stdin needs --username");
  if (creds.username == NULL)
    creds.username = read_line ("Username: ", false);
  if (creds.username != NULL)
    creds.password = read_line (password_stdin ? NULL : "Password: ", true);
  if (creds.username == NULL || creds.password == NULL
      || *creds.username == '\0')
    {
      mcimg_credentials_clear (&creds);
      return mc_error_make (err, 0, "login %s: no username or password read",
                            argv[optind]);
    }
  ret = mcimg_login (authfile, argv[optind], &creds, err);
  mcimg_credentials_clear (&creds);
  if (ret < 0)
    return 1;
  fprintf (stderr, "Login Succeeded!\n");
  return 0;
}

int
mcimg_cli_logout (const mcimg_cli_global_t *g, int argc, char **argv,
                  mc_error_t *err)
{
  static const struct option long_options[] = {
    { "authfile", required_argument, NULL, 'a' },
    { NULL, 0, NULL, 0 },
  };
  const char *authfile = NULL;
  int c;

  (void) g;
  while ((c = getopt_long (argc, argv, "", long_options, NULL)) != -1)
    switch (c)
      {
      case 'a':
        authfile = optarg;
        break;
      default:
        return mcimg_cli_usage ("logout", "invalid option");
      }
  if (optind + 1 != argc)
    return mcimg_cli_usage ("logout", "expected one REGISTRY");
  return mcimg_logout (authfile, argv[optind], err) < 0 ? 1 : 0;
}
