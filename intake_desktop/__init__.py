"""Intake Desktop: online dossier intake for Vietnamese one-stop desks."""

import sys

__version__ = "0.1.0"

# PyMuPDF 2 imports its optional layout analyser and Markdown helpers when installed, loading
# ONNX models (about 0.35 s and 100 MB per process, worker processes included). We use
# neither: PyMuPDF treats a module it cannot import as absent.
sys.modules.setdefault("pymupdf.layout", None)  # type: ignore[arg-type]
sys.modules.setdefault("pymupdf4llm", None)  # type: ignore[arg-type]

# Before any import of PyMuPDF: its messages would otherwise be printed to stdout.
from intake_desktop.services.mupdf_messages import route_to_log  # noqa: E402

route_to_log()


class IntakeDesktopWarning(UserWarning):
    """Warnings of our own; tests turn them into errors."""
