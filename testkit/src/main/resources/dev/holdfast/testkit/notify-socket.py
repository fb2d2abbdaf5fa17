# A stand-in for systemd's notification socket: binds the unix datagram socket given as argv[1],
# prints "bound", then one line per message received (newlines inside a message become '|'), and
# closes every file descriptor passed with a message (systemd-notify's BARRIER=1 waits for that).
import array
import os
import socket
import sys

path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print("bound", flush=True)
while True:
    msg, anc, _flags, _addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
            for fd in fds:
                os.close(fd)
    print(msg.decode("utf-8", "replace").replace("\n", "|"), flush=True)
