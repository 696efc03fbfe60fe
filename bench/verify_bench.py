"""Benchmark: validate N signed PDFs with Intake Desktop's engine, beside poppler's pdfsig.

Run by hand: ``.venv/bin/python bench/verify_bench.py [--n 200]``. Generates the files with
the demo PKI (one signature each; every fourth file has two), then times:
  * ours, every core (``verify_files``, the path ``intake-desktop verify`` takes, no cache);
  * ours, one process, per file (for the median milliseconds per signature);
  * a ``pdfsig`` loop over the same files (one process per file, as a script would run it).
pdfsig checks integrity and the chain but does no difference analysis; ours does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake_desktop import logs
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import InspectOptions, TrustStore, Verdict, inspect_pdf
from intake_desktop.services.signatures.batch import verify_files


def generate(folder: Path, n: int) -> tuple[list[Path], TrustStore, int]:
    pki = DemoPki.create(seed=2026)
    citizens = [
        pki.issue_citizen(name, cid, provider=prov)
        for name, cid, prov in (
            ("NGUYỄN VĂN AN", "062090001234", "VNPT"),
            ("TRẦN THỊ BÌNH", "001190000111", "Viettel"),
            ("LÊ HOÀNG CƯỜNG", "079085004321", "FPT"),
        )
    ]
    when = datetime.now(UTC) - timedelta(hours=2)
    signatures = 0
    paths = []
    for i in range(n):
        form = make_form_pdf(
            "TỜ KHAI ĐĂNG KÝ KHAI SINH",
            [("Họ, chữ đệm, tên người yêu cầu", f"Người nộp số {i}"), ("Số CCCD", f"{i:012d}")],
            pages=1 + i % 3,
        )
        data = sign_pdf(form, citizens[i % 3], signing_time=when)
        signatures += 1
        if i % 4 == 3:
            data = sign_pdf(data, citizens[(i + 1) % 3], field_name="Signature2", signing_time=when)
            signatures += 1
        path = folder / f"ho-so-{i:04d}.pdf"
        path.write_bytes(data)
        paths.append(path)
    return paths, TrustStore.of([pki.root_asn1()]), signatures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of files (default 200)")
    args = parser.parse_args()
    logs.configure()
    pdfsig = shutil.which("pdfsig")
    with tempfile.TemporaryDirectory(prefix="verify-bench-") as tmp:
        t0 = time.perf_counter()
        paths, trust, n_sigs = generate(Path(tmp), args.n)
        print(
            f"generated {len(paths)} files, {n_sigs} signatures in {time.perf_counter() - t0:.1f} s"
        )
        options = InspectOptions()

        t0 = time.perf_counter()
        results = list(verify_files(paths, trust, options, workers=os.cpu_count()))
        ours_all = time.perf_counter() - t0
        bad = [r for r in results if r.report.verdict is not Verdict.VALID]
        assert not bad, f"{len(bad)} files not valid: {bad[0].report}"

        per_sig_ms = []
        t0 = time.perf_counter()
        for path in paths:
            s = time.perf_counter()
            report = inspect_pdf(path, trust, options)
            per_sig_ms.append((time.perf_counter() - s) * 1000 / len(report.signatures))
        ours_serial = time.perf_counter() - t0

        peer = None
        if pdfsig:
            t0 = time.perf_counter()
            for path in paths:
                subprocess.run([pdfsig, str(path)], capture_output=True, check=False)
            peer = time.perf_counter() - t0

    n = len(paths)
    print(f"\n{'':38}{'files/s':>10}{'total s':>10}")
    print(
        f"{'intake-desktop, ' + str(os.cpu_count()) + ' processes':38}"
        f"{n / ours_all:10.1f}{ours_all:10.2f}"
    )
    print(f"{'intake-desktop, 1 process':38}{n / ours_serial:10.1f}{ours_serial:10.2f}")
    if peer is not None:
        print(f"{'pdfsig loop (poppler)':38}{n / peer:10.1f}{peer:10.2f}")
    print(
        f"\nmedian per signature (1 process): {statistics.median(per_sig_ms):.1f} ms "
        f"(p90 {statistics.quantiles(per_sig_ms, n=10)[-1]:.1f} ms)"
    )
    if peer is not None:
        print(
            f"throughput ratio ours/pdfsig: {peer / ours_all:.2f}x (every core), "
            f"{peer / ours_serial:.2f}x (one process)"
        )
    else:
        print("pdfsig not found: install poppler-utils for the comparison", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
