"""``intake-desktop verify``: the readable report, the JSON contract, exit codes, cache, cores."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intake_desktop.cli import main
from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.report_cache import StoreReportCache
from intake_desktop.services.signatures import TrustStore, Verdict
from intake_desktop.services.signatures.batch import verify_files

SIGNED_AT = datetime.now(UTC) - timedelta(hours=3)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dossier")
    pki = DemoPki.create(seed=11)
    signer = pki.issue_citizen("NGUYỄN THỊ HOA", "040195000777")
    form = make_form_pdf("TỜ KHAI CẤP PHIẾU LÝ LỊCH TƯ PHÁP", [("Họ và tên", "Nguyễn Thị Hoa")])
    signed = sign_pdf(form, signer, signing_time=SIGNED_AT)
    out = {
        "root": folder / "demo-root.pem",
        "valid": folder / "to-khai.pdf",
        "tampered": folder / "to-khai-sua.pdf",
        "unsigned": folder / "chua-ky.pdf",
        "garbage": folder / "anh.pdf",
    }
    out["root"].write_bytes(pki.root_pem())
    out["valid"].write_bytes(signed)
    out["tampered"].write_bytes(tamper.incremental_replace_text(signed, "Hoa", "Hòa"))
    out["unsigned"].write_bytes(form)
    out["garbage"].write_bytes(tamper.not_a_pdf())
    return out


def test_json_contract(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--json", "--trust", str(files["root"]), str(files["valid"])])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    (entry,) = doc["files"]
    assert set(entry) >= {
        "file", "sha256", "pages", "revisions", "verdict", "error", "signatures"
    }  # fmt: skip
    assert entry["verdict"] == "valid" and entry["error"] is None
    (sig,) = entry["signatures"]
    assert set(sig) >= {
        "index", "revision", "field", "verdict", "reasons", "intact", "crypto_valid",
        "trusted", "revocation", "coverage", "modifications_after", "signing_time",
        "timestamp_time", "signer", "page", "rect",
    }  # fmt: skip
    assert set(sig["signer"]) == {
        "name", "citizen_id", "tax_code", "subject", "issuer", "serial", "not_before",
        "not_after",
    }  # fmt: skip
    assert sig["signer"]["name"] == "NGUYỄN THỊ HOA"
    assert sig["signer"]["citizen_id"] == "040195000777"
    assert sig["coverage"] == "entire_file"
    assert sig["modifications_after"] == "none"
    assert sig["revocation"] == "not_checked"
    assert sig["trusted"] is True and sig["intact"] is True
    assert datetime.fromisoformat(sig["signing_time"]) == SIGNED_AT.replace(microsecond=0)
    assert len(sig["rect"]) == 4 and sig["page"] == 0


def test_exit_one_when_any_file_is_not_valid(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(files[k]) for k in ("valid", "tampered", "unsigned", "garbage")]
    code = main(["verify", "--json", "--trust", str(files["root"]), *paths])
    assert code == 1
    verdicts = [f["verdict"] for f in json.loads(capsys.readouterr().out)["files"]]
    assert verdicts == ["valid", "invalid", "unsigned", "error"]


def test_untrusted_without_the_demo_root(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--json", str(files["valid"])]) == 1
    (entry,) = json.loads(capsys.readouterr().out)["files"]
    assert entry["verdict"] == "indeterminate"
    assert entry["signatures"][0]["trusted"] is False


def test_usage_errors_exit_two(files: dict[str, Path], tmp_path: Path) -> None:
    assert main(["verify"]) == 2
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 2
    bad_trust = tmp_path / "bad.pem"
    bad_trust.write_text("not a certificate")
    assert main(["verify", "--trust", str(bad_trust), str(files["valid"])]) == 2


def test_readable_report_in_vietnamese(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["verify", "--lang", "vi", "--trust", str(files["root"]), str(files["tampered"])])
    text = capsys.readouterr().out
    assert "KHÔNG HỢP LỆ" in text
    assert "Tài liệu đã bị thay đổi nội dung sau khi ký." in text
    assert "NGUYỄN THỊ HOA (040195000777)" in text


def test_reports_are_cached_by_content(files: dict[str, Path]) -> None:
    pki_root = files["root"].read_bytes()
    from intake_desktop.services.signatures.certificates import parse_certificates

    trust = TrustStore.of(parse_certificates(pki_root))
    cache = StoreReportCache.open_default()
    try:
        paths = [files["valid"], files["tampered"]]
        first = list(verify_files(paths, trust, cache=cache, workers=1))
        second = list(verify_files(paths, trust, cache=cache, workers=1))
    finally:
        cache.close()
    assert [r.cached for r in first] == [False, False]
    assert [r.cached for r in second] == [True, True]
    assert [r.report for r in first] == [r.report for r in second]


def test_many_files_on_every_core_match_one_by_one(files: dict[str, Path], tmp_path: Path) -> None:
    from intake_desktop.services.signatures.certificates import parse_certificates

    trust = TrustStore.of(parse_certificates(files["root"].read_bytes()))
    paths = []
    for i in range(10):
        kind = ("valid", "tampered", "unsigned", "garbage")[i % 4]
        copy = tmp_path / f"{i:02d}-{kind}.pdf"
        copy.write_bytes(files[kind].read_bytes())
        paths.append(copy)
    parallel = [r.report for r in verify_files(paths, trust, workers=2)]
    serial = [r.report for r in verify_files(paths, trust, workers=1)]
    assert [r.verdict for r in parallel] == [r.verdict for r in serial]
    assert parallel == serial
    assert parallel[0].verdict is Verdict.VALID


def test_console_script_runs(files: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "intake_desktop", "verify", "--no-cache", str(files["unsigned"])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "UNSIGNED" in result.stdout
    assert "Traceback" not in result.stderr
