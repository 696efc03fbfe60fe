"""``intake-desktop audit``: the supervisor's export, headless (for scheduled reports), and a
check of the tamper-evident audit log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_desktop.clock import VN_TZ
from intake_desktop.domain import DecisionKind

if TYPE_CHECKING:
    from intake_desktop.store.audit import ChainCheck


class _VerdictChoices:
    """``--verdict``'s choices, read from ``VerdictFilter`` only when argparse checks a value
    or prints this command's help: the filter lives with the audit rows, which load the store
    and the signature engine, too slow to import for every ``--help``."""

    def _values(self) -> list[str]:
        from intake_desktop.services.audit.filters import VerdictFilter

        return [v.value for v in VerdictFilter]

    def __contains__(self, value: object) -> bool:
        return value in self._values()

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "audit",
        help="export the signature audit (CSV, XLSX, PDF) or verify the audit log",
        description="Export every stored file with its signature verdicts and the decision "
        "taken, filtered, as CSV, XLSX or a PDF report; or check that the audit log has not "
        "been altered (--verify-log).",
    )
    p.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--format", choices=("csv", "xlsx", "pdf"), help="default: from --out")
    p.add_argument("--out", type=Path, help="file to write")
    p.add_argument(
        "--officer",
        metavar="USERNAME",
        help="decisions of this officer, made at this desk or synced from the server",
    )
    p.add_argument("--procedure", help="procedure code or words of its name")
    p.add_argument("--decision", choices=[k.value for k in DecisionKind])
    p.add_argument(
        "--verdict",
        choices=_VerdictChoices(),
        default="any",
        metavar="VERDICT",  # argparse would list the choices while building the parser
        help="%(choices)s (default: %(default)s)",
    )
    p.add_argument("--provider", help="words of the certificate provider, e.g. VNPT")
    p.add_argument("--mismatch", action="store_true", help="only signers other than the applicant")
    p.add_argument("--test-mode", action="store_true", help="the test-mode database")
    p.add_argument("--verify-log", action="store_true", help="check the audit log's hash chain")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from intake_desktop.services.audit import AuditFilter, VerdictFilter, apply_filter, load_rows
    from intake_desktop.services.audit.export import (
        ReportHeading,
        export_csv,
        export_pdf,
        export_xlsx,
    )
    from intake_desktop.session import session_trust
    from intake_desktop.store import audit
    from intake_desktop.store.db import open_store

    with open_store(test_mode=args.test_mode) as store:
        if args.verify_log:
            return _verify_log(audit.check_chain(store))
        if args.out is None:
            print("audit: --out FILE is required (or --verify-log)", file=sys.stderr)
            return 2
        kind = args.format or args.out.suffix.lstrip(".").lower()
        if kind not in ("csv", "xlsx", "pdf"):
            print(
                "audit: say --format csv|xlsx|pdf or use one of those extensions", file=sys.stderr
            )
            return 2
        criteria = AuditFilter(
            date_from=args.date_from,
            date_to=args.date_to,
            officer=args.officer,
            procedure=args.procedure,
            decision=DecisionKind(args.decision) if args.decision else None,
            verdict=VerdictFilter(args.verdict),
            provider=args.provider,
            signer_mismatch=args.mismatch,
        )
        rows = apply_filter(
            load_rows(store, session_trust(store, test_mode=args.test_mode)), criteria
        )
        if kind == "csv":
            export_csv(rows, args.out)
        elif kind == "xlsx":
            export_xlsx(rows, args.out)
        else:
            export_pdf(
                rows, args.out, criteria, ReportHeading(period=(args.date_from, args.date_to))
            )
    print(f"{len(rows)} rows written to {args.out}")
    return 0


_BREAKS = {
    "edited": "its content no longer matches its hash: it was edited after it was written",
    "link": "it does not follow the entry stored before it: an entry before it was deleted, "
    "or edited together with its hash",
}


def _verify_log(check: ChainCheck) -> int:
    broken = check.broken
    if broken is None:
        print(f"audit log intact: {check.checked} entries, every link checks out")
        return 0
    try:  # shown in the office's time; an edited, unparseable time is shown as stored
        at = datetime.fromisoformat(broken.at).astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        at = repr(broken.at)
    after = f" (after entry {broken.previous_id})" if broken.previous_id is not None else ""
    print(
        f"audit log BROKEN at entry {broken.id}{after}: at {at}, action {broken.action!r} "
        f"by {broken.actor!r} on {broken.subject!r}; {_BREAKS[broken.kind.value]}. "
        f"The {check.checked - 1} entries before it check out.",
        file=sys.stderr,
    )
    return 1
