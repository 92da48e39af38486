"""`make run`'s supervisor: the mail sink, the local Stripe and the app start and stop
together, and a port held by something else stops the start with the port named.

A tiny HTTP server stands in for the Reflex app (the app command is injectable)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.concurrency import wait_for
from tests.conftest import ROOT, _free_port


def _env(tmp_path: Path, mail: int, stripe: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "STRIPE_SECRET_KEY"}
    env.update(
        HEYON_VAR_DIR=str(tmp_path / "var"),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mail),
        STRIPE_API_BASE=f"http://127.0.0.1:{stripe}",
        # The worker's database: its own, never the test run's shared one.
        DB_URL=f"sqlite:///{tmp_path / 'run.db'}",
        REFLEX_DB_URL=f"sqlite:///{tmp_path / 'run.db'}",
    )
    return env


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Run:
    """One `make run`: the supervisor in its own process group, as a terminal starts it."""

    def __init__(self, tmp_path: Path, app: list[str] | None = None) -> None:
        self.mail, self.stripe, self.app = _free_port(), _free_port(), _free_port()
        self.tmp_path = tmp_path
        self.app_argv = app or [
            sys.executable,
            *("-m", "http.server", str(self.app), "--bind", "127.0.0.1"),
        ]
        self.proc: subprocess.Popen | None = None

    def start(self, env: dict[str, str] | None = None) -> subprocess.Popen:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                *("-m", "heyon_app.devtools.services", "--app-port", str(self.app), "--"),
                *self.app_argv,
            ],
            cwd=ROOT,
            env=env or _env(self.tmp_path, self.mail, self.stripe),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        return self.proc

    @property
    def ports(self) -> list[int]:
        return [self.mail, self.stripe, self.app]

    def worker_up(self) -> bool:
        """The jobs worker has started (it has no port to answer on)."""
        return any("heyon_app.jobs" in " ".join(c.cmdline()) for c in self.family())

    def all_up(self) -> bool:
        return all(_listening(p) for p in self.ports) and self.worker_up()

    def family(self) -> list[psutil.Process]:
        assert self.proc is not None
        return psutil.Process(self.proc.pid).children(recursive=True)


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[list[Run]]:
    started: list[Run] = []
    yield started
    for run in started:  # never leave a process behind, whatever the test did
        if run.proc and run.proc.poll() is None:
            os.killpg(run.proc.pid, signal.SIGKILL)
            run.proc.wait()


def _gone(procs: list[psutil.Process]) -> bool:
    return not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in procs)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm-to-supervisor"])
def test_services_run_and_stop_with_make_run(tmp_path, runs, how):
    run = Run(tmp_path)
    runs.append(run)
    proc = run.start()
    assert wait_for(run.all_up, timeout=30), (
        proc.stderr.read() if proc.poll() is not None else "not up"
    )
    children = run.family()
    assert len(children) == 4  # services, app, worker

    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    else:
        proc.send_signal(signal.SIGTERM)  # the supervisor alone: it must stop its children
    assert proc.wait(timeout=30) == 0
    assert wait_for(lambda: _gone(children), timeout=10)
    assert not any(_listening(p) for p in run.ports)


def test_second_run_names_the_held_port_instead_of_reusing_it(tmp_path, runs):
    first = Run(tmp_path)
    runs.append(first)
    first.start()
    assert wait_for(first.all_up, timeout=30)

    second = Run(tmp_path)
    runs.append(second)
    # Same mail and Stripe ports as the first checkout (the defaults 8025 and 8420 would be).
    second_proc = second.start(_env(tmp_path, first.mail, first.stripe))
    _, err = second_proc.communicate(timeout=30)
    assert second_proc.returncode == 2
    mail, stripe = err.splitlines()
    # The held port, who holds it (the first run's child) and what to do.
    assert mail.startswith(f"port {first.mail} (mail sink) is in use by another process (pid ")
    assert "heyon_app.devtools.mail_sink" in mail and mail.endswith("set SMTP_PORT to a free port")
    assert stripe.startswith(f"port {first.stripe} (local Stripe) is in use by another process")
    assert "heyon_app.devtools.local_stripe" in stripe
    assert stripe.endswith("set STRIPE_API_BASE=http://127.0.0.1:<free port>")
    assert not _listening(second.app)  # nothing of the second run was started
    assert first.proc is not None and first.proc.poll() is None  # the first one is untouched


def test_held_app_port_is_named(tmp_path, runs):
    run = Run(tmp_path)
    runs.append(run)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", run.app))
        holder.listen()
        proc = run.start()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert err.startswith(f"port {run.app} (app) is in use by another process (pid {os.getpid()}:")
    assert err.rstrip().endswith("stop it, or run with PORT=<free port>")
    assert not _listening(run.mail) and not _listening(run.stripe)


# An app that ends with exit code 3 when told to (the file appears), not after a fixed
# time: on a slow machine a timed one ended before the test had seen everyone start.
_APP_THAT_ENDS_WHEN_TOLD = """
import pathlib, sys, time
told = pathlib.Path(sys.argv[1])
while not told.exists():
    time.sleep(0.05)
sys.exit(3)
"""


def test_when_the_app_ends_the_services_stop_too(tmp_path, runs):
    end_now = tmp_path / "end-now"
    run = Run(tmp_path, app=[sys.executable, "-c", _APP_THAT_ENDS_WHEN_TOLD, str(end_now)])
    runs.append(run)
    proc = run.start()
    # The stand-in app listens on no port.
    assert wait_for(
        lambda: _listening(run.mail) and _listening(run.stripe) and run.worker_up(), timeout=30
    )
    children = run.family()
    assert len(children) == 4  # services, app, worker
    end_now.touch()
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 3
    assert "app ended (exit code 3); stopping the others" in out
    assert wait_for(lambda: _gone(children), timeout=10)
    assert not _listening(run.mail) and not _listening(run.stripe)
