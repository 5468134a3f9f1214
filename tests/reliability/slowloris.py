#!/usr/bin/env python3
"""tests/reliability/slowloris.py: hold N idle connections to HOST:PORT
from SOURCE, each with half a request header, then answer how long
another address takes to be served.
  slowloris.py HOST PORT SOURCE N URL
Opens the N connections from SOURCE (bound with source_address), sends
each the start of a request and never the end, then times a GET of URL
(from 127.0.0.1, by urllib) while they are held. Prints
"held=H served=STATUS ms=T" (STATUS "refused" when the connection
was closed or timed out after 10 s)."""
import resource
import socket
import sys
import time
import urllib.error
import urllib.request

host, port, source, n, url = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4]), sys.argv[5]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 256), hard))
held = []
for _ in range(n):
    try:
        s = socket.create_connection((host, port), timeout=5,
                                     source_address=(source, 0))
        s.sendall(b"GET / HTTP/1.1\r\nHost: " + host.encode() + b"\r\n")
        held.append(s)
    except OSError:
        break
time.sleep(0.5)
t0 = time.time()
try:
    status = urllib.request.urlopen(url, timeout=10).status
except urllib.error.HTTPError as e:
    status = e.code
except OSError:
    status = "refused"
ms = int((time.time() - t0) * 1000)
print("held=%d served=%s ms=%d" % (len(held), status, ms))
