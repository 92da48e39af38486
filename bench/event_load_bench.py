"""N simulated customers over Reflex's socket.io event protocol (issue 10, benchmark 2).

Each simulated customer is a browser tab of a logged-in customer (a session token in its
local storage, as after a login). Customers arrive at --arrivals per second; each connects
to `/_event` with the dashboard's hydrate riding in the CONNECT packet (what Reflex's
frontend sends; the dashboard's data asked for over HTTP beside it, as its page's <head>
does), then, with a think time between clicks, opens the renewal review and
goes back to the dashboard by in-app navigation (the frontend's `update_vars_internal` +
`on_load_internal` events), ROUNDS times. A round trip is from sending until the page's
`is_hydrated` comes back true (every on_load event of the page has run and its data was
received; the dashboard's loader also fills its auto-renew section).

Prints p50/p95/p99 per kind of page load, errors, page loads per second, the server's CPU
(share of one core, and ms per page load), its resident memory per connected customer,
the bench's own CPU (the simulated customers, on the same cores), PostgreSQL's and Redis's
CPU, and how busy the whole machine was (share of all its cores), for each N: where two
workers, their databases and the customers share the cores, the last says whether the
machine or the server was full.

    PYTHONPATH=. .venv/bin/python bench/event_load_bench.py [--users 50,200,500]
        [--rounds 3] [--think 1.0-3.0] [--arrivals 25] [--url http://host:port[,...]]

Without --url the bench serves the app itself: one backend process (`reflex run --env
prod --backend-only`) on a scratch SQLite file. With --url it drives an app someone else
runs (the 2-worker PostgreSQL + Redis mode, `make run-scaled`, once it exists) on the
database named by HEYON_BENCH_DB_URL, where it creates its customers; the CPU and memory
columns then need --server-pid (the process whose tree is measured). Several addresses,
comma-separated (each worker's own port), spread the customers over them in turn: the
workers as behind a reverse proxy that costs nothing, where the one address of
`make run-scaled` goes through its Python balancer.

With --floor the same customers drive a blank Reflex app instead (`reflex init --template
blank`, served the same way) given two pages whose on_load sets one var: the same events
per page load as Heyon's (hydrate or update_vars_internal + on_load_internal, the loader,
set_is_hydrated) with none of Heyon's work. What it serves is Reflex's own ceiling on
this machine, the floor under any app's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import _harness
from heyon_app import routes

STATE = "reflex___state____state"
APP = f"{STATE}.heyon_app___state___base____app_state"
TOKEN_VAR = f"{APP}.auth_token_rx_state_"
HYDRATE = f"{STATE}.hydrate_and_load"
UPDATE_VARS = f"{STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
ON_LOAD = f"{STATE}.reflex___state____on_load_internal_state.on_load_internal"

# The blank app of --floor: two pages, each on_load a handler that sets one var.
FLOOR_APP = """
import reflex as rx


class State(rx.State):
    visits: int = 0

    @rx.event
    def visit(self):
        self.visits += 1


def index():
    return rx.text(State.visits)


app = rx.App()
app.add_page(index, route="/", on_load=State.visit)
app.add_page(index, route="/renew", on_load=State.visit)
"""


def _router(path: str, query: dict[str, str] | None = None) -> dict:
    search = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    data = {"pathname": path, "asPath": path + (f"?{search}" if search else "")}
    if query:
        data["query"] = query
    return data


class Tab:
    """One browser tab of one customer, speaking the frontend's socket.io protocol."""

    def __init__(self, url: str, session_token: str | None, line_id: int | None) -> None:
        import socketio

        self.url = url
        # The floor's blank app keeps no session, and its dashboard has no card.
        self.vars = {TOKEN_VAR: session_token} if session_token else {}
        self.line_id = line_id
        self.client = socketio.AsyncClient(reconnection=False)
        self.hydrated = asyncio.Event()
        self.received = 0
        self.saw_card = False
        self.client.on("event", self._on_event, namespace="/_event")

    async def _on_event(self, update: dict) -> None:
        self.received += len(json.dumps(update))
        delta = update.get("delta") or {}
        self.saw_card = self.saw_card or any("card_rx_state_" in v for v in delta.values())
        if delta.get(STATE, {}).get("is_hydrated_rx_state_") is True:
            self.hydrated.set()

    async def _preload(self) -> None:
        """What the dashboard's <head> asks for over HTTP before its JavaScript runs
        (components/preload.py): the server's work on a cold load, beside the websocket's."""
        import aiohttp

        headers = {"Authorization": f"Bearer {self.vars[TOKEN_VAR]}"}
        async with (
            aiohttp.ClientSession() as http,
            http.get(self.url + routes.DASHBOARD_PRELOAD, headers=headers) as response,
        ):
            if response.status != 200:
                raise RuntimeError(f"the dashboard's preload answered {response.status}")
            await response.read()

    async def open_dashboard(self) -> float:
        """A cold page load of the dashboard: its HTTP preload, and beside it connect,
        hydrate, the page's on_load."""
        self.hydrated.clear()
        preload = asyncio.create_task(self._preload()) if self.vars else None
        auth = {
            "event": {
                "name": HYDRATE,
                "payload": {"vars": self.vars},
                "router_data": _router("/"),
            }
        }
        start = time.perf_counter()
        await self.client.connect(
            f"{self.url}?token={uuid.uuid4()}",
            socketio_path="_event",
            namespaces=["/_event"],
            transports=["websocket"],
            auth=auth,
            wait_timeout=60,
        )
        await asyncio.wait_for(self.hydrated.wait(), 60)
        if self.vars and not self.saw_card:
            raise RuntimeError("hydrated without the dashboard's card")
        took = time.perf_counter() - start
        if preload is not None:
            await preload
        return took

    async def navigate(self, path: str, query: dict[str, str] | None = None) -> float:
        """An in-app link to `path`: what the frontend sends when the route changes."""
        self.hydrated.clear()
        router = _router(path, query)
        start = time.perf_counter()
        for name, payload in (
            (UPDATE_VARS, {"vars": self.vars}),
            (ON_LOAD, {}),
        ):
            await self.client.emit(
                "event",
                {"name": name, "payload": payload, "router_data": router},
                namespace="/_event",
            )
        await asyncio.wait_for(self.hydrated.wait(), 60)
        return time.perf_counter() - start

    async def close(self) -> None:
        await self.client.disconnect()


async def _customer_run(
    tab: Tab, *, rounds: int, think: tuple[float, float], times: dict, errors: list, ready
) -> None:
    try:
        times["dashboard (cold: connect+hydrate)"].append(await tab.open_dashboard())
    except Exception as error:  # noqa: BLE001 - counted and reported, the run goes on
        errors.append(f"connect: {type(error).__name__}: {error}")
        ready.release()
        return
    ready.release()
    for _ in range(rounds):
        for kind, path, query in (
            (
                "renewal review (navigate)",
                "/renew",
                {"line": str(tab.line_id), "package": "DATA_PLUS_M"},
            ),
            ("dashboard (navigate)", "/", None),
        ):
            await asyncio.sleep(random.uniform(*think))
            try:
                times[kind].append(await tab.navigate(path, query))
            except Exception as error:  # noqa: BLE001
                errors.append(f"{kind}: {type(error).__name__}: {error}")


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


async def _run(
    urls: list[str], customers: list[tuple[str, int]], args, server_pid: int | None
) -> dict:
    times: dict[str, list[float]] = {
        "dashboard (cold: connect+hydrate)": [],
        "renewal review (navigate)": [],
        "dashboard (navigate)": [],
    }
    errors: list[str] = []
    tabs = [
        Tab(urls[i % len(urls)], token, line_id) for i, (token, line_id) in enumerate(customers)
    ]
    ready = asyncio.Semaphore(0)
    before = _harness.tree_usage(server_pid) if server_pid else (0.0, 0)
    machine_before = _harness.machine_usage()
    started, client_started = time.perf_counter(), time.process_time()
    runs = []
    for tab in tabs:
        runs.append(
            asyncio.create_task(
                _customer_run(
                    tab,
                    rounds=args.rounds,
                    think=args.think,
                    times=times,
                    errors=errors,
                    ready=ready,
                )
            )
        )
        # Customers arrive over a second or two, not in one instant.
        await asyncio.sleep(1 / args.arrivals)
    for _ in tabs:
        await ready.acquire()
    connected = _harness.tree_usage(server_pid) if server_pid else (0.0, 0)
    await asyncio.gather(*runs)
    wall = time.perf_counter() - started
    client_cpu = time.process_time() - client_started
    after = _harness.tree_usage(server_pid) if server_pid else (0.0, 0)
    machine_after = _harness.machine_usage()
    await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
    loads = sum(len(v) for v in times.values())
    return {
        "times": times,
        "errors": errors,
        "cpu_share": (after[0] - before[0]) / wall if server_pid else None,
        "cpu_ms_per_load": (after[0] - before[0]) * 1000 / max(loads, 1) if server_pid else None,
        "rss_per_user": (connected[1] - before[1]) / len(tabs) if server_pid else None,
        "rss": after[1],
        "loads_per_s": loads / wall,
        # The simulated customers share the machine's cores with the server: what they take
        # is not the server's to use.
        "client_share": client_cpu / wall,
        # The whole machine, every core: how full it was, and PostgreSQL's and Redis's part.
        "machine_share": (machine_after[0] - machine_before[0]) / wall / (os.cpu_count() or 1),
        "services_share": (machine_after[1] - machine_before[1]) / wall,
    }


def _customers(n: int, offset: int) -> list[tuple[str, int]]:
    from sqlmodel import select

    from heyon_app import db
    from heyon_app.models import EsimLine
    from heyon_app.services import accounts

    made = []
    for i in range(n):
        token = _harness.customer(lines=2, days=30, daily_mb=400, tag=str(offset + i))
        with db.session_scope() as session:
            user = accounts.user_for_token(session, token)
            line = session.exec(
                select(EsimLine.id).where(EsimLine.user_id == user.id).order_by(EsimLine.id)
            ).first()
        made.append((token, line))
    return made


def _table(results: list[tuple[int, dict]]) -> None:
    print(
        f"{'users':>5} {'page load':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'errors':>6} {'loads/s':>8} {'CPU %core':>9} {'CPU ms/load':>11} {'RSS KiB/user':>12}"
        f" {'client %core':>12} {'pg+redis %core':>14} {'machine %':>9}"
    )
    for n, result in results:
        for kind, values in result["times"].items():
            if not values:
                continue
            cpu = result["cpu_share"]
            print(
                f"{n:>5} {kind:34} {len(values):>5} {_pct(values, 0.5):8.0f} {_pct(values, 0.95):8.0f}"
                f" {_pct(values, 0.99):8.0f} {len(result['errors']):>6} {result['loads_per_s']:8.1f}"
                + (
                    f" {cpu * 100:9.0f} {result['cpu_ms_per_load']:11.1f}"
                    f" {result['rss_per_user'] / 1024:12.0f}"
                    if cpu is not None
                    else f" {'-':>9} {'-':>11} {'-':>12}"
                )
                + f" {result['client_share'] * 100:12.0f}"
                f" {result['services_share'] * 100:14.0f} {result['machine_share'] * 100:9.0f}"
            )
        for error in sorted(set(result["errors"]))[:5]:
            print(f"      error: {error[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="50,200,500")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--think",
        default="1.0-3.0",
        help="seconds between a customer's clicks, uniform in this range",
    )
    parser.add_argument(
        "--arrivals",
        type=float,
        default=25.0,
        help="customers arriving per second (a 500-customer run ramps up over 20 s)",
    )
    parser.add_argument(
        "--url",
        default="",
        help="an app already running (scaled mode); several addresses, comma-separated,"
        " take the customers in turn",
    )
    parser.add_argument("--server-pid", type=int, default=0, help="with --url: measure this tree")
    parser.add_argument("--floor", action="store_true", help="a blank Reflex app instead")
    args = parser.parse_args()
    args.think = tuple(float(x) for x in args.think.split("-"))
    counts = [int(n) for n in args.users.split(",")]

    if args.floor:
        customers = [(None, None)] * max(counts)
    else:
        _harness.use_scratch_database()
        _harness.prepare_database()
        # Every simulated customer has its own account, session and two lines; a database
        # kept from an earlier run (--url) already has customers, hence a fresh range of tags.
        customers = _customers(max(counts), offset=int(time.time()) % 10_000 * 1_000)
    results = []
    with contextlib.ExitStack() as stack:
        if args.url:
            urls, server_pid = args.url.split(","), args.server_pid or None
        else:
            root = _harness.ROOT
            if args.floor:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                root = _harness.blank_app(folder, FLOOR_APP)
            port = _harness.free_port()
            server = stack.enter_context(_harness.served(root, port=port, backend_only=True))
            urls, server_pid = [f"http://127.0.0.1:{port}"], server.pid
            # One warm-up customer: the first event imports and compiles lazily.
            warm_up = argparse.Namespace(rounds=1, think=(0, 0), arrivals=1000)
            asyncio.run(_run(urls, customers[:1], warm_up, None))
        for n in counts:
            results.append((n, asyncio.run(_run(urls, customers[:n], args, server_pid))))
    print(
        ("a blank Reflex app (--floor), " if args.floor else "")
        + f"think time {args.think[0]}-{args.think[1]} s, {args.rounds} rounds of"
        " (renewal review, dashboard) per customer after a cold dashboard load"
    )
    _table(results)
    if any(r["errors"] for _, r in results):
        sys.exit("some page loads failed")


if __name__ == "__main__":
    main()
