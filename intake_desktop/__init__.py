"""Intake Desktop: online dossier intake for Vietnamese one-stop desks."""

__version__ = "0.1.0"


class IntakeDesktopWarning(UserWarning):
    """Warnings of our own; tests turn them into errors."""
