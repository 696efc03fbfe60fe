"""One audit row per submitted file: its verdict now, and what the officer saw and decided."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from intake_desktop.clock import vn_date
from intake_desktop.domain import DecisionKind, DecisionOrigin, OutboxState
from intake_desktop.services.signatures import InspectOptions, TrustStore, Verdict
from intake_desktop.services.signatures.inspect import ENGINE_VERSION
from intake_desktop.store.audit_summary import (
    DOSSIER_FIELDS,
    FIELD_SEPARATOR,
    FILE_FIELDS,
    VERDICT_FIELDS,
    SummaryRecord,
    decode,
    summary_columns,
    summary_records,
)
from intake_desktop.store.db import Store


@dataclass(slots=True)
class AuditRow:
    """One stored file as the audit shows it. Never changed once loaded; not frozen, since
    a frozen dataclass sets each field through ``object.__setattr__``, which made building
    300,000 rows take half a second more."""

    dossier_code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_citizen_id: str
    submitted_at: datetime
    component: str
    file_name: str
    attachment_id: str
    sha256: str | None
    verdict_now: Verdict | None
    """The latest verdict with today's trust anchors and engine; ``None``: not checked with
    them yet (or not downloaded) — re-validate to fill it."""
    checked_at: datetime | None
    """When :attr:`verdict_now` was reached (revocation and expiry move on after it)."""
    signers: tuple[str, ...]
    signer_ids: tuple[str, ...]
    providers: tuple[str, ...]
    problems: tuple[str, ...]
    """Codes of the warning and worse reasons of the file's signatures (e.g. modified_other)."""
    decision: DecisionKind | None
    officer: str
    decided_at: datetime | None
    decision_state: OutboxState | None
    verdict_then: str | None
    """The verdict the officer saw when deciding (the decision's snapshot)."""
    officer_name: str = ""
    """The deciding officer's display name, when the server's history gave it."""
    origin: DecisionOrigin | None = None
    """Whether the decision was made at this desk or read from the server's history."""
    sha256_then: str | None = None
    """The SHA-256 of the file the officer saw when deciding (the decision's snapshot)."""

    @property
    def file_changed(self) -> bool:
        """The file the officer decided on is not the one the server holds now."""
        return (
            self.sha256_then is not None
            and self.sha256 is not None
            and self.sha256_then.lower() != self.sha256.lower()
        )

    @property
    def decided_on(self) -> date | None:
        return vn_date(self.decided_at) if self.decided_at else None

    @property
    def day(self) -> date:
        """The Vietnam date the row belongs to: its decision's, or else its submission's."""
        return self.decided_on or vn_date(self.submitted_at)

    @property
    def signer_mismatch(self) -> bool:
        """A signer's citizen ID differs from the applicant's."""
        return any(i != self.applicant_citizen_id for i in self.signer_ids)

    @property
    def verdict_changed(self) -> bool:
        return (
            self.verdict_then is not None
            and self.verdict_now is not None
            and self.verdict_then != self.verdict_now.value
        )


def load_rows(
    store: Store, trust: TrustStore, options: InspectOptions | None = None
) -> list[AuditRow]:
    """Every stored file as an audit row, from the store's narrow audit summary.

    One query joins each file's summary row (dossier, effective decision, what its officer
    saw) with the audit facts of its latest report for these trust anchors, engine and
    options, whatever the report's age: looking back, the last verdict reached (and when)
    beats "not checked". No cached report is parsed here.
    """
    options = options or InspectOptions()
    key = (trust.version, ENGINE_VERSION, options.cache_key)
    # Building 300,000 rows would run the cycle collector hundreds of times over objects
    # that hold no cycles: a third of the time. Paused for the build only.
    paused = gc.isenabled()
    gc.disable()
    try:
        try:
            return _Builder().packed(summary_records(store, *key))
        except _Unpackable:
            # A text holds the field separator: read that store column by column.
            return _Builder().columns(summary_columns(store, *key))
    finally:
        if paused:
            gc.enable()


class _Unpackable(Exception):
    pass


class _Builder:
    """Audit rows from summary records; a dossier's values and a report's facts are
    converted once and shared by the rows that have them."""

    def __init__(self) -> None:
        self._dossiers: dict[object, tuple[Any, ...]] = {}
        self._verdicts: dict[object, tuple[Any, ...]] = {}
        self._tuples: dict[str, tuple[str, ...]] = {"": ()}

    def packed(self, records: Sequence[SummaryRecord]) -> list[AuditRow]:
        verdicts, make, parse_time = self._verdicts, _MAKE_FROM_GROUPS, datetime.fromisoformat
        dossier_of, verdict_of = self._dossier, self._verdict
        rows = []
        d: tuple[Any, ...] = ()
        for dossier_record, file_text, verdict_record, checked_at in records:
            if dossier_record is not None:  # the dossier's first file; its others follow
                d = dossier_of(_split(bytes(dossier_record).decode(), _DOSSIER))
            v = verdicts.get(verdict_record)
            if v is None:
                text = bytes(verdict_record).decode()
                v = verdicts[verdict_record] = verdict_of(_split(text, _VERDICT) if text else None)
            f = file_text.split(FIELD_SEPARATOR)
            if len(f) != _FILE:
                raise _Unpackable
            rows.append(make(d, f, v, parse_time(checked_at) if checked_at else None))
        return rows

    def columns(
        self,
        records: Sequence[
            tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...] | None, str | None]
        ],
    ) -> list[AuditRow]:
        rows = []
        for dossier, file, verdict, checked_at in records:
            d = self._dossiers.get(dossier)
            if d is None:
                d = self._dossiers[dossier] = self._dossier(
                    ["" if x is None else x for x in dossier]
                )
            v = self._verdicts.get(verdict)
            if v is None:
                v = self._verdicts[verdict] = self._verdict(
                    None if verdict is None else list(verdict)
                )
            component, file_name, attachment_id, sha256, then, sha256_then = file
            # As the packed file record has them (NULL "", verdict_then led by "=").
            f = [
                component,
                file_name,
                attachment_id,
                sha256 or "",
                "" if then is None else "=" + then,
                sha256_then or "",
            ]
            rows.append(
                _MAKE_FROM_GROUPS(
                    d, f, v, datetime.fromisoformat(checked_at) if checked_at else None
                )
            )
        return rows

    def _dossier(self, fields: Sequence[str]) -> tuple[Any, ...]:
        code, procedure, name, applicant, citizen_id, submitted = fields[:6]
        kind, officer, decided_at, state, officer_name, origin = fields[6:]
        return (
            code,
            procedure,
            name,
            applicant,
            citizen_id,
            datetime.fromisoformat(submitted),
            _KINDS.get(kind),
            officer,
            datetime.fromisoformat(decided_at) if decided_at else None,
            _STATES.get(state),
            officer_name,
            _ORIGINS.get(origin),
        )

    def _verdict(self, fields: Sequence[str] | None) -> tuple[Any, ...]:
        if fields is None:
            return (None, (), (), (), ())
        verdict, signers, signer_ids, providers, problems = fields
        return (
            _VERDICTS.get(verdict),
            self._items(signers),
            self._items(signer_ids),
            self._items(providers),
            self._items(problems),
        )

    def _items(self, text: str) -> tuple[str, ...]:
        found = self._tuples.get(text)
        if found is None:
            found = self._tuples[text] = decode(text)
        return found


def _split(text: str, count: int) -> list[str]:
    fields = text.split(FIELD_SEPARATOR)
    if len(fields) != count:
        raise _Unpackable
    return fields


_DOSSIER, _FILE, _VERDICT = len(DOSSIER_FIELDS), len(FILE_FIELDS), len(VERDICT_FIELDS)
_VERDICTS: dict[str | None, Verdict] = {v.value: v for v in Verdict}
_KINDS: dict[str | None, DecisionKind] = {k.value: k for k in DecisionKind}
_STATES: dict[str | None, OutboxState] = {s.value: s for s in OutboxState}
_ORIGINS: dict[str | None, DecisionOrigin] = {o.value: o for o in DecisionOrigin}


def _make_from_groups(
    d: tuple[Any, ...], f: list[str], v: tuple[Any, ...], checked: datetime | None
) -> AuditRow:
    """An :class:`AuditRow` from the parsed groups: ``d`` the dossier's (``_dossier``),
    ``f`` the file record's fields, ``v`` the report's (``_verdict``), ``checked`` its time."""
    # Positional: binding 24 keywords took twice as long as building the row.
    return AuditRow(
        d[0],  # dossier_code
        d[1],  # procedure_code
        d[2],  # procedure_name
        d[3],  # applicant_name
        d[4],  # applicant_citizen_id
        d[5],  # submitted_at
        f[0],  # component
        f[1],  # file_name
        f[2],  # attachment_id
        f[3] or None,  # sha256
        v[0],  # verdict_now
        checked,  # checked_at
        v[1],  # signers
        v[2],  # signer_ids
        v[3],  # providers
        v[4],  # problems
        d[6],  # decision
        d[7],  # officer
        d[8],  # decided_at
        d[9],  # decision_state
        f[4][1:] if f[4] else None,  # verdict_then
        d[10],  # officer_name
        d[11],  # origin
        f[5] or None,  # sha256_then
    )


_MAKE_FROM_GROUPS = _make_from_groups
assert [f.name for f in fields(AuditRow)] == [
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "applicant_name",
    "applicant_citizen_id",
    "submitted_at",
    "component",
    "file_name",
    "attachment_id",
    "sha256",
    "verdict_now",
    "checked_at",
    "signers",
    "signer_ids",
    "providers",
    "problems",
    "decision",
    "officer",
    "decided_at",
    "decision_state",
    "verdict_then",
    "officer_name",
    "origin",
    "sha256_then",
], "keep _make_from_groups in field order"
