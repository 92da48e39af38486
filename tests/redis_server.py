"""A redis-server of the test run's own on a spare loopback port, never the shared one.

The Redis fault test restarts it under the running app; with no persistence a restart
loses every stored tab state, which is the fault the test is about.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

# Reflex's Redis state manager waits on lock keys through keyspace notifications; set at
# start so a restarted server has them before the app reconnects.
_NOTIFY_EVENTS = "K$gx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.log = workdir / f"redis-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(
                "redis-server is needed for HEYON_TEST_BACKEND=pg-redis (apt-get install "
                "redis-server); .ci/run starts the shared one, the tests start their own"
            )
        self.proc = subprocess.Popen(
            [
                binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--notify-keyspace-events", _NOTIFY_EVENTS,
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self._answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start on {self.port}; see {self.log}")
            time.sleep(0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def restart(self) -> None:
        """Down and up again on the same port, empty (nothing was persisted)."""
        self.stop()
        self.start()
