"""Test mode's office history: dossiers other officers of the unit already decided.

A supervisor's desk in test mode audits the unit (``Desk.office_sync``): it needs decisions
it did not make, by officers with names, with the snapshot each officer's desk sent (per
attachment: SHA-256, verdict, signers' CCCD). They are built here from the demo dossiers
already generated (copies under new codes and attachment ids, the same signed bytes), so
no extra signing is needed, and they are deterministic: the same dossiers and the same
moment give the same codes, ids and dates.

A few decisions are wrong on purpose, for the audit to find (see :class:`Twist`): a
dossier accepted although its declaration's signature is invalid, and one whose file on
the server is no longer the one the officer saw (its snapshot names other bytes). Two
dossiers belong to a neighbouring ward's desk: the demo source never lists them to this
unit, so a test can see that the office-wide sync stays within the unit.

Plain Python, no Qt; the verdicts come from the signature engine with the demo trust.
"""

from __future__ import annotations

import enum
import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from intake_desktop.demo.dossiers import DEFAULT_OFFICE, DemoDossier, Office, Scenario
from intake_desktop.domain import (
    Component,
    DecisionKind,
    DecisionRecord,
    Dossier,
    VerdictSnapshot,
)
from intake_desktop.services.working_days import VN_TZ, OfficeCalendar


@dataclass(frozen=True, slots=True)
class DemoOfficer:
    """An officer of a demo one-stop desk (not the one using test mode)."""

    username: str
    name: str
    unit: str


NEIGHBOUR_OFFICE = Office(
    agency_code="000.00.55.H48",
    procedure_suffix=DEFAULT_OFFICE.procedure_suffix,
    name="UBND phường Quan Hoa",
    locality=DEFAULT_OFFICE.locality,
)
"""Another ward's desk: its dossiers are not this unit's to audit."""

UNIT_OFFICERS = (
    DemoOfficer("lethuha", "Lê Thu Hà", DEFAULT_OFFICE.unit),
    DemoOfficer("nguyenvanbinh", "Nguyễn Văn Bình", DEFAULT_OFFICE.unit),
    DemoOfficer("phamminhtuan", "Phạm Minh Tuấn", DEFAULT_OFFICE.unit),
    DemoOfficer("dothilan", "Đỗ Thị Lan", DEFAULT_OFFICE.unit),
)
"""The officers whose desks made the demo unit's decisions."""

NEIGHBOUR_OFFICER = DemoOfficer("hoangvannam", "Hoàng Văn Nam", NEIGHBOUR_OFFICE.unit)

HISTORY_COUNT = 12
"""Decided dossiers of the unit (at most one per demo dossier)."""
NEIGHBOUR_COUNT = 2
"""Decided dossiers of the neighbouring desk."""

DEFAULT_PROCESSING_DAYS = 3
"""Processing days of an acceptance whose procedure the catalog does not know."""


class Twist(enum.StrEnum):
    """What is wrong with a decision, for the supervisor to find (trainers' notes)."""

    NONE = "none"
    ACCEPTED_DESPITE_INVALID = "accepted_despite_invalid"
    """Accepted although a file's signature is not valid."""
    FILE_REPLACED = "file_replaced"
    """The file on the server is not the one the officer saw (the snapshot's SHA-256
    differs): replaced after the decision."""


_REASONS = {
    Scenario.MISSING_COMPONENT: (
        "Hồ sơ còn thiếu thành phần bắt buộc theo quy định; đề nghị bổ sung, hoàn thiện."
    ),
    Scenario.UNSIGNED_COMPONENT: "Tờ khai chưa được ký số; đề nghị ký số và nộp lại tờ khai.",
    Scenario.SIGNER_MISMATCH: (
        "Người ký số tờ khai không phải chủ hồ sơ (số CCCD trên chứng thư số không trùng khớp)."
    ),
    Scenario.MODIFIED_AFTER_SIGNING: (
        "Tờ khai bị sửa nội dung sau khi ký số; đề nghị nộp lại bản đã ký đúng."
    ),
    Scenario.UNTRUSTED_CERTIFICATE: (
        "Chứng thư số của người ký không do tổ chức cung cấp dịch vụ được cấp phép phát hành."
    ),
    Scenario.EXPIRED_CERTIFICATE: (
        "Chứng thư số đã hết hạn tại thời điểm ký và không có dấu thời gian."
    ),
    Scenario.CORRUPT_ATTACHMENT: "Tệp đính kèm bị hỏng, không mở được; đề nghị tải lên lại.",
}
_REFUSAL = (
    "Thủ tục không thuộc thẩm quyền giải quyết của UBND phường; đề nghị công dân nộp hồ sơ"
    " tại UBND quận Cầu Giấy."
)
_WEAK_REASON = "Đã đối chiếu bản giấy tại Bộ phận Một cửa."
"""What the officer who accepted an invalid signature wrote: not a reason the law accepts."""

_INVALID_FIRST = (
    Scenario.MODIFIED_AFTER_SIGNING,
    Scenario.SIGNER_MISMATCH,
    Scenario.UNTRUSTED_CERTIFICATE,
    Scenario.EXPIRED_CERTIFICATE,
    Scenario.UNSIGNED_COMPONENT,
)
"""The scenarios whose wrong acceptance the audit must catch, most telling first."""


@dataclass(frozen=True)
class HistoryDossier:
    """A dossier another officer decided, as the demo source serves it."""

    dossier: Dossier
    """Decided (status from the decision), version 2; ``decisions`` left empty (see
    :func:`decision_record`, which needs the verdicts)."""
    files: Mapping[str, bytes]
    """Attachment remote id -> bytes (the source demo dossier's bytes)."""
    unit: str
    officer: DemoOfficer
    kind: DecisionKind
    reasons: tuple[str, ...]
    appointment_date: date | None
    recorded_at: datetime
    scenario: Scenario
    twist: Twist = Twist.NONE

    @property
    def decision_id(self) -> str:
        # Stable across restarts: the store merges decisions by id.
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"intake-desktop-demo-history:{self.code}"))

    @property
    def code(self) -> str:
        return self.dossier.code


Verdicts = Callable[[bytes], tuple[str, tuple[str, ...]]]
"""A file's bytes -> (document verdict, signers' CCCD), as the officer's desk saw it."""


def office_history(
    demos: Sequence[DemoDossier],
    now: datetime,
    *,
    processing_days: Mapping[str, int] | None = None,
    calendar: OfficeCalendar | None = None,
) -> list[HistoryDossier]:
    """The unit's decided dossiers (and the neighbour's), all submitted and decided before
    ``now`` (within the 28 days before it), built from ``demos``. Empty without demos.

    ``processing_days`` maps national procedure codes to their working days (for the
    appointment dates of acceptances).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(VN_TZ)
    calendar = calendar or OfficeCalendar()
    days = dict(processing_days or {})
    chosen = _choose(demos, HISTORY_COUNT)
    if not chosen:
        return []
    wrong = next((i for s in _INVALID_FIRST for i, d in enumerate(chosen) if d.scenario is s), None)
    accepted = [
        i for i, d in enumerate(chosen) if d.expected_decision is DecisionKind.ACCEPT and i != wrong
    ]
    # The newest acceptance is the one whose file was replaced (as the training server does).
    replaced = accepted[-1] if accepted else None
    refused = next(
        (
            i
            for i, d in enumerate(chosen)
            if d.scenario is Scenario.MISSING_COMPONENT and i not in (wrong, replaced)
        ),
        None,
    )
    history = []
    for index, demo in enumerate(chosen):
        reasons: tuple[str, ...] = ()
        twist = Twist.NONE
        if index == wrong:
            kind, reasons, twist = (
                DecisionKind.ACCEPT,
                (_WEAK_REASON,),
                Twist.ACCEPTED_DESPITE_INVALID,
            )
        elif index == refused:
            kind, reasons = DecisionKind.REFUSE, (_REFUSAL,)
        elif demo.expected_decision is DecisionKind.ACCEPT:
            kind = DecisionKind.ACCEPT
            twist = Twist.FILE_REPLACED if index == replaced else Twist.NONE
        else:
            kind = DecisionKind.REQUEST_SUPPLEMENT
            reasons = (_REASONS.get(demo.scenario, _REASONS[Scenario.MISSING_COMPONENT]),)
        officer = UNIT_OFFICERS[index % len(UNIT_OFFICERS)]
        history.append(
            _decided(
                demo, index, len(chosen), now, DEFAULT_OFFICE, officer, kind, reasons, twist,
                days, calendar,
            )
        )  # fmt: skip
    # The neighbour's desk: plain acceptances, older codes of another agency.
    goods = [d for d in demos if d.expected_decision is DecisionKind.ACCEPT] or list(demos)
    for offset, demo in enumerate(sorted(goods, key=lambda d: d.dossier.code)[:NEIGHBOUR_COUNT]):
        index = len(chosen) + offset
        history.append(
            _decided(
                demo, index, len(chosen) + NEIGHBOUR_COUNT, now, NEIGHBOUR_OFFICE,
                NEIGHBOUR_OFFICER, DecisionKind.ACCEPT, (), Twist.NONE, days, calendar,
            )
        )  # fmt: skip
    return history


def decision_record(history: HistoryDossier, verdicts: Verdicts) -> DecisionRecord:
    """The decision as the provincial system keeps it, with the snapshot the officer's desk
    sent: what ``verdicts`` says of each file (the engine, as the desk ran it)."""
    snapshot: list[VerdictSnapshot] = []
    for component in history.dossier.components:
        for attachment in component.attachments:
            verdict, signers = verdicts(history.files[attachment.remote_id])
            sha256 = attachment.sha256
            if history.twist is Twist.FILE_REPLACED and not snapshot and sha256:
                # The officer saw other bytes, and a valid file: a well-formed hash of them.
                sha256 = hashlib.sha256(b"before replacement:" + bytes.fromhex(sha256)).hexdigest()
                verdict = "valid"
            snapshot.append(VerdictSnapshot(attachment.remote_id, sha256, verdict, signers))
    status = history.kind.resulting_status
    return DecisionRecord(
        decision_id=history.decision_id,
        kind=history.kind,
        officer=history.officer.username,
        officer_name=history.officer.name,
        recorded_at=history.recorded_at,
        dossier_version=1,
        national_status_code=status.national_code,
        reasons=history.reasons,
        appointment_date=history.appointment_date,
        verdict_snapshot=tuple(snapshot),
    )


def _choose(demos: Sequence[DemoDossier], count: int) -> list[DemoDossier]:
    """One of each scenario first (the audit's interesting cases), then all-good ones."""
    ordered = sorted(demos, key=lambda d: d.dossier.code)
    chosen: list[DemoDossier] = []
    for scenario in Scenario:
        found = next((d for d in ordered if d.scenario is scenario and d not in chosen), None)
        if found is not None:
            chosen.append(found)
    chosen += [d for d in ordered if d not in chosen]
    return sorted(chosen[:count], key=lambda d: d.dossier.code)


def _decided(
    demo: DemoDossier,
    index: int,
    total: int,
    now: datetime,
    office: Office,
    officer: DemoOfficer,
    kind: DecisionKind,
    reasons: tuple[str, ...],
    twist: Twist,
    processing_days: Mapping[str, int],
    calendar: OfficeCalendar,
) -> HistoryDossier:
    # Spread over the four weeks before now, oldest first; decided within hours.
    back = 2 + (index * 25) // max(total - 1, 1)
    day = (now - timedelta(days=back)).date()
    while day.weekday() >= 5:  # the desk works on weekdays
        day -= timedelta(days=1)
    minute = 8 * 60 + (index * 47) % (8 * 60)
    submitted = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=VN_TZ)
    recorded = min(submitted + timedelta(minutes=20 + 13 * index), now - timedelta(minutes=1))
    code = f"{office.agency_code}-{day:%y%m%d}-{800 + index:04d}"
    files: dict[str, bytes] = {}
    components = []
    for component in demo.dossier.components:
        attachments = []
        for attachment in component.attachments:
            remote_id = f"ls{index:02d}-{attachment.remote_id}"
            files[remote_id] = demo.files[attachment.remote_id]
            attachments.append(replace(attachment, remote_id=remote_id))
        components.append(Component(
            component.spec_code, component.name, component.copy_kind, tuple(attachments)
        ))  # fmt: skip
    national = ".".join(demo.dossier.procedure_code.split(".")[:2])
    appointment = (
        calendar.appointment_date(recorded, processing_days.get(national, DEFAULT_PROCESSING_DAYS))
        if kind is DecisionKind.ACCEPT
        else None
    )
    dossier = replace(
        demo.dossier,
        code=code,
        procedure_code=demo.dossier.procedure_code.replace(
            DEFAULT_OFFICE.procedure_suffix, office.procedure_suffix
        ),
        submitted_at=submitted,
        status=kind.resulting_status,
        version=2,
        components=tuple(components),
        decisions=(),
    )
    return HistoryDossier(
        dossier=dossier,
        files=files,
        unit=office.unit,
        officer=officer,
        kind=kind,
        reasons=reasons,
        appointment_date=appointment,
        recorded_at=recorded,
        scenario=demo.scenario,
        twist=twist,
    )
