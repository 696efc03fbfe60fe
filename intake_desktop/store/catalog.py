"""The procedure catalog: seeded from ``resources/catalog/procedures.json``, read as domain records.

The file is the source of truth (legal references live in data, not code); seeding is an
idempotent upsert that runs only when the file's content changed since the last seed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake_desktop.domain import ComponentSpec, CopyKind, Procedure
from intake_desktop.paths import resource
from intake_desktop.store.db import Store
from intake_desktop.store.errors import CatalogError
from intake_desktop.store.models import ComponentSpecRow, ProcedureRow, SettingRow, utc_now

DIGEST_KEY = "catalog.sha256"
"""Setting holding the SHA-256 of the catalog file last seeded."""
VERSION_KEY = "catalog.version"
"""Setting holding the ``version`` of the catalog file last seeded."""

AGENCY_LEVELS = frozenset({"commune", "province", "central"})


def default_catalog_path() -> Path:
    """Return the catalog shipped with the app."""
    return resource("catalog", "procedures.json")


def read_catalog(path: Path | None = None) -> tuple[str, list[Procedure]]:
    """Parse a catalog file without touching the store.

    Returns the file's ``version`` and its procedures. Raises :class:`CatalogError` naming
    the entry and field at fault.
    """
    path = default_catalog_path() if path is None else path
    version, procedures, _ = _read(path)
    return version, procedures


def seed_catalog(store: Store, path: Path | None = None, *, force: bool = False) -> int:
    """Upsert the catalog file's procedures into the store.

    Procedures are matched by code and their component requirements by code, so seeding
    twice changes nothing; procedures absent from the file are kept. Skips the work when the
    file is unchanged since the last seed, unless ``force``. Returns how many procedures
    were written (0 when skipped). Raises :class:`CatalogError` for an invalid file, before
    anything is written.
    """
    path = default_catalog_path() if path is None else path
    version, procedures, digest = _read(path)
    with store.session() as session:
        seeded = session.get(SettingRow, DIGEST_KEY)
        if not force and seeded is not None and seeded.value == digest:
            return 0
        for procedure in procedures:
            _upsert(session, procedure)
        session.merge(SettingRow(key=DIGEST_KEY, value=digest))
        session.merge(SettingRow(key=VERSION_KEY, value=version))
    return len(procedures)


def load_procedures(store: Store) -> list[Procedure]:
    """Return every procedure of the catalog, ordered by code."""
    with store.session(write=False) as session:
        rows = session.scalars(
            select(ProcedureRow)
            .options(selectinload(ProcedureRow.component_specs))
            .order_by(ProcedureRow.code)
        ).all()
        return [_to_domain(row) for row in rows]


def get_procedure(store: Store, code: str) -> Procedure | None:
    """Return the procedure with this code, or ``None``.

    Accepts a provincial code too: ``1.001193.000.00.00.H48`` finds ``1.001193`` when the
    full code is not in the catalog.
    """
    candidates = [code]
    parts = code.split(".")
    if len(parts) > 2:
        candidates.append(".".join(parts[:2]))
    with store.session(write=False) as session:
        for candidate in candidates:
            row = session.get(
                ProcedureRow, candidate, options=[selectinload(ProcedureRow.component_specs)]
            )
            if row is not None:
                return _to_domain(row)
    return None


def _read(path: Path) -> tuple[str, list[Procedure], str]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogError(path, f"cannot read the file ({error.strerror})") from error
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogError(path, f"not valid JSON ({error})") from error
    if not isinstance(document, dict) or not isinstance(document.get("procedures"), list):
        raise CatalogError(path, 'expected an object with a "procedures" list')
    version = document.get("version")
    if not isinstance(version, str) or not version:
        raise CatalogError(path, 'missing "version"')
    procedures: list[Procedure] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["procedures"]):
        procedure = _parse_procedure(_Entry(path, f"procedures[{index}]", entry))
        if procedure.code in seen:
            raise CatalogError(path, f"procedure {procedure.code} appears twice")
        seen.add(procedure.code)
        procedures.append(procedure)
    return version, procedures, hashlib.sha256(data).hexdigest()


class _Entry:
    """Typed access to one JSON object of the catalog, with errors that say where."""

    def __init__(self, path: Path, where: str, value: object) -> None:
        if not isinstance(value, dict):
            raise CatalogError(path, f"{where} is not an object")
        self.path = path
        self.where = where
        self.value: Mapping[str, object] = value

    def fail(self, key: str, expected: str) -> CatalogError:
        return CatalogError(self.path, f"{self.where}.{key}: expected {expected}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.value.get(key, default)
        if not isinstance(value, str) or (default is None and not value):
            raise self.fail(key, "a non-empty string" if default is None else "a string")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.value.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, "a string or null")
        return value

    def count(self, key: str) -> int:
        value = self.value.get(key)
        # bool is an int in Python; true is not a count of days.
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(key, "a non-negative integer")
        return value

    def optional_count(self, key: str) -> int | None:
        return None if self.value.get(key) is None else self.count(key)

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.value.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, "a list of strings")
        return tuple(value)

    def objects(self, key: str) -> list[_Entry]:
        value = self.value.get(key)
        if not isinstance(value, list):
            raise self.fail(key, "a list")
        return [_Entry(self.path, f"{self.where}.{key}[{i}]", item) for i, item in enumerate(value)]


def _parse_procedure(entry: _Entry) -> Procedure:
    code = entry.text("code")
    level = entry.text("agency_level")
    if level not in AGENCY_LEVELS:
        raise entry.fail("agency_level", " or ".join(sorted(AGENCY_LEVELS)))
    components = tuple(_parse_component(item) for item in entry.objects("components"))
    codes = [spec.code for spec in components]
    if len(set(codes)) != len(codes):
        raise entry.fail("components", f"unique component codes in {code}")
    return Procedure(
        code=code,
        name=entry.text("name"),
        sector=entry.text("sector"),
        agency_level=level,
        processing_days=entry.count("processing_days"),
        processing_note=entry.text("processing_note", ""),
        fee_vnd=entry.optional_count("fee_vnd"),
        fee_note=entry.text("fee_note", ""),
        legal_basis=entry.texts("legal_basis"),
        source_urls=entry.texts("sources"),
        components=components,
        agency=entry.text("agency", ""),
        channels=entry.texts("channels"),
        processing_calendar_days=entry.flag("processing_calendar_days", False),
        code_verified=entry.flag("code_verified", True),
        components_verified=entry.flag("components_verified", True),
        notes=entry.text("notes", ""),
    )


def _parse_component(entry: _Entry) -> ComponentSpec:
    kind = entry.text("copy_kind")
    try:
        copy_kind = CopyKind(kind)
    except ValueError:
        raise entry.fail("copy_kind", '"original" or "copy"') from None
    required = entry.flag("required")
    condition = entry.optional_text("condition")
    online = entry.flag("online", True)
    if required and (condition is not None or not online):
        # A conditional or show-in-person component cannot be required of an online dossier.
        raise entry.fail("required", "false for a conditional or not-online component")
    return ComponentSpec(
        code=entry.text("code"),
        name=entry.text("name"),
        copy_kind=copy_kind,
        quantity=entry.count("quantity"),
        required=required,
        signature_required=entry.flag("signature_required"),
        condition=condition,
        note=entry.text("note", ""),
        online=online,
        form=entry.optional_text("form"),
    )


def _upsert(session: Session, procedure: Procedure) -> None:
    row = session.get(ProcedureRow, procedure.code)
    if row is None:
        row = ProcedureRow(code=procedure.code)
        session.add(row)
    row.name = procedure.name
    row.sector = procedure.sector
    row.agency_level = procedure.agency_level
    row.agency = procedure.agency
    row.processing_days = procedure.processing_days
    row.processing_calendar_days = procedure.processing_calendar_days
    row.processing_note = procedure.processing_note
    row.fee_vnd = procedure.fee_vnd
    row.fee_note = procedure.fee_note
    row.legal_basis_json = _dump(procedure.legal_basis)
    row.source_urls_json = _dump(procedure.source_urls)
    row.channels_json = _dump(procedure.channels)
    row.code_verified = procedure.code_verified
    row.components_verified = procedure.components_verified
    row.notes = procedure.notes
    row.updated_at = utc_now()
    # Update requirements in place by code: deleting and re-inserting the same codes would
    # trip the (procedure_code, code) unique constraint, since inserts flush first.
    existing = {spec.code: spec for spec in row.component_specs}
    specs: list[ComponentSpecRow] = []
    for position, spec in enumerate(procedure.components):
        spec_row = existing.pop(spec.code, None) or ComponentSpecRow(code=spec.code)
        spec_row.position = position
        spec_row.name = spec.name
        spec_row.copy_kind = spec.copy_kind.value
        spec_row.quantity = spec.quantity
        spec_row.required = spec.required
        spec_row.online = spec.online
        spec_row.signature_required = spec.signature_required
        spec_row.condition = spec.condition
        spec_row.note = spec.note
        spec_row.form = spec.form
        specs.append(spec_row)
    row.component_specs = specs


def _dump(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _load(text: str) -> tuple[str, ...]:
    values = json.loads(text)
    return tuple(str(value) for value in values)


def _to_domain(row: ProcedureRow) -> Procedure:
    return Procedure(
        code=row.code,
        name=row.name,
        sector=row.sector,
        agency_level=row.agency_level,
        processing_days=row.processing_days,
        processing_note=row.processing_note,
        fee_vnd=row.fee_vnd,
        fee_note=row.fee_note,
        legal_basis=_load(row.legal_basis_json),
        source_urls=_load(row.source_urls_json),
        components=tuple(
            ComponentSpec(
                code=spec.code,
                name=spec.name,
                copy_kind=CopyKind(spec.copy_kind),
                quantity=spec.quantity,
                required=spec.required,
                signature_required=spec.signature_required,
                condition=spec.condition,
                note=spec.note,
                online=spec.online,
                form=spec.form,
            )
            for spec in row.component_specs
        ),
        agency=row.agency,
        channels=_load(row.channels_json),
        processing_calendar_days=row.processing_calendar_days,
        code_verified=row.code_verified,
        components_verified=row.components_verified,
        notes=row.notes,
    )
