"""The signature-check window: an officer drops PDFs and reads each signature's story."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import DocumentReport, TrustStore, Verdict, inspect_pdf
from intake_desktop.ui.signature_check_window import SignatureCheckWindow
from intake_desktop.ui.signature_models import VERDICT_ROLE

ARTIFACTS = Path(__file__).parent / "_artifacts"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[TrustStore, list[Path]]:
    folder = tmp_path_factory.mktemp("pdfs")
    pki = DemoPki.create(seed=31)
    signer = pki.issue_citizen("ĐẶNG THỊ HỒNG NHUNG", "001195008888", provider="FPT")
    form = make_form_pdf(
        "TỜ KHAI ĐĂNG KÝ KẾT HÔN", [("Họ, chữ đệm, tên", "Đặng Thị Hồng Nhung")], compress=False
    )
    signed = sign_pdf(form, signer, signing_time=datetime.now(UTC) - timedelta(hours=1))
    files = {
        "to-khai.pdf": signed,
        "to-khai-bi-sua.pdf": tamper.incremental_replace_text(signed, "Nhung", "Nhưng"),
        "giay-to-khac.pdf": form,
        "anh.pdf": tamper.not_a_pdf(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return TrustStore.of([pki.root_asn1()]), paths


def _factory(trust: TrustStore) -> Callable[[], Callable[[Path], DocumentReport]]:
    def make() -> Callable[[Path], DocumentReport]:
        return lambda path: inspect_pdf(path, trust)

    return make


def test_officer_checks_four_files(qtbot, pdfs: tuple[TrustStore, list[Path]]) -> None:  # type: ignore[no-untyped-def]
    trust, paths = pdfs
    window = SignatureCheckWindow(_factory(trust), test_mode=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.check_files(paths)
    model = window.files

    def all_checked() -> None:
        assert all(model.file(row).report is not None for row in range(model.rowCount()))

    qtbot.waitUntil(all_checked, timeout=30_000)
    verdicts = [model.index(row, 1).data(VERDICT_ROLE) for row in range(model.rowCount())]
    assert verdicts == [Verdict.VALID, Verdict.INVALID, Verdict.UNSIGNED, Verdict.ERROR]

    window.files_view.selectRow(1)
    assert window.signatures.rowCount() == 1
    signer_cell = window.signatures.index(0, 1).data(Qt.ItemDataRole.DisplayRole)
    assert signer_cell == "ĐẶNG THỊ HỒNG NHUNG"
    assert "thay đổi nội dung sau khi ký" in window.details.toPlainText()
    assert "Không hợp lệ" in window.summary.text()

    ARTIFACTS.mkdir(exist_ok=True)
    shot = window.grab()
    assert not shot.isNull() and shot.width() >= 1000
    assert shot.save(str(ARTIFACTS / "signature-check-window.png"))
