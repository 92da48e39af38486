"""`make run-scaled`'s balancer (heyon_app/devtools/balancer.py) spreads the tabs' websockets
over the workers, whatever else each tab asks for between them."""

from __future__ import annotations

import asyncio
import contextlib

from heyon_app.devtools.balancer import Balancer
from tests.concurrency import run_coroutine


async def _worker(opened: list[str], name: str) -> asyncio.Server:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        opened.append(name)
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(1024):
                writer.write(data)
                await writer.drain()
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0)


def _port(server: asyncio.Server) -> int:
    return server.sockets[0].getsockname()[1]


def test_each_tabs_page_request_and_websocket_do_not_pair_off_to_one_worker_each():
    async def scenario() -> dict[str, int]:
        opened: list[str] = []
        workers = [await _worker(opened, "a"), await _worker(opened, "b")]
        balancer = await asyncio.start_server(
            Balancer([_port(w) for w in workers]).serve_client, "127.0.0.1", 0
        )
        websockets = []
        try:
            for _ in range(10):
                # The page's data request: answered, then closed.
                reader, writer = await asyncio.open_connection("127.0.0.1", _port(balancer))
                writer.write(b"GET")
                await reader.readexactly(3)
                writer.close()
                await writer.wait_closed()
                await asyncio.sleep(0.01)  # the balancer sees it closed
                # The tab's websocket: stays open.
                reader, writer = await asyncio.open_connection("127.0.0.1", _port(balancer))
                writer.write(b"WS")
                await reader.readexactly(2)
                websockets.append((writer, len(opened) - 1))
            return {name: sum(1 for _, at in websockets if opened[at] == name) for name in "ab"}
        finally:
            for writer, _ in websockets:
                writer.close()
            balancer.close()
            for worker in workers:
                worker.close()

    held = run_coroutine(scenario())
    assert held == {"a": 5, "b": 5}, f"open websockets per worker: {held}"


def test_a_worker_that_refuses_is_skipped():
    async def scenario() -> list[str]:
        opened: list[str] = []
        live = await _worker(opened, "live")
        gone = await _worker(opened, "gone")
        gone_port = _port(gone)
        gone.close()
        await gone.wait_closed()
        balancer = await asyncio.start_server(
            Balancer([gone_port, _port(live)]).serve_client, "127.0.0.1", 0
        )
        try:
            for _ in range(3):
                reader, writer = await asyncio.open_connection("127.0.0.1", _port(balancer))
                writer.write(b"x")
                assert await reader.readexactly(1) == b"x"
                writer.close()
            return opened
        finally:
            balancer.close()
            live.close()

    assert run_coroutine(scenario()) == ["live"] * 3
