"""What can go wrong with the local store, in words a person can act on.

The UI maps these classes to Vietnamese text in one place; the messages here are for logs.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class of every error the local store raises."""


class DatabaseTooNew(StoreError):
    """The database was written by a newer Intake Desktop than this one."""

    def __init__(self, path: Path | str, revision: str) -> None:
        self.path = path
        self.revision = revision
        super().__init__(
            f"{path} was created by a newer version of Intake Desktop (schema revision "
            f"{revision!r}, unknown to this version). Install the newer version, or move the "
            "file away to start with an empty database; this version will not touch it."
        )


class NotAStoreDatabase(StoreError):
    """The file is not an Intake Desktop database (not SQLite, or someone else's tables)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = path
        super().__init__(
            f"{path} is not an Intake Desktop database ({reason}). "
            "Choose another location, or move the file away."
        )


class MigrationFailed(StoreError):
    """Upgrading the database schema failed; the database was left as it was."""

    def __init__(self, path: Path | str, backup: Path | None, cause: BaseException) -> None:
        self.path = path
        self.backup = backup
        kept = f" A copy taken before the upgrade is at {backup}." if backup else ""
        super().__init__(
            f"Could not upgrade {path}: {cause}. The database was not changed.{kept} "
            "Report this with the log file."
        )


class CatalogError(StoreError):
    """The procedure catalog file cannot be read or has an invalid entry."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = path
        super().__init__(f"Procedure catalog {path}: {problem}. Fix the file or reinstall.")


class AuditDetailsError(StoreError):
    """Audit details must be plain JSON data (dict, list, str, int, float, bool, None)."""
