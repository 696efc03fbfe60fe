"""pyHanko's difference analysis, taught what honest producers write after signing.

pyHanko's default policy calls any new annotation "suspicious" (level OTHER), which would
make a citizen's signature invalid because someone added a sticky note later. Officers need
to see that as "annotations added" (a warning), while anything else stays OTHER.

It is also stricter than the readers officers use (Acrobat, EU DSS, poppler) about
validation data: a /DSS whose /VRI keys are in lower case, whose VRI entries a second LTV
pass rewrote, or that holds keys PAdES does not list, and a structure tree (tagged PDF)
that a later signature or LTV pass extended. Nothing in either is shown on a page; both
are accepted here as LTV updates, with the objects they may touch limited to what is new
or was already used only by them, so an object a page uses can never be changed through
them, even when the signed document already listed it under /DSS or the structure tree.

pyHanko assumes no revision references an object only a later revision defines; a
document prepared with such a reference (a page's content naming an object that does not
exist yet) would let a later revision add content nothing flags. Here that counts as a
change of the referencing object, harmless only inside /DSS, the structure tree or the
metadata.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    DiffResult,
    DSSCompareRule,
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.commons import compare_dicts

from intake_desktop.services.signatures.messages import reason
from intake_desktop.services.signatures.pdf_objects import deref, page_refs
from intake_desktop.services.signatures.report import Reason

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


# Links out of a structure element to what it tags: pages, annotations, content streams.
# Those are the document itself and are judged by the other rules, never through the tree.
_STRUCT_LINKS = frozenset({"/Pg", "/Obj", "/Stm", "/StmOwn"})


def _subtree_refs(
    obj: Any, skip: frozenset[str] = frozenset(), seen: set[Any] | None = None
) -> Iterator[Any]:
    """Yield every reference reachable from ``obj``, not following the keys in ``skip``."""
    seen = seen if seen is not None else set()
    if isinstance(obj, generic.IndirectObject):
        if obj.reference in seen:
            return
        seen.add(obj.reference)
        yield obj.reference
        untyped: Any = obj  # pyHanko's get_object is untyped
        try:
            obj = untyped.get_object()
        except Exception:  # noqa: BLE001 - a dangling reference has nothing below it
            return
    if isinstance(obj, generic.DictionaryObject):
        for key in obj:
            if key not in skip:
                yield from _subtree_refs(obj.raw_get(key), skip, seen)
    elif isinstance(obj, generic.ArrayObject):
        for item in obj:
            yield from _subtree_refs(item, skip, seen)


class _CatalogSubtreeRule(QualifiedWhitelistRule):
    """Clears the objects under one catalog entry that are new or were already under it."""

    key = ""
    skip: frozenset[str] = frozenset()

    def apply_qualified(self, old: Any, new: Any) -> Iterator[tuple[Any, Any]]:
        level = ModificationLevel.LTA_UPDATES
        if self.key not in new.root:
            return
        before = (
            set(_subtree_refs(old.root.raw_get(self.key), self.skip))
            if self.key in old.root
            else set()
        )
        inside = (("/Root", self.key),)
        for ref in _subtree_refs(new.root.raw_get(self.key), self.skip):
            if not (ref in before or old.is_ref_unassignable(ref)):
                continue
            # Whatever else of the signed document uses it (a page, its content) is judged
            # by the other rules, never cleared from here.
            paths = _old_paths(old, ref)
            if paths and not _all_under(paths, inside):
                continue
            yield level, ReferenceUpdate(ref)


class ValidationDataRule(_CatalogSubtreeRule):
    """/DSS as any producer writes it: certificates, CRLs, OCSP answers, VRI entries."""

    key = "/DSS"


class StructureTreeRule(_CatalogSubtreeRule):
    """/StructTreeRoot extended for a new widget or annotation (tagged PDF)."""

    key = "/StructTreeRoot"
    skip = _STRUCT_LINKS


def harmless_updates(reader: PdfFileReader, signed_revision: int) -> list[Reason]:
    """Say which harmless parts later revisions touched: validation data (/DSS), the
    structure tree, the document's metadata. Empty when they touched none of these."""
    root = reader.root
    changed = []
    for key, code in (
        ("/DSS", "later_validation_data"),
        ("/StructTreeRoot", "later_structure_tree"),
        ("/Metadata", "later_metadata"),
    ):
        if key not in root:
            continue
        skip = _STRUCT_LINKS if key == "/StructTreeRoot" else frozenset()
        for ref in _subtree_refs(root.raw_get(key), skip):
            try:
                revision = reader.xrefs.get_last_change(ref)
            except Exception:  # noqa: BLE001 - a dangling reference changed nothing
                continue
            if revision > signed_revision:
                changed.append(reason(code))
                break
    return changed


def _old_paths(old: Any, ref: Any) -> set[tuple[Any, ...]]:
    """Every path from the trailer by which the old revision reaches ``ref``."""
    old._load_reverse_xref_cache()  # pyHanko's own index; its apply() builds it anyway
    return {tuple(path.path) for path in old._get_usages_of_ref(ref)}


def _all_under(paths: set[tuple[Any, ...]], prefixes: tuple[tuple[str, ...], ...]) -> bool:
    return all(any(path[: len(p)] == p for p in prefixes) for path in paths)


_HARMLESS_PLACES = (("/Root", "/DSS"), ("/Root", "/StructTreeRoot"), ("/Root", "/Metadata"))


class HarmlessUpdatesPolicy(StandardDiffPolicy):
    """pyHanko's standard policy that also refuses to let a later revision define an
    object the older one already referenced (outside the harmless places)."""

    def apply(
        self, old: Any, new: Any, field_mdp_spec: Any = None, doc_mdp: Any = None
    ) -> DiffResult:
        xrefs = old.reader.xrefs
        for ref in new.explicit_refs_in_revision():
            if xrefs.get_historical_ref(ref, old.revision) is not None:
                continue  # defined before: the rules judge the change
            paths = _old_paths(old, ref)
            if paths and not _all_under(paths, _HARMLESS_PLACES):
                where = "/".join(str(part) for part in min(paths, key=len))
                raise SuspiciousModification(
                    f"{ref} is used by the signed revision ({where}) but defined only in"
                    f" revision {new.revision}"
                )
        result: DiffResult = super().apply(old, new, field_mdp_spec, doc_mdp)
        return result


_PYHANKO_RULES = [
    rule
    for rule in DEFAULT_DIFF_POLICY.global_rules
    if not isinstance(getattr(rule, "rule", None), DSSCompareRule)
]

DIFF_POLICY = HarmlessUpdatesPolicy(
    global_rules=[
        *_PYHANKO_RULES,
        ValidationDataRule(),
        StructureTreeRule(),
        AnnotationAdditionRule(),
    ],
    form_rule=DEFAULT_DIFF_POLICY.form_rule,
)
"""pyHanko's default policy, its /DSS rule replaced by :class:`ValidationDataRule`, plus
:class:`StructureTreeRule` and :class:`AnnotationAdditionRule`, in a
:class:`HarmlessUpdatesPolicy`."""
