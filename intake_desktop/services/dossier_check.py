"""Check a dossier against the procedure catalog and its signature reports.

Answers the officer's questions in one pass: is every required component there, is each
one signed where it must be, are the signatures good, and did the applicant sign them?
Each problem is a :class:`Finding` linked to its component, with a ready-made reason for a
supplement request.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from intake_desktop.domain import Component, ComponentSpec, Dossier, Procedure
from intake_desktop.services.signatures import DocumentReport, Verdict


class FindingKind(enum.StrEnum):
    MISSING_COMPONENT = "missing_component"
    NO_ATTACHMENT = "no_attachment"
    UNSIGNED = "unsigned"
    SIGNATURE_INVALID = "signature_invalid"
    SIGNATURE_INDETERMINATE = "signature_indeterminate"
    SIGNATURE_WARNING = "signature_warning"
    SIGNER_MISMATCH = "signer_mismatch"
    SIGNER_UNIDENTIFIED = "signer_unidentified"
    UNREADABLE = "unreadable"
    NOT_CHECKED = "not_checked"
    EXTRA_COMPONENT = "extra_component"
    UNKNOWN_PROCEDURE = "unknown_procedure"


class Gravity(enum.StrEnum):
    """How a finding weighs on the decision."""

    PROBLEM = "problem"
    """A reason to return the dossier (or to accept only with a written reason)."""
    WARNING = "warning"
    """Worth a look; does not block acceptance."""
    INFO = "info"


_GRAVITY = {
    FindingKind.MISSING_COMPONENT: Gravity.PROBLEM,
    FindingKind.NO_ATTACHMENT: Gravity.PROBLEM,
    FindingKind.UNSIGNED: Gravity.PROBLEM,
    FindingKind.SIGNATURE_INVALID: Gravity.PROBLEM,
    FindingKind.SIGNATURE_INDETERMINATE: Gravity.PROBLEM,
    FindingKind.SIGNER_MISMATCH: Gravity.PROBLEM,
    FindingKind.UNREADABLE: Gravity.PROBLEM,
    FindingKind.SIGNATURE_WARNING: Gravity.WARNING,
    FindingKind.SIGNER_UNIDENTIFIED: Gravity.WARNING,
    FindingKind.NOT_CHECKED: Gravity.WARNING,
    FindingKind.UNKNOWN_PROCEDURE: Gravity.WARNING,
    FindingKind.EXTRA_COMPONENT: Gravity.INFO,
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    component_code: str | None
    """Spec code of the component concerned (``None`` for dossier-wide findings)."""
    component_name: str
    attachment_id: str | None
    message_vi: str
    """What the officer reads in the summary."""
    reason_vi: str
    """The sentence to pre-fill in a supplement request or refusal (sent to the citizen, so
    Vietnamese only)."""
    message_en: str
    """``message_vi`` for the English UI."""

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en

    @property
    def gravity(self) -> Gravity:
        return _GRAVITY[self.kind]


class Presence(enum.StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    EXTRA = "extra"


@dataclass(frozen=True)
class ComponentCheck:
    """One line of the checklist: the catalog's requirement beside what was submitted."""

    spec: ComponentSpec | None
    component: Component | None
    presence: Presence

    @property
    def name(self) -> str:
        if self.spec is not None:
            return self.spec.name
        return self.component.name if self.component is not None else ""


class SignatureBadge(enum.StrEnum):
    """The queue's one-word summary of a dossier's signatures."""

    ALL_VALID = "all_valid"
    WARNINGS = "warnings"
    PROBLEMS = "problems"
    UNSIGNED = "unsigned"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True)
class DossierCheck:
    checklist: tuple[ComponentCheck, ...]
    findings: tuple[Finding, ...]
    badge: SignatureBadge

    @property
    def problems(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.gravity is Gravity.PROBLEM)

    def supplement_reasons(self) -> list[str]:
        """Reasons to pre-fill a supplement request, one per problem, in checklist order."""
        return [f.reason_vi for f in self.problems]


def check_dossier(
    dossier: Dossier,
    procedure: Procedure | None,
    reports: Mapping[str, DocumentReport | None],
) -> DossierCheck:
    """Check ``dossier`` against ``procedure`` using signature ``reports`` by attachment id.

    A missing entry (or ``None``) in ``reports`` means that attachment is not checked yet.
    """
    findings: list[Finding] = []
    checklist: list[ComponentCheck] = []
    specs = [s for s in procedure.components if s.online] if procedure else []
    by_code = {c.spec_code: c for c in dossier.components if c.spec_code}
    if procedure is None:
        findings.append(
            Finding(
                FindingKind.UNKNOWN_PROCEDURE,
                None,
                "",
                None,
                f"Thủ tục {dossier.procedure_code} không có trong danh mục: không đối chiếu "
                "được thành phần hồ sơ.",
                "",
                f"Procedure {dossier.procedure_code} is not in the catalog: the dossier "
                "components cannot be compared with it.",
            )
        )
    for spec in specs:
        component = by_code.get(spec.code)
        if component is None:
            checklist.append(ComponentCheck(spec, None, Presence.MISSING))
            if spec.required:
                findings.append(
                    Finding(
                        FindingKind.MISSING_COMPONENT,
                        spec.code,
                        spec.name,
                        None,
                        f"Thiếu thành phần bắt buộc: {spec.name}.",
                        f"Bổ sung thành phần hồ sơ: {spec.name}.",
                        f"Required component missing: {spec.name}.",
                    )
                )
            continue
        checklist.append(ComponentCheck(spec, component, Presence.PRESENT))
        findings.extend(_component_findings(dossier, spec, component, reports))
    known = {s.code for s in specs}
    for component in dossier.components:
        if component.spec_code in known:
            continue
        checklist.append(ComponentCheck(None, component, Presence.EXTRA))
        findings.extend(_component_findings(dossier, None, component, reports))
        if procedure is not None:
            findings.append(
                Finding(
                    FindingKind.EXTRA_COMPONENT,
                    component.spec_code,
                    component.name,
                    None,
                    f"Thành phần không có trong danh mục của thủ tục: {component.name}.",
                    "",
                    f"Component not in the procedure's catalog: {component.name}.",
                )
            )
    return DossierCheck(tuple(checklist), tuple(findings), _badge(dossier, reports, findings))


def _component_findings(
    dossier: Dossier,
    spec: ComponentSpec | None,
    component: Component,
    reports: Mapping[str, DocumentReport | None],
) -> list[Finding]:
    name = spec.name if spec else component.name
    code = spec.code if spec else component.spec_code
    signature_required = spec.signature_required if spec else False
    out: list[Finding] = []

    def add(
        kind: FindingKind, attachment: str | None, message: str, reason: str, english: str
    ) -> None:
        out.append(Finding(kind, code, name, attachment, message, reason, english))

    if not component.attachments:
        add(
            FindingKind.NO_ATTACHMENT,
            None,
            f"Thành phần {name} không có tệp đính kèm.",
            f"Bổ sung tệp đính kèm cho thành phần: {name}.",
            f"Component {name} has no attached file.",
        )
    for attachment in component.attachments:
        report = reports.get(attachment.remote_id)
        file = attachment.file_name
        if report is None:
            add(
                FindingKind.NOT_CHECKED,
                attachment.remote_id,
                f"Tệp {file} ({name}) chưa được kiểm tra chữ ký.",
                "",
                f"The signatures of {file} ({name}) are not checked yet.",
            )
            continue
        verdict = report.verdict
        if verdict is Verdict.ERROR:
            why_vi = report.error.vi if report.error else ""
            why_en = report.error.en if report.error else ""
            add(
                FindingKind.UNREADABLE,
                attachment.remote_id,
                f"Không đọc được tệp {file} ({name}): {why_vi}",
                f"Tệp của thành phần {name} bị hỏng hoặc không mở được; đề nghị nộp lại.",
                f"Cannot read {file} ({name}): {why_en}",
            )
            continue
        if verdict is Verdict.UNSIGNED:
            if signature_required:
                add(
                    FindingKind.UNSIGNED,
                    attachment.remote_id,
                    f"Thành phần {name} chưa được ký số.",
                    f"Thành phần {name} chưa được ký số; đề nghị ký số và nộp lại.",
                    f"Component {name} is not digitally signed.",
                )
            continue
        first = next(
            (r for s in report.signatures for r in s.reasons if r.severity.verdict is verdict),
            None,
        )
        first_problem = first.vi if first else ""
        first_en = first.en if first else ""
        if verdict is Verdict.INVALID:
            add(
                FindingKind.SIGNATURE_INVALID,
                attachment.remote_id,
                f"Chữ ký số trên {name} không hợp lệ: {first_problem}",
                f"Chữ ký số trên thành phần {name} không hợp lệ ({first_problem.rstrip('.')}); "
                "đề nghị ký số lại và nộp lại.",
                f"The digital signature on {name} is invalid: {first_en}",
            )
        elif verdict is Verdict.INDETERMINATE:
            add(
                FindingKind.SIGNATURE_INDETERMINATE,
                attachment.remote_id,
                f"Chưa xác định được chữ ký số trên {name}: {first_problem}",
                f"Chữ ký số trên thành phần {name} chưa xác thực được "
                f"({first_problem.rstrip('.')}); đề nghị ký bằng chứng thư số hợp lệ.",
                f"The digital signature on {name} cannot be confirmed: {first_en}",
            )
        elif verdict is Verdict.VALID_WITH_WARNINGS:
            add(
                FindingKind.SIGNATURE_WARNING,
                attachment.remote_id,
                f"Chữ ký số trên {name} hợp lệ, có lưu ý: {first_problem}",
                "",
                f"The digital signature on {name} is valid, with a note: {first_en}",
            )
        out.extend(_signer_findings(dossier, name, code, attachment.remote_id, report))
    return out


def _signer_findings(
    dossier: Dossier, name: str, code: str | None, attachment_id: str, report: DocumentReport
) -> list[Finding]:
    """The applicant must be among the signers (ignoring timestamps)."""
    signers = [
        s.signer for s in report.signatures if s.signer is not None and not s.is_document_timestamp
    ]
    if not signers:
        return []
    applicant_id = dossier.applicant.citizen_id
    ids = [s.citizen_id for s in signers if s.citizen_id]
    if applicant_id in ids:
        return []
    if not ids:
        return [
            Finding(
                FindingKind.SIGNER_UNIDENTIFIED,
                code,
                name,
                attachment_id,
                f"Chứng thư số của người ký {name} không ghi số CCCD/CMND: không đối chiếu được "
                "với chủ hồ sơ.",
                "",
                f"The certificate of the signer of {name} carries no CCCD/CMND number: it "
                "cannot be matched with the applicant.",
            )
        ]
    who = ", ".join(f"{s.name} (CCCD {s.citizen_id})" for s in signers if s.citizen_id)
    return [
        Finding(
            FindingKind.SIGNER_MISMATCH,
            code,
            name,
            attachment_id,
            f"Người ký {name} là {who}, không phải chủ hồ sơ "
            f"{dossier.applicant.name} (CCCD {applicant_id}).",
            f"Thành phần {name} do {who} ký, không phải chủ hồ sơ; đề nghị chủ hồ sơ ký số.",
            f"{name} is signed by {who}, not by the applicant "
            f"{dossier.applicant.name} (CCCD {applicant_id}).",
        )
    ]


# Signature findings that make a dossier's badge "problems" even when every file that is
# signed is validly signed: a required signature missing, or signed by someone else.
_SIGNATURE_PROBLEMS = frozenset({FindingKind.UNSIGNED, FindingKind.SIGNER_MISMATCH})


def _badge(
    dossier: Dossier,
    reports: Mapping[str, DocumentReport | None],
    findings: Sequence[Finding] = (),
) -> SignatureBadge:
    attachments = [a for c in dossier.components for a in c.attachments]
    if not attachments:
        return SignatureBadge.UNSIGNED
    known = [reports.get(a.remote_id) for a in attachments]
    if any(r is None for r in known):
        return SignatureBadge.NOT_CHECKED
    verdicts = {r.verdict for r in known if r is not None}
    if verdicts & {Verdict.INVALID, Verdict.INDETERMINATE, Verdict.ERROR} or any(
        f.kind in _SIGNATURE_PROBLEMS for f in findings
    ):
        return SignatureBadge.PROBLEMS
    if verdicts == {Verdict.UNSIGNED}:
        return SignatureBadge.UNSIGNED
    if Verdict.VALID_WITH_WARNINGS in verdicts:
        return SignatureBadge.WARNINGS
    if Verdict.UNSIGNED in verdicts:
        return SignatureBadge.WARNINGS
    return SignatureBadge.ALL_VALID
