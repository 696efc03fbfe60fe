"""Benchmark: ``intake-desktop verify`` beside poppler's ``pdfsig``, timed in the same run.

Run by hand: ``.venv/bin/python bench/verify_bench.py [--n 100] [--big 1000] [--repeat 3]``
(about a minute and a half with the defaults, on two cores). Generates ``--n`` signed PDFs
with the demo PKI, half with one signature and half with two, then times, each as a cold
process started the way a person or a script starts it (median of ``--repeat`` runs):

  * ``intake-desktop --help`` beside ``pdfsig -h``;
  * ``verify --json`` of one file beside ``pdfsig FILE``: with ``--no-cache`` and no store
    yet, and with the cache of a store that exists (the file not cached yet);
  * ``verify --json --no-cache`` of the ``--n`` files beside a shell loop running ``pdfsig``
    on each (one process per file, as a script does it);
  * the same for ``--big`` files: the ``--n`` files copied under other names (nothing is
    cached by content with ``--no-cache``: every copy is validated in full);
  * real-world shapes (issue 19, ``bench/real_world_files.py``): one file with 25
    signatures and a form filled between two signatures, each beside ``pdfsig FILE``;

and, in this process, ``verify_files`` on every core and ``inspect_pdf`` file by file (for
the median milliseconds per signature). Targets (issue 15): ``--help`` within 0.25 s, one
file within 0.5 s, the ``--n`` = 100 batch within 1.0x the pdfsig loop's time, the 1,000 one
within 0.6x. pdfsig checks integrity and the chain but does no difference analysis; ours does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake_desktop import logs
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.paths import HOME_ENV
from intake_desktop.services.signatures import InspectOptions, TrustStore, Verdict, inspect_pdf
from intake_desktop.services.signatures.batch import verify_files


def generate(folder: Path, n: int) -> tuple[list[Path], DemoPki, int]:
    """Write ``n`` signed forms to ``folder``: odd-numbered ones carry a second signature."""
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
        if i % 2 == 1:
            data = sign_pdf(data, citizens[(i + 1) % 3], field_name="Signature2", signing_time=when)
            signatures += 1
        path = folder / f"ho-so-{i:04d}.pdf"
        path.write_bytes(data)
        paths.append(path)
    return paths, pki, signatures


def copies(paths: Sequence[Path], folder: Path, total: int) -> list[Path]:
    """``total`` files made of ``paths`` repeated, each copy under a name of its own."""
    folder.mkdir()
    out = []
    for i in range(total):
        target = folder / f"ban-sao-{i:05d}.pdf"
        shutil.copyfile(paths[i % len(paths)], target)
        out.append(target)
    return out


def median_seconds(run: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass(frozen=True)
class Cli:
    """Starts ``intake-desktop`` as a user's shell would, with its data in ``home``."""

    home: Path

    @property
    def command(self) -> list[str]:
        script = Path(sys.executable).parent / "intake-desktop"
        return [str(script)] if script.exists() else [sys.executable, "-m", "intake_desktop"]

    def run(self, *args: str, home: Path | None = None, files: int | None = None) -> None:
        """Run it; with ``files``, check it printed that many valid reports as JSON."""
        env = {**os.environ, HOME_ENV: str(home or self.home)}
        done = subprocess.run(
            [*self.command, *args], capture_output=True, env=env, check=False, text=True
        )
        if files is None:
            if done.returncode != 0:
                raise RuntimeError(f"intake-desktop {args[0]} failed: {done.stderr[-500:]}")
            return
        verdicts = [f["verdict"] for f in json.loads(done.stdout)["files"]]
        if done.returncode != 0 or len(verdicts) != files or set(verdicts) != {"valid"}:
            raise RuntimeError(f"verify gave {set(verdicts)} (exit {done.returncode})")


def pdfsig_loop(pdfsig: str, paths: Sequence[Path]) -> None:
    script = 'for f in "$@"; do "$PDFSIG" "$f" >/dev/null 2>&1; done'
    env = {**os.environ, "PDFSIG": pdfsig}
    subprocess.run(["sh", "-c", script, "sh", *map(str, paths)], env=env, check=True)


@dataclass(frozen=True)
class Row:
    label: str
    ours: float
    peer: float | None
    target: str

    def line(self) -> str:
        peer = f"{self.peer:9.3f}" if self.peer is not None else f"{'—':>9}"
        ratio = f"{self.ours / self.peer:7.2f}x" if self.peer else f"{'':8}"
        return f"{self.label:44}{self.ours:9.3f}{peer}{ratio}   {self.target}"


def cold_processes(
    tmp: Path, paths: list[Path], root: Path, big: int, repeat: int, pdfsig: str | None
) -> list[Row]:
    cli = Cli(tmp / "home-empty")  # never written to: every --no-cache run sees no store
    trust = ["--trust", str(root)]
    rows = []

    def peer(run: Callable[[], None], times: int = repeat) -> float | None:
        return median_seconds(run, times) if pdfsig else None

    def pdfsig_one() -> None:
        subprocess.run([pdfsig or "", str(paths[0])], capture_output=True, check=False)

    ours = median_seconds(lambda: cli.run("--help"), max(repeat, 5))
    theirs = peer(lambda: subprocess.run([pdfsig or "", "-h"], capture_output=True), 5)
    rows.append(Row("--help", ours, theirs, "target ≤ 0.25 s"))

    one = str(paths[0])
    ours = median_seconds(
        lambda: cli.run("verify", "--json", "--no-cache", *trust, one, files=1), repeat
    )
    theirs = peer(pdfsig_one)
    rows.append(Row("verify one file, --no-cache, no store", ours, theirs, "target ≤ 0.5 s"))

    store_home = tmp / "home-store"
    cli.run("verify", "--json", *trust, str(paths[-1]), home=store_home, files=1)
    fresh = iter(paths[1:])  # a file this store has not cached yet, every time

    def cached_one() -> None:
        cli.run("verify", "--json", *trust, str(next(fresh)), home=store_home, files=1)

    ours = median_seconds(cached_one, repeat)
    rows.append(Row("verify one file, cache in an existing store", ours, theirs, "(SQLAlchemy)"))

    for label, batch, target in (
        (f"verify --no-cache, {len(paths)} files", paths, "target ≤ 1.0x (100 files)"),
        *(
            [(f"verify --no-cache, {big} files", copies(paths, tmp / "big", big), "≤ 0.6x (1,000)")]
            if big
            else []
        ),
    ):
        args = ["verify", "--json", "--no-cache", *trust, *map(str, batch)]
        count = len(batch)
        ours = median_seconds(lambda args=args, n=count: cli.run(*args, files=n), repeat)
        theirs = peer(lambda batch=batch: pdfsig_loop(pdfsig or "", batch))
        rows.append(Row(label, ours, theirs, target))
    return rows


def real_world_rows(tmp: Path, repeat: int, pdfsig: str | None) -> list[Row]:
    """Many-revision files shaped like other producers' (bench/real_world_files.py): one
    file with 25 signatures, a form filled between two signatures."""
    from real_world_files import bench_files  # beside this script

    files, pki = bench_files(tmp / "real-world")
    root = tmp / "real-world-root.pem"
    root.write_bytes(pki.root_pem())
    cli = Cli(tmp / "home-empty")
    rows = []
    for item in files:
        path = str(tmp / "real-world" / item.name)
        command = [*cli.command, "verify", "--json", "--no-cache", "--trust", str(root), path]
        env = {**os.environ, HOME_ENV: str(cli.home)}

        def ours_once(command: list[str] = command, env: dict[str, str] = env) -> None:
            # A filled form is valid with warnings: any verdict but "error" is an answer.
            done = subprocess.run(command, capture_output=True, env=env, check=False, text=True)
            verdicts = {f["verdict"] for f in json.loads(done.stdout)["files"]}
            if "error" in verdicts:
                raise RuntimeError(f"verify gave {verdicts} on {command[-1]}")

        ours = median_seconds(ours_once, repeat)
        theirs = (
            median_seconds(
                lambda path=path: subprocess.run([pdfsig, path], capture_output=True), repeat
            )
            if pdfsig
            else None
        )
        rows.append(Row(f"verify {item.name} ({item.signatures} sig.)", ours, theirs, ""))
    return rows


def in_process(paths: list[Path], trust: TrustStore) -> tuple[float, float, list[float]]:
    options = InspectOptions()
    start = time.perf_counter()
    results = list(verify_files(paths, trust, options, workers=os.cpu_count()))
    every_core = time.perf_counter() - start
    bad = [r for r in results if r.report.verdict is not Verdict.VALID]
    assert not bad, f"{len(bad)} files not valid: {bad[0].report}"
    per_sig_ms = []
    start = time.perf_counter()
    for path in paths:
        s = time.perf_counter()
        report = inspect_pdf(path, trust, options)
        per_sig_ms.append((time.perf_counter() - s) * 1000 / len(report.signatures))
    return every_core, time.perf_counter() - start, per_sig_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="files generated (default 100)")
    parser.add_argument("--big", type=int, default=1000, help="big batch, 0 to skip (1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (default 3)")
    args = parser.parse_args()
    logs.configure()
    pdfsig = shutil.which("pdfsig")
    with tempfile.TemporaryDirectory(prefix="verify-bench-") as name:
        tmp = Path(name)
        start = time.perf_counter()
        (tmp / "files").mkdir()
        paths, pki, n_sigs = generate(tmp / "files", args.n)
        root = tmp / "demo-root.pem"
        root.write_bytes(pki.root_pem())
        print(
            f"generated {len(paths)} files, {n_sigs} signatures in "
            f"{time.perf_counter() - start:.1f} s; {os.cpu_count()} cores, "
            f"load {os.getloadavg()[0]:.2f}"
        )
        rows = cold_processes(tmp, paths, root, args.big, args.repeat, pdfsig)
        rows += real_world_rows(tmp, args.repeat, pdfsig)
        every_core, serial, per_sig_ms = in_process(paths, TrustStore.of([pki.root_asn1()]))

    print(f"\ncold processes, median of {args.repeat}:")
    print(f"{'':44}{'ours s':>9}{'pdfsig s':>9}{'ratio':>8}")
    for row in rows:
        print(row.line())
    n = len(paths)
    print(f"\nin this process ({n} files):{'files/s':>25}{'total s':>10}")
    print(
        f"{'  verify_files, ' + str(os.cpu_count()) + ' processes':42}"
        f"{n / every_core:10.1f}{every_core:10.2f}"
    )
    print(f"{'  inspect_pdf, one process':42}{n / serial:10.1f}{serial:10.2f}")
    print(
        f"median per signature (1 process): {statistics.median(per_sig_ms):.1f} ms "
        f"(p90 {statistics.quantiles(per_sig_ms, n=10)[-1]:.1f} ms)"
    )
    if pdfsig is None:
        print("pdfsig not found: install poppler-utils for the comparison", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
