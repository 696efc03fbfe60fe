"""Small typed views over pyHanko's PDF objects (its object model is mostly untyped).

A PDF may put an indirect reference, ``null`` or an object of the wrong type wherever a
dictionary, array or number is expected, and pyHanko hands those through as they are. Our
code reads pyHanko's objects only through these functions, which resolve references and
answer ``None`` for the wrong type, so a strange but readable file never becomes an
exception (and so never an ``error`` verdict).
"""

from __future__ import annotations

from typing import Any

from pyhanko.pdf_utils import generic, misc

MAX_CHAIN = 32
"""References to references followed before giving up (a loop is a damaged file)."""

READ_ERRORS = (misc.PdfReadError, KeyError, TypeError, ValueError, AttributeError, IndexError)
"""What resolving a reference of a damaged file raises; each means "no such object"."""


def deref(obj: Any) -> Any:
    """The object an indirect reference (or a bare :class:`~generic.Reference`) points to,
    or ``obj`` itself; a reference that cannot be resolved gives ``NullObject``."""
    for _ in range(MAX_CHAIN):
        if not isinstance(obj, generic.IndirectObject | generic.Reference):
            return obj
        try:
            obj = obj.get_object()
        except READ_ERRORS:
            return generic.NullObject()
        if isinstance(obj, generic.IndirectObject | generic.Reference):
            continue
        return obj
    return generic.NullObject()


def as_dict(obj: Any) -> generic.DictionaryObject | None:
    """``obj`` resolved, when it is a dictionary (streams are dictionaries too)."""
    value = deref(obj)
    return value if isinstance(value, generic.DictionaryObject) else None


def as_array(obj: Any) -> generic.ArrayObject | None:
    """``obj`` resolved, when it is an array."""
    value = deref(obj)
    return value if isinstance(value, generic.ArrayObject) else None


def get_dict(container: Any, key: str) -> generic.DictionaryObject | None:
    """``container[key]`` resolved, when ``container`` is a dictionary and the value one."""
    holder = as_dict(container)
    return as_dict(holder.raw_get(key)) if holder is not None and key in holder else None


def get_array(container: Any, key: str) -> generic.ArrayObject | None:
    """``container[key]`` resolved, when ``container`` is a dictionary and the value an array."""
    holder = as_dict(container)
    return as_array(holder.raw_get(key)) if holder is not None and key in holder else None


def rect_of(obj: Any) -> tuple[float, float, float, float] | None:
    """A /Rect-like value as (x0, y0, x1, y1), normalised; None unless four numbers."""
    values = as_array(obj)
    if values is None or len(values) != 4:
        return None
    numbers = [deref(v) for v in values]
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        return None
    x0, y0, x1, y1 = (float(n) for n in numbers)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def reference(obj: Any) -> generic.Reference | None:
    """The reference ``obj`` is, if it is one."""
    if isinstance(obj, generic.IndirectObject):
        return obj.reference
    return obj if isinstance(obj, generic.Reference) else None


def final_reference(obj: Any) -> generic.Reference | None:
    """The last reference of a chain (``1 0 R`` where object 1 is ``2 0 R``: ``2 0 R``),
    the object's identity however it is referred to; None for a direct object."""
    last = reference(obj)
    for _ in range(MAX_CHAIN):
        if last is None:
            return None
        try:
            target = last.get_object()
        except READ_ERRORS:
            return last
        nxt = reference(target)
        if nxt is None:
            return last
        last = nxt
    return None


def page_refs(pages_node: Any, *, keep_direct: bool = False) -> list[Any]:
    """The page objects below a /Pages node, in document order, as their (final)
    references. A page a /Kids array holds directly is skipped, or with ``keep_direct``
    given as the dictionary itself (so the pages after it keep their indexes).

    Loops and kids that are not dictionaries are skipped: a damaged tree gives fewer pages,
    never an endless walk or an exception.
    """
    out: list[Any] = []
    seen: set[Any] = set()

    def walk(node: Any, depth: int) -> None:
        kids = get_array(node, "/Kids")
        if kids is None or depth > MAX_CHAIN:
            return
        for kid in kids:
            ref = final_reference(kid)
            if ref is not None and ref in seen:
                continue
            obj = as_dict(kid)
            if obj is None:
                continue
            if ref is not None:
                seen.add(ref)
            if obj.get("/Type") == "/Pages" or "/Kids" in obj:
                walk(obj, depth + 1)
            elif ref is not None or keep_direct:
                out.append(ref if ref is not None else obj)

    walk(pages_node, 0)
    return out
