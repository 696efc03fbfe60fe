"""Serving the app with waitress: in the foreground (the CLI) or on a background thread (tests).

The listening socket is bound first (port 0 picks a free port), so a busy port fails before
any slow seeding, and the bound port is known before the first request.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
from typing import Any

from flask import Flask
from waitress import wasyncore  # type: ignore[import-untyped]
from waitress.server import create_server  # type: ignore[import-untyped]

from intake_desktop.server.state import server_state

log = logging.getLogger(__name__)

SERVING_PREFIX = "SERVING "
"""``serve`` prints ``SERVING <url>`` on stdout once it accepts connections (last line)."""

THREADS = 16
"""Worker threads: enough for a classroom's parallel downloads and for slow-answer faults."""
CONNECTION_LIMIT = 500


def bind(host: str, port: int) -> socket.socket:
    """Return a listening TCP socket on ``host``:``port`` (``port=0``: a free one).

    Raises ``OSError`` when the address is in use or not ours.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        if hasattr(socket, "SO_REUSEADDR") and not _windows():
            # Restart at once on the same port after a stop (TIME_WAIT); Windows's
            # SO_REUSEADDR would instead let two servers share the port.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except BaseException:
        sock.close()
        raise
    return sock


def _windows() -> bool:
    return sys.platform == "win32"


def connect_url(sock: socket.socket) -> str:
    """Return the URL a client on this computer uses to reach ``sock``.

    A wildcard address (0.0.0.0, ::) is reached on the loopback address.
    """
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class WaitressServer:
    """Waitress around the app on a bound socket: :meth:`run` it, or :meth:`start_in_thread`."""

    def __init__(self, app: Flask, sock: socket.socket) -> None:
        self.app = app
        self.url = connect_url(sock)
        """Where a client on this computer reaches the server, e.g. ``http://127.0.0.1:8750``."""
        self.port: int = sock.getsockname()[1]
        self._map: dict[int, Any] = {}
        self._thread: threading.Thread | None = None
        self._closed = False
        self._server = create_server(
            app,
            map=self._map,
            sockets=[sock],
            threads=THREADS,
            connection_limit=CONNECTION_LIMIT,
            # Above the app's own limit, so the app refuses large bodies with a JSON 413;
            # waitress's limit only stops absurd ones from being read at all.
            max_request_body_size=4 * server_state(app).config.max_body_bytes,
            channel_timeout=60,
            ident="intake-desktop-training",
            expose_tracebacks=False,
        )

    def run(self) -> None:
        """Serve until :meth:`stop` (from another thread) or Ctrl+C / SystemExit."""
        self._server.run()

    def start_in_thread(self) -> None:
        """Serve on a daemon thread; :meth:`stop` ends it."""
        self._thread = threading.Thread(target=self.run, name="training-server", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: close every connection, wait for the worker threads, close the app.

        Safe to call twice, and from any thread but the one in :meth:`run`.
        """
        if self._closed:
            return
        self._closed = True
        state = server_state(self.app)
        state.stopping.set()  # cut fault delays short
        if self._thread is not None and self._thread.is_alive():
            # Closing the sockets must happen on the loop's own thread: hand it over.
            try:
                self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._map))
            except OSError:
                # The loop already closed its trigger (it was ending on its own): nothing
                # can be handed over, so close what is left from here.
                wasyncore.close_all(self._map, ignore_all=True)
            self._thread.join(timeout)
        else:
            wasyncore.close_all(self._map)
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=timeout)
        state.close()
