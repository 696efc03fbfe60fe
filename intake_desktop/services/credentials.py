"""Officers' passwords in the operating system's keyring, and nowhere else.

One entry per server and officer: service ``intake-desktop``, key ``"<server url>|<username>"``.
When no usable keyring exists (a headless Linux box without Secret Service, or the ``fail`` /
``null`` backends) every call raises :class:`KeyringUnavailable`: the app then asks for the
password at each sign-in. There is deliberately no fallback that writes passwords to disk, and
keyring backends that store them in plain text are refused.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "intake-desktop"

# Backends that cannot keep a secret: fail/null do not store anything (null pretends to),
# PlaintextKeyring (keyrings.alt) writes the password in clear to a file.
_REFUSED_BACKENDS = frozenset(
    {
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
    }
)


class CredentialError(Exception):
    """Base class of the credential store's errors."""


class KeyringUnavailable(CredentialError):
    """No usable keyring: the password cannot be remembered, ask the officer each time."""


def credential_key(server_url: str, username: str) -> str:
    """Return the keyring entry name for an officer on a server (trailing ``/`` ignored)."""
    return f"{server_url.rstrip('/')}|{username}"


class CredentialStore:
    """Remembered passwords, in the system keyring.

    ``backend`` is for tests and special deployments; by default the keyring library's
    configured backend is used (looked up at each call, so ``keyring.set_keyring`` applies).
    """

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend

    def available(self) -> bool:
        """Return whether passwords can be remembered on this machine."""
        try:
            self._usable_backend()
        except KeyringUnavailable:
            return False
        return True

    def save(self, server_url: str, username: str, password: str) -> None:
        """Remember the password. Raises :class:`KeyringUnavailable`."""
        backend = self._usable_backend()
        try:
            backend.set_password(SERVICE, credential_key(server_url, username), password)
        except Exception as error:  # noqa: BLE001 - backends raise anything; all mean "cannot"
            raise KeyringUnavailable(_failure("save the password in", backend, error)) from None

    def get(self, server_url: str, username: str) -> str | None:
        """Return the remembered password, or ``None``. Raises :class:`KeyringUnavailable`."""
        backend = self._usable_backend()
        try:
            password = backend.get_password(SERVICE, credential_key(server_url, username))
        except Exception as error:  # noqa: BLE001 - backends raise anything; all mean "cannot"
            raise KeyringUnavailable(_failure("read", backend, error)) from None
        return password if isinstance(password, str) else None

    def delete(self, server_url: str, username: str) -> bool:
        """Forget the password. Returns whether one was stored.

        Raises :class:`KeyringUnavailable`.
        """
        backend = self._usable_backend()
        try:
            backend.delete_password(SERVICE, credential_key(server_url, username))
        except keyring.errors.PasswordDeleteError:
            return False
        except Exception as error:  # noqa: BLE001 - backends raise anything; all mean "cannot"
            raise KeyringUnavailable(_failure("delete the password from", backend, error)) from None
        return True

    def _usable_backend(self) -> keyring.backend.KeyringBackend:
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        name = f"{type(backend).__module__}.{type(backend).__qualname__}"
        if name in _REFUSED_BACKENDS:
            raise KeyringUnavailable(
                f"no secure keyring is available on this computer (backend {name}); "
                "the password will be asked at every sign-in"
            )
        return backend


def _failure(what: str, backend: object, error: BaseException) -> str:
    # The backend's message never contains the password, but keep only its class for the log:
    # some backends echo their arguments.
    log.warning("keyring %s failed: %s", type(backend).__name__, type(error).__name__)
    return (
        f"could not {what} the keyring ({type(backend).__name__}: {type(error).__name__}); "
        "the password will be asked at every sign-in"
    )
