"""Officers' passwords live in the system keyring, or nowhere."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from keyring_support import MemoryKeyring

from intake_desktop.services.credentials import (
    SERVICE,
    CredentialStore,
    KeyringUnavailable,
    credential_key,
)

SERVER = "https://dichvucong.example.gov.vn"


class BrokenKeyring(MemoryKeyring):
    """A keyring whose service is down (e.g. Secret Service without a D-Bus session)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"cannot store {password}")


def test_a_saved_password_is_found_again_for_the_same_server_and_officer(
    memory_keyring: MemoryKeyring,
) -> None:
    credentials = CredentialStore()

    credentials.save(SERVER + "/", "canbo01", "matkhau123")

    assert credentials.get(SERVER, "canbo01") == "matkhau123"
    assert credentials.get(SERVER, "canbo02") is None
    assert credentials.get("https://other.example.gov.vn", "canbo01") is None
    assert memory_keyring.entries == {(SERVICE, f"{SERVER}|canbo01"): "matkhau123"}
    assert credential_key(SERVER + "/", "canbo01") == f"{SERVER}|canbo01"


def test_forgetting_a_password_removes_it_and_says_whether_there_was_one(
    memory_keyring: MemoryKeyring,
) -> None:
    credentials = CredentialStore()
    credentials.save(SERVER, "canbo01", "matkhau123")

    assert credentials.delete(SERVER, "canbo01") is True
    assert credentials.delete(SERVER, "canbo01") is False
    assert credentials.get(SERVER, "canbo01") is None


def test_without_a_keyring_every_call_says_so_clearly() -> None:
    # The test environment selects keyring's "fail" backend, like a headless machine.
    credentials = CredentialStore()

    assert credentials.available() is False
    for call in (
        lambda: credentials.save(SERVER, "canbo01", "matkhau123"),
        lambda: credentials.get(SERVER, "canbo01"),
        lambda: credentials.delete(SERVER, "canbo01"),
    ):
        with pytest.raises(KeyringUnavailable, match="asked at every sign-in"):
            call()


@pytest.mark.parametrize(
    "backend", [keyring.backends.null.Keyring(), keyring.backends.fail.Keyring()]
)
def test_backends_that_cannot_keep_a_secret_are_refused(
    backend: keyring.backend.KeyringBackend,
) -> None:
    credentials = CredentialStore(backend)

    assert credentials.available() is False
    with pytest.raises(KeyringUnavailable):
        credentials.save(SERVER, "canbo01", "matkhau123")


def test_a_failing_keyring_service_is_reported_without_echoing_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    credentials = CredentialStore(BrokenKeyring())

    assert credentials.available() is True  # it looks usable until it is used
    with pytest.raises(KeyringUnavailable) as saving:
        credentials.save(SERVER, "canbo01", "matkhau123")
    with pytest.raises(KeyringUnavailable, match="KeyringLocked"):
        credentials.get(SERVER, "canbo01")

    assert "matkhau123" not in str(saving.value)
    assert saving.value.__cause__ is None and saving.value.__suppress_context__
    assert "matkhau123" not in caplog.text
