"""`make run`'s process supervisor: the local SMTP sink, the local Stripe server, the app
and the worker (reminders, reconciliation, outbox) start together and stop together.

    python -m heyon_app.devtools.services [--app-port PORT] -- APP COMMAND...
    python -m heyon_app.devtools.services --app-port PORT --backends N   (make run-scaled)

The services used to be left running in their own sessions: after Ctrl-C they lived on,
and a second checkout's `make run` silently reused them (its webhooks then went to the
first checkout). Now every child is in `make run`'s process group (Ctrl-C reaches them
all), dies with this supervisor, and when any child ends the others are stopped. A port
that something else holds stops the start with a message naming the port.

Scaled out (`--backends N`, on PostgreSQL and Redis): N backend workers, each a process of
its own serving the compiled frontend and the events, behind the round-robin balancer on
the app port. A worker that ends is started again (the others serve its tabs meanwhile);
one that ends again within seconds of its start stops everything, as any other child does.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import psutil  # the local extra

from heyon_app.settings import VAR_DIR, settings

EXIT_PORT_BUSY = 2
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_STOP_GRACE_SECONDS = 10.0
_READY_TIMEOUT_SECONDS = 30.0
_BACKEND_READY_TIMEOUT_SECONDS = 120.0  # a backend worker imports and compiles the app


@dataclass(frozen=True)
class Child:
    name: str
    argv: list[str]
    port: int | None
    hint: str  # what to do when the port is taken
    log: str = ""  # file under var/ for its output; "" = this terminal
    restart: bool = False  # started again when it ends (the scaled-out backend workers)
    ready_seconds: float = _READY_TIMEOUT_SECONDS


# The worker listens on no port; it runs its passes until the supervisor stops it.
WORKER = Child("worker", [sys.executable, "-m", "heyon_app.jobs", "run"], None, "", "worker.log")


def local_services() -> list[Child]:
    """The stand-ins the settings point at; none for a real mail server or live Stripe."""
    children = []
    if settings.smtp_host in _LOOPBACK:
        children.append(
            Child(
                "mail sink",
                [sys.executable, "-m", "heyon_app.devtools.mail_sink"],
                settings.smtp_port,
                "stop it, or set SMTP_PORT to a free port",
                "mail.log",
            )
        )
    if settings.stripe_mode == "local":
        children.append(
            Child(
                "local Stripe",
                [sys.executable, "-m", "heyon_app.devtools.local_stripe"],
                urlsplit(settings.stripe_api_base).port or 8420,
                "stop it, or set STRIPE_API_BASE=http://127.0.0.1:<free port>",
                "stripe.log",
            )
        )
    return children


def scaled_children(app_port: int, backends: int, first_backend_port: int) -> list[Child]:
    """N backend workers (separate processes, Reflex's Redis state manager shares the tabs'
    state between them) and the balancer in front of them on the app port."""
    ports = [first_backend_port + i for i in range(backends)]
    # Each its own process (heyon_app.serve: the app's events and the
    # frontend compiled once by `make run-scaled`): one worker ending leaves the others up.
    worker = [sys.executable, "-m", "heyon_app.serve"]
    workers = [
        Child(
            f"backend {i + 1}",
            worker,
            port,
            "stop it, or set SCALED_FIRST_BACKEND_PORT to a free range",
            f"backend-{i + 1}.log",
            restart=True,
            ready_seconds=_BACKEND_READY_TIMEOUT_SECONDS,
        )
        for i, port in enumerate(ports)
    ]
    balancer = Child(
        "balancer",
        [sys.executable, "-m", "heyon_app.devtools.balancer"]
        + [arg for port in ports for arg in ("--backend", str(port))],
        app_port,
        "stop it, or run with PORT=<free port>",
        "balancer.log",
    )
    return [*workers, balancer]


def port_is_free(port: int) -> bool:
    """Whether this machine's loopback port can be bound (any listener on it, on any
    address, makes the bind fail; a closing connection in TIME_WAIT does not)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _holder(port: int) -> str:
    """Which process listens on the port, when this user may know (e.g. a forgotten run)."""
    with contextlib.suppress(psutil.Error, OSError):
        for conn in psutil.net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
                command = " ".join(psutil.Process(conn.pid).cmdline())
                return f" (pid {conn.pid}: {command[:80]})"
    return ""


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the supervisor itself is killed (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class Supervisor:
    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.procs: dict[str, subprocess.Popen] = {}
        self.ready: set[str] = set()  # restartable children seen listening since their start
        self.stopping = False

    def busy_ports(self) -> list[str]:
        return [
            f"port {c.port} ({c.name}) is in use by another process{_holder(c.port)}: {c.hint}"
            for c in self.children
            if c.port is not None and not port_is_free(c.port)
        ]

    def _start(self, child: Child) -> subprocess.Popen:
        argv = list(child.argv)
        if child.log:
            # The services take --port; the app command is given complete.
            if child.port is not None:
                argv += ["--port", str(child.port)]
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            out = open(VAR_DIR / child.log, "ab")  # noqa: SIM115 - handed to the child
        else:
            out = None
        proc = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            preexec_fn=_die_with_parent,
            # A group of its own: what a killed worker forked (granian's server process) is
            # found and stopped with it, rather than living on, orphaned, on its port.
            process_group=0 if child.restart else None,
        )
        self.ready.discard(child.name)
        if out:
            out.close()
        where = f", port {child.port}" if child.port is not None else ""
        print(f"{child.name}: pid {proc.pid}{where}", flush=True)
        return proc

    def _wait_ready(self, child: Child) -> str | None:
        """An error text if the child ends or never listens."""
        deadline = time.monotonic() + child.ready_seconds
        while not self.stopping:
            if self.procs[child.name].poll() is not None:
                return f"{child.name} ended at start; see {VAR_DIR / child.log}"
            if _listening(child.port):  # type: ignore[arg-type]
                return None
            if time.monotonic() > deadline:
                return f"{child.name} is not listening on {child.port}; see {VAR_DIR / child.log}"
            time.sleep(0.1)
        return None

    def _on_signal(self, signum, _frame) -> None:
        self.stopping = True

    def run(self) -> int:
        busy = self.busy_ports()
        if busy:
            for line in busy:
                print(line, file=sys.stderr)
            return EXIT_PORT_BUSY
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        code = 0
        try:
            for child in self.children:
                self.procs[child.name] = self._start(child)
                # The app registers its webhook with the local Stripe at start: services first.
                error = self._wait_ready(child) if child.log and child.port else None
                if error:
                    print(error, file=sys.stderr)
                    return 1
                if self.stopping:
                    break
            by_name = {child.name: child for child in self.children}
            while not self.stopping:
                self._note_ready(by_name)
                for name, proc in self.procs.items():
                    if (
                        proc.poll() is not None
                        and not self.stopping
                        and self._restarted(by_name[name], proc)
                    ):
                        break
                    if proc.poll() is not None and not self.stopping:
                        print(f"{name} ended (exit code {proc.returncode}); stopping the others")
                        code = proc.returncode or 1
                        self.stopping = True
                        break
                else:
                    time.sleep(0.2)
        finally:
            self.stop_all()
        return code

    def _note_ready(self, by_name: dict[str, Child]) -> None:
        for name in self.procs.keys() - self.ready:
            child = by_name[name]
            if child.restart and child.port is not None and _listening(child.port):
                self.ready.add(name)

    def _restarted(self, child: Child, proc: subprocess.Popen) -> bool:
        """Start a restartable child again, unless it ended before it ever listened (a
        broken start would only end again)."""
        if not child.restart or child.name not in self.ready:
            return False
        print(f"{child.name} ended (exit code {proc.returncode}); starting it again", flush=True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        self.procs[child.name] = self._start(child)
        return True

    def stop_all(self) -> None:
        """SIGTERM to every child and what it started (reflex runs its server as a child),
        SIGKILL to whatever is still there after the grace period."""
        tree: list[psutil.Process] = []
        for proc in self.procs.values():
            with contextlib.suppress(psutil.Error):
                parent = psutil.Process(proc.pid)
                tree += [parent, *parent.children(recursive=True)]
        for child in self.children:
            if child.restart and child.name in self.procs:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.procs[child.name].pid, signal.SIGTERM)
        for member in tree:
            with contextlib.suppress(psutil.Error):
                member.terminate()
        _, alive = psutil.wait_procs(tree, timeout=_STOP_GRACE_SECONDS)
        for member in alive:
            with contextlib.suppress(psutil.Error):
                member.kill()
        psutil.wait_procs(alive, timeout=5)
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=1)  # reap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heyon_app.devtools.services")
    parser.add_argument("--app-port", type=int, help="the port the app command listens on")
    parser.add_argument(
        "--backends", type=int, default=0, help="scaled out: this many backend workers"
    )
    parser.add_argument("--first-backend-port", type=int, default=8101)
    parser.add_argument("app", nargs=argparse.REMAINDER, help="-- then the app command")
    args = parser.parse_args(argv)
    app = args.app[1:] if args.app[:1] == ["--"] else args.app
    children = local_services()
    if args.backends:
        children += scaled_children(args.app_port, args.backends, args.first_backend_port)
    elif app:
        children.append(Child("app", app, args.app_port, "stop it, or run with PORT=<free port>"))
    children.append(WORKER)
    return Supervisor(children).run()


if __name__ == "__main__":
    sys.exit(main())
