"""What an uploaded file really is, judged from its first bytes (the name only breaks ties).

Citizens' uploads often carry the wrong name: a phone photo saved as ``.pdf``, a portal's
"session expired" page saved instead of the file. The viewer decides what to do from this
module's answer. No Qt here.
"""

from __future__ import annotations

import contextlib
import enum
import os
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path


class Kind(enum.StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    OFFICE = "office"
    """Word processor documents (DOC, DOCX, ODT, RTF): shown via LibreOffice when installed."""
    HTML = "html"
    TEXT = "text"
    EMPTY = "empty"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Sniffed:
    kind: Kind
    detail: str
    """Format within the kind: ``jpeg``, ``png``, ``docx``, ``doc``… (``""`` when unknown)."""
    misnamed: bool = False
    """The name promises a PDF but the bytes are something else (shown anyway when we can)."""

    @property
    def filetype(self) -> str:
        """The ``filetype`` to give ``pymupdf.open`` for PDFs and images."""
        return "pdf" if self.kind is Kind.PDF else self.detail


_IMAGES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_SUFFIXES = {".doc": "doc", ".docx": "docx", ".odt": "odt", ".rtf": "rtf"}


def sniff(data: bytes, name: str) -> Sniffed:
    """Classify ``data`` (the whole file, or at least its first 4 KiB and, for ZIPs, all of it)."""
    suffix = Path(name).suffix.lower()
    named_pdf = suffix == ".pdf"
    if not data:
        return Sniffed(Kind.EMPTY, "")
    head = data[:4096]
    # The PDF header may follow some junk; readers accept it within the first 1 KiB.
    if b"%PDF-" in head[:1024]:
        return Sniffed(Kind.PDF, "pdf")
    for magic, detail in _IMAGES:
        if head.startswith(magic):
            return Sniffed(Kind.IMAGE, detail, misnamed=named_pdf)
    if head.startswith(_OLE2):
        return Sniffed(Kind.OFFICE, "doc", misnamed=named_pdf)
    if head.startswith(b"{\\rtf"):
        return Sniffed(Kind.OFFICE, "rtf", misnamed=named_pdf)
    if head.startswith(b"PK\x03\x04"):
        detail = _zip_office_kind(data) or _OFFICE_SUFFIXES.get(suffix, "")
        if detail:
            return Sniffed(Kind.OFFICE, detail, misnamed=named_pdf)
        return Sniffed(Kind.UNKNOWN, "zip", misnamed=named_pdf)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered[:512]:
        return Sniffed(Kind.HTML, "html", misnamed=named_pdf)
    if _looks_like_text(head):
        return Sniffed(Kind.TEXT, "text", misnamed=named_pdf)
    return Sniffed(Kind.UNKNOWN, "", misnamed=named_pdf)


def _zip_office_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return ""
    if any(n.startswith("word/") for n in names):
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return ""


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


@dataclass
class DocumentSource:
    """The bytes of one document and, when the pool of worker processes needs it, a file.

    Thread-safe: the temporary file is written once, by whichever thread asks first.
    """

    name: str
    data: bytes
    path: Path | None = None
    """The file it was opened from, if any (never deleted by us)."""
    _temp: Path | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def file(self) -> str:
        """A path holding exactly :attr:`data`, writing a private temporary file if needed.

        Call off the GUI thread (it may write tens of megabytes).
        """
        with self._lock:
            if self.path is not None:
                return str(self.path)
            if self._temp is None:
                fd, name = tempfile.mkstemp(prefix="intake-viewer-", suffix=".pdf")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(self.data)
                self._temp = Path(name)
            return str(self._temp)

    def release(self) -> None:
        """Delete the temporary file, if one was written (citizens' documents: keep none)."""
        with self._lock:
            if self._temp is not None:
                # Windows refuses while a worker process still has it open; the OS temp
                # cleaner gets it then.
                with contextlib.suppress(OSError):
                    self._temp.unlink(missing_ok=True)
                self._temp = None
