"""Tables of the training server's own SQLite file, as typed SQLAlchemy 2.x ORM classes.

The training server is not the desktop store: it plays the provincial procedure system, so
it has its own file under the server's data folder and its own, simpler schema life. The
tables are made with ``create_all``; :data:`SCHEMA_VERSION` is kept in :class:`MetaRow`
and a file of another version is refused (the trainer resets it: training data is
disposable). JSON columns are text with a ``_json`` suffix.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from intake_desktop.sql_types import NAMING_CONVENTION
from intake_desktop.sql_types import UtcDateTime as UtcDateTime  # re-exported for the tables' users
from intake_desktop.sql_types import utc_now as utc_now
from intake_desktop.sql_types import utc_text as utc_text

SCHEMA_VERSION = 2
"""Bump on any change to these tables: older files are then refused until reset.

2: officers carry the supervisor role."""

VN_TZ = timezone(timedelta(hours=7), "ICT")
"""Asia/Ho_Chi_Minh (no daylight saving): every time the server shows carries +07:00."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MetaRow(Base):
    """Facts about the file: schema version, how it was seeded."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OfficerRow(Base):
    """A reception officer account (or the trainer's)."""

    __tablename__ = "officers"

    username: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    """``scrypt$n$r$p$salt$hash`` (hex); the password itself is never stored."""
    trainer: Mapped[bool] = mapped_column(Boolean)
    """May use the ``/api/v1/_training/`` routes."""
    supervisor: Mapped[bool] = mapped_column(Boolean, default=False)
    """Audits the unit: its sign-in answer carries the ``supervisor`` role."""


class TokenRow(Base):
    """A bearer token, kept only as its SHA-256: a copy of the file gives no live token."""

    __tablename__ = "tokens"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(
        ForeignKey("officers.username", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class ProcedureRow(Base):
    """A procedure of the catalog, as served on ``/api/v1/procedures``."""

    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    sector: Mapped[str] = mapped_column(Text)
    agency_level: Mapped[str] = mapped_column(String(20))
    processing_days: Mapped[int] = mapped_column(Integer)
    processing_note: Mapped[str] = mapped_column(Text)
    fee_vnd: Mapped[int | None] = mapped_column(Integer)
    fee_note: Mapped[str] = mapped_column(Text)
    legal_basis_json: Mapped[str] = mapped_column(Text)
    source_urls_json: Mapped[str] = mapped_column(Text)
    components_json: Mapped[str] = mapped_column(Text)
    """The component requirements as the contract's ``ComponentSpec`` objects."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DossierRow(Base):
    """An online dossier with the applicant flattened in."""

    __tablename__ = "dossiers"
    __table_args__ = (Index("ix_dossiers_updated_at_code", "updated_at", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(80))
    procedure_name: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(32), index=True)
    national_status_code: Mapped[int] = mapped_column(Integer)
    channel: Mapped[int] = mapped_column(Integer)
    """National submission channel: 2 = online."""
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    """When the server last changed the dossier (seed, reset or decision)."""
    applicant_name: Mapped[str] = mapped_column(Text)
    applicant_citizen_id: Mapped[str] = mapped_column(String(32))
    applicant_birth_date: Mapped[date | None] = mapped_column(Date)
    applicant_phone: Mapped[str | None] = mapped_column(String(32))
    applicant_email: Mapped[str | None] = mapped_column(String(254))
    applicant_address: Mapped[str | None] = mapped_column(Text)
    scenario: Mapped[str | None] = mapped_column(String(64))
    """The demo generator's scenario (what is wrong with it, if anything): trainers only."""
    expected_decision: Mapped[str | None] = mapped_column(String(32))
    """The decision the scenario calls for: trainers only, never in the contract's JSON."""

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
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    spec_code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    copy_kind: Mapped[str] = mapped_column(String(16))

    dossier: Mapped[DossierRow] = relationship(back_populates="components")
    attachments: Mapped[list[AttachmentRow]] = relationship(
        back_populates="component",
        cascade="all, delete-orphan",
        order_by="AttachmentRow.position",
    )


class AttachmentRow(Base):
    """A file of a component; its bytes live under ``files/`` in the data folder, by SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    """The id the contract shows (``Attachment.id``): stable across resets."""
    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))

    component: Mapped[ComponentRow] = relationship(back_populates="attachments")


class DecisionRow(Base):
    """A decision the server recorded, keyed by its Idempotency-Key.

    The primary key is the key itself: two requests racing with the same key cannot both
    insert, whatever the timing. The first answer is kept to be returned to every repeat.
    """

    __tablename__ = "decisions"

    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    """The Idempotency-Key, lowercase."""
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    officer: Mapped[str] = mapped_column(ForeignKey("officers.username"))
    kind: Mapped[str] = mapped_column(String(32))
    dossier_version: Mapped[int] = mapped_column(Integer)
    """The version the officer decided on."""
    reasons_json: Mapped[str] = mapped_column(Text)
    components_json: Mapped[str] = mapped_column(Text)
    appointment_date: Mapped[date | None] = mapped_column(Date)
    officer_note: Mapped[str] = mapped_column(Text)
    verdict_snapshot_json: Mapped[str] = mapped_column(Text)
    """What the officer saw for each attachment when deciding."""
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    receipt_json: Mapped[str] = mapped_column(Text)
    """The first answer (``DecisionReceipt``), returned as is to every repeat."""

    dossier: Mapped[DossierRow] = relationship()
    officer_row: Mapped[OfficerRow] = relationship()
    """The officer's account, for the display name the decision history shows."""
