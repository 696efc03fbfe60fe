"""Trust anchors in the store and the signature report cache keyed on them."""

from __future__ import annotations

import csv
import hashlib
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from intake_desktop.paths import resource
from intake_desktop.store import Store, open_store
from intake_desktop.store import report_cache as reports
from intake_desktop.store.models import SignatureReportRow
from intake_desktop.store.trust_anchors import (
    add_anchor,
    fingerprint_of,
    list_anchors,
    remove_anchor,
    trust_version,
)

PDF_SHA = hashlib.sha256(b"%PDF-1.7 to khai dang ky khai sinh").hexdigest()
ENGINE = "pyhanko-0.29/intake-1"
REPORT = '{"verdict": "valid", "signatures": [{"signer": "NGUYỄN VĂN AN"}]}'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _shipped_anchor() -> tuple[bytes, dict[str, str]]:
    """The first anchor the trust MANIFEST lists, as DER, with its manifest row."""
    with resource("trust", "MANIFEST.tsv").open(encoding="utf-8", newline="") as manifest:
        row = next(r for r in csv.DictReader(manifest, delimiter="\t") if r["role"] == "anchor")
    pem = resource("trust", row["file"]).read_text(encoding="ascii")
    return ssl.PEM_cert_to_DER_cert(pem), row


def _add_demo_root(store: Store, der: bytes = b"demo root DER bytes") -> str:
    record = add_anchor(
        store,
        der,
        subject="CN=Intake Desktop Demo Root",
        not_before=datetime(2026, 1, 1, tzinfo=UTC),
        not_after=datetime(2036, 1, 1, tzinfo=UTC),
        source="test",
    )
    return record.fingerprint


def test_a_shipped_root_is_stored_under_its_manifest_fingerprint(store: Store) -> None:
    der, row = _shipped_anchor()
    not_before = datetime.fromisoformat(row["not_before"])

    record = add_anchor(
        store,
        der,
        subject=row["subject"],
        not_before=not_before,
        not_after=datetime.fromisoformat(row["not_after"]),
        source="resources/trust/" + row["file"],
        builtin=True,
    )

    assert record.fingerprint == row["sha256_fingerprint"] == fingerprint_of(der)
    [listed] = list_anchors(store)
    assert listed == record
    assert listed.der == der and listed.builtin
    assert listed.not_before == not_before


def test_adding_the_same_certificate_twice_keeps_one(store: Store) -> None:
    first = add_anchor(
        store,
        b"imported root",
        subject="CN=Imported",
        not_before=datetime(2026, 1, 1, 7, tzinfo=UTC),
        not_after=datetime(2030, 1, 1, tzinfo=UTC),
        source="import.cer",
    )
    again = add_anchor(
        store,
        b"imported root",
        subject="CN=Renamed",
        not_before=datetime(2026, 1, 1, tzinfo=UTC),
        not_after=datetime(2031, 1, 1, tzinfo=UTC),
        source="other.cer",
    )

    assert again == first
    assert [a.subject for a in list_anchors(store)] == ["CN=Imported"]


def test_naive_validity_dates_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="aware"):
        add_anchor(
            store,
            b"x",
            subject="CN=Naive",
            not_before=datetime(2026, 1, 1),
            not_after=datetime(2030, 1, 1, tzinfo=UTC),
            source="test",
        )


def test_trust_version_follows_the_set_of_anchors(store: Store) -> None:
    empty = trust_version(store)
    fingerprint = _add_demo_root(store)
    with_demo = trust_version(store)

    assert len(empty) == len(with_demo) == 16
    assert with_demo != empty
    assert trust_version(store) == with_demo  # stable while nothing changes

    assert remove_anchor(store, fingerprint.upper())
    assert not remove_anchor(store, fingerprint)
    assert trust_version(store) == empty
    assert list_anchors(store) == []


def test_a_cached_report_is_returned_for_the_same_key_only(store: Store) -> None:
    trust = trust_version(store)
    assert reports.get(store, PDF_SHA, trust, ENGINE, "offline") is None

    reports.put(store, PDF_SHA, trust, ENGINE, "offline", verdict="valid", report_json=REPORT)

    assert reports.get(store, PDF_SHA.upper(), trust, ENGINE, "offline") == REPORT
    assert reports.get(store, PDF_SHA, trust, ENGINE, "online") is None
    assert reports.get(store, PDF_SHA, trust, "pyhanko-0.30/intake-2", "offline") is None
    other_file = hashlib.sha256(b"another pdf").hexdigest()
    assert reports.get(store, other_file, trust, ENGINE, "offline") is None


def test_importing_a_root_invalidates_cached_reports(store: Store) -> None:
    before = trust_version(store)
    reports.put(
        store, PDF_SHA, before, ENGINE, "offline", verdict="indeterminate", report_json="{}"
    )

    _add_demo_root(store)

    assert reports.get(store, PDF_SHA, trust_version(store), ENGINE, "offline") is None


def test_putting_again_replaces_the_report(store: Store) -> None:
    reports.put(store, PDF_SHA, "t1", ENGINE, "online", verdict="indeterminate", report_json="{}")
    reports.put(store, PDF_SHA, "t1", ENGINE, "online", verdict="valid", report_json=REPORT)

    assert reports.get(store, PDF_SHA, "t1", ENGINE, "online") == REPORT
    with store.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(SignatureReportRow)) == 1


def test_max_age_ignores_old_reports_and_prune_removes_them(store: Store) -> None:
    reports.put(store, PDF_SHA, "t1", ENGINE, "online", verdict="valid", report_json=REPORT)
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    with store.session() as session:
        session.execute(update(SignatureReportRow).values(created_at=two_hours_ago))

    assert reports.get(store, PDF_SHA, "t1", ENGINE, "online", max_age=timedelta(hours=1)) is None
    assert reports.get(store, PDF_SHA, "t1", ENGINE, "online", max_age=timedelta(hours=3)) == REPORT
    assert reports.get(store, PDF_SHA, "t1", ENGINE, "online") == REPORT

    assert reports.prune(store, older_than=timedelta(hours=3)) == 0
    assert reports.prune(store, older_than=timedelta(hours=1)) == 1
    assert reports.get(store, PDF_SHA, "t1", ENGINE, "online") is None


def test_a_key_that_is_not_a_sha256_is_a_bug(store: Store) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        reports.get(store, "to-khai.pdf", "t1", ENGINE, "offline")
