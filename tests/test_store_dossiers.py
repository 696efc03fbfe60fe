"""Dossiers as synced, and the cache state of their attachments across re-syncs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    Dossier,
    DossierStatus,
    DownloadState,
)
from intake_desktop.store import Store, open_store
from intake_desktop.store.dossiers import (
    cached_attachments,
    get_dossier,
    list_dossiers,
    mark_attachment,
    save_dossier,
)
from intake_desktop.store.models import DossierRow

HANOI = timezone(timedelta(hours=7))
FORM = Attachment("f-1", "to-khai.pdf", "application/pdf", 51234, "ab" * 32)
BIRTH_CERT = Attachment("f-2", "giay-chung-sinh.pdf", "application/pdf", 80211)

BIRTH = Dossier(
    code="000.00.53.H48-261120-0007",
    procedure_code="1.001193.000.00.00.H48",
    procedure_name="Đăng ký khai sinh",
    submitted_at=datetime(2026, 11, 20, 16, 5, tzinfo=HANOI),
    status=DossierStatus.AWAITING_INTAKE,
    version=3,
    applicant=Applicant(
        name="Phạm Thị Dung",
        citizen_id="048190001234",
        birth_date=date(1990, 4, 2),
        phone="0905123456",
        email="dung.pt@example.vn",
        address="Tổ 5, phường Hải Châu, TP Đà Nẵng",
    ),
    components=(
        Component("KS_TK", "Tờ khai đăng ký khai sinh", CopyKind.ORIGINAL, (FORM,)),
        Component("KS_GCS", "Giấy chứng sinh", CopyKind.ORIGINAL, (BIRTH_CERT,)),
    ),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def test_a_saved_dossier_reads_back_the_same(store: Store) -> None:
    save_dossier(store, BIRTH, source="https://motcua.example.gov.vn", raw_json='{"id": 7}')

    assert get_dossier(store, BIRTH.code) == BIRTH
    assert get_dossier(store, "000.00.53.H48-261120-9999") is None
    with store.session(write=False) as session:
        row = session.scalar(select(DossierRow))
        assert row is not None
        assert row.national_status_code == 1
        assert row.raw_json == '{"id": 7}'
        assert row.submitted_at == datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
        assert row.submitted_at.utcoffset() == timedelta(0)  # stored as UTC


def test_a_resync_keeps_downloads_of_unchanged_files(store: Store, tmp_path: Path) -> None:
    save_dossier(store, BIRTH, source="demo")
    cached = tmp_path / "cache" / "f-1.pdf"
    assert mark_attachment(store, BIRTH.code, "f-1", DownloadState.DONE, cache_path=cached)
    assert mark_attachment(
        store, BIRTH.code, "f-2", DownloadState.DONE, sha256="CD" * 32, cache_path=cached
    )

    # The applicant replaced the birth certificate: same remote id, other bytes.
    replaced = dataclasses.replace(BIRTH_CERT, sha256="ef" * 32)
    resynced = dataclasses.replace(
        BIRTH,
        version=4,
        status=DossierStatus.SUPPLEMENT_REQUESTED,
        components=(
            BIRTH.components[0],
            dataclasses.replace(BIRTH.components[1], attachments=(replaced,)),
        ),
    )
    save_dossier(store, resynced, source="demo")

    states = {c.attachment.remote_id: c for c in cached_attachments(store, BIRTH.code)}
    assert states["f-1"].state is DownloadState.DONE
    assert states["f-1"].cache_path == cached
    assert states["f-2"].state is DownloadState.PENDING
    assert states["f-2"].cache_path is None
    assert states["f-2"].attachment.sha256 == "ef" * 32
    assert get_dossier(store, BIRTH.code) == resynced


def test_a_failed_download_is_recorded(store: Store) -> None:
    save_dossier(store, BIRTH, source="demo")

    assert mark_attachment(store, BIRTH.code, "f-2", DownloadState.FAILED, error="HTTP 503")
    assert not mark_attachment(store, BIRTH.code, "f-404", DownloadState.FAILED)

    [failed] = [c for c in cached_attachments(store, BIRTH.code) if c.state is DownloadState.FAILED]
    assert (failed.attachment.remote_id, failed.error, failed.component_position) == (
        "f-2",
        "HTTP 503",
        1,
    )


def test_dossiers_are_listed_oldest_first_and_by_status(store: Store) -> None:
    later = dataclasses.replace(
        BIRTH,
        code="000.00.53.H48-261121-0001",
        submitted_at=BIRTH.submitted_at + timedelta(days=1),
        status=DossierStatus.ACCEPTED,
    )
    save_dossier(store, later, source="demo")
    save_dossier(store, BIRTH, source="demo")

    assert [d.code for d in list_dossiers(store)] == [BIRTH.code, later.code]
    waiting = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])
    assert [d.code for d in waiting] == [BIRTH.code]
    assert list_dossiers(store, []) == []


def test_listing_gives_the_same_dossiers_as_reading_each_one(tmp_path: Path) -> None:
    from intake_desktop.demo.dossiers import generate_dossiers
    from intake_desktop.store import open_store
    from intake_desktop.store.dossiers import get_dossier, list_dossiers, save_dossier

    with open_store(tmp_path / "s.sqlite3") as store:
        for demo in generate_dossiers(8, 4):
            save_dossier(store, demo.dossier, source="demo")
        listed = list_dossiers(store)
        assert len(listed) == 8
        assert listed == [get_dossier(store, d.code) for d in listed]
        assert [d.submitted_at for d in listed] == sorted(d.submitted_at for d in listed)
        assert list_dossiers(store, []) == []
