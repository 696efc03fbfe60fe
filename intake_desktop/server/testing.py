"""Starting the training server from tests: in a thread, or as a separate process.

- :func:`running_server` — in this process, on a background thread, on a free loopback port.
- :func:`server_process` — ``python -m intake_desktop serve`` as a child process, which
  outlives any other process a test kills (crash tests of the app side).

Generating demo dossiers signs PDFs and is slow, so each ``(dossiers, seed, generator)`` is
generated once per process into a template folder; each server gets a fresh copy (a copy
takes milliseconds; the attachment files are shared as hard links, never written).
"""

from __future__ import annotations

import atexit
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intake_desktop.server.app import create_app
from intake_desktop.server.contract_json import recorded_decision_document
from intake_desktop.server.db import open_database
from intake_desktop.server.faults import Faults
from intake_desktop.server.models import DecisionRow
from intake_desktop.server.seed import (
    DataDir,
    Generator,
    copy_data_dir,
    demo_generator,
    seed_data_dir,
)
from intake_desktop.server.serving import SERVING_PREFIX, WaitressServer, bind
from intake_desktop.server.state import DEFAULT_TOKEN_TTL, ServerConfig, server_state

_templates: dict[tuple[int, int, Generator, int], Path] = {}
_templates_lock = threading.Lock()
_templates_root: Path | None = None


@dataclass
class ServerHandle:
    """A training server running on a thread of this process."""

    url: str
    """Base URL, e.g. ``http://127.0.0.1:40123`` (no trailing slash)."""
    data_dir: Path
    app: Flask
    _server: WaitressServer = field(repr=False)

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def faults(self) -> Faults:
        """The faults in force (set them directly, or over HTTP as the trainer)."""
        return server_state(self.app).faults

    def decisions(self) -> list[dict[str, Any]]:
        """Every decision the server recorded, as ``GET /api/v1/_training/decisions`` lists."""
        return recorded_decisions(self.data_dir)

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        self._server.stop()


def recorded_decisions(data_dir: Path) -> list[dict[str, Any]]:
    """Read the decisions recorded in a data folder, oldest first (the server may be running)."""
    with open_database(DataDir(data_dir).database) as database, database.session() as session:
        rows = session.scalars(
            select(DecisionRow)
            .options(selectinload(DecisionRow.dossier))
            .order_by(DecisionRow.recorded_at, DecisionRow.decision_id)
        )
        return [recorded_decision_document(row) for row in rows]


def seeded_copy(
    data_dir: Path,
    *,
    dossiers: int,
    seed: int,
    generator: Generator | None = None,
    decided: int = 0,
) -> Path:
    """Fill ``data_dir`` with seeded data (from the process's template); return ``data_dir``.

    ``decided``: how many of the dossiers other officers already decided (the seeded
    decision history). A folder that already holds a database is left as it is (a restart
    on the same data).
    """
    if DataDir(data_dir).database.exists():
        return data_dir
    copy_data_dir(_template(dossiers, seed, generator or demo_generator, decided), data_dir)
    return data_dir


@contextmanager
def running_server(
    data_dir: Path | None = None,
    *,
    dossiers: int = 6,
    seed: int = 0,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    fault_injection: bool = True,
    generator: Generator | None = None,
    count: int | None = None,
    flavor: str = "contract",
    decided: int = 0,
) -> Iterator[ServerHandle]:
    """Run a training server on a free loopback port in this process; yield its handle.

    ``data_dir`` defaults to a temporary folder removed afterwards; an existing seeded
    folder is served as it is. ``count`` is another name for ``dossiers`` (the CLI's
    ``--count``); ``flavor="igate"`` serves the VNPT iGate imitation; ``decided`` seeds that
    many dossiers already decided by other officers. The server stops when the block ends.
    """
    dossiers = count if count is not None else dossiers
    temporary = None
    if data_dir is None:
        temporary = tempfile.TemporaryDirectory(prefix="intake-serve-", ignore_cleanup_errors=True)
        data_dir = Path(temporary.name)
    try:
        seeded_copy(data_dir, dossiers=dossiers, seed=seed, generator=generator, decided=decided)
        config = ServerConfig(
            data_dir, token_ttl=token_ttl, fault_injection=fault_injection, flavor=flavor
        )
        app = create_app(config)
        sock = None
        try:
            sock = bind("127.0.0.1", 0)
            server = WaitressServer(app, sock)
        except BaseException:
            if sock is not None:
                sock.close()
            server_state(app).close()
            raise
        server.start_in_thread()
        handle = ServerHandle(server.url, data_dir, app, server)
        try:
            yield handle
        finally:
            handle.stop()
    finally:
        if temporary is not None:
            temporary.cleanup()


@dataclass
class ServerProcess:
    """A training server running as a child process (``python -m intake_desktop serve``)."""

    url: str
    data_dir: Path
    process: subprocess.Popen[str]
    log_path: Path
    """The child's stderr (one line per request), for when a test fails."""
    banner: str
    """What the child printed before ``SERVING`` (data folder, accounts…)."""
    _reader: threading.Thread = field(repr=False)

    def decisions(self) -> list[dict[str, Any]]:
        """Every decision the server recorded (read from its database)."""
        return recorded_decisions(self.data_dir)

    def stop(self, timeout: float = 15.0) -> int:
        """Stop the child as Ctrl+C would (SIGINT; terminate on Windows); return its exit code.

        Kills it if it does not stop within ``timeout`` seconds.
        """
        if self.process.poll() is None:
            if os.name == "posix":
                self.process.send_signal(signal.SIGINT)
            else:  # pragma: no cover - no SIGINT for a child without a console
                self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self._close_pipes()
        return self.process.returncode

    def kill(self) -> None:
        """Kill the child at once (SIGKILL), as a power cut would."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        self._reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextmanager
def server_process(
    data_dir: Path,
    *,
    dossiers: int = 6,
    seed: int = 0,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    fault_injection: bool = True,
    generator: Generator | None = None,
    extra_args: Sequence[str] = (),
    startup_timeout: float = 60.0,
    flavor: str = "contract",
    decided: int = 0,
) -> Iterator[ServerProcess]:
    """Run ``intake-desktop serve --port 0`` on ``data_dir`` as a child process; yield it.

    The folder is seeded here first (from the template, fast), so the child starts at once;
    the child prints ``SERVING <url>``, which gives the URL. Stopped (SIGINT) at the end.
    Raises ``RuntimeError`` if the child ends or is silent for ``startup_timeout`` seconds.
    """
    seeded_copy(data_dir, dossiers=dossiers, seed=seed, generator=generator, decided=decided)
    command = [
        sys.executable,
        "-m",
        "intake_desktop",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data",
        str(data_dir),
        "--count",
        str(dossiers),
        "--seed",
        str(seed),
        "--decided",
        str(decided),
        "--token-ttl",
        str(token_ttl),
        *(["--fault-injection"] if fault_injection else []),
        "--flavor",
        flavor,
        *extra_args,
    ]
    log_path = data_dir / "server-stderr.log"
    with log_path.open("a", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=log_file,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(process, lines), daemon=True)
    reader.start()
    url, banner = _wait_for_url(process, lines, startup_timeout, log_path)
    child = ServerProcess(url, data_dir, process, log_path, banner, reader)
    try:
        yield child
    finally:
        child.stop()


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    # Drains stdout to the end, so the child never blocks on a full pipe.
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line)
    lines.put(None)


def _wait_for_url(
    process: subprocess.Popen[str], lines: queue.Queue[str | None], timeout: float, log: Path
) -> tuple[str, str]:
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            line = None
        if line is None:
            process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
            raise RuntimeError(
                f"the training server did not start (exit code {process.returncode}); "
                f"stdout: {''.join(seen)[-2000:]!r}; stderr in {log}"
            )
        if line.startswith(SERVING_PREFIX):
            return line[len(SERVING_PREFIX) :].strip(), "".join(seen)
        seen.append(line)


def _template(dossiers: int, seed: int, generator: Generator, decided: int = 0) -> Path:
    global _templates_root
    key = (dossiers, seed, generator, decided)
    with _templates_lock:
        if key not in _templates:
            if _templates_root is None:
                _templates_root = Path(tempfile.mkdtemp(prefix="intake-serve-templates-"))
                atexit.register(shutil.rmtree, _templates_root, True)
            folder = _templates_root / f"t{len(_templates)}-{dossiers}-{seed}-{decided}"
            seed_data_dir(folder, count=dossiers, seed=seed, generator=generator, decided=decided)
            _templates[key] = folder
        return _templates[key]


__all__ = [
    "SERVING_PREFIX",
    "ServerHandle",
    "ServerProcess",
    "recorded_decisions",
    "running_server",
    "seeded_copy",
    "server_process",
]
