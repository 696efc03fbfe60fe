"""What changed after a signature: pages, regions, text and objects, in words an officer reads.

pyHanko says *that* a document changed after it was signed; this says *what*. The signed
revision (the file up to the end of the signature's ByteRange) and the current file are both
opened with PyMuPDF, which also repairs a damaged later revision (itself a finding):

* objects: every object added or changed after the signature, sorted into page content,
  annotations, form fields, fonts, images, XObjects and catalogue entries — leaving out the
  machinery of later signatures and LTV data (signature fields, their appearances, DSS);
* pages: a digest of everything a page draws (its dictionary and every object it reaches,
  later signatures left out) picks the pages worth rendering; those are rendered at 108 dpi
  and compared pixel by pixel (:mod:`intake_desktop.services.page_diff`), the widgets of later
  signatures masked out, so covered-then-uncovered content, toggled layers or flags, glyph
  substitutions and overlays all show as regions;
* text: visual lines (words on one baseline, left to right) of both versions, diffed line by
  line, so "CCCD: 062090001234" becoming "CCCD: 000000000000" is spelled out.

Page numbers are page indexes from 0, like :attr:`SignatureReport.page`; rectangles are in PDF
user space (x0, y0, x1, y1), like :attr:`SignatureReport.rect`. PyMuPDF is not thread-safe:
documents opened here stay in the calling thread.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import collections
import difflib
import enum
import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pymupdf

from intake_desktop.services.mupdf_lock import MUPDF_LOCK
from intake_desktop.services.pdf_pages import Rect4
from intake_desktop.services.signatures.report import (
    NO_CHANGES,
    ChangedRegion,
    ObjectChanges,
    SignatureChanges,
    TextChange,
)
from intake_desktop.services.signatures.xref_view import xref_reading

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

IGNORE_MARGIN = 2.0
"""Points around a later signature's widget still counted as that widget (anti-aliasing)."""
_MUPDF: Any = pymupdf.mupdf
_MUPDF_ERRORS = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)
"""What PyMuPDF raises for an object the file does not have or cannot parse."""
LINE_TOLERANCE = 2.5
"""Words whose baselines differ by less than this many points are on one visual line."""


def compare_signed(
    signed: bytes,
    current: bytes,
    *,
    ignore: Sequence[tuple[int, Rect4]] = (),
    reader: PdfFileReader | None = None,
) -> SignatureChanges:
    """Compare the revision a signature covers with the whole current file.

    ``ignore`` lists (page, rect) areas that may change without it counting: the widgets of
    later signatures added in an approved way. ``reader``: pyHanko's reader of ``current``,
    when the caller has one. Raises ``ValueError`` when the signed revision itself cannot
    be opened (then the signature cannot be valid anyway).
    """
    if current == signed:
        return NO_CHANGES
    with MUPDF_LOCK:
        return _compare_locked(signed, current, ignore, reader)


def _compare_locked(
    signed: bytes,
    current: bytes,
    ignore: Sequence[tuple[int, Rect4]],
    reader: PdfFileReader | None,
) -> SignatureChanges:
    try:
        before = pymupdf.open(stream=signed, filetype="pdf")
    except (RuntimeError, ValueError) as error:
        raise ValueError(f"the signed revision cannot be opened: {error}") from error
    try:
        try:
            after = pymupdf.open(stream=current, filetype="pdf")
        except _MUPDF_ERRORS:
            # Nothing readable after the signed revision: the reader shows nothing at all.
            return SignatureChanges(True, later_revision_damaged=True)
        try:
            changes = _compare(before, after, ignore)
            second = xref_reading(signed, current, repaired=bool(after.is_repaired), reader=reader)
        finally:
            after.close()
        if second is None:
            return changes
        try:
            follower = pymupdf.open(stream=second, filetype="pdf")
        except _MUPDF_ERRORS:
            return changes
        try:
            # What a reader following the table shows counts as much as MuPDF's repair.
            return _merged(changes, _compare(before, follower, ignore))
        finally:
            follower.close()
    finally:
        before.close()


def _rendered_changes(
    before: pymupdf.Document,
    after: pymupdf.Document,
    candidates: list[int],
    ignore: Sequence[tuple[int, Rect4]],
) -> tuple[list[ChangedRegion], list[int]]:
    """What rendering the candidate pages shows changed, outside the ``ignore`` areas."""
    # Rendering (and numpy) only for pages whose drawing differs: honest files have none.
    from intake_desktop.services.page_diff import DEFAULT_ZOOM, Side, compare_pages

    regions: list[ChangedRegion] = []
    pages: list[int] = []
    for change in compare_pages(before, after, candidates, zoom=DEFAULT_ZOOM):
        masked = [area for page, area in ignore if page == change.page]
        kept = [r for r in change.rects if change.side is not Side.BOTH or not _inside(r, masked)]
        if kept:
            pages.append(change.page)
            regions.extend(ChangedRegion(change.page, r) for r in kept)
    return regions, pages


def _merged(first: SignatureChanges, second: SignatureChanges) -> SignatureChanges:
    """Everything either reading of the later revisions shows."""
    regions = tuple(dict.fromkeys((*first.regions, *second.regions)))
    counts = {
        name: max(getattr(first.objects, name), getattr(second.objects, name))
        for name in ObjectChanges.__slots__
    }
    return SignatureChanges(
        shown_differs_from_signed=bool(regions),
        pages=tuple(sorted({*first.pages, *second.pages})),
        regions=regions,
        text=tuple(dict.fromkeys((*first.text, *second.text))),
        objects=ObjectChanges(**counts),
        later_revision_damaged=first.later_revision_damaged or second.later_revision_damaged,
    )


def _compare(
    before: pymupdf.Document, after: pymupdf.Document, ignore: Sequence[tuple[int, Rect4]]
) -> SignatureChanges:
    damaged = bool(after.is_repaired) and not bool(before.is_repaired)
    roles = _roles(after, _new_signature_fields(before, after))
    machinery_after = {xref for xref, role in roles.items() if role is Role.MACHINERY}
    machinery_before: set[int] = set()
    objects = _object_changes(before, after, roles)
    global_change = _drawing_settings(before) != _drawing_settings(after)
    count = max(before.page_count, after.page_count)
    candidates = [
        page
        for page in range(count)
        if global_change
        or page >= before.page_count
        or page >= after.page_count
        or _page_digest(before, page, machinery_before)
        != _page_digest(after, page, machinery_after)
    ]
    regions: list[ChangedRegion] = []
    pages: list[int] = []
    text: list[TextChange] = []
    if candidates:
        regions, pages = _rendered_changes(before, after, candidates, ignore)
    for page in candidates:
        masked = [area for number, area in ignore if number == page]
        old = _visual_lines(before, page, masked) if page < before.page_count else []
        new = _visual_lines(after, page, masked) if page < after.page_count else []
        text.extend(_line_changes(page, old, new))
    objects = _with_pages(objects, before.page_count, after.page_count)
    return SignatureChanges(
        shown_differs_from_signed=bool(regions),
        pages=tuple(pages),
        regions=tuple(regions),
        text=tuple(text),
        objects=objects,
        later_revision_damaged=damaged,
    )


# --- objects -------------------------------------------------------------------------------

_REF = re.compile(rb"(?<![\d.])(\d+)\s+0\s+R\b")
"""An indirect reference; the look-behind keeps long digit runs (signature hex) linear."""
_HEX = re.compile(rb"<[0-9A-Fa-f\s]{64,}>")
_UP = re.compile(rb"/(?:P|Parent)\s+\d+\s+0\s+R")
"""Links back up the page tree: never followed (they would reach every page)."""


def _text(doc: pymupdf.Document, xref: int) -> bytes:
    try:
        return str(doc.xref_object(xref, compressed=True)).encode("utf-8", "surrogateescape")
    except _MUPDF_ERRORS:
        return b""


def _refs(doc: pymupdf.Document, xref: int) -> set[int]:
    body = _HEX.sub(b"<>", _text(doc, xref))
    return {int(x) for x in _REF.findall(_UP.sub(b"", body))}


def _reach(doc: pymupdf.Document, roots: Iterable[int], stop: set[int]) -> set[int]:
    seen: set[int] = set()
    todo = [x for x in roots if x not in stop]
    length = doc.xref_length()
    while todo:
        xref = todo.pop()
        if xref in seen or not 0 < xref < length:
            continue
        seen.add(xref)
        todo.extend(x for x in _refs(doc, xref) if x not in seen and x not in stop)
    return seen


def _drawing_settings(doc: pymupdf.Document) -> str:
    """Document-wide switches that change how every page draws: optional content (layers
    on or off) and whether form fields get new appearances; their objects included."""
    catalog = doc.pdf_catalog()
    digest = hashlib.sha256()
    for key in ("OCProperties", "AcroForm"):
        kind, value = doc.xref_get_key(catalog, key)
        if key == "AcroForm":
            target = int(value.split()[0]) if kind == "xref" else catalog
            digest.update(str(doc.xref_get_key(target, "NeedAppearances")).encode())
            continue
        digest.update(value.encode())
        for obj in sorted(_reach(doc, (int(x) for x in _REF.findall(value.encode())), set())):
            digest.update(b"%d:" % obj + _text(doc, obj))
    return digest.hexdigest()


def _page_digest(doc: pymupdf.Document, page: int, machinery: set[int]) -> str:
    """A hash of everything the page draws: its dictionary (without the widgets of
    signatures) and every object reachable from it, streams included."""
    xref = doc.page_xref(page)
    digest = hashlib.sha256()
    for key in sorted(doc.xref_get_keys(xref)):
        if key in ("Parent", "Annots"):
            continue
        digest.update(key.encode() + b"=" + str(doc.xref_get_key(xref, key)).encode())
    annots = [a for a in _refs_of_key(doc, xref, "Annots") if a not in machinery]
    digest.update(b"Annots=" + repr(annots).encode())
    roots = [x for x in _refs(doc, xref) if x not in machinery]
    stop = machinery | {xref, doc.pdf_catalog()}  # a certification's /Data reaches it all
    for obj in sorted(_reach(doc, roots, stop)):
        digest.update(b"%d:" % obj + _text(doc, obj))
        if doc.xref_is_stream(obj):
            digest.update(doc.xref_stream_raw(obj) or b"")
    return digest.hexdigest()


def _refs_of_key(doc: pymupdf.Document, xref: int, key: str) -> list[int]:
    kind, value = doc.xref_get_key(xref, key)
    if kind == "xref":
        target = int(value.split()[0])
        return [int(x) for x in _REF.findall(_text(doc, target))]
    if kind == "array":
        return [int(x) for x in _REF.findall(value.encode())]
    return []


class Role(enum.Enum):
    """What an object of the current file is, by what reaches it from the catalogue."""

    PAGE_CONTENT = "page_content"
    ANNOTATION = "annotations"
    FORM_FIELD = "form_fields"
    FONT = "fonts"
    IMAGE = "images"
    XOBJECT = "xobjects"
    CATALOG = "catalog"
    MACHINERY = "machinery"
    """Later signatures and LTV data: fields signed after, their appearances, DSS."""
    LIST = "list"
    """An /Annots or /Fields array of its own: its entries are counted, not the list."""
    QUIET = "quiet"
    """Catalogue, form dictionary and XMP metadata: compared key by key, or not shown."""


_UNCOUNTED = frozenset({Role.MACHINERY, Role.LIST, Role.QUIET})
_FOLLOWED_IN_RESOURCES = (("Font", Role.FONT), ("XObject", Role.XOBJECT))


def _ref_list(value: str) -> list[int]:
    return [int(x) for x in _REF.findall(_HEX.sub(b"<>", value.encode("utf-8", "surrogateescape")))]


def _key(doc: pymupdf.Document, xref: int, key: str) -> tuple[str, str]:
    try:
        kind, value = doc.xref_get_key(xref, key)
    except _MUPDF_ERRORS:
        return "null", "null"
    return str(kind), str(value)


def _children(doc: pymupdf.Document, xref: int, role: Role) -> list[tuple[int, Role]]:
    """Objects ``xref`` refers to and the role each gets from it: resources by their
    kind (fonts, images, form XObjects), everything else the role of ``xref``."""
    out: list[tuple[int, Role]] = []
    try:
        # MuPDF's objects directly: a reference or a number costs no text round trip.
        obj = _MUPDF.pdf_load_object(pymupdf._as_pdf_document(doc), xref)
    except _MUPDF_ERRORS:
        return out
    if not _MUPDF.pdf_is_dict(obj):
        return out  # xref_get_keys gives no keys for these either
    for index in range(_MUPDF.pdf_dict_len(obj)):
        key = _MUPDF.pdf_to_name(_MUPDF.pdf_dict_get_key(obj, index))
        if key in ("P", "Annots") or (key == "Parent" and role is Role.PAGE_CONTENT):
            continue  # back-links up the tree; a page's annotations have roles of their own
        if key == "Resources" and role not in _UNCOUNTED:
            for sub, kind in _FOLLOWED_IN_RESOURCES:
                for child in _ref_list(_key(doc, xref, f"Resources/{sub}")[1]):
                    if kind is Role.XOBJECT and _key(doc, child, "Subtype")[1] == "/Image":
                        out.append((child, Role.IMAGE))
                    else:
                        out.append((child, kind))
        out.extend((child, role) for child in _value_refs(doc, xref, key, obj, index))
    return out


def _value_refs(doc: pymupdf.Document, xref: int, key: str, obj: Any, index: int) -> list[int]:
    """The references in the value of ``key``, as :func:`_ref_list` finds them in its text."""
    value = _MUPDF.pdf_dict_get_val(obj, index)
    if _MUPDF.pdf_is_indirect(value):
        return [_MUPDF.pdf_to_num(value)] if _MUPDF.pdf_to_gen(value) == 0 else []
    if _MUPDF.pdf_is_array(value) or _MUPDF.pdf_is_dict(value):
        return _ref_list(_key(doc, xref, key)[1])
    return []  # a number, name, string, boolean or null refers to nothing


def _assign(
    doc: pymupdf.Document, roles: dict[int, Role], roots: Iterable[tuple[int, Role]]
) -> None:
    """Give every object reachable from ``roots`` a role; the first role given wins."""
    length = doc.xref_length()
    queue = collections.deque(roots)
    while queue:
        xref, role = queue.popleft()
        if xref in roles or not 0 < xref < length:
            continue
        roles[xref] = role
        queue.extend(item for item in _children(doc, xref, role) if item[0] not in roles)


def _field_value(doc: pymupdf.Document, xref: int) -> tuple[str, str]:
    """(/FT, /V) of a field or of the field a widget belongs to."""
    for prefix in ("", "Parent/"):
        kind, value = _key(doc, xref, prefix + "FT")
        if kind != "null":
            return value, _key(doc, xref, prefix + "V")[1]
    return "", "null"


def _new_signature_fields(before: pymupdf.Document, after: pymupdf.Document) -> set[int]:
    """Signature fields (and their widgets) signed after the signed revision: a value the
    signed revision did not have. Fields signed before stay ordinary objects."""
    new: set[int] = set()
    old_length = before.xref_length()
    for xref in range(1, after.xref_length()):
        kind, value = _field_value(after, xref)
        if kind != "/Sig" or value == "null":
            continue
        if xref >= old_length or _field_value(before, xref) != (kind, value):
            new.add(xref)
    return new


def _roles(doc: pymupdf.Document, new_signatures: set[int]) -> dict[int, Role]:
    """The role of every object reachable from the catalogue, in order of priority: the
    page tree and what pages draw, annotations, the form, signature and LTV data, the rest
    of the catalogue. Objects nothing reaches get none (nothing shows them)."""
    roles: dict[int, Role] = {}
    catalog = doc.pdf_catalog()
    roles[catalog] = Role.QUIET
    _assign(doc, roles, ((x, Role.PAGE_CONTENT) for x in _ref_list(_key(doc, catalog, "Pages")[1])))
    annots: list[tuple[int, Role]] = []
    for page in range(doc.page_count):
        page_xref = doc.page_xref(page)
        kind, value = _key(doc, page_xref, "Annots")
        if kind == "xref":
            annots.extend((x, Role.LIST) for x in _ref_list(value))
        for annot in _refs_of_key(doc, page_xref, "Annots"):
            if annot in new_signatures:
                annots.append((annot, Role.MACHINERY))
            elif _field_value(doc, annot)[0] or _key(doc, annot, "Subtype")[1] == "/Widget":
                annots.append((annot, Role.FORM_FIELD))
            else:
                annots.append((annot, Role.ANNOTATION))
    # Lists first: an indirect /Annots array must not take the role of its first entry.
    annots.sort(key=lambda item: item[1] is not Role.LIST)
    _assign(doc, roles, annots)
    kind, value = _key(doc, catalog, "AcroForm")
    form = int(value.split()[0]) if kind == "xref" else None
    if form is not None:
        roles.setdefault(form, Role.QUIET)
    kind, value = _key(doc, catalog, "AcroForm/Fields")
    fields: list[tuple[int, Role]] = [(x, Role.LIST) for x in _ref_list(value) if kind == "xref"]
    for field in _refs_of_key(doc, form if form is not None else catalog, "Fields"):
        fields.append((field, Role.MACHINERY if field in new_signatures else Role.FORM_FIELD))
    form_rest = [
        x
        for key in (doc.xref_get_keys(form) if form is not None else ())
        if key != "Fields"
        for x in _ref_list(_key(doc, form or catalog, key)[1])
    ]
    _assign(doc, roles, [*fields, *((x, Role.FORM_FIELD) for x in form_rest)])
    machinery = [x for key in ("DSS", "Perms") for x in _ref_list(_key(doc, catalog, key)[1])]
    # Signature dictionaries and timestamps nothing else reaches (e.g. an orphaned field).
    machinery.extend(new_signatures)
    _assign(doc, roles, ((x, Role.MACHINERY) for x in machinery))
    _assign(doc, roles, ((x, Role.QUIET) for x in _ref_list(_key(doc, catalog, "Metadata")[1])))
    rest = [
        x
        for key in doc.xref_get_keys(catalog)
        if key not in ("Pages", "AcroForm", "DSS", "Perms", "Metadata")
        for x in _ref_list(_key(doc, catalog, key)[1])
    ]
    _assign(doc, roles, ((x, Role.CATALOG) for x in rest))
    return roles


_FIELDS = re.compile(r"/Fields\s*\[[^\]]*\]")
_SIG_FLAGS = re.compile(r"/SigFlags\s*\d+")
_IGNORED_CATALOG_KEYS = frozenset({"AcroForm", "DSS", "Perms", "Extensions", "Metadata"})


def _object_changes(
    before: pymupdf.Document, after: pymupdf.Document, roles: dict[int, Role]
) -> ObjectChanges:
    """Every object added or replaced after the signed revision, counted by its role."""
    counts = dict.fromkeys(ObjectChanges.__slots__, 0)
    old_length = before.xref_length()
    catalog = after.pdf_catalog()
    page_xrefs = {after.page_xref(page) for page in range(after.page_count)}
    for xref in range(1, after.xref_length()):
        role = roles.get(xref)
        if role is None or (role in _UNCOUNTED and xref != catalog):
            continue
        body = _text(after, xref)
        new_stream = after.xref_stream_raw(xref) if after.xref_is_stream(xref) else None
        old_body = b""
        if xref < old_length:
            old_body = _text(before, xref)
            old_stream = before.xref_stream_raw(xref) if before.xref_is_stream(xref) else None
            if body == old_body and new_stream == old_stream:
                continue
        if not body or body == b"null":
            continue
        if xref == catalog:
            counts["catalog"] += int(_catalog_changed(before, after, xref))
        elif xref in page_xrefs:
            # New entries in /Annots alone are counted as the annotations they add.
            if not old_body or _page_dict_changed(before, after, xref):
                counts["page_content"] += 1
        else:
            counts[role.value] += 1
    counts["form_fields"] += int(_acroform_changed(before, after))
    return ObjectChanges(**counts)


def _keys(doc: pymupdf.Document, xref: int, skip: frozenset[str]) -> dict[str, str]:
    return {k: str(doc.xref_get_key(xref, k)) for k in doc.xref_get_keys(xref) if k not in skip}


def _catalog_changed(before: pymupdf.Document, after: pymupdf.Document, xref: int) -> bool:
    old = before.pdf_catalog()
    return _keys(before, old, _IGNORED_CATALOG_KEYS) != _keys(after, xref, _IGNORED_CATALOG_KEYS)


def _acroform_changed(before: pymupdf.Document, after: pymupdf.Document) -> bool:
    """The form's own settings changed (new fields are counted as their objects)."""

    def settings(doc: pymupdf.Document) -> dict[str, str]:
        kind, value = doc.xref_get_key(doc.pdf_catalog(), "AcroForm")
        if kind == "dict":  # inline in the catalogue: drop the field list and flags
            rest = _FIELDS.sub("", _SIG_FLAGS.sub("", value))
            return {"inline": re.sub(r"\s+", "", rest)}
        if kind != "xref":
            return {}
        return _keys(doc, int(value.split()[0]), frozenset({"Fields", "SigFlags"}))

    return settings(before) != settings(after)


def _page_dict_changed(before: pymupdf.Document, after: pymupdf.Document, xref: int) -> bool:
    """Contents, size, rotation… changed — not just new entries in /Annots."""
    skip = frozenset({"Annots", "Parent"})
    return _keys(before, xref, skip) != _keys(after, xref, skip)


def _with_pages(objects: ObjectChanges, before: int, after: int) -> ObjectChanges:
    counts = {name: getattr(objects, name) for name in ObjectChanges.__slots__}
    counts["pages_added"] = max(0, after - before)
    counts["pages_removed"] = max(0, before - after)
    return ObjectChanges(**counts)


# --- regions and text ----------------------------------------------------------------------


def _inside(rect: Rect4, areas: Sequence[Rect4]) -> bool:
    x0, y0, x1, y1 = rect
    return any(
        x0 >= a[0] - IGNORE_MARGIN
        and y0 >= a[1] - IGNORE_MARGIN
        and x1 <= a[2] + IGNORE_MARGIN
        and y1 <= a[3] + IGNORE_MARGIN
        for a in areas
    )


def _visual_lines(doc: pymupdf.Document, page: int, masked: Sequence[Rect4]) -> list[str]:
    """The page's words grouped by baseline, top to bottom, left to right."""
    target = doc[page]
    height = target.rect.height
    words = []
    for x0, y0, x1, y1, word, *_ in target.get_text("words"):
        # Words are in PyMuPDF's top-left space; masks in PDF user space (bottom-left).
        user = (x0, height - y1, x1, height - y0)
        if masked and _inside(user, masked):
            continue
        words.append((float(y1), float(x0), str(word)))
    words.sort()
    lines: list[list[tuple[float, str]]] = []
    baseline = None
    for y, x, word in words:
        if baseline is None or abs(y - baseline) > LINE_TOLERANCE:
            lines.append([])
            baseline = y
        lines[-1].append((x, word))
    return [" ".join(word for _, word in sorted(line)) for line in lines]


def _line_changes(page: int, old: list[str], new: list[str]) -> list[TextChange]:
    changes = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes.append(TextChange(page, "\n".join(old[i1:i2]), "\n".join(new[j1:j2])))
    return changes


# --- in words --------------------------------------------------------------------------------

_QUOTE_LIMIT = 120


def _quote(text: str) -> str:
    one_line = " / ".join(part for part in text.splitlines() if part.strip())
    return one_line if len(one_line) <= _QUOTE_LIMIT else one_line[: _QUOTE_LIMIT - 1] + "…"


def describe(changes: SignatureChanges, lang: str = "vi") -> list[str]:
    """Plain sentences for the officer (``vi``) or the log and CLI (``en``), most telling
    first: damage, text changes, other visible changes, pages added or removed."""
    vi = lang == "vi"
    lines: list[str] = []
    if changes.later_revision_damaged:
        lines.append(
            "Phần thêm vào sau khi ký bị hỏng cấu trúc: nội dung hiển thị không phải nội dung"
            " đã ký."
            if vi
            else "The part added after signing is damaged: what is shown is not what was signed."
        )
    for t in changes.text:
        page = t.page + 1
        old, new = _quote(t.removed), _quote(t.added)
        if old and new:
            lines.append(
                f"Trang {page}: dòng '{old}' đã bị thay bằng '{new}' sau khi ký."
                if vi
                else f"Page {page}: '{old}' was replaced by '{new}' after signing."
            )
        elif new:
            lines.append(
                f"Trang {page}: thêm '{new}' sau khi ký."
                if vi
                else f"Page {page}: '{new}' was added after signing."
            )
        else:
            lines.append(
                f"Trang {page}: xóa '{old}' sau khi ký."
                if vi
                else f"Page {page}: '{old}' was removed after signing."
            )
    texted = {t.page for t in changes.text}
    for page in changes.pages:
        if page not in texted:
            count = sum(1 for r in changes.regions if r.page == page)
            lines.append(
                f"Trang {page + 1}: {count} vùng hiển thị khác với bản đã ký."
                if vi
                else f"Page {page + 1}: {count} area(s) look different from the signed version."
            )
    objects = changes.objects
    if objects.pages_added:
        lines.append(
            f"Thêm {objects.pages_added} trang sau khi ký."
            if vi
            else f"{objects.pages_added} page(s) added after signing."
        )
    if objects.pages_removed:
        lines.append(
            f"Bớt {objects.pages_removed} trang sau khi ký."
            if vi
            else f"{objects.pages_removed} page(s) removed after signing."
        )
    return lines
