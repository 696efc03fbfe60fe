"""Benchmark: what changed after a signature, on a 20-page document with one altered page.

Run by hand: ``.venv/bin/python bench/changes_bench.py [--pages 20] [--runs 5]``.
A generated 20-page form (text and pictures) is signed, then page 5 is altered by an
incremental update (a shadow "replace": a number redrawn). Measured, in the same run:

  * ``compare_signed``: objects, page digests, rendering and pixel diff of the changed page,
    line diff of its text — everything the report and the verify JSON carry;
  * the same for an honest later revision (a second signature): nothing to render;
  * the peer: ``mutool draw`` rendering every page of both revisions at the same resolution
    (108 dpi), i.e. what a plain "render both and compare" would cost before any comparing.

Target (issue 7): under 1 s for 20 pages.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pymupdf

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import BIRTH_REGISTRATION_FIELDS, make_form_pdf
from intake_desktop.demo.pki import VN_TZ, DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.page_diff import DEFAULT_ZOOM
from intake_desktop.services.signatures.changes import compare_signed, describe
from intake_desktop.services.signatures.inspect import signed_revision_bytes

SIGNED_AT = datetime(2025, 3, 15, 9, 30, tzinfo=VN_TZ)


def documents(pages: int) -> tuple[bytes, bytes, bytes]:
    """(signed, attacked on page 5, honestly signed a second time)."""
    pki = DemoPki.create(seed=5)
    an = pki.issue_citizen("Nguyễn Văn An", "001090001234")
    binh = pki.issue_citizen("Trần Thị Bình", "001190005678")
    form = make_form_pdf(
        "TỜ KHAI ĐĂNG KÝ KHAI SINH", BIRTH_REGISTRATION_FIELDS, pages=pages, images=True
    )
    signed = sign_pdf(form, an, signing_time=SIGNED_AT)
    with pymupdf.open(stream=signed) as doc:
        word = next(w[4] for w in doc[4].get_text("words") if len(w[4]) >= 6)
    attacked = tamper.incremental_replace_text(signed, word, "000000", page=4)
    honest = sign_pdf(signed, binh, signing_time=SIGNED_AT)
    return signed, attacked, honest


def timed(signed: bytes, current: bytes, runs: int) -> tuple[float, list[str]]:
    times = []
    lines: list[str] = []
    for _ in range(runs):
        started = time.perf_counter()
        changes = compare_signed(signed, current)
        times.append(time.perf_counter() - started)
        lines = describe(changes, "en")
    return statistics.median(times), lines


def mutool(paths: list[Path], pages: int, runs: int) -> float | None:
    if shutil.which("mutool") is None:
        print("mutool not found (apt-get install mupdf-tools): no peer figure")
        return None
    dpi = f"{72 * DEFAULT_ZOOM:.0f}"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for path in paths:
            subprocess.run(
                ["mutool", "draw", "-q", "-c", "rgb", "-F", "pnm", "-o", "/dev/null",
                 "-r", dpi, str(path), f"1-{pages}"],
                check=True, capture_output=True,
            )  # fmt: skip
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    from intake_desktop import logs

    logs.configure(False)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    signed_file, attacked, honest = documents(args.pages)
    (first,) = [r for r in tamper.byte_ranges(attacked)[:1]]
    signed = signed_revision_bytes(attacked, first.values)
    assert signed is not None
    ours, lines = timed(signed, attacked, args.runs)
    clean, _ = timed(signed, honest, args.runs)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "signed.pdf", Path(folder) / "attacked.pdf"]
        paths[0].write_bytes(signed)
        paths[1].write_bytes(attacked)
        peer = mutool(paths, args.pages, args.runs)
    print(
        f"document: {args.pages} pages, {len(attacked) / 1e6:.1f} MB, page 5 altered after signing"
    )
    for line in lines:
        print(f"  found: {line}")
    print(
        f"changes after the signature (attacked): median {ours * 1000:.0f} ms | honest second "
        f"signature: {clean * 1000:.0f} ms | target < 1000 ms: {'OK' if ours < 1 else 'MISSED'}"
    )
    if peer is not None:
        print(
            f"peer: mutool draw of both revisions, {args.pages} pages each at "
            f"{72 * DEFAULT_ZOOM:.0f} dpi: {peer * 1000:.0f} ms -> ours / peer = {ours / peer:.2f}x"
        )
    del signed_file


if __name__ == "__main__":
    main()
