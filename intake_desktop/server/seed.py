"""The training server's data folder: seeding it with demo dossiers, and resetting it.

Layout of a data folder::

    server.sqlite3   the live database (dossiers, decisions, accounts, tokens)
    seed.sqlite3     the same database as seeded: what a reset restores
    files/ab/ab…     attachment bytes, named by their SHA-256 (immutable)

Generating and signing the demo PDFs is slow (a fraction of a second per file), so it is done
once; ``--reset`` and ``POST /api/v1/_training/reset`` restore ``seed.sqlite3`` instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import select

from intake_desktop.clock import SYSTEM_CLOCK, Clock
from intake_desktop.domain import ComponentSpec, DecisionKind, Dossier, Procedure
from intake_desktop.server.accounts import default_accounts, default_password_hash
from intake_desktop.server.db import (
    ServerDatabase,
    ServerDataError,
    backup_database,
    create_database,
    open_database,
    remove_database_files,
)
from intake_desktop.server.decisions import decision_receipt
from intake_desktop.server.models import (
    AttachmentRow,
    ComponentRow,
    DecisionRow,
    DossierRow,
    MetaRow,
    OfficerRow,
    ProcedureRow,
    utc_text,
)

log = logging.getLogger(__name__)

ONLINE_CHANNEL = 2
"""National submission channel of an online dossier."""

_RESTORED_TABLES = ("procedures", "dossiers", "components", "attachments", "decisions")
"""Tables a reset restores, parents first. Accounts and tokens are kept: nobody is signed out."""


class SeedDossier(Protocol):
    """What the server needs of a demo dossier (``intake_desktop.demo.dossiers.DemoDossier``)."""

    @property
    def dossier(self) -> Dossier: ...

    @property
    def files(self) -> Mapping[str, bytes]:
        """Attachment ``remote_id`` -> its bytes."""
        ...


Generator = Callable[[int, int, list[Procedure]], Sequence[SeedDossier]]
"""``(count, seed, catalog) -> demo dossiers``; the default is the demo generator."""


def demo_generator(count: int, seed: int, catalog: list[Procedure]) -> Sequence[SeedDossier]:
    """Generate demo dossiers with :mod:`intake_desktop.demo.dossiers` (signed PDFs: slow)."""
    from intake_desktop.demo.dossiers import generate_dossiers

    dossiers: Sequence[SeedDossier] = generate_dossiers(count=count, seed=seed, catalog=catalog)
    return dossiers


@dataclass(frozen=True, slots=True)
class DataDir:
    """Paths of a training server data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "server.sqlite3"

    @property
    def pristine(self) -> Path:
        """The database as seeded, which a reset restores."""
        return self.root / "seed.sqlite3"

    @property
    def files(self) -> Path:
        return self.root / "files"

    def file_path(self, sha256: str) -> Path:
        """Return where the bytes with this SHA-256 are kept."""
        return self.files / sha256[:2] / sha256


class DataDirLock:
    """An exclusive lock on a data folder while a server uses it or it is being (re)seeded.

    Replacing the database under a running server would lose data silently; with the
    lock, ``serve --reset`` on a folder in use fails and says what to do instead.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._handle: BinaryIO | None = None

    def acquire(self) -> DataDirLock:
        """Take the lock. Raises :class:`ServerDataError` if another server holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = (self.root / "server.lock").open("a+b")
        try:
            _lock_file(handle)
        except OSError:
            handle.close()
            raise ServerDataError(
                f"{self.root} is in use by a running training server: stop it first, or "
                "reset it while it runs with POST /api/v1/_training/reset (as giangvien)"
            ) from None
        self._handle = handle
        return self

    def release(self) -> None:
        """Release the lock (idempotent)."""
        if self._handle is not None:
            self._handle.close()  # closing the file releases the lock
            self._handle = None

    def __enter__(self) -> DataDirLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock_file(handle: BinaryIO) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


@dataclass(frozen=True, slots=True)
class SeedInfo:
    """How a data folder was seeded."""

    count: int
    seed: int
    seeded_at: datetime
    catalog_version: str
    generator: str
    decided: int = 0
    """How many of the dossiers other officers had already decided (seeded history)."""


def read_seed_info(database: ServerDatabase) -> SeedInfo:
    """Return how the database was seeded. Raises :class:`ServerDataError` if it was not."""
    with database.session() as session:
        meta = {row.key: row.value for row in session.scalars(select(MetaRow))}
    try:
        return SeedInfo(
            count=int(meta["seed.count"]),
            seed=int(meta["seed.seed"]),
            seeded_at=datetime.fromisoformat(meta["seed.seeded_at"]),
            catalog_version=meta["seed.catalog_version"],
            generator=meta["seed.generator"],
            decided=int(meta.get("seed.decided", "0")),
        )
    except (KeyError, ValueError) as error:
        raise ServerDataError(
            f"{database.path}: not fully seeded ({error}); start with --reset"
        ) from None


def prepare_data_dir(
    root: Path,
    *,
    count: int,
    seed: int,
    reset: bool = False,
    generator: Generator | None = None,
    catalog_path: Path | None = None,
    decided: int = 0,
    clock: Clock = SYSTEM_CLOCK,
) -> SeedInfo:
    """Make ``root`` ready to serve: seed it on first use, or restore the seed on ``reset``.

    A reset restores the saved seed when it was made with the same ``count``, ``seed`` and
    ``decided`` (fast), and generates anew otherwise. Without ``reset`` an existing folder
    is used as it is, whatever ``count`` and ``seed`` say (the returned info tells what it
    holds). Raises
    :class:`ServerDataError` when the existing database cannot be used, or a running
    server holds the folder.
    """
    data = DataDir(root)
    with DataDirLock(root):
        if not reset and data.database.exists():
            with open_database(data.database) as database:
                return read_seed_info(database)
        if reset and _pristine_matches(data, count, seed, decided):
            return restore_seed(root)
        return seed_data_dir(
            root,
            count=count,
            seed=seed,
            generator=generator,
            catalog_path=catalog_path,
            decided=decided,
            clock=clock,
        )


def seed_data_dir(
    root: Path,
    *,
    count: int,
    seed: int,
    generator: Generator | None = None,
    catalog_path: Path | None = None,
    decided: int = 0,
    clock: Clock = SYSTEM_CLOCK,
) -> SeedInfo:
    """Generate ``count`` demo dossiers and (re)build the data folder from them.

    The last ``decided`` of them (at most ``count``) come already decided by other officers'
    desks (``canbo02``…), with the verdict snapshot those desks would have sent, at times
    between their submission and ``clock``'s now: a decision history for the supervisor's
    audit. The old database is replaced only once the new one is complete. Returns the seed
    info. No server may be using the folder (:func:`prepare_data_dir` makes sure of that).
    """
    if decided < 0:
        raise ValueError("decided must be >= 0")
    from intake_desktop.store.catalog import read_catalog

    generate = generator or demo_generator
    catalog_version, procedures = read_catalog(catalog_path)
    dossiers = generate(count, seed, procedures)
    data = DataDir(root)
    root.mkdir(parents=True, exist_ok=True)
    building = root / "server.sqlite3.new"
    remove_database_files(building)
    now = clock.now().astimezone(UTC)
    info = SeedInfo(
        count=count,
        seed=seed,
        seeded_at=now,
        catalog_version=catalog_version,
        generator=_name(generate),
        decided=min(decided, len(dossiers)),
    )
    with create_database(building) as database, database.session(write=True) as session:
        session.add_all(_meta_rows(info))
        for account in default_accounts():
            session.add(
                OfficerRow(
                    username=account.username,
                    name=account.name,
                    unit=account.unit,
                    password_hash=default_password_hash(),
                    trainer=account.trainer,
                    supervisor=account.supervisor,
                )
            )
        for position, procedure in enumerate(procedures):
            session.add(_procedure_row(procedure, position, now))
        rows = [_dossier_row(demo, data, now) for demo in dossiers]
        session.add_all(rows)
        session.flush()  # ids for the decisions, and the officers they name
        if info.decided:
            history = list(zip(dossiers, rows, strict=True))[-info.decided :]
            session.add_all(_seeded_decisions(history, procedures, seed, now))
    remove_database_files(data.database)
    os.replace(building, data.database)
    backup_database(data.database, data.pristine)
    _remove_unused_files(
        data, {a.sha256 for row in rows for c in row.components for a in c.attachments}
    )
    log.info("seeded %s with %d dossiers (seed %d)", root, len(dossiers), seed)
    return info


def restore_seed(root: Path) -> SeedInfo:
    """Replace the live database by the saved seed (no server may be using the folder).

    Every dossier's ``updated_at`` becomes now, so apps that synced before see the reset.
    Raises :class:`ServerDataError` when there is no usable seed.
    """
    data = DataDir(root)
    with open_database(data.pristine) as pristine:
        info = read_seed_info(pristine)
    backup_database(data.pristine, data.database)
    with open_database(data.database) as database, database.session(write=True) as session:
        now = datetime.now(UTC)
        for row in session.scalars(select(DossierRow)):
            row.updated_at = now
        session.merge(MetaRow(key="reset_at", value=now.isoformat()))
    return info


def restore_seed_in_place(database: ServerDatabase, root: Path) -> int:
    """Reset a running server's data to the saved seed, in one transaction.

    Decisions made since seeding are dropped (a seeded history stays) and dossiers restored
    with ``updated_at`` = now; accounts and tokens are kept, so nobody is signed out.
    Returns the number of dossiers restored. Raises :class:`ServerDataError` when there is
    no usable seed.
    """
    data = DataDir(root)
    with open_database(data.pristine):
        pass  # checks that the seed exists and has this schema version
    now = utc_text(datetime.now(UTC))
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            # ATTACH is refused inside a transaction: attach first, then BEGIN.
            cursor.execute("ATTACH DATABASE ? AS seed", (str(data.pristine),))
            try:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    for table in reversed(_RESTORED_TABLES):
                        cursor.execute(f"DELETE FROM main.{table}")
                    for table in _RESTORED_TABLES:
                        cursor.execute(f"INSERT INTO main.{table} SELECT * FROM seed.{table}")
                    cursor.execute("UPDATE main.dossiers SET updated_at = ?", (now,))
                    cursor.execute(
                        "INSERT OR REPLACE INTO main.meta (key, value) VALUES ('reset_at', ?)",
                        (now,),
                    )
                    restored = cursor.execute("SELECT count(*) FROM main.dossiers").fetchone()[0]
                    cursor.execute("COMMIT")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
            finally:
                cursor.execute("DETACH DATABASE seed")
        finally:
            cursor.close()
    finally:
        raw.close()
    return int(restored)


def copy_data_dir(source: Path, target: Path) -> None:
    """Copy a seeded data folder (databases consistently, files as hard links when possible)."""
    src, dst = DataDir(source), DataDir(target)
    target.mkdir(parents=True, exist_ok=True)
    backup_database(src.database, dst.database)
    backup_database(src.pristine, dst.pristine)
    if dst.files.exists():
        shutil.rmtree(dst.files)
    shutil.copytree(src.files, dst.files, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    # The files are immutable (named by their hash): sharing them between copies is safe.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _pristine_matches(data: DataDir, count: int, seed: int, decided: int) -> bool:
    if not data.pristine.exists() or not data.files.is_dir():
        return False
    try:
        with open_database(data.pristine) as pristine:
            info = read_seed_info(pristine)
    except ServerDataError:
        return False
    return (info.count, info.seed, info.decided) == (count, seed, min(decided, info.count))


def _meta_rows(info: SeedInfo) -> list[MetaRow]:
    # The schema version is written by create_database.
    values = {
        "seed.count": str(info.count),
        "seed.seed": str(info.seed),
        "seed.seeded_at": info.seeded_at.isoformat(),
        "seed.catalog_version": info.catalog_version,
        "seed.generator": info.generator,
        "seed.decided": str(info.decided),
    }
    return [MetaRow(key=key, value=value) for key, value in values.items()]


def _procedure_row(procedure: Procedure, position: int, now: datetime) -> ProcedureRow:
    return ProcedureRow(
        code=procedure.code,
        position=position,
        name=procedure.name,
        sector=procedure.sector,
        agency_level=procedure.agency_level,
        processing_days=procedure.processing_days,
        processing_note=procedure.processing_note,
        fee_vnd=procedure.fee_vnd,
        fee_note=procedure.fee_note,
        legal_basis_json=_dump(list(procedure.legal_basis)),
        source_urls_json=_dump(list(procedure.source_urls)),
        components_json=_dump([_spec_document(spec) for spec in procedure.components]),
        updated_at=now,
    )


def _spec_document(spec: ComponentSpec) -> dict[str, object]:
    return {
        "code": spec.code,
        "name": spec.name,
        "copy_kind": spec.copy_kind.value,
        "quantity": spec.quantity,
        "required": spec.required,
        "signature_required": spec.signature_required,
        "condition": spec.condition,
        "note": spec.note,
        "online": spec.online,
        "form": spec.form,
    }


def _dossier_row(demo: SeedDossier, data: DataDir, now: datetime) -> DossierRow:
    dossier = demo.dossier
    applicant = dossier.applicant
    row = DossierRow(
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        submitted_at=dossier.submitted_at,
        status=dossier.status.value,
        national_status_code=dossier.status.national_code,
        channel=ONLINE_CHANNEL,
        version=dossier.version,
        updated_at=now,
        applicant_name=applicant.name,
        applicant_citizen_id=applicant.citizen_id,
        applicant_birth_date=applicant.birth_date,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        scenario=_label(getattr(demo, "scenario", None)),
        expected_decision=_label(getattr(demo, "expected_decision", None)),
    )
    for position, component in enumerate(dossier.components):
        component_row = ComponentRow(
            position=position,
            spec_code=component.spec_code,
            name=component.name,
            copy_kind=component.copy_kind.value,
        )
        for index, attachment in enumerate(component.attachments):
            content = demo.files.get(attachment.remote_id)
            if content is None:
                raise ValueError(
                    f"dossier {dossier.code}: no bytes for attachment {attachment.remote_id}"
                )
            sha256 = _store_file(data, content)
            if attachment.sha256 not in (None, sha256) or attachment.size != len(content):
                # The server declares what it serves; a generator that says otherwise is
                # a bug there, and the wrong_sha256_for fault covers mismatches on purpose.
                log.warning(
                    "attachment %s declares %s bytes / %s, serving %d bytes / %s",
                    attachment.remote_id,
                    attachment.size,
                    attachment.sha256,
                    len(content),
                    sha256,
                )
            component_row.attachments.append(
                AttachmentRow(
                    id=attachment.remote_id,
                    position=index,
                    file_name=attachment.file_name,
                    media_type=attachment.media_type,
                    size=len(content),
                    sha256=sha256,
                )
            )
        row.components.append(component_row)
    return row


SEED_OFFICERS = ("canbo02", "canbo03", "canbo04", "canbo05")
"""The officers whose desks made the seeded decisions (not canbo01, whom the tests sign in)."""

DEFAULT_PROCESSING_DAYS = 3
"""Processing days of a seeded acceptance whose procedure is not in the catalog."""

_SUPPLEMENT_REASON = (
    "Thành phần hồ sơ chưa có chữ ký số hợp lệ của người yêu cầu; đề nghị bổ sung, hoàn thiện."
)


def _seeded_decisions(
    history: Sequence[tuple[SeedDossier, DossierRow]],
    procedures: Sequence[Procedure],
    seed: int,
    now: datetime,
) -> list[DecisionRow]:
    """Decide each dossier as another officer's desk would have, with its snapshot.

    The snapshot's verdicts come from the signature engine with the demo trust, as a desk's
    would. Two decisions are wrong on purpose, for the audit to find: the first dossier that
    needs a supplement is accepted anyway, and the newest decision's snapshot names a file
    other than the one served now (as if replaced after the decision).
    """
    from intake_desktop.demo.dossiers import demo_trust
    from intake_desktop.services.signatures.inspect import inspect_pdf
    from intake_desktop.services.working_days import OfficeCalendar

    calendar = OfficeCalendar()
    days = {procedure.code: procedure.processing_days for procedure in procedures}
    trust = demo_trust()
    accepted_wrongly = False
    decisions = []
    for index, (demo, row) in enumerate(history):
        expected = getattr(demo, "expected_decision", None)
        kind = DecisionKind(str(getattr(expected, "value", expected or "accept")))
        if kind is not DecisionKind.ACCEPT and not accepted_wrongly:
            kind, accepted_wrongly = DecisionKind.ACCEPT, True
        # Decided within hours of submission, never after the seeding moment.
        recorded = min(row.submitted_at + timedelta(minutes=25 + 41 * index), now)
        recorded = max(recorded, row.submitted_at + timedelta(seconds=1))
        snapshot: list[dict[str, object]] = []
        for component in row.components:
            for attachment in component.attachments:
                report = inspect_pdf(demo.files[attachment.id], trust)
                snapshot.append(
                    {
                        "attachment_id": attachment.id,
                        "sha256": attachment.sha256,
                        "verdict": report.verdict.value,
                        "signer_citizen_ids": [
                            s.signer.citizen_id
                            for s in report.signatures
                            if s.signer and s.signer.citizen_id
                        ],
                    }
                )
        if index == len(history) - 1 and snapshot:
            # A well-formed hash of other bytes: the file the officer saw is not served now.
            served = bytes.fromhex(str(snapshot[0]["sha256"]))
            snapshot[0]["sha256"] = hashlib.sha256(b"before replacement:" + served).hexdigest()
        status = kind.resulting_status
        decided_on = row.version
        row.status = status.value
        row.national_status_code = status.national_code
        row.version = decided_on + 1
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"intake-desktop-seed:{seed}:{row.code}"))
        officer = SEED_OFFICERS[index % len(SEED_OFFICERS)]
        processing = days.get(row.procedure_code.split(".000.")[0], DEFAULT_PROCESSING_DAYS)
        appointment = (
            calendar.appointment_date(recorded, processing) if kind is DecisionKind.ACCEPT else None
        )
        receipt = decision_receipt(key, row, kind, officer, recorded)
        decisions.append(
            DecisionRow(
                decision_id=key,
                dossier_id=row.id,
                officer=officer,
                kind=kind.value,
                dossier_version=decided_on,
                reasons_json=_dump([] if kind is DecisionKind.ACCEPT else [_SUPPLEMENT_REASON]),
                components_json=_dump([]),
                appointment_date=appointment,
                officer_note="",
                verdict_snapshot_json=_dump(snapshot),
                recorded_at=recorded,
                receipt_json=_dump(receipt),
            )
        )
    return decisions


def _store_file(data: DataDir, content: bytes) -> str:
    sha256 = hashlib.sha256(content).hexdigest()
    path = data.file_path(sha256)
    if path.is_file() and path.stat().st_size == len(content):
        return sha256
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(content)
    os.replace(partial, path)
    return sha256


def _remove_unused_files(data: DataDir, keep: set[str]) -> None:
    """Delete files a previous seed left that this one does not use."""
    for path in data.files.glob("*/*"):
        if path.name not in keep:
            path.unlink()


def _name(generator: Generator) -> str:
    module = getattr(generator, "__module__", "?")
    return f"{module}.{getattr(generator, '__qualname__', type(generator).__name__)}"


def _label(value: object) -> str | None:
    """Return an enum's value (or any value's text) for the trainer-only columns."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
