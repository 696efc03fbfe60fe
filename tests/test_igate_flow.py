"""The whole officer flow against both systems the desk can talk to, with the same test code.

Each test runs twice: against the training server speaking the app's own contract, and
against its VNPT iGate imitation (``serve --flavor igate``), through the adapter the
"Loại hệ thống" setting picks. Sign in → sync → download → verify → decide → the server
shows the decision, exactly once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from test_credentials import MemoryKeyring

from intake_desktop.clock import VN_TZ
from intake_desktop.demo.dossiers import demo_trust
from intake_desktop.domain import DecisionKind, DossierStatus, DownloadState, OutboxState
from intake_desktop.server.seed import DataDir
from intake_desktop.server.testing import ServerHandle, running_server
from intake_desktop.services.adapters import RemoteSource, SourceSettings, SystemKind, make_source
from intake_desktop.services.adapters.igate import DEFAULT_CLIENT_ID, DEFAULT_REALM
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.signatures import inspect_pdf
from intake_desktop.services.source import (
    AuthenticationFailed,
    DecisionConflict,
    DecisionRequest,
    DossierSummary,
)
from intake_desktop.services.sync import Synchronizer, SyncPhase, SyncProgress
from intake_desktop.store import Store, open_store
from intake_desktop.store.dossiers import cached_attachments, get_dossier, list_dossiers

PASSWORD = "matkhau123"
OFFICER = "canbo01"
TRAINER = "giangvien"
FLAVORS = {"contract": SystemKind.INTAKE, "igate": SystemKind.IGATE}


@dataclass
class System:
    """A running server of one flavor, and how the app and the trainer reach it."""

    flavor: str
    server: ServerHandle
    _trainer_token: str | None = None

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def kind(self) -> SystemKind:
        return FLAVORS[self.flavor]

    def source(
        self, username: str = OFFICER, *, remember: bool = True, **options: Any
    ) -> RemoteSource:
        """The adapter the settings would build, with test-sized timeouts and backoff."""
        backend = MemoryKeyring()
        if remember:
            CredentialStore(backend).save(self.url, username, PASSWORD)
        settings = SourceSettings(self.kind, self.url, username)
        source = make_source(settings, CredentialStore(backend))
        # Test-sized transport settings on the built adapter (same for both flavors).
        source._timeout = options.get("timeout", (0.5, 2.0))  # type: ignore[attr-defined]
        source._backoff = 0.02  # type: ignore[attr-defined]
        source._max_retries = options.get("max_retries", 3)  # type: ignore[attr-defined]
        return source

    def _headers(self) -> dict[str, str]:
        if self._trainer_token is None:
            if self.flavor == "igate":
                answer = requests.post(
                    f"{self.url}/auth/realms/{DEFAULT_REALM}/protocol/openid-connect/token",
                    data={
                        "grant_type": "password",
                        "client_id": DEFAULT_CLIENT_ID,
                        "username": TRAINER,
                        "password": PASSWORD,
                    },
                    timeout=5,
                )
            else:
                answer = requests.post(
                    f"{self.url}/api/v1/auth/token",
                    json={"username": TRAINER, "password": PASSWORD},
                    timeout=5,
                )
            answer.raise_for_status()
            self._trainer_token = answer.json()["access_token"]
        return {"Authorization": f"Bearer {self._trainer_token}"}

    def faults(self, **faults: Any) -> None:
        answer = requests.post(
            f"{self.url}/api/v1/_training/faults", json=faults, headers=self._headers(), timeout=5
        )
        answer.raise_for_status()

    def clear_faults(self) -> None:
        requests.delete(
            f"{self.url}/api/v1/_training/faults", headers=self._headers(), timeout=5
        ).raise_for_status()

    def decisions_for(self, code: str) -> list[dict[str, Any]]:
        return [d for d in self.server.decisions() if d["dossier_code"] == code]

    def shows(self, decision: DecisionRequest, recorded: dict[str, Any]) -> bool:
        """Whether the server's record is ``decision`` (by key, or by iGate's comment tag)."""
        if self.flavor == "igate":
            return decision.decision_id in str(recorded["officer_note"])
        return bool(recorded["decision_id"] == decision.decision_id)


@pytest.fixture(params=sorted(FLAVORS))
def system(request: pytest.FixtureRequest) -> Iterator[System]:
    with running_server(dossiers=6, seed=5, flavor=request.param) as server:
        yield System(request.param, server)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _awaiting(system: System) -> DossierSummary:
    with system.source() as source:
        source.login()
        page = source.list_dossiers(status=DossierStatus.AWAITING_INTAKE, limit=50)
        return page.items[0]


def _accept(summary: DossierSummary) -> DecisionRequest:
    return DecisionRequest(
        summary.code,
        summary.version,
        DecisionKind.ACCEPT,
        appointment_date=summary.submitted_at.astimezone(VN_TZ).date() + timedelta(days=14),
    )


def test_an_officer_signs_in_syncs_verifies_and_accepts_and_the_server_shows_it(
    system: System, store: Store, tmp_path: Path
) -> None:
    with system.source() as source:
        officer = source.login(PASSWORD)
        first = Synchronizer(source, store, tmp_path / "cache").sync()
        awaiting = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])
        files = [c for d in awaiting for c in cached_attachments(store, d.code)]
        reports = [inspect_pdf(c.cache_path, demo_trust()) for c in files if c.cache_path]
        dossier = get_dossier(store, awaiting[0].code)
        assert dossier is not None
        decision = DecisionRequest(
            dossier.code,
            dossier.version,
            DecisionKind.ACCEPT,
            appointment_date=dossier.submitted_at.astimezone(VN_TZ).date() + timedelta(days=14),
            officer_note="Hồ sơ đầy đủ",
        )
        Outbox(store).record(decision, officer.username)
        [result] = Sender(source, store).send_pending()
        on_server = source.get_dossier(dossier.code)
        second = Synchronizer(source, store, tmp_path / "cache").sync()

    assert officer.username == OFFICER and officer.name
    assert first.dossiers_new == 6 and first.errors == () and first.attachments_failed == 0
    assert files and all(c.state is DownloadState.DONE for c in files)
    for cached in files:
        assert cached.cache_path is not None
        digest = hashlib.sha256(cached.cache_path.read_bytes()).hexdigest()
        assert DataDir(system.server.data_dir).file_path(digest).is_file()  # the server's bytes
        assert cached.attachment.size == cached.cache_path.stat().st_size
    assert len(reports) == len(files) and all(r.signatures or r.verdict for r in reports)
    assert any(r.signatures for r in reports)
    assert dossier.applicant.citizen_id and dossier.procedure_code.startswith(
        dossier.procedure_code[:7]
    )
    assert result.state is OutboxState.SENT and result.receipt is not None
    assert on_server.status is DossierStatus.ACCEPTED
    assert second.errors == ()
    local = get_dossier(store, dossier.code)
    assert local is not None and local.status is DossierStatus.ACCEPTED
    [recorded] = system.decisions_for(dossier.code)
    assert system.shows(decision, recorded)
    assert recorded["status"] == "accepted" and recorded["appointment_date"] == str(
        decision.appointment_date
    )


def test_an_attempt_that_timed_out_after_reaching_the_server_is_not_recorded_twice(
    system: System, store: Store
) -> None:
    summary = _awaiting(system)
    decision = _accept(summary)
    Outbox(store).record(decision, OFFICER)
    with system.source(timeout=(0.5, 0.3), max_retries=1) as source:
        source.login()
        system.faults(delay_seconds=0.6)
        [timed_out] = Sender(source, store).send_pending()
        time.sleep(0.8)  # let the server finish the slow requests
        system.clear_faults()
        assert timed_out.next_attempt_at is not None
        [sent] = Sender(source, store).send_pending(timed_out.next_attempt_at)

    assert timed_out.state is OutboxState.PENDING and "Timeout" in (timed_out.error or "")
    assert sent.state is OutboxState.SENT
    [recorded] = system.decisions_for(summary.code)
    assert system.shows(decision, recorded)


def test_a_decision_resent_after_it_got_through_records_nothing_new(system: System) -> None:
    summary = _awaiting(system)
    decision = _accept(summary)
    with system.source() as source:
        source.login()
        first = source.submit_decision(decision)
        again = source.submit_decision(decision)

    assert again.decision_id == first.decision_id == decision.decision_id
    assert again.status is first.status is DossierStatus.ACCEPTED
    assert len(system.decisions_for(summary.code)) == 1


@pytest.mark.sqlite_only  # each desk its own store file
def test_a_dossier_decided_by_a_colleague_first_ends_in_conflict(
    system: System, tmp_path: Path
) -> None:
    summary = _awaiting(system)
    with open_store(tmp_path / "a.sqlite3") as mine, open_store(tmp_path / "b.sqlite3") as theirs:
        Outbox(theirs).record(
            DecisionRequest(
                summary.code, summary.version, DecisionKind.REFUSE, reasons=("Sai thẩm quyền",)
            ),
            "canbo02",
        )
        Outbox(mine).record(_accept(summary), OFFICER)
        with system.source("canbo02") as source:
            [theirs_sent] = Sender(source, theirs).send_pending()
        with system.source() as source:
            [mine_sent] = Sender(source, mine).send_pending()
        states = Outbox(mine).states_by_dossier()

    assert states == {summary.code: OutboxState.CONFLICT}
    assert theirs_sent.state is OutboxState.SENT
    assert mine_sent.state is OutboxState.CONFLICT
    assert mine_sent.server_status is DossierStatus.REFUSED
    assert mine_sent.server_version is not None and mine_sent.server_version > summary.version
    assert len(system.decisions_for(summary.code)) == 1


def test_a_supplement_request_without_reasons_is_rejected_and_not_recorded(
    system: System, store: Store
) -> None:
    summary = _awaiting(system)
    Outbox(store).record(
        DecisionRequest(summary.code, summary.version, DecisionKind.REQUEST_SUPPLEMENT), OFFICER
    )
    with system.source() as source:
        [result] = Sender(source, store).send_pending()

    assert result.state is OutboxState.REJECTED and "reasons" in result.fields
    assert system.decisions_for(summary.code) == []


def test_a_supplement_request_reaches_the_server_with_its_national_code(system: System) -> None:
    summary = _awaiting(system)
    decision = DecisionRequest(
        summary.code,
        summary.version,
        DecisionKind.REQUEST_SUPPLEMENT,
        reasons=("Thiếu bản sao giấy chứng sinh",),
    )
    with system.source() as source:
        receipt = source.submit_decision(decision)
        shown = source.get_dossier(summary.code)

    assert receipt.status is shown.status is DossierStatus.SUPPLEMENT_REQUESTED
    assert shown.national_status_code == 5
    [recorded] = system.decisions_for(summary.code)
    assert "Thiếu bản sao giấy chứng sinh" in recorded["reasons"][0]


def test_a_session_that_expires_mid_sync_signs_in_again_once(
    system: System, store: Store, tmp_path: Path
) -> None:
    sign_ins: list[str] = []
    expired: list[SyncPhase] = []

    def expire_once(progress: SyncProgress) -> None:
        # Half-way: after the list, while the details (four at a time) are being fetched.
        if progress.phase is SyncPhase.DETAILS and progress.done == 1 and not expired:
            system.faults(expire_tokens=True)
            expired.append(progress.phase)

    with system.source() as source:
        request_token = source._request_token  # type: ignore[attr-defined]

        def counted(password: str) -> Any:
            sign_ins.append(password)
            return request_token(password)

        source._request_token = counted  # type: ignore[attr-defined]
        source.login()
        result = Synchronizer(source, store, tmp_path / "cache", progress=expire_once).sync()

    assert expired == [SyncPhase.DETAILS]
    assert result.errors == () and result.dossiers_new == 6 and result.attachments_failed == 0
    # Every request in flight got 401 at once; one new sign-in served them all.
    assert len(sign_ins) == 2


def test_without_a_remembered_password_an_expired_session_says_sign_in_again(
    system: System, store: Store, tmp_path: Path
) -> None:
    with system.source(remember=False) as source:
        source.login(PASSWORD)
        system.faults(expire_tokens=True)
        with pytest.raises(AuthenticationFailed, match="no password is remembered"):
            Synchronizer(source, store, tmp_path / "cache").sync()


def test_a_decision_on_a_version_the_server_no_longer_has_ends_in_conflict(
    system: System,
) -> None:
    summary = _awaiting(system)
    stale = _accept(summary)
    stale = DecisionRequest(
        stale.dossier_code, summary.version + 1, stale.kind, appointment_date=stale.appointment_date
    )
    with system.source() as source, pytest.raises(DecisionConflict) as raised:
        source.submit_decision(stale)

    assert raised.value.status is DossierStatus.AWAITING_INTAKE
    assert raised.value.version == summary.version
    assert system.decisions_for(summary.code) == []


def test_an_interrupted_download_is_finished_later_and_checked_against_the_declared_size(
    system: System, store: Store, tmp_path: Path
) -> None:
    # iGate sends no ETag (docs/adapters/igate.md): its partial file cannot be trusted and
    # the next pass starts that file again; the contract resumes with Range. Either way the
    # bytes kept are exactly the server's, of the size the dossier declares.
    with system.source() as source:
        source.login()
        system.faults(cut_download_after_bytes=1000)
        cut = Synchronizer(source, store, tmp_path / "cache").sync()
        system.clear_faults()
        healed = Synchronizer(source, store, tmp_path / "cache").sync()
        files = [
            c
            for d in list_dossiers(store, [DossierStatus.AWAITING_INTAKE])
            for c in cached_attachments(store, d.code)
        ]

    assert cut.attachments_failed > 0  # (a file under 1000 bytes gets through whole)
    assert all("interrupted" in issue.message for issue in cut.errors)
    assert healed.errors == () and healed.attachments_failed == 0
    assert files and all(c.state is DownloadState.DONE for c in files)
    for cached in files:
        assert cached.cache_path is not None
        data = cached.cache_path.read_bytes()
        assert len(data) == cached.attachment.size
        digest = hashlib.sha256(data).hexdigest()
        assert DataDir(system.server.data_dir).file_path(digest).is_file()
    assert not list((tmp_path / "cache" / "partial").glob("*.part"))
