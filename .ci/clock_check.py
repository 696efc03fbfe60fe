"""Run the date-sensitive tests as if at awkward instants, so no test depends on today.

Each instant is computed from today (Vietnam time), so the check never goes stale: the last
minutes of this month, the first half hour of the next (UTC still on the old date), New
Year's night and the next Tết, each on a machine set to another time zone. `--full` also runs
the whole suite once at the first-of-month instant. Exit status: 0 when every run passed.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

VN = ZoneInfo("Asia/Ho_Chi_Minh")

DATE_SENSITIVE = [
    "tests/test_audit.py",
    "tests/test_audit_view.py",
    "tests/test_audit_lookback.py",
    "tests/test_server.py",
    "tests/test_server_cli.py",
    "tests/test_desk_appointment.py",
    "tests/test_outbox.py",
    "tests/test_outbox_training_server.py",
    "tests/test_working_days.py",
    "tests/test_dossier_check.py",
    "tests/test_queue_model.py",
    "tests/test_demo_source.py",
    "tests/test_verify_cli.py",
    "tests/test_http_source_misbehaving.py",
    "tests/test_supervisor_demo.py",
]


def _next_tet(today: date) -> date:
    for year in (today.year, today.year + 1):
        for day, name in sorted(holidays.country_holidays("VN", years=year).items()):
            if "Lunar New Year" in name and day >= today:
                return day
    raise RuntimeError("no Lunar New Year in the holiday calendar")


def instants(today: date) -> list[tuple[str, datetime, str]]:
    first_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last_this = first_next - timedelta(days=1)
    new_year = date(today.year + 1, 1, 1)
    return [
        (
            "month's last day 23:30",
            datetime.combine(last_this, time(23, 30), VN),
            "Asia/Ho_Chi_Minh",
        ),
        ("next month's first day 00:30", datetime.combine(first_next, time(0, 30), VN), "UTC"),
        ("new year 00:30", datetime.combine(new_year, time(0, 30), VN), "America/New_York"),
        ("Tết 09:00", datetime.combine(_next_tet(today), time(9, 0), VN), "America/Los_Angeles"),
    ]


def _pytest(args: list[str], moment: datetime, zone: str) -> int:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--instant={moment.isoformat()}",
        f"--machine-tz={zone}",
        *args,
    ]
    print(f"clock check: {moment.isoformat()} on a machine in {zone}", flush=True)
    return subprocess.run(command, check=False).returncode


def main() -> int:
    today = datetime.now(VN).date()
    failed = []
    chosen = instants(today)
    for label, moment, zone in chosen:
        if _pytest(DATE_SENSITIVE, moment, zone) != 0:
            failed.append(label)
    if "--full" in sys.argv:
        label, moment, zone = chosen[1]
        if _pytest([], moment, zone) != 0:
            failed.append(f"{label} (whole suite)")
    print(
        "clock check: "
        + ("failed at " + ", ".join(failed) if failed else "passed at every instant")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
