"""Scenario packs: a zip of dossiers, their files and right decisions that trainers share.

Layout: ``manifest.json`` (format name and version, title, author, and per case the
dossier in the contract's JSON, its scenario, expected decision, Vietnamese guidance and,
optionally, English guidance, and for each attachment the member ``path`` holding its
bytes) plus ``files/…``. A pack comes from outside, so reading it refuses unsafe member
paths (zip-slip), oversized members and archives, and any manifest the app would have to
guess about; importing also runs every file through the signature engine, so a tampered PDF
shows its verdict before a class.

Imported packs are kept as normalised zips in test mode's ``packs`` folder and served by
:class:`~intake_desktop.services.demo_source.DemoDossierSource` beside the generated
dossiers.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from intake_desktop.clock import vn_now
from intake_desktop.demo.dossiers import DemoDossier, Scenario
from intake_desktop.domain import DecisionKind, Dossier, DossierStatus
from intake_desktop.services import payloads
from intake_desktop.services.signatures import DocumentReport, TrustStore, Verdict, inspect_pdf
from intake_desktop.services.source import MalformedResponse

log = logging.getLogger(__name__)

PACK_FORMAT = "intake-desktop-scenario-pack"
PACK_VERSION = 1
MANIFEST = "manifest.json"

MAX_MEMBER_BYTES = 50 * 1024 * 1024
"""Largest file in a pack: an online dossier's PDF is a few MB."""
MAX_PACK_BYTES = 500 * 1024 * 1024
"""Largest total of uncompressed members."""
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_GUIDANCE_CHARS = 10_000

# Imported attachment ids get the pack's digest, so two packs never share a file id.
_NAMESPACE = re.compile(r"^pack-[0-9a-f]{10}-")


class PackError(Exception):
    """The file is not a scenario pack the app can use; ``str()`` says why, in English."""


class NotAPack(PackError):
    """Not a zip archive, or one without a manifest."""


class UnsafePackPath(PackError):
    """A member's path would escape the folder it is unpacked in (zip-slip), or is a link."""


class PackTooLarge(PackError):
    """A member or the whole pack is larger than the limits."""


class BadManifest(PackError):
    """The manifest is not JSON, has another format or version, or misdescribes the files."""


class DuplicateDossier(PackError):
    """A dossier code of the pack is already served in test mode."""


@dataclass(frozen=True, slots=True)
class ScenarioPack:
    title: str
    author: str
    created_at: datetime
    cases: tuple[DemoDossier, ...]


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The signature engine's verdict on one file of an imported pack."""

    dossier_code: str
    attachment_id: str
    file_name: str
    report: DocumentReport

    @property
    def verdict(self) -> Verdict:
        return self.report.verdict


@dataclass(frozen=True, slots=True)
class ImportedPack:
    pack: ScenarioPack
    """As it is served: attachment ids namespaced, every dossier awaiting intake."""
    stored_at: Path
    checks: tuple[FileCheck, ...]


# --- export --------------------------------------------------------------------------------


def export_pack(
    path: Path,
    cases: Sequence[DemoDossier],
    *,
    title: str,
    author: str = "",
    created_at: datetime | None = None,
) -> Path:
    """Write ``cases`` as a pack at ``path`` (replaced atomically) and return the path.

    Raises ``ValueError`` for no cases or a case whose file bytes are missing.
    """
    if not cases:
        raise ValueError("a scenario pack needs at least one dossier")
    data = _pack_bytes(ScenarioPack(title, author, created_at or vn_now(), tuple(cases)))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
    return path


def _pack_bytes(pack: ScenarioPack) -> bytes:
    buffer = io.BytesIO()
    documents = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, case in enumerate(pack.cases, start=1):
            components = []
            for component in case.dossier.components:
                attachments = []
                for attachment in component.attachments:
                    if attachment.remote_id not in case.files:
                        raise ValueError(
                            f"{case.dossier.code}: no bytes for attachment {attachment.remote_id}"
                        )
                    data = case.files[attachment.remote_id]
                    member = f"files/{number:04d}/{len(archive.namelist()):05d}.bin"
                    archive.writestr(member, data)
                    attachments.append(
                        {
                            "id": attachment.remote_id,
                            "file_name": attachment.file_name,
                            "media_type": attachment.media_type,
                            "size": len(data),
                            "sha256": hashlib.sha256(data).hexdigest(),
                            "path": member,
                        }
                    )
                components.append(
                    {
                        "spec_code": component.spec_code,
                        "name": component.name,
                        "copy_kind": component.copy_kind.value,
                        "attachments": attachments,
                    }
                )
            # A case read without English keeps none: the fallback is not a translation.
            english = case.guidance_en if case.guidance_en != case.guidance_vi else None
            documents.append(
                {
                    "scenario": case.scenario.value,
                    "expected_decision": case.expected_decision.value,
                    "guidance_vi": case.guidance_vi,
                    **({"guidance_en": english} if english is not None else {}),
                    "problem_component": case.problem_component,
                    "dossier": _dossier_json(case.dossier, components),
                }
            )
        manifest = {
            "format": PACK_FORMAT,
            "format_version": PACK_VERSION,
            "title": pack.title,
            "author": pack.author,
            "created_at": pack.created_at.isoformat(),
            "cases": documents,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue()


def _dossier_json(dossier: Dossier, components: list[dict[str, Any]]) -> dict[str, Any]:
    applicant = dossier.applicant
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_name,
        "submitted_at": dossier.submitted_at.isoformat(),
        "status": DossierStatus.AWAITING_INTAKE.value,
        "version": 1,
        "applicant": {
            "name": applicant.name,
            "citizen_id": applicant.citizen_id,
            "birth_date": applicant.birth_date.isoformat() if applicant.birth_date else None,
            "phone": applicant.phone,
            "email": applicant.email,
            "address": applicant.address,
        },
        "components": components,
    }


# --- reading -------------------------------------------------------------------------------


def read_pack(source: Path | bytes) -> ScenarioPack:
    """Read and check a pack (without validating signatures: see :func:`import_pack`).

    Raises :class:`NotAPack`, :class:`UnsafePackPath`, :class:`PackTooLarge` or
    :class:`BadManifest`.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as error:
        raise NotAPack(f"not a zip archive: {error}") from error
    with archive:
        members = _checked_members(archive)
        if MANIFEST not in members:
            raise NotAPack(f"no {MANIFEST} in the archive: not a scenario pack")
        raw = _read_member(archive, members[MANIFEST], MAX_MANIFEST_BYTES)
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise BadManifest(f"{MANIFEST} is not UTF-8 JSON: {error}") from error
        # A manifest may name one member many times: count what is read, not what is stored.
        read_so_far = 0

        def read(path: str) -> bytes:
            nonlocal read_so_far
            data = _member_bytes(archive, members, path)
            read_so_far += len(data)
            if read_so_far > MAX_PACK_BYTES:
                raise PackTooLarge(f"the manifest's files total more than {MAX_PACK_BYTES} bytes")
            return data

        return _manifest(document, read)


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackTooLarge(f"{len(infos)} members: at most {MAX_MEMBERS}")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        _check_path(info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafePackPath(f"{info.filename!r} is a symbolic link")
        if info.filename in members:
            raise BadManifest(f"{info.filename!r} appears twice in the archive")
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackTooLarge(
                f"{info.filename!r} is {info.file_size} bytes: at most {MAX_MEMBER_BYTES}"
            )
        total += info.file_size
        if total > MAX_PACK_BYTES:
            raise PackTooLarge(f"members total more than {MAX_PACK_BYTES} bytes")
        members[info.filename] = info
    return members


def _check_path(name: str) -> None:
    """Refuse any name that is not a plain relative path inside the archive."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        raise UnsafePackPath(f"unsafe member path {name!r}")
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts) or re.match(r"^[A-Za-z]:", name):
        raise UnsafePackPath(f"unsafe member path {name!r}")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    # The header's size may lie: never read more than the limit, whatever it says.
    try:
        with archive.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise NotAPack(f"cannot read {info.filename!r}: {error}") from error
    if len(data) > limit:
        raise PackTooLarge(f"{info.filename!r} is larger than {limit} bytes")
    return data


def _member_bytes(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], path: str
) -> bytes:
    info = members.get(path)
    if info is None:
        raise BadManifest(f"the manifest names {path!r}, which is not in the archive")
    return _read_member(archive, info, MAX_MEMBER_BYTES)


def _manifest(document: object, read: Callable[[str], bytes]) -> ScenarioPack:
    if not isinstance(document, dict):
        raise BadManifest(f"{MANIFEST} must be a JSON object")
    if document.get("format") != PACK_FORMAT:
        raise BadManifest(f"{MANIFEST}: format must be {PACK_FORMAT!r}")
    version = document.get("format_version")
    if version != PACK_VERSION:
        raise BadManifest(
            f"{MANIFEST}: format_version {version!r} is not supported (this app reads "
            f"{PACK_VERSION})"
        )
    title = _text(document, "title", MANIFEST)
    author = document.get("author", "")
    if not isinstance(author, str):
        raise BadManifest(f"{MANIFEST}.author must be text")
    try:
        created_at = datetime.fromisoformat(_text(document, "created_at", MANIFEST))
    except ValueError as error:
        raise BadManifest(f"{MANIFEST}.created_at: {error}") from error
    cases = document.get("cases")
    if not isinstance(cases, list) or not cases:
        raise BadManifest(f"{MANIFEST}.cases must be a non-empty list")
    parsed = tuple(_case(item, f"cases[{n}]", read) for n, item in enumerate(cases))
    codes = [case.dossier.code for case in parsed]
    if len(set(codes)) != len(codes):
        raise BadManifest(f"{MANIFEST}: a dossier code appears twice")
    ids = [remote_id for case in parsed for remote_id in case.files]
    if len(set(ids)) != len(ids):
        raise BadManifest(f"{MANIFEST}: an attachment id appears twice")
    return ScenarioPack(title, author, created_at, parsed)


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadManifest(f"{where}.{key} must be non-empty text")
    return value


def _guidance(item: dict[str, Any], key: str, where: str) -> str:
    text = _text(item, key, where)
    if len(text) > MAX_GUIDANCE_CHARS:
        raise BadManifest(f"{where}.{key} is longer than {MAX_GUIDANCE_CHARS} characters")
    return text


def _case(item: object, where: str, read: Callable[[str], bytes]) -> DemoDossier:
    if not isinstance(item, dict):
        raise BadManifest(f"{where} must be an object")
    try:
        scenario = Scenario(str(item.get("scenario")))
        expected = DecisionKind(str(item.get("expected_decision")))
    except ValueError as error:
        raise BadManifest(f"{where}: {error}") from error
    guidance = _guidance(item, "guidance_vi", where)
    # Packs made before English guidance existed have none: show them the Vietnamese.
    guidance_en = _guidance(item, "guidance_en", where) if "guidance_en" in item else guidance
    problem = item.get("problem_component")
    if problem is not None and not isinstance(problem, str):
        raise BadManifest(f"{where}.problem_component must be text or null")
    try:
        dossier = payloads.dossier(item.get("dossier"), f"{where}.dossier")
    except MalformedResponse as error:
        raise BadManifest(str(error)) from error
    paths = _attachment_paths(item["dossier"], f"{where}.dossier")
    files: dict[str, bytes] = {}
    for component in dossier.components:
        for attachment in component.attachments:
            data = read(paths[attachment.remote_id])
            if hashlib.sha256(data).hexdigest() != attachment.sha256 or len(data) != (
                attachment.size
            ):
                raise BadManifest(
                    f"{where}: {attachment.file_name} does not match its size or SHA-256"
                )
            files[attachment.remote_id] = data
    return DemoDossier(
        dossier=replace(dossier, status=DossierStatus.AWAITING_INTAKE, version=1),
        files=files,
        scenario=scenario,
        expected_decision=expected,
        guidance_vi=guidance,
        guidance_en=guidance_en,
        problem_component=problem,
    )


def _attachment_paths(document: dict[str, Any], where: str) -> dict[str, str]:
    paths: dict[str, str] = {}
    for n, component in enumerate(document["components"]):
        for m, attachment in enumerate(component["attachments"]):
            path = attachment.get("path")
            if not isinstance(path, str):
                raise BadManifest(f"{where}.components[{n}].attachments[{m}].path must be text")
            _check_path(path)
            paths[str(attachment["id"])] = path
    return paths


# --- importing and serving -----------------------------------------------------------------


def import_pack(
    source: Path, packs_dir: Path, trust: TrustStore, *, taken: Iterable[str] = ()
) -> ImportedPack:
    """Check a pack, validate every file's signatures and keep it in ``packs_dir``.

    ``taken`` are dossier codes test mode already serves. Raises the :class:`PackError`
    kinds of :func:`read_pack`, and :class:`DuplicateDossier` when a code is taken or an
    installed pack has it. Importing the same pack twice is refused the same way.
    """
    try:
        if source.stat().st_size > MAX_PACK_BYTES:
            raise PackTooLarge(f"{source.name} is larger than {MAX_PACK_BYTES} bytes")
        raw = source.read_bytes()
    except OSError as error:
        raise NotAPack(f"cannot read {source}: {error}") from error
    pack = read_pack(raw)
    digest = hashlib.sha256(raw).hexdigest()[:10]
    served = set(taken) | {case.dossier.code for case in installed_dossiers(packs_dir)}
    clash = sorted(served & {case.dossier.code for case in pack.cases})
    if clash:
        raise DuplicateDossier(f"dossier codes already in test mode: {', '.join(clash[:5])}")
    cases = tuple(_namespaced(case, digest) for case in pack.cases)
    checks = tuple(
        FileCheck(case.dossier.code, attachment.remote_id, attachment.file_name, report)
        for case in cases
        for component in case.dossier.components
        for attachment in component.attachments
        for report in (inspect_pdf(case.files[attachment.remote_id], trust),)
    )
    served_pack = replace(pack, cases=cases)
    packs_dir.mkdir(parents=True, exist_ok=True)
    stored = packs_dir / f"pack-{digest}.zip"
    partial = stored.with_name(stored.name + ".partial")
    partial.write_bytes(_pack_bytes(served_pack))
    partial.replace(stored)
    return ImportedPack(served_pack, stored, checks)


def _namespaced(case: DemoDossier, digest: str) -> DemoDossier:
    def new_id(remote_id: str) -> str:
        return f"pack-{digest}-{_NAMESPACE.sub('', remote_id)}"

    components = tuple(
        replace(
            component,
            attachments=tuple(
                replace(a, remote_id=new_id(a.remote_id)) for a in component.attachments
            ),
        )
        for component in case.dossier.components
    )
    return replace(
        case,
        dossier=replace(case.dossier, components=components),
        files={new_id(remote_id): data for remote_id, data in case.files.items()},
    )


def installed_dossiers(packs_dir: Path, *, exclude: Iterable[str] = ()) -> list[DemoDossier]:
    """The dossiers of every pack kept in ``packs_dir``, oldest pack first.

    A pack that cannot be read any more is skipped with a warning; a code already seen (in
    ``exclude`` or an earlier pack) is skipped, so test mode never serves a code twice.
    """
    seen = set(exclude)
    found: list[DemoDossier] = []
    if not packs_dir.is_dir():
        return found
    for path in sorted(packs_dir.glob("pack-*.zip"), key=lambda p: (p.stat().st_mtime, p.name)):
        try:
            pack = read_pack(path)
        except PackError as error:
            log.warning("scenario pack %s is not usable: %s", path, error)
            continue
        for case in pack.cases:
            if case.dossier.code in seen:
                log.warning("%s: dossier %s is already served", path.name, case.dossier.code)
                continue
            seen.add(case.dossier.code)
            found.append(case)
    return found
