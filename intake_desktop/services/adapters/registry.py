"""Which system the desk talks to, its settings, and building the adapter for it."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from intake_desktop.services.adapters.igate import (
    DEFAULT_CLIENT_ID,
    DEFAULT_REALM,
    IgateDossierSource,
)
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.source import DossierSource, Officer


class SystemKind(enum.StrEnum):
    """The provincial system's product ("Loại hệ thống" in the settings)."""

    INTAKE = "intake"
    """Intake Desktop's own contract (``resources/api/openapi.json``) and training server."""
    IGATE = "igate"
    """VNPT iGate v2 (the "digo" services)."""

    @classmethod
    def parse(cls, text: str) -> SystemKind:
        """The kind named ``text``; the contract for anything unknown (older settings)."""
        try:
            return cls(text)
        except ValueError:
            return cls.INTAKE


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """Where and how to reach the system (no password: that is in the keyring)."""

    kind: SystemKind
    base_url: str
    username: str
    sso_url: str = ""
    """Sign-in host when it is not ``base_url`` (iGate's Keycloak)."""
    realm: str = ""
    client_id: str = ""
    ca_bundle: Path | None = None
    classroom: bool = False
    """Test mode over a classroom training server: plain http to the LAN allowed."""


class RemoteSource(DossierSource, Protocol):
    """A ``DossierSource`` one signs in to."""

    @property
    def name(self) -> str: ...

    @property
    def officer(self) -> Officer | None: ...

    def login(self, password: str | None = None) -> Officer: ...

    def logout(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Adapter:
    """One kind of system: what its settings need, and how to build its source."""

    kind: SystemKind
    name: str
    """The product's name (not translated)."""
    needs_realm: bool
    default_realm: str
    default_client_id: str
    build: Callable[[SourceSettings, CredentialStore], RemoteSource]


def _intake(settings: SourceSettings, credentials: CredentialStore) -> RemoteSource:
    return HttpDossierSource(
        settings.base_url,
        settings.username,
        credentials=credentials,
        ca_bundle=settings.ca_bundle,
        classroom=settings.classroom,
    )


def _igate(settings: SourceSettings, credentials: CredentialStore) -> RemoteSource:
    return IgateDossierSource(
        settings.base_url,
        settings.username,
        credentials=credentials,
        sso_url=settings.sso_url,
        realm=settings.realm or DEFAULT_REALM,
        client_id=settings.client_id or DEFAULT_CLIENT_ID,
        ca_bundle=settings.ca_bundle,
        classroom=settings.classroom,
    )


ADAPTERS: dict[SystemKind, Adapter] = {
    SystemKind.INTAKE: Adapter(SystemKind.INTAKE, "Intake Desktop", False, "", "", _intake),
    SystemKind.IGATE: Adapter(
        SystemKind.IGATE, "VNPT iGate", True, DEFAULT_REALM, DEFAULT_CLIENT_ID, _igate
    ),
}


def make_source(settings: SourceSettings, credentials: CredentialStore) -> RemoteSource:
    """Build the adapter for ``settings.kind``. Raises ``ValueError`` for unusable settings
    (address, realm) and ``FileNotFoundError`` for a missing CA bundle."""
    return ADAPTERS[settings.kind].build(settings, credentials)
