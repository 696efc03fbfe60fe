"""Bring the local store up to date with the dossier source, and fetch the attachments.

A pass (:meth:`Synchronizer.sync`) has three phases:

1. *listing* — summaries of every dossier changed since the high-water mark (all statuses, so
   dossiers decided at another desk get their new status too), page by page;
2. *details* — the whole dossier for each one whose version differs from the stored one, saved
   with ``store.dossiers.save_dossier``;
3. *downloads* — every attachment of the dossiers still to be handled
   (``download_statuses``) that is not in the cache yet, in parallel.

Downloads stream to a partial file under ``<cache>/partial/`` and are renamed into
``<cache>/attachments/<sha256><.ext>`` only after the size and SHA-256 match what the dossier
declares. A mismatch marks the attachment FAILED with the reason (it stays listed, its bytes are
not kept). An interrupted download keeps its partial file and resumes with ``Range`` next time,
if the server's ETag still names the same bytes. File names in the cache come from the SHA-256
and a whitelisted extension, never from the server's file name.

The high-water mark (the server's clock when the pass began) is saved only when listing and
details completed, so a pass that fails half-way is repeated, never skipped.

Threads: call :meth:`Synchronizer.sync` on one worker thread (never the GUI thread). It uses its
own pool of ``max_parallel_downloads`` threads for the network; those threads never touch the
store: every database write happens on the thread that called ``sync``, and so do the
``progress`` callbacks. :meth:`Synchronizer.cancel` may be called from any thread.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple, Protocol

from intake_desktop.domain import Dossier, DossierStatus, DownloadState
from intake_desktop.services.source import (
    AttachmentStream,
    AuthenticationFailed,
    DossierSource,
    DossierSummary,
    MalformedResponse,
    NotFound,
    RangeNotSatisfiable,
    SourceError,
    SourceUnavailable,
    UnitListing,
)
from intake_desktop.store import sync_state
from intake_desktop.store.db import Store
from intake_desktop.store.decision_history import save_history
from intake_desktop.store.dossiers import CachedAttachment, save_dossier
from intake_desktop.store.models import utc_now
from intake_desktop.store.sync_state import DownloadOutcome

log = logging.getLogger(__name__)

MB = 1024 * 1024
_RECORD_BATCH = 64  # download outcomes per store transaction
_NOT_ATTEMPTED = "not attempted in this pass"
# Cache files get an extension only from these (viewers pick a program by it; never ".exe").
_SAFE_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".xml", ".txt", ".doc", ".docx", ".odt"}
    | {".xls", ".xlsx", ".ods", ".zip", ".p7s"}
)
_MEDIA_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


class SyncPhase(enum.StrEnum):
    """Where a pass is."""

    LISTING = "listing"
    """Reading summaries; ``total`` is unknown (``None``)."""
    DETAILS = "details"
    """Fetching new or changed dossiers."""
    DOWNLOADS = "downloads"
    """Fetching attachments."""
    DONE = "done"


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """A progress report: ``done`` of ``total`` items of the current phase."""

    phase: SyncPhase
    done: int
    total: int | None
    """``None`` while the total is not known yet (listing)."""
    item: str | None = None
    """The dossier code (or attachment id) just handled, if any."""


class SyncIssue(NamedTuple):
    """Something that went wrong for one dossier or attachment; the pass went on."""

    dossier_code: str | None
    attachment_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What a pass did."""

    dossiers_new: int
    dossiers_updated: int
    """Stored before, with another version (changed, or decided elsewhere)."""
    dossiers_unchanged: int
    """Listed as changed since the mark, but the stored version was already current."""
    attachments_downloaded: int
    attachments_failed: int
    """Failed in this pass: FAILED (integrity, too large, gone) or still PENDING (interrupted,
    server unreachable); see ``errors``."""
    attachments_skipped: int
    """Already in the cache (or FAILED and ``retry_failed`` off): nothing to download."""
    errors: tuple[SyncIssue, ...]
    duration: float
    """Seconds."""
    high_water_mark: datetime | None
    """The mark the next pass starts from (unchanged if this pass did not complete)."""
    cancelled: bool = False
    decisions_added: int = 0
    """Decisions from the dossiers' histories new to the store (other officers', mostly)."""


class SyncAlreadyRunning(RuntimeError):
    """``sync()`` was called while a pass of the same synchronizer was running."""


class SyncCancelled(Exception):
    """Raised inside a pass to stop it; :meth:`Synchronizer.sync` returns a result instead."""


@dataclass(slots=True)
class _Counts:
    decisions: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    downloaded: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[SyncIssue] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Target:
    dossier_code: str
    remote_id: str


@dataclass(slots=True)
class _Job:
    """One file to fetch; several attachments with the same bytes share it."""

    key: str
    """Names the partial file: the declared SHA-256, or a digest of the id."""
    remote_id: str
    size: int
    expected_sha256: str | None
    extension: str
    targets: list[_Target]


@dataclass(frozen=True, slots=True)
class _Fetched:
    job: _Job
    state: DownloadState
    sha256: str | None = None
    path: Path | None = None
    error: str | None = None
    reused: bool = False
    unreachable: bool = False
    """The server could not be reached: later jobs are likely to fail the same way."""
    signed_out: bool = False


class Synchronizer:
    """Pulls dossiers and their attachments from a :class:`DossierSource` into the store.

    ``cache_dir`` receives ``attachments/`` and ``partial/``. ``source_name`` is what the
    store records as the dossiers' source and keys the high-water mark by; it defaults to the
    source's ``name`` attribute (the base URL for HTTP) or ``"demo"``.
    ``download_statuses``: the dossiers whose attachments are fetched (by default only those
    awaiting intake: decided dossiers are not the desk's work any more).
    ``retry_failed``: try FAILED attachments again at each pass (a corrupted transfer may
    heal); an attachment declared larger than ``max_attachment_bytes`` is never requested.
    ``unit_range``: a supervisor's office-wide sync: every dossier of the unit submitted on
    those Vietnam dates (inclusive), decided ones included, from a source that lists them
    (:class:`UnitListing`); it keeps its own high-water mark per range. Each dossier's
    decision history is merged into the store's decisions (``store.decision_history``).
    """

    def __init__(
        self,
        source: DossierSource,
        store: Store,
        cache_dir: Path,
        *,
        max_parallel_downloads: int = 4,
        max_attachment_bytes: int = 50 * MB,
        progress: Callable[[SyncProgress], None] | None = None,
        source_name: str | None = None,
        page_size: int = 200,
        download_statuses: Collection[DossierStatus] | None = (DossierStatus.AWAITING_INTAKE,),
        retry_failed: bool = True,
        unit_range: tuple[date, date] | None = None,
    ) -> None:
        if max_parallel_downloads < 1:
            raise ValueError("max_parallel_downloads must be at least 1")
        if unit_range is not None and not isinstance(source, UnitListing):
            raise ValueError("this dossier source cannot list the unit's dossiers by date")
        if unit_range is not None and unit_range[0] > unit_range[1]:
            raise ValueError("the date range ends before it starts")
        self._source = source
        self._store = store
        self._cache_dir = cache_dir
        self._files_dir = cache_dir / "attachments"
        self._partial_dir = cache_dir / "partial"
        self._parallel = max_parallel_downloads
        self._max_bytes = max_attachment_bytes
        self._progress = progress
        name = source_name if source_name is not None else getattr(source, "name", None)
        self.source_name: str = name if isinstance(name, str) and name else "demo"
        self._unit_range = unit_range
        # Another range lists other dossiers: its mark must not skip what it never listed.
        self._mark_key = (
            self.source_name
            if unit_range is None
            else f"{self.source_name}|unit:{unit_range[0].isoformat()}..{unit_range[1].isoformat()}"
        )
        self._page_size = page_size
        self._download_statuses = download_statuses
        self._retry_failed = retry_failed
        self._cancel = threading.Event()
        self._stop_downloads = threading.Event()
        self._running = threading.Lock()

    def cancel(self) -> None:
        """Ask the running pass to stop soon (any thread). Partial downloads are kept."""
        self._cancel.set()

    def download(self, dossier_codes: Collection[str]) -> SyncResult:
        """Fetch the attachments of these stored dossiers that are not in the cache yet:
        on demand, e.g. a supervisor re-validating decided dossiers the sync left remote.

        Raises :class:`SyncAlreadyRunning`; problems with single files are in ``errors``.
        """
        if not self._running.acquire(blocking=False):
            raise SyncAlreadyRunning("a sync is already running")
        try:
            started = time.monotonic()
            self._cancel.clear()
            self._stop_downloads.clear()
            self._files_dir.mkdir(parents=True, exist_ok=True)
            self._partial_dir.mkdir(parents=True, exist_ok=True)
            counts = _Counts()
            wanted = set(dossier_codes)
            cancelled = False
            with ThreadPoolExecutor(self._parallel, thread_name_prefix="intake-fetch") as pool:
                downloads = _Downloads(self, pool, counts)
                try:
                    downloads.add(
                        a
                        for a in sync_state.attachments_of(self._store)
                        if a.dossier_code in wanted
                    )
                    downloads.drain()
                except SyncCancelled:
                    cancelled = True
                finally:
                    downloads.close()
            self._report(SyncPhase.DONE, 1, 1)
            return SyncResult(
                dossiers_new=0,
                dossiers_updated=0,
                dossiers_unchanged=0,
                attachments_downloaded=counts.downloaded,
                attachments_failed=counts.failed,
                attachments_skipped=counts.skipped,
                errors=tuple(counts.errors),
                duration=time.monotonic() - started,
                high_water_mark=sync_state.high_water_mark(self._store, self._mark_key),
                cancelled=cancelled,
            )
        finally:
            self._running.release()

    def cache_path(self, sha256: str, file_name: str = "", media_type: str = "") -> Path:
        """Return where the cache keeps the bytes with this SHA-256."""
        return self._files_dir / f"{sha256.lower()}{_extension(file_name, media_type)}"

    def sync(self) -> SyncResult:
        """Run one pass and return what it did.

        Raises :class:`SourceUnavailable` or :class:`AuthenticationFailed` when the list or the
        dossiers cannot be fetched (what was saved before stays saved; the next pass
        repeats the rest), and :class:`SyncAlreadyRunning`. Problems with single dossiers
        or attachments do not raise: they are in ``SyncResult.errors``.
        """
        if not self._running.acquire(blocking=False):
            raise SyncAlreadyRunning("a sync is already running")
        try:
            return self._pass()
        finally:
            self._running.release()

    # -- the pass ------------------------------------------------------------------------

    def _pass(self) -> SyncResult:
        started = time.monotonic()
        self._cancel.clear()
        self._stop_downloads.clear()
        counts = _Counts()
        mark = sync_state.high_water_mark(self._store, self._mark_key)
        new_mark = mark
        cancelled = False
        self._files_dir.mkdir(parents=True, exist_ok=True)
        self._partial_dir.mkdir(parents=True, exist_ok=True)
        # Phases one after the other: overlapping downloads with the saving of dossiers was
        # slower (measured): the saving is CPU-bound Python and competes for the GIL.
        with ThreadPoolExecutor(self._parallel, thread_name_prefix="intake-sync") as pool:
            downloads = _Downloads(self, pool, counts)
            try:
                summaries, server_time = self._list(mark)
                complete = self._details(pool, summaries, counts)
                if complete:
                    sync_state.set_high_water_mark(self._store, self._mark_key, server_time)
                    new_mark = server_time
                # New and changed dossiers' files, and whatever earlier passes left
                # (interrupted, failed, or deleted from the cache).
                downloads.add(sync_state.attachments_of(self._store, self._download_statuses))
                downloads.drain()
            except SyncCancelled:
                cancelled = True
            finally:
                downloads.close()
        result = SyncResult(
            dossiers_new=counts.new,
            dossiers_updated=counts.updated,
            dossiers_unchanged=counts.unchanged,
            attachments_downloaded=counts.downloaded,
            attachments_failed=counts.failed,
            attachments_skipped=counts.skipped,
            errors=tuple(counts.errors),
            duration=time.monotonic() - started,
            high_water_mark=new_mark,
            cancelled=cancelled,
            decisions_added=counts.decisions,
        )
        self._report(SyncPhase.DONE, 1, 1)
        log.info(
            "sync %s: %d new, %d updated, %d unchanged dossiers; %d downloaded, %d failed, "
            "%d skipped attachments; %d problems; %.2f s%s",
            self.source_name,
            result.dossiers_new,
            result.dossiers_updated,
            result.dossiers_unchanged,
            result.attachments_downloaded,
            result.attachments_failed,
            result.attachments_skipped,
            len(result.errors),
            result.duration,
            " (cancelled)" if cancelled else "",
        )
        return result

    def _list(self, since: datetime | None) -> tuple[list[DossierSummary], datetime]:
        latest: dict[str, DossierSummary] = {}
        cursor: str | None = None
        seen_cursors: set[str] = set()
        first_time: datetime | None = None
        while True:
            self._check_cancel()
            if self._unit_range is None:
                page = self._source.list_dossiers(
                    updated_since=since, cursor=cursor, limit=self._page_size
                )
            else:
                assert isinstance(self._source, UnitListing)  # checked in __init__
                page = self._source.list_unit_dossiers(
                    submitted_from=self._unit_range[0],
                    submitted_to=self._unit_range[1],
                    updated_since=since,
                    cursor=cursor,
                    limit=self._page_size,
                )
            # The clock at the first page: anything changed later has updated_at >= it and is
            # listed again next time (updated_since is inclusive).
            first_time = first_time or page.server_time
            for summary in page.items:
                known = latest.get(summary.code)
                if known is None or summary.version >= known.version:
                    latest[summary.code] = summary
            self._report(SyncPhase.LISTING, len(latest), None)
            if page.next_cursor is None:
                return list(latest.values()), first_time
            if page.next_cursor in seen_cursors:
                raise MalformedResponse(f"the dossier list repeats cursor {page.next_cursor!r}")
            seen_cursors.add(page.next_cursor)
            cursor = page.next_cursor

    def _details(
        self, pool: ThreadPoolExecutor, summaries: list[DossierSummary], counts: _Counts
    ) -> bool:
        """Fetch and save changed dossiers. Returns whether every one was handled."""
        stored = sync_state.stored_versions(self._store, (s.code for s in summaries))
        todo = [s for s in summaries if stored.get(s.code) != s.version]
        counts.unchanged += len(summaries) - len(todo)
        complete = True
        futures = {pool.submit(self._source.get_dossier, s.code): s for s in todo}
        self._report(SyncPhase.DETAILS, 0, len(todo))
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                self._check_cancel()
                summary = futures[future]
                try:
                    dossier = future.result()
                except NotFound:
                    # Withdrawn between the list and now: nothing to show.
                    counts.errors.append(SyncIssue(summary.code, None, "no longer on the server"))
                    continue
                except MalformedResponse as error:
                    complete = False
                    counts.errors.append(SyncIssue(summary.code, None, str(error)))
                    continue
                self._save(dossier, summary.code in stored, counts)
                self._report(SyncPhase.DETAILS, done, len(todo), summary.code)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return complete

    def _save(self, dossier: Dossier, existed: bool, counts: _Counts) -> None:
        # The history first: if the dossier's save then fails, its version is not stored and
        # the next pass fetches both again (merging a history twice changes nothing).
        if dossier.decisions:
            counts.decisions += save_history(self._store, dossier.code, dossier.decisions).added
        save_dossier(self._store, dossier, source=self.source_name, synced_at=utc_now())
        if existed:
            counts.updated += 1
        else:
            counts.new += 1

    # -- downloads -----------------------------------------------------------------------

    def _outcomes(self, fetched: _Fetched, counts: _Counts) -> Iterator[DownloadOutcome]:
        job = fetched.job
        for target in job.targets:
            if fetched.state is DownloadState.DONE:
                if fetched.reused:
                    counts.skipped += 1
                else:
                    counts.downloaded += 1
            else:
                counts.failed += 1
                counts.errors.append(
                    SyncIssue(target.dossier_code, target.remote_id, fetched.error or "failed")
                )
            yield DownloadOutcome(
                dossier_code=target.dossier_code,
                remote_id=target.remote_id,
                state=fetched.state,
                sha256=fetched.sha256,
                cache_path=fetched.path,
                error=fetched.error,
            )

    def _fetch(self, job: _Job) -> _Fetched:
        """Download one file (worker thread; no store access here)."""
        if self._stop_downloads.is_set() or self._cancel.is_set():
            return _Fetched(job, DownloadState.PENDING, error=_NOT_ATTEMPTED)
        if job.expected_sha256 is not None:
            final = self._files_dir / f"{job.expected_sha256}{job.extension}"
            if final.is_file() and final.stat().st_size == job.size:
                return _Fetched(job, DownloadState.DONE, job.expected_sha256, final, reused=True)
        if job.size > self._max_bytes:
            return self._too_large(job, job.size)
        partial = self._partial_dir / f"{job.key}.part"
        tag_file = self._partial_dir / f"{job.key}.etag"
        try:
            return self._download(job, partial, tag_file)
        except OSError as error:
            return _Fetched(job, DownloadState.PENDING, error=f"cannot write the cache: {error}")

    def _download(self, job: _Job, partial: Path, tag_file: Path) -> _Fetched:
        offset, saved_tag = _resumable(partial, tag_file, job.size)
        if offset and offset == job.size:  # complete before a crash, never verified
            return self._finish(job, partial, tag_file, _hash_file(partial), offset)
        for _attempt in range(3):
            try:
                stream = self._source.open_attachment(job.remote_id, offset)
            except RangeNotSatisfiable as error:
                if not offset:
                    return _Fetched(job, DownloadState.FAILED, error=str(error))
                _discard(partial, tag_file)
                offset = 0
                continue
            except NotFound:
                return _Fetched(job, DownloadState.FAILED, error="no longer on the server")
            except AuthenticationFailed as error:
                return _Fetched(job, DownloadState.PENDING, error=str(error), signed_out=True)
            except SourceUnavailable as error:
                return _Fetched(job, DownloadState.PENDING, error=str(error), unreachable=True)
            except SourceError as error:
                return _Fetched(job, DownloadState.PENDING, error=str(error))
            with stream:
                if offset and (stream.etag is None or stream.etag != saved_tag):
                    log.info("attachment %s changed since the partial download", job.remote_id)
                    _discard(partial, tag_file)
                    offset = 0
                    continue
                if stream.size is not None:
                    announced = offset + stream.size
                    if announced > self._max_bytes:
                        _discard(partial, tag_file)
                        return self._too_large(job, announced)
                    if announced != job.size:
                        _discard(partial, tag_file)
                        return _Fetched(
                            job,
                            DownloadState.FAILED,
                            error=f"the server sends {announced} bytes, the dossier declares "
                            f"{job.size}",
                        )
                if not offset:
                    tag_file.write_text(stream.etag or "", encoding="ascii")
                return self._receive(job, stream, partial, tag_file, offset)
        return _Fetched(job, DownloadState.PENDING, error="the server kept changing the file")

    def _receive(
        self, job: _Job, stream: AttachmentStream, partial: Path, tag_file: Path, offset: int
    ) -> _Fetched:
        hasher: _Hasher = _hash_file(partial) if offset else hashlib.sha256()
        written = offset
        problem: str | None = None
        try:
            with partial.open("ab" if offset else "wb") as out:
                try:
                    for chunk in stream.chunks():
                        written += len(chunk)
                        if written > self._max_bytes or written > job.size:
                            problem = "too large" if written > self._max_bytes else "too long"
                            break
                        out.write(chunk)
                        hasher.update(chunk)
                        if self._cancel.is_set() or self._stop_downloads.is_set():
                            return _Fetched(
                                job,
                                DownloadState.PENDING,
                                error="stopped before the end; will resume",
                            )
                finally:
                    out.flush()
                    os.fsync(out.fileno())
        except SourceUnavailable as error:
            # Keep the bytes: the next pass resumes from here.
            return _Fetched(job, DownloadState.PENDING, error=f"{error}; will resume")
        if problem == "too large":
            _discard(partial, tag_file)
            return self._too_large(job, written)
        if problem == "too long":
            _discard(partial, tag_file)
            return _Fetched(
                job,
                DownloadState.FAILED,
                error=f"the server sent more than the {job.size} bytes the dossier declares",
            )
        return self._finish(job, partial, tag_file, hasher, written)

    def _finish(
        self, job: _Job, partial: Path, tag_file: Path, hasher: _Hasher, written: int
    ) -> _Fetched:
        if written != job.size:
            _discard(partial, tag_file)
            return _Fetched(
                job,
                DownloadState.FAILED,
                error=f"received {written} bytes, the dossier declares {job.size}",
            )
        digest = hasher.hexdigest()
        if job.expected_sha256 is not None and digest != job.expected_sha256:
            _discard(partial, tag_file)
            return _Fetched(
                job,
                DownloadState.FAILED,
                error=f"SHA-256 mismatch: the dossier declares {job.expected_sha256}, "
                f"the bytes received hash to {digest}",
            )
        final = self._files_dir / f"{digest}{job.extension}"
        os.replace(partial, final)
        with suppress(FileNotFoundError):
            tag_file.unlink()
        return _Fetched(job, DownloadState.DONE, digest, final)

    def _too_large(self, job: _Job, size: int) -> _Fetched:
        return _Fetched(
            job,
            DownloadState.FAILED,
            error=f"too large: {size / MB:.1f} MB, the limit is {self._max_bytes / MB:.1f} MB",
        )

    # -- helpers -------------------------------------------------------------------------

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise SyncCancelled

    def _report(
        self, phase: SyncPhase, done: int, total: int | None, item: str | None = None
    ) -> None:
        if self._progress is not None:
            self._progress(SyncProgress(phase, done, total, item))


class _Downloads:
    """The files of one pass: queued, fetched on the pool, recorded as they finish.

    Lives on the thread that runs the pass; only ``Synchronizer._fetch`` runs on the pool.
    Attachments with the same bytes share one job (and one partial file); a job's targets are
    read when its outcome is recorded, on this thread.
    """

    def __init__(self, owner: Synchronizer, pool: ThreadPoolExecutor, counts: _Counts) -> None:
        self._owner = owner
        self._pool = pool
        self._counts = counts
        self._open: dict[tuple[str, int], _Job] = {}
        self._futures: dict[Future[_Fetched], _Job] = {}
        self._seen: set[_Target] = set()
        self._outcomes: list[DownloadOutcome] = []

    def add(self, attachments: Iterable[CachedAttachment]) -> None:
        """Queue the attachments that are not in the cache yet (each one once per pass)."""
        for cached in attachments:
            target = _Target(cached.dossier_code, cached.attachment.remote_id)
            if target in self._seen:
                continue
            self._seen.add(target)
            attachment = cached.attachment
            if cached.state is DownloadState.DONE and cached.cache_path is not None:
                if cached.cache_path.is_file():
                    self._counts.skipped += 1
                    continue
                log.info("cached copy of %s is gone; fetching again", attachment.remote_id)
            if cached.state is DownloadState.FAILED and not self._owner._retry_failed:
                self._counts.skipped += 1
                continue
            expected = attachment.sha256.lower() if attachment.sha256 else None
            key = expected or "id-" + hashlib.sha256(attachment.remote_id.encode()).hexdigest()
            job = self._open.get((key, attachment.size))
            if job is not None:
                job.targets.append(target)
                continue
            job = _Job(
                key=key,
                remote_id=attachment.remote_id,
                size=attachment.size,
                expected_sha256=expected,
                extension=_extension(attachment.file_name, attachment.media_type),
                targets=[target],
            )
            self._open[(key, attachment.size)] = job
            self._futures[self._pool.submit(self._owner._fetch, job)] = job

    def drain(self) -> None:
        """Wait for every queued file, recording outcomes in batches and reporting progress."""
        owner = self._owner
        total = sum(len(job.targets) for job in self._futures.values())
        done = 0
        unreachable_in_a_row = 0
        owner._report(SyncPhase.DOWNLOADS, 0, total)
        for future in as_completed(list(self._futures)):
            job = self._futures.pop(future)
            try:
                fetched = future.result()
            except Exception as error:
                log.exception("download of attachment %s failed", job.remote_id)
                fetched = _Fetched(job, DownloadState.PENDING, error=f"unexpected: {error!r}")
            unreachable_in_a_row = unreachable_in_a_row + 1 if fetched.unreachable else 0
            if fetched.signed_out or unreachable_in_a_row >= 2:
                # Every other request would wait for the same timeouts: leave them queued.
                owner._stop_downloads.set()
            self._open.pop((job.key, job.size), None)
            self._outcomes.extend(owner._outcomes(fetched, self._counts))
            if len(self._outcomes) >= _RECORD_BATCH:
                self._record()
            done += len(job.targets)
            owner._report(SyncPhase.DOWNLOADS, done, total, job.remote_id)
            owner._check_cancel()

    def close(self) -> None:
        """Stop what has not started, wait for what has, and record every outcome known."""
        self._owner._stop_downloads.set()
        for future in self._futures:
            future.cancel()
        # Files finished in the background (e.g. while details failed) are kept, not lost.
        for future, job in list(self._futures.items()):
            if future.cancelled():
                continue
            try:
                fetched = future.result()
            except Exception:
                log.exception("download of attachment %s failed", job.remote_id)
                continue
            if fetched.state is not DownloadState.PENDING or fetched.error != _NOT_ATTEMPTED:
                self._outcomes.extend(self._owner._outcomes(fetched, self._counts))
        self._futures.clear()
        self._record()

    def _record(self) -> None:
        sync_state.record_downloads(self._owner._store, self._outcomes)
        self._outcomes.clear()


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


def _extension(file_name: str, media_type: str) -> str:
    """A short, safe extension for the cache file: from the name if harmless, else the type."""
    suffix = Path(file_name.replace("\\", "/")).suffix.lower() if file_name else ""
    if suffix in _SAFE_EXTENSIONS:
        return suffix
    return _MEDIA_EXTENSIONS.get(media_type.split(";", 1)[0].strip().lower(), "")


def _resumable(partial: Path, tag_file: Path, size: int) -> tuple[int, str | None]:
    """Return (offset to resume from, ETag the partial bytes belong to)."""
    if not partial.is_file():
        return 0, None
    try:
        tag = tag_file.read_text(encoding="ascii").strip() or None
    except (FileNotFoundError, UnicodeDecodeError):
        tag = None
    offset = partial.stat().st_size
    if tag is None or offset > size:
        # No ETag to check the server still has the same file, or more than the whole file.
        _discard(partial, tag_file)
        return 0, None
    return offset, tag


def _hash_file(path: Path) -> _Hasher:
    hasher = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            hasher.update(block)
    return hasher


def _discard(partial: Path, tag_file: Path) -> None:
    for path in (partial, tag_file):
        with suppress(FileNotFoundError):
            path.unlink()


__all__ = [
    "MB",
    "SyncAlreadyRunning",
    "SyncIssue",
    "SyncPhase",
    "SyncProgress",
    "SyncResult",
    "Synchronizer",
]
