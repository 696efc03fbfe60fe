"""A dossier in an iGate status the desk does not know, against the real iGate imitation.

The trainer's ``foreign-status`` route (``server/igate_api.py``) moves one dossier into iGate
status 99 "Tạm dừng", outside the desk's table: it must sync with iGate's words kept, show
in the queue as "Trạng thái khác: Tạm dừng (99)", open read-only in the review (decision
buttons off, the reason in Vietnamese), never be decided, and not disturb the others.
A screenshot of the read-only review goes to ``tests/_artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtWidgets import QApplication
from test_igate_flow import OFFICER, PASSWORD, System

from intake_desktop.demo.dossiers import demo_trust
from intake_desktop.desk import Desk
from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.server.testing import running_server
from intake_desktop.services.adapters import RemoteSource
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import Store, open_store
from intake_desktop.store.dossiers import get_dossier
from intake_desktop.ui.queue_model import QueueModel
from intake_desktop.ui.review import ReviewWidget

ARTIFACTS = Path(__file__).parent / "_artifacts"
FOREIGN = "/api/v1/_training/igate/foreign-status"
PAUSED = {"id": 99, "name": "Tạm dừng"}


@pytest.fixture
def system() -> Iterator[System]:
    with running_server(dossiers=4, seed=5, flavor="igate") as server:
        yield System("igate", server)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _foreign(system: System, code: str, **status: Any) -> requests.Response:
    return requests.put(
        system.url + FOREIGN, json={"code": code, **status}, headers=system._headers(), timeout=5
    )


def _awaiting_codes(source: RemoteSource) -> list[str]:
    page = source.list_dossiers(status=DossierStatus.AWAITING_INTAKE, limit=50)
    return sorted(item.code for item in page.items)


def test_a_dossier_moved_to_an_unknown_status_syncs_read_only_and_is_never_decided(
    system: System, store: Store, tmp_path: Path
) -> None:
    with system.source() as source:
        source.login()
        first = Synchronizer(source, store, tmp_path / "cache").sync()
        code, *others = _awaiting_codes(source)
        stored = get_dossier(store, code)
        assert stored is not None
        # The officer decides on what they saw; meanwhile iGate moves the dossier on.
        Outbox(store).record(
            DecisionRequest(code, stored.version, DecisionKind.REFUSE, reasons=("Sai",)), OFFICER
        )
        moved = _foreign(system, code, **PAUSED)
        second = Synchronizer(source, store, tmp_path / "cache").sync()
        still_awaiting = _awaiting_codes(source)
        [sent] = Sender(source, store).send_pending()
        refused_put = requests.put(
            f"{system.url}/pa/dossier/{_igate_id(source, code)}/status",
            json={"dossierStatus": {"id": 6}, "comment": "Sai"},
            headers=system._headers(),
            timeout=5,
        )

    assert moved.status_code == 200 and first.errors == ()
    # The incremental sync saw the change and stored iGate's words; nothing went wrong.
    assert second.errors == () and second.dossiers_updated == 1
    local = get_dossier(store, code)
    assert local is not None
    assert (local.status, local.raw_status) == (DossierStatus.OTHER, "Tạm dừng (99)")
    assert still_awaiting == others  # searching iGate's "Chờ tiếp nhận" no longer finds it
    for other in others:
        kept = get_dossier(store, other)
        assert kept is not None and kept.status is DossierStatus.AWAITING_INTAKE
    # The decision queued before the move is never delivered: the adapter looked first.
    assert sent.state is OutboxState.CONFLICT and sent.server_status is DossierStatus.OTHER
    assert system.decisions_for(code) == []
    assert refused_put.status_code == 400 and "Tạm dừng" in refused_put.json()["message"]


def test_the_trainer_puts_the_dossier_back_and_only_the_trainer_may_move_it(
    system: System,
) -> None:
    with system.source() as source:
        source.login()
        code = _awaiting_codes(source)[0]
        officer_token = source._token  # type: ignore[attr-defined]
        by_officer = requests.put(
            system.url + FOREIGN,
            json={"code": code, **PAUSED},
            headers={"Authorization": f"Bearer {officer_token}"},
            timeout=5,
        )
        known_id = _foreign(system, code, id=2, name="Đang xử lý")
        _foreign(system, code, **PAUSED)
        paused = source.get_dossier(code)
        back = _foreign(system, code, id=None)
        again = source.get_dossier(code)

    assert by_officer.status_code == 403
    assert known_id.status_code == 400  # a status the desk knows is not "foreign"
    assert paused.status is DossierStatus.OTHER and paused.version > 0
    assert back.status_code == 200
    assert (again.status, again.raw_status) == (DossierStatus.AWAITING_INTAKE, None)
    assert again.version > paused.version  # moved again: the next sync picks it up


def test_the_queue_and_the_review_show_it_read_only(  # type: ignore[no-untyped-def]
    qtbot, system: System, store: Store, tmp_path: Path
) -> None:
    decided: list[DecisionKind] = []
    with system.source() as source:
        source.login(PASSWORD)
        code = _awaiting_codes(source)[0]
        _foreign(system, code, **PAUSED)
        # Nothing here depends on the date: the desk keeps its own (system) clock.
        desk = Desk(store, source, demo_trust(), tmp_path / "cache", officer=OFFICER)
        desk.sync()
        queue = QueueModel(desk.clock.now, desk.settings.calendar.working_hours_left)
        queue.set_rows(desk.queue_rows())
        queue.set_statuses(None)
        position = queue.position_of(code)
        assert position is not None
        status_column = queue.COLUMNS.index("status")
        shown = queue.index(position, status_column)

        review = ReviewWidget(desk, code, decide=lambda _w, kind: decided.append(kind))
        qtbot.addWidget(review)
        review.resize(1366, 768)
        review.show()
        qtbot.waitUntil(lambda: review.view is not None, timeout=60_000)
        for kind in DecisionKind:
            review.request_decision(kind)  # the shortcuts' path: nothing happens
        ARTIFACTS.mkdir(exist_ok=True)
        QApplication.processEvents()
        assert review.grab().save(str(ARTIFACTS / "review_unknown_status.png"))

    assert queue.data(shown) == "Trạng thái khác: Tạm dừng (99)"
    assert "chỉ được xem" in queue.data(shown, 3)  # ToolTipRole: why it is read-only
    assert queue.counts()[DossierStatus.OTHER] == 1
    for button in (review.accept_button, review.supplement_button, review.refuse_button):
        assert not button.isEnabled()
        assert "trạng thái mà ứng dụng chưa biết" in button.toolTip()
    assert review.read_only_note.isVisible()
    assert review.read_only_note.text().startswith("Trạng thái khác: Tạm dừng (99).")
    assert "Hãy xử lý hồ sơ trên hệ thống của tỉnh" in review.read_only_note.text()
    assert review.state_label.text() == "Trạng thái khác: Tạm dừng (99)"
    assert decided == []
    assert "không được tải về" in review.history_title.text()


def _igate_id(source: RemoteSource, code: str) -> str:
    found = source._find_id(code)  # type: ignore[attr-defined]
    assert isinstance(found, str)
    return found
