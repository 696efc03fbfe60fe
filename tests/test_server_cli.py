"""A trainer runs ``intake-desktop serve``: a process of its own, its accounts, its reset.

The server runs as a child process here (as the app's crash tests need: it outlives what
they kill); the data folder is seeded beforehand from the session's template, so it starts
at once.
"""

from __future__ import annotations

import socket
import sqlite3
import uuid
from pathlib import Path

import pytest
from test_server_support import DOSSIERS, PASSWORD, SEED, TRAINER, Client, appointment_text

from intake_desktop import cli
from intake_desktop.server.seed import SEED_OFFICERS
from intake_desktop.server.testing import running_server, seeded_copy, server_process


def _accept_first(client: Client) -> str:
    code = client.all_summaries(status="awaiting_intake")[0]["code"]
    answer = client.post(
        f"/api/v1/dossiers/{code}/decisions",
        json={"dossier_version": 1, "kind": "accept", "appointment_date": appointment_text()},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 201, answer.text
    return str(code)


def test_serve_help_tells_the_trainer_how_to_run_and_reset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["serve", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--host", "--port", "--data", "--count", "--seed", "--reset", "--reset-only"):
        assert option in text
    assert "--token-ttl" in text and "--fault-injection" in text
    assert "/api/v1/_training/reset" in text and "matkhau123" in text


def test_the_server_runs_as_its_own_process_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    with server_process(tmp_path / "data", dossiers=DOSSIERS, seed=SEED, token_ttl=60) as child:
        assert child.url.startswith("http://127.0.0.1:")
        with Client(child.url) as officer:
            assert officer.token_document["expires_in"] == 60
            assert len(officer.all_summaries()) == DOSSIERS
            code = _accept_first(officer)
            token = officer.token_document["access_token"]
        with Client(child.url, TRAINER) as trainer:
            faults = trainer.post("/api/v1/_training/faults", json={"delay_seconds": 0})
        decided = child.decisions()
        exit_code = child.stop()

    assert faults.status_code == 200  # started with --fault-injection
    assert [d["dossier_code"] for d in decided] == [code]
    assert exit_code == 0
    assert "canbo01" in child.banner and "canbo30" in child.banner and TRAINER in child.banner
    assert "Nguyễn Thị Lan" in child.banner and PASSWORD in child.banner
    assert "giamsat" in child.banner and "[supervisor]" in child.banner
    log = child.log_path.read_text(encoding="utf-8")
    assert f"POST /api/v1/dossiers/{code}/decisions 201 " in log
    assert token not in log and "Bearer" not in log
    assert "Training server stopped." in log


def test_decisions_survive_the_server_being_killed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with server_process(data, dossiers=DOSSIERS, seed=SEED) as child:
        with Client(child.url) as officer:
            code = _accept_first(officer)
        child.kill()
    with server_process(data, dossiers=DOSSIERS, seed=SEED) as again, Client(again.url) as officer:
        status = officer.get(f"/api/v1/dossiers/{code}").json()["status"]
        decisions = again.decisions()
    with sqlite3.connect(data / "server.sqlite3") as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()
    connection.close()

    assert status == "accepted" and len(decisions) == 1
    assert integrity == ("ok",)


def test_reset_only_restores_the_seeded_dossiers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_copy(tmp_path, dossiers=DOSSIERS, seed=SEED)
    with running_server(tmp_path) as server, Client(server.url) as officer:
        code = _accept_first(officer)

    arguments = ["--data", str(tmp_path), "--count", str(DOSSIERS), "--seed", str(SEED)]
    assert cli.main(["serve", "--reset-only", *arguments]) == 0
    printed = capsys.readouterr().out

    with running_server(tmp_path) as server, Client(server.url) as officer:
        dossier = officer.get(f"/api/v1/dossiers/{code}").json()
        decisions = server.decisions()
    assert f"{DOSSIERS} demo dossiers (seed {SEED})" in printed
    assert (dossier["status"], dossier["version"]) == ("awaiting_intake", 1)
    assert decisions == []


def test_a_reset_keeps_the_seeded_history_of_other_officers_and_drops_the_rest(
    tmp_path: Path,
) -> None:
    seeded_copy(tmp_path, dossiers=DOSSIERS, seed=SEED, decided=2)
    with running_server(tmp_path) as server:
        seeded = server.decisions()
        with Client(server.url) as officer:
            _accept_first(officer)
        made = server.decisions()

    arguments = ["--data", str(tmp_path), "--count", str(DOSSIERS), "--seed", str(SEED)]
    assert cli.main(["serve", "--reset-only", *arguments, "--decided", "2"]) == 0

    with running_server(tmp_path) as server:
        kept = server.decisions()
    assert len(seeded) == 2 and {d["officer"] for d in seeded} <= set(SEED_OFFICERS)
    assert len(made) == 3
    assert [d["decision_id"] for d in kept] == [d["decision_id"] for d in seeded]


def test_a_port_in_use_is_reported_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = cli.main(["serve", "--port", str(port), "--data", str(tmp_path)])

    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    assert not (tmp_path / "server.sqlite3").exists()  # nothing seeded in vain


def test_a_data_folder_of_another_version_is_refused_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_copy(tmp_path, dossiers=DOSSIERS, seed=SEED)
    with sqlite3.connect(tmp_path / "server.sqlite3") as connection:
        connection.execute("DELETE FROM meta WHERE key = 'schema_version'")
    connection.close()

    code = cli.main(["serve", "--port", "0", "--data", str(tmp_path)])

    assert code == 2
    assert "start it with --reset" in capsys.readouterr().err
