"""Dossiers as last synced, and the local cache state of their attachments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    Dossier,
    DossierStatus,
    DownloadState,
)
from intake_desktop.store import audit_summary
from intake_desktop.store.db import Store
from intake_desktop.store.models import AttachmentRow, ComponentRow, DossierRow, utc_now


@dataclass(frozen=True, slots=True)
class CachedAttachment:
    """An attachment of a stored dossier with the state of its local copy."""

    dossier_code: str
    component_position: int
    """Index of its component in ``Dossier.components``."""
    attachment: Attachment
    state: DownloadState
    cache_path: Path | None
    error: str | None


def save_dossier(
    store: Store,
    dossier: Dossier,
    *,
    source: str,
    raw_json: str | None = None,
    synced_at: datetime | None = None,
) -> None:
    """Insert the dossier, or replace the stored one with the same code.

    An attachment that comes back with the same remote id and the same (or no) SHA-256
    keeps its downloaded copy, so a re-sync does not download everything again.
    ``source`` is the server's base URL or ``demo``.
    """
    with store.session() as session:
        row = session.scalar(_query().where(DossierRow.code == dossier.code))
        previous: dict[str, AttachmentRow] = {}
        if row is None:
            row = DossierRow(code=dossier.code)
            session.add(row)
        else:
            previous = {a.remote_id: a for c in row.components for a in c.attachments}
            # Remove the old components before inserting the new: both use the same
            # (dossier, position) keys and the unit of work would insert first.
            row.components = []
            session.flush()
        _fill(row, dossier, source, raw_json, synced_at)
        row.components = [
            _component_row(position, component, previous)
            for position, component in enumerate(dossier.components)
        ]
        audit_summary.refresh(session, [dossier.code])


def get_dossier(store: Store, code: str) -> Dossier | None:
    """Return the stored dossier with this code, or ``None``."""
    with store.session(write=False) as session:
        row = session.scalar(_query().where(DossierRow.code == code))
        return None if row is None else _to_domain(row)


def list_dossiers(store: Store, statuses: Iterable[DossierStatus] | None = None) -> list[Dossier]:
    """Return stored dossiers, oldest submission first, optionally only in ``statuses``.

    Three plain queries rather than ORM objects: the queue lists every dossier on each
    refresh, and building 10,000 ORM rows with their components took most of the time.
    """
    wanted = [status.value for status in statuses] if statuses is not None else None
    dossiers = select(
        DossierRow.id,
        DossierRow.code,
        DossierRow.procedure_code,
        DossierRow.submitted_at,
        DossierRow.status,
        DossierRow.version,
        DossierRow.applicant_name,
        DossierRow.applicant_citizen_id,
        DossierRow.applicant_birth_date,
        DossierRow.applicant_phone,
        DossierRow.applicant_email,
        DossierRow.applicant_address,
        DossierRow.procedure_name,
        DossierRow.raw_status,
    ).order_by(DossierRow.submitted_at, DossierRow.code)
    components = (
        select(
            ComponentRow.id,
            ComponentRow.dossier_id,
            ComponentRow.spec_code,
            ComponentRow.name,
            ComponentRow.copy_kind,
        )
        .join(DossierRow)
        .order_by(ComponentRow.dossier_id, ComponentRow.position)
    )
    attachments = (
        select(
            AttachmentRow.component_id,
            AttachmentRow.remote_id,
            AttachmentRow.file_name,
            AttachmentRow.media_type,
            AttachmentRow.size,
            AttachmentRow.sha256,
        )
        .join(ComponentRow)
        .join(DossierRow)
        .order_by(AttachmentRow.component_id, AttachmentRow.id)
    )
    if wanted is not None:
        dossiers = dossiers.where(DossierRow.status.in_(wanted))
        components = components.where(DossierRow.status.in_(wanted))
        attachments = attachments.where(DossierRow.status.in_(wanted))
    with store.session(write=False) as session:
        files: dict[int, list[Attachment]] = defaultdict(list)
        for component_id, remote_id, file_name, media_type, size, sha256 in session.execute(
            attachments
        ):
            files[component_id].append(Attachment(remote_id, file_name, media_type, size, sha256))
        parts: dict[int, list[Component]] = defaultdict(list)
        for component_id, dossier_id, spec_code, name, copy_kind in session.execute(components):
            parts[dossier_id].append(
                Component(spec_code, name, CopyKind(copy_kind), tuple(files[component_id]))
            )
        return [
            Dossier(
                code=code,
                procedure_code=procedure_code,
                submitted_at=submitted_at,
                status=DossierStatus(status),
                version=version,
                applicant=Applicant(name, citizen_id, birth_date, phone, email, address),
                components=tuple(parts[dossier_id]),
                procedure_name=procedure_name,
                raw_status=raw_status,
            )
            for (
                dossier_id,
                code,
                procedure_code,
                submitted_at,
                status,
                version,
                name,
                citizen_id,
                birth_date,
                phone,
                email,
                address,
                procedure_name,
                raw_status,
            ) in session.execute(dossiers)
        ]


def cached_attachments(store: Store, dossier_code: str) -> list[CachedAttachment]:
    """Return the attachments of a stored dossier with their cache state (empty if unknown)."""
    with store.session(write=False) as session:
        row = session.scalar(_query().where(DossierRow.code == dossier_code))
        if row is None:
            return []
        return [
            CachedAttachment(
                dossier_code=row.code,
                component_position=component.position,
                attachment=_attachment(attachment),
                state=DownloadState(attachment.download_state),
                cache_path=Path(attachment.cache_path) if attachment.cache_path else None,
                error=attachment.error,
            )
            for component in row.components
            for attachment in component.attachments
        ]


def mark_attachment(
    store: Store,
    dossier_code: str,
    remote_id: str,
    state: DownloadState,
    *,
    sha256: str | None = None,
    cache_path: Path | None = None,
    error: str | None = None,
) -> bool:
    """Record a download outcome for an attachment. Returns whether the attachment exists.

    ``sha256`` and ``cache_path`` are kept when not given; ``error`` is replaced.
    """
    with store.session() as session:
        rows = session.scalars(
            select(AttachmentRow)
            .join(ComponentRow)
            .join(DossierRow)
            .where(DossierRow.code == dossier_code, AttachmentRow.remote_id == remote_id)
        ).all()
        for row in rows:
            row.download_state = state.value
            row.sha256 = sha256.lower() if sha256 else row.sha256
            row.cache_path = str(cache_path) if cache_path else row.cache_path
            row.error = error
            row.updated_at = utc_now()
        if rows and sha256:  # the file's hash is in the audit summary; the rest is not
            audit_summary.refresh(session, [dossier_code])
        return bool(rows)


def _query() -> Select[DossierRow]:
    return select(DossierRow).options(
        selectinload(DossierRow.components).selectinload(ComponentRow.attachments)
    )


def _fill(
    row: DossierRow,
    dossier: Dossier,
    source: str,
    raw_json: str | None,
    synced_at: datetime | None,
) -> None:
    row.procedure_code = dossier.procedure_code
    row.procedure_name = dossier.procedure_name
    row.status = dossier.status.value
    row.national_status_code = dossier.status.national_code_if_known
    row.raw_status = dossier.raw_status if dossier.status is DossierStatus.OTHER else None
    row.version = dossier.version
    applicant = dossier.applicant
    row.applicant_name = applicant.name
    row.applicant_citizen_id = applicant.citizen_id
    row.applicant_birth_date = applicant.birth_date
    row.applicant_phone = applicant.phone
    row.applicant_email = applicant.email
    row.applicant_address = applicant.address
    row.submitted_at = dossier.submitted_at
    row.updated_at = utc_now()
    row.synced_at = synced_at
    row.source = source
    row.raw_json = raw_json


def _component_row(
    position: int, component: Component, previous: dict[str, AttachmentRow]
) -> ComponentRow:
    attachments = []
    for attachment in component.attachments:
        sha256 = attachment.sha256.lower() if attachment.sha256 else None
        old = previous.get(attachment.remote_id)
        # The local copy stays valid unless the server now declares other bytes.
        kept = old if old is not None and sha256 in (None, old.sha256) else None
        attachments.append(
            AttachmentRow(
                remote_id=attachment.remote_id,
                file_name=attachment.file_name,
                media_type=attachment.media_type,
                size=attachment.size,
                sha256=sha256 or (kept.sha256 if kept else None),
                cache_path=kept.cache_path if kept else None,
                download_state=kept.download_state if kept else DownloadState.PENDING.value,
                error=kept.error if kept else None,
                updated_at=utc_now(),
            )
        )
    return ComponentRow(
        position=position,
        spec_code=component.spec_code,
        name=component.name,
        copy_kind=component.copy_kind.value,
        attachments=attachments,
    )


def _attachment(row: AttachmentRow) -> Attachment:
    return Attachment(
        remote_id=row.remote_id,
        file_name=row.file_name,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
    )


def _to_domain(row: DossierRow) -> Dossier:
    return Dossier(
        code=row.code,
        procedure_code=row.procedure_code,
        submitted_at=row.submitted_at,
        status=DossierStatus(row.status),
        version=row.version,
        applicant=Applicant(
            name=row.applicant_name,
            citizen_id=row.applicant_citizen_id,
            birth_date=row.applicant_birth_date,
            phone=row.applicant_phone,
            email=row.applicant_email,
            address=row.applicant_address,
        ),
        components=tuple(
            Component(
                spec_code=component.spec_code,
                name=component.name,
                copy_kind=CopyKind(component.copy_kind),
                attachments=tuple(_attachment(a) for a in component.attachments),
            )
            for component in row.components
        ),
        procedure_name=row.procedure_name,
        raw_status=row.raw_status,
    )
