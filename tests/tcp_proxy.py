"""A TCP proxy in front of a server (PostgreSQL) that a test can cut and restore.

`cut()` drops every open connection and refuses new ones, as a database that went down or
is failing over does; `hold()` drops them and then accepts new ones without ever answering,
as a server out of reach behind a network partition does; `restore()` forwards again on the
same port. While `answer_delay` is set, the server's answers take that many seconds more
to arrive: a slow network, with the request already done on the server. The real server is
never touched, so other tests sharing it go on undisturbed.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self._silent = False
        self.connections = 0  # accepted since the start: a test can tell a reconnect happened
        self.answer_delay = 0.0

    def __enter__(self) -> TcpProxy:
        self.restore()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cut()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def restore(self) -> None:
        """Forward connections again (on the port of the first start)."""
        self._listen(silent=False)

    def hold(self) -> None:
        """Drop every connection; accept new ones and never answer them."""
        self._listen(silent=True)

    def _listen(self, *, silent: bool) -> None:
        self.cut()
        self._silent = silent
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Close the listening socket (new connections are refused) and every connection."""
        with self._lock:
            listener, self._listener = self._listener, None
            doomed, self._open = self._open, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in doomed:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            if self._silent:
                with self._lock:
                    self._open.add(client)
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    server.close()
                    return
                self._open |= {client, server}
                self.connections += 1
            for source, sink, answers in ((client, server, False), (server, client, True)):
                threading.Thread(
                    target=self._pump, args=(source, sink, answers), daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket, answers: bool) -> None:
        try:
            while data := source.recv(65536):
                if answers and self.answer_delay:
                    time.sleep(self.answer_delay)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._open -= {source, sink}
            source.close()
