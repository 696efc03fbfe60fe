"""Check a selection of files again with today's trust anchors (and revocation, if online).

Runs on every core in chunks, so a progress callback can follow and a cancel request is
honoured between chunks. Fresh reports replace the cached ones in the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from intake_desktop.services.audit.rows import AuditRow
from intake_desktop.services.report_cache import StoreReportCache
from intake_desktop.services.signatures import InspectOptions, TrustStore
from intake_desktop.services.signatures.batch import verify_files
from intake_desktop.store.db import Store
from intake_desktop.store.sync_state import attachments_of

CHUNK = 8
"""Files per round: small enough for a lively progress bar and a quick cancel."""


@dataclass(frozen=True, slots=True)
class Revalidation:
    checked: int
    changed: int
    """Files whose verdict differs from the one the audit row showed."""
    missing: int
    """Files no longer in the local cache (pruned, or never downloaded)."""
    cancelled: bool


class _Refresh(StoreReportCache):
    """Writes fresh reports to the store but never serves an old one."""

    def get(self, sha256: str, trust_version: str, options_key: str) -> str | None:
        return None


def revalidate(
    store: Store,
    rows: Sequence[AuditRow],
    trust: TrustStore,
    options: InspectOptions | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
) -> Revalidation:
    wanted = {(r.dossier_code, r.attachment_id): r for r in rows}
    paths: dict[Path, AuditRow] = {}
    missing = 0
    for cached in attachments_of(store):
        row = wanted.get((cached.dossier_code, cached.attachment.remote_id))
        if row is None:
            continue
        if cached.cache_path is None or not cached.cache_path.exists():
            missing += 1
        else:
            paths.setdefault(cached.cache_path, row)
    files = list(paths)
    cache = _Refresh(store)
    checked = changed = 0
    for start in range(0, len(files), CHUNK):
        if cancel is not None and cancel.is_set():
            return Revalidation(checked, changed, missing, True)
        chunk = files[start : start + CHUNK]
        for result in verify_files(chunk, trust, options, cache=cache, workers=workers):
            before = paths[result.path].verdict_now
            changed += int(before is not result.report.verdict)
            checked += 1
        if progress is not None:
            progress(checked, len(files))
    return Revalidation(checked, changed, missing, False)
