"""The officer's workspace end to end: test mode over the demo source, and the training server.

Real parts only: generated signed dossiers, a real SQLite store, the real training server on a
loopback port, real dialogs answered the way an officer would. Screenshots of each main
screen at 1366x768 go to ``tests/_artifacts/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from intake_desktop.demo.dossiers import DemoDossier, Scenario, generate_dossiers
from intake_desktop.desk import DeskSettings, RecordedDecision
from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.services.dossier_check import SignatureBadge
from intake_desktop.services.signatures import Verdict
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.session import Session, open_test_mode_session
from intake_desktop.ui.decision_dialog import DecisionDialog
from intake_desktop.ui.main_window import MainWindow
from intake_desktop.ui.review import ReviewWidget

ARTIFACTS = Path(__file__).parent / "_artifacts"
SIZE = (1366, 768)

# What the queue's badge must say for each situation an officer has to recognise.
EXPECTED_BADGE = {
    Scenario.ALL_GOOD: {SignatureBadge.ALL_VALID},
    Scenario.TWO_SIGNATURES: {SignatureBadge.ALL_VALID},
    Scenario.ANNOTATED_AFTER_SIGNING: {SignatureBadge.WARNINGS},
    Scenario.UNSIGNED_NOT_REQUIRED: {SignatureBadge.ALL_VALID, SignatureBadge.WARNINGS},
    Scenario.MISSING_COMPONENT: {SignatureBadge.ALL_VALID, SignatureBadge.PROBLEMS},
    Scenario.UNSIGNED_COMPONENT: {SignatureBadge.PROBLEMS, SignatureBadge.UNSIGNED},
    Scenario.SIGNER_MISMATCH: {SignatureBadge.PROBLEMS},
    Scenario.MODIFIED_AFTER_SIGNING: {SignatureBadge.PROBLEMS},
    Scenario.UNTRUSTED_CERTIFICATE: {SignatureBadge.PROBLEMS},
    Scenario.EXPIRED_CERTIFICATE: {SignatureBadge.PROBLEMS},
    Scenario.CORRUPT_ATTACHMENT: {SignatureBadge.PROBLEMS},
}


@pytest.fixture(scope="module")
def demo_dossiers() -> list[DemoDossier]:
    return generate_dossiers(30, 7)


@pytest.fixture
def session(tmp_path: Path, demo_dossiers: list[DemoDossier]) -> Iterator[Session]:
    source = DemoDossierSource(tmp_path / "demo", dossiers=demo_dossiers)
    opened = open_test_mode_session(DeskSettings(test_mode=True), home=tmp_path, source=source)
    yield opened
    opened.close()


def _window(qtbot, session: Session) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(session, auto_sync=False, show_slips=False)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    return window


def _synced(qtbot, window: MainWindow, rows: int) -> None:  # type: ignore[no-untyped-def]
    window.start_sync()
    qtbot.waitUntil(lambda: not window._syncing, timeout=120_000)
    with qtbot.waitSignal(window.queueLoaded, timeout=30_000):
        window.reload_queue()  # the sync's own reload may still be on its way
    assert window.queue.rowCount() == rows


def _save(widget: QWidget, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    path = ARTIFACTS / name
    assert widget.grab().save(str(path))
    return path


def _open(qtbot, window: MainWindow, code: str) -> ReviewWidget:  # type: ignore[no-untyped-def]
    window.open_dossier(code)
    review = window.review
    assert review is not None
    qtbot.waitUntil(lambda: review.view is not None, timeout=60_000)
    return review


def _answer_modal(handle: Callable[[QWidget], None]) -> None:
    """Answer the next modal dialog as the officer would, once it is up."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        handle(dialog)

    QTimer.singleShot(0, poll)


def _code(demos: list[DemoDossier], scenario: Scenario, nth: int = 0) -> str:
    return [d.dossier.code for d in demos if d.scenario is scenario][nth]


def test_test_mode_syncs_checks_and_lists_every_situation(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    assert window.windowTitle().startswith("[THỬ NGHIỆM]")
    _synced(qtbot, window, 30)
    badges = {window.queue.row_at(i).code: window.queue.row_at(i).badge for i in range(30)}
    for demo in demo_dossiers:
        assert badges[demo.dossier.code] in EXPECTED_BADGE[demo.scenario], demo.scenario
    assert "Chờ tiếp nhận: 30" in window.counts_label.text()
    assert window.last_sync_label.text().startswith("Đồng bộ lúc")
    png = _save(window, "main_queue_test_mode.png")
    assert png.stat().st_size > 20_000


def test_quick_filter_ignores_diacritics(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    someone = demo_dossiers[3].dossier.applicant.name
    window.filter_box.setText(someone.lower())
    assert 1 <= window.queue.rowCount() < 30
    from intake_desktop.services.text_search import fold

    window.filter_box.setText(fold(someone))  # "nguyen van an" finds "Nguyễn Văn An"
    names = {window.queue.row_at(i).applicant_name for i in range(window.queue.rowCount())}
    assert someone in names
    window.filter_box.setText(demo_dossiers[5].dossier.code[-4:])
    assert window.queue.rowCount() >= 1


def test_review_shows_a_change_after_signing_as_invalid_with_its_reason(
    qtbot, session, demo_dossiers
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    review = _open(qtbot, window, _code(demo_dossiers, Scenario.MODIFIED_AFTER_SIGNING))
    view = review.view
    assert view is not None
    verdicts = {r.verdict for r in view.reports.values() if r is not None}
    assert Verdict.INVALID in verdicts
    findings = review.findings.toPlainText()
    assert "sau khi ký" in findings
    # Follow the finding's link to the component, as the officer clicks it.
    bad = next(i for i, f in enumerate(view.check.findings) if f.attachment_id)
    from PySide6.QtCore import QUrl

    review._finding_clicked(QUrl(f"finding:{bad}"))
    row = review.checklist.row(review.checklist_view.currentIndex().row())
    assert row.attachment is not None
    assert row.attachment.attachment.remote_id == view.check.findings[bad].attachment_id
    qtbot.waitUntil(lambda: review.signatures.rowCount() >= 1, timeout=10_000)
    details = review.signature_details.toPlainText()
    assert "Tài liệu đã bị thay đổi nội dung sau khi ký" in details
    # The changed line spelled out: the applicant's CCCD replaced after signing.
    assert "Thay đổi sau khi ký" in details and "đã bị thay bằng" in details
    qtbot.wait(300)  # let the first page paint
    _save(window, "review_modified_after_signing.png")
    # "So sánh" outlines exactly the regions the report found, on both sides.
    signature = review.signatures.signature(0)
    assert signature.changes is not None and signature.changes.regions
    with qtbot.waitSignal(review.viewer.comparisonFinished, timeout=30_000):
        review.compare_button.click()
    expected: dict[int, list[tuple[float, float, float, float]]] = {}
    for region in signature.changes.regions:
        expected.setdefault(region.page, []).append(region.rect)
    assert review.viewer.changes == expected
    qtbot.wait(300)
    _save(window, "review_compare_with_signed.png")


def test_review_names_a_signer_who_is_not_the_applicant(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    review = _open(qtbot, window, _code(demo_dossiers, Scenario.SIGNER_MISMATCH))
    texts, ids = [], []
    for i in range(review.checklist.rowCount()):
        review.checklist_view.selectRow(i)
        if review.signatures.rowCount():
            texts.append(review.signature_details.toPlainText())
            ids.append(review.signatures.index(0, 2).data())
    assert any("KHÔNG phải chủ hồ sơ" in text for text in texts)
    assert any(number.endswith("≠") for number in ids)  # a mark, not only a colour
    assert all("Thời điểm ký" in text and "Dấu thời gian" in text for text in texts)


def test_accepting_records_once_makes_the_slip_and_the_demo_source_sees_it(
    qtbot, session, demo_dossiers
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    code = _code(demo_dossiers, Scenario.ALL_GOOD)
    review = _open(qtbot, window, code)
    assert review.accept_button.isEnabled()
    appointment: list[str] = []

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, DecisionDialog)
        assert dialog.override is None  # nothing to override on a good dossier
        assert dialog.appointment is not None
        appointment.append(dialog.appointment.date().toString("dd/MM/yyyy"))
        _save(dialog, "decision_accept.png")
        dialog.accept()

    recorded: list[RecordedDecision] = []
    window.decisionRecorded.connect(recorded.append)
    _answer_modal(confirm)
    review.accept_button.click()
    qtbot.waitUntil(lambda: bool(recorded), timeout=30_000)
    slip = recorded[0].slip_path
    assert slip.exists()
    with pymupdf.open(slip) as pdf:
        text = " ".join(page.get_text() for page in pdf)
    assert code in text and appointment[0] in text
    assert window.review is None  # back to the queue
    source = session.desk.source
    assert isinstance(source, DemoDossierSource)
    qtbot.waitUntil(lambda: len(source.decisions()) == 1, timeout=30_000)
    (receipt,) = source.decisions()
    assert receipt.dossier_code == code
    # A second send finds nothing to deliver: exactly once.
    session.desk.send_pending()
    assert len(source.decisions()) == 1
    window.start_sync()
    qtbot.waitUntil(lambda: not window._syncing, timeout=60_000)
    qtbot.waitUntil(lambda: "Đã tiếp nhận: 1" in window.counts_label.text(), timeout=10_000)


def test_request_supplement_prefills_the_problems_found(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    code = _code(demo_dossiers, Scenario.UNSIGNED_COMPONENT)
    review = _open(qtbot, window, code)
    prefilled: list[str] = []

    def send(dialog: QWidget) -> None:
        assert isinstance(dialog, DecisionDialog)
        assert dialog.reasons is not None
        prefilled.append(dialog.reasons.toPlainText())
        _save(dialog, "decision_supplement.png")
        dialog.accept()

    recorded: list[RecordedDecision] = []
    window.decisionRecorded.connect(recorded.append)
    _answer_modal(send)
    review.supplement_button.click()
    qtbot.waitUntil(lambda: bool(recorded), timeout=30_000)
    assert "chưa" in prefilled[0].lower() and "ký" in prefilled[0]
    source = session.desk.source
    assert isinstance(source, DemoDossierSource)
    qtbot.waitUntil(lambda: len(source.decisions()) == 1, timeout=30_000)
    assert source.decisions()[0].kind is DecisionKind.REQUEST_SUPPLEMENT


def test_refusing_needs_a_reason(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    review = _open(qtbot, window, _code(demo_dossiers, Scenario.CORRUPT_ATTACHMENT))
    states: list[bool] = []

    def refuse(dialog: QWidget) -> None:
        assert isinstance(dialog, DecisionDialog)
        assert dialog.reasons is not None
        ok = dialog.buttons.buttons()[0]
        dialog.reasons.setPlainText("")
        states.append(ok.isEnabled())
        dialog.reasons.setPlainText("Tệp đính kèm bị hỏng, không mở được.")
        states.append(ok.isEnabled())
        dialog.accept()

    recorded: list[RecordedDecision] = []
    window.decisionRecorded.connect(recorded.append)
    _answer_modal(refuse)
    review.refuse_button.click()
    qtbot.waitUntil(lambda: bool(recorded), timeout=30_000)
    assert states == [False, True]
    with pymupdf.open(recorded[0].slip_path) as pdf:
        assert "không mở được" in pdf[0].get_text()


def test_accepting_a_dossier_with_problems_asks_for_a_reason(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    review = _open(qtbot, window, _code(demo_dossiers, Scenario.EXPIRED_CERTIFICATE))
    seen: list[bool] = []

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, DecisionDialog)
        assert dialog.override is not None and dialog.override_reason is not None
        ok = dialog.buttons.buttons()[0]
        seen.append(ok.isEnabled())
        dialog.override.setChecked(True)
        seen.append(ok.isEnabled())
        dialog.override_reason.setText("Đã đối chiếu bản giấy")
        seen.append(ok.isEnabled())
        _save(dialog, "decision_accept_with_problems.png")
        dialog.reject()

    _answer_modal(cancel)
    review.accept_button.click()
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=10_000)
    assert seen == [False, False, True]
    assert session.desk.outbox.pending_count() == 0


def test_keyboard_walks_the_queue_and_the_components(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    first = window.queue.row_at(0).code
    review = _open(qtbot, window, first)
    review.stepRequested.emit(1)  # what Alt+Right does
    assert window.review is not None and window.review.code == window.queue.row_at(1).code
    review = window.review
    qtbot.waitUntil(lambda: review.view is not None, timeout=60_000)
    before = review.checklist_view.currentIndex().row()
    review.step_component(1)
    if review.checklist.rowCount() > 1:
        assert review.checklist_view.currentIndex().row() != before
    review.closed.emit()  # Esc
    assert window.review is None


def test_reset_demo_data_puts_decided_dossiers_back(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    desk = session.desk
    view = desk.open_dossier(_code(demo_dossiers, Scenario.ALL_GOOD, 1))
    desk.decide(view, DecisionKind.ACCEPT, appointment_date=desk.suggested_appointment(view))
    desk.send_pending()
    _synced(qtbot, window, 29)  # the queue shows dossiers awaiting intake by default
    assert "Đã tiếp nhận: 1" in window.counts_label.text()

    def yes(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        dialog.button(QMessageBox.StandardButton.Yes).click()

    _answer_modal(yes)
    window.reset_demo()
    qtbot.waitUntil(lambda: "Chờ tiếp nhận: 30" in window.counts_label.text(), timeout=60_000)
    statuses = {window.queue.row_at(i).status for i in range(window.queue.rowCount())}
    assert statuses == {DossierStatus.AWAITING_INTAKE}


# --- against the training server ---------------------------------------------------------


@pytest.fixture
def server() -> Iterator[object]:
    from intake_desktop.server.testing import running_server

    with running_server(dossiers=6, seed=3) as handle:
        yield handle


def test_classroom_sign_in_sync_and_accept_against_the_training_server(
    qtbot, server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from intake_desktop.app import open_session
    from intake_desktop.server.accounts import DEFAULT_PASSWORD
    from intake_desktop.ui.app_settings import AppSettings
    from intake_desktop.ui.sign_in_dialog import SignInDialog

    def sign_in(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.username.setText("canbo01")
        dialog.password.setText(DEFAULT_PASSWORD)
        _save(dialog, "sign_in.png")
        dialog.sign_in_button.click()

    _answer_modal(sign_in)
    classroom = AppSettings(server_url=server.url, test_mode=True)  # type: ignore[attr-defined]
    opened, settings = open_session(classroom)
    assert opened is not None and not opened.offline and opened.officer is not None
    assert opened.test_mode and opened.store.path.name == "intake-test-mode.sqlite3"
    assert settings.username == "canbo01"
    try:
        window = _window(qtbot, opened)
        assert window.windowTitle().startswith("[THỬ NGHIỆM]")
        _synced(qtbot, window, 6)
        _save(window, "main_queue_training_server.png")
        code = next(
            window.queue.row_at(i).code
            for i in range(6)
            if window.queue.row_at(i).badge is SignatureBadge.ALL_VALID
        )
        review = _open(qtbot, window, code)

        def confirm(dialog: QWidget) -> None:
            assert isinstance(dialog, DecisionDialog)
            dialog.accept()

        recorded: list[RecordedDecision] = []
        window.decisionRecorded.connect(recorded.append)
        _answer_modal(confirm)
        review.accept_button.click()
        qtbot.waitUntil(lambda: bool(recorded), timeout=30_000)
        desk = opened.desk

        def delivered() -> bool:
            return desk.outbox.states_by_dossier().get(code) is OutboxState.SENT

        qtbot.waitUntil(delivered, timeout=30_000)
        window.send_pending()
        desk.send_pending()  # again: nothing more reaches the server
        decisions = [d for d in server.decisions() if d["dossier_code"] == code]  # type: ignore[attr-defined]
        assert len(decisions) == 1 and decisions[0]["kind"] == "accept"
        # The officer's password is never written to the store or the settings file.
        for path in [*tmp_path.parent.rglob("*.sqlite3"), *tmp_path.parent.rglob("*.ini")]:
            assert DEFAULT_PASSWORD.encode() not in path.read_bytes(), path
    finally:
        opened.close()


@pytest.mark.sqlite_only  # the live store is the named file
def test_a_live_session_never_trusts_the_demo_root(qtbot, server) -> None:  # type: ignore[no-untyped-def]
    from intake_desktop.server.accounts import DEFAULT_PASSWORD
    from intake_desktop.services.credentials import CredentialStore
    from intake_desktop.services.http_source import HttpDossierSource
    from intake_desktop.session import open_live_session

    source = HttpDossierSource(server.url, "canbo01", credentials=CredentialStore())  # type: ignore[attr-defined]
    officer = source.login(DEFAULT_PASSWORD)
    opened = open_live_session(source, DeskSettings(), officer, username="canbo01")
    try:
        assert not opened.test_mode and opened.store.path.name == "intake.sqlite3"
        opened.desk.sync()
        rows = opened.desk.queue_rows()
        opened.desk.check_signatures()
        rows = opened.desk.queue_rows()
        assert len(rows) == 6
        assert SignatureBadge.ALL_VALID not in {row.badge for row in rows}
    finally:
        opened.close()


def test_offline_start_says_so_and_never_syncs(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from intake_desktop.services.credentials import CredentialStore
    from intake_desktop.services.http_source import HttpDossierSource
    from intake_desktop.session import open_live_session

    source = HttpDossierSource("http://127.0.0.1:9", "canbo01", credentials=CredentialStore())
    opened = open_live_session(source, DeskSettings(), None, username="canbo01")
    try:
        window = MainWindow(opened, show_slips=False)
        qtbot.addWidget(window)
        window.resize(*SIZE)
        window.show()
        assert "Ngoại tuyến" in window.mode_label.text()
        assert not window._sync_timer.isActive()
        window.start_sync()  # the officer presses F5 anyway: a message, no crash
        qtbot.waitUntil(lambda: not window._syncing, timeout=60_000)
        assert "Không đồng bộ được" in window.statusBar().currentMessage()
    finally:
        opened.close()


def test_about_box_names_the_version(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    from intake_desktop import __version__

    window = _window(qtbot, session)
    texts: list[str] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.text())
        dialog.accept()

    _answer_modal(read)
    window.show_about()
    assert __version__ in texts[0]


def test_deadline_column_uses_vietnam_time(qtbot, session, demo_dossiers) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    review = _open(qtbot, window, demo_dossiers[0].dossier.code)
    submitted = demo_dossiers[0].dossier.submitted_at.astimezone(VN_TZ)
    assert f"{submitted:%H:%M %d/%m/%Y}" in review.applicant.text()


def test_certificate_validity_is_shown_in_vietnam_dates() -> None:
    """A certificate valid from 20:00 UTC is valid from the next day's 03:00 in Vietnam."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from intake_desktop.demo.documents import make_form_pdf
    from intake_desktop.demo.pki import DemoPki
    from intake_desktop.demo.signing import sign_pdf
    from intake_desktop.services.signatures import TrustStore, inspect_pdf
    from intake_desktop.ui.signature_check_window import signature_details_html

    pki = DemoPki.create(seed=7)
    signer = pki.issue_citizen("NGUYỄN VĂN AN", "062090001234")
    when = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    signed = sign_pdf(
        make_form_pdf("TỜ KHAI", [("Họ tên", "Nguyễn Văn An")]), signer, signing_time=when
    )
    signature = inspect_pdf(signed, TrustStore.of([pki.root_asn1()])).signatures[0]
    assert signature.signer is not None
    late = replace(
        signature.signer,
        not_before=datetime(2026, 2, 18, 20, 0, tzinfo=UTC),
        not_after=datetime(2028, 2, 18, 17, 30, tzinfo=UTC),
    )
    html = signature_details_html(replace(signature, signer=late))
    assert "19/02/2026 – 19/02/2028" in html
    assert "18/02/2026" not in html


@pytest.mark.parametrize("scale", ["1.25", "1.5"])
def test_readable_at_125_and_150_percent_scaling(tmp_path: Path, scale: str) -> None:
    """A 1920x1080 screen at 125 % and 150 %: nothing clipped, screenshots to look at."""
    import os
    import subprocess
    import sys

    out = ARTIFACTS / f"scale-{scale}"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_SCALE_FACTOR": scale, "INTAKE_DESKTOP_HOME": str(tmp_path)}
    script = Path(__file__).parent / "scripts" / "scaled_screens.py"
    run = subprocess.run(
        [sys.executable, str(script), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "CLIPPED" not in run.stdout, run.stdout
    assert "PAGES 0" not in run.stdout and "PAGES " in run.stdout, run.stdout  # page shown
    assert (out / "queue.png").stat().st_size > 20_000
    assert (out / "review.png").stat().st_size > 20_000


def test_make_run_starts_test_mode_when_nothing_is_configured(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real start-up path (``--test-mode=auto``): straight into the demo, queue filled."""
    from intake_desktop.cli import build_parser
    from intake_desktop.ui.app_settings import load_settings

    assert build_parser().parse_args(["--test-mode=auto"]).test_mode == "auto"
    assert build_parser().parse_args(["--test-mode"]).test_mode == "on"
    from intake_desktop.app import run_gui

    seen: list[MainWindow] = []

    def close_when_filled() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].queue.rowCount() == 30 and not windows[0]._syncing:
            seen.append(windows[0])
            windows[0].close()
            return
        QTimer.singleShot(100, close_when_filled)

    QTimer.singleShot(100, close_when_filled)
    assert run_gui(test_mode_if_new=True) == 0
    assert seen and seen[0].session.test_mode
    assert not load_settings().configured  # the saved choice is left for the officer


def test_a_decision_the_server_rejects_shows_why_and_can_be_made_again(
    qtbot, session, demo_dossiers
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    desk = session.desk
    code = _code(demo_dossiers, Scenario.ALL_GOOD)
    view = desk.open_dossier(code)
    # An appointment in the past: the server answers 422 with its reason.
    from datetime import date

    desk.decide(view, DecisionKind.ACCEPT, appointment_date=date(2020, 1, 1))
    (result,) = desk.send_pending()
    assert result.state is OutboxState.REJECTED
    review = _open(qtbot, window, code)
    assert "Bị từ chối" in review.state_label.text()
    assert "appointment_date" in review.state_label.toolTip()
    assert review.accept_button.isEnabled()  # the officer corrects and decides again


def test_guidance_mode_explains_the_case_and_scores_the_decision(  # type: ignore[no-untyped-def]
    qtbot, session, demo_dossiers
) -> None:
    window = _window(qtbot, session)
    _synced(qtbot, window, 30)
    training = window.training
    assert training is not None
    with qtbot.waitSignal(training.ready, timeout=60_000):
        training.guidance_action.trigger()  # Ctrl+H
    assert training.dock.isVisible()
    code = _code(demo_dossiers, Scenario.SIGNER_MISMATCH)
    review = _open(qtbot, window, code)
    assert training.panel is not None
    assert "Người ký không phải chủ hồ sơ" in training.panel.scenario_label.text()

    def wrong(dialog: QWidget) -> None:  # the trainee accepts a dossier signed by someone else
        assert isinstance(dialog, DecisionDialog)
        assert dialog.override is not None and dialog.override_reason is not None
        dialog.override.setChecked(True)
        dialog.override_reason.setText("thử")
        dialog.accept()

    recorded: list[RecordedDecision] = []
    window.decisionRecorded.connect(recorded.append)
    _answer_modal(wrong)
    review.accept_button.click()
    qtbot.waitUntil(lambda: bool(recorded), timeout=30_000)
    assert training.scorer is not None
    score = training.scorer.score()
    assert (score.correct, score.total) == (0, 1)
    _save(window, "guidance_mode.png")


def test_a_scenario_pack_is_checked_off_the_gui_thread_and_a_duplicate_refused(  # type: ignore[no-untyped-def]
    qtbot, session, demo_dossiers, tmp_path: Path, monkeypatch
) -> None:
    from intake_desktop.services.training.packs import export_pack
    from intake_desktop.ui import training_tools

    window = _window(qtbot, session)
    training = window.training
    assert training is not None
    pack = tmp_path / "same.zip"
    export_pack(pack, demo_dossiers[:2], title="Trùng")
    monkeypatch.setattr(training_tools, "choose_pack_file", lambda _parent: pack)
    refused: list[Exception] = []
    monkeypatch.setattr(
        training_tools, "show_import_refused", lambda _parent, error: refused.append(error)
    )
    training.import_pack()
    assert "Đang kiểm tra bộ tình huống" in window.statusBar().currentMessage()  # not blocked
    qtbot.waitUntil(lambda: bool(refused), timeout=60_000)
    from intake_desktop.services.training.packs import DuplicateDossier

    assert isinstance(refused[0], DuplicateDossier)  # the same dossiers are served already


def test_a_supervisor_in_test_mode_syncs_the_unit_from_the_audit_tab(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, demo_dossiers: list[DemoDossier]
) -> None:
    from PySide6.QtCore import Qt

    source = DemoDossierSource(tmp_path / "demo", dossiers=demo_dossiers)
    settings = DeskSettings(test_mode=True, supervisor=True)
    opened = open_test_mode_session(settings, home=tmp_path, source=source)
    try:
        window = _window(qtbot, opened)
        _synced(qtbot, window, len(demo_dossiers))
        audit = window.show_audit()
        qtbot.waitUntil(lambda: audit.office is not None and audit.office.isVisible())
        assert audit.office is not None
        # The unit's decided dossiers arrive: the audit reads itself, the queue follows.
        with qtbot.waitSignal(audit.office.synced, timeout=60_000):
            qtbot.mouseClick(audit.office.sync_button, Qt.MouseButton.LeftButton)
        assert "quyết định mới" in audit.office.status.text()
        with qtbot.waitSignals([window.queueLoaded, audit.loaded], timeout=60_000):
            pass  # both read again after the sync (worker results arrive through events)
        officers = {audit.officer.itemText(i) for i in range(1, audit.officer.count())}
        assert any("lethuha" in name for name in officers), officers
    finally:
        opened.close()
