#include "tests/unit/spec-test-util.h"

#include <fcntl.h>

#include "common/fileutil.h"
#include "common/xalloc.h"

char *
test_read_data (const char *name, size_t *len)
{
  char *path = xasprintf ("%s/%s", TEST_DATA_DIR, name);
  mc_error_t err = NULL;
  char *text = NULL;

  if (mc_read_file_at (AT_FDCWD, path, 64u << 20, &text, len, &err) < 0)
    fail_msg ("cannot read test data %s: %s", path, err->msg);
  free (path);
  return text;
}
