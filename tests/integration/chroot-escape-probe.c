/* Run inside a container (linked statically, copied into the rootfs): try
   the classic chroot escape, a chroot into a subdirectory while the cwd
   stays outside it and then a climb with "..", and print whether PATH can
   be seen from where the climb ends.  Under pivot_root nothing is above
   the rootfs; under --no-pivot the host's tree is still in the mount
   namespace, but the rootfs sits right on its root, where ".." stops.
   Usage: chroot-escape-probe SCRATCH-DIR PATH  */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: %s SCRATCH-DIR PATH\n", argv[0]);
      return 2;
    }
  if (mkdir (argv[1], 0700) < 0 && errno != EEXIST)
    {
      perror ("mkdir");
      return 1;
    }
  if (chroot (argv[1]) < 0)
    {
      perror ("chroot");
      return 1;
    }
  for (int i = 0; i < 64; i++)
    if (chdir ("..") < 0)
      {
        perror ("chdir");
        return 1;
      }
  if (chroot (".") < 0)
    {
      perror ("chroot .");
      return 1;
    }
  puts (access (argv[2], F_OK) == 0 ? "visible" : "hidden");
  return 0;
}
