"""What the synchronizer remembers between passes: high-water marks and download work.

The high-water mark is kept per source in the ``settings`` table (key
``sync.high_water:<source>``): the server's clock at the start of the last complete pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from intake_desktop.domain import Attachment, DossierStatus, DownloadState
from intake_desktop.store import audit_summary
from intake_desktop.store.db import Store
from intake_desktop.store.dossiers import CachedAttachment
from intake_desktop.store.models import (
    AttachmentRow,
    ComponentRow,
    DossierRow,
    SettingRow,
    utc_now,
)

_HIGH_WATER = "sync.high_water:"
_KEY_LENGTH = 100  # SettingRow.key


def high_water_mark(store: Store, source: str) -> datetime | None:
    """Return the server time the last complete pass from ``source`` started at, if any."""
    with store.session(write=False) as session:
        value = session.scalar(select(SettingRow.value).where(SettingRow.key == _key(source)))
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None  # an unreadable mark means a full pass, which is always correct
    return parsed if parsed.tzinfo is not None else None


def set_high_water_mark(store: Store, source: str, when: datetime) -> None:
    """Remember ``when`` (aware, the server's clock) as the start of the next pass."""
    if when.tzinfo is None:
        raise ValueError("naive datetime: pass the server's aware time")
    with store.session() as session:
        session.merge(SettingRow(key=_key(source), value=when.isoformat()))


def clear_high_water_mark(store: Store, source: str) -> None:
    """Forget the mark: the next pass lists every dossier again."""
    with store.session() as session:
        row = session.get(SettingRow, _key(source))
        if row is not None:
            session.delete(row)


def stored_versions(store: Store, codes: Iterable[str]) -> dict[str, int]:
    """Return the stored version of each dossier in ``codes`` that is stored."""
    wanted = list(dict.fromkeys(codes))
    found: dict[str, int] = {}
    with store.session(write=False) as session:
        # SQLite limits bound parameters per statement; 500 is well under every build's limit.
        for start in range(0, len(wanted), 500):
            rows = session.execute(
                select(DossierRow.code, DossierRow.version).where(
                    DossierRow.code.in_(wanted[start : start + 500])
                )
            )
            found.update({code: version for code, version in rows})
    return found


def attachments_of(
    store: Store, statuses: Collection[DossierStatus] | None = None
) -> list[CachedAttachment]:
    """Return every stored attachment with its cache state, for dossiers in ``statuses``.

    Ordered by dossier submission time, so the oldest dossiers get their files first.
    """
    query = (
        select(
            DossierRow.code,
            ComponentRow.position,
            AttachmentRow.remote_id,
            AttachmentRow.file_name,
            AttachmentRow.media_type,
            AttachmentRow.size,
            AttachmentRow.sha256,
            AttachmentRow.download_state,
            AttachmentRow.cache_path,
            AttachmentRow.error,
        )
        .join(ComponentRow, ComponentRow.dossier_id == DossierRow.id)
        .join(AttachmentRow, AttachmentRow.component_id == ComponentRow.id)
        .order_by(DossierRow.submitted_at, DossierRow.code, ComponentRow.position, AttachmentRow.id)
    )
    if statuses is not None:
        query = query.where(DossierRow.status.in_([status.value for status in statuses]))
    with store.session(write=False) as session:
        return [
            CachedAttachment(
                dossier_code=code,
                component_position=position,
                attachment=Attachment(remote_id, file_name, media_type, size, sha256),
                state=DownloadState(state),
                cache_path=Path(cache_path) if cache_path else None,
                error=error,
            )
            for (
                code,
                position,
                remote_id,
                file_name,
                media_type,
                size,
                sha256,
                state,
                cache_path,
                error,
            ) in session.execute(query)
        ]


@dataclass(frozen=True, slots=True)
class DownloadOutcome:
    """What became of one attachment's download, to record in the store."""

    dossier_code: str
    remote_id: str
    state: DownloadState
    sha256: str | None = None
    cache_path: Path | None = None
    error: str | None = None


def record_downloads(store: Store, outcomes: Iterable[DownloadOutcome]) -> int:
    """Record many download outcomes in one transaction. Returns how many rows changed.

    Like ``dossiers.mark_attachment``, but one commit for a batch: a first sync records
    thousands of files.
    """
    by_key = {(outcome.dossier_code, outcome.remote_id): outcome for outcome in outcomes}
    if not by_key:
        return 0
    changed = 0
    rehashed: set[str] = set()
    now = utc_now()
    codes = sorted({code for code, _ in by_key})
    with store.session() as session:
        for start in range(0, len(codes), 500):
            rows = session.execute(
                select(DossierRow.code, AttachmentRow)
                .join(ComponentRow, ComponentRow.dossier_id == DossierRow.id)
                .join(AttachmentRow, AttachmentRow.component_id == ComponentRow.id)
                .where(DossierRow.code.in_(codes[start : start + 500]))
            )
            for code, row in rows:
                outcome = by_key.get((code, row.remote_id))
                if outcome is None:
                    continue
                row.download_state = outcome.state.value
                if outcome.sha256 and outcome.sha256.lower() != row.sha256:
                    row.sha256 = outcome.sha256.lower()
                    rehashed.add(code)
                if outcome.cache_path is not None:
                    row.cache_path = str(outcome.cache_path)
                row.error = outcome.error
                row.updated_at = now
                changed += 1
        audit_summary.refresh(session, rehashed)
    return changed


def _key(source: str) -> str:
    key = _HIGH_WATER + source
    if len(key) <= _KEY_LENGTH:
        return key
    # Long URLs: a digest keeps the key within the column and still one per source.
    return _HIGH_WATER + "sha256:" + hashlib.sha256(source.encode("utf-8")).hexdigest()
