"""An HTTP proxy that holds requests for a while: a slow Stripe, on demand.

It forwards every request to `upstream` unchanged; while `delay` is set, requests whose
path starts with `slow_prefix` wait that long first. `in_flight` counts requests being
held, so a test can tell that a caller is still waiting on the "slow" service.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


class SlowProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.delay = 0.0
        self.slow_prefix = "/v1/"
        self.in_flight = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if proxy.delay and self.path.startswith(proxy.slow_prefix):
                    with proxy._lock:
                        proxy.in_flight += 1
                    try:
                        time.sleep(proxy.delay)
                    finally:
                        with proxy._lock:
                            proxy.in_flight -= 1
                request = urllib.request.Request(
                    proxy.upstream + self.path,
                    data=body if self.command != "GET" else None,
                    method=self.command,
                    headers={
                        k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS
                    },
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as answer:
                        status, headers, payload = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as error:
                    status, headers, payload = error.code, error.headers, error.read()
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in _HOP_HEADERS:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _forward  # noqa: N815 - http.server's names

            def log_message(self, *args) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SlowProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.delay = 0.0
        self._server.shutdown()
        self._server.server_close()
