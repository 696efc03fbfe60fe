"""A throwaway PostgreSQL server for the store's tests (``INTAKE_TEST_POSTGRES=1``).

The tests start it themselves from Debian's ``postgresql`` package (``make test-postgres``
installs it): ``initdb`` into a temporary folder, trust authentication, a Unix socket in that
folder and no TCP port, so nothing outside the test run can reach it. Each test gets a fresh
database, and ``INTAKE_DESKTOP_DATABASE_URL`` points every ``open_store()`` of the test at it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

ENABLED = os.environ.get("INTAKE_TEST_POSTGRES") == "1"
SERVICE_USER = "postgres"
"""PostgreSQL refuses to run as root: as root the server runs as this account."""


def _bin_dir() -> Path:
    # Debian keeps the server's tools out of PATH, under the version's own folder.
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    if not versions:
        raise RuntimeError(
            "INTAKE_TEST_POSTGRES=1 but no PostgreSQL server is installed "
            "(Debian: apt-get install postgresql, or run make test-postgres)"
        )
    return versions[-1].parent


class TestServer:
    """One running server; :meth:`new_database` makes an empty database and its URL."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.bin = _bin_dir()
        self._as_root = os.geteuid() == 0
        self._names = count(1)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
        return done

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if self._as_root:
            shutil.chown(self.root, SERVICE_USER)
            shutil.chown(self.socket_dir, SERVICE_USER)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", SERVICE_USER, "-E", "UTF8")
        options = f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off"
        # The server's output goes to its log: on our pipes it would keep them open.
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql://{SERVICE_USER}@/{database}?host={self.socket_dir}"

    def new_database(self) -> str:
        name = f"store_{os.getpid()}_{next(self._names)}"
        self._run("createdb", "-h", str(self.socket_dir), "-U", SERVICE_USER, name)
        return self.url(name)


@contextmanager
def running_server() -> Iterator[TestServer]:
    root = Path(tempfile.mkdtemp(prefix="intake-pg-"))
    root.chmod(0o755)
    server = TestServer(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
