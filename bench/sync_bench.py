"""Benchmark: sync and outbox delivery against the training server.

Run by hand: ``.venv/bin/python bench/sync_bench.py [--dossiers 1000] [--decisions 200]``.
Starts the training server in a subprocess (so server and client do not share a GIL) seeded
with ``--dossiers`` dossiers of about three attachments each — the generated data is cached
under ``bench/out/`` and reused, since generating it is slow — then, with a fresh store:

* a full first sync (list, details, every attachment downloaded and verified);
* a second, incremental sync with nothing changed;
* ``--decisions`` accept decisions recorded in the outbox, then delivered by ``send_pending``.

``--url`` benchmarks a server that is already running instead. Targets: first sync < 60 s,
incremental < 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import open_store
from intake_desktop.store.dossiers import list_dossiers

OUT = Path(__file__).resolve().parent / "out"
PASSWORD = "matkhau123"


@contextmanager
def training_server(dossiers: int, seed: int) -> Iterator[str]:
    """Start ``intake-desktop serve`` in a subprocess on a free port; yield its URL.

    The data folder under ``bench/out/`` is seeded on the first run (slow: it signs every
    demo PDF) and reset to that seed on later runs (fast), so each run starts alike.
    """
    data = OUT / f"training-{dossiers}-{seed}"
    data.mkdir(parents=True, exist_ok=True)
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
        str(data),
        "--count",
        str(dossiers),
        "--seed",
        str(seed),
        "--reset",
    ]
    started = time.perf_counter()
    # The server logs one line per request: to a file, not the terminal.
    with (data / "server-stderr.log").open("w", encoding="utf-8") as log:
        server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith("SERVING "):
                url = line.split()[1]
                break
        else:
            raise SystemExit(f"the training server did not start: {' '.join(command)}")
        print(f"training server ready in {time.perf_counter() - started:.1f} s at {url}")
        yield url
    finally:
        # As Ctrl+C would; SIGINT is ignored when the bench itself runs in the background.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def plain_download(url: str, folder: Path, parallel: int) -> float:
    """The peer: what any script would do with requests — list, fetch each dossier, download
    each file to disk — with no size/SHA-256 checks, no resuming, no store."""
    import requests

    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with requests.Session() as http:
        token = http.post(
            f"{url}/api/v1/auth/token", json={"username": "canbo01", "password": PASSWORD}
        ).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        codes: list[str] = []
        cursor = None
        while True:
            params = {"status": "awaiting_intake", "limit": 500}
            if cursor:
                params["cursor"] = cursor
            page = http.get(f"{url}/api/v1/dossiers", params=params).json()
            codes += [item["code"] for item in page["items"]]
            cursor = page.get("next_cursor")
            if not cursor:
                break

        def fetch(code: str) -> None:
            dossier = http.get(f"{url}/api/v1/dossiers/{code}").json()
            for component in dossier["components"]:
                for attachment in component["attachments"]:
                    body = http.get(f"{url}/api/v1/attachments/{attachment['id']}/content")
                    (folder / attachment["id"].replace("/", "_")).write_bytes(body.content)

        with ThreadPoolExecutor(parallel) as pool:
            list(pool.map(fetch, codes))
    return time.perf_counter() - started


def run(url: str, decisions: int, parallel: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    try:
        with (
            open_store(work / "intake.sqlite3") as store,
            HttpDossierSource(url, "canbo01", credentials=CredentialStore()) as source,
        ):
            source.login(PASSWORD)
            synchronizer = Synchronizer(
                source, store, work / "cache", max_parallel_downloads=parallel
            )

            started = time.perf_counter()
            first = synchronizer.sync()
            first_s = time.perf_counter() - started
            size = sum(p.stat().st_size for p in (work / "cache").rglob("*") if p.is_file())
            print(
                f"first sync:       {first_s:6.2f} s  {first.dossiers_new} dossiers, "
                f"{first.attachments_downloaded} attachments ({size / 1e6:.1f} MB, "
                f"{size / 1e6 / first_s:.1f} MB/s), {len(first.errors)} problems"
            )

            peer_s = plain_download(url, work / "peer", parallel)
            print(
                f"peer: plain requests, same pages and files, {parallel} parallel, no checks or "
                f"store: {peer_s:6.2f} s  -> first sync / peer = {first_s / peer_s:.2f}x"
            )

            started = time.perf_counter()
            second = synchronizer.sync()
            second_s = time.perf_counter() - started
            print(
                f"incremental sync: {second_s:6.3f} s  {second.dossiers_new} new, "
                f"{second.dossiers_updated} updated, {second.attachments_downloaded} downloaded"
            )

            outbox = Outbox(store)
            awaiting = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])[:decisions]
            started = time.perf_counter()
            for dossier in awaiting:
                outbox.record(
                    DecisionRequest(
                        dossier.code,
                        dossier.version,
                        DecisionKind.ACCEPT,
                        appointment_date=date.today() + timedelta(days=30),
                    ),
                    "canbo01",
                )
            record_s = time.perf_counter() - started
            started = time.perf_counter()
            results = Sender(source, store).send_pending()
            send_s = time.perf_counter() - started
            sent = sum(1 for r in results if r.state is OutboxState.SENT)
            print(
                f"outbox:           {len(awaiting)} recorded in {record_s:.2f} s "
                f"({len(awaiting) / record_s:.0f}/s); {sent} sent in {send_s:.2f} s "
                f"({sent / send_s:.0f} decisions/s)"
            )
            verdict = "OK" if first_s < 60 and second_s < 1 else "MISSED"
            print(f"targets (first < 60 s, incremental < 1 s): {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=4, help="parallel downloads")
    parser.add_argument("--url", help="benchmark this running server instead")
    args = parser.parse_args()
    if args.url:
        run(args.url, args.decisions, args.parallel)
        return
    with training_server(args.dossiers, args.seed) as url:
        run(url, args.decisions, args.parallel)


if __name__ == "__main__":
    main()
