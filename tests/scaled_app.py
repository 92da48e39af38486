"""`make run-scaled` inside the test run: the supervisor of heyon_app.devtools.services
with its backend workers (`python -m heyon_app.serve`) behind the balancer, on the run's
PostgreSQL and Redis, starting again a worker that dies as it does for an operator.

    python -m tests.scaled_app --app-port P --backends N --first-backend-port Q

It is `make run-scaled` less its local services (the run has its own mail sink and local
Stripe) and its jobs worker (reconciliation would settle an order whose webhook was lost,
hiding the loss). The workers serve the frontend the browser harness already built
(building it again takes 1-2 minutes), copied with the balancer as its backend: the one
thing `make run-scaled`'s own export (REFLEX_API_URL=the balancer) would change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil

from heyon_app.devtools.services import Supervisor, port_is_free, scaled_children
from tests.concurrency import wait_for
from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent
# A worker imports the whole app at start (the supervisor allows it 120 s).
START_SECONDS = 120.0
_STOP_SECONDS = 30.0


def frontend_for(built_web: Path, target: Path, api_url: str) -> Path:
    """A web dir (REFLEX_WEB_WORKDIR) with a copy of `built_web`'s compiled frontend whose
    backend address is `api_url`. The address is a literal in the bundle (env.json is
    imported at build time); its precompressed copies are dropped, the plain file serves."""
    env = json.loads((built_web / "env.json").read_text())
    old = ("://" + urlsplit(env["PING"]).netloc).encode()
    new = ("://" + urlsplit(api_url).netloc).encode()
    client = target / "build" / "client"
    shutil.copytree(built_web / "build" / "client", client)
    rewritten = 0
    for path in client.rglob("*"):
        if not path.is_file() or path.suffix in (".gz", ".br"):
            continue
        data = path.read_bytes()
        if old in data:
            path.write_bytes(data.replace(old, new))
            for packed in (".gz", ".br"):
                path.with_name(path.name + packed).unlink(missing_ok=True)
            rewritten += 1
    if not rewritten:
        raise RuntimeError(f"the built frontend in {built_web} never names {old.decode()}")
    return target


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free ports (scaled_children numbers them so)."""
    while True:
        first = free_port()
        if all(port_is_free(first + i) for i in range(count)):
            return first


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/ping", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


class ScaledApp:
    """The supervisor process and what it runs; `url` is the balancer's (the app's) address."""

    def __init__(self, workdir: Path, *, built_web: Path, backends: int = 2) -> None:
        self.workdir = workdir
        self.built_web = built_web
        self.first_backend_port = _free_ports(backends)
        self.backends = backends
        self.port = free_port()
        while self.first_backend_port <= self.port < self.first_backend_port + backends:
            self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "supervisor.log"
        self.proc: subprocess.Popen | None = None

    def backend_port(self, number: int) -> int:
        """Backend `number` (1-based, as the supervisor names them)."""
        return self.first_backend_port + number - 1

    def start(self) -> None:
        web = frontend_for(self.built_web, self.workdir / "web", self.url)
        env = dict(
            os.environ,
            REFLEX_WEB_WORKDIR=str(web),
            REFLEX_API_URL=self.url,
            # Each worker registers the local Stripe's webhook at start: at the balancer.
            STRIPE_WEBHOOK_BASE_URL=self.url,
        )
        # fmt: off
        argv = [
            sys.executable, "-m", "tests.scaled_app",
            "--app-port", str(self.port),
            "--backends", str(self.backends),
            "--first-backend-port", str(self.first_backend_port),
        ]
        # fmt: on
        with self.log.open("ab") as out:
            proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0
            )
        self.proc = proc
        ports = [self.port] + [self.backend_port(n) for n in range(1, self.backends + 1)]
        wait_for(
            lambda: proc.poll() is not None or all(_answers(p) for p in ports),
            timeout=START_SECONDS * self.backends,
            every=0.2,
        )
        if proc.poll() is not None or not all(_answers(p) for p in ports):
            self.stop()
            raise RuntimeError(f"the scaled-out app did not start; see {self.log}")

    def worker(self, number: int) -> psutil.Process | None:
        """Backend `number`'s process as the supervisor started it (its latest start)."""
        assert self.proc is not None
        port = str(self.backend_port(number))
        for child in psutil.Process(self.proc.pid).children():
            try:
                argv = child.cmdline()
            except psutil.NoSuchProcess:
                continue
            if "heyon_app.serve" in argv and argv[argv.index("--port") + 1] == port:
                return child
        return None

    def kill_worker(self, number: int) -> int:
        """kill -9 backend `number`, as an operator or the OOM killer would; its pid. Returns
        once nothing of it serves any more (the supervisor stops what it had forked)."""
        process = self.worker(number)
        assert process is not None, f"backend {number} is not running"
        tree = [process, *process.children(recursive=True)]
        process.kill()
        _, alive = psutil.wait_procs(tree, timeout=_STOP_SECONDS)
        assert not alive, f"backend {number} is still running: {alive}"
        return process.pid

    def serving_again(self, number: int, killed_pid: int) -> bool:
        """Started again by the supervisor (another pid) and answering on its port."""
        process = self.worker(number)
        return (
            process is not None
            and process.pid != killed_pid
            and _answers(self.backend_port(number))
        )

    def stop(self) -> None:
        """The supervisor stops its children on SIGTERM; anything left is killed."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.scaled_app")
    parser.add_argument("--app-port", type=int, required=True)
    parser.add_argument("--backends", type=int, required=True)
    parser.add_argument("--first-backend-port", type=int, required=True)
    args = parser.parse_args(argv)
    children = scaled_children(args.app_port, args.backends, args.first_backend_port)
    return Supervisor(children).run()


if __name__ == "__main__":
    sys.exit(main())
