"""Keep the attachment cache under the officer's size limit (Settings → Bộ nhớ đệm).

Only files of dossiers that are done with are removed: decided on the server and with no
decision of ours still waiting to be sent, oldest submissions first. Files of dossiers
awaiting intake are never touched, whatever the limit. Signature reports stay in the store
(keyed by content hash), so the verdicts of a pruned file remain visible and auditable.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from intake_desktop.domain import DossierStatus
from intake_desktop.store.db import Store
from intake_desktop.store.sync_state import attachments_of

log = logging.getLogger(__name__)

_DONE_WITH = (
    DossierStatus.ACCEPTED,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.REFUSED,
)


@dataclass(frozen=True, slots=True)
class CachePrune:
    removed_files: int
    freed_bytes: int
    remaining_bytes: int
    """Bytes left in the cache folder; may stay above the limit if the files still needed
    (dossiers awaiting intake or with an unsent decision) take more than the limit."""


def cache_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def prune_cache(
    store: Store, folder: Path, limit_bytes: int, busy_dossiers: Collection[str] = ()
) -> CachePrune:
    """Remove cached attachment files until ``folder`` holds at most ``limit_bytes``.

    ``busy_dossiers`` are codes whose files must stay (a decision still in the outbox).
    """
    total = cache_size(folder) if folder.exists() else 0
    if total <= limit_bytes:
        return CachePrune(0, 0, total)
    done_with = attachments_of(store, _DONE_WITH)
    done_codes = {a.dossier_code for a in done_with} - set(busy_dossiers)
    # Files are stored by content hash and may be shared: keep any file a live dossier uses.
    needed = {
        a.cache_path.resolve()
        for a in attachments_of(store)
        if a.cache_path is not None and a.dossier_code not in done_codes
    }
    removed = freed = 0
    for attachment in done_with:
        if total - freed <= limit_bytes:
            break
        path = attachment.cache_path
        if path is None or attachment.dossier_code not in done_codes:
            continue
        resolved = path.resolve()
        if resolved in needed or not resolved.is_relative_to(folder.resolve()):
            continue
        try:
            size = resolved.stat().st_size
            resolved.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            log.warning("could not remove %s from the cache: %s", resolved, error)
            continue
        removed += 1
        freed += size
    log.info("cache pruned: %d files, %.1f MB freed", removed, freed / 1e6)
    return CachePrune(removed, freed, total - freed)
