"""Tables of the local SQLite store, as typed SQLAlchemy 2.x ORM classes.

Row classes end in ``Row`` so they never meet the domain's records of the same name.
JSON columns are text with a ``_json`` suffix: the repository modules own their encoding.
Every schema change goes through an Alembic revision in ``migrations/versions``; the test
suite checks that the migrations and these classes agree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from intake_desktop.sql_types import NAMING_CONVENTION, WIDE_INTEGER
from intake_desktop.sql_types import UtcDateTime as UtcDateTime  # re-exported for the tables' users
from intake_desktop.sql_types import utc_now as utc_now
from intake_desktop.sql_types import utc_text as utc_text


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProcedureRow(Base):
    """A procedure of the catalog; seeded from ``resources/catalog/procedures.json``."""

    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    sector: Mapped[str] = mapped_column(String(200))
    agency_level: Mapped[str] = mapped_column(String(20))
    agency: Mapped[str] = mapped_column(Text)
    processing_days: Mapped[int] = mapped_column(Integer)
    processing_calendar_days: Mapped[bool] = mapped_column(Boolean)
    processing_note: Mapped[str] = mapped_column(Text)
    fee_vnd: Mapped[int | None] = mapped_column(Integer)
    fee_note: Mapped[str] = mapped_column(Text)
    legal_basis_json: Mapped[str] = mapped_column(Text)
    source_urls_json: Mapped[str] = mapped_column(Text)
    channels_json: Mapped[str] = mapped_column(Text)
    code_verified: Mapped[bool] = mapped_column(Boolean)
    components_verified: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    component_specs: Mapped[list[ComponentSpecRow]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="ComponentSpecRow.position",
    )


class ComponentSpecRow(Base):
    """One component requirement of a catalog procedure."""

    __tablename__ = "component_specs"
    __table_args__ = (UniqueConstraint("procedure_code", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_code: Mapped[str] = mapped_column(
        ForeignKey("procedures.code", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    copy_kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean)
    online: Mapped[bool] = mapped_column(Boolean)
    signature_required: Mapped[bool] = mapped_column(Boolean)
    condition: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    form: Mapped[str | None] = mapped_column(Text)

    procedure: Mapped[ProcedureRow] = relationship(back_populates="component_specs")


class DossierRow(Base):
    """A dossier as last synced from its source, with the applicant flattened in."""

    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(80), index=True)
    procedure_name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), index=True)
    national_status_code: Mapped[int | None] = mapped_column(Integer)
    """The national ``TrangThaiHoSo``, kept so an adapter is a mapping, not a redesign;
    ``None`` only for a status the desk does not know (``other``)."""
    raw_status: Mapped[str | None] = mapped_column(Text)
    """The source's own words for a status the desk does not know (``other``), else ``None``."""
    version: Mapped[int] = mapped_column(WIDE_INTEGER)
    applicant_name: Mapped[str] = mapped_column(Text)
    applicant_citizen_id: Mapped[str] = mapped_column(String(32), index=True)
    applicant_birth_date: Mapped[date | None] = mapped_column(Date)
    applicant_phone: Mapped[str | None] = mapped_column(String(32))
    applicant_email: Mapped[str | None] = mapped_column(String(254))
    applicant_address: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    """When this row last changed locally."""
    synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(String(300))
    """Where it came from: the server's base URL, or ``demo``."""
    raw_json: Mapped[str | None] = mapped_column(Text)
    """The server's payload as received, for support and for adapters."""

    components: Mapped[list[ComponentRow]] = relationship(
        back_populates="dossier",
        cascade="all, delete-orphan",
        order_by="ComponentRow.position",
    )


class ComponentRow(Base):
    """A component submitted with a dossier."""

    __tablename__ = "components"
    __table_args__ = (UniqueConstraint("dossier_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    spec_code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    copy_kind: Mapped[str] = mapped_column(String(16))

    dossier: Mapped[DossierRow] = relationship(back_populates="components")
    attachments: Mapped[list[AttachmentRow]] = relationship(
        back_populates="component",
        cascade="all, delete-orphan",
        order_by="AttachmentRow.id",
    )


class AttachmentRow(Base):
    """A file of a component and the state of its copy in the local cache."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("component_id", "remote_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE"), index=True
    )
    remote_id: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(WIDE_INTEGER)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    cache_path: Mapped[str | None] = mapped_column(Text)
    download_state: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    component: Mapped[ComponentRow] = relationship(back_populates="attachments")


class SignatureReportRow(Base):
    """A cached signature report, keyed by what it depends on.

    Same bytes, same trust anchors, same engine, same options: same report. Changing any
    of them misses the cache instead of serving a stale verdict.
    """

    __tablename__ = "signature_reports"
    __table_args__ = (UniqueConstraint("sha256", "trust_version", "engine_version", "options"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    trust_version: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(64))
    options: Mapped[str] = mapped_column(String(64))
    """Short tag of the check's options, e.g. ``offline`` or ``online``."""
    verdict: Mapped[str] = mapped_column(String(32))
    report_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditVerdictRow(Base):
    """What the supervisor's audit shows of a cached signature report, without its JSON.

    One row per ``signature_reports`` row (same key), written with it: loading 300,000 audit
    rows must not parse 300,000 reports. Tuples are text, each item led by ``\x1f``.
    """

    __tablename__ = "audit_verdicts"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    trust_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    engine_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    options: Mapped[str] = mapped_column(String(64), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(32))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    signers: Mapped[str] = mapped_column(Text)
    signer_ids: Mapped[str] = mapped_column(Text)
    providers: Mapped[str] = mapped_column(Text)
    problems: Mapped[str] = mapped_column(Text)
    record: Mapped[str] = mapped_column(Text)
    """The fields above as the audit reads them, packed (``audit_summary.verdict_record``)."""


class AuditSummaryRow(Base):
    """One row per stored file for the supervisor's audit: its dossier, and the dossier's
    effective decision with what its officer saw of this file.

    Derived data: :mod:`intake_desktop.store.audit_summary` rewrites a dossier's rows in the
    transaction that changes the dossier, its files or its decisions. The file's verdict now
    is joined from :class:`AuditVerdictRow` at load, since it depends on the trust anchors.
    """

    __tablename__ = "audit_summary"
    __table_args__ = (
        Index(
            "ix_audit_summary_order",
            "submitted_at",
            "dossier_code",
            "component_position",
            "file_position",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_code: Mapped[str] = mapped_column(String(80), index=True)
    procedure_code: Mapped[str] = mapped_column(String(80))
    procedure_name: Mapped[str] = mapped_column(Text)
    applicant_name: Mapped[str] = mapped_column(Text)
    applicant_citizen_id: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    component_position: Mapped[int] = mapped_column(Integer)
    component: Mapped[str] = mapped_column(Text)
    file_position: Mapped[int] = mapped_column(Integer)
    """Order of the file in its component."""
    attachment_id: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    decision_id: Mapped[str | None] = mapped_column(String(36))
    decision_kind: Mapped[str | None] = mapped_column(String(32))
    decision_state: Mapped[str | None] = mapped_column(String(16))
    officer: Mapped[str] = mapped_column(String(200), index=True)
    """Empty for an undecided dossier."""
    officer_name: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    day: Mapped[date] = mapped_column(Date, index=True)
    """The Vietnam date of the decision, or of the submission when undecided."""
    verdict_then: Mapped[str | None] = mapped_column(String(32))
    sha256_then: Mapped[str | None] = mapped_column(String(64))
    file_changed: Mapped[bool] = mapped_column(Boolean)
    """The file the officer decided on is not the one stored now (SHA-256 differs)."""
    dossier_record: Mapped[str] = mapped_column(Text)
    """The dossier's and its decision's fields as the audit reads them, packed: one value
    to fetch instead of twelve (``audit_summary.dossier_record``)."""
    first_file: Mapped[bool] = mapped_column(Boolean)
    """The dossier's first file in the audit's order: the one row that gives its record."""
    file_record: Mapped[str] = mapped_column(Text)
    """The file's fields as the audit reads them, packed (``audit_summary.file_record``)."""


class DecisionRow(Base):
    """A decision of an officer: this desk's (in the outbox until the server takes it) or,
    read from the server's decision history, another officer's (``origin``)."""

    __tablename__ = "decisions"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    """Idempotency key: every attempt to send this decision carries it."""
    dossier_code: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    reasons_json: Mapped[str] = mapped_column(Text)
    components_json: Mapped[str] = mapped_column(Text)
    """Components the decision names (to supplement, or accepted), as JSON."""
    appointment_date: Mapped[date | None] = mapped_column(Date)
    officer_note: Mapped[str] = mapped_column(Text)
    verdict_snapshot_json: Mapped[str] = mapped_column(Text)
    """The signature verdicts the officer saw when deciding."""
    dossier_version: Mapped[int] = mapped_column(WIDE_INTEGER)
    national_status_code: Mapped[int | None] = mapped_column(Integer)
    """The national ``TrangThaiHoSo`` the decision leads to (2, 3, 5), whatever the system."""
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    server_receipt_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    officer: Mapped[str] = mapped_column(String(200), index=True)
    origin: Mapped[str] = mapped_column(String(16), default="desk", server_default="desk")
    """``desk``: made here, through the outbox; ``server``: read from the server's history
    (another officer or desk), always SENT (the server has it) and never sent from here."""
    officer_name: Mapped[str | None] = mapped_column(Text)
    """The officer's display name as the server's history gives it."""
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """When the server recorded the decision (its history says); ``None`` until known."""


class AuditEntryRow(Base):
    """One entry of the append-only, hash-chained audit log.

    ``hash`` is SHA-256 over ``prev_hash`` and the canonical JSON of the entry, so editing
    or deleting a row breaks the chain at that row. Triggers refuse UPDATE and DELETE.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    details_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class TrustAnchorRow(Base):
    """A root certificate signatures may chain to."""

    __tablename__ = "trust_anchors"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    """Lowercase hex SHA-256 of the DER bytes."""
    der: Mapped[bytes] = mapped_column(LargeBinary)
    subject: Mapped[str] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime())
    not_after: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SettingRow(Base):
    """A key/value pair the store keeps for itself (e.g. the seeded catalog's digest)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PracticeAttemptRow(Base):
    """One decision a trainee made in test mode, scored against the case's right decision.

    ``session`` groups attempts between two resets of the score; older sessions are kept.
    """

    __tablename__ = "practice_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    dossier_code: Mapped[str] = mapped_column(String(80))
    scenario: Mapped[str] = mapped_column(String(40))
    expected: Mapped[str] = mapped_column(String(32))
    given: Mapped[str] = mapped_column(String(32))
    correct: Mapped[bool] = mapped_column(Boolean)
    explanation: Mapped[str] = mapped_column(Text)
