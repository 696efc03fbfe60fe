"""Decisions reach the training server exactly once: round trips, faults and crashes.

The app side runs in this process, or — for the crash tests — in a child process killed with
SIGKILL before or during the send; a new process then finishes the job. The trainer-only
decisions listing tells how many decisions the server recorded.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from test_http_source import (
    OFFICER,
    PASSWORD,
    Trainer,
    dead_url,
    remembering,
    source_for,
    training_server,
)

from intake_desktop import paths
from intake_desktop.clock import vn_today
from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest, DossierSummary
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import Store, audit, open_store
from intake_desktop.store.dossiers import get_dossier


@pytest.fixture
def server_url() -> Iterator[str]:
    with training_server(dossiers=6, seed=5) as url:
        yield url


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _awaiting(url: str) -> DossierSummary:
    with source_for(url) as source:
        source.login(PASSWORD)
        return source.list_dossiers(status=DossierStatus.AWAITING_INTAKE, limit=1).items[0]


def _accept(summary: DossierSummary) -> DecisionRequest:
    return DecisionRequest(
        summary.code,
        summary.version,
        DecisionKind.ACCEPT,
        appointment_date=vn_today() + timedelta(days=14),
    )


def _recorded_for(trainer: Trainer, code: str) -> list[dict[str, object]]:
    return [d for d in trainer.decisions() if d.get("dossier_code") == code]


def test_an_officer_syncs_accepts_and_the_server_shows_the_dossier_accepted(
    server_url: str, store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with source_for(server_url, keyring_backend=remembering(server_url)) as source:
        source.login()
        Synchronizer(source, store, tmp_path / "cache").sync()
        dossier = get_dossier(store, _awaiting(server_url).code)
        assert dossier is not None
        decision = DecisionRequest(
            dossier.code,
            dossier.version,
            DecisionKind.ACCEPT,
            appointment_date=vn_today() + timedelta(days=14),
            officer_note="Hồ sơ đầy đủ",
        )
        outbox = Outbox(store)
        outbox.record(decision, OFFICER)
        [result] = Sender(source, store).send_pending()
        on_server = source.get_dossier(dossier.code)

    assert result.state is OutboxState.SENT and result.receipt is not None
    assert on_server.status is DossierStatus.ACCEPTED
    local = get_dossier(store, dossier.code)
    assert local is not None and local.status is DossierStatus.ACCEPTED
    assert local.version == result.receipt.version
    [recorded] = _recorded_for(Trainer(server_url), dossier.code)
    assert recorded.get("decision_id") == decision.decision_id
    assert outbox.pending_count() == 0
    assert outbox.states_by_dossier()[dossier.code] is OutboxState.SENT
    assert [e.action for e in audit.entries(store, subject=dossier.code)] == [
        "decision.sent",
        "decision.recorded",
    ]
    assert audit.verify_chain(store) is None

    # The password is nowhere: not in the database, not in any file, not in the log.
    store.close()
    roots = {paths.data_dir(), tmp_path}
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD not in caplog.text
    assert "Bearer" not in caplog.text and "Authorization" not in caplog.text


def test_a_decision_made_while_the_server_is_down_is_delivered_once_it_is_up(
    server_url: str, store: Store
) -> None:
    summary = _awaiting(server_url)
    decision = _accept(summary)
    Outbox(store).record(decision, OFFICER)
    down = dead_url()
    with source_for(down, keyring_backend=remembering(down), max_retries=1) as source:
        [failed] = Sender(source, store, backoff=timedelta(seconds=1)).send_pending()

    assert failed.state is OutboxState.PENDING and failed.next_attempt_at is not None
    with source_for(server_url, keyring_backend=remembering(server_url)) as source:
        [sent] = Sender(source, store).send_pending(failed.next_attempt_at)

    assert sent.state is OutboxState.SENT
    assert len(_recorded_for(Trainer(server_url), summary.code)) == 1


def test_a_500_waits_for_the_next_round_but_a_503_burst_is_ridden_out(
    server_url: str, store: Store
) -> None:
    trainer = Trainer(server_url)
    summary = _awaiting(server_url)
    Outbox(store).record(_accept(summary), OFFICER)
    with source_for(server_url, keyring_backend=remembering(server_url)) as source:
        sender = Sender(source, store, backoff=timedelta(seconds=1))
        trainer.faults(status_burst={"code": 500, "count": 1, "path_prefix": "/api/v1/dossiers"})
        [first] = sender.send_pending()
        trainer.faults(status_burst={"code": 503, "count": 2, "path_prefix": "/api/v1/dossiers"})
        assert first.next_attempt_at is not None
        [second] = sender.send_pending(first.next_attempt_at)

    assert first.state is OutboxState.PENDING and "500" in (first.error or "")
    assert second.state is OutboxState.SENT
    assert len(_recorded_for(trainer, summary.code)) == 1


def test_an_invalid_decision_is_rejected_with_the_servers_reasons(
    server_url: str, store: Store
) -> None:
    summary = _awaiting(server_url)
    Outbox(store).record(
        DecisionRequest(summary.code, summary.version, DecisionKind.REQUEST_SUPPLEMENT), OFFICER
    )
    with source_for(server_url, keyring_backend=remembering(server_url)) as source:
        [result] = Sender(source, store).send_pending()

    assert result.state is OutboxState.REJECTED
    assert result.fields
    assert Outbox(store).pending_count() == 0
    assert _recorded_for(Trainer(server_url), summary.code) == []


# -- crashes --------------------------------------------------------------------------------

APP_SIDE = """
import json, sys, time
from datetime import timedelta
from pathlib import Path

from intake_desktop.clock import vn_today
from intake_desktop.domain import DecisionKind
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest
from intake_desktop.store import open_store

mode, database, url, code, version = sys.argv[1:6]
password = sys.stdin.readline().strip()
store = open_store(Path(database))
if mode.startswith("record"):
    decision = DecisionRequest(
        code, int(version), DecisionKind.ACCEPT, appointment_date=vn_today() + timedelta(days=14)
    )
    Outbox(store).record(decision, "canbo01")
    print("RECORDED", flush=True)
    if mode == "record":
        time.sleep(60)  # killed here, before any send
with HttpDossierSource(url, "canbo01", credentials=CredentialStore(), timeout=(1, 10)) as source:
    source.login(password)
    print("SENDING", flush=True)
    results = Sender(source, store).send_pending()
    print("RESULTS " + json.dumps([r.state.value for r in results]), flush=True)
store.close()
"""


def _app_side(
    tmp_path: Path, mode: str, url: str, summary: DossierSummary
) -> subprocess.Popen[str]:
    script = tmp_path / "app_side.py"
    script.write_text(APP_SIDE, encoding="utf-8")
    child = subprocess.Popen(
        [
            sys.executable,
            str(script),
            mode,
            str(tmp_path / "intake.sqlite3"),
            url,
            summary.code,
            str(summary.version),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert child.stdin is not None
    child.stdin.write(PASSWORD + "\n")  # not on the command line, where ps would show it
    child.stdin.close()
    return child


def _wait_for_line(child: subprocess.Popen[str], expected: str) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(expected):
            return
    pytest.fail(f"the app side ended before printing {expected}")


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.stdout is not None
    child.stdout.close()


def _restart_and_send(tmp_path: Path, url: str, summary: DossierSummary) -> list[str]:
    child = _app_side(tmp_path, "send", url, summary)
    assert child.stdout is not None
    with child.stdout:
        output = child.stdout.read()
    assert child.wait(timeout=30) == 0, output
    [line] = [line for line in output.splitlines() if line.startswith("RESULTS ")]
    states = json.loads(line[len("RESULTS ") :])
    assert isinstance(states, list)
    return [str(state) for state in states]


def _state(tmp_path: Path, summary: DossierSummary) -> OutboxState:
    with open_store(tmp_path / "intake.sqlite3") as store:
        return Outbox(store).states_by_dossier()[summary.code]


def test_killed_after_recording_and_before_sending_the_decision_is_sent_once_on_restart(
    server_url: str, tmp_path: Path
) -> None:
    trainer = Trainer(server_url)
    summary = _awaiting(server_url)
    child = _app_side(tmp_path, "record", server_url, summary)
    _wait_for_line(child, "RECORDED")
    _kill(child)

    assert _state(tmp_path, summary) is OutboxState.PENDING
    assert _recorded_for(trainer, summary.code) == []
    assert _restart_and_send(tmp_path, server_url, summary) == ["sent"]
    assert len(_recorded_for(trainer, summary.code)) == 1
    assert _state(tmp_path, summary) is OutboxState.SENT


def test_killed_while_the_decision_is_in_flight_the_restart_sends_it_again_harmlessly(
    server_url: str, tmp_path: Path
) -> None:
    trainer = Trainer(server_url)
    summary = _awaiting(server_url)
    trainer.faults(delay_seconds=1.0)
    child = _app_side(tmp_path, "record-and-send", server_url, summary)
    _wait_for_line(child, "SENDING")
    deadline = time.monotonic() + 10
    while _state(tmp_path, summary) is not OutboxState.SENDING:
        assert time.monotonic() < deadline, "the decision never went out"
        time.sleep(0.02)
    time.sleep(0.3)  # the request is on the wire, the server is sitting on it
    _kill(child)
    assert _state(tmp_path, summary) is OutboxState.SENDING

    # The killed attempt still lands on the server; then the app restarts and resends.
    deadline = time.monotonic() + 10
    while not _recorded_for(trainer, summary.code):
        assert time.monotonic() < deadline, "the in-flight decision never reached the server"
        time.sleep(0.1)
    trainer.clear_faults()
    assert _restart_and_send(tmp_path, server_url, summary) == ["sent"]

    assert len(_recorded_for(trainer, summary.code)) == 1
    assert _state(tmp_path, summary) is OutboxState.SENT
