"""The trusted roots as a table: the shipped ones (read-only) and those a supervisor imported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import x509
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFontDatabase

from intake_desktop.services.signatures.certificates import display_name, fingerprint
from intake_desktop.services.signatures.trust import shipped_certificates
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.store.db import Store
from intake_desktop.store.trust_anchors import list_anchors
from intake_desktop.ui.table_model import Index, TableModel

ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's :class:`AnchorEntry`."""

_EXPIRED = QColor("#c62828")


@dataclass(frozen=True)
class AnchorEntry:
    """One trusted root as the table shows it."""

    fingerprint: str
    """Lowercase hex SHA-256 of the DER (the store's key)."""
    name: str
    organization: str
    subject: str
    """The whole subject, for the tooltip."""
    not_before: datetime
    not_after: datetime
    builtin: bool
    """Shipped with the app: listed, never removable here."""
    source: str
    """The file it was imported from (empty for shipped ones)."""

    def expired(self, now: datetime | None = None) -> bool:
        return self.not_after < (now or datetime.now(UTC))


@dataclass(frozen=True)
class TrustListing:
    anchors: tuple[AnchorEntry, ...]
    intermediates: int
    """Shipped intermediates: they help build chains but are not trusted by themselves."""


def _organization(cert: x509.Certificate) -> str:
    value = cert.subject.native.get("organization_name", "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value)


def _entry(cert: x509.Certificate, builtin: bool, source: str) -> AnchorEntry:
    validity = cert["tbs_certificate"]["validity"]
    return AnchorEntry(
        fingerprint=fingerprint(cert),
        name=display_name(cert.subject),
        organization=_organization(cert),
        subject=cert.subject.human_friendly,
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        builtin=builtin,
        source=source,
    )


def load_trust_listing(store: Store) -> TrustListing:
    """Read the shipped roots and the anchors in ``store``: built-in first, then imported.

    Reads files and the database: call it off the GUI thread. Raises ``TrustManifestError``
    if a shipped file was tampered with, and the store's errors.
    """
    shipped = shipped_certificates()
    builtin = sorted(
        (_entry(s.certificate, True, "") for s in shipped if s.role == "anchor"),
        key=lambda e: e.name.casefold(),
    )
    seen = {e.fingerprint for e in builtin}
    imported: list[AnchorEntry] = []
    for record in list_anchors(store):
        if record.fingerprint in seen:
            continue  # a shipped root recorded in the store: listed once, as built-in
        seen.add(record.fingerprint)
        try:
            entry = _entry(x509.Certificate.load(record.der), record.builtin, record.source)
        except (ValueError, TypeError, KeyError):
            # Unreadable DER is still listed (and removable) with what the store recorded.
            entry = AnchorEntry(
                record.fingerprint,
                record.subject,
                "",
                record.subject,
                record.not_before,
                record.not_after,
                record.builtin,
                record.source,
            )
        imported.append(entry)
    imported.sort(key=lambda e: e.name.casefold())
    return TrustListing(
        anchors=(*builtin, *imported),
        intermediates=sum(1 for s in shipped if s.role != "anchor"),
    )


def grouped_fingerprint(hex_digest: str, per_line: int = 8) -> str:
    """``"AB12 CD34 …"``: groups of four, ``per_line`` groups a line (two lines for SHA-256)."""
    groups = [hex_digest[i : i + 4].upper() for i in range(0, len(hex_digest), 4)]
    return "\n".join(" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))


def _date(value: datetime) -> str:
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y")


class TrustAnchorModel(TableModel):
    """Trusted roots, one per row; two-line cells (name / organisation, fingerprint)."""

    COLUMNS = ("name", "validity", "fingerprint", "source")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[AnchorEntry, ...] = ()
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def set_entries(self, entries: Sequence[AnchorEntry]) -> None:
        self.beginResetModel()
        self._rows = tuple(entries)
        self.endResetModel()

    def entry(self, row: int) -> AnchorEntry:
        return self._rows[row]

    def entries(self) -> tuple[AnchorEntry, ...]:
        return self._rows

    def row_count(self) -> int:
        return len(self._rows)

    def headers(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("TrustAnchorModel", "Chứng thư"),
            QCoreApplication.translate("TrustAnchorModel", "Hiệu lực"),
            QCoreApplication.translate("TrustAnchorModel", "Vân tay SHA-256"),
            QCoreApplication.translate("TrustAnchorModel", "Nguồn"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == ANCHOR_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "fingerprint":
                return ":".join(
                    entry.fingerprint[i : i + 2].upper()
                    for i in range(0, len(entry.fingerprint), 2)
                )
            return entry.subject
        if role == Qt.ItemDataRole.FontRole and column == "fingerprint":
            return self._mono
        if role == Qt.ItemDataRole.ForegroundRole and column == "validity" and entry.expired():
            return _EXPIRED
        return None

    def _display(self, entry: AnchorEntry, column: str) -> str:
        if column == "name":
            return f"{entry.name}\n{entry.organization}" if entry.organization else entry.name
        if column == "validity":
            text = QCoreApplication.translate("TrustAnchorModel", "từ %1\nđến %2")
            text = text.replace("%1", _date(entry.not_before)).replace("%2", _date(entry.not_after))
            if entry.expired():
                text += QCoreApplication.translate("TrustAnchorModel", " (hết hạn)")
            return text
        if column == "fingerprint":
            return grouped_fingerprint(entry.fingerprint)
        if entry.builtin:
            return QCoreApplication.translate("TrustAnchorModel", "Có sẵn")
        return QCoreApplication.translate("TrustAnchorModel", "Đã nhập\n%1").replace(
            "%1", entry.source
        )
