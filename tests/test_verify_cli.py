"""``intake-desktop verify``: the readable report, the JSON contract, exit codes, cache, cores."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymupdf
import pytest

from intake_desktop.cli import main
from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.paths import database_path
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


def test_workers_of_a_process_with_threads_come_from_a_forkserver(
    files: dict[str, Path], tmp_path: Path
) -> None:
    # The app calls verify_files with Qt's threads running: forking it is not safe.
    import threading

    from intake_desktop.services.signatures.certificates import parse_certificates

    trust = TrustStore.of(parse_certificates(files["root"].read_bytes()))
    paths = []
    for i, kind in enumerate(("valid", "tampered", "valid", "unsigned")):
        copy = tmp_path / f"{i}-{kind}.pdf"
        copy.write_bytes(files[kind].read_bytes())
        paths.append(copy)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        parallel = [r.report for r in verify_files(paths, trust, workers=2)]
    finally:
        release.set()
        other.join()
    assert [r.verdict for r in parallel] == [
        Verdict.VALID, Verdict.INVALID, Verdict.VALID, Verdict.UNSIGNED
    ]  # fmt: skip
    assert parallel == [r.report for r in verify_files(paths, trust, workers=1)]


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


def _with_undrawable_annotation(signed: bytes, folder: Path) -> bytes:
    """A revision after signing adds an annotation without /Subtype: MuPDF, comparing the
    signed revision with the file, says it "cannot create appearance stream" for it."""
    path = folder / "annotated.pdf"
    path.write_bytes(signed)
    with pymupdf.open(path) as doc:
        page = doc[0]
        annot = doc.get_new_xref()
        doc.update_object(annot, "<< /Type /Annot /Rect [100 100 200 150] /F 4 >>")
        kind, annots = doc.xref_get_key(page.xref, "Annots")
        assert kind == "array"
        doc.xref_set_key(page.xref, "Annots", f"[{annots.strip('[]')} {annot} 0 R]")
        doc.save(path, incremental=True, encryption=pymupdf.mupdf.PDF_ENCRYPT_KEEP)
    return path.read_bytes()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_stdout_stays_json_when_mupdf_complains(
    files: dict[str, Path], tmp_path: Path, jobs: str
) -> None:
    annotated = _with_undrawable_annotation(files["valid"].read_bytes(), tmp_path)
    # A later revision with a broken cross-reference table: MuPDF repairs it.
    broken = files["valid"].read_bytes() + (
        b"\n1 0 obj\n<< /Garbage true >>\nendobj\nxref\n0 1\n0000000000 65535 f \n"
        b"trailer\n<< /Size 2 /Prev 999999 /Root 1 0 R >>\nstartxref\n123456\n%%EOF\n"
    )
    paths = []
    for i in range(4):  # enough files for the process pool with --jobs 2
        path = tmp_path / f"{i}.pdf"
        path.write_bytes(annotated if i % 2 == 0 else broken)
        paths.append(str(path))

    options = ["--json", "--no-cache", "--jobs", jobs, "--trust", str(files["root"])]

    def verify(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "intake_desktop", *flags, "verify", *options, *paths],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    result = verify()
    assert "Traceback" not in result.stderr
    doc = json.loads(result.stdout)  # stdout is the JSON document alone
    assert [f["file"] for f in doc["files"]] == paths
    assert [f["verdict"] for f in doc["files"]] == ["invalid"] * 4
    assert result.returncode == 1
    # MuPDF did complain: into the log, which -v shows on stderr.
    verbose = verify("-v")
    assert "cannot create appearance stream" in verbose.stderr
    assert json.loads(verbose.stdout) == doc


def test_no_cache_leaves_no_store_behind(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert not database_path().exists()
    assert main(["verify", "--json", "--no-cache", str(files["valid"])]) == 1
    assert json.loads(capsys.readouterr().out)["files"][0]["verdict"] == "indeterminate"
    assert not database_path().exists()


def test_bad_jobs_is_a_usage_error(files: dict[str, Path]) -> None:
    assert main(["verify", "--jobs", "-1", str(files["valid"])]) == 2
    assert main(["verify", "--jobs", "many", str(files["valid"])]) == 2
