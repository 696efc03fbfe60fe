"""One audit row per submitted file: its verdict now, and what the officer saw and decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from intake_desktop.clock import vn_date
from intake_desktop.domain import DecisionKind, DecisionOrigin, OutboxState
from intake_desktop.services.signatures import DocumentReport, InspectOptions, TrustStore, Verdict
from intake_desktop.services.signatures.inspect import ENGINE_VERSION
from intake_desktop.services.signatures.report import Severity
from intake_desktop.services.signatures.serialize import from_cache_json
from intake_desktop.store import report_cache
from intake_desktop.store.db import Store
from intake_desktop.store.decision_history import StoredDecision, all_decisions
from intake_desktop.store.dossiers import list_dossiers
from intake_desktop.store.sync_state import attachments_of


@dataclass(frozen=True, slots=True)
class AuditRow:
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
    """Every stored file as an audit row, in a handful of queries whatever the store's size."""
    options = options or InspectOptions()
    dossiers = {d.code: d for d in list_dossiers(store)}
    attachments = attachments_of(store)
    shas = {a.attachment.sha256.lower() for a in attachments if a.attachment.sha256}
    # Whatever their age: the officer's desk re-checks after a day, but looking back the
    # last verdict reached (and when) beats "not checked" for every older file.
    found = report_cache.latest_many(store, shas, trust.version, ENGINE_VERSION, options.cache_key)
    reports = {sha: (from_cache_json(text), at) for sha, (text, at) in found.items()}
    decisions = _effective_decisions(store)
    rows = []
    for cached in attachments:
        dossier = dossiers.get(cached.dossier_code)
        if dossier is None:
            continue
        component = dossier.components[cached.component_position]
        attachment = cached.attachment
        report, checked_at = reports.get((attachment.sha256 or "").lower(), (None, None))
        decision = decisions.get(dossier.code)
        seen = decision.seen(attachment.remote_id) if decision else None
        rows.append(
            AuditRow(
                dossier_code=dossier.code,
                procedure_code=dossier.procedure_code,
                procedure_name=dossier.procedure_name,
                applicant_name=dossier.applicant.name,
                applicant_citizen_id=dossier.applicant.citizen_id,
                submitted_at=dossier.submitted_at,
                component=component.name,
                file_name=attachment.file_name,
                attachment_id=attachment.remote_id,
                sha256=attachment.sha256,
                verdict_now=report.verdict if report else None,
                checked_at=checked_at,
                **_signature_facts(report),
                decision=decision.kind if decision else None,
                officer=decision.officer if decision else "",
                decided_at=decision.decided_at if decision else None,
                decision_state=decision.state if decision else None,
                verdict_then=seen.verdict if seen else None,
                officer_name=(decision.officer_name or "") if decision else "",
                origin=decision.origin if decision else None,
                sha256_then=seen.sha256 if seen else None,
            )
        )
    return rows


def _signature_facts(report: DocumentReport | None) -> dict[str, tuple[str, ...]]:
    signatures = report.signatures if report else ()
    problems = {
        r.code
        for s in signatures
        for r in s.reasons
        if r.severity in (Severity.WARNING, Severity.INDETERMINATE, Severity.INVALID)
    }
    if report is not None and report.error is not None:
        problems.add(report.error.code)
    return {
        "signers": tuple(s.signer.name for s in signatures if s.signer),
        "signer_ids": tuple(
            s.signer.citizen_id for s in signatures if s.signer and s.signer.citizen_id
        ),
        "providers": tuple(dict.fromkeys(s.signer.issuer for s in signatures if s.signer)),
        "problems": tuple(sorted(problems)),
    }


_NOT_TAKEN = frozenset({OutboxState.CONFLICT, OutboxState.REJECTED})


def _effective_decisions(store: Store) -> dict[str, StoredDecision]:
    """Each dossier's decision, whichever officer made it: the newest the provincial system
    took or may still take; a refused one (conflict, rejected) only if there is no other.

    Another officer's decision that beat ours (our conflict) is the dossier's decision.
    """
    latest: dict[str, StoredDecision] = {}
    for decision in all_decisions(store):  # oldest first: later ones win
        known = latest.get(decision.dossier_code)
        if known is None or decision.state not in _NOT_TAKEN or known.state in _NOT_TAKEN:
            latest[decision.dossier_code] = decision
    return latest
