"""``DossierSource`` for VNPT iGate v2 (the "digo" services), e.g. Kon Tum's motcua system.

Endpoints and fields, with where each was seen and what is inferred: ``docs/adapters/igate.md``.
Sign-in is OpenID Connect (Keycloak, password grant) on the SSO host; tokens live about five
minutes and are renewed with the refresh token before they expire. The API gateway serves
``/pa/dossier/search`` (Spring pages), ``/pa/dossier/{id}/--online`` (the detail with
``dossierFormFile``), ``/fi/file/{id}`` (bytes) and the status change.

iGate has no Idempotency-Key and no dossier version, so deciding is: look the dossier up; if
it already carries this decision's tag in its status comment, the earlier send got through
(answer from what the server shows); if it left "awaiting intake" or changed since the
officer looked, that is a conflict; otherwise send once, without blind retries, and on any
doubt look it up again. A decision is never sent twice to a dossier that took it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from intake_desktop.clock import VN_TZ
from intake_desktop.domain import DecisionKind, Dossier, DossierStatus, Procedure
from intake_desktop.services.adapters import igate_payloads as payloads
from intake_desktop.services.adapters.igate_codes import igate_status_for
from intake_desktop.services.adapters.sign_in import NoSignInService, keycloak_refusal
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import (
    HttpAttachmentStream,
    HttpClient,
    _checked_base_url,
    _json,
    _segment,
)
from intake_desktop.services.payloads import JsonObject
from intake_desktop.services.source import (
    AuthenticationFailed,
    CertificateVerificationFailed,
    DecisionConflict,
    DecisionReceipt,
    DecisionRejected,
    DecisionRequest,
    DossierPage,
    DossierSummary,
    MalformedResponse,
    NotFound,
    Officer,
    SourceError,
    SourceUnavailable,
)

log = logging.getLogger(__name__)

DEFAULT_REALM = "digo"
DEFAULT_CLIENT_ID = "web-motcua"
MAX_PAGE_SIZE = 100
SERVER_TIME_MARGIN = timedelta(seconds=60)
"""Taken off the server's ``Date`` before it becomes the next sync's start: the gateway's clock
and the one that wrote ``updatedDate`` may differ a little; relisting a minute costs nothing."""


class IgateDossierSource(HttpClient):
    """VNPT iGate over HTTPS.

    ``base_url`` is the API gateway (``https://apiigate.<tỉnh>.gov.vn``); ``sso_url`` the
    Keycloak host (default: the gateway's own address); ``realm`` and ``client_id`` as the
    province configured them. ``agency_id`` narrows the search to one agency
    (``ancestor-agency-id``). Other options as :class:`HttpClient`.
    """

    def __init__(
        self,
        base_url: str,
        username: str,
        *,
        credentials: CredentialStore,
        sso_url: str = "",
        realm: str = DEFAULT_REALM,
        client_id: str = DEFAULT_CLIENT_ID,
        agency_id: str = "",
        **options: Any,
    ) -> None:
        super().__init__(base_url, username, credentials=credentials, **options)
        classroom = bool(options.get("classroom", False))
        self.sso_url = _checked_base_url(sso_url, classroom=classroom) if sso_url else self.base_url
        if not realm.strip() or not client_id.strip():
            raise ValueError("iGate needs a realm and a client id")
        self.realm = realm.strip()
        self.client_id = client_id.strip()
        self._agency_id = agency_id.strip()
        self._refresh_token: str | None = None
        self._ids: dict[str, str] = {}
        self._ids_lock = threading.Lock()

    # -- signing in ------------------------------------------------------------------------

    @property
    def _oidc(self) -> str:
        return f"{self.sso_url}/auth/realms/{_segment(self.realm)}/protocol/openid-connect"

    def _request_token(self, password: str) -> tuple[str, int, Officer]:
        grant = self._grant(
            {
                "grant_type": "password",
                "client_id": self.client_id,
                "username": self.username,
                "password": password,
                "scope": "openid",
            }
        )
        path = f"{self._oidc}/userinfo"
        with self._send("GET", path, token=grant.access_token) as response:
            officer = payloads.officer(_json(response, "GET userinfo"), "userinfo", self.username)
        return grant.access_token, grant.expires_in, officer

    def _refresh(self) -> bool:
        if self._refresh_token is None:
            return False
        try:
            grant = self._grant(
                {
                    "grant_type": "refresh_token",
                    "client_id": self.client_id,
                    "refresh_token": self._refresh_token,
                }
            )
        except AuthenticationFailed:
            self._refresh_token = None  # the SSO session ended: sign in with the password
            return False
        self._keep_token(grant.access_token, grant.expires_in)
        log.debug("token of %s renewed at %s", self.username, self.sso_url)
        return True

    def _grant(self, form: dict[str, str]) -> payloads.Grant:
        """POST the token endpoint. Raises the typed refusals of
        :mod:`~intake_desktop.services.adapters.sign_in` (realm, client id, SSO address,
        password), :class:`SourceUnavailable`, :class:`CertificateVerificationFailed`."""
        where = "POST token"
        try:
            response = self._send("POST", self._token_url, token=None, form=form)
        except (AuthenticationFailed, SourceUnavailable, CertificateVerificationFailed):
            raise
        except SourceError as error:
            # A redirect or an answer no Keycloak gives: something else lives at that address.
            raise NoSignInService(f"{error}: not a Keycloak token endpoint", self.sso_url) from None
        with response:
            try:
                document = _json(response, where)
            except MalformedResponse as error:
                raise NoSignInService(
                    f"{error}: not a Keycloak token endpoint", self.sso_url
                ) from None
            grant = payloads.grant(document, "token")
        self._refresh_token = grant.refresh_token
        return grant

    @property
    def _token_url(self) -> str:
        return f"{self._oidc}/token"

    def _error(
        self, response: requests.Response, method: str, path: str, retry_after: float | None
    ) -> SourceError:
        # Keycloak says in its body whether the realm, the client id or the password is
        # wrong: keep that apart, so the officer is told which setting to fix.
        if path == self._token_url:
            try:
                body: object = response.json()
            except ValueError:
                body = None
            refusal = keycloak_refusal(
                response.status_code,
                body,
                where=f"{method} token",
                sso_url=self.sso_url,
                realm=self.realm,
                client_id=self.client_id,
            )
            if refusal is not None:
                return refusal
        return super()._error(response, method, path, retry_after)

    def close(self) -> None:
        self._refresh_token = None
        super().close()

    # -- the DossierSource protocol --------------------------------------------------------

    def list_procedures(self, updated_since: datetime | None = None) -> list[Procedure]:
        """The catalog stays the desk's own: iGate's procedure service is not used (empty)."""
        return []

    def list_dossiers(
        self,
        *,
        status: DossierStatus | None = None,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """A page of summaries, newest change first (iGate pages by number, not cursor).

        Paging stops at the first dossier changed before ``updated_since``. A dossier in a
        status the desk does not know is listed as ``DossierStatus.OTHER`` (``status=OTHER``
        cannot be searched for: ``ValueError``). Raises :class:`SourceUnavailable`,
        :class:`AuthenticationFailed`, :class:`MalformedResponse`.
        """
        if status is DossierStatus.OTHER:
            raise ValueError("iGate cannot be searched for the statuses the desk does not know")
        filters = {} if status is None else {"dossier-status": str(igate_status_for(status).id)}
        return self._search(filters, updated_since, cursor, limit)

    def list_unit_dossiers(
        self,
        *,
        submitted_from: date,
        submitted_to: date,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """A page of the unit's dossiers submitted on those Vietnam dates (inclusive), every
        status: the supervisor's office-wide sync (:class:`UnitListing`).

        ``/pa/dossier/search`` without ``dossier-status`` and with ``applied-from`` /
        ``applied-to`` (inferred names, after the confirmed ``accepted-from`` /
        ``appointment-from``); a gateway that ignores them still lists only those days, as
        the pages are also filtered here by ``appliedDate``. Raises as :meth:`list_dossiers`.
        """
        if submitted_from > submitted_to:
            raise ValueError("the date range ends before it starts")
        start = datetime.combine(submitted_from, time(0, 0), tzinfo=VN_TZ)
        end = datetime.combine(submitted_to + timedelta(days=1), time(0, 0), tzinfo=VN_TZ)
        filters = {
            "applied-from": payloads.igate_time(start),
            "applied-to": payloads.igate_time(end - timedelta(milliseconds=1)),
        }
        return self._search(
            filters,
            updated_since,
            cursor,
            limit,
            keep=lambda summary: start <= summary.submitted_at < end,
        )

    def _search(
        self,
        filters: dict[str, str],
        updated_since: datetime | None,
        cursor: str | None,
        limit: int,
        keep: Callable[[DossierSummary], bool] | None = None,
    ) -> DossierPage:
        page_number = _page_number(cursor)
        size = max(1, min(limit, MAX_PAGE_SIZE))
        params = {
            "page": str(page_number),
            "size": str(size),
            "spec": "page",
            "sort": "updatedDate,desc",
            **filters,
        }
        if self._agency_id:
            params["ancestor-agency-id"] = self._agency_id
            params["isAgencySearch"] = "true"
        path = "/pa/dossier/search"
        with self._call("GET", path, params=params) as response:
            page = payloads.search_page(_json(response, f"GET {path}"), f"GET {path}", size)
            server_time = _server_time(response.headers.get("Date"), f"GET {path}")
        items = []
        reached_older = False
        with self._ids_lock:
            for igate_id, summary in page.items:
                self._ids[summary.code] = igate_id
                if updated_since is not None and summary.updated_at < updated_since:
                    reached_older = True
                    continue
                if keep is None or keep(summary):
                    items.append(summary)
        done = page.last or reached_older
        return DossierPage(
            items=tuple(items),
            next_cursor=None if done else str(page_number + 1),
            server_time=server_time - SERVER_TIME_MARGIN,
        )

    def get_dossier(self, code: str) -> Dossier:
        """The whole dossier with its decision history (``task[]``, every officer's); in a
        status the desk does not know, ``DossierStatus.OTHER`` with iGate's words in
        ``raw_status``. Raises :class:`NotFound`, :class:`MalformedResponse`,
        :class:`SourceUnavailable`, :class:`AuthenticationFailed`."""
        return self._detail(code).dossier

    def open_attachment(self, attachment_id: str, offset: int = 0) -> HttpAttachmentStream:
        """Stream a file's bytes (``/fi/file/{id}``) from ``offset``."""
        return self._open_stream(f"/fi/file/{_segment(attachment_id)}", attachment_id, offset)

    def submit_decision(self, decision: DecisionRequest) -> DecisionReceipt:
        """Record a decision once (see the module's doc). Raises :class:`DecisionConflict`,
        :class:`DecisionRejected`, :class:`NotFound`, :class:`SourceUnavailable`,
        :class:`AuthenticationFailed`, :class:`MalformedResponse`."""
        _check(decision)
        current = self._detail(decision.dossier_code, fresh=True)
        delivered = self._delivered(current, decision)
        if delivered is not None:
            log.info("decision %s was already on %s", decision.decision_id, self.base_url)
            return delivered
        dossier = current.dossier
        if dossier.status is not DossierStatus.AWAITING_INTAKE:
            raise DecisionConflict(
                f"dossier {dossier.code} was already decided: it is {dossier.status}",
                dossier.status,
                dossier.version,
            )
        if dossier.version != decision.dossier_version:
            raise DecisionConflict(
                f"dossier {dossier.code} changed since the officer looked at it",
                dossier.status,
                dossier.version,
            )
        path = f"/pa/dossier/{_segment(current.id)}/status"
        body = payloads.status_body(decision, datetime.now(UTC))
        try:
            # No blind retry: the next attempt (here or from the outbox) looks first.
            with self._call("PUT", path, json_body=body, retries=0) as response:
                answer = payloads.dossier(_json(response, f"PUT {path}"), f"PUT {path}")
        except (AuthenticationFailed, NotFound, MalformedResponse, CertificateVerificationFailed):
            raise
        except SourceError as error:
            # Did it get through before the failure? Then it is done; otherwise say why.
            after = self._delivered(self._detail(decision.dossier_code, fresh=True), decision)
            if after is not None:
                return after
            if isinstance(error, (SourceUnavailable, DecisionConflict, DecisionRejected)):
                raise
            # iGate answers 400 when it refuses a change (e.g. the dossier moved meanwhile).
            raise DecisionRejected(str(error), {"body": str(error)}) from None
        receipt = self._receipt(answer, decision)
        if receipt is None:
            raise MalformedResponse(
                f"PUT {path}: the answer does not show decision {decision.decision_id}"
            )
        return receipt

    # -- helpers ---------------------------------------------------------------------------

    def _detail(self, code: str, *, fresh: bool = False) -> payloads.IgateDossier:
        igate_id = None if fresh else self._known_id(code)
        if igate_id is None:
            igate_id = self._find_id(code)
        path = f"/pa/dossier/{_segment(igate_id)}/--online"
        with self._call("GET", path) as response:
            found = payloads.dossier(_json(response, f"GET {path}"), f"GET {path}")
        if found.dossier.code != code:
            raise MalformedResponse(f"GET {path}: asked for {code}, got {found.dossier.code}")
        return found

    def _known_id(self, code: str) -> str | None:
        with self._ids_lock:
            return self._ids.get(code)

    def _find_id(self, code: str) -> str:
        path = "/pa/dossier/search"
        params = {"page": "0", "size": "20", "spec": "page", "code": code}
        with self._call("GET", path, params=params) as response:
            document = _json(response, f"GET {path}")
        content = JsonObject(document, f"GET {path}").objects("content")
        for entry in content:
            if entry.text("code") == code:
                igate_id = entry.text("id")
                with self._ids_lock:
                    self._ids[code] = igate_id
                return igate_id
        raise NotFound(f"GET {path}: no dossier {code} on {self.base_url}")

    def _delivered(
        self, current: payloads.IgateDossier, decision: DecisionRequest
    ) -> DecisionReceipt | None:
        return self._receipt(current, decision)

    def _receipt(
        self, shown: payloads.IgateDossier, decision: DecisionRequest
    ) -> DecisionReceipt | None:
        """A receipt if the dossier shows this decision taken, else ``None``."""
        if payloads.tagged_decision(shown.status_comment) != decision.decision_id:
            return None
        if shown.dossier.status is not decision.kind.resulting_status:
            return None
        return DecisionReceipt(
            decision_id=decision.decision_id,
            dossier_code=shown.dossier.code,
            kind=decision.kind,
            status=shown.dossier.status,
            version=shown.dossier.version,
            recorded_at=shown.updated_at,
            officer=self.username,
        )


def _check(decision: DecisionRequest) -> None:
    # iGate checks little itself: what the contract server refuses with 422, refuse here.
    problems: dict[str, str] = {}
    if decision.kind is DecisionKind.ACCEPT and decision.appointment_date is None:
        problems["appointment_date"] = "accept needs the appointment date (ngày hẹn trả kết quả)"
    if decision.kind is not DecisionKind.ACCEPT and not any(r.strip() for r in decision.reasons):
        problems["reasons"] = f"{decision.kind} needs at least one reason"
    if problems:
        raise DecisionRejected("the decision is invalid: see fields", problems)


def _page_number(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise ValueError(f"not an iGate page cursor: {cursor!r}")
    return int(cursor)


def _server_time(date_header: str | None, where: str) -> datetime:
    if not date_header:
        raise MalformedResponse(f"{where}: missing header 'Date' (the server's clock)")
    try:
        moment = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        raise MalformedResponse(f"{where}: header 'Date' is not a date: {date_header!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
