"""A recording upstream for bench/shapes: python3 upstream.py <port> <name> [ms to sleep before each write].

Answers every write with its JSON body (a POST without an id gets one), keeps each path's last body and the
sequence of their "n" fields, and tells them at GET /_last. TCP_NODELAY, and a listen backlog of 512: without
them its answers met the client's delayed ACK (40 ms each) and its connects timed out under load.
"""
import json, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
name = sys.argv[2]
WRITE_SLEEP = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0
last = {}
hist = {}
count = {"n": 0}
lock = threading.Lock()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def setup(self):
        super().setup()
        import socket
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def _answer(self, status, body):
        b = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def _write(self):
        if WRITE_SLEEP:
            time.sleep(WRITE_SLEEP)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            body = json.loads(raw) if raw else {}
        except Exception:
            body = {"raw": raw.decode("latin1")}
        with lock:
            count["n"] += 1
            last[self.path] = body
            hist.setdefault(self.path, []).append(body.get("n"))
        if self.command == "POST" and "id" not in body:
            body["id"] = name + "-" + str(count["n"])
        self._answer(201 if self.command == "POST" else 200, body)
    do_POST = do_PUT = do_PATCH = do_DELETE = _write
    def do_GET(self):
        if self.path.startswith("/_last"):
            with lock:
                self._answer(200, {"count": count["n"], "last": last, "tail": {k: v[-12:] for k, v in hist.items()}})
            return
        self._answer(200, {"backend": name, "path": self.path})
class S(ThreadingHTTPServer):
    request_queue_size = 512
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
