"""Start or stop the local services `make run` needs, each once, in the background."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from heyon_app.settings import VAR_DIR

# name -> (module to run, port it listens on)
SERVICES = {
    "mail": ("heyon_app.devtools.mail_sink", 8025),
    "stripe": ("heyon_app.devtools.local_stripe", 8420),
}


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pid_file(name: str) -> Path:
    return VAR_DIR / f"{name}.pid"


def start() -> None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    for name, (module, port) in SERVICES.items():
        if _listening(port):
            print(f"{name}: already listening on {port}")
            continue
        log = open(VAR_DIR / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [sys.executable, "-m", module, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _pid_file(name).write_text(str(proc.pid))
        for _ in range(100):
            if _listening(port):
                break
            time.sleep(0.1)
        else:
            sys.exit(f"{name} did not start; see {VAR_DIR / (name + '.log')}")
        print(f"{name}: started on {port} (pid {proc.pid})")


def stop() -> None:
    for name in SERVICES:
        pid_file = _pid_file(name)
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            pid_file.unlink()


if __name__ == "__main__":
    {"start": start, "stop": stop}[sys.argv[1] if len(sys.argv) > 1 else "start"]()
