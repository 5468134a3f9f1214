#!/usr/bin/env python3
"""tests/reliability/fcgi_request.py: one FastCGI request straight to a
worker's socket, with SIGTERM sent to the worker at a chosen moment; then
how long the worker took to end.
  fcgi_request.py SOCKET PID idle|inflight
idle:      a whole GET, then SIGTERM at once (the worker is going back to
           accept or epoll_wait).
inflight:  a POST whose 3-byte body is held back; SIGTERM while the worker
           waits for it; then the body is sent and the answer read.
Prints "status=STATUS gone_ms=N" (gone_ms: -1 when still there after 2 s;
a zombie counts as gone)."""
import os
import signal
import socket
import struct
import sys
import time


def record(kind, content):
    return struct.pack("!BBHHBx", 1, kind, 1, len(content), 0) + content


def pair(k, v):
    k, v = k.encode(), v.encode()
    assert len(k) < 128 and len(v) < 128
    return bytes([len(k), len(v)]) + k + v


def gone(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:		# gone while being read
        return True


def answer(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    out, i = b"", 0
    while i + 8 <= len(data):
        _, kind, _, n, pad = struct.unpack("!BBHHBx", data[i:i + 8])
        if kind == 6:
            out += data[i + 8:i + 8 + n]
        if kind == 3:
            head = out.split(b"\r\n", 1)[0].decode("latin-1")
            return head.split(" ")[1] if head.startswith("Status:") else "200"
        i += 8 + n + pad
    return "none"


def main():
    path, pid, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    method = "POST" if mode == "inflight" else "GET"
    env = [("REQUEST_METHOD", method), ("DOCUMENT_URI", "/admin/login"),
           ("REQUEST_URI", "/admin/login"), ("QUERY_STRING", ""),
           ("HTTP_HOST", "127.0.0.1"), ("REMOTE_ADDR", "127.0.0.1"),
           ("SERVER_NAME", "127.0.0.1")]
    if method == "POST":
        env += [("CONTENT_TYPE", "application/x-www-form-urlencoded"),
                ("CONTENT_LENGTH", "3")]
    params = b"".join(pair(k, v) for k, v in env)
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall(record(1, struct.pack("!HB5x", 1, 0)) + record(4, params) +
              record(4, b""))
    if mode == "inflight":
        time.sleep(0.2)
        os.kill(pid, signal.SIGTERM)
        time.sleep(0.2)
        s.sendall(record(5, b"a=b") + record(5, b""))
    else:
        s.sendall(record(5, b""))
    status = answer(s)
    s.close()
    if mode == "idle":
        os.kill(pid, signal.SIGTERM)
    t0 = time.time()
    while not gone(pid) and time.time() - t0 < 2:
        time.sleep(0.01)
    print("status=%s gone_ms=%d" % (status, (time.time() - t0) * 1000
                                    if gone(pid) else -1))


main()
