"""Check a selection of files again with today's trust anchors (and revocation, if online).

One batch on every core (:func:`~intake_desktop.services.signatures.batch.verify_files`),
read as its results come: progress follows file by file, and a cancel request stops it
within the files the workers already hold (closing the batch cancels the queued ones).
Fresh reports replace the cached ones in the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from intake_desktop.services.audit.rows import AuditRow
from intake_desktop.services.report_cache import StoreReportCache
from intake_desktop.services.signatures import InspectOptions, TrustStore
from intake_desktop.services.signatures.batch import BatchResult, verify_files
from intake_desktop.store.db import Store
from intake_desktop.store.sync_state import attachments_of

PROGRESS_STEPS = 200
"""At most this many progress calls a run: a GUI thread need not hear of each of 30,000."""


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
    """Check the files of ``rows`` again (each once, however many rows share it).

    ``progress(done, total)`` is called from this thread as files are checked; setting
    ``cancel`` stops the run early, and what was checked stays checked.
    """
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
    total = len(files)
    step = max(1, total // PROGRESS_STEPS)
    checked = changed = 0
    if cancel is not None and cancel.is_set():
        return Revalidation(checked, changed, missing, True)
    # A generator: closing it shuts the pool down with the files not yet started cancelled.
    results = cast(
        "Generator[BatchResult, None, None]",
        verify_files(files, trust, options, cache=_Refresh(store), workers=workers),
    )
    try:
        for result in results:
            before = paths[result.path].verdict_now
            changed += int(before is not result.report.verdict)
            checked += 1
            if progress is not None and (checked % step == 0 or checked == total):
                progress(checked, total)
            if cancel is not None and cancel.is_set() and checked < total:
                return Revalidation(checked, changed, missing, True)
    finally:
        results.close()
    return Revalidation(checked, changed, missing, False)
