"""What the benches share: a throwaway database with customers, a served Reflex app, and
the process tree's CPU and memory. Not a bench itself (`make bench` skips `_*.py`)."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TOOLS = f"{ROOT / '.tools/node_modules/.bin'}:{ROOT / '.venv/bin'}"


def tool_env(**extra: str) -> dict[str, str]:
    """The environment `make` gives Reflex: bun from the npm registry, no telemetry."""
    env = dict(os.environ, REFLEX_USE_SYSTEM_BUN="1", TELEMETRY_ENABLED="false")
    env["PATH"] = f"{_TOOLS}:{env.get('PATH', '')}"
    env.update(extra)
    return env


def use_scratch_database() -> Path:
    """Point heyon_app at a fresh SQLite file; call before anything imports heyon_app."""
    scratch = Path(tempfile.mkdtemp(prefix="heyon-bench-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    if not os.environ.get("HEYON_BENCH_DB_URL"):
        os.environ["DB_URL"] = f"sqlite:///{scratch / 'bench.db'}"
    else:
        # The scaled mode's hook: a PostgreSQL database the caller has emptied for the run.
        os.environ["DB_URL"] = os.environ["HEYON_BENCH_DB_URL"]
    os.environ["HEYON_VAR_DIR"] = str(scratch)
    return scratch


def prepare_database() -> None:
    from heyon_app import db, seed

    db.migrate()
    with db.session_scope() as session:
        seed.seed_catalogue(session)


def customer(
    *,
    lines: int,
    days: int,
    daily_mb: int,
    tag: str,
    package: str = "DATA_M",
    roaming_mb: int = 0,
    monthly_orders: int = 0,
) -> str:
    """A customer with `lines` lines of `package` and `days` days of usage on each (and
    `monthly_orders` paid orders of it per line); their session token (what the browser
    keeps after a login)."""
    from sqlmodel import select

    from heyon_app import clock, db
    from heyon_app.models import EsimLine, Order, Package, UsageRecord, User
    from heyon_app.services import accounts

    with db.session_scope() as session:
        bought = session.exec(select(Package).where(Package.code == package)).one()
        user = User(email=f"bench-{tag}@example.com", phone=f"+86139{tag:0>8}", password_hash="x")
        session.add(user)
        session.flush()
        today = clock.local_today()
        for n in range(lines):
            line = EsimLine(
                user_id=user.id,
                number=f"+8617{tag:0>5}{n:04d}",
                iccid=f"8986{tag:0>11}{n:04d}",
                status="active",
                activation_code=f"LPA:1$smdp.heyon.local${tag}-{n}",
                package_id=bought.id,
                valid_until=clock.now() + timedelta(days=12),
            )
            session.add(line)
            session.flush()
            session.add_all(
                UsageRecord(
                    line_id=line.id,
                    day=today - timedelta(days=day),
                    data_mb=daily_mb,
                    minutes=3,
                    roaming_mb=roaming_mb,
                )
                for day in range(1, days + 1)
            )
            session.add_all(
                Order(
                    user_id=user.id,
                    line_id=line.id,
                    package_id=bought.id,
                    status="fulfilled",
                    list_price_minor=bought.price_minor,
                    amount_minor=bought.price_minor,
                    currency=bought.currency,
                    payment_method="card",
                    idempotency_key=f"bench-{tag}-{n}-{k}",
                    created_at=clock.now() - timedelta(days=30 * (k + 1)),
                )
                for k in range(monthly_orders)
            )
        return accounts.open_session(session, user)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def served(
    root: Path, *, port: int, backend_only: bool = False, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """`reflex run --env prod` in `root`: the built frontend and the backend on one port
    (or the backend alone), until the block ends. Its output goes to a log in /tmp."""
    mode = (
        ["--backend-only", "--backend-port", str(port)]
        if backend_only
        else ["--single-port", "--frontend-port", str(port), "--backend-port", str(port)]
    )
    log = open(tempfile.mkstemp(prefix="heyon-bench-server-", suffix=".log")[1], "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", *mode],
        cwd=root,
        env=env or tool_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        while not _answers(f"http://127.0.0.1:{port}/ping"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start; see {log.name}")
            time.sleep(0.5)
        if not backend_only:
            while not _answers(f"http://127.0.0.1:{port}/"):
                time.sleep(0.5)
        yield process
    finally:
        # The server's own process group: reflex, granian and its workers, nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def blank_app(folder: Path, source: str = "") -> Path:
    """A blank Reflex app, as `reflex init --template blank` makes it (works offline, see
    ../shared/NOTES.md); with `source`, its app module replaced by that code."""
    app = folder / "blank"
    app.mkdir()
    subprocess.run(
        [str(ROOT / ".venv/bin/reflex"), "init", "--template", "blank"],
        cwd=app,
        env=tool_env(),
        check=True,
        capture_output=True,
    )
    if source:
        (app / "blank" / "blank.py").write_text(source)
    return app


def process_tree(pid: int):
    import psutil

    parent = psutil.Process(pid)
    return [parent, *parent.children(recursive=True)]


def tree_usage(pid: int) -> tuple[float, int]:
    """CPU seconds used so far and resident bytes now, over the server's process tree."""
    cpu, rss = 0.0, 0
    for proc in process_tree(pid):
        try:
            times = proc.cpu_times()
            cpu += times.user + times.system
            rss += proc.memory_info().rss
        except Exception:  # noqa: BLE001 - a process that ended meanwhile counts nothing
            continue
    return cpu, rss


# The database servers the scaled mode runs beside its workers, by process name.
DATA_SERVICES = ("postgres", "redis-server")


def machine_usage() -> tuple[float, float]:
    """CPU seconds the whole machine (every core) has been busy so far, and those of its
    PostgreSQL and Redis processes: what shares the cores with the server under test."""
    import psutil

    times = psutil.cpu_times()
    busy = sum(
        getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal")
    )
    services = 0.0
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] not in DATA_SERVICES:
            continue
        try:
            used = proc.cpu_times()
            services += used.user + used.system
        except Exception:  # noqa: BLE001 - a process that ended meanwhile counts nothing
            continue
    return busy, services
