# A --console-socket receiver for the tests: listen on argv[1], write
# "ready" to argv[3] once listening, take one connection, and write to
# argv[2] the payload and the number of fds received ("name=... fds=N"),
# then everything read from the (first) fd until the pty closes.
import os
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(1)
with open(sys.argv[3], "w") as ready:
    ready.write("ready")
c, _ = s.accept()
msg, fds, flags, addr = socket.recv_fds(c, 4096, 8)
with open(sys.argv[2], "w") as out:
    out.write("name=%s fds=%d\n" % (msg.decode(), len(fds)))
    out.flush()
    data = b""
    while fds:
        try:
            d = os.read(fds[0], 4096)
        except OSError:
            break
        if not d:
            break
        data += d
    out.write(data.decode(errors="replace").replace("\r", ""))
