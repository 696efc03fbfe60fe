"""Benchmark: the supervisor's audit at an office's year, 100,000 dossiers and 300,000 files.

Run by hand: ``.venv/bin/python bench/audit_bench.py [--dossiers 100000] [--first-sync 2000]``.
Everything is measured in one run, each figure beside a peer that does the same work with
plain ``requests`` + ``sqlite3`` + ``csv`` (no ORM, no domain objects):

* the training server (``intake-desktop serve``, a child process) holds ``--dossiers``
  dossiers of 3 files each, decided by 50 officers over a year (the 30 demo dossiers of the
  seed, copied with new codes and distinct file hashes, straight into its database: signing
  100,000 PDFs would take hours);
* **first office-wide sync** (``Desk.office_sync``, supervisor ``giamsat``) into an empty
  store for the first days of the year, ``--first-sync`` dossiers: through HTTP a full
  year is one request per dossier, too slow to run here (extrapolated, and said so);
* **incremental office-wide sync** of a store holding every dossier (filled to mirror the
  server, with the mark a complete pass leaves), after other officers decided 50 more
  dossiers; and once more with nothing changed;
* **audit rows load** (``load_rows``), **filter** (two filters, the worse counted),
  **CSV** and **XLSX** export of all rows.

Targets (issue 17): incremental sync <= 2 s, filter <= 200 ms, audit rows load <= 1 s for
300,000 files.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import insert, select

from intake_desktop.clock import vn_date
from intake_desktop.desk import Desk, DeskSettings
from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.server.accounts import SUPERVISOR_USERNAME
from intake_desktop.server.seed import DataDir
from intake_desktop.server.testing import seeded_copy, server_process
from intake_desktop.services.audit import AuditFilter, VerdictFilter, apply_filter, load_rows
from intake_desktop.services.audit.export import export_csv, export_xlsx
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.signatures import TrustStore
from intake_desktop.session import open_test_mode_session
from intake_desktop.sql_types import utc_text
from intake_desktop.store import Store, open_store
from intake_desktop.store import audit_summary as summary_store
from intake_desktop.store.models import (
    AttachmentRow,
    AuditVerdictRow,
    ComponentRow,
    DecisionRow,
    DossierRow,
    SignatureReportRow,
)
from intake_desktop.store.sync_state import set_high_water_mark

PASSWORD = "matkhau123"
OFFICERS = [f"canbo{n:02d}" for n in range(1, 51)]
SEED, SEEDED, DECIDED = 5, 30, 20
CHANGED = 50
"""Dossiers other officers decide between the supervisor's two syncs."""
DOUBTFUL = ("invalid", "indeterminate", "error")


# The server: the seed's dossiers copied into its database. -------------------------------


@dataclass
class Year:
    """What the server holds: the unit's dossiers submitted from ``first`` to ``last``."""

    first: date
    last: date
    first_days: date
    """The last day of the first ``--first-sync`` dossiers."""
    undecided: list[int]
    """Server ids of dossiers nobody decided yet."""
    report_of: dict[str, int]
    """A copied file's template report (index into :attr:`Reports.items`)."""


def grow_server(database: Path, total: int, first_sync: int, now: datetime) -> Year:
    """Copy the seeded dossiers until the server holds ``total``, three files each, one
    decision for nine in ten (50 officers), submissions spread over the year before ``now``."""
    db = sqlite3.connect(database)
    db.row_factory = sqlite3.Row
    dossiers = [dict(r) for r in db.execute("SELECT * FROM dossiers ORDER BY id")]
    parts: dict[int, list[dict[str, Any]]] = {}
    for r in db.execute("SELECT * FROM components ORDER BY dossier_id, position"):
        parts.setdefault(r["dossier_id"], []).append(dict(r))
    files: dict[int, list[dict[str, Any]]] = {}
    for r in db.execute("SELECT * FROM attachments ORDER BY component_id, position"):
        files.setdefault(r["component_id"], []).append(dict(r))
    template_decision = dict(db.execute("SELECT * FROM decisions LIMIT 1").fetchone())
    officer = dict(db.execute("SELECT * FROM officers WHERE username = 'canbo01'").fetchone())
    known = {r[0] for r in db.execute("SELECT username FROM officers")}
    for name in OFFICERS:
        if name not in known:
            db.execute(
                _insert_sql("officers", officer),
                {**officer, "username": name, "name": f"Cán bộ {name[-2:]}"},
            )
    # Three components with one file each: the brief's 300,000 files for 100,000 dossiers.
    shapes = []
    for d in dossiers:
        with_files = [(c, files[c["id"]][0]) for c in parts.get(d["id"], []) if c["id"] in files]
        if with_files:
            shapes.append((d, [(with_files * 3)[n] for n in range(3)]))
    next_dossier = max(d["id"] for d in dossiers) + 1
    next_component = 10_000_000
    copies = total - len(dossiers)
    start = now - timedelta(days=366)
    step = timedelta(days=365) / max(copies, 1)
    kinds = list(DecisionKind)
    rows: dict[str, list[dict[str, Any]]] = {"dossiers": [], "components": [], "attachments": []}
    rows["decisions"] = []
    undecided = []
    report_of: dict[str, int] = {}
    for i in range(copies):
        template, triple = shapes[i % len(shapes)]
        submitted = start + step * i
        decided = i % 10 != 9
        kind = kinds[i % 3]
        recorded = submitted + timedelta(hours=2)
        code = f"{template['code'][:-4]}9{i:06d}"
        rows["dossiers"].append(
            {
                **template,
                "id": next_dossier,
                "code": code,
                "submitted_at": utc_text(submitted),
                "updated_at": utc_text(recorded if decided else submitted),
                "status": kind.resulting_status.value if decided else "awaiting_intake",
                "national_status_code": (
                    kind.resulting_status.national_code
                    if decided
                    else DossierStatus.AWAITING_INTAKE.national_code
                ),
                "version": 2 if decided else 1,
            }
        )
        snapshot: list[dict[str, Any]] = []
        for position, (component, attachment) in enumerate(triple):
            sha = f"{i:08x}{position:02x}" + attachment["sha256"][10:]
            remote = f"{attachment['id'][:80]}-{i}-{position}"
            rows["components"].append(
                {
                    **component,
                    "id": next_component,
                    "dossier_id": next_dossier,
                    "position": position,
                }
            )
            rows["attachments"].append(
                {
                    **attachment,
                    "id": remote,
                    "component_id": next_component,
                    "sha256": sha,
                    "position": 0,
                }
            )
            # One decision in a hundred was made on a file the server no longer holds.
            seen = "f" * 64 if i % 100 == 0 and position == 0 else sha
            report_of[remote] = (i * 3 + position) % len(_TEMPLATE_VERDICTS)
            snapshot.append(
                {"attachment_id": remote, "sha256": seen,
                 "verdict": _TEMPLATE_VERDICTS[report_of[remote]],
                 "signer_citizen_ids": []}
            )  # fmt: skip
            next_component += 1
        if decided:
            rows["decisions"].append(
                {
                    **template_decision,
                    "decision_id": str(uuid.UUID(int=(1 << 64) + i)),
                    "dossier_id": next_dossier,
                    "officer": OFFICERS[i % len(OFFICERS)],
                    "kind": kind.value,
                    "dossier_version": 1,
                    "reasons_json": "[]",
                    "components_json": "[]",
                    "appointment_date": None,
                    "officer_note": "",
                    "verdict_snapshot_json": json.dumps(snapshot),
                    "recorded_at": utc_text(recorded),
                }
            )
        else:
            undecided.append(next_dossier)
        next_dossier += 1
    for table, batch in rows.items():
        if batch:
            db.executemany(_insert_sql(table, batch[0]), batch)
    db.commit()
    db.close()
    first_days = vn_date(start + step * max(first_sync - 1, 0))
    return Year(vn_date(start), vn_date(now), first_days, undecided, report_of)


_TEMPLATE_VERDICTS: list[str] = []
"""The verdicts of the validated demo files, in :attr:`Reports.items` order."""


def _insert_sql(table: str, row: dict[str, Any]) -> str:
    names = ", ".join(row)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"


def decide_more(database: Path, ids: list[int], now: datetime) -> None:
    """Other officers decide these dossiers now (what the incremental sync must bring)."""
    db = sqlite3.connect(database)
    template = db.execute("SELECT receipt_json FROM decisions LIMIT 1").fetchone()[0]
    at = utc_text(now)
    for n, dossier_id in enumerate(ids):
        db.execute(
            "UPDATE dossiers SET status = 'accepted', national_status_code = 2, version = 2,"
            " updated_at = ? WHERE id = ?",
            (at, dossier_id),
        )
        db.execute(
            "INSERT INTO decisions (decision_id, dossier_id, officer, kind, dossier_version,"
            " reasons_json, components_json, appointment_date, officer_note,"
            " verdict_snapshot_json, recorded_at, receipt_json)"
            " VALUES (?, ?, ?, 'accept', 1, '[]', '[]', NULL, '', '[]', ?, ?)",
            (str(uuid.UUID(int=(2 << 64) + n)), dossier_id, OFFICERS[n % 50], at, template),
        )
    db.commit()
    db.close()


# The desk's store: what a complete office-wide sync of the year leaves. ------------------


@dataclass
class Reports:
    trust: TrustStore
    key: tuple[str, str, str]
    """trust version, engine version, options"""
    items: list[tuple[str, str, str]]
    """(verdict, report JSON, the template file's sha256)"""


def validated_demo_reports(home: Path) -> Reports:
    """The 30 test-mode demo dossiers synced and validated for real: their reports."""
    session = open_test_mode_session(DeskSettings(test_mode=True), home=home)
    try:
        started = time.perf_counter()
        session.desk.sync()
        session.desk.check_signatures()
        print(f"30 demo dossiers synced and validated in {time.perf_counter() - started:.1f} s")
        with session.store.session() as s:
            found = s.scalars(select(SignatureReportRow).order_by(SignatureReportRow.id)).all()
            items = [(r.verdict, r.report_json, r.sha256) for r in found]
            key = (found[0].trust_version, found[0].engine_version, found[0].options)
        return Reports(session.desk.trust, key, items)
    finally:
        session.close()


def mirror_store(store: Store, server_db: Path, reports: Reports, year: Year, source: str) -> None:
    """Fill ``store`` with what the server holds, as a complete sync leaves it, plus one
    cached report a file; then the audit summary as the migration would backfill it."""
    db = sqlite3.connect(server_db)
    now = datetime.now(UTC)
    names = dict(db.execute("SELECT username, name FROM officers"))
    dossier_rows, component_rows, attachment_rows, decision_rows = [], [], [], []
    report_rows, verdict_rows = [], []
    facts = [summary_store.report_facts(text) for _, text, _ in reports.items]
    by_server_id: dict[int, int] = {}
    reported: set[str] = set()
    checked_at: dict[str, datetime] = {}
    for n, row in enumerate(
        db.execute(
            "SELECT id, code, procedure_code, procedure_name, status, national_status_code,"
            " version, applicant_name, applicant_citizen_id, applicant_birth_date,"
            " applicant_phone, applicant_email, applicant_address, submitted_at FROM dossiers"
        ),
        start=1,
    ):
        by_server_id[row[0]] = n
        dossier_rows.append(
            {"id": n, "code": row[1], "procedure_code": row[2], "procedure_name": row[3],
             "status": row[4], "national_status_code": row[5], "raw_status": None,
             "version": row[6], "applicant_name": row[7], "applicant_citizen_id": row[8],
             "applicant_birth_date": date.fromisoformat(row[9]) if row[9] else None,
             "applicant_phone": row[10], "applicant_email": row[11],
             "applicant_address": row[12], "submitted_at": datetime.fromisoformat(row[13]),
             "updated_at": now, "synced_at": now, "source": source, "raw_json": None}
        )  # fmt: skip
    for component_id, dossier_id, position, spec, name, kind in db.execute(
        "SELECT id, dossier_id, position, spec_code, name, copy_kind FROM components"
    ):
        component_rows.append(
            {"id": component_id, "dossier_id": by_server_id[dossier_id], "position": position,
             "spec_code": spec, "name": name, "copy_kind": kind}
        )  # fmt: skip
    for k, (remote, component_id, name, media, size, sha) in enumerate(
        db.execute(
            "SELECT id, component_id, file_name, media_type, size, sha256 FROM attachments"
            " ORDER BY component_id, position"
        )
    ):
        attachment_rows.append(
            {"component_id": component_id, "remote_id": remote, "file_name": name,
             "media_type": media, "size": size, "sha256": sha, "cache_path": None,
             "download_state": "pending", "error": None, "updated_at": now}
        )  # fmt: skip
        # A copy's report has the verdict its decision's snapshot names (see grow_server).
        verdict, text, old_sha = reports.items[year.report_of.get(remote, k % len(reports.items))]
        if sha in reported:
            continue  # the same bytes in two dossiers: one report
        reported.add(sha)
        # Each report made at a time of its own, as the desk's checks make them.
        checked_at[sha] = now - timedelta(microseconds=len(checked_at))
        report_rows.append(
            {"sha256": sha, "trust_version": reports.key[0], "engine_version": reports.key[1],
             "options": reports.key[2], "verdict": verdict, "created_at": checked_at[sha],
             "report_json": text.replace(old_sha, sha)}
        )  # fmt: skip
        verdict_rows.append((sha, verdict, text))
    fact_of = {text: fact for (_, text, _), fact in zip(reports.items, facts, strict=True)}
    verdict_dicts = []
    for sha, verdict, text in verdict_rows:
        fact = fact_of[text]
        values = {
            "sha256": sha,
            "trust_version": reports.key[0],
            "engine_version": reports.key[1],
            "options": reports.key[2],
            "verdict": verdict,
            "checked_at": checked_at[sha],
            "signers": summary_store.encode(fact.signers),
            "signer_ids": summary_store.encode(fact.signer_ids),
            "providers": summary_store.encode(fact.providers),
            "problems": summary_store.encode(fact.problems),
        }
        verdict_dicts.append({**values, "record": summary_store.verdict_record(values)})
    for (
        decision_id,
        dossier_id,
        officer,
        kind,
        version,
        reasons,
        parts,
        appointment,
        snapshot,
        at,
    ) in db.execute(
        "SELECT decision_id, dossier_id, officer, kind, dossier_version, reasons_json,"
        " components_json, appointment_date, verdict_snapshot_json, recorded_at FROM decisions"
    ):
        code = dossier_rows[by_server_id[dossier_id] - 1]["code"]
        recorded = datetime.fromisoformat(at)
        decision_rows.append(
            {"uuid": decision_id.lower(), "dossier_code": code, "kind": kind,
             "reasons_json": reasons, "components_json": parts,
             "appointment_date": date.fromisoformat(appointment) if appointment else None,
             "officer_note": "", "verdict_snapshot_json": snapshot, "dossier_version": version,
             "national_status_code": DecisionKind(kind).resulting_status.national_code,
             "state": "sent", "attempts": 0, "next_attempt_at": None, "last_error": None,
             "server_receipt_json": None, "created_at": recorded, "sent_at": recorded,
             "officer": officer, "origin": "server", "officer_name": names.get(officer),
             "recorded_at": recorded}
        )  # fmt: skip
    db.close()
    started = time.perf_counter()
    with store.session() as s:
        for table, batch in (
            (DossierRow, dossier_rows),
            (ComponentRow, component_rows),
            (AttachmentRow, attachment_rows),
            (SignatureReportRow, report_rows),
            (AuditVerdictRow, verdict_dicts),
            (DecisionRow, decision_rows),
        ):
            for at in range(0, len(batch), 10_000):
                s.execute(insert(table), batch[at : at + 10_000])
    filled = time.perf_counter() - started
    started = time.perf_counter()
    with store.session() as s:
        summary_store.rebuild(s)
    print(
        f"desk store filled like a complete office sync: {len(dossier_rows)} dossiers, "
        f"{len(attachment_rows)} files, {len(decision_rows)} decisions in {filled:.1f} s; "
        f"audit summary built in {time.perf_counter() - started:.1f} s"
    )


# Timing and the peers. -------------------------------------------------------------------


def timed(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def once(work: Callable[[], object]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


class PeerSync:
    """``requests`` + ``sqlite3``: list the unit's changed dossiers, fetch each, upsert."""

    def __init__(self, url: str, database: Path) -> None:
        self.url = url
        self.http = requests.Session()
        answer = self.http.post(
            f"{url}/api/v1/auth/token",
            json={"username": SUPERVISOR_USERNAME, "password": PASSWORD},
            timeout=30,
        )
        answer.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        self.db = sqlite3.connect(database)
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS dossiers (code TEXT PRIMARY KEY, version INTEGER,"
            " submitted_at TEXT, applicant TEXT, procedure_name TEXT);"
            "CREATE TABLE IF NOT EXISTS files (dossier_code TEXT, id TEXT, file_name TEXT,"
            " sha256 TEXT, PRIMARY KEY (dossier_code, id));"
            "CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, dossier_code TEXT,"
            " kind TEXT, officer TEXT, recorded_at TEXT, snapshot TEXT);"
            "CREATE TABLE IF NOT EXISTS marks (key TEXT PRIMARY KEY, at TEXT);"
        )

    def fill_from(self, server_db: Path) -> None:
        """Hold what the server holds (the peer's 'complete first pass')."""
        self.db.execute("ATTACH DATABASE ? AS server", (str(server_db),))
        self.db.executescript(
            "INSERT OR REPLACE INTO dossiers SELECT code, version, submitted_at,"
            " applicant_name, procedure_name FROM server.dossiers;"
            "INSERT OR REPLACE INTO files SELECT d.code, a.id, a.file_name, a.sha256"
            " FROM server.dossiers d JOIN server.components c ON c.dossier_id = d.id"
            " JOIN server.attachments a ON a.component_id = c.id;"
            "INSERT OR REPLACE INTO decisions SELECT x.decision_id, d.code, x.kind, x.officer,"
            " x.recorded_at, x.verdict_snapshot_json FROM server.decisions x"
            " JOIN server.dossiers d ON d.id = x.dossier_id;"
        )
        self.db.commit()
        self.db.execute("DETACH DATABASE server")

    def sync(self, first: date, last: date, since: str | None) -> tuple[int, str]:
        params = {"limit": "500", "submitted_from": first.isoformat(),
                  "submitted_to": last.isoformat()}  # fmt: skip
        if since:
            params["updated_since"] = since
        changed, server_time, cursor = [], None, None
        while True:
            page = self.http.get(
                f"{self.url}/api/v1/dossiers",
                params={**params, **({"cursor": cursor} if cursor else {})},
                timeout=60,
            )
            page.raise_for_status()
            body = page.json()
            server_time = server_time or body["server_time"]
            known = dict(
                self.db.execute(
                    f"SELECT code, version FROM dossiers WHERE code IN"
                    f" ({', '.join('?' * len(body['items']))})",
                    [item["code"] for item in body["items"]],
                )
            ) if body["items"] else {}  # fmt: skip
            changed += [i["code"] for i in body["items"] if known.get(i["code"]) != i["version"]]
            cursor = body.get("next_cursor")
            if not cursor:
                break
        for code in changed:
            answer = self.http.get(f"{self.url}/api/v1/dossiers/{code}", timeout=30)
            answer.raise_for_status()
            d = answer.json()
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO dossiers VALUES (?, ?, ?, ?, ?)",
                    (d["code"], d["version"], d["submitted_at"], d["applicant"]["name"],
                     d["procedure_name"]),
                )  # fmt: skip
                self.db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                    [(d["code"], a["id"], a["file_name"], a["sha256"])
                     for c in d["components"] for a in c["attachments"]],
                )  # fmt: skip
                self.db.executemany(
                    "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?)",
                    [(x["decision_id"], d["code"], x["kind"], x["officer"]["username"],
                      x["recorded_at"], json.dumps(x["verdict_snapshot"]))
                     for x in d["decisions"]],
                )  # fmt: skip
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO marks VALUES ('unit', ?)", (server_time,))
        return len(changed), str(server_time)

    def close(self) -> None:
        self.http.close()
        self.db.close()


_PEER_ROWS = (
    "SELECT d.code, d.procedure_code, d.procedure_name, d.applicant_name,"
    " d.applicant_citizen_id, d.submitted_at, c.name, a.file_name, a.remote_id, a.sha256,"
    " r.verdict, r.created_at, x.kind, x.officer, x.created_at, x.state, x.verdict_snapshot_json"
    " FROM dossiers d JOIN components c ON c.dossier_id = d.id"
    " JOIN attachments a ON a.component_id = c.id"
    " LEFT JOIN signature_reports r ON r.sha256 = a.sha256"
    " LEFT JOIN decisions x ON x.dossier_code = d.code"
    " ORDER BY d.submitted_at, d.code, c.position, a.id"
)


def peer_load(database: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return db.execute(_PEER_ROWS).fetchall()


def peer_filters(rows: list[tuple[Any, ...]]) -> tuple[int, int]:
    # The same two filters, as a plain comprehension over plain tuples.
    hard = [r for r in rows if r[12] == "accept" and r[10] in DOUBTFUL]
    narrow = [
        r for r in rows if r[13] == "canbo03" and "nguyen" in r[3].lower() and r[10] is not None
    ]
    return len(hard), len(narrow)


def peer_csv(rows: list[tuple[Any, ...]], out: Path) -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)


def peer_xlsx(rows: list[tuple[Any, ...]], out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("audit")
    for row in rows:
        sheet.append(row)
    book.save(out)


def verdict(figure: float, target: float) -> str:
    return "target met" if figure <= target else "target NOT met"


@contextmanager
def serving(data: Path) -> Iterator[str]:
    with server_process(
        data, dossiers=SEEDED, seed=SEED, decided=DECIDED, fault_injection=False,
        startup_timeout=300.0,
    ) as child:  # fmt: skip
        yield child.url


# The run. --------------------------------------------------------------------------------


def main() -> None:
    from intake_desktop import logs

    logs.configure(False)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument(
        "--first-sync", type=int, default=2000, help="dossiers of the measured first sync"
    )
    args = parser.parse_args()
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as tmp:
        root = Path(tmp)
        os.environ["INTAKE_DESKTOP_HOME"] = str(root / "home")
        reports = validated_demo_reports(root / "home")
        _TEMPLATE_VERDICTS[:] = [v for v, _, _ in reports.items]
        data = root / "server"
        seeded_copy(data, dossiers=SEEDED, seed=SEED, decided=DECIDED)
        started = time.perf_counter()
        year = grow_server(
            DataDir(data).database, args.dossiers, args.first_sync, datetime.now(UTC)
        )
        print(f"server holds {args.dossiers} dossiers ({time.perf_counter() - started:.1f} s)")
        with serving(data) as url:
            measure(url, root, data, year, reports, args)


def measure(
    url: str, root: Path, data: Path, year: Year, reports: Reports, args: argparse.Namespace
) -> None:
    server_db = DataDir(data).database
    first_n = args.first_sync
    # First office-wide sync, empty store, the first days of the year.
    with open_store(root / "first.sqlite3", url="") as store:
        source = HttpDossierSource(url, SUPERVISOR_USERNAME, credentials=CredentialStore())
        with source:
            source.login(PASSWORD)
            desk = Desk(store, source, reports.trust, root / "cache-1", supervisor=True)
            first_s, result = once(lambda: desk.office_sync(year.first, year.first_days))
    got = result.dossiers_new
    peer = PeerSync(url, root / "peer-first.sqlite3")
    peer_first_s, (peer_got, _) = once(lambda: peer.sync(year.first, year.first_days, None))
    peer.close()
    print(
        f"first office-wide sync of {got} dossiers (through HTTP, one request each): "
        f"{first_s:.1f} s | peer requests+sqlite3 ({peer_got}): {peer_first_s:.1f} s -> "
        f"{first_s / peer_first_s:.2f}x | a year ({args.dossiers}) at this rate: "
        f"~{first_s / max(got, 1) * args.dossiers / 60:.1f} min (not run: too slow here)"
    )
    if first_n and got < first_n * 0.9:
        print(f"  (asked for {first_n}; the range held {got})")

    # Incremental office-wide sync of a store holding every dossier.
    store = open_store(root / "year.sqlite3", url="")
    source = HttpDossierSource(url, SUPERVISOR_USERNAME, credentials=CredentialStore())
    source.login(PASSWORD)
    desk = Desk(store, source, reports.trust, root / "cache-2", supervisor=True)
    name = desk.synchronizer.source_name
    mirror_store(store, server_db, reports, year, name)
    mark = datetime.now(UTC)
    # The mark a complete office-wide pass of this range leaves (services.sync's key).
    set_high_water_mark(
        store, f"{name}|unit:{year.first.isoformat()}..{year.last.isoformat()}", mark
    )
    peer = PeerSync(url, root / "peer-year.sqlite3")
    peer.fill_from(server_db)
    time.sleep(0.01)
    decide_more(server_db, year.undecided[:: max(len(year.undecided) // CHANGED, 1)][:CHANGED],
                datetime.now(UTC))  # fmt: skip
    incremental_s, result = once(lambda: desk.office_sync(year.first, year.last))
    peer_inc_s, (peer_changed, _) = once(lambda: peer.sync(year.first, year.last, mark.isoformat()))
    again_s, again = once(lambda: desk.office_sync(year.first, year.last))
    peer_again_s, _ = once(lambda: peer.sync(year.first, year.last, datetime.now(UTC).isoformat()))
    peer.close()
    source.close()
    print(
        f"incremental office-wide sync, store of {args.dossiers} dossiers, "
        f"{result.dossiers_updated} changed ({result.decisions_added} decisions added): "
        f"{incremental_s:.2f} s | peer ({peer_changed}): {peer_inc_s:.2f} s -> "
        f"{incremental_s / peer_inc_s:.2f}x | target <= 2 s: {verdict(incremental_s, 2.0)}"
    )
    print(
        f"  nothing changed: {again_s:.2f} s ({again.dossiers_updated} updated) | peer "
        f"{peer_again_s:.2f} s -> {again_s / peer_again_s:.2f}x"
    )

    # The audit over the year.
    assert store.path is not None
    trust = reports.trust
    load_s, rows = once(lambda: load_rows(store, trust))
    load_s = min(load_s, timed(lambda: load_rows(store, trust), runs=3))
    peer_load_s = timed(lambda: peer_load(store.path), runs=3)  # type: ignore[arg-type]
    plain = peer_load(store.path)
    print(
        f"audit rows load: {len(rows)} files in {load_s:.2f} s | peer sqlite3 join "
        f"({len(plain)} rows): {peer_load_s:.2f} s -> {load_s / peer_load_s:.2f}x | "
        f"target <= 1 s: {verdict(load_s, 1.0)}"
    )
    hard = AuditFilter(verdict=VerdictFilter.ACCEPTED_DESPITE_PROBLEMS)
    narrow = AuditFilter(officer="canbo03", provider="demo", text="nguyen")
    text_only = AuditFilter(text="nguyen")
    worst = max(
        timed(lambda: apply_filter(rows, hard)),
        timed(lambda: apply_filter(rows, narrow)),
    )
    text_s = timed(lambda: apply_filter(rows, text_only))
    peer_filter_s = timed(lambda: peer_filters(plain))
    picked = apply_filter(rows, hard)
    print(
        f"filter over {len(rows)} rows: {worst * 1000:.0f} ms (worse of 'accepted despite "
        f"problems' ({len(picked)} rows) and officer+provider+text) | peer comprehension "
        f"{peer_filter_s * 1000:.0f} ms -> {worst / peer_filter_s:.2f}x | target <= 200 ms: "
        f"{verdict(worst, 0.2)}"
    )
    print(f"  text alone ('nguyen', every row): {text_s * 1000:.0f} ms (after the first)")
    out = root / "out"
    out.mkdir()
    csv_s = timed(lambda: export_csv(rows, out / "all.csv"), runs=3)
    peer_csv_s = timed(lambda: peer_csv(plain, out / "peer.csv"), runs=3)
    print(
        f"CSV export of {len(rows)} rows: {csv_s:.2f} s | peer csv.writer: {peer_csv_s:.2f} s "
        f"-> {csv_s / peer_csv_s:.2f}x"
    )
    xlsx_s = timed(lambda: export_xlsx(rows, out / "all.xlsx"), runs=1)
    peer_xlsx_s = timed(lambda: peer_xlsx(plain, out / "peer.xlsx"), runs=1)
    print(
        f"XLSX export of {len(rows)} rows: {xlsx_s:.1f} s | peer openpyxl write-only: "
        f"{peer_xlsx_s:.1f} s -> {xlsx_s / peer_xlsx_s:.2f}x"
    )
    store.close()


if __name__ == "__main__":
    main()
