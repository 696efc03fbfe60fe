"""Signature reports cached in the local store, keyed by file hash, trust set and engine."""

from __future__ import annotations

from collections.abc import Iterable

from intake_desktop.services.signatures.batch import CACHE_MAX_AGE
from intake_desktop.services.signatures.inspect import ENGINE_VERSION
from intake_desktop.store import report_cache
from intake_desktop.store.db import Store, open_store


class StoreReportCache:
    """The :class:`~intake_desktop.services.signatures.batch.ReportCache` of the local store."""

    def __init__(self, store: Store, *, owns_store: bool = False) -> None:
        self._store = store
        self._owns_store = owns_store

    @classmethod
    def open_default(cls, *, test_mode: bool = False) -> StoreReportCache:
        return cls(open_store(test_mode=test_mode), owns_store=True)

    def get(self, sha256: str, trust_version: str, options_key: str) -> str | None:
        return report_cache.get(
            self._store, sha256, trust_version, ENGINE_VERSION, options_key, max_age=CACHE_MAX_AGE
        )

    def get_many(
        self, sha256s: Iterable[str], trust_version: str, options_key: str
    ) -> dict[str, str]:
        return report_cache.get_many(
            self._store, sha256s, trust_version, ENGINE_VERSION, options_key, max_age=CACHE_MAX_AGE
        )

    def put(
        self, sha256: str, trust_version: str, options_key: str, verdict: str, text: str
    ) -> None:
        report_cache.put(
            self._store,
            sha256,
            trust_version,
            ENGINE_VERSION,
            options_key,
            verdict=verdict,
            report_json=text,
        )

    def close(self) -> None:
        if self._owns_store:
            self._store.close()
