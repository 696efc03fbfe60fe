"""The document viewer: :class:`PdfViewer` (imported lazily so worker processes that only
need the Qt-free modules never import Qt)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intake_desktop.viewer.viewer import PdfViewer

__all__ = ["PdfViewer"]


def __getattr__(name: str) -> Any:
    if name == "PdfViewer":
        from intake_desktop.viewer.viewer import PdfViewer

        return PdfViewer
    raise AttributeError(name)
