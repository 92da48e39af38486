"""A tiny SMS gateway on 127.0.0.1 for tests: records each request, answers as told."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from heyon_app.services import sms
from heyon_app.settings import settings

TOKEN = "tok_secret_3f9a1c7e"  # a test value, asserted never to leak


@dataclasses.dataclass
class Received:
    path: str
    authorization: str
    content_type: str
    body: dict
    status: int


class Gateway:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        # Statuses for the next requests, in order; 200 once they run out.
        self.answers: list[int] = []
        # While cleared, the gateway holds every request unanswered (a hung gateway).
        self.answering = threading.Event()
        self.answering.set()
        self.url = ""

    def accepted(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.status < 300]


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's hook
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = gateway.answers.pop(0) if gateway.answers else 200
            gateway.requests.append(
                Received(
                    path=self.path,
                    authorization=self.headers.get("Authorization", ""),
                    content_type=self.headers.get("Content-Type", ""),
                    body=json.loads(raw or b"{}"),
                    status=status,
                )
            )
            gateway.answering.wait()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": "msg_1"}' if status < 300 else b'{"error": "refused"}')

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running(monkeypatch, *, timeout: float = 10.0) -> Iterator[Gateway]:
    """A gateway on a free port, with the app's settings pointing at it (provider "http")."""
    gateway = Gateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/v1/messages"
    monkeypatch.setattr(
        sms,
        "settings",
        dataclasses.replace(
            settings,
            sms_provider="http",
            sms_http_url=gateway.url,
            sms_http_token=TOKEN,
            sms_http_sender="Heyon",
            sms_http_timeout=timeout,
        ),
    )
    try:
        yield gateway
    finally:
        gateway.answering.set()  # let a held request finish so the server can stop
        server.shutdown()
        server.server_close()
