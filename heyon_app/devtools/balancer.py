"""`make run-scaled`'s front door: one port, each new connection given to the backend worker
with the fewest open (each worker serves the compiled frontend and the event websocket).

    python -m heyon_app.devtools.balancer --port 3000 --backend 8101 --backend 8102

It forwards bytes (TCP), so the websocket upgrade of /_event passes untouched. A worker
that refuses the connection (stopped, restarting) is skipped: a tab whose worker went away
reconnects, lands on another worker and finds its state in Redis. In production nginx or
Caddy does this job (deploy/).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import sys

_CONNECT_TIMEOUT_SECONDS = 2.0


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(ConnectionError, OSError):
        writer.close()


class Balancer:
    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.open_connections = dict.fromkeys(backends, 0)
        self._turn = itertools.count()

    def _in_order_of_preference(self) -> list[int]:
        """Fewest open connections first, ties taken in turn. A tab's websocket stays open
        while its page requests last milliseconds; taken in turn alone, a tab's page request
        and websocket alternate, and every websocket went to the same worker."""
        first = next(self._turn) % len(self.backends)
        in_turn = self.backends[first:] + self.backends[:first]
        return sorted(in_turn, key=self.open_connections.__getitem__)

    async def _open_backend(
        self,
    ) -> tuple[int, asyncio.StreamReader, asyncio.StreamWriter] | None:
        for port in self._in_order_of_preference():
            # Counted from the attempt: connections arriving meanwhile see it.
            self.open_connections[port] += 1
            with contextlib.suppress(OSError, TimeoutError):
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port), _CONNECT_TIMEOUT_SECONDS
                )
                return port, reader, writer
            self.open_connections[port] -= 1
        return None

    async def serve_client(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        backend = await self._open_backend()
        if backend is None:  # every worker down: the browser retries
            client_writer.close()
            return
        port, backend_reader, backend_writer = backend
        try:
            await asyncio.gather(
                _pipe(client_reader, backend_writer), _pipe(backend_reader, client_writer)
            )
        finally:
            self.open_connections[port] -= 1

    async def run(self, host: str, port: int) -> None:
        server = await asyncio.start_server(self.serve_client, host, port, reuse_address=True)
        async with server:
            await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heyon_app.devtools.balancer")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", type=int, action="append", required=True)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(Balancer(args.backend).run(args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
