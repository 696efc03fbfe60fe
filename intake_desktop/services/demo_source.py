"""Test mode's dossier source: demo dossiers in process, offline, with decisions that stick.

``DemoDossierSource`` implements :class:`~intake_desktop.services.source.DossierSource` over
:func:`intake_desktop.demo.dossiers.generate_dossiers`, with the same rules as the HTTP
contract (``resources/api/openapi.json``): pages ordered by (updated_at, code), an inclusive
``updated_since``, idempotent decisions, 409 on a stale version or a decided dossier, 422 for
an invalid decision. Decisions are kept in a small JSON file in the directory given, so test
mode survives a restart; :meth:`DemoDossierSource.reset` puts every dossier back to awaiting
intake for the next class. It never touches the network.

Beside the desk's queue, the source keeps its unit's history: dossiers other officers of the
unit already decided, with their decisions and snapshots (:mod:`intake_desktop.demo.history`),
which a supervisor's office-wide sync lists by submission date (:meth:`list_unit_dossiers`).
They are dated relative to the source's clock at its first start (kept in the state file),
and stay decided through :meth:`DemoDossierSource.reset`: they are the unit's, not the class's.

Generating the dossiers signs PDFs (seconds for 30): it happens on first use, from the
calling thread, which must not be running an asyncio loop. Pass ``dossiers`` to reuse ones
generated before. Thread-safe.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_desktop import __version__
from intake_desktop.clock import SYSTEM_CLOCK
from intake_desktop.demo.dossiers import DEFAULT_OFFICE, DemoDossier, default_now, generate_dossiers
from intake_desktop.demo.history import HistoryDossier, decision_record, office_history
from intake_desktop.domain import (
    DecisionKind,
    DecisionRecord,
    Dossier,
    DossierStatus,
    Procedure,
    VerdictSnapshot,
)
from intake_desktop.services.mupdf_lock import MUPDF_LOCK
from intake_desktop.services.source import (
    DecisionConflict,
    DecisionReceipt,
    DecisionRejected,
    DecisionRequest,
    DossierPage,
    DossierSource,
    DossierSummary,
    NotFound,
    RangeNotSatisfiable,
    UnitListing,
)
from intake_desktop.services.working_days import VN_TZ

log = logging.getLogger(__name__)

STATE_FILE = "demo-source.json"
GENERATED_PREFIX = "dossiers-"
"""The generated dossiers are kept as ``dossiers-<key>.pickle`` beside the state file."""
"""Name of the state file in the source's directory."""

MAX_PAGE = 500
"""Largest page the contract allows."""

_FORMAT = 1


def _current(demo: object) -> bool:
    """Whether ``demo`` is a :class:`DemoDossier` with every field this build has.

    A copy pickled by a build whose dossiers had fewer fields (say, before English guidance)
    unpickles without them, and would fail only later, in the guidance panel.
    """
    return isinstance(demo, DemoDossier) and all(hasattr(demo, f.name) for f in fields(demo))


class DemoAttachmentStream:
    """An attachment's bytes from memory, as :class:`~.source.AttachmentStream`."""

    def __init__(self, data: bytes, offset: int, etag: str) -> None:
        self._data: bytes | None = data
        self._offset = offset
        self.size: int | None = len(data) - offset
        """Bytes this stream yields: the rest of the file from the offset."""
        self.etag: str | None = etag
        """SHA-256 of the whole file, in hex."""

    def chunks(self, chunk_size: int = 65536) -> Iterator[bytes]:
        """Yield the bytes in pieces of at most ``chunk_size``.

        Raises ``ValueError`` for a chunk size under 1 or once the stream is closed.
        """
        if chunk_size < 1:
            raise ValueError("chunk_size must be >= 1")
        for start in range(self._offset, len(self._open()), chunk_size):
            yield self._open()[start : start + chunk_size]

    def _open(self) -> bytes:
        if self._data is None:
            raise ValueError("the stream is closed")
        return self._data

    def close(self) -> None:
        """Let go of the bytes; closing twice is harmless."""
        self._data = None

    def __enter__(self) -> DemoAttachmentStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class _DossierState:
    status: DossierStatus
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class _Recorded:
    """A decision the source took: its receipt and what the officer said."""

    receipt: DecisionReceipt
    reasons: tuple[str, ...]
    appointment_date: date | None
    components: tuple[str, ...] = ()
    verdict_snapshot: tuple[VerdictSnapshot, ...] = ()
    officer_name: str = ""

    def record(self) -> DecisionRecord:
        """The decision as the dossier's history names it (the contract's ``Decision``)."""
        receipt = self.receipt
        return DecisionRecord(
            decision_id=receipt.decision_id,
            kind=receipt.kind,
            officer=receipt.officer,
            officer_name=self.officer_name or receipt.officer,
            recorded_at=receipt.recorded_at,
            dossier_version=receipt.version - 1,
            national_status_code=receipt.status.national_code,
            reasons=self.reasons,
            components=self.components,
            appointment_date=self.appointment_date,
            verdict_snapshot=self.verdict_snapshot,
        )


class DemoDossierSource:
    """The provincial system of test mode, made of generated demo dossiers.

    ``directory`` holds the state file (created if missing). Give ``dossiers`` already
    generated, or let the source generate ``count`` of them from ``seed`` on first use (as of
    ``now``, by default today at 08:00; the moment is kept in the state file so a restart on
    another day regenerates the same dossiers). ``catalog`` is what :meth:`list_procedures`
    returns and what generation draws on (default: the shipped catalog). ``officer`` is the
    username receipts name; ``clock`` gives the server time (tests pin it). ``packs`` is the
    folder of trainers' imported scenario packs (:mod:`intake_desktop.services.training.packs`),
    whose dossiers are served beside the generated ones. ``unit`` is the desk's unit (whose
    history :meth:`list_unit_dossiers` lists) and ``officer_name`` the officer's name in
    the decision history; ``history=False`` serves no office history.
    """

    def __init__(
        self,
        directory: Path,
        *,
        dossiers: Sequence[DemoDossier] | None = None,
        count: int = 30,
        seed: int = 0,
        catalog: Sequence[Procedure] | None = None,
        now: datetime | None = None,
        officer: str = "demo",
        clock: Callable[[], datetime] | None = None,
        packs: Path | None = None,
        unit: str = DEFAULT_OFFICE.unit,
        officer_name: str = "Cán bộ tập huấn",
        history: bool = True,
    ) -> None:
        if now is not None and now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self._directory = directory
        self._given = list(dossiers) if dossiers is not None else None
        self._count = count
        self._seed = seed
        self._catalog = list(catalog) if catalog is not None else None
        self._now = now
        self._officer = officer
        self._officer_name = officer_name
        self._unit = unit
        self._with_history = history
        self._clock = clock or SYSTEM_CLOCK.now
        self._packs = packs
        self._lock = threading.RLock()
        self._last_time: datetime | None = None
        # Filled on first use (_ready):
        self._demos: dict[str, DemoDossier] = {}
        self._files: dict[str, tuple[bytes, str]] = {}
        self._states: dict[str, _DossierState] = {}
        self._decisions: dict[str, _Recorded] = {}
        self._generation: dict[str, Any] | None = None
        self._fingerprint = ""
        self._catalog_at: datetime | None = None
        self._generated_demos: list[DemoDossier] = []
        self._history: dict[str, HistoryDossier] = {}
        self._history_at: datetime | None = None
        self._records: dict[str, DecisionRecord] = {}
        """History decisions with their snapshots, made when first asked (engine work)."""
        self._verdicts: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._loaded = False

    @property
    def packs(self) -> Path | None:
        """The folder of imported scenario packs, if this source serves them."""
        return self._packs

    # -- the DossierSource protocol --

    def list_procedures(self, updated_since: datetime | None = None) -> list[Procedure]:
        """The catalog; empty when asked for changes since the source was first set up."""
        with self._lock:
            self._ready()
            assert self._catalog is not None and self._catalog_at is not None
            if updated_since is not None and _aware(updated_since) > self._catalog_at:
                return []
            return list(self._catalog)

    def list_dossiers(
        self,
        *,
        status: DossierStatus | None = None,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """A page of summaries ordered by (updated_at, code); ``updated_since`` is inclusive.

        Raises :class:`DecisionRejected` (the contract's 422) for a limit outside 1-500 or a
        cursor this source did not make.
        """
        if not 1 <= limit <= MAX_PAGE:
            raise DecisionRejected(
                f"limit must be between 1 and {MAX_PAGE}", {"limit": f"1 to {MAX_PAGE}"}
            )
        since = _aware(updated_since) if updated_since is not None else None
        after = _decode_cursor(cursor) if cursor is not None else None
        with self._lock:
            self._ready()
            server_time = self._tick()
            rows = sorted(
                (state.updated_at, code)
                for code, state in self._states.items()
                if (status is None or state.status is status)
                and (since is None or state.updated_at >= since)
            )
            if after is not None:
                rows = [row for row in rows if row > after]
            page = rows[:limit]
            items = tuple(self._summary(code) for _, code in page)
        next_cursor = _encode_cursor(page[-1]) if len(rows) > limit else None
        return DossierPage(items=items, next_cursor=next_cursor, server_time=server_time)

    def get_dossier(self, code: str) -> Dossier:
        """The dossier as it stands now, with its decision history. Raises :class:`NotFound`
        (also for a dossier of another unit: not this desk's to see)."""
        with self._lock:
            self._ready()
            history = self._history.get(code)
            if history is not None and history.unit == self._unit:
                return replace(history.dossier, decisions=(self._record(history),))
            demo = self._demo(code)
            state = self._states[code]
            ours = sorted(
                (r for r in self._decisions.values() if r.receipt.dossier_code == code),
                key=lambda r: (r.receipt.recorded_at, r.receipt.decision_id),
            )
            return replace(
                demo.dossier,
                status=state.status,
                version=state.version,
                decisions=tuple(recorded.record() for recorded in ours),
            )

    def list_unit_dossiers(
        self,
        *,
        submitted_from: date,
        submitted_to: date,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """A page of the unit's dossiers submitted on those Vietnam dates (inclusive), decided
        ones included, ordered by (updated_at, code): the desk's queue and what the unit's
        other officers decided. Dossiers of other units are never listed.

        Raises :class:`DecisionRejected` (the contract's 422) for a range that ends before it
        starts, a limit outside 1-500 or a cursor this source did not make.
        """
        if submitted_from > submitted_to:
            raise DecisionRejected(
                "submitted_from is after submitted_to",
                {"submitted_to": f"must be on or after {submitted_from.isoformat()}"},
            )
        if not 1 <= limit <= MAX_PAGE:
            raise DecisionRejected(
                f"limit must be between 1 and {MAX_PAGE}", {"limit": f"1 to {MAX_PAGE}"}
            )
        since = _aware(updated_since) if updated_since is not None else None
        after = _decode_cursor(cursor) if cursor is not None else None

        def wanted(submitted: datetime, updated: datetime) -> bool:
            day = submitted.astimezone(VN_TZ).date()
            return submitted_from <= day <= submitted_to and (since is None or updated >= since)

        with self._lock:
            self._ready()
            server_time = self._tick()
            summaries = {
                code: self._summary(code)
                for code, state in self._states.items()
                if wanted(self._demos[code].dossier.submitted_at, state.updated_at)
            }
            for code, history in self._history.items():
                if history.unit == self._unit and wanted(
                    history.dossier.submitted_at, history.recorded_at
                ):
                    summaries[code] = _history_summary(history)
        rows = sorted((summary.updated_at, code) for code, summary in summaries.items())
        if after is not None:
            rows = [row for row in rows if row > after]
        page = rows[:limit]
        next_cursor = _encode_cursor(page[-1]) if len(rows) > limit else None
        return DossierPage(
            items=tuple(summaries[code] for _, code in page),
            next_cursor=next_cursor,
            server_time=server_time,
        )

    def open_attachment(self, attachment_id: str, offset: int = 0) -> DemoAttachmentStream:
        """Stream an attachment from ``offset``.

        Raises :class:`NotFound`, :class:`RangeNotSatisfiable` (offset at or past the end of
        a non-empty file), ``ValueError`` for a negative offset.
        """
        if offset < 0:
            raise ValueError("offset must be >= 0")
        with self._lock:
            self._ready()
            found = self._files.get(attachment_id)
        if found is None:
            raise NotFound(f"attachment {attachment_id} does not exist")
        data, sha256 = found
        if offset and offset >= len(data):
            raise RangeNotSatisfiable(
                f"attachment {attachment_id} has {len(data)} bytes: cannot resume at {offset}"
            )
        return DemoAttachmentStream(data, offset, sha256)

    def submit_decision(self, decision: DecisionRequest) -> DecisionReceipt:
        """Record a decision; a repeated ``decision_id`` returns the first receipt.

        Raises :class:`NotFound`, :class:`DecisionRejected` (no appointment date to accept, a
        date in the past, no reason to return, unknown component codes, a reused decision id)
        and :class:`DecisionConflict` (already decided, or changed since that version).
        """
        with self._lock:
            self._ready()
            earlier = self._decisions.get(decision.decision_id)
            if earlier is not None:
                if earlier.receipt.dossier_code != decision.dossier_code:
                    raise DecisionRejected(
                        "this decision id was already used for another dossier",
                        {"decision_id": f"used for {earlier.receipt.dossier_code}"},
                    )
                return earlier.receipt
            decided = self._history.get(decision.dossier_code)
            if decided is not None and decided.unit == self._unit:
                raise DecisionConflict(
                    f"dossier {decision.dossier_code} was already decided by "
                    f"{decided.officer.username}",
                    decided.dossier.status,
                    decided.dossier.version,
                )
            demo = self._demo(decision.dossier_code)
            self._validate(decision, demo)
            state = self._states[decision.dossier_code]
            if state.status is not DossierStatus.AWAITING_INTAKE:
                raise DecisionConflict(
                    f"dossier {decision.dossier_code} was already decided ({state.status})",
                    state.status,
                    state.version,
                )
            if decision.dossier_version != state.version:
                raise DecisionConflict(
                    f"dossier {decision.dossier_code} is at version {state.version}, "
                    f"not {decision.dossier_version}",
                    state.status,
                    state.version,
                )
            moment = self._tick()
            status = decision.kind.resulting_status
            receipt = DecisionReceipt(
                decision_id=decision.decision_id,
                dossier_code=decision.dossier_code,
                kind=decision.kind,
                status=status,
                version=state.version + 1,
                recorded_at=moment,
                officer=self._officer,
            )
            self._states[decision.dossier_code] = _DossierState(status, receipt.version, moment)
            self._decisions[decision.decision_id] = _Recorded(
                receipt,
                tuple(decision.reasons),
                decision.appointment_date,
                tuple(decision.components),
                tuple(decision.verdict_snapshot),
                self._officer_name,
            )
            self._save()
            return receipt

    # -- for trainers --

    @property
    def demo_dossiers(self) -> list[DemoDossier]:
        """The generated dossiers with their scenarios and guidance (generates on first use)."""
        with self._lock:
            self._ready()
            return list(self._demos.values())

    def demo_dossier(self, code: str) -> DemoDossier:
        """The demo dossier behind ``code``, as generated. Raises :class:`NotFound`."""
        with self._lock:
            self._ready()
            return self._demo(code)

    @property
    def office_history(self) -> list[HistoryDossier]:
        """The dossiers other officers decided: this unit's and a neighbouring desk's
        (which this unit never lists), oldest first."""
        with self._lock:
            self._ready()
            return sorted(self._history.values(), key=lambda h: (h.recorded_at, h.code))

    def decisions(self) -> list[DecisionReceipt]:
        """Receipts of the decisions taken since the last reset, oldest first."""
        with self._lock:
            self._ready()
            return sorted(
                (r.receipt for r in self._decisions.values()),
                key=lambda receipt: (receipt.recorded_at, receipt.dossier_code),
            )

    def reset(self) -> None:
        """Put every dossier back to awaiting intake and forget the decisions.

        The dossiers (codes, files) stay the same. A dossier that was decided gets a new
        version and change time, so an app that synced it sees it awaiting intake again.
        """
        with self._lock:
            self._ready()
            moment = self._tick()
            for code, state in self._states.items():
                if state.status is not DossierStatus.AWAITING_INTAKE:
                    self._states[code] = _DossierState(
                        DossierStatus.AWAITING_INTAKE, state.version + 1, moment
                    )
            self._decisions.clear()
            self._save()

    # -- internals --

    def _demo(self, code: str) -> DemoDossier:
        demo = self._demos.get(code)
        if demo is None:
            raise NotFound(f"dossier {code} does not exist")
        return demo

    def _record(self, history: HistoryDossier) -> DecisionRecord:
        """The history decision with its snapshot (the engine checks each file once)."""
        record = self._records.get(history.code)
        if record is None:
            record = self._records[history.code] = decision_record(history, self._verdict)
        return record

    def _verdict(self, data: bytes) -> tuple[str, tuple[str, ...]]:
        """What the officer's desk saw of a file: the demo trust, as test mode checks it."""
        key = hashlib.sha256(data).hexdigest()
        found = self._verdicts.get(key)
        if found is None:
            from intake_desktop.demo.dossiers import demo_trust
            from intake_desktop.services.signatures.inspect import inspect_pdf

            report = inspect_pdf(data, demo_trust())
            signers = tuple(
                s.signer.citizen_id for s in report.signatures if s.signer and s.signer.citizen_id
            )
            found = self._verdicts[key] = (report.verdict.value, signers)
        return found

    def _build_history(self, saved: dict[str, Any] | None) -> None:
        """The unit's history, dated from the first start's clock (kept across restarts)."""
        if not self._with_history:
            return
        at = None
        if saved is not None and saved.get("fingerprint") == self._fingerprint:
            try:
                at = _aware(datetime.fromisoformat(str(saved["history_at"])))
            except (KeyError, TypeError, ValueError):
                at = None
        self._history_at = at or _aware(self._clock())
        days = {p.code: p.processing_days for p in self._catalog or ()}
        for history in office_history(
            self._generated_demos, self._history_at, processing_days=days
        ):
            if history.code in self._demos:
                continue  # a code the queue already uses: never two dossiers under one code
            self._history[history.code] = history
            if history.unit == self._unit:
                for remote_id, data in history.files.items():
                    self._files[remote_id] = (data, hashlib.sha256(data).hexdigest())

    def _tick(self) -> datetime:
        """The server's clock, never going back (change times must not precede a listing)."""
        moment = _aware(self._clock())
        if self._last_time is not None and moment < self._last_time:
            moment = self._last_time
        self._last_time = moment
        return moment

    def _summary(self, code: str) -> DossierSummary:
        state = self._states[code]
        return _summary_of(self._demos[code].dossier, state.status, state.version, state.updated_at)

    def _validate(self, decision: DecisionRequest, demo: DemoDossier) -> None:
        problems: dict[str, str] = {}
        if decision.dossier_version < 1:
            problems["dossier_version"] = "must be 1 or more"
        if decision.kind is DecisionKind.ACCEPT:
            if decision.appointment_date is None:
                problems["appointment_date"] = "required to accept"
            elif decision.appointment_date < self._clock().astimezone(VN_TZ).date():
                problems["appointment_date"] = "must not be in the past"
        elif not any(reason.strip() for reason in decision.reasons):
            problems["reasons"] = "at least one reason is required to return a dossier"
        unknown = sorted(set(decision.components) - self._component_codes(demo.dossier))
        if unknown:
            problems["components"] = f"unknown component codes: {', '.join(unknown)}"
        if problems:
            said = "; ".join(f"{name}: {why}" for name, why in problems.items())
            raise DecisionRejected(f"the decision is not valid ({said})", problems)

    def _component_codes(self, dossier: Dossier) -> set[str]:
        codes = {c.spec_code for c in dossier.components if c.spec_code}
        national = ".".join(dossier.procedure_code.split(".")[:2])
        for procedure in self._catalog or ():
            if procedure.code in (dossier.procedure_code, national):
                codes.update(spec.code for spec in procedure.components)
        return codes

    def _ready(self) -> None:
        """Generate (or take) the dossiers and load the saved state, once."""
        if self._loaded:
            return
        if self._catalog is None:
            from intake_desktop.store.catalog import read_catalog

            self._catalog = read_catalog()[1]
        saved = self._read_state()
        if self._given is not None:
            demos = self._given
        else:
            anchor = self._now or _saved_anchor(saved, self._seed, self._count) or default_now()
            self._generation = {
                "seed": self._seed,
                "count": self._count,
                "now": anchor.isoformat(),
            }
            demos = self._generated(anchor)
        # Packs stay out of the fingerprint: importing one keeps the class's decisions.
        self._fingerprint = _fingerprint(demos)
        self._generated_demos = list(demos)  # the history's; packs come and go
        if self._packs is not None:
            from intake_desktop.services.training.packs import installed_dossiers

            demos = [*demos, *installed_dossiers(self._packs, exclude=self._codes(demos))]
        for demo in demos:
            self._register(demo)
        self._states = {
            code: _DossierState(d.dossier.status, d.dossier.version, d.dossier.submitted_at)
            for code, d in self._demos.items()
        }
        if saved is not None and saved.get("fingerprint") == self._fingerprint:
            self._restore(saved)
        elif saved is not None:
            log.info("demo source state in %s is for other dossiers: starting afresh", self._path)
        self._build_history(saved)
        if self._catalog_at is None:
            self._catalog_at = self._tick()
        self._loaded = True
        self._save()

    def add_dossiers(self, demos: Sequence[DemoDossier]) -> list[str]:
        """Serve more dossiers from now on (a scenario pack just imported); return the codes
        added. Codes already served are skipped."""
        with self._lock:
            self._ready()
            added = []
            for demo in demos:
                if demo.dossier.code in self._demos:
                    continue
                self._register(demo)
                self._states[demo.dossier.code] = _DossierState(
                    DossierStatus.AWAITING_INTAKE, 1, self._tick()
                )
                added.append(demo.dossier.code)
            return added

    @staticmethod
    def _codes(demos: Sequence[DemoDossier]) -> set[str]:
        return {demo.dossier.code for demo in demos}

    def _register(self, demo: DemoDossier) -> None:
        code = demo.dossier.code
        if code in self._demos:
            raise ValueError(f"dossier code {code} appears twice")
        self._demos[code] = demo
        for component in demo.dossier.components:
            for attachment in component.attachments:
                data = demo.files[attachment.remote_id]
                digest = attachment.sha256 or hashlib.sha256(data).hexdigest()
                self._files[attachment.remote_id] = (data, digest)

    def _generated(self, anchor: datetime) -> list[DemoDossier]:
        """Generate the dossiers, or load them from the last start's copy.

        Generation signs every file (seconds); the copy is keyed by everything generation
        depends on, so a changed seed, count, day, catalog or app version generates afresh.
        """
        assert self._catalog is not None
        key = hashlib.sha256(
            repr((__version__, self._seed, self._count, anchor.isoformat(), self._catalog)).encode(
                "utf-8"
            )
        ).hexdigest()[:20]
        cached = self._directory / f"{GENERATED_PREFIX}{key}.pickle"
        if cached.exists():
            try:
                # Written by this app into the user's own data folder (see below).
                loaded = pickle.loads(cached.read_bytes())
                if isinstance(loaded, list) and all(_current(d) for d in loaded):
                    return loaded
            except Exception:  # noqa: BLE001 - any unreadable copy is simply regenerated
                log.info("demo dossiers copy %s unreadable: generating again", cached)
        with MUPDF_LOCK:  # generation draws the forms with PyMuPDF in this thread
            demos = generate_dossiers(self._count, self._seed, self._catalog, now=anchor)
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
            for old in self._directory.glob(f"{GENERATED_PREFIX}*.pickle"):
                old.unlink(missing_ok=True)
            partial = cached.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(demos, protocol=pickle.HIGHEST_PROTOCOL))
            partial.replace(cached)
        except OSError as error:
            log.warning("could not keep the demo dossiers for the next start: %s", error)
        return demos

    @property
    def _path(self) -> Path:
        return self._directory / STATE_FILE

    def _read_state(self) -> dict[str, Any] | None:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("cannot read the demo source state %s: %s", self._path, error)
            return None
        try:
            state = json.loads(text)
        except ValueError as error:
            log.warning("demo source state %s is not JSON (%s): starting afresh", self._path, error)
            return None
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            log.warning("demo source state %s has an unknown format: starting afresh", self._path)
            return None
        return state

    def _restore(self, saved: dict[str, Any]) -> None:
        try:
            states = {
                str(code): _DossierState(
                    DossierStatus(item["status"]),
                    int(item["version"]),
                    _aware(datetime.fromisoformat(item["updated_at"])),
                )
                for code, item in saved["dossiers"].items()
            }
            decisions = {
                str(key): _recorded_from_json(str(key), item)
                for key, item in saved["decisions"].items()
            }
            catalog_at = _aware(datetime.fromisoformat(saved["catalog_at"]))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            log.warning("demo source state %s is damaged (%r): starting afresh", self._path, error)
            return
        self._states.update({code: s for code, s in states.items() if code in self._states})
        self._decisions = decisions
        self._catalog_at = catalog_at
        if self._states:
            self._last_time = max(s.updated_at for s in self._states.values())

    def _save(self) -> None:
        """Write the state atomically (a crash leaves the old file or the new one)."""
        assert self._catalog_at is not None
        changed = {
            code: {
                "status": state.status.value,
                "version": state.version,
                "updated_at": state.updated_at.isoformat(),
            }
            for code, state in self._states.items()
            if state.status is not DossierStatus.AWAITING_INTAKE or state.version != 1
        }
        document = {
            "format": _FORMAT,
            "generation": self._generation,
            "fingerprint": self._fingerprint,
            "catalog_at": self._catalog_at.isoformat(),
            "dossiers": changed,
            "decisions": {key: _recorded_to_json(r) for key, r in self._decisions.items()},
            "history_at": self._history_at.isoformat() if self._history_at else None,
        }
        self._directory.mkdir(parents=True, exist_ok=True)
        temporary = self._path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as fh:
            json.dump(document, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, self._path)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("use timezone-aware datetimes")
    return moment


def _saved_anchor(saved: dict[str, Any] | None, seed: int, count: int) -> datetime | None:
    """The moment the saved state's dossiers were generated as of, if they match."""
    generation = saved.get("generation") if saved else None
    if not isinstance(generation, dict):
        return None
    if generation.get("seed") != seed or generation.get("count") != count:
        return None
    try:
        return _aware(datetime.fromisoformat(str(generation["now"])))
    except (KeyError, ValueError):
        return None


def _fingerprint(demos: Sequence[DemoDossier]) -> str:
    """What identifies a set of dossiers: codes and file digests."""
    digest = hashlib.sha256()
    for demo in sorted(demos, key=lambda d: d.dossier.code):
        digest.update(demo.dossier.code.encode())
        for component in demo.dossier.components:
            for attachment in component.attachments:
                digest.update(f"|{attachment.remote_id}:{attachment.sha256}".encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _encode_cursor(position: tuple[datetime, str]) -> str:
    text = json.dumps([position[0].isoformat(), position[1]], ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, code = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return _aware(datetime.fromisoformat(moment)), str(code)
    except (ValueError, TypeError, binascii.Error) as error:
        raise DecisionRejected(
            "the cursor is not one this source made", {"cursor": "invalid"}
        ) from error


def _recorded_to_json(recorded: _Recorded) -> dict[str, Any]:
    receipt = recorded.receipt
    return {
        "dossier_code": receipt.dossier_code,
        "kind": receipt.kind.value,
        "status": receipt.status.value,
        "version": receipt.version,
        "recorded_at": receipt.recorded_at.isoformat(),
        "officer": receipt.officer,
        "reasons": list(recorded.reasons),
        "appointment_date": (
            recorded.appointment_date.isoformat() if recorded.appointment_date else None
        ),
        "components": list(recorded.components),
        "verdict_snapshot": [s.to_json() for s in recorded.verdict_snapshot],
        "officer_name": recorded.officer_name,
    }


def _recorded_from_json(decision_id: str, item: dict[str, Any]) -> _Recorded:
    appointment = item.get("appointment_date")
    receipt = DecisionReceipt(
        decision_id=decision_id,
        dossier_code=str(item["dossier_code"]),
        kind=DecisionKind(item["kind"]),
        status=DossierStatus(item["status"]),
        version=int(item["version"]),
        recorded_at=_aware(datetime.fromisoformat(item["recorded_at"])),
        officer=str(item["officer"]),
    )
    # A state file of an earlier build has no components, snapshot or name.
    return _Recorded(
        receipt,
        tuple(str(reason) for reason in item["reasons"]),
        date.fromisoformat(appointment) if appointment else None,
        tuple(str(code) for code in item.get("components") or ()),
        tuple(_snapshot_from_json(s) for s in item.get("verdict_snapshot") or ()),
        str(item.get("officer_name") or ""),
    )


def _snapshot_from_json(item: dict[str, Any]) -> VerdictSnapshot:
    sha256 = item.get("sha256")
    return VerdictSnapshot(
        attachment_id=str(item["attachment_id"]),
        sha256=str(sha256) if sha256 else None,
        verdict=str(item["verdict"]),
        signer_citizen_ids=tuple(str(i) for i in item.get("signer_citizen_ids") or ()),
    )


def _history_summary(history: HistoryDossier) -> DossierSummary:
    dossier = history.dossier
    return _summary_of(dossier, dossier.status, dossier.version, history.recorded_at)


def _summary_of(
    dossier: Dossier, status: DossierStatus, version: int, updated_at: datetime
) -> DossierSummary:
    return DossierSummary(
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        applicant_name=dossier.applicant.name,
        applicant_citizen_id=dossier.applicant.citizen_id,
        submitted_at=dossier.submitted_at,
        status=status,
        version=version,
        updated_at=updated_at,
        component_count=len(dossier.components),
    )


if TYPE_CHECKING:  # mypy checks that the demo source keeps to the protocols
    _source: DossierSource = DemoDossierSource(Path())
    _unit_listing: UnitListing = DemoDossierSource(Path())
