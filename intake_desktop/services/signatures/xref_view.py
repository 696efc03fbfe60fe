"""The document as a reader that trusts the cross-reference table shows it.

Readers disagree about a later revision whose cross-reference entries are wrong. MuPDF (and
poppler) notice an entry pointing at another object's header, or a table that does not
parse, and rebuild the table by scanning the file: they show the objects as written. A
reader that follows the table as written (pyHanko, Adobe-like readers) shows the object the
entry points at, whatever number its header says: an incremental update made of a single
cross-reference table can then swap a page's content for an object the signed revision held
unused, and MuPDF alone would show nothing.

:func:`xref_reading` writes that second interpretation out as a clean incremental section
appended to the file, so MuPDF can render and compare it like any other document.
"""

from __future__ import annotations

import logging
import re
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.xref import read_object_header

from intake_desktop.services.signatures.pdf_objects import READ_ERRORS

log = logging.getLogger(__name__)

_HEADER = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")


def xref_reading(
    signed: bytes, current: bytes, *, repaired: bool, reader: PdfFileReader | None = None
) -> bytes | None:
    """``current`` with one more section redefining every object the revisions after
    ``signed`` define, as the cross-reference table reads them.

    ``repaired``: MuPDF had to rebuild ``current``'s table. ``reader``: pyHanko's reader
    of ``current`` if the caller has one (a file with many signatures is read once).
    Returns None when the second reading cannot differ from MuPDF's (every later entry
    points at its own object and MuPDF did not repair) or when the table cannot be
    followed at all.
    """
    try:
        return _reading(signed, current, repaired, reader)
    except READ_ERRORS as exc:
        log.info("cross-reference table of the later revisions cannot be followed: %r", exc)
        return None


def _reading(
    signed: bytes, current: bytes, repaired: bool, reader: PdfFileReader | None
) -> bytes | None:
    if reader is None:
        reader = PdfFileReader(BytesIO(current), strict=False)
    if reader.encrypted:
        return None
    xrefs = reader.xrefs
    later = [
        rev
        for rev in range(xrefs.total_revisions)
        if xrefs.get_startxref_for_revision(rev) >= len(signed)
    ]
    earlier = [rev for rev in range(xrefs.total_revisions) if rev not in later]
    if not later or not earlier:
        return None
    refs = sorted(
        {ref for rev in later for ref in xrefs.explicit_refs_in_revision(rev)}
        - set(xrefs.xref_stream_refs),
        key=lambda r: (r.idnum, r.generation),
    )
    misdirected = {ref: _misdirected(reader, current, ref) for ref in refs}
    if not (repaired or any(misdirected.values())):
        return None  # the usual file: nothing is read twice
    bodies: dict[tuple[int, int], bytes] = {}
    for ref in refs:
        obj = _read(reader, current, ref, misdirected[ref])
        if obj is not None:
            bodies[(ref.idnum, ref.generation)] = obj
    if not bodies:
        return None
    base = xrefs.get_startxref_for_revision(earlier[-1])
    return _append(current, bodies, reader.trailer.flatten(), base)


def _misdirected(reader: PdfFileReader, data: bytes, ref: generic.Reference) -> bool | None:
    """Whether the table's entry for ``ref`` points at another object's header; ``None``
    when it points at no object header at all (both readers then scan for it)."""
    marker: Any = reader.xrefs[ref]
    if not isinstance(marker, int):
        return False  # in an object stream: read by number, as every reader does
    header = _HEADER.match(data, marker)
    if header is None:
        return None
    return (int(header.group(1)), int(header.group(2))) != (ref.idnum, ref.generation)


def _read(
    reader: PdfFileReader, data: bytes, ref: generic.Reference, misdirected: bool | None
) -> bytes | None:
    """The serialised object the table gives for ``ref``."""
    if misdirected is None:
        return None
    try:
        if misdirected:
            stream: Any = reader.stream
            stream.seek(reader.xrefs[ref])
            idnum, generation = read_object_header(stream, strict=False)  # type: ignore[no-untyped-call]
            obj: Any = generic.read_object(stream, generic.Reference(idnum, generation, reader))
        else:
            obj = reader.get_object(ref)  # type: ignore[no-untyped-call]
    except READ_ERRORS as exc:
        log.info("object %s unreadable through the table: %r", ref, exc)
        return None
    if isinstance(obj, generic.StreamObject) and obj.get("/Type") == "/ObjStm":
        return None
    out = BytesIO()
    obj.write_to_stream(out, None)
    return out.getvalue()


def _append(
    data: bytes,
    bodies: dict[tuple[int, int], bytes],
    trailer: generic.DictionaryObject,
    prev: int,
) -> bytes:
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets: dict[tuple[int, int], int] = {}
    for (idnum, generation), body in sorted(bodies.items()):
        offsets[(idnum, generation)] = len(out)
        out += b"%d %d obj\n" % (idnum, generation) + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n"
    for idnum, generation in sorted(offsets):
        out += b"%d 1\n%010d %05d n \n" % (idnum, offsets[(idnum, generation)], generation)
    size = max(max(idnum for idnum, _ in offsets) + 1, int(trailer.get("/Size", 0) or 0))
    entries = b""
    for key in ("/Root", "/Info", "/ID"):
        if key in trailer:
            value = BytesIO()
            trailer.raw_get(key).write_to_stream(value, None)
            entries += key.encode() + b" " + value.getvalue()
    out += b"trailer\n<</Size %d/Prev %d%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        prev,
        entries,
        start,
    )
    return bytes(out)
