"""The outbox keeps every decision until the server has answered it.

Delivery is exercised over real HTTP against the scripted loopback server of
``test_http_source_misbehaving`` (round trips against the training server, and crashes, are in
``test_outbox_training_server.py``).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_http_source_misbehaving import PASSWORD, TOKEN, MemoryKeyring, Reply, ScriptedServer

from intake_desktop.clock import vn_today
from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.outbox import DecisionAlreadyQueued, Outbox, Sender
from intake_desktop.services.source import DecisionRequest, VerdictSnapshot
from intake_desktop.store import Store, audit, open_store
from intake_desktop.store.errors import AuditDetailsError

CODE = "000.00.53.H48-261120-0007"
PATH = f"/api/v1/dossiers/{CODE}/decisions"
T0 = datetime.now(UTC) + timedelta(minutes=1)  # "now" for the sender: after any recording


@pytest.fixture(autouse=True)
def _fresh_now() -> None:
    """T0 a minute after this test starts (not after collection: a full run takes minutes)."""
    global T0
    T0 = datetime.now(UTC) + timedelta(minutes=1)


def _accept(code: str = CODE) -> DecisionRequest:
    return DecisionRequest(
        dossier_code=code,
        dossier_version=1,
        kind=DecisionKind.ACCEPT,
        appointment_date=vn_today() + timedelta(days=7),
        verdict_snapshot=(VerdictSnapshot("f-1", "ab" * 32, "valid", ("048190001234",)),),
    )


def _receipt(decision: DecisionRequest) -> dict[str, object]:
    return {
        "decision_id": decision.decision_id,
        "dossier_code": decision.dossier_code,
        "kind": "accept",
        "status": "accepted",
        "national_status_code": 2,
        "version": 2,
        "recorded_at": "2026-11-20T08:15:00+07:00",
        "officer": "canbo01",
    }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        running.on("POST", "/api/v1/auth/token", Reply(200, TOKEN))
        yield running


def _source(url: str, keyring_backend: MemoryKeyring | None = None) -> HttpDossierSource:
    return HttpDossierSource(
        url,
        "canbo01",
        credentials=CredentialStore(keyring_backend or MemoryKeyring()),
        timeout=(0.5, 0.5),
        backoff=0.01,
        max_retries=1,
    )


def test_recording_writes_the_decision_and_its_audit_entry_before_any_network(
    store: Store,
) -> None:
    outbox = Outbox(store)
    decision = _accept()

    decision_id = outbox.record(decision, "canbo01")

    item = outbox.get(decision_id)
    assert item is not None and item.decision == decision
    assert (item.state, item.attempts, item.officer) == (OutboxState.PENDING, 0, "canbo01")
    [entry] = audit.entries(store, subject=CODE)
    assert (entry.actor, entry.action) == ("canbo01", "decision.recorded")
    assert entry.details["decision_id"] == decision_id
    assert entry.details["verdict_snapshot"][0]["verdict"] == "valid"
    assert audit.verify_chain(store) is None
    assert outbox.pending_count() == 1
    assert outbox.states_by_dossier() == {CODE: OutboxState.PENDING}


def test_a_second_decision_waits_until_the_first_is_answered(store: Store) -> None:
    outbox = Outbox(store)
    first = _accept()
    outbox.record(first, "canbo01")

    assert outbox.record(first, "canbo01") == first.decision_id  # same decision: harmless
    with pytest.raises(DecisionAlreadyQueued):
        outbox.record(_accept(), "canbo02")
    assert len(audit.entries(store)) == 1
    assert outbox.pending_count() == 1


def test_when_the_audit_entry_cannot_be_written_no_decision_is_stored(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_append(*args: object, **kwargs: object) -> None:
        raise AuditDetailsError("disk says no")

    monkeypatch.setattr(audit, "append", broken_append)
    with pytest.raises(AuditDetailsError):
        Outbox(store).record(_accept(), "canbo01")

    assert Outbox(store).pending_count() == 0


def test_an_unreachable_server_keeps_the_decision_and_backs_off_exponentially(
    store: Store, server: ScriptedServer
) -> None:
    decision = _accept()
    Outbox(store).record(decision, "canbo01")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    remembered = MemoryKeyring()
    CredentialStore(remembered).save(dead_url, "canbo01", PASSWORD)
    with _source(dead_url, remembered) as dead:  # signs in on its own: fails to connect
        sender = Sender(
            dead, store, backoff=timedelta(seconds=10), max_backoff=timedelta(seconds=30)
        )
        waits = []
        now = T0
        for _ in range(4):
            [result] = sender.send_pending(now)
            assert result.state is OutboxState.PENDING and result.next_attempt_at is not None
            waits.append(result.next_attempt_at - now)
            assert sender.send_pending(now) == []  # not due yet
            now = result.next_attempt_at

    assert waits == [timedelta(seconds=s) for s in (10, 20, 30, 30)]
    item = Outbox(store).get(decision.decision_id)
    assert item is not None and item.attempts == 4 and "unreachable" in (item.last_error or "")

    server.on("POST", PATH, Reply(201, _receipt(decision)))
    with _source(server.url) as alive:
        alive.login(PASSWORD)
        [result] = Sender(alive, store).send_pending(now)

    assert result.state is OutboxState.SENT and result.receipt is not None
    assert result.receipt.status is DossierStatus.ACCEPTED
    assert Outbox(store).pending_count() == 0
    assert [e.action for e in audit.entries(store)] == ["decision.sent", "decision.recorded"]


def test_a_retry_after_longer_than_the_backoff_is_honoured(
    store: Store, server: ScriptedServer
) -> None:
    Outbox(store).record(_accept(), "canbo01")
    server.on("POST", PATH, Reply(503, {"error": "x", "message": "later"}, {"Retry-After": "90"}))
    with _source(server.url) as source:
        source.login(PASSWORD)
        [result] = Sender(source, store, backoff=timedelta(seconds=5)).send_pending(T0)

    assert result.state is OutboxState.PENDING
    assert result.next_attempt_at == T0 + timedelta(seconds=90)


def test_a_500_is_not_retried_at_once_but_later(store: Store, server: ScriptedServer) -> None:
    decision = _accept()
    Outbox(store).record(decision, "canbo01")
    server.on(
        "POST",
        PATH,
        Reply(500, {"error": "server_error", "message": "bug"}),
        Reply(201, _receipt(decision)),
    )
    with _source(server.url) as source:
        source.login(PASSWORD)
        sender = Sender(source, store, backoff=timedelta(seconds=5))
        [first] = sender.send_pending(T0)
        [second] = sender.send_pending(T0 + timedelta(seconds=5))

    assert first.state is OutboxState.PENDING and "500" in (first.error or "")
    assert second.state is OutboxState.SENT
    assert server.count("POST", PATH) == 2


def test_an_expired_sign_in_keeps_the_decision_pending_and_says_so(
    store: Store, server: ScriptedServer
) -> None:
    decision = _accept()
    Outbox(store).record(decision, "canbo01")
    server.on("POST", PATH, Reply(401, {"error": "unauthorized", "message": "expired"}))
    with _source(server.url) as source:
        source.login(PASSWORD)
        [result] = Sender(source, store).send_pending(T0)

    assert result.state is OutboxState.PENDING and result.needs_sign_in
    assert result.next_attempt_at == T0  # due again as soon as the officer signs in
    item = Outbox(store).get(decision.decision_id)
    assert item is not None and item.attempts == 0
    assert "sign-in needed" in (item.last_error or "")


def test_a_dossier_unknown_to_the_server_is_rejected_for_good(
    store: Store, server: ScriptedServer
) -> None:
    Outbox(store).record(_accept(), "canbo01")
    server.on("POST", PATH, Reply(404, {"error": "not_found", "message": "no such dossier"}))
    with _source(server.url) as source:
        source.login(PASSWORD)
        [result] = Sender(source, store).send_pending(T0)
        assert Sender(source, store).send_pending(T0 + timedelta(days=1)) == []

    assert result.state is OutboxState.REJECTED
    assert Outbox(store).states_by_dossier() == {CODE: OutboxState.REJECTED}
    assert audit.entries(store)[0].action == "decision.rejected"


def test_the_sender_stops_at_the_first_unreachable_attempt(
    store: Store, server: ScriptedServer
) -> None:
    outbox = Outbox(store)
    for n in range(3):
        outbox.record(_accept(f"{CODE}-{n}"), "canbo01")
    busy = Reply(503, {"error": "x", "message": "m"})
    server.on("POST", f"/api/v1/dossiers/{CODE}-0/decisions", busy)
    with _source(server.url) as source:
        source.login(PASSWORD)
        results = Sender(source, store).send_pending(T0)

    assert [r.dossier_code for r in results] == [f"{CODE}-0"]
    assert outbox.pending_count() == 3
    assert {i.attempts for i in outbox.items()} == {1, 0}
