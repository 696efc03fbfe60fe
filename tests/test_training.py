"""Trainer tools: the scenario library, practice scoring, and scenario packs."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intake_desktop.demo import tamper
from intake_desktop.demo.dossiers import DemoDossier, Scenario, demo_trust, generate_dossiers
from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.paths import resource
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.services.signatures import Verdict
from intake_desktop.services.source import DecisionRequest
from intake_desktop.services.training import packs
from intake_desktop.services.training.packs import (
    BadManifest,
    DuplicateDossier,
    NotAPack,
    PackTooLarge,
    UnsafePackPath,
    export_pack,
    import_pack,
    installed_dossiers,
    read_pack,
)
from intake_desktop.services.training.scenarios import (
    ScenarioLibrary,
    ScenarioLibraryError,
    load_library,
)
from intake_desktop.services.training.scoring import PracticeScorer
from intake_desktop.store import open_store
from intake_desktop.store.db import head_revision

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def demos() -> list[DemoDossier]:
    return generate_dossiers(30, seed=5, now=NOW, workers=1)


def one_per_scenario(demos: list[DemoDossier]) -> dict[Scenario, DemoDossier]:
    found: dict[Scenario, DemoDossier] = {}
    for demo in demos:
        found.setdefault(demo.scenario, demo)
    return found


# --- the scenario library ------------------------------------------------------------------


def test_every_scenario_is_described_with_its_right_decision() -> None:
    library = load_library()
    assert set(library) == set(Scenario)
    for scenario, info in library.items():
        assert info.label_vi == scenario.label_vi
        assert info.expected_decision is scenario.expected_decision
        for text in (info.look_for_vi, info.why_vi, info.component_vi, info.label_en):
            assert text.strip()
    # Vietnamese text is Vietnamese: diacritics, not ASCII stand-ins.
    assert "chữ ký" in library[Scenario.SIGNER_MISMATCH].why_vi


def test_every_demo_dossier_maps_to_its_scenario_and_guidance(demos: list[DemoDossier]) -> None:
    library = ScenarioLibrary(demos)
    assert len(library) == len(demos)
    assert {case.scenario.scenario for case in library.cases()} == set(Scenario)
    for demo in demos:
        case = library.case(demo.dossier.code)
        assert case is not None
        assert case.scenario.scenario is demo.scenario
        assert case.expected_decision is demo.expected_decision
        assert case.guidance_vi == demo.guidance_vi
        assert case.guidance_en == demo.guidance_en
        assert case.problem_component == demo.problem_component
    assert library.case("000.00.53.H48-000000-0000") is None


def test_a_library_file_missing_a_scenario_or_with_another_format_is_refused(
    tmp_path: Path,
) -> None:
    shipped = json.loads(resource("training", "scenarios.json").read_text())
    partial = dict(shipped, scenarios=dict(shipped["scenarios"]))
    del partial["scenarios"]["two_signatures"]
    path = tmp_path / "scenarios.json"
    path.write_text(json.dumps(partial), encoding="utf-8")
    with pytest.raises(ScenarioLibraryError, match="two_signatures"):
        load_library(path)
    path.write_text(json.dumps(dict(shipped, format_version=2)), encoding="utf-8")
    with pytest.raises(ScenarioLibraryError, match="format_version"):
        load_library(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ScenarioLibraryError):
        load_library(path)


# --- practice scoring ----------------------------------------------------------------------


def test_decisions_are_scored_reset_and_kept_across_reopening_the_store(
    tmp_path: Path, demos: list[DemoDossier]
) -> None:
    cases = one_per_scenario(demos)
    good = cases[Scenario.ALL_GOOD].dossier.code
    forged = cases[Scenario.MODIFIED_AFTER_SIGNING].dossier.code
    library = ScenarioLibrary(demos)
    database = tmp_path / "intake-test-mode.sqlite3"
    with open_store(database) as store:
        assert store.revision() == head_revision()
        scorer = PracticeScorer(store, library)
        assert scorer.score().total == 0
        right = scorer.record(good, DecisionKind.ACCEPT)
        wrong = scorer.record(forged, DecisionKind.ACCEPT)
        assert right is not None and right.correct
        assert wrong is not None and not wrong.correct
        assert wrong.expected is DecisionKind.REQUEST_SUPPLEMENT
        assert wrong.given is DecisionKind.ACCEPT
        assert wrong.explanation == cases[Scenario.MODIFIED_AFTER_SIGNING].guidance_vi
        assert wrong.explanation_en == cases[Scenario.MODIFIED_AFTER_SIGNING].guidance_en
        assert wrong.scenario == "modified_after_signing"
        assert scorer.record("not-a-case", DecisionKind.ACCEPT) is None
        score = scorer.score()
        assert (score.correct, score.total) == (1, 2)
        assert [a.dossier_code for a in score.attempts] == [good, forged]

    with open_store(database) as store:
        scorer = PracticeScorer(store, library)
        score = scorer.score()
        assert (score.correct, score.total) == (1, 2)
        assert score.attempts[1].explanation == wrong.explanation
        assert score.attempts[1].explanation_en == wrong.explanation_en
        # A case no longer served keeps its explanation, in the Vietnamese that was kept.
        orphan = PracticeScorer(store, ScenarioLibrary([])).score().attempts[1]
        assert orphan.explanation_en == orphan.explanation == wrong.explanation
        scorer.reset()
        assert scorer.score().total == 0
        scorer.record(forged, DecisionKind.REQUEST_SUPPLEMENT)

    with open_store(database) as store:
        score = PracticeScorer(store, library).score()
        assert (score.correct, score.total) == (1, 1)
        assert score.attempts[0].given is DecisionKind.REQUEST_SUPPLEMENT


# --- scenario packs ------------------------------------------------------------------------


def test_a_pack_round_trips_and_its_pdfs_are_validated_again(
    tmp_path: Path, demos: list[DemoDossier]
) -> None:
    chosen = list(one_per_scenario(demos).values())
    path = export_pack(tmp_path / "out" / "lop-tap-huan.zip", chosen, title="Lớp tập huấn số 1")
    assert zipfile.is_zipfile(path)

    imported = import_pack(path, tmp_path / "packs", demo_trust())
    assert imported.stored_at.parent == tmp_path / "packs"
    assert imported.pack.title == "Lớp tập huấn số 1"
    by_code = {case.dossier.code: case for case in imported.pack.cases}
    assert list(by_code) == [demo.dossier.code for demo in chosen]
    for demo in chosen:
        case = by_code[demo.dossier.code]
        assert (case.scenario, case.expected_decision) == (demo.scenario, demo.expected_decision)
        assert case.guidance_vi == demo.guidance_vi
        assert case.guidance_en == demo.guidance_en != demo.guidance_vi
        assert case.problem_component == demo.problem_component
        assert case.dossier.applicant == demo.dossier.applicant
        assert case.dossier.submitted_at == demo.dossier.submitted_at
        assert [c.name for c in case.dossier.components] == [
            c.name for c in demo.dossier.components
        ]
        # Same bytes under namespaced ids, so they never clash with another pack's.
        assert sorted(case.files.values()) == sorted(demo.files.values())
        assert all(remote_id.startswith("pack-") for remote_id in case.files)

    verdicts: dict[Scenario, set[Verdict]] = {}
    for check in imported.checks:
        verdicts.setdefault(by_code[check.dossier_code].scenario, set()).add(check.verdict)
    assert verdicts[Scenario.ALL_GOOD] == {Verdict.VALID}
    assert Verdict.INVALID in verdicts[Scenario.MODIFIED_AFTER_SIGNING]
    assert Verdict.ERROR in verdicts[Scenario.CORRUPT_ATTACHMENT]
    assert Verdict.UNSIGNED in verdicts[Scenario.UNSIGNED_COMPONENT]
    assert Verdict.INDETERMINATE in verdicts[Scenario.EXPIRED_CERTIFICATE]

    # The same pack again is refused: its dossiers are already served.
    with pytest.raises(DuplicateDossier):
        import_pack(path, tmp_path / "packs", demo_trust())


def test_a_tampered_pdf_in_a_pack_gets_its_bad_verdict(
    tmp_path: Path, demos: list[DemoDossier]
) -> None:
    good = next(d for d in demos if d.scenario is Scenario.ALL_GOOD and len(d.files) >= 2)
    remote_id, data = next(iter(good.files.items()))
    forged = replace(good, files={**good.files, remote_id: tamper.flip_signed_byte(data)})
    path = export_pack(tmp_path / "forged.zip", [forged], title="Giả mạo")
    imported = import_pack(path, tmp_path / "packs", demo_trust())
    verdicts = {check.attachment_id.split("-", 2)[2]: check.verdict for check in imported.checks}
    assert verdicts[remote_id] is Verdict.INVALID
    assert {v for rid, v in verdicts.items() if rid != remote_id} == {Verdict.VALID}


def test_the_demo_source_serves_imported_dossiers_and_keeps_the_class_decisions(
    tmp_path: Path, demos: list[DemoDossier]
) -> None:
    base, extra = demos[:4], demos[4:6]
    folder, packs_dir = tmp_path / "test-mode", tmp_path / "test-mode" / "packs"
    clock_now = NOW + timedelta(hours=1)
    source = DemoDossierSource(folder, dossiers=base, clock=lambda: clock_now, packs=packs_dir)
    decision = DecisionRequest(
        dossier_code=base[0].dossier.code,
        dossier_version=1,
        kind=DecisionKind.REQUEST_SUPPLEMENT,
        reasons=("Bổ sung.",),
    )
    receipt = source.submit_decision(decision)

    imported = import_pack(
        export_pack(tmp_path / "p.zip", extra, title="Thêm"),
        packs_dir,
        demo_trust(),
        taken={d.dossier.code for d in source.demo_dossiers},
    )
    assert source.add_dossiers(imported.pack.cases) == [d.dossier.code for d in extra]
    assert source.add_dossiers(imported.pack.cases) == []  # already served
    new_code = extra[0].dossier.code
    served = source.get_dossier(new_code)
    assert served.status is DossierStatus.AWAITING_INTAKE and served.version == 1
    attachment = served.components[0].attachments[0]
    with source.open_attachment(attachment.remote_id) as stream:
        data = b"".join(stream.chunks())
    assert hashlib.sha256(data).hexdigest() == attachment.sha256

    restarted = DemoDossierSource(folder, dossiers=base, clock=lambda: clock_now, packs=packs_dir)
    codes = {item.code for item in restarted.list_dossiers(limit=50).items}
    assert codes == {d.dossier.code for d in demos[:6]}
    assert restarted.decisions() == [receipt]  # importing a pack kept the class's work
    assert restarted.demo_dossier(new_code).guidance_vi == extra[0].guidance_vi
    # A pack's code that the generated dossiers already have is skipped, not served twice.
    clash = export_pack(tmp_path / "clash.zip", base[:1], title="Trùng")
    (packs_dir / "pack-0000000000.zip").write_bytes(clash.read_bytes())
    assert [
        d.dossier.code for d in installed_dossiers(packs_dir, exclude={base[0].dossier.code})
    ] == [d.dossier.code for d in extra]


def test_a_pack_without_english_guidance_loads_and_shows_the_vietnamese(
    tmp_path: Path, small_pack: Path
) -> None:
    # Packs exported before the guidance was translated have only ``guidance_vi``.
    manifest = _manifest_of(small_pack)
    case = manifest["cases"][0]  # type: ignore[index]
    assert case["guidance_en"] != case["guidance_vi"]
    del case["guidance_en"]
    old = _rewrite(small_pack, tmp_path / "old.zip", **{packs.MANIFEST: json.dumps(manifest)})

    (read,) = read_pack(old).cases
    assert read.guidance_en == read.guidance_vi == case["guidance_vi"]
    library = ScenarioLibrary([read])
    assert library.cases()[0].guidance_en == case["guidance_vi"]
    # Kept as it came: the Vietnamese is not written back as if it were English.
    imported = import_pack(old, tmp_path / "packs", demo_trust())
    assert "guidance_en" not in _manifest_of(imported.stored_at)["cases"][0]  # type: ignore[index]


# --- hostile packs -------------------------------------------------------------------------


def _manifest_of(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(packs.MANIFEST))  # type: ignore[no-any-return]


def _rewrite(source: Path, target: Path, **members: bytes | str) -> Path:
    """A copy of ``source`` with members replaced or added (name -> content)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            if info.filename not in members:
                copy.writestr(info, original.read(info))
        for name, content in members.items():
            copy.writestr(name, content)
    return target


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory: pytest.TempPathFactory, demos: list[DemoDossier]) -> Path:
    return export_pack(tmp_path_factory.mktemp("pack") / "small.zip", demos[:1], title="Nhỏ")


@pytest.mark.parametrize(
    "name", ["../evil.pdf", "/etc/evil", "files/../../evil", "C:/evil", "a\\..\\b"]
)
def test_zip_slip_members_are_refused(tmp_path: Path, small_pack: Path, name: str) -> None:
    hostile = _rewrite(small_pack, tmp_path / "slip.zip", **{name: b"%PDF-1.7 boom"})
    with pytest.raises(UnsafePackPath):
        import_pack(hostile, tmp_path / "packs", demo_trust())
    assert not (tmp_path / "packs").exists()
    assert not (tmp_path.parent / "evil.pdf").exists()


def test_a_manifest_pointing_outside_the_pack_is_refused(tmp_path: Path, small_pack: Path) -> None:
    manifest = _manifest_of(small_pack)
    case = manifest["cases"][0]  # type: ignore[index]
    case["dossier"]["components"][0]["attachments"][0]["path"] = "../../etc/passwd"
    hostile = _rewrite(small_pack, tmp_path / "m.zip", **{packs.MANIFEST: json.dumps(manifest)})
    with pytest.raises(UnsafePackPath):
        read_pack(hostile)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(format_version=99), "format_version 99"),
        (lambda m: m.update(format="something-else"), "format"),
        (lambda m: m.update(cases=[]), "cases"),
        (lambda m: m["cases"][0].update(scenario="no_such_situation"), "no_such_situation"),
        (lambda m: m["cases"][0].update(expected_decision="maybe"), "maybe"),
        (lambda m: m["cases"][0].update(guidance_en=" "), "guidance_en must be"),
        (
            lambda m: m["cases"][0].update(guidance_en="x" * (packs.MAX_GUIDANCE_CHARS + 1)),
            "guidance_en is longer",
        ),
        (lambda m: m["cases"][0]["dossier"].pop("applicant"), "applicant"),
        (
            lambda m: m["cases"][0]["dossier"]["components"][0]["attachments"][0].update(
                sha256="0" * 64
            ),
            "SHA-256",
        ),
    ],
)
def test_a_bad_manifest_is_refused_with_what_is_wrong(
    tmp_path: Path, small_pack: Path, change: object, message: str
) -> None:
    manifest = _manifest_of(small_pack)
    change(manifest)  # type: ignore[operator]
    hostile = _rewrite(small_pack, tmp_path / "bad.zip", **{packs.MANIFEST: json.dumps(manifest)})
    with pytest.raises(BadManifest, match=message):
        read_pack(hostile)


def test_not_a_pack_and_unparseable_manifests_are_refused(tmp_path: Path, small_pack: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04 nope")
    with pytest.raises(NotAPack):
        read_pack(tmp_path / "x.zip")
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(NotAPack, match="manifest"):
        read_pack(tmp_path / "empty.zip")
    broken = _rewrite(small_pack, tmp_path / "j.zip", **{packs.MANIFEST: "{not json"})
    with pytest.raises(BadManifest, match="JSON"):
        read_pack(broken)


def test_oversize_members_are_refused_before_reading(
    tmp_path: Path, small_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs, "MAX_MEMBER_BYTES", 200_000)
    big = _rewrite(small_pack, tmp_path / "big.zip", **{"files/huge.bin": b"\0" * 300_000})
    with pytest.raises(PackTooLarge, match=r"huge\.bin"):
        read_pack(big)
    monkeypatch.setattr(packs, "MAX_MEMBER_BYTES", 50 * 1024 * 1024)
    monkeypatch.setattr(packs, "MAX_PACK_BYTES", 1000)
    with pytest.raises(PackTooLarge):
        import_pack(small_pack, tmp_path / "packs", demo_trust())


def test_a_manifest_naming_one_member_many_times_cannot_exceed_the_pack_limit(
    tmp_path: Path, small_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _manifest_of(small_pack)
    attachments = manifest["cases"][0]["dossier"]["components"][0]["attachments"]  # type: ignore[index]
    stored = attachments[0]["size"]
    attachments.extend(dict(attachments[0], id=f"copy-{n}") for n in range(3))
    hostile = _rewrite(small_pack, tmp_path / "many.zip", **{packs.MANIFEST: json.dumps(manifest)})
    with zipfile.ZipFile(hostile) as archive:
        declared = sum(info.file_size for info in archive.infolist())
    monkeypatch.setattr(packs, "MAX_PACK_BYTES", declared + stored)
    with pytest.raises(PackTooLarge, match="manifest"):
        read_pack(hostile)
