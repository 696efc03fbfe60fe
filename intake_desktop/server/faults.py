"""Network trouble on demand, for tests and for trainers (``serve --fault-injection``).

Set with ``POST /api/v1/_training/faults`` and cleared with ``DELETE``; a POST changes only
the faults it names (``null`` clears one). Faults never touch the ``/_training/`` routes.

- ``status_burst``: ``{"code": 503, "count": 3, "path_prefix": "/api/v1/dossiers",
  "retry_after": 1}`` — the next ``count`` matching requests fail with ``code`` (429 or 5xx)
  before doing anything; ``Retry-After`` only when ``retry_after`` is given.
- ``delay_seconds``: every answer is held this long after the work is done (so a client that
  times out may still have changed the server: the case idempotency keys are for).
- ``cut_download_after_bytes``: attachment downloads send this many bytes of the body, then
  the connection is closed, short of the declared ``Content-Length``.
- ``wrong_sha256_for``: attachment ids whose declared SHA-256 (dossier JSON and ``ETag``)
  does not match the bytes served.
- ``expire_tokens``: ``true`` makes every officer's token issued so far expire now (an
  action, not a lasting fault): their next call gets 401. The trainer's tokens are spared.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from intake_desktop.server.errors import ValidationFailed

TRAINING_PREFIX = "/api/v1/_training/"
MAX_DELAY_SECONDS = 120.0
_KEYS = frozenset(
    {
        "status_burst",
        "delay_seconds",
        "cut_download_after_bytes",
        "wrong_sha256_for",
        "expire_tokens",
    }
)
_BURST_KEYS = frozenset({"code", "count", "path_prefix", "retry_after"})


@dataclass(frozen=True, slots=True)
class StatusBurst:
    """The next ``count`` requests whose path starts with ``path_prefix`` fail with ``code``."""

    code: int
    count: int
    path_prefix: str = "/api/v1/"
    retry_after: int | None = None


@dataclass(frozen=True, slots=True)
class FaultUpdate:
    """A parsed POST body: which faults to set (``None`` = unchanged) or clear."""

    changes: dict[str, Any] = field(default_factory=dict)
    expire_tokens: bool = False


def parse_update(document: object) -> FaultUpdate:
    """Check a POST body. Raises :class:`ValidationFailed` naming the faulty fields."""
    if not isinstance(document, Mapping):
        raise ValidationFailed("expected a JSON object of faults", {"body": "not an object"})
    problems: dict[str, str] = {}
    changes: dict[str, Any] = {}
    for key in document:
        if key not in _KEYS:
            problems[str(key)] = f"unknown fault; known: {', '.join(sorted(_KEYS))}"
    if "status_burst" in document:
        burst = document["status_burst"]
        changes["status_burst"] = None if burst is None else _burst(burst, problems)
    if "delay_seconds" in document:
        delay = document["delay_seconds"]
        if delay is None:
            changes["delay_seconds"] = 0.0
        elif _number(delay) and 0 <= delay <= MAX_DELAY_SECONDS:
            changes["delay_seconds"] = float(delay)
        else:
            problems["delay_seconds"] = f"a number of seconds from 0 to {MAX_DELAY_SECONDS:g}"
    if "cut_download_after_bytes" in document:
        cut = document["cut_download_after_bytes"]
        if cut is None or (_integer(cut) and cut >= 0):
            changes["cut_download_after_bytes"] = cut
        else:
            problems["cut_download_after_bytes"] = "a number of bytes (0 or more) or null"
    if "wrong_sha256_for" in document:
        ids = document["wrong_sha256_for"]
        if ids is None:
            ids = []
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            problems["wrong_sha256_for"] = "a list of attachment ids"
        else:
            changes["wrong_sha256_for"] = frozenset(ids)
    expire = document.get("expire_tokens", False)
    if not isinstance(expire, bool) and expire is not None:
        problems["expire_tokens"] = "true or false"
    if problems:
        raise ValidationFailed("invalid faults", problems)
    return FaultUpdate(changes, expire_tokens=bool(expire))


def _burst(value: object, problems: dict[str, str]) -> StatusBurst | None:
    if not isinstance(value, Mapping):
        problems["status_burst"] = "an object with code and count, or null"
        return None
    unknown = sorted(str(key) for key in value if key not in _BURST_KEYS)
    code, count = value.get("code"), value.get("count", 1)
    prefix, retry_after = value.get("path_prefix", "/api/v1/"), value.get("retry_after")
    if unknown:
        problems["status_burst"] = f"unknown fields: {', '.join(unknown)}"
    elif not (_integer(code) and (code == 429 or 500 <= code <= 599)):
        problems["status_burst.code"] = "429 or 500 to 599"
    elif not (_integer(count) and count >= 0):
        problems["status_burst.count"] = "a number of requests (0 or more)"
    elif not isinstance(prefix, str) or not prefix.startswith("/"):
        problems["status_burst.path_prefix"] = "a path starting with /"
    elif retry_after is not None and not (_integer(retry_after) and retry_after >= 0):
        problems["status_burst.retry_after"] = "whole seconds (0 or more) or null"
    else:
        return StatusBurst(code, count, prefix, retry_after)
    return None


def _integer(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Faults:
    """The faults in force; safe to use from the server's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._burst: StatusBurst | None = None
        self._delay = 0.0
        self._cut: int | None = None
        self._wrong: frozenset[str] = frozenset()

    def apply(self, update: FaultUpdate) -> None:
        """Set the faults an update names; leave the others as they are."""
        with self._lock:
            changes = update.changes
            if "status_burst" in changes:
                self._burst = changes["status_burst"]
            if "delay_seconds" in changes:
                self._delay = changes["delay_seconds"]
            if "cut_download_after_bytes" in changes:
                self._cut = changes["cut_download_after_bytes"]
            if "wrong_sha256_for" in changes:
                self._wrong = changes["wrong_sha256_for"]

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._burst, self._delay, self._cut, self._wrong = None, 0.0, None, frozenset()

    def take_status(self, path: str) -> tuple[StatusBurst, int] | None:
        """Use up one failure of the burst if ``path`` matches it.

        Returns the burst and which failure this is (1-based), or ``None``: answer normally.
        """
        if path.startswith(TRAINING_PREFIX):
            return None
        with self._lock:
            burst = self._burst
            if burst is None or burst.count <= 0 or not path.startswith(burst.path_prefix):
                return None
            self._burst = StatusBurst(
                burst.code, burst.count - 1, burst.path_prefix, burst.retry_after
            )
            return burst, burst.count

    @property
    def delay_seconds(self) -> float:
        return self._delay

    @property
    def cut_download_after_bytes(self) -> int | None:
        return self._cut

    @property
    def wrong_sha256_for(self) -> frozenset[str]:
        return self._wrong

    def document(self) -> dict[str, Any]:
        """Return the faults in force as JSON (the shape a POST takes)."""
        with self._lock:
            burst = self._burst
            return {
                "status_burst": (
                    None
                    if burst is None or burst.count <= 0
                    else {
                        "code": burst.code,
                        "count": burst.count,
                        "path_prefix": burst.path_prefix,
                        "retry_after": burst.retry_after,
                    }
                ),
                "delay_seconds": self._delay,
                "cut_download_after_bytes": self._cut,
                "wrong_sha256_for": sorted(self._wrong),
            }
