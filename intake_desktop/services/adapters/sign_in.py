"""Why an OpenID Connect (Keycloak) sign-in was refused, as typed errors.

A refused sign-in is not always a wrong password: a realm or client id that the sign-in
server does not know is a setting to fix, not something the officer can retype. Keycloak
says which in its answer (``docs/adapters/igate.md``, "Sign-in errors"), so the adapter
raises one of these and the UI names the setting. Every one is an
:class:`~intake_desktop.services.source.AuthenticationFailed`, so code that only cares that
the sign-in failed keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping

from intake_desktop.services.source import AuthenticationFailed, SourceError


class SignInSettingWrong(AuthenticationFailed):
    """The sign-in server refused one of the desk's settings (not the officer's password)."""

    setting = ""
    """Which setting: ``"sso_url"``, ``"realm"`` or ``"client_id"``."""

    def __init__(self, message: str, value: str) -> None:
        super().__init__(message)
        self.value = value
        """The setting's value the server refused, to show the officer."""


class UnknownRealm(SignInSettingWrong):
    """Keycloak has no realm of that name (404 ``{"error": "Realm does not exist"}``)."""

    setting = "realm"


class UnknownClient(SignInSettingWrong):
    """Keycloak does not know the client id, or it may not sign officers in with a password
    (``invalid_client`` / ``unauthorized_client``)."""

    setting = "client_id"


class NoSignInService(SignInSettingWrong):
    """Nothing answers as a Keycloak token endpoint at the sign-in address (404 without
    Keycloak's realm message, or not JSON): the SSO address is wrong."""

    setting = "sso_url"


class WrongCredentials(AuthenticationFailed):
    """Keycloak refused the username or password (401 ``invalid_grant``)."""


class AccountUnusable(AuthenticationFailed):
    """Keycloak knows the account but will not sign it in (400 ``invalid_grant``: disabled,
    not fully set up…); ``str()`` carries Keycloak's words."""


_CLIENT_ERRORS = frozenset({"invalid_client", "unauthorized_client"})


def keycloak_refusal(
    status: int,
    body: object,
    *,
    where: str,
    sso_url: str,
    realm: str,
    client_id: str,
) -> SourceError | None:
    """The typed error for a Keycloak token endpoint's error answer, or ``None`` when the
    answer is not a sign-in refusal (5xx, 429…: the transport's own errors apply).

    ``body`` is the parsed JSON (anything else when the answer was not JSON).
    """
    error = body.get("error") if isinstance(body, Mapping) else None
    description = body.get("error_description") if isinstance(body, Mapping) else None
    said = f" ({error}: {description})" if description else f" ({error})" if error else ""
    if status == 404:
        if error == "Realm does not exist":
            return UnknownRealm(f"{where}: {sso_url} has no sign-in realm {realm!r}", realm)
        return NoSignInService(f"{where}: no Keycloak token endpoint at {sso_url}{said}", sso_url)
    if status not in (400, 401):
        return None
    if error in _CLIENT_ERRORS:
        return UnknownClient(
            f"{where}: the sign-in server refuses client id {client_id!r}{said}", client_id
        )
    if error == "invalid_grant":
        if status == 401:
            return WrongCredentials(f"{where}: wrong username or password{said}")
        return AccountUnusable(f"{where}: the account cannot sign in{said}")
    return AuthenticationFailed(f"{where}: sign-in refused (HTTP {status}){said}")
