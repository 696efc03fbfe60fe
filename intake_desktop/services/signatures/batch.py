"""Validate many files at once: cached by content hash, the rest spread over processes.

pyHanko is pure Python and holds the GIL, so throughput across cores needs processes. Each
worker builds its trust store once from DER bytes (cheap to send) and returns reports as
cache JSON (plain strings pickle fast).

Workers must not pay for importing the engine again (half a second each): a single-threaded
caller (the CLI) forks them after it has imported the engine; a caller with threads (the
app: forking it could copy a lock another thread holds) gets them from a forkserver that
imported the engine once.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from asn1crypto import x509

from intake_desktop.services.signatures.inspect import (
    ENGINE_VERSION,
    InspectOptions,
    inspect_pdf,
)
from intake_desktop.services.signatures.report import DocumentReport
from intake_desktop.services.signatures.serialize import from_cache_json, to_cache_json
from intake_desktop.services.signatures.trust import TrustStore

CACHE_MAX_AGE = timedelta(days=1)
"""Certificates expire and get revoked: a cached verdict is re-checked after a day."""

# Below this many uncached files a process pool costs more than it saves.
_POOL_THRESHOLD = 4


class ReportCache(Protocol):
    """Where reports are kept between runs (the local store, or nothing)."""

    def get(self, sha256: str, trust_version: str, options_key: str) -> str | None: ...

    def put(
        self, sha256: str, trust_version: str, options_key: str, verdict: str, text: str
    ) -> None: ...


@dataclass(frozen=True)
class BatchResult:
    path: Path
    report: DocumentReport
    cached: bool


def _file_sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def verify_files(
    paths: Sequence[Path],
    trust: TrustStore,
    options: InspectOptions | None = None,
    cache: ReportCache | None = None,
    workers: int | None = None,
) -> Iterator[BatchResult]:
    """Yield a result per path, in the order given.

    Cached reports (same bytes, trust store, engine and options) are reused; the rest are
    validated on up to ``workers`` processes (default: every core).
    """
    options = options or InspectOptions()
    key = f"{options.cache_key}"
    hashes = [_file_sha256(p) for p in paths] if cache is not None else [None] * len(paths)
    cached: dict[int, DocumentReport] = {}
    if cache is not None:
        for i, digest in enumerate(hashes):
            text = cache.get(digest, trust.version, key) if digest else None
            if text is not None:
                # an unreadable cache row is simply recomputed
                with contextlib.suppress(ValueError, KeyError):
                    cached[i] = from_cache_json(text)
    todo = [i for i in range(len(paths)) if i not in cached]
    workers = workers or os.cpu_count() or 1
    fresh = _run(paths, todo, trust, options, workers)
    for i, path in enumerate(paths):
        if i in cached:
            yield BatchResult(path, cached[i], True)
            continue
        report = next(fresh)
        if cache is not None and hashes[i] and report.sha256:
            cache.put(
                hashes[i] or "", trust.version, key, report.verdict.value, to_cache_json(report)
            )
        yield BatchResult(path, report, False)


def _run(
    paths: Sequence[Path],
    todo: list[int],
    trust: TrustStore,
    options: InspectOptions,
    workers: int,
) -> Iterator[DocumentReport]:
    if workers <= 1 or len(todo) < _POOL_THRESHOLD:
        for i in todo:
            yield inspect_pdf(paths[i], trust, options)
        return
    anchors = [c.dump() for c in trust.anchors]
    intermediates = [c.dump() for c in trust.intermediates]
    with ProcessPoolExecutor(
        max_workers=min(workers, len(todo)),
        mp_context=_context(),
        initializer=_init_worker,
        initargs=(anchors, intermediates, options),
    ) as pool:
        # Small chunks: the last ones decide when the slowest worker is done.
        chunk = max(1, min(8, len(todo) // (workers * 16)))
        for text in pool.map(_work, [str(paths[i]) for i in todo], chunksize=chunk):
            yield from_cache_json(text)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])  # this module imports the engine
        return context
    return multiprocessing.get_context("spawn")


def relax_collector() -> None:
    """Collect young objects less often: parsing a PDF allocates tens of thousands of
    small objects that live until the report is made (8 % faster, ~25 MB more at peak).
    For processes that only validate: the GUI keeps Python's defaults."""
    gc.set_threshold(10_000, 50, 50)


_worker_trust: TrustStore | None = None
_worker_options: InspectOptions | None = None


def _init_worker(anchors: list[bytes], intermediates: list[bytes], options: InspectOptions) -> None:
    global _worker_trust, _worker_options
    # What the parent left (the imported engine) stays: the collector need not walk it.
    gc.freeze()
    relax_collector()
    _worker_trust = TrustStore.of(
        [x509.Certificate.load(d) for d in anchors],
        [x509.Certificate.load(d) for d in intermediates],
    )
    _worker_options = options


def _work(path: str) -> str:
    assert _worker_trust is not None
    return to_cache_json(inspect_pdf(Path(path), _worker_trust, _worker_options))


__all__ = [
    "CACHE_MAX_AGE",
    "ENGINE_VERSION",
    "BatchResult",
    "ReportCache",
    "relax_collector",
    "verify_files",
]
