"""An HTTP proxy that holds requests: a slow Stripe, on demand.

It forwards every request to `upstream` unchanged; requests whose path starts with
`slow_prefix` wait first, `delay` seconds while it is set, or inside a `holding()` block
until the block ends. `in_flight` counts requests being held, so a test can tell that a
caller is still waiting on the "slow" service.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A held request is let go after this long anyway: well inside the app's own timeouts for
# Stripe and SMTP, so a test that fails while holding does not turn into a timeout.
HOLD_LIMIT_SECONDS = 10.0


class Gate:
    """Where a stand-in service holds what it was sent: open, unless inside `holding()`."""

    def __init__(self) -> None:
        self._open = threading.Event()
        self._open.set()

    @property
    def closed(self) -> bool:
        return not self._open.is_set()

    def wait(self) -> None:
        """Until the gate opens, at most HOLD_LIMIT_SECONDS."""
        self._open.wait(HOLD_LIMIT_SECONDS)

    @contextmanager
    def holding(self) -> Iterator[None]:
        self._open.clear()
        try:
            yield
        finally:
            self._open.set()


_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


class SlowProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.delay = 0.0
        self.slow_prefix = "/v1/"
        self.in_flight = 0
        self._lock = threading.Lock()
        self._gate = Gate()
        # Requests wait until the block ends.
        self.holding = self._gate.holding
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                held = proxy.delay or proxy._gate.closed
                if held and self.path.startswith(proxy.slow_prefix):
                    with proxy._lock:
                        proxy.in_flight += 1
                    try:
                        if proxy.delay:
                            time.sleep(proxy.delay)
                        else:
                            proxy._gate.wait()
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
