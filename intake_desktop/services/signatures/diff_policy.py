"""pyHanko's difference analysis, taught to recognise comments added after signing.

pyHanko's default policy calls any new annotation "suspicious" (level OTHER), which would
make a citizen's signature invalid because someone added a sticky note later. Officers need
to see that as "annotations added" (a warning), while anything else stays OTHER.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    StandardDiffPolicy,
)
from pyhanko.sign.diff_analysis.commons import compare_dicts

from intake_desktop.services.signatures.pdf_objects import deref, page_refs

# Markup annotations a reader adds on top of a page; widgets (form fields) and links are not.
_MARKUP_SUBTYPES = frozenset(
    {
        "/Text",
        "/FreeText",
        "/Highlight",
        "/Underline",
        "/StrikeOut",
        "/Squiggly",
        "/Ink",
        "/Popup",
        "/Square",
        "/Circle",
        "/Line",
        "/Polygon",
        "/PolyLine",
        "/Stamp",
        "/Caret",
    }
)


def _annot_refs(page: Any) -> list[Any] | None:
    annots = page.get("/Annots")
    if annots is None:
        return []
    annots = deref(annots)
    if not isinstance(annots, generic.ArrayObject):
        return None
    refs = []
    for entry in annots:
        if not isinstance(entry, generic.IndirectObject):
            return None
        refs.append(entry.reference)
    return refs


class AnnotationAdditionRule(QualifiedWhitelistRule):
    """Clears pages whose only change is new markup annotations, at level ANNOTATIONS."""

    def apply_qualified(self, old: Any, new: Any) -> Iterator[tuple[Any, Any]]:
        level = ModificationLevel.ANNOTATIONS
        try:
            old_pages = page_refs(old.root["/Pages"])
            new_pages = page_refs(new.root["/Pages"])
        except (KeyError, TypeError, AttributeError):
            return
        if old_pages != new_pages:
            return
        for page_ref in new_pages:
            old_page = old(page_ref)
            new_page = new(page_ref)
            old_annots = _annot_refs(old_page)
            new_annots = _annot_refs(new_page)
            if old_annots is None or new_annots is None or old_annots == new_annots:
                continue
            added = [r for r in new_annots if r not in old_annots]
            if set(old_annots) - set(new_annots) or not added:
                continue
            if not compare_dicts(old_page, new_page, frozenset(["/Annots"]), raise_exc=False):
                continue
            if not all(self._is_fresh_markup(old, new(ref)) for ref in added):
                continue
            # Page objects are referenced from many places; they are unchanged but for
            # /Annots, so a blanket approval is safe (pyHanko does the same for widgets).
            yield level, ReferenceUpdate(page_ref)
            annots_value = new_page.raw_get("/Annots")
            if isinstance(annots_value, generic.IndirectObject):
                yield level, ReferenceUpdate(annots_value.reference)
            for ref in added:
                yield level, ReferenceUpdate(ref)
                yield from ((level, ReferenceUpdate(r)) for r in _fresh_refs(old, new(ref)))

    @staticmethod
    def _is_fresh_markup(old: Any, annot: Any) -> bool:
        return isinstance(annot, generic.DictionaryObject) and annot.get("/Subtype") in (
            _MARKUP_SUBTYPES
        )


def _fresh_refs(old: Any, obj: Any, seen: set[Any] | None = None) -> Iterator[Any]:
    """Yield references reachable from ``obj`` that did not exist in the old revision.

    Objects that already existed are not cleared: changing them stays suspicious.
    """
    seen = seen if seen is not None else set()
    if isinstance(obj, generic.IndirectObject):
        ref = obj.reference
        if ref in seen or not old.is_ref_unassignable(ref):
            return
        seen.add(ref)
        yield ref
        obj = deref(obj)
    if isinstance(obj, generic.DictionaryObject):  # streams are dictionaries too
        for key in obj:
            if key == "/P":  # back-link to the page, already handled
                continue
            yield from _fresh_refs(old, obj.raw_get(key), seen)
    elif isinstance(obj, generic.ArrayObject):
        for item in obj:
            yield from _fresh_refs(old, item, seen)


DIFF_POLICY = StandardDiffPolicy(
    global_rules=[*DEFAULT_DIFF_POLICY.global_rules, AnnotationAdditionRule()],
    form_rule=DEFAULT_DIFF_POLICY.form_rule,
)
"""pyHanko's default policy plus :class:`AnnotationAdditionRule`."""
