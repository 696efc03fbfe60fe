"""``DossierSource`` over HTTP: a provincial system or the training server (``openapi.json``).

:class:`HttpClient` is the transport every HTTP adapter shares (``services.adapters``);
:class:`HttpDossierSource` is the contract's adapter on top of it.

One :class:`requests.Session` per client, owned by it and closed with it (``close()`` or
``with``). Every call has a (connect, read) timeout. Transient failures — connection errors,
timeouts, 502/503/504 — are retried with exponential backoff and jitter, honouring
``Retry-After``; nothing else is retried here (4xx are answers, a 500 is a bug on the server
side: the outbox tries again later). Decisions are retried too: they carry an
``Idempotency-Key``, so a resend the server already took records nothing new.

TLS certificates are always verified (``ca_bundle`` adds a private CA; there is no switch to
turn verification off), and plain ``http://`` is accepted only for loopback (the training
server). The bearer token lives in memory only; shortly before it expires it is renewed
(refresh token or remembered password); on a 401 the client signs in again once with
the password remembered in the keyring, if any, and repeats the call once.

Logs carry method, path, status and milliseconds; never passwords, tokens or headers.

Thread safety: the client may be shared by several threads (the synchronizer's download
workers, the outbox sender). requests' ``Session`` is safe for concurrent requests as long as
nobody mutates it meanwhile: this class never changes the session after construction (the
token goes in per request through an ``auth`` object), the cookie jar has its own lock, and
the connection pool is sized for the workers (``pool_size``). Signing in is serialized.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests
import requests.adapters
import requests.auth
import urllib3.exceptions

from intake_desktop.closing import Closing
from intake_desktop.domain import Dossier, DossierStatus, Procedure
from intake_desktop.services import payloads
from intake_desktop.services.credentials import CredentialStore, KeyringUnavailable
from intake_desktop.services.source import (
    AuthenticationFailed,
    CertificateVerificationFailed,
    DecisionConflict,
    DecisionReceipt,
    DecisionRejected,
    DecisionRequest,
    DossierPage,
    MalformedResponse,
    NotFound,
    Officer,
    RangeNotSatisfiable,
    SourceError,
    SourceUnavailable,
)

log = logging.getLogger(__name__)

API = "/api/v1"
RETRYABLE_STATUS = frozenset({502, 503, 504})
"""Gateway errors and "unavailable": the request did not get through, try again shortly."""

Timeout = float | tuple[float, float]

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})

TOKEN_MARGIN = 30.0
"""Seconds before a token's announced expiry when it is renewed (at most a tenth of its life)."""


class _Bearer(requests.auth.AuthBase):
    """Adds the token per request. Also keeps requests from using ``~/.netrc`` credentials,
    which it would otherwise send (and which would replace our header)."""

    def __init__(self, token: str | None) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._token is not None:
            request.headers["Authorization"] = f"Bearer {self._token}"
        return request


class HttpAttachmentStream:
    """An attachment's bytes from the requested offset, read from a streamed response.

    ``size`` is the number of bytes this stream will yield (the rest of the file when
    resuming); ``etag`` the SHA-256 the server gives for the whole file (lowercase hex).
    """

    def __init__(self, response: requests.Response, attachment_id: str, skip: int) -> None:
        self._response = response
        self._attachment_id = attachment_id
        # A server that ignored our Range sends the whole file: drop what we already have.
        self._skip = skip
        length = response.headers.get("Content-Length")
        self.size: int | None = (
            max(int(length) - skip, 0) if length is not None and length.isdigit() else None
        )
        self.etag: str | None = _etag(response.headers.get("ETag"))

    def chunks(self, chunk_size: int = 65536) -> Iterator[bytes]:
        """Yield the bytes. Raises :class:`SourceUnavailable` if the connection breaks."""
        received = 0
        to_skip = self._skip
        # urllib3's read1 hands over bytes as they arrive; read()/iter_content wait for a full
        # chunk and lose it when the connection drops, so a resume would start further back.
        read1 = getattr(self._response.raw, "read1", None)
        source: Iterator[bytes] = (
            iter(lambda: read1(chunk_size), b"")
            if read1 is not None
            else self._response.iter_content(chunk_size)
        )
        try:
            for chunk in source:
                if to_skip:
                    dropped = min(to_skip, len(chunk))
                    to_skip -= dropped
                    chunk = chunk[dropped:]
                    if not chunk:
                        continue
                received += len(chunk)
                yield chunk
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
            raise SourceUnavailable(
                f"download of attachment {self._attachment_id} interrupted after "
                f"{received} bytes ({type(error).__name__})"
            ) from error

    def close(self) -> None:
        """Release the connection."""
        self._response.close()

    def __enter__(self) -> HttpAttachmentStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HttpClient(Closing):
    """What every HTTP(S) dossier source shares: session, timeouts, retries, TLS, tokens.

    Subclasses say how to sign in (:meth:`_request_token`) and, for servers that hand out
    refresh tokens, how to renew a token before it expires (:meth:`_refresh`).
    ``base_url`` is the server's root. ``credentials`` holds the remembered password used to
    sign in again when the token expires. ``session`` lets a caller supply (and own) the session; by
    default the client makes one and closes it in :meth:`close`. ``backoff`` is the first
    retry delay in seconds (doubled each time, up to ``backoff_cap``); a ``Retry-After``
    longer than ``max_retry_after`` is not waited for: the call fails as unavailable.
    ``classroom`` (test mode over a training server) also allows plain ``http`` to a private
    LAN address, where a trainer's laptop serves the class.
    Raises ``ValueError`` for an unusable ``base_url`` (not http(s), or ``http`` where
    :func:`plain_http_allowed` says no) and ``FileNotFoundError`` for a missing ``ca_bundle``.
    """

    def __init__(
        self,
        base_url: str,
        username: str,
        *,
        credentials: CredentialStore,
        timeout: Timeout = (5.0, 30.0),
        ca_bundle: Path | None = None,
        max_retries: int = 3,
        session: requests.Session | None = None,
        backoff: float = 0.5,
        backoff_cap: float = 8.0,
        max_retry_after: float = 30.0,
        pool_size: int = 16,
        classroom: bool = False,
    ) -> None:
        self.base_url = _checked_base_url(base_url, classroom=classroom)
        self.username = username
        self._credentials = credentials
        self._timeout = timeout
        if ca_bundle is not None and not ca_bundle.is_file():
            raise FileNotFoundError(f"CA bundle {ca_bundle} does not exist")
        # Passed on every request, so it wins over anything set on a supplied session.
        self._verify: str | bool = str(ca_bundle) if ca_bundle is not None else True
        self._max_retries = max(0, max_retries)
        self._backoff = backoff
        self._backoff_cap = backoff_cap
        self._max_retry_after = max_retry_after
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=pool_size)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self._session = session
        self._auth_lock = threading.Lock()
        self._token: str | None = None
        self._token_renew_at = float("inf")
        """``time.monotonic()`` shortly before the token expires (as the server said)."""
        self._officer: Officer | None = None
        self._closed = threading.Event()

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """Where dossiers come from, as the store records it: the base URL."""
        return self.base_url

    @property
    def officer(self) -> Officer | None:
        """The signed-in officer, or ``None`` before :meth:`login`."""
        return self._officer

    @property
    def signed_in(self) -> bool:
        """Whether the client holds a token (it may still have expired on the server)."""
        return self._token is not None

    def close(self) -> None:
        """Forget the token, stop pending retry waits and close the session (if ours)."""
        self._closed.set()
        with self._auth_lock:
            self._token = None
        if self._owns_session:
            self._session.close()

    # -- signing in ------------------------------------------------------------------------

    def login(self, password: str | None = None) -> Officer:
        """Sign in and return the officer.

        ``password`` defaults to the one remembered in the keyring. The token is kept in
        memory only; the password is not kept at all (save it with the
        :class:`CredentialStore` to allow silent re-sign-in). Raises
        :class:`AuthenticationFailed` (refused, or no password given and none remembered) and
        :class:`SourceUnavailable`.
        """
        if password is None:
            password = self._stored_password()
            if password is None:
                raise AuthenticationFailed(
                    f"no password given and none remembered for {self.username} at "
                    f"{self.base_url}: sign in with a password"
                )
        with self._auth_lock:
            return self._login(password)

    def logout(self) -> None:
        """Forget the token (the server lets it expire)."""
        with self._auth_lock:
            self._token = None
            self._officer = None

    def _login(self, password: str) -> Officer:
        # Called with _auth_lock held.
        access_token, expires_in, officer = self._request_token(password)
        self._keep_token(access_token, expires_in)
        self._officer = officer
        log.info("signed in as %s at %s", officer.username, self.base_url)
        return officer

    def _keep_token(self, access_token: str, expires_in: int) -> None:
        lifetime = max(0, expires_in)
        self._token = access_token
        self._token_renew_at = time.monotonic() + lifetime - min(TOKEN_MARGIN, lifetime / 10)

    def _request_token(self, password: str) -> tuple[str, int, Officer]:
        """Sign in with ``password``: return (access token, lifetime in seconds, officer).

        Raises :class:`AuthenticationFailed`, :class:`SourceUnavailable`,
        :class:`MalformedResponse`.
        """
        raise NotImplementedError

    def _refresh(self) -> bool:
        """Renew the token without the password, if the server allows; return whether done.

        Called with the sign-in lock held, shortly before the token expires.
        """
        return False

    def _stored_password(self) -> str | None:
        try:
            return self._credentials.get(self.base_url, self.username)
        except KeyringUnavailable as error:
            log.info("no remembered password: %s", error)
            return None

    def _current_token(self) -> str:
        with self._auth_lock:
            if self._token is None:
                # A fresh process (e.g. the outbox after a restart) signs in on its own when
                # the password is remembered.
                password = self._stored_password()
                if password is None:
                    raise AuthenticationFailed(f"not signed in to {self.base_url}: sign in")
                self._login(password)
            elif time.monotonic() >= self._token_renew_at and not self._refresh():
                # About to expire (short-lived tokens): sign in again now rather than
                # take a 401 in the middle of a download.
                password = self._stored_password()
                if password is not None:
                    self._login(password)
            assert self._token is not None
            return self._token

    def _renew_token(self, rejected: str) -> None:
        """The server refused ``rejected``: sign in again unless another thread already did."""
        with self._auth_lock:
            if self._token is not None and self._token != rejected:
                return
            self._token = None
            password = self._stored_password()
            if password is None:
                raise AuthenticationFailed(
                    f"the session at {self.base_url} expired and no password is remembered: "
                    "sign in again"
                )
            log.info("token refused by %s; signing in again", self.base_url)
            self._login(password)

    # -- transport -------------------------------------------------------------------------

    def _open_stream(self, path: str, attachment_id: str, offset: int) -> HttpAttachmentStream:
        """GET ``path`` as a stream of a file's bytes from ``offset`` (``Range`` when > 0)."""
        if offset < 0:
            raise ValueError("offset must be >= 0")
        # Identity encoding: byte ranges and sizes then mean the file's own bytes.
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        response = self._call("GET", path, headers=headers, stream=True)
        skip = 0
        try:
            if offset and response.status_code == 206:
                start = _range_start(response.headers.get("Content-Range"))
                if start != offset:
                    raise MalformedResponse(
                        f"GET {path}: asked for bytes from {offset}, got Content-Range "
                        f"{response.headers.get('Content-Range')!r}"
                    )
            elif offset:
                skip = offset  # 200: the server ignored Range
            return HttpAttachmentStream(response, attachment_id, skip)
        except BaseException:
            response.close()
            raise

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        retries: int | None = None,
    ) -> requests.Response:
        """Send an authenticated request; return a successful response (the caller closes it).

        On 401 signs in again once (with the remembered password) and repeats the request once.
        """
        token = self._current_token()
        try:
            return self._send(
                method,
                path,
                token=token,
                params=params,
                json_body=json_body,
                headers=headers,
                stream=stream,
                retries=retries,
            )
        except AuthenticationFailed:
            self._renew_token(token)
        return self._send(
            method,
            path,
            token=self._current_token(),
            params=params,
            json_body=json_body,
            headers=headers,
            stream=stream,
            retries=retries,
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        retries: int | None = None,
    ) -> requests.Response:
        """Send with retries on transient failures; return a 2xx response or raise.

        ``path`` is under :attr:`base_url`, or a whole URL (a separate sign-in host);
        ``form`` sends an ``application/x-www-form-urlencoded`` body; ``retries`` replaces
        ``max_retries`` for this call (0 for a request that must not be repeated blindly).
        """
        url = path if path.startswith(("https://", "http://")) else self.base_url + path
        max_retries = self._max_retries if retries is None else max(0, retries)
        attempt = 0
        while True:
            if self._closed.is_set():
                raise SourceUnavailable(f"{method} {path}: the client is closed")
            started = time.monotonic()
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    data=form,
                    headers=dict(headers) if headers else None,
                    auth=_Bearer(token),
                    timeout=self._timeout,
                    verify=self._verify,
                    stream=stream,
                    # A redirect would turn a POST into a GET and may leave the host: refuse.
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as error:
                log.warning("%s %s: TLS verification failed", method, path)
                raise CertificateVerificationFailed(
                    f"the certificate of {self.base_url} could not be verified: {_reason(error)}"
                ) from error
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as error:
                elapsed = _ms(started)
                log.info(
                    "%s %s failed after %d ms: %s", method, path, elapsed, type(error).__name__
                )
                if attempt >= max_retries:
                    raise SourceUnavailable(
                        f"{method} {path}: {self.base_url} unreachable ({_reason(error)})"
                    ) from error
                delay = self._delay(attempt, None)
            else:
                status = response.status_code
                # Successes at DEBUG: a first sync makes thousands of requests.
                log.log(
                    logging.DEBUG if status < 300 else logging.INFO,
                    "%s %s %d %d ms",
                    method,
                    path,
                    status,
                    _ms(started),
                )
                if 200 <= status < 300:
                    return response
                retry_after = _retry_after(response.headers.get("Retry-After"))
                if (
                    status not in RETRYABLE_STATUS
                    or attempt >= max_retries
                    or (retry_after is not None and retry_after > self._max_retry_after)
                ):
                    with response:
                        raise self._error(response, method, path, retry_after)
                response.close()
                delay = self._delay(attempt, retry_after)
            attempt += 1
            log.info("%s %s: retry %d in %.2f s", method, path, attempt, delay)
            if self._closed.wait(delay):
                raise SourceUnavailable(f"{method} {path}: the client is closed")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        # "Equal jitter": half fixed, half random, so many clients do not retry in lockstep.
        ceiling = min(self._backoff_cap, self._backoff * 2.0**attempt)
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        return max(delay, retry_after) if retry_after is not None else delay

    def _error(
        self, response: requests.Response, method: str, path: str, retry_after: float | None
    ) -> SourceError:
        status = response.status_code
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        _code, message, fields = payloads.error_body(body)
        said = f": {message}" if message else ""
        where = f"{method} {path}"
        if status == 401:
            return AuthenticationFailed(f"{where}: the server refused the sign-in{said}")
        if status == 404:
            return NotFound(f"{where}: not found on the server{said}")
        if status == 409:
            dossier_status, version = payloads.conflict_state(body)
            return DecisionConflict(
                f"{where}: the dossier was decided or changed since{said}", dossier_status, version
            )
        if status == 416:
            return RangeNotSatisfiable(f"{where}: cannot resume from there{said}")
        if status == 422:
            return DecisionRejected(f"{where}: the server refused the request{said}", fields)
        if status == 429 or status >= 500:
            error = SourceUnavailable(f"{where}: server error {status}{said}")
            error.retry_after = retry_after
            return error
        if 300 <= status < 400:
            return SourceError(
                f"{where}: unexpected redirect ({status}) to {response.headers.get('Location')!r}"
            )
        return SourceError(f"{where}: HTTP {status}{said}")


class HttpDossierSource(HttpClient):
    """The provincial procedure system (or the training server) over HTTP(S), as the
    contract (``resources/api/openapi.json``) says.

    ``base_url`` is the server's root, e.g. ``https://dichvucong.example.gov.vn`` (the API is
    under ``/api/v1``). See :class:`HttpClient` for the other settings.
    """

    def _request_token(self, password: str) -> tuple[str, int, Officer]:
        path = f"{API}/auth/token"
        try:
            response = self._send(
                "POST",
                path,
                token=None,
                json_body={"username": self.username, "password": password},
            )
        except DecisionRejected as error:  # 422: missing fields
            raise AuthenticationFailed(f"sign-in refused: {error}") from None
        with response:
            return payloads.token(_json(response, f"POST {path}"), f"POST {path}")

    # -- the DossierSource protocol --------------------------------------------------------

    def list_procedures(self, updated_since: datetime | None = None) -> list[Procedure]:
        """Return the procedure catalog (changed since ``updated_since``).

        Raises :class:`SourceUnavailable`, :class:`AuthenticationFailed`,
        :class:`MalformedResponse`.
        """
        path = f"{API}/procedures"
        params = {"updated_since": _iso(updated_since)} if updated_since else None
        with self._call("GET", path, params=params) as response:
            return payloads.procedures(_json(response, f"GET {path}"), f"GET {path}")

    def list_dossiers(
        self,
        *,
        status: DossierStatus | None = None,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """Return a page of dossier summaries ordered by (updated_at, code).

        ``updated_since`` is inclusive; pass ``cursor`` from the previous page for the next.
        Raises :class:`SourceUnavailable`, :class:`AuthenticationFailed`,
        :class:`MalformedResponse`.
        """
        return self._list(
            {"status": status.value} if status is not None else {}, updated_since, cursor, limit
        )

    def list_unit_dossiers(
        self,
        *,
        submitted_from: date,
        submitted_to: date,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """Return a page of the unit's dossiers submitted from ``submitted_from`` to
        ``submitted_to`` (Vietnam dates, inclusive), every status: the office-wide sync.

        Raises as :meth:`list_dossiers` does.
        """
        dates = {
            "submitted_from": submitted_from.isoformat(),
            "submitted_to": submitted_to.isoformat(),
        }
        return self._list(dates, updated_since, cursor, limit)

    def _list(
        self,
        filters: dict[str, str],
        updated_since: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> DossierPage:
        path = f"{API}/dossiers"
        params: dict[str, str] = {"limit": str(limit), **filters}
        if updated_since is not None:
            params["updated_since"] = _iso(updated_since)
        if cursor is not None:
            params["cursor"] = cursor
        with self._call("GET", path, params=params) as response:
            return payloads.dossier_page(_json(response, f"GET {path}"), f"GET {path}")

    def get_dossier(self, code: str) -> Dossier:
        """Return the whole dossier.

        Raises :class:`NotFound`, :class:`SourceUnavailable`, :class:`AuthenticationFailed`,
        :class:`MalformedResponse`.
        """
        path = f"{API}/dossiers/{_segment(code)}"
        with self._call("GET", path) as response:
            return payloads.dossier(_json(response, f"GET {path}"), f"GET {path}")

    def open_attachment(self, attachment_id: str, offset: int = 0) -> HttpAttachmentStream:
        """Open a stream of the attachment's bytes from ``offset`` (``Range`` when > 0).

        Close the stream when done. Raises :class:`NotFound`, :class:`RangeNotSatisfiable`
        (the offset is at or past the end: start again), :class:`SourceUnavailable`,
        :class:`AuthenticationFailed`, :class:`MalformedResponse`.
        """
        path = f"{API}/attachments/{_segment(attachment_id)}/content"
        return self._open_stream(path, attachment_id, offset)

    def submit_decision(self, decision: DecisionRequest) -> DecisionReceipt:
        """Record a decision; a resend with the same ``decision_id`` records nothing new.

        Raises :class:`DecisionConflict` (409), :class:`DecisionRejected` (422),
        :class:`NotFound`, :class:`SourceUnavailable` (try again later),
        :class:`AuthenticationFailed`, :class:`MalformedResponse`.
        """
        path = f"{API}/dossiers/{_segment(decision.dossier_code)}/decisions"
        with self._call(
            "POST",
            path,
            json_body=payloads.decision_body(decision),
            headers={"Idempotency-Key": decision.decision_id},
        ) as response:
            return payloads.decision_receipt(_json(response, f"POST {path}"), f"POST {path}")


def _checked_base_url(base_url: str, *, classroom: bool = False) -> str:
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"server address must be an http(s) URL, got {base_url!r}")
    if parts.scheme == "http" and not plain_http_allowed(parts.hostname, classroom=classroom):
        raise ValueError(
            f"{base_url!r}: plain http is only allowed to this computer (or, in test mode, to "
            "a training server on the local network); use https"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("server address must not carry a query, fragment or credentials")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def plain_http_allowed(host: str, *, classroom: bool = False) -> bool:
    """Whether ``http://host`` may be used: this computer (the training server run locally),
    or with ``classroom`` a private-network address (a trainer's laptop on the class LAN).

    The provincial system is always reached over https: a live session never passes
    ``classroom``, and test mode never sends anything to the real system.
    """
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or (classroom and address.is_private and not address.is_link_local)


def _segment(value: str) -> str:
    # Ids go in the path: quote everything, so "../x" or "a/b" cannot change the route.
    return quote(value, safe="")


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return value.isoformat()


def _json(response: requests.Response, where: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise MalformedResponse(
            f"{where}: the answer is not JSON ({response.headers.get('Content-Type')!r})"
        ) from None
    except requests.RequestException as error:
        raise SourceUnavailable(f"{where}: connection lost reading the answer") from error


def _etag(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"').lower() or None


def _range_start(content_range: str | None) -> int | None:
    # "bytes 1000-4999/5000"
    if not content_range or not content_range.startswith("bytes "):
        return None
    first = content_range[6:].split("-", 1)[0]
    return int(first) if first.isdigit() else None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reason(error: BaseException) -> str:
    # requests' messages repeat the URL and pool details; the innermost cause is the news.
    cause: BaseException = error
    for _ in range(10):
        inner = cause.__cause__ or cause.__context__
        if inner is None:
            break
        cause = inner
    return type(error).__name__ if cause is error else f"{type(error).__name__}: {cause}"


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
