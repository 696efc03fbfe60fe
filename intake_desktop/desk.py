"""The officer's desk: the store, the dossier source, sync, outbox and checks, wired together.

Plain Python (no Qt): the UI calls these methods from background work and shows the
records they return. One ``Desk`` per signed-in session; test mode gets its own store.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from intake_desktop.clock import SYSTEM_CLOCK, Clock
from intake_desktop.domain import DecisionKind, Dossier, DossierStatus, OutboxState, Procedure
from intake_desktop.services.cache_limit import CachePrune, prune_cache
from intake_desktop.services.dossier_check import DossierCheck, check_dossier
from intake_desktop.services.outbox import Outbox, OutboxItem, OutboxResult, Sender
from intake_desktop.services.queue import QueueRow, with_search_key
from intake_desktop.services.report_cache import StoreReportCache
from intake_desktop.services.signatures import DocumentReport, InspectOptions, TrustStore
from intake_desktop.services.signatures.batch import verify_files
from intake_desktop.services.signatures.serialize import from_cache_json
from intake_desktop.services.slips import OfficeProfile, SlipRequest, render_slip
from intake_desktop.services.source import DecisionRequest, DossierSource, VerdictSnapshot
from intake_desktop.services.sync import Synchronizer, SyncProgress, SyncResult
from intake_desktop.services.working_days import OfficeCalendar
from intake_desktop.store import audit
from intake_desktop.store.catalog import get_procedure, load_procedures, seed_catalog
from intake_desktop.store.db import Store
from intake_desktop.store.dossiers import CachedAttachment, cached_attachments, list_dossiers
from intake_desktop.store.sync_state import attachments_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskSettings:
    test_mode: bool = False
    online_revocation: bool = False
    calendar: OfficeCalendar = field(default_factory=OfficeCalendar)
    office: OfficeProfile = field(default_factory=OfficeProfile)
    cache_limit_mb: int = 2048
    """Attachment cache limit: files of dossiers done with are pruned beyond it."""
    supervisor: bool = False
    """Test mode only: act as the unit's supervisor (office-wide sync). Against a real
    provincial system the role comes with the sign-in (``Officer.roles``), never from here."""


@dataclass(frozen=True)
class DossierView:
    """Everything the review screen shows for one dossier."""

    dossier: Dossier
    procedure: Procedure | None
    attachments: tuple[CachedAttachment, ...]
    reports: dict[str, DocumentReport | None]
    """Signature report per attachment id (``None``: not downloaded or not checked yet)."""
    check: DossierCheck
    outbox: OutboxState | None
    decision: OutboxItem | None = None
    """The newest decision recorded here for this dossier (its state, the server's answer)."""

    @property
    def decidable(self) -> bool:
        """Awaiting intake and no decision of ours in flight or accepted by the server
        (one the server rejected as invalid may be made again)."""
        return self.dossier.status is DossierStatus.AWAITING_INTAKE and self.outbox in (
            None,
            OutboxState.REJECTED,
        )


@dataclass(frozen=True)
class RecordedDecision:
    decision_id: str
    slip_path: Path
    slip_pdf: bytes


class Desk:
    def __init__(
        self,
        store: Store,
        source: DossierSource,
        trust: TrustStore,
        cache_dir: Path,
        settings: DeskSettings | None = None,
        *,
        officer: str = "",
        officer_name: str = "",
        sync_progress: Callable[[SyncProgress], None] | None = None,
        clock: Clock = SYSTEM_CLOCK,
        supervisor: bool = False,
    ) -> None:
        self.store = store
        self._supervisor = supervisor
        """The server gave the signed-in officer the supervisor role."""
        self.clock = clock
        """Where every "now" and "today" of this desk comes from (Vietnam time)."""
        self.source = source
        self.trust = trust
        self.settings = settings or DeskSettings()
        self.cache_dir = cache_dir
        self.officer = officer
        self.officer_name = officer_name or officer
        self.outbox = Outbox(store)
        self.sender = Sender(source, store)
        self.sync_progress = sync_progress
        """Called from the sync thread with each :class:`SyncProgress` (relay it to the GUI)."""
        self.synchronizer = Synchronizer(source, store, cache_dir, progress=self._progressed)
        self._reports = StoreReportCache(store)
        self._options = InspectOptions(online=self.settings.online_revocation)
        self._check_lock = threading.Lock()
        self._parsed: dict[tuple[str, str, str], DocumentReport] = {}
        seed_catalog(store)

    def apply_settings(self, settings: DeskSettings) -> None:
        """Use changed settings from now on (test mode itself cannot change in a session)."""
        self.settings = replace(settings, test_mode=self.settings.test_mode)
        self._options = InspectOptions(online=settings.online_revocation)

    def set_trust(self, trust: TrustStore) -> None:
        """Use new trust anchors; reports are cached per trust version, so they re-validate."""
        self.trust = trust

    # --- sync and checks ---------------------------------------------------------------

    def _progressed(self, progress: SyncProgress) -> None:
        if self.sync_progress is not None:
            self.sync_progress(progress)

    def sync(self) -> SyncResult:
        """Pull new and changed dossiers and their attachments (see :class:`Synchronizer`),
        then keep the cache under its size limit."""
        result = self.synchronizer.sync()
        self.prune_cache()
        return result

    @property
    def is_supervisor(self) -> bool:
        """May run the office-wide sync: the server's role, or test mode's setting."""
        return self._supervisor or (self.settings.test_mode and self.settings.supervisor)

    def office_sync(self, date_from: date, date_to: date) -> SyncResult:
        """A supervisor's sync: every dossier of the unit submitted from ``date_from`` to
        ``date_to`` (Vietnam dates), decided ones included, with every officer's decisions
        and snapshots. Attachments stay on the server until :meth:`fetch_attachments`.

        Raises ``PermissionError`` without the supervisor role, ``ValueError`` when the
        source cannot list the unit by date (test mode's own demo data), and as
        :meth:`sync` does.
        """
        if not self.is_supervisor:
            raise PermissionError("the office-wide sync is for the unit's supervisor")
        synchronizer = Synchronizer(
            self.source,
            self.store,
            self.cache_dir,
            progress=self._progressed,
            source_name=self.synchronizer.source_name,
            download_statuses=(),  # on demand: a year of the unit's files is not wanted
            unit_range=(date_from, date_to),
        )
        result = synchronizer.sync()
        audit.append(
            self.store,
            self.officer,
            "sync.office",
            f"{date_from.isoformat()}..{date_to.isoformat()}",
            {
                "dossiers": result.dossiers_new + result.dossiers_updated,
                "decisions_added": result.decisions_added,
            },
        )
        return result

    def fetch_attachments(self, codes: Sequence[str]) -> SyncResult:
        """Download the files of these stored dossiers that the cache lacks (on demand)."""
        return self.synchronizer.download(codes)

    def prune_cache(self) -> CachePrune:
        busy = {
            code
            for code, state in self.outbox.states_by_dossier().items()
            if state in (OutboxState.PENDING, OutboxState.SENDING)
        }
        return prune_cache(
            self.store, self.cache_dir, self.settings.cache_limit_mb * 1024 * 1024, busy
        )

    def check_signatures(self, codes: Sequence[str] | None = None) -> int:
        """Validate every downloaded attachment without a cached report; return how many.

        Uses every core; cached by content hash, so a second call is cheap.
        """
        with self._check_lock:
            dossiers = codes or [d.code for d in list_dossiers(self.store)]
            paths = [
                a.cache_path
                for code in dossiers
                for a in cached_attachments(self.store, code)
                if a.cache_path is not None and a.cache_path.exists()
            ]
            results = list(verify_files(paths, self.trust, self._options, cache=self._reports))
            return sum(1 for r in results if not r.cached)

    def report_for(self, attachment: CachedAttachment) -> DocumentReport | None:
        """The attachment's signature report: from the cache, else validated now (a file
        pruned from the cache keeps the report it had)."""
        if attachment.cache_path is None or not attachment.cache_path.exists():
            return self._cached_report(attachment)
        (result,) = verify_files(
            [attachment.cache_path], self.trust, self._options, cache=self._reports, workers=1
        )
        return result.report

    def _cached_report(self, attachment: CachedAttachment) -> DocumentReport | None:
        sha = attachment.attachment.sha256
        if sha is None or attachment.cache_path is None:
            return None
        return self._cached_reports([sha]).get(sha.lower())

    def _cached_reports(self, sha256s: Iterable[str]) -> dict[str, DocumentReport]:
        """Cached reports by content hash, parsed once per session (the queue asks often)."""
        key = (self.trust.version, self._options.cache_key)
        wanted = {sha.lower() for sha in sha256s}
        missing = [sha for sha in wanted if (sha, *key) not in self._parsed]
        if missing:
            texts = self._reports.get_many(missing, *key)
            for sha, text in texts.items():
                self._parsed[(sha, *key)] = from_cache_json(text)
        return {sha: self._parsed[(sha, *key)] for sha in wanted if (sha, *key) in self._parsed}

    # --- the queue and one dossier -------------------------------------------------------

    def queue_rows(self) -> list[QueueRow]:
        """Every stored dossier as a queue row (badges from cached reports only: fast).

        A few queries for the whole store, whatever its size: 10,000 dossiers stay smooth.
        """
        states = self.outbox.states_by_dossier()
        procedures = {p.code: p for p in load_procedures(self.store)}
        by_dossier: dict[str, list[CachedAttachment]] = defaultdict(list)
        for cached in attachments_of(self.store):
            by_dossier[cached.dossier_code].append(cached)
        reports = self._cached_reports(
            a.attachment.sha256
            for attachments in by_dossier.values()
            for a in attachments
            if a.attachment.sha256 and a.cache_path is not None
        )
        rows = []
        for dossier in list_dossiers(self.store):
            found = {
                a.attachment.remote_id: reports.get((a.attachment.sha256 or "").lower())
                if a.cache_path is not None
                else None
                for a in by_dossier.get(dossier.code, [])
            }
            procedure = procedures.get(dossier.procedure_code.split(".000.")[0])
            check = check_dossier(dossier, procedure, found)
            rows.append(
                with_search_key(
                    QueueRow(
                        code=dossier.code,
                        procedure_code=dossier.procedure_code,
                        procedure_name=dossier.procedure_name
                        or (procedure.name if procedure else ""),
                        applicant_name=dossier.applicant.name,
                        citizen_id=dossier.applicant.citizen_id,
                        submitted_at=dossier.submitted_at,
                        deadline=self.settings.calendar.intake_deadline(dossier.submitted_at),
                        component_count=len(dossier.components),
                        status=dossier.status,
                        badge=check.badge,
                        outbox=states.get(dossier.code),
                        raw_status=dossier.raw_status,
                    )
                )
            )
        return rows

    def open_dossier(self, code: str) -> DossierView:
        """Load one dossier with its checklist and signature reports (validating if needed).

        Raises ``KeyError`` when the dossier is not in the store.
        """
        from intake_desktop.store.dossiers import get_dossier

        dossier = get_dossier(self.store, code)
        if dossier is None:
            raise KeyError(code)
        procedure = get_procedure(self.store, dossier.procedure_code)
        attachments = tuple(cached_attachments(self.store, code))
        reports = {a.attachment.remote_id: self.report_for(a) for a in attachments}
        check = check_dossier(dossier, procedure, reports)
        audit.append(self.store, self.officer, "dossier.opened", code, {"check": check.badge})
        decisions = self.outbox.items(dossier_code=code)
        latest = decisions[-1] if decisions else None
        state = latest.state if latest is not None else None
        return DossierView(dossier, procedure, attachments, reports, check, state, latest)

    # --- deciding ---------------------------------------------------------------------

    def suggested_appointment(self, view: DossierView, now: datetime | None = None) -> date | None:
        """Ngày hẹn trả: the procedure's working days counted from reception (None if unknown).

        Reception is now, when the officer accepts (the time Mẫu 01 prints), not the
        citizen's submission: counting from a dossier submitted days ago would suggest a
        date already past, which the provincial system refuses.
        """
        if view.procedure is None:
            return None
        received = max(view.dossier.submitted_at, now or self.clock.now())
        return self.settings.calendar.appointment_date(received, view.procedure.processing_days)

    def decide(
        self,
        view: DossierView,
        kind: DecisionKind,
        *,
        reasons: Sequence[str] = (),
        components: Sequence[str] = (),
        appointment_date: date | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> RecordedDecision:
        """Record a decision in the outbox (sent later by :meth:`send_pending`) and make its slip.

        Raises ``DecisionAlreadyQueued`` when the dossier already has one waiting.
        """
        now = now or self.clock.now()
        snapshot = tuple(
            VerdictSnapshot(
                attachment_id=att_id,
                sha256=report.sha256 if report else None,
                verdict=report.verdict.value if report else "error",
                signer_citizen_ids=tuple(
                    s.signer.citizen_id
                    for s in (report.signatures if report else ())
                    if s.signer and s.signer.citizen_id
                ),
            )
            for att_id, report in view.reports.items()
        )
        request = DecisionRequest(
            dossier_code=view.dossier.code,
            dossier_version=view.dossier.version,
            kind=kind,
            reasons=tuple(reasons),
            components=tuple(components),
            appointment_date=appointment_date,
            officer_note=note,
            verdict_snapshot=snapshot,
        )
        decision_id = self.outbox.record(request, self.officer, self.officer_name)
        slip = render_slip(
            SlipRequest(
                kind=kind,
                dossier=view.dossier,
                procedure=view.procedure,
                officer_name=self.officer_name,
                decided_at=now,
                appointment_date=request.appointment_date,
                reasons=request.reasons,
                test_mode=self.settings.test_mode,
            ),
            self.settings.office,
        )
        slips = self.cache_dir / "slips"
        slips.mkdir(parents=True, exist_ok=True)
        path = slips / f"{view.dossier.code}-{kind.value}-{decision_id[:8]}.pdf"
        path.write_bytes(slip)
        return RecordedDecision(decision_id, path, slip)

    def send_pending(self) -> list[OutboxResult]:
        return self.sender.send_pending()

    def reset_demo(self) -> None:
        """Test mode only: the demo source puts every dossier back to awaiting intake."""
        reset = getattr(self.source, "reset", None)
        if not self.settings.test_mode or not callable(reset):
            raise RuntimeError("reset is only for the test mode's demo data")
        reset()
        audit.append(self.store, self.officer, "demo.reset", "demo", {})

    def counts(self) -> dict[DossierStatus, int]:
        out = dict.fromkeys(DossierStatus, 0)
        for dossier in list_dossiers(self.store):
            out[dossier.status] += 1
        return out
