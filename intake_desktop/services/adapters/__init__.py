"""Adapters to the provincial procedure systems, chosen by "Loại hệ thống" in the settings.

Each adapter is a ``DossierSource`` over HTTP(S) sharing :class:`~intake_desktop.services.
http_source.HttpClient` (timeouts, retries, TLS, tokens, the keyring) and the same typed
errors. The next vendor is one more entry in :data:`ADAPTERS` and one module here.
"""

from intake_desktop.services.adapters.registry import (
    ADAPTERS,
    Adapter,
    RemoteSource,
    SourceSettings,
    SystemKind,
    make_source,
)

__all__ = ["ADAPTERS", "Adapter", "RemoteSource", "SourceSettings", "SystemKind", "make_source"]
