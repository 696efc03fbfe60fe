"""Honest signed PDFs rewritten into every structural shape a PDF may legally (or almost) take.

The byte fuzzer (``test_signature_fuzz``) damages files; this one keeps them honest. Each base
file is signed by pyHanko with the demo PKI, loaded object by object, and written out again
from scratch with one value at one key path in another shape — an indirect object, a
reference to a reference, a direct copy of what was indirect, an array of references, null,
a reference to nothing, the wrong type, the key left out — or one tree in another form (a
field with /Kids, a page tree with an intermediate node, inherited page attributes), and
with a classic table, a cross-reference stream or object streams. The signature is then
computed anew over the rewritten bytes, so the file is as honest as the original.

Each case is judged against pyHanko's own reading of the same bytes: where pyHanko calls the
signature intact and valid, so must we (same verdict, same page and rectangle where the
shape keeps every entry); where the shape makes the file unreadable, the report says so in
words, never with a Python exception's text. ``verify --json`` stays one JSON document on
all of them, and the viewer outlines the signature fields of a sample without crashing.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import validate_pdf_signature

from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki, SignerIdentity
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import (
    DocumentReport,
    InspectOptions,
    TrustStore,
    Verdict,
    inspect_pdf,
)
from intake_desktop.services.signatures.changes import compare_signed
from intake_desktop.services.signatures.diff_policy import DIFF_POLICY
from intake_desktop.services.signatures.inspect import signed_revision_bytes

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIGNED_AT = NOW - timedelta(days=1)
OPTIONS = InspectOptions(moment=NOW)
CONTENTS_BYTES = 6144
"""Room for the CMS container (the demo's ECDSA signature and chain take about 2.6 KB)."""
_BYTE_RANGE_PLACEHOLDERS = (1111111111, 2222222222, 3333333333)
MODES = ("table", "xref_stream", "object_streams")
SIG_PAGE = 1
"""The base files' signature sits on their second page (page trees get exercised)."""

# --- the document model --------------------------------------------------------------------


def ref(number: int) -> generic.IndirectObject:
    return generic.IndirectObject(number, 0, None)


@dataclass
class Pdf:
    """A document as numbered objects (generation 0) and a trailer, written anew by
    :meth:`write`; every reference is resolved by its number in :attr:`objects`."""

    objects: dict[int, Any]
    trailer: generic.DictionaryObject
    signature: generic.DictionaryObject
    """The signature dictionary (wherever a shape puts it), signed anew when written."""
    field: int
    """The signature field (merged with its widget in the base files)."""
    reverse: bool = False
    """Write the objects in descending order (offsets need not grow with numbers)."""

    @classmethod
    def load(cls, data: bytes) -> Pdf:
        reader = PdfFileReader(BytesIO(data), strict=False)
        xrefs = reader.xrefs
        refs = {
            r for rev in range(xrefs.total_revisions) for r in xrefs.explicit_refs_in_revision(rev)
        }
        objects: dict[int, Any] = {}
        for r in sorted(refs, key=lambda r: r.idnum):
            obj = reader.get_object(r)
            if isinstance(obj, generic.StreamObject) and obj.get("/Type") in ("/ObjStm", "/XRef"):
                continue
            objects[r.idnum] = obj
        trailer = generic.DictionaryObject(
            {generic.NameObject("/Root"): ref(reader.root_ref.idnum)}
        )
        info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
        if info is not None:
            trailer[generic.NameObject("/Info")] = ref(info.reference.idnum)
        last = max(n for n, o in objects.items() if _is(o, "/Type", "/Sig"))
        sig_field = max(n for n, o in objects.items() if _is(o, "/FT", "/Sig"))
        return cls(objects, trailer, objects[last], sig_field)

    def get(self, obj: Any) -> Any:
        """``obj`` with references followed (by number), null for a reference to nothing."""
        for _ in range(16):
            if not isinstance(obj, generic.IndirectObject):
                return obj
            obj = self.objects.get(obj.reference.idnum, generic.NullObject())
        raise AssertionError("reference loop")

    def new(self, obj: Any) -> generic.IndirectObject:
        number = max(self.objects) + 1
        self.objects[number] = obj
        return ref(number)

    @property
    def catalog(self) -> generic.DictionaryObject:
        return self.get(self.trailer.raw_get("/Root"))  # type: ignore[no-any-return]

    def key(self, holder: Any, key: str) -> Any:
        return self.get(self.get(holder).raw_get(key))

    def numbered(self, holder: Any) -> int:
        """The number of the object ``holder`` (a reference) finally points at."""
        number = holder.reference.idnum
        while isinstance(self.objects[number], generic.IndirectObject):
            number = self.objects[number].reference.idnum
        return int(number)

    def write(self, mode: str, signer: Any) -> bytes:
        """The whole document in one revision (``mode``: table, xref_stream, object_streams),
        the signature computed over exactly these bytes."""
        signature = self.signature
        placeholder = generic.ByteStringObject(b"\0" * CONTENTS_BYTES)
        contents = signature.raw_get("/Contents")
        if isinstance(contents, generic.IndirectObject):
            self.objects[self.numbered(contents)] = placeholder
        else:
            signature[generic.NameObject("/Contents")] = placeholder
        byte_range = self.get(signature.raw_get("/ByteRange"))
        for index, value in enumerate((0, *_BYTE_RANGE_PLACEHOLDERS)):
            entry = byte_range[index]
            if isinstance(entry, generic.IndirectObject):
                self.objects[self.numbered(entry)] = generic.NumberObject(value)
            else:
                byte_range[index] = generic.NumberObject(value)
        bodies = {n: _bytes(o) for n, o in self.objects.items()}
        # What is patched after writing stays out of (compressed) object streams.
        marks = (b"<" + b"00" * 16, *(b"%d" % v for v in _BYTE_RANGE_PLACEHOLDERS))
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        where: dict[int, tuple[int, int, int]] = {}  # number -> xref stream entry
        packed = [
            n
            for n, o in sorted(self.objects.items())
            if mode == "object_streams"
            and not isinstance(o, generic.StreamObject)
            and not any(mark in bodies[n] for mark in marks)
        ]
        for number in sorted(self.objects, reverse=self.reverse):
            if number not in packed:
                where[number] = (1, len(out), 0)
                out += b"%d 0 obj\n" % number + bodies[number] + b"\nendobj\n"
        if packed:
            stream_number = max(self.objects) + 1
            heads, body = [], bytearray()
            for index, number in enumerate(packed):
                heads.append(b"%d %d" % (number, len(body)))
                body += bodies[number] + b"\n"
                where[number] = (2, stream_number, index)
            head = b" ".join(heads) + b"\n"
            raw = zlib.compress(head + bytes(body))
            where[stream_number] = (1, len(out), 0)
            out += (
                b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n"
                % (stream_number, len(packed), len(head), len(raw))
                + raw
                + b"\nendstream\nendobj\n"
            )
        trailer = _bytes(self.trailer)[2:-2]
        start = len(out)
        if mode == "table":
            size = max(where) + 1
            out += b"xref\n0 %d\n0000000000 65535 f \n" % size
            for number in range(1, size):
                entry = where.get(number)
                out += b"%010d 00000 n \n" % entry[1] if entry else b"0000000000 00001 f \n"
            out += b"trailer\n<</Size %d%s>>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, start)
        else:
            xref_number = max(where) + 1
            where[xref_number] = (1, start, 0)
            rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
            for number in range(1, xref_number + 1):
                kind, a, b = where.get(number, (0, 0, 0))
                rows += bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
            raw = zlib.compress(bytes(rows))
            out += (
                b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Filter/FlateDecode/Length %d%s>>stream\n"
                % (xref_number, xref_number + 1, len(raw), trailer)
                + raw
                + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
            )
        return _signed(bytes(out), signer)


def _is(obj: Any, key: str, value: str) -> bool:
    return isinstance(obj, generic.DictionaryObject) and dict.get(obj, key) == value


def _bytes(obj: Any) -> bytes:
    out = BytesIO()
    obj.write_to_stream(out, None)
    return out.getvalue()


def _signed(data: bytes, signer: Any) -> bytes:
    """Fill in the /ByteRange and /Contents placeholders: a real signature of these bytes."""
    hole = b"<" + b"00" * CONTENTS_BYTES + b">"
    assert data.count(hole) == 1
    start = data.index(hole)
    end = start + len(hole)
    for placeholder, value in zip(
        _BYTE_RANGE_PLACEHOLDERS, (start, end, len(data) - end), strict=True
    ):
        token = b"%d" % placeholder
        assert data.count(token) == 1
        data = data.replace(token, b"%-10d" % value)
    digest = hashlib.sha256(data[:start] + data[end:]).digest()
    attrs = PdfCMSSignedAttributes(signing_time=SIGNED_AT)
    cms = asyncio.run(signer.async_sign(digest, "sha256", signed_attr_settings=attrs)).dump()
    assert len(cms) <= CONTENTS_BYTES
    return data[: start + 1] + cms.hex().encode().ljust(2 * CONTENTS_BYTES, b"0") + data[end - 1 :]


# --- where values sit: key paths -----------------------------------------------------------

Slot = tuple[Any, str | int]
"""A value's place: its (resolved) dictionary and key, or array and index."""


def _page(pdf: Pdf, index: int) -> Any:
    return pdf.get(pdf.key(pdf.catalog.raw_get("/Pages"), "/Kids")[index])


def _entry(pdf: Pdf, array: Any, number: int) -> int:
    """Index of the reference to object ``number`` in ``array``."""
    return next(i for i, item in enumerate(array) if pdf.numbered(item) == number)


def _by(pdf: Pdf, key: str, value: str) -> Any:
    return next(o for o in pdf.objects.values() if _is(o, key, value))


def _sig_field(pdf: Pdf) -> Any:
    return pdf.objects[pdf.field]


def _sig_page(pdf: Pdf) -> Any:
    return _page(pdf, SIG_PAGE)


@dataclass(frozen=True)
class Location:
    slot: Callable[[Pdf], Slot]
    kind: str
    """What the value is: dict, stream, array, number, name, string, ref (a reference the
    key needs, e.g. /P), or absent (an optional key the base files leave out)."""
    indirect: bool = False
    """The base files hold it as an indirect reference."""


def _at(getter: Callable[[Pdf], Any], key: str | int) -> Callable[[Pdf], Slot]:
    return lambda pdf: (getter(pdf), key)


def _catalog(pdf: Pdf) -> Any:
    return pdf.catalog


def _acroform(pdf: Pdf) -> Any:
    return pdf.key(pdf.catalog, "/AcroForm")


def _fields(pdf: Pdf) -> Any:
    return pdf.key(_acroform(pdf), "/Fields")


def _pages(pdf: Pdf) -> Any:
    return pdf.key(pdf.catalog, "/Pages")


def _kids(pdf: Pdf) -> Any:
    return pdf.key(_pages(pdf), "/Kids")


def _annots(pdf: Pdf) -> Any:
    return pdf.key(_sig_page(pdf), "/Annots")


def _resources(pdf: Pdf) -> Any:
    return pdf.key(_sig_page(pdf), "/Resources")


def _signature(pdf: Pdf) -> Any:
    return pdf.signature


def _text_field(pdf: Pdf) -> Any:
    return _by(pdf, "/FT", "/Tx")


def _note(pdf: Pdf) -> Any:
    return _by(pdf, "/Subtype", "/Text")


LOCATIONS: dict[str, Location] = {
    "trailer/Root": Location(lambda pdf: (pdf.trailer, "/Root"), "dict", indirect=True),
    "trailer/Info": Location(lambda pdf: (pdf.trailer, "/Info"), "dict", indirect=True),
    "Root/Pages": Location(_at(_catalog, "/Pages"), "dict", indirect=True),
    "Root/AcroForm": Location(_at(_catalog, "/AcroForm"), "dict"),
    "Root/Metadata": Location(_at(_catalog, "/Metadata"), "stream", indirect=True),
    "Root/Extensions": Location(_at(_catalog, "/Extensions"), "dict"),
    "Root/Info(stray)": Location(_at(_catalog, "/Info"), "dict"),
    "Root/DSS": Location(_at(_catalog, "/DSS"), "absent"),
    "Root/Perms": Location(_at(_catalog, "/Perms"), "absent"),
    "Root/OCProperties": Location(_at(_catalog, "/OCProperties"), "absent"),
    "Root/Names": Location(_at(_catalog, "/Names"), "absent"),
    "AcroForm/Fields": Location(_at(_acroform, "/Fields"), "array"),
    "AcroForm/Fields[sig]": Location(
        lambda pdf: (_fields(pdf), _entry(pdf, _fields(pdf), pdf.field)), "dict", indirect=True
    ),
    "AcroForm/SigFlags": Location(_at(_acroform, "/SigFlags"), "number"),
    "AcroForm/NeedAppearances": Location(_at(_acroform, "/NeedAppearances"), "absent"),
    "AcroForm/DR": Location(_at(_acroform, "/DR"), "absent"),
    "Pages/Kids": Location(_at(_pages, "/Kids"), "array"),
    "Pages/Kids[sig page]": Location(_at(_kids, SIG_PAGE), "dict", indirect=True),
    "Pages/Count": Location(_at(_pages, "/Count"), "number"),
    "Page/Annots": Location(_at(_sig_page, "/Annots"), "array"),
    "Page/Annots[sig]": Location(
        lambda pdf: (_annots(pdf), _entry(pdf, _annots(pdf), pdf.field)), "dict", indirect=True
    ),
    "Page/Resources": Location(_at(_sig_page, "/Resources"), "dict"),
    "Page/MediaBox": Location(_at(_sig_page, "/MediaBox"), "array"),
    "Page/MediaBox[2]": Location(lambda pdf: (pdf.key(_sig_page(pdf), "/MediaBox"), 2), "number"),
    "Page/Contents": Location(_at(_sig_page, "/Contents"), "stream", indirect=True),
    "Page/Rotate": Location(_at(_sig_page, "/Rotate"), "number"),
    "Page/CropBox": Location(_at(_sig_page, "/CropBox"), "absent"),
    "Page/Parent": Location(_at(_sig_page, "/Parent"), "dict", indirect=True),
    "Resources/Font": Location(_at(_resources, "/Font"), "dict"),
    "Field/V": Location(_at(_sig_field, "/V"), "dict", indirect=True),
    "Field/Rect": Location(_at(_sig_field, "/Rect"), "array"),
    "Field/Rect[0]": Location(lambda pdf: (pdf.key(_sig_field(pdf), "/Rect"), 0), "number"),
    "Field/P": Location(_at(_sig_field, "/P"), "ref", indirect=True),
    "Field/AP": Location(_at(_sig_field, "/AP"), "dict"),
    "Field/AP/N": Location(lambda pdf: (pdf.key(_sig_field(pdf), "/AP"), "/N"), "stream", True),
    "Field/F": Location(_at(_sig_field, "/F"), "number"),
    "Field/T": Location(_at(_sig_field, "/T"), "string"),
    "Field/FT": Location(_at(_sig_field, "/FT"), "name"),
    "Field/Type": Location(_at(_sig_field, "/Type"), "name"),
    "Field/MK": Location(_at(_sig_field, "/MK"), "absent"),
    "Sig/ByteRange": Location(_at(_signature, "/ByteRange"), "array"),
    "Sig/ByteRange[1]": Location(lambda pdf: (pdf.key(_signature(pdf), "/ByteRange"), 1), "number"),
    "Sig/Contents": Location(_at(_signature, "/Contents"), "string"),
    "Sig/Filter": Location(_at(_signature, "/Filter"), "name"),
    "Sig/SubFilter": Location(_at(_signature, "/SubFilter"), "name"),
    "Sig/Type": Location(_at(_signature, "/Type"), "name"),
    "Sig/M": Location(_at(_signature, "/M"), "string"),
    "Sig/Reason": Location(_at(_signature, "/Reason"), "string"),
    "Sig/Location": Location(_at(_signature, "/Location"), "absent"),
    "Sig/Prop_Build": Location(_at(_signature, "/Prop_Build"), "absent"),
    "Sig/Reference": Location(_at(_signature, "/Reference"), "absent"),
    "TextField/Parent": Location(_at(_text_field, "/Parent"), "ref"),
    "TextField/P": Location(_at(_text_field, "/P"), "ref", indirect=True),
    "TextField/Rect": Location(_at(_text_field, "/Rect"), "array"),
    "TextField/AP": Location(_at(_text_field, "/AP"), "dict"),
    "Note/Popup": Location(_at(_note, "/Popup"), "dict", indirect=True),
    "Note/P": Location(_at(_note, "/P"), "ref", indirect=True),
    "Note/Rect": Location(_at(_note, "/Rect"), "array"),
}


# --- shapes a value can take -----------------------------------------------------------------


def _wrong(value: Any, kind: str) -> Any:
    """A value of another type than ``kind``: containers swapped, numbers as strings."""
    if kind in ("dict", "stream", "ref"):
        return generic.ArrayObject([generic.NumberObject(7)])
    if kind == "array":
        return generic.DictionaryObject({generic.NameObject("/Seven"): generic.NumberObject(7)})
    if kind == "number":
        return generic.TextStringObject("7")
    return generic.NumberObject(7)


def _set(holder: Any, key: str | int, value: Any) -> None:
    holder[generic.NameObject(key) if isinstance(key, str) else key] = value


def apply_shape(pdf: Pdf, location: Location, shape: str) -> None:
    holder, key = location.slot(pdf)
    present = (key in holder) if isinstance(key, str) else key < len(holder)
    raw = holder.raw_get(key) if isinstance(key, str) and present else None
    if isinstance(key, int):
        raw = holder.raw_get(key)  # indexing an ArrayObject resolves references
    assert present == (location.kind != "absent"), "the base file changed: update LOCATIONS"
    assert isinstance(raw, generic.IndirectObject) == location.indirect
    value = pdf.get(raw)
    if shape == "indirect":  # a direct value moved into an object of its own
        _set(holder, key, pdf.new(value))
    elif shape == "chain":  # a reference to a reference to the value
        inner = raw if location.indirect else pdf.new(value)
        _set(holder, key, pdf.new(pdf.new(inner)))
    elif shape == "direct":  # what was an object of its own, written in place
        if value is pdf.signature:
            del pdf.objects[pdf.numbered(raw)]
            _set(holder, key, value)
        else:  # a copy: other references to the object (e.g. /Parent) stay valid
            _set(holder, key, copy.copy(value))
    elif shape == "entries":  # every array entry an object (references: chained)
        for index, item in enumerate(value):
            value[index] = pdf.new(item)
    elif shape == "null":
        _set(holder, key, generic.NullObject())
    elif shape == "null_object":  # a reference to an object that is null
        _set(holder, key, pdf.new(generic.NullObject()))
    elif shape == "dangling":  # a reference to an object the file does not have
        _set(holder, key, ref(max(pdf.objects) + 50))
    elif shape == "wrong":
        _set(holder, key, _wrong(value, location.kind))
    elif shape == "wrong_indirect":
        _set(holder, key, pdf.new(_wrong(value, location.kind)))
    elif shape == "missing":
        if isinstance(key, str):
            del holder[key]
        else:
            del holder[key]
    else:
        raise AssertionError(shape)


REPRESENTATIONS = ("indirect", "chain", "direct", "entries")
"""Shapes that change how a value is written, never what it is: nothing may change."""
DAMAGE = ("null", "null_object", "dangling", "wrong", "wrong_indirect", "missing")


def shapes_for(name: str, location: Location) -> list[str]:
    out = ["chain"]
    if location.kind == "absent":
        # An optional key the files leave out, present but meaningless.
        return ["null", "null_object", "dangling", "wrong", "wrong_indirect"]
    if not location.indirect and location.kind != "stream":
        out.append("indirect")
    if location.indirect and location.kind in ("dict", "array"):
        out.append("direct")
    if location.kind == "array":
        out.append("entries")
    if name.startswith(("Sig/ByteRange", "Sig/Contents")):
        return out  # the signature is computed over these: only their form can change
    return out + list(DAMAGE)


# --- shapes of whole trees -------------------------------------------------------------------


def _replace_entry(pdf: Pdf, array: Any, number: int, new: Any) -> None:
    array[_entry(pdf, array, number)] = new


def _field_with_kids(pdf: Pdf) -> None:
    """The signature field and its widget as two objects: /Kids down, /Parent up."""
    widget = _sig_field(pdf)
    parent = generic.DictionaryObject(
        {generic.NameObject(k): widget.raw_get(k) for k in ("/FT", "/T", "/V")}
    )
    for k in ("/FT", "/T", "/V"):
        del widget[k]
    parent_ref = pdf.new(parent)
    parent[generic.NameObject("/Kids")] = generic.ArrayObject([ref(pdf.field)])
    widget[generic.NameObject("/Parent")] = parent_ref
    _replace_entry(pdf, _fields(pdf), pdf.field, parent_ref)
    pdf.field = parent_ref.reference.idnum


def _field_with_two_widgets(pdf: Pdf) -> None:
    """Kids: an invisible widget on the first page, then the visible one."""
    _field_with_kids(pdf)
    hidden = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(0)] * 4),
            generic.NameObject("/F"): generic.NumberObject(132),
            generic.NameObject("/Parent"): ref(pdf.field),
            generic.NameObject("/P"): _kids(pdf).raw_get(0),
        }
    )
    hidden_ref = pdf.new(hidden)
    pdf.key(_page(pdf, 0), "/Annots").append(hidden_ref)
    _sig_field(pdf)["/Kids"].insert(0, hidden_ref)


def _field_under_parent(pdf: Pdf, *, inherit_type: bool = False) -> None:
    """The signature field below a non-terminal field "HoSo" (name HoSo.Signature1)."""
    field = _sig_field(pdf)
    parent = generic.DictionaryObject(
        {
            generic.NameObject("/T"): generic.TextStringObject("HoSo"),
            generic.NameObject("/Kids"): generic.ArrayObject([ref(pdf.field)]),
        }
    )
    if inherit_type:
        parent[generic.NameObject("/FT")] = field.raw_get("/FT")
        del field["/FT"]
    parent_ref = pdf.new(parent)
    field[generic.NameObject("/Parent")] = parent_ref
    _replace_entry(pdf, _fields(pdf), pdf.field, parent_ref)


def _intermediate(pdf: Pdf, kids: list[int]) -> tuple[Any, Any]:
    """A /Pages node holding the pages ``kids`` (indexes), in the root node's /Kids."""
    root_kids = _kids(pdf)
    pages = [root_kids.raw_get(i) for i in kids]
    node = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Pages"),
            generic.NameObject("/Kids"): generic.ArrayObject(pages),
            generic.NameObject("/Count"): generic.NumberObject(len(pages)),
            generic.NameObject("/Parent"): pdf.catalog.raw_get("/Pages"),
        }
    )
    node_ref = pdf.new(node)
    for page in pages:
        pdf.get(page)[generic.NameObject("/Parent")] = node_ref
    first = kids[0]
    root_kids[first : first + len(kids)] = [node_ref]
    return node, node_ref


def _inherited_attributes(pdf: Pdf) -> None:
    """MediaBox, Resources and Rotate of the signed page given by its parent node only."""
    page = _sig_page(pdf)
    node, _ = _intermediate(pdf, [SIG_PAGE])
    for key in ("/MediaBox", "/Resources", "/Rotate"):
        node[generic.NameObject(key)] = page.raw_get(key)
        del page[key]


def _rotated_by_the_tree(pdf: Pdf) -> None:
    """Every page turned a quarter by /Rotate 90 on the root node (inherited)."""
    for index in range(2):
        del _page(pdf, index)["/Rotate"]
    _pages(pdf)[generic.NameObject("/Rotate")] = generic.NumberObject(90)


def _contents_array(pdf: Pdf) -> None:
    page = _sig_page(pdf)
    empty = generic.StreamObject(stream_data=b"")
    page[generic.NameObject("/Contents")] = generic.ArrayObject(
        [page.raw_get("/Contents"), pdf.new(empty)]
    )


def _reversed_arrays(pdf: Pdf) -> None:
    _fields(pdf).reverse()
    _annots(pdf).reverse()


def _note_inline(pdf: Pdf) -> None:
    """The sticky note written inside the first page's /Annots (its popup still points
    at the note's old object)."""
    annots = pdf.key(_page(pdf, 0), "/Annots")
    note = next(i for i, a in enumerate(annots) if _is(pdf.get(a), "/Subtype", "/Text"))
    annots[note] = copy.copy(pdf.get(annots[note]))


def _objects_reversed(pdf: Pdf) -> None:
    pdf.reverse = True


TREES: dict[str, Callable[[Pdf], None]] = {
    "field_with_kids": _field_with_kids,
    "field_with_two_widgets": _field_with_two_widgets,
    "field_under_parent": _field_under_parent,
    "field_type_inherited": lambda pdf: _field_under_parent(pdf, inherit_type=True),
    "pages_nested": lambda pdf: _intermediate(pdf, [0, 1]) and None,
    "pages_uneven": lambda pdf: _intermediate(pdf, [SIG_PAGE]) and None,
    "page_attributes_inherited": _inherited_attributes,
    "rotate_inherited_90": _rotated_by_the_tree,
    "contents_array": _contents_array,
    "arrays_reversed": _reversed_arrays,
    "annotation_inline": _note_inline,
    "objects_in_reverse_order": _objects_reversed,
}
"""Restructured trees that keep the document exactly what it was."""


# --- the base files and the cases --------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    signed: bytes
    """Signed by pyHanko: a two-page form (a text field and a sticky note on page 1), the
    visible signature on page 2."""
    an: SignerIdentity
    binh: SignerIdentity
    trust: TrustStore
    pki: DemoPki


@cache
def base() -> Base:
    pki = DemoPki.create(seed=77, now=NOW - timedelta(days=30))
    an = pki.issue_citizen("Nguyễn Văn An", "062090001234")
    binh = pki.issue_citizen("Trần Thị Bình", "079185004321")
    form = make_form_pdf(
        "TỜ KHAI", [("Họ và tên", "Nguyễn Văn An")], pages=2, text_field="GhiChu", compress=False
    )
    with pymupdf.open(stream=form, filetype="pdf") as doc:
        doc[0].add_text_annot((400, 300), "Đã xem")
        form = doc.tobytes()
    signed = sign_pdf(form, an, signing_time=SIGNED_AT, page=SIG_PAGE)
    return Base(signed, an, binh, TrustStore.of([pki.root_asn1()]), pki)


@dataclass(frozen=True)
class Case:
    name: str
    mode: str
    build: Callable[[Pdf], None]
    honest: bool
    """Only the form of the document changed: the report must be exactly the base's."""

    def data(self) -> bytes:
        pdf = Pdf.load(base().signed)
        self.build(pdf)
        return pdf.write(self.mode, base().an.simple_signer())


NOT_THE_SAME = frozenset({"trailer/Root:direct", "AcroForm/Fields[sig]:direct"})
"""Written in place, these are no longer the objects others refer to (a /Root must be a
reference; a field copied into /Fields is not the widget on the page)."""


def _cases() -> Iterator[Case]:
    count = 0
    for name, location in LOCATIONS.items():
        for shape in shapes_for(name, location):
            count += 1

            def build(pdf: Pdf, location: Location = location, shape: str = shape) -> None:
                apply_shape(pdf, location, shape)

            honest = shape in REPRESENTATIONS and f"{name}:{shape}" not in NOT_THE_SAME
            yield Case(f"{name}:{shape}", MODES[count % 3], build, honest)
    for name, tree in TREES.items():
        for mode in MODES:
            yield Case(f"tree:{name}", mode, tree, True)


CASES = list(_cases())


# --- the judges ------------------------------------------------------------------------------

_PYTHON_TEXT = re.compile(
    r"object has no attribute|not subscriptable|not iterable|object is not|NoneType|"
    r"unsupported operand|positional argument|Traceback|Error\b|Object\b|Object\(| at 0x"
)
"""What a Python exception's text looks like (a reason must never read like one)."""


def pyhanko_reading(data: bytes) -> list[tuple[str, bool, Any]] | str:
    """pyHanko's own verdict: (field, intact and valid, what its difference analysis makes
    of later revisions) per signature, or why it cannot read the file."""
    ctx = base().trust.validation_context(moment=NOW, online=False)
    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:  # noqa: BLE001 - any failure means "pyHanko cannot read it"
        return repr(exc)
    out: list[tuple[str, bool, Any]] = []
    for sig in signatures:
        try:
            status = validate_pdf_signature(sig, ctx, diff_policy=DIFF_POLICY)
        except Exception as exc:  # noqa: BLE001 - this one it cannot verify
            out.append((str(sig.field_name), False, repr(exc)))
            continue
        level = getattr(status.diff_result, "modification_level", status.diff_result)
        out.append((str(sig.field_name), bool(status.intact and status.valid), level))
    return out


def _texts(report: DocumentReport) -> list[str]:
    reasons = [*report.reasons, *(r for sig in report.signatures for r in sig.reasons)]
    if report.error is not None:
        reasons.append(report.error)
    return [text for r in reasons for text in (r.en, r.vi)]


def check_against_pyhanko(
    data: bytes, expected: DocumentReport, *, honest: bool, levels: list[Any] | None = None
) -> DocumentReport:
    """The engine's report on ``data`` agrees with pyHanko's reading and with ``expected``
    (the report on the file before it was restructured). ``levels``: pyHanko's difference
    analysis of the expected file; where pyHanko judges the later revisions otherwise here,
    the verdict is pyHanko's to give and only the words are checked."""
    report = inspect_pdf(data, base().trust, OPTIONS)  # never raises: it would fail here
    for text in _texts(report):
        assert not _PYTHON_TEXT.search(text), text
    reading = pyhanko_reading(data)
    readable = isinstance(reading, list) and bool(reading) and all(ok for _, ok, _ in reading)
    if not readable:
        # What pyHanko cannot verify we never call valid.
        verified = {name for name, ok, _ in reading if ok} if isinstance(reading, list) else ()
        for sig in report.signatures:
            if sig.field not in verified:
                assert sig.verdict not in (Verdict.VALID, Verdict.VALID_WITH_WARNINGS), reading
        return report
    assert report.error is None
    assert [sig.field for sig in report.signatures] == [name for name, _, _ in reading]
    assert all(sig.intact and sig.crypto_valid for sig in report.signatures)
    if levels is not None and [level for _, _, level in reading] != levels:
        return report
    assert report.verdict is expected.verdict, (reading, report)
    for sig, before in zip(report.signatures, expected.signatures, strict=True):
        if levels is None:  # one signature: every finding the same
            assert [r.code for r in sig.reasons] == [r.code for r in before.reasons]
        if levels is not None and sig.index > 0:
            continue  # pyHanko's writer picks the second box by the names it finds
        if honest:
            assert (sig.page, sig.rect) == (before.page, before.rect)
            assert sig.changes == before.changes  # nothing a reader sees was not signed
        else:  # a damaged entry may hide where the field is, never move it
            assert sig.page in (None, before.page) and sig.rect in (None, before.rect)
    return report


@cache
def base_report() -> DocumentReport:
    report = inspect_pdf(base().signed, base().trust, OPTIONS)
    assert report.verdict is Verdict.VALID and report.signatures[0].page == SIG_PAGE
    return report


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}@{c.mode}")
def test_a_restructured_signed_file_gets_the_verdict_pyhanko_gives_it(case: Case) -> None:
    check_against_pyhanko(case.data(), base_report(), honest=case.honest)


PYHANKO_NEEDS_DIRECT = frozenset(
    f"{key}:{shape}"
    for key in ("Sig/ByteRange", "Sig/Contents", "Sig/SubFilter", "Sig/Type")
    for shape in ("indirect", "chain")
) | {"Field/V:direct"}
"""Honest shapes pyHanko 0.38 does not verify: it reads these entries of a signature only
when written directly (pdfsig follows one reference). They are judged as unreadable."""


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.honest and c.name in PYHANKO_NEEDS_DIRECT],
    ids=lambda c: f"{c.name}@{c.mode}",
)
def test_an_honest_shape_pyhanko_cannot_read_is_indeterminate_never_invalid(case: Case) -> None:
    # Nothing is proven damaged: the officer is told it cannot be checked here (never
    # "valid", never "invalid"), and whose signature it claims to be.
    (sig,) = inspect_pdf(case.data(), base().trust, OPTIONS).signatures
    assert sig.verdict is Verdict.INDETERMINATE, [r.code for r in sig.reasons]
    assert [r.code for r in sig.reasons] == ["unsupported_signature"]
    assert sig.signer is not None and sig.signer.name == "NGUYỄN VĂN AN"


def test_the_generator_writes_files_pyhanko_and_pdfsig_verify() -> None:
    """No honest case escapes the check above for want of a reading: pyHanko verifies every
    one but the known few, and pdfsig (where installed) verifies them too."""
    honest = [case for case in CASES if case.honest]
    unread, poppler_valid = set(), 0
    pdfsig = shutil.which("pdfsig")
    with tempfile.TemporaryDirectory() as folder:
        for case in honest:
            data = case.data()
            reading = pyhanko_reading(data)
            if not (isinstance(reading, list) and reading and all(ok for _, ok, _ in reading)):
                unread.add(case.name)
            elif pdfsig is not None:
                path = Path(folder) / "case.pdf"
                path.write_bytes(data)
                out = subprocess.run([pdfsig, str(path)], capture_output=True, text=True).stdout
                poppler_valid += "Signature is Valid." in out
    assert unread == PYHANKO_NEEDS_DIRECT
    assert pdfsig is None or poppler_valid > 100
    assert len(honest) > 120


# --- a second signature over a restructured file -------------------------------------------------

SECOND_SIGNED_AT = SIGNED_AT + timedelta(hours=2)
TWO_SIGNATURE_CASES = [
    case
    for case in CASES
    if (case.name.startswith("tree:") and case.mode == MODES[len(case.name) % 3])
    or case.name
    in {
        "Root/Pages:chain",
        "Root/AcroForm:indirect",
        "Root/AcroForm:chain",
        "AcroForm/Fields:indirect",
        "AcroForm/Fields:chain",
        "AcroForm/Fields:entries",
        "AcroForm/Fields[sig]:chain",
        "Pages/Kids:indirect",
        "Pages/Kids:entries",
        "Page/Annots:indirect",
        "Page/Annots:chain",
        "Page/Annots:entries",
        "Page/Annots[sig]:chain",
        "Page/Resources:indirect",
        "Page/MediaBox:entries",
        "Field/P:chain",
        "Field/V:chain",
        "Field/AP/N:chain",
    }
]


def _second(data: bytes) -> bytes:
    """A second, visible signature by Trần Thị Bình on the first page (pyHanko's writer)."""
    return sign_pdf(data, base().binh, signing_time=SECOND_SIGNED_AT, page=0)


@cache
def two_signature_report(mode: str) -> DocumentReport:
    """The report on the base file rewritten in ``mode`` without a shape, signed again."""
    data = _second(Case("as is", mode, lambda pdf: None, True).data())
    report = inspect_pdf(data, base().trust, OPTIONS)
    assert report.verdict is Verdict.VALID and len(report.signatures) == 2
    assert report.signatures[0].changes is not None
    assert not report.signatures[0].changes.shown_differs_from_signed
    return report


@pytest.mark.parametrize("case", TWO_SIGNATURE_CASES, ids=lambda c: f"{c.name}@{c.mode}")
def test_a_second_signature_over_a_restructured_file_changes_nothing(case: Case) -> None:
    """The first signature's revision is compared with the whole file (pyHanko's difference
    analysis, the changes report on both readings): an honest second signature shows
    nothing, whatever shape the signed revision has."""
    data = _second(case.data())
    expected = two_signature_report(case.mode)
    reading = pyhanko_reading(_second(Case("as is", case.mode, lambda pdf: None, True).data()))
    assert isinstance(reading, list)
    levels = [level for _, _, level in reading]
    report = check_against_pyhanko(data, expected, honest=True, levels=levels)
    assert len(report.signatures) == 2
    first = report.signatures[0]
    signed = signed_revision_bytes(data, first.byte_range)
    assert signed is not None
    # The changes report on its own too (the engine swallows its exceptions).
    later = [(sig.page, sig.rect) for sig in report.signatures[1:] if sig.rect is not None]
    assert compare_signed(signed, data, ignore=later) == first.changes  # type: ignore[arg-type]


# --- the reported file, and the command line ---------------------------------------------------


def references_everywhere() -> bytes:
    """A signed original in the manner of the Shadow Attack demo "hide-and-replace, change
    object references" (built here, not copied): every value an indirect object, an unused
    second content stream, and a signature widget without /P (it was the /Annots search
    that met a bare reference: "'Reference' object has no attribute 'get'")."""
    shown = b"BT /F1 14 Tf 72 700 Td (So tien: 1.000.000 dong) Tj ET"
    hidden = b"BT /F1 14 Tf 72 700 Td (So tien: 9.000.000 dong) Tj ET"
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R/AcroForm 20 0 R>>",
        2: b"<</Type/Pages/Kids 22 0 R/Count 1>>",
        3: b"<</Type/Page/Parent 2 0 R/MediaBox 23 0 R/Resources 24 0 R/Contents 4 0 R"
        b"/Annots 25 0 R>>",
        4: b"<</Length %d>>stream\n%s\nendstream" % (len(shown), shown),
        5: b"<</Length %d>>stream\n%s\nendstream" % (len(hidden), hidden),
        6: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        20: b"<</Fields 21 0 R/SigFlags 3>>",
        21: b"[30 0 R]",
        22: b"[3 0 R]",
        23: b"[0 0 595 842]",
        24: b"<</Font 26 0 R>>",
        25: b"[30 0 R]",
        26: b"<</F1 6 0 R>>",
        30: b"<</FT/Sig/T(Signature1)/Type/Annot/Subtype/Widget/F 4/Rect 31 0 R/V 32 0 R>>",
        31: b"[360 60 560 120]",
        32: b"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached"
        b"/ByteRange[0 0 0 0]/Contents<00>/M(D:20261119090000Z)>>",
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 33\n0000000000 65535 f \n"
    for number in range(1, 33):
        out += (
            b"%010d 00000 n \n" % offsets[number]
            if number in offsets
            else b"0" * 10 + b" 00001 f \n"
        )
    out += b"trailer\n<</Size 33/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % start
    return Pdf.load(bytes(out)).write("table", base().an.simple_signer())


def test_the_reported_file_shape_is_valid_and_placed() -> None:
    data = references_everywhere()
    report = inspect_pdf(data, base().trust, OPTIONS)
    assert report.error is None and report.verdict is Verdict.VALID, report
    (sig,) = report.signatures
    assert (sig.page, sig.rect) == (0, (360.0, 60.0, 560.0, 120.0))


def test_verify_json_is_one_document_on_restructured_files(tmp_path: Path) -> None:
    samples = {
        "reported.pdf": references_everywhere(),
        **{
            f"case{index}.pdf": case.data()
            for index, case in enumerate(CASES)
            if case.name
            in {
                "trailer/Root:null",
                "Field/V:wrong",
                "Sig/ByteRange:indirect",
                "Field/T:wrong",
                "Field/P:missing",
                "tree:page_attributes_inherited",
                "Sig/SubFilter:null",
            }
        },
    }
    paths = []
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    done = subprocess.run(
        [sys.executable, "-m", "intake_desktop", "verify", "--json", "--no-cache", *paths],
        capture_output=True,
        text=True,
        timeout=120,
    )
    document = json.loads(done.stdout)  # one JSON document, nothing else on stdout
    verdicts = {Path(f["file"]).name: f["verdict"] for f in document["files"]}
    for name, data in samples.items():
        # The CLI trusts the shipped roots, not the demo one: "error" or not must agree.
        ours = inspect_pdf(data, base().trust, OPTIONS).verdict
        assert (verdicts[name] == "error") == (ours is Verdict.ERROR), name
    assert verdicts["reported.pdf"] != "error"
    assert all(isinstance(f["signatures"], list) for f in document["files"])


# --- the viewer -------------------------------------------------------------------------------

VIEWER_CASES = (
    "tree:field_with_two_widgets",
    "tree:field_with_kids",
    "tree:page_attributes_inherited",
    "tree:rotate_inherited_90",
    "Field/Rect:indirect",
    "Field/Rect[0]:chain",
    "Field/P:chain",
)
"""Restructured files whose signature the viewer must outline where the widget is."""


@pytest.mark.parametrize("name", ["reported", *VIEWER_CASES])
def test_the_viewer_outlines_the_signature_where_the_widget_is(  # type: ignore[no-untyped-def]
    qtbot, name: str
) -> None:
    from intake_desktop.ui.verdict_style import verdict_colour
    from intake_desktop.viewer.viewer import PdfViewer

    if name == "reported":
        data = references_everywhere()
    else:
        data = next(case for case in CASES if case.name == name and case.honest).data()
    report = inspect_pdf(data, base().trust, OPTIONS)
    (sig,) = report.signatures
    assert sig.page is not None and sig.rect is not None, name

    viewer = PdfViewer(colour_for=verdict_colour)
    qtbot.addWidget(viewer)
    viewer.resize(1100, 800)
    viewer.show()
    qtbot.waitExposed(viewer)
    with qtbot.waitSignal(viewer.documentLoaded, timeout=15_000):
        viewer.open_bytes(data, f"{name}.pdf")
    viewer.set_signatures(report.signatures)

    # Where PyMuPDF, a second reader, puts the visible widget of that field on that page.
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        rects = [
            w.rect
            for w in doc[sig.page].widgets()
            if w.field_type == pymupdf.PDF_WIDGET_TYPE_SIGNATURE and not w.rect.is_empty
        ]
    assert rects, name
    r = rects[0]
    area = viewer.view.map_user_rect(sig.page, sig.rect)
    corners = [
        viewer.view.map_text_point(sig.page, (r.x0, r.y0)),
        viewer.view.map_text_point(sig.page, (r.x1, r.y1)),
    ]
    xs, ys = sorted(p.x() for p in corners), sorted(p.y() for p in corners)
    assert abs(area.left() - xs[0]) <= 1.5 and abs(area.right() - xs[1]) <= 1.5, name
    assert abs(area.top() - ys[0]) <= 1.5 and abs(area.bottom() - ys[1]) <= 1.5, name
