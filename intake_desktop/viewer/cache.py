"""A byte-budgeted cache of rendered page images, evicting the pages farthest from view first.

Keys follow qpageview: (document id, page, rotation, width×dpr, height×dpr) plus the clip
(x, y, w, h in device pixels; the whole image for ordinary pages), so a HiDPI screen gets its
own sharp images and a zoom change never reuses a blurry one by mistake. No Qt here; the
values are whatever the caller stores (QImages), with their size in bytes.

Not thread-safe: only the GUI thread uses it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

V = TypeVar("V")


class RenderKey(NamedTuple):
    doc: int
    page: int
    rotation: int
    width: int
    height: int
    """Size of the whole page image in device pixels."""
    clip: tuple[int, int, int, int]
    """(x, y, w, h) of the part rendered, in device pixels of the whole page image."""

    @property
    def whole(self) -> bool:
        return self.clip == (0, 0, self.width, self.height)


@dataclass
class _Entry(Generic[V]):
    value: V
    size: int
    used: int


class PageCache(Generic[V]):
    """Images by :class:`RenderKey` within ``budget`` bytes."""

    def __init__(self, budget: int, on_evict: Callable[[RenderKey, V], None] | None = None) -> None:
        """``on_evict`` receives each image dropped for room or by :meth:`forget` (the
        render thread reuses their memory)."""
        self.budget = budget
        self._on_evict = on_evict
        self._entries: dict[RenderKey, _Entry[V]] = {}
        self._bytes = 0
        self._clock = itertools.count()
        self._focus: dict[int, tuple[int, Callable[[int], tuple[int, int, int]]]] = {}

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: RenderKey) -> bool:
        return key in self._entries

    def get(self, key: RenderKey) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        entry.used = next(self._clock)
        return entry.value

    def put(self, key: RenderKey, value: V, size: int) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old.size
        self._entries[key] = _Entry(value, size, next(self._clock))
        self._bytes += size
        self._evict(keep=key)

    def set_focus(
        self, doc: int, page: int, size_of: Callable[[int], tuple[int, int, int]]
    ) -> None:
        """Tell the cache what the viewer shows of ``doc``: the page in view, and
        ``size_of(page)``, the (rotation, width, height) of a page's images at the current
        zoom (images of other sizes are stale)."""
        self._focus[doc] = (page, size_of)

    def forget(self, doc: int) -> None:
        """Drop every image of ``doc`` (the document was closed)."""
        self._focus.pop(doc, None)
        self.drop([k for k in self._entries if k.doc == doc])

    def drop(self, keys: Iterable[RenderKey]) -> None:
        """Drop these images (superseded: a whole page for its bands)."""
        for key in keys:
            if (entry := self._entries.pop(key, None)) is not None:
                self._bytes -= entry.size
                if self._on_evict is not None:
                    self._on_evict(key, entry.value)

    def stand_ins(self, doc: int, page: int, rotation: int) -> Iterator[tuple[RenderKey, V]]:
        """Every image of ``page`` (any size, any piece): drawn scaled while the right ones
        render. Smallest first, so sharper ones are drawn over blurrier ones."""
        found = [
            (key, entry.value)
            for key, entry in self._entries.items()
            if key.doc == doc and key.page == page and key.rotation == rotation
        ]
        found.sort(key=lambda item: item[0].width)
        yield from found

    def _rank(self, key: RenderKey, entry: _Entry[V]) -> tuple[int, int, float, int]:
        """Higher ranks go first: closed documents, stale sizes, far pages, old entries."""
        focus = self._focus.get(key.doc)
        if focus is None:
            return (1, 1, 0.0, -entry.used)
        page, size_of = focus
        stale = int(size_of(key.page) != (key.rotation, key.width, key.height))
        return (0, stale, abs(key.page - page), -entry.used)

    def _evict(self, keep: RenderKey) -> None:
        if self._bytes <= self.budget:
            return
        victims = sorted(
            ((k, e) for k, e in self._entries.items() if k != keep),
            key=lambda item: self._rank(*item),
            reverse=True,
        )
        for key, entry in victims:
            if self._bytes <= self.budget:
                break
            del self._entries[key]
            self._bytes -= entry.size
            if self._on_evict is not None:
                self._on_evict(key, entry.value)
