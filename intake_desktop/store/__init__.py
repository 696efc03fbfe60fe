"""The local store: one SQLite file, its schema migrations and small repository modules.

Open it with :func:`open_store`; each repository module (``catalog``, ``dossiers``,
``report_cache``, ``trust_anchors``, ``audit``) takes the :class:`Store` it works on;
``audit_summary`` keeps the supervisor audit's narrow rows up to date with them.
"""

from intake_desktop.store.db import Store, open_store
from intake_desktop.store.errors import (
    CatalogError,
    DatabaseTooNew,
    MigrationFailed,
    NotAStoreDatabase,
    StoreError,
)

__all__ = [
    "CatalogError",
    "DatabaseTooNew",
    "MigrationFailed",
    "NotAStoreDatabase",
    "Store",
    "StoreError",
    "open_store",
]
