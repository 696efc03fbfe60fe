"""Search keys that ignore Vietnamese diacritics: "nguyen van an" finds "Nguyễn Văn An"."""

from __future__ import annotations

import unicodedata

# đ/Đ are letters of their own, not d plus a mark: NFD leaves them alone.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lowercase ``text`` without diacritics, with whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def matches(query: str, key: str) -> bool:
    """True when every word of ``query`` occurs in ``key`` (a :func:`fold`-ed string)."""
    return all(word in key for word in fold(query).split())
