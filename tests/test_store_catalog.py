"""The procedure catalog: seeded from the shipped JSON, read back as domain records."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from intake_desktop.domain import CopyKind, DecisionKind, DossierStatus
from intake_desktop.store import CatalogError, Store, open_store
from intake_desktop.store.catalog import (
    default_catalog_path,
    get_procedure,
    load_procedures,
    read_catalog,
    seed_catalog,
)
from intake_desktop.store.models import ComponentSpecRow, ProcedureRow

NATIONAL_CODE = re.compile(r"[123]\.\d{6}")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _counts(store: Store) -> tuple[int, int]:
    with store.session(write=False) as session:
        procedures = session.scalar(select(func.count()).select_from(ProcedureRow))
        specs = session.scalar(select(func.count()).select_from(ComponentSpecRow))
    return int(procedures or 0), int(specs or 0)


def _shipped() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(default_catalog_path().read_text(encoding="utf-8"))
    return document


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "procedures.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_shipped_catalog_has_at_least_ten_real_procedures(store: Store) -> None:
    written = seed_catalog(store)
    procedures = load_procedures(store)

    assert written == len(procedures) >= 10
    assert all(NATIONAL_CODE.fullmatch(p.code) for p in procedures)
    names = " ".join(p.name for p in procedures)
    for expected in ("khai sinh", "kết hôn", "khai tử", "lý lịch tư pháp", "thường trú"):
        assert expected in names


def test_birth_registration_lists_its_components(store: Store) -> None:
    seed_catalog(store)

    birth = get_procedure(store, "1.001193")

    assert birth is not None
    assert birth.name == "Đăng ký khai sinh"
    assert birth.processing_days == 0  # same day
    form = birth.component("KS_TK")
    assert form is not None
    assert form.required and form.online and form.signature_required
    assert form.copy_kind is CopyKind.ORIGINAL
    surrogacy = birth.component("KS_MTH")
    assert surrogacy is not None
    assert not surrogacy.required and surrogacy.condition == "Trẻ sinh ra do mang thai hộ"
    identity = birth.component("KS_GTTT")
    assert identity is not None
    assert not identity.online and not identity.required  # shown in person, not uploaded
    assert birth.source_urls and birth.legal_basis


def test_every_procedure_can_be_checked_online(store: Store) -> None:
    seed_catalog(store)

    for procedure in load_procedures(store):
        required = [spec for spec in procedure.components if spec.required]
        assert required, f"{procedure.code} requires nothing of an online dossier"
        assert all(spec.online and spec.condition is None for spec in required)
        assert all(spec.online for spec in procedure.components if spec.signature_required)
        assert procedure.source_urls, procedure.code
        assert procedure.fee_note or procedure.fee_vnd is not None, procedure.code


def test_declaration_forms_must_be_signed() -> None:
    _, procedures = read_catalog()

    declarations = [
        spec for p in procedures for spec in p.components if spec.name.startswith("Tờ khai")
    ]
    assert len(declarations) >= 8
    assert all(spec.signature_required for spec in declarations)


def test_unverified_codes_are_marked() -> None:
    _, procedures = read_catalog()
    by_code = {p.code: p for p in procedures}

    assert by_code["1.001193"].code_verified
    assert by_code["1.004873"].code_verified
    criminal_record = next(p for p in procedures if "lý lịch tư pháp" in p.name)
    assert not criminal_record.code_verified
    assert criminal_record.processing_calendar_days  # the law counts "ngày", not working days


def test_a_provincial_procedure_code_finds_the_national_entry(store: Store) -> None:
    seed_catalog(store)

    found = get_procedure(store, "1.004873.000.00.00.H14")

    assert found is not None and found.code == "1.004873"
    assert get_procedure(store, "9.999999") is None


def test_seeding_twice_changes_nothing(store: Store) -> None:
    seed_catalog(store)
    counts = _counts(store)
    with store.session(write=False) as session:
        spec_ids = set(session.scalars(select(ComponentSpecRow.id)))

    assert seed_catalog(store) == 0  # same file: skipped
    assert seed_catalog(store, force=True) == counts[0]

    assert _counts(store) == counts
    with store.session(write=False) as session:
        assert set(session.scalars(select(ComponentSpecRow.id))) == spec_ids


def test_an_edited_catalog_updates_fees_and_components(store: Store, tmp_path: Path) -> None:
    seed_catalog(store)
    document = _shipped()
    marriage_status = next(p for p in document["procedures"] if p["code"] == "1.004873")
    marriage_status["fee_vnd"] = 15000
    marriage_status["fee_note"] = "Đà Nẵng 15.000đ/bản"
    marriage_status["components"] = marriage_status["components"][:2]

    written = seed_catalog(store, _write(tmp_path, document))

    assert written == len(document["procedures"])
    edited = get_procedure(store, "1.004873")
    assert edited is not None
    assert (edited.fee_vnd, edited.fee_note) == (15000, "Đà Nẵng 15.000đ/bản")
    assert [spec.code for spec in edited.components] == ["XNHN_TK", "XNHN_LH"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"copy_kind": "photocopy"}, r"components\[0\]\.copy_kind"),
        ({"quantity": True}, r"components\[0\]\.quantity"),
        ({"condition": "Ủy quyền"}, r"components\[0\]\.required"),
    ],
)
def test_an_invalid_catalog_is_refused_before_anything_is_written(
    store: Store, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    document = _shipped()
    document["procedures"][0]["components"][0].update(change)

    with pytest.raises(CatalogError, match=message):
        seed_catalog(store, _write(tmp_path, document))

    assert _counts(store) == (0, 0)


def test_a_catalog_that_is_not_json_names_the_file(store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "procedures.json"
    broken.write_text('{"procedures": [', encoding="utf-8")

    with pytest.raises(CatalogError, match="not valid JSON") as caught:
        seed_catalog(store, broken)
    assert caught.value.path == broken


def test_statuses_carry_their_national_codes() -> None:
    assert DossierStatus.AWAITING_INTAKE.national_code == 1
    assert DossierStatus.ACCEPTED.national_code == 2
    assert DossierStatus.REFUSED.national_code == 3
    assert DossierStatus.SUPPLEMENT_REQUESTED.national_code == 5
    assert DossierStatus.from_national_code(5) is DossierStatus.SUPPLEMENT_REQUESTED
    with pytest.raises(ValueError, match="4"):
        DossierStatus.from_national_code(4)  # "being processed" is past the desk
    assert DecisionKind.REFUSE.resulting_status is DossierStatus.REFUSED
