"""The officer's settings, kept with QSettings (never a password: that goes to the keyring)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import time
from pathlib import Path

from PySide6.QtCore import QSettings

from intake_desktop.services.slips import OfficeProfile
from intake_desktop.services.working_days import OfficeCalendar


@dataclass(frozen=True)
class AppSettings:
    server_url: str = ""
    """Base URL of the provincial system (or a training server); empty: not configured."""
    system_kind: str = "intake"
    """The "Loại hệ thống": a ``SystemKind`` value (``intake`` contract, ``igate`` VNPT iGate)."""
    sso_url: str = ""
    """Sign-in (Keycloak) host when it is not the server's (VNPT iGate); empty: the same."""
    realm: str = ""
    """Sign-in realm (VNPT iGate: ``digo``); empty: the system's default."""
    client_id: str = ""
    """Sign-in client id (VNPT iGate); empty: the system's default."""
    username: str = ""
    remember_password: bool = False
    ca_bundle: str = ""
    """Extra CA bundle (PEM) for the server's TLS certificate; empty: the system's."""
    test_mode: bool = False
    """Test mode: demo dossiers in process, or (with ``server_url``) a classroom training
    server; its own database and the demo root, never the live ones."""
    online_revocation: bool = False
    cache_limit_mb: int = 2048
    test_supervisor: bool = False
    """Test mode only: the desk acts as the unit's supervisor (office-wide sync); a real
    system's role comes with the sign-in."""
    language: str = "vi"
    saturday_morning: bool = False
    cutoff: str = "15:00"
    intake_days: int = 1
    agency: str = OfficeProfile.agency
    desk: str = OfficeProfile.desk
    place: str = OfficeProfile.place
    result_location: str = OfficeProfile.result_location
    phone: str = OfficeProfile.phone
    sync_minutes: int = 5

    @property
    def configured(self) -> bool:
        """A server is set, or test mode was chosen: no need for the first-start dialog."""
        return bool(self.server_url) or self.test_mode

    def calendar(self) -> OfficeCalendar:
        hours, minutes = (int(x) for x in self.cutoff.split(":"))
        return OfficeCalendar(
            cutoff=time(hours, minutes),
            saturday_morning=self.saturday_morning,
            intake_days=self.intake_days,
        )

    def office(self) -> OfficeProfile:
        return OfficeProfile(
            agency=self.agency,
            desk=self.desk,
            place=self.place,
            result_location=self.result_location,
            phone=self.phone,
        )

    def ca_bundle_path(self) -> Path | None:
        return Path(self.ca_bundle) if self.ca_bundle else None


_GROUP = "settings"


def load_settings(store: QSettings | None = None) -> AppSettings:
    """Read the settings; missing or unreadable values fall back to the defaults."""
    qs = store or QSettings()
    defaults = AppSettings()
    values: dict[str, object] = {}
    qs.beginGroup(_GROUP)
    try:
        for f in fields(AppSettings):
            default = getattr(defaults, f.name)
            raw = qs.value(f.name, default)
            try:
                if isinstance(default, bool):
                    values[f.name] = raw in (True, "true", "1", 1)
                elif isinstance(default, int):
                    values[f.name] = int(raw)  # type: ignore[call-overload]
                else:
                    values[f.name] = str(raw)
            except (TypeError, ValueError):
                values[f.name] = default
    finally:
        qs.endGroup()
    return replace(defaults, **values)  # type: ignore[arg-type]


def save_settings(settings: AppSettings, store: QSettings | None = None) -> None:
    qs = store or QSettings()
    qs.beginGroup(_GROUP)
    try:
        for f in fields(AppSettings):
            qs.setValue(f.name, getattr(settings, f.name))
    finally:
        qs.endGroup()
    qs.sync()
