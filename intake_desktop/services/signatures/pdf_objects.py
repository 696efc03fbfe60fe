"""Small typed views over pyHanko's PDF objects (its object model is mostly untyped)."""

from __future__ import annotations

from typing import Any

from pyhanko.pdf_utils import generic


def deref(obj: Any) -> Any:
    """The object an indirect reference points to, or ``obj`` itself."""
    if isinstance(obj, generic.IndirectObject):
        ref: Any = obj  # pyHanko's get_object is untyped
        return ref.get_object()
    return obj


def page_refs(pages_node: Any) -> list[Any]:
    """References of the page objects below a /Pages node, in document order.

    Loops and direct (non-referenced) kids are skipped: a damaged tree gives fewer pages,
    never an endless walk.
    """
    out: list[Any] = []
    seen: set[Any] = set()

    def walk(node: Any) -> None:
        kids = deref(node).get("/Kids")
        if not isinstance(kids, generic.ArrayObject):
            return
        for kid in kids:
            if not isinstance(kid, generic.IndirectObject) or kid.reference in seen:
                continue
            seen.add(kid.reference)
            obj = deref(kid)
            if obj.get("/Type") == "/Pages" or "/Kids" in obj:
                walk(obj)
            else:
                out.append(kid.reference)

    walk(pages_node)
    return out
