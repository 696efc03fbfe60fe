"""Benchmark: a first sync and an incremental sync through the VNPT iGate adapter.

Run by hand: ``.venv/bin/python bench/igate_sync_bench.py [--dossiers 30] [--rounds 3]``.
Both flavors of the training server serve the same seeded data on loopback in this process;
the peer is the contract adapter (``HttpDossierSource``) syncing the same dossiers in the
same run. iGate has no ``updated_since`` filter and no server-side version, so the question
is what paging newest-first by page number and looking dossiers up by code cost against it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from intake_desktop.server.testing import running_server
from intake_desktop.services.adapters import SourceSettings, SystemKind, make_source
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import open_store


class _NoKeyring:
    """No remembered password: the bench signs in with it directly."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError


def _round(flavor: str, kind: SystemKind, dossiers: int) -> tuple[float, float]:
    with (
        running_server(dossiers=dossiers, seed=0, flavor=flavor) as server,
        tempfile.TemporaryDirectory() as folder,
    ):
        root = Path(folder)
        source = make_source(
            SourceSettings(kind, server.url, "canbo01"),
            CredentialStore(_NoKeyring()),  # type: ignore[arg-type]
        )
        with source, open_store(root / "intake.sqlite3") as store:
            source.login("matkhau123")
            synchronizer = Synchronizer(source, store, root / "cache")
            started = time.perf_counter()
            first = synchronizer.sync()
            first_seconds = time.perf_counter() - started
            started = time.perf_counter()
            synchronizer.sync()
            again_seconds = time.perf_counter() - started
        assert first.errors == () and first.dossiers_new == dossiers, first
    return first_seconds, again_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"contract": [], "igate": []}
    for _ in range(args.rounds):
        results["contract"].append(_round("contract", SystemKind.INTAKE, args.dossiers))
        results["igate"].append(_round("igate", SystemKind.IGATE, args.dossiers))
    medians = {
        flavor: (
            statistics.median(r[0] for r in rounds),
            statistics.median(r[1] for r in rounds),
        )
        for flavor, rounds in results.items()
    }
    print(f"{args.dossiers} dossiers, median of {args.rounds} rounds (loopback, in process)")
    for flavor, (first, again) in medians.items():
        print(
            f"  {flavor:<8} first sync {first * 1000:7.0f} ms   incremental {again * 1000:6.0f} ms"
        )
    contract, igate = medians["contract"], medians["igate"]
    print(
        f"  igate / contract: first sync {igate[0] / contract[0]:.2f}x, "
        f"incremental {igate[1] / contract[1]:.2f}x"
    )


if __name__ == "__main__":
    main()
