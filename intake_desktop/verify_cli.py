"""``intake-desktop verify``: signature reports for PDF files, readable or JSON."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

# Only the report types at import: the engine, the trust store and the local store are
# imported by the command that needs them, so building the parser (``--help``) stays quick.
from intake_desktop.services.signatures.report import Verdict

if TYPE_CHECKING:
    from asn1crypto import x509

    from intake_desktop.services.signatures import DocumentReport, SignatureReport, TrustStore
    from intake_desktop.store.db import Store

log = logging.getLogger(__name__)

_VERDICT_WORDS = {
    "en": {
        Verdict.VALID: "VALID",
        Verdict.VALID_WITH_WARNINGS: "VALID, WITH WARNINGS",
        Verdict.INVALID: "INVALID",
        Verdict.INDETERMINATE: "INDETERMINATE",
        Verdict.UNSIGNED: "UNSIGNED",
        Verdict.ERROR: "UNREADABLE",
    },
    "vi": {
        Verdict.VALID: "HỢP LỆ",
        Verdict.VALID_WITH_WARNINGS: "HỢP LỆ, CÓ LƯU Ý",
        Verdict.INVALID: "KHÔNG HỢP LỆ",
        Verdict.INDETERMINATE: "CHƯA XÁC ĐỊNH ĐƯỢC",
        Verdict.UNSIGNED: "CHƯA KÝ SỐ",
        Verdict.ERROR: "KHÔNG ĐỌC ĐƯỢC",
    },
}

_LABELS = {
    "en": {
        "pages": "pages",
        "revisions": "revisions",
        "verdict": "Verdict",
        "signature": "Signature",
        "revision": "revision",
        "signer": "Signer",
        "issuer": "Provider",
        "signed_at": "Signed at (claimed)",
        "timestamp": "Timestamp",
        "coverage": "Coverage",
        "after": "Changed after signing",
        "page": "page",
        "invisible": "invisible",
        "none": "none",
    },
    "vi": {
        "pages": "trang",
        "revisions": "phiên bản",
        "verdict": "Kết luận",
        "signature": "Chữ ký",
        "revision": "phiên bản",
        "signer": "Người ký",
        "issuer": "Tổ chức cấp",
        "signed_at": "Thời điểm ký (tự khai)",
        "timestamp": "Dấu thời gian",
        "coverage": "Phạm vi ký",
        "after": "Thay đổi sau khi ký",
        "page": "trang",
        "invisible": "không hiển thị",
        "none": "không có",
    },
}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "verify",
        help="check the digital signatures of PDF files",
        description="Validate every embedded signature of each PDF and print a report. "
        "Exit 0 when every file is valid, 1 otherwise, 2 on usage errors.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument(
        "--trust",
        action="append",
        type=Path,
        default=[],
        metavar="FILE_OR_DIR",
        help="extra trust anchors (PEM, DER or .p7b; a folder of them); repeatable",
    )
    p.add_argument("--online", action="store_true", help="fetch OCSP/CRL (short timeouts)")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="language of reasons")
    p.add_argument("--no-cache", action="store_true", help="ignore and don't fill the cache")
    p.add_argument("--jobs", type=_jobs, default=0, help="worker processes (default: all cores)")
    p.set_defaults(handler=run)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"expected a number of processes (0: all cores): {text!r}")
    return jobs


def build_trust(extra: Sequence[x509.Certificate], store: Store | None) -> TrustStore:
    """Shipped anchors, plus those imported into ``store`` (if any), plus ``extra``."""
    from intake_desktop.services.signatures import builtin_trust

    trust = builtin_trust()
    if store is not None:
        from intake_desktop.services.trust_anchors import stored_anchors

        trust = trust.with_anchors(stored_anchors(store))
    return trust.with_anchors(extra) if extra else trust


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Verify ``args.files``; the result goes to ``out`` (stdout) and nothing else does."""
    out = out or sys.stdout
    missing = [p for p in args.files if not p.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    # Whatever a library prints while we work is not the result: it goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        return _verify(args, out)


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    from intake_desktop.paths import database_path
    from intake_desktop.services.signatures.certificates import (
        CertificateFileError,
        load_certificate_files,
    )

    try:
        extra = [cert for path in args.trust for cert in load_certificate_files(path)]
    except CertificateFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    store = None
    # The store holds imported anchors and the cache. With --no-cache and no store yet there
    # is nothing to read and nothing to write: it is not created (nor SQLAlchemy loaded).
    if not args.no_cache or database_path().exists():
        from intake_desktop.store.db import open_store
        from intake_desktop.store.errors import StoreError

        try:
            store = open_store()
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        return _report(args, out, build_trust(extra, store), store)
    finally:
        if store is not None:
            store.close()


def _report(args: argparse.Namespace, out: TextIO, trust: TrustStore, store: Store | None) -> int:
    from intake_desktop.services.signatures import InspectOptions
    from intake_desktop.services.signatures.batch import ReportCache, relax_collector, verify_files
    from intake_desktop.services.signatures.serialize import to_contract_dict

    relax_collector()  # this process only validates and prints

    cache: ReportCache | None = None
    if store is not None and not args.no_cache:
        from intake_desktop.services.report_cache import StoreReportCache

        cache = StoreReportCache(store)
    options = InspectOptions(online=args.online)
    results = verify_files(args.files, trust, options, cache=cache, workers=args.jobs or None)
    all_valid = True
    documents = []
    for result in results:
        all_valid = all_valid and result.report.verdict is Verdict.VALID
        if args.json:
            documents.append(to_contract_dict(result.report, str(result.path), args.lang))
        else:
            print_report(result.path, result.report, args.lang, out)
    if args.json:
        json.dump({"files": documents}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return 0 if all_valid else 1


def print_report(path: Path, report: DocumentReport, lang: str, out: TextIO) -> None:
    words, labels = _VERDICT_WORDS[lang], _LABELS[lang]
    print(f"{path}", file=out)
    if report.error is not None:
        print(
            f"  {labels['verdict']}: {words[report.verdict]} — {report.error.text(lang)}", file=out
        )
        print(file=out)
        return
    print(
        f"  SHA-256 {report.sha256[:16]}…  {report.pages} {labels['pages']}, "
        f"{report.revisions} {labels['revisions']}",
        file=out,
    )
    print(f"  {labels['verdict']}: {words[report.verdict]}", file=out)
    for r in report.reasons:
        print(f"    · {r.text(lang)}", file=out)
    for sig in report.signatures:
        _print_signature(sig, lang, out)
    print(file=out)


def _print_signature(sig: SignatureReport, lang: str, out: TextIO) -> None:
    words, labels = _VERDICT_WORDS[lang], _LABELS[lang]
    where = f"{labels['page']} {sig.page + 1}" if sig.page is not None else labels["invisible"]
    print(
        f'  [{sig.index + 1}] {labels["signature"]} "{sig.field}" — {labels["revision"]} '
        f"{sig.revision} — {where} — {words[sig.verdict]}",
        file=out,
    )
    if sig.signer is not None:
        ident = sig.signer.citizen_id or sig.signer.tax_code
        ident_text = f" ({ident})" if ident else ""
        print(f"      {labels['signer']}: {sig.signer.name}{ident_text}", file=out)
        print(f"      {labels['issuer']}: {sig.signer.issuer}", file=out)
    if sig.signing_time:
        print(f"      {labels['signed_at']}: {sig.signing_time:%d/%m/%Y %H:%M:%S %Z}", file=out)
    ts = f"{sig.timestamp_time:%d/%m/%Y %H:%M:%S %Z}" if sig.timestamp_time else labels["none"]
    print(f"      {labels['timestamp']}: {ts}", file=out)
    print(
        f"      {labels['coverage']}: {sig.coverage.value}; {labels['after']}: "
        f"{sig.modifications_after.value}",
        file=out,
    )
    for r in sig.reasons:
        print(f"      · {r.text(lang)}", file=out)
    if sig.changes is not None:
        from intake_desktop.services.signatures.changes import describe

        for line in describe(sig.changes, lang):
            print(f"      ! {line}", file=out)
