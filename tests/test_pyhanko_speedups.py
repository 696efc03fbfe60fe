"""The fast pyHanko readers behave exactly like pyHanko's own."""

from __future__ import annotations

import io
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic

from intake_desktop.services.signatures import pyhanko_speedups

FAST_HEX = pyhanko_speedups.read_hex_string_from_stream
FAST_ARRAY = pyhanko_speedups.read_array_from_stream
SLOW_HEX, SLOW_ARRAY = pyhanko_speedups.original_readers()
CONTAINER = generic.Reference(7, 0)


def _run(reader: Callable[..., object], data: bytes, *args: object) -> tuple[object, ...]:
    stream = io.BytesIO(data)
    try:
        value = reader(stream, *args)
    except Exception as exc:  # noqa: BLE001 - failures must match too
        return ("error", type(exc).__name__, str(exc))
    return ("ok", _plain(value), stream.tell())


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, value.generation)
    if isinstance(value, generic.TextStringObject | generic.ByteStringObject):
        return ("str", bytes(value.original_bytes))
    text = "null" if isinstance(value, generic.NullObject) else str(value)
    return (type(value).__name__, text, getattr(value, "container_ref", None))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(list(b"0123456789abcdefABCDEF \n\r\t\x00>zZ<(")), max_size=60))
def test_hex_strings_read_the_same(body: list[int]) -> None:
    data = b"<" + bytes(body)
    assert _run(FAST_HEX, data) == _run(SLOW_HEX, data)


def test_long_signature_contents() -> None:
    data = b"<" + b"3082" * 9000 + b"0" * 3000 + b"> /Type"
    fast = _run(FAST_HEX, data)
    assert fast == _run(SLOW_HEX, data)
    assert fast[0] == "ok" and fast[2] == len(data) - len(b" /Type")


_ARRAY_PIECES = st.sampled_from(
    [
        b" ",
        b"\n",
        b"0",
        b"12",
        b"600",
        b"-3",
        b"+4",
        b".5",
        b"1.25",
        b"-.",
        b"1.2.3",
        b"R",
        b"R ",
        b" R]",
        b"0 R",
        b"12 0 R ",
        b"/N",
        b"[",
        b"]",
        b"[1 2]",
        b"(x)",
        b"<41>",
        b"true",
        b"null",
        b"%c\n",
        b"ab",
    ]
)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(_ARRAY_PIECES, max_size=40))
def test_arrays_read_the_same(pieces: list[bytes]) -> None:
    data = b"[" + b"".join(pieces) + b"]"
    assert _run(FAST_ARRAY, data, CONTAINER) == _run(SLOW_ARRAY, data, CONTAINER)


def test_font_width_table_with_references() -> None:
    widths = b" ".join(str(600 + i % 400).encode() for i in range(30000))
    data = b"[0[" + widths + b"]11 12 390 5 0 R 13[500 837]14 0 R]"
    fast = _run(FAST_ARRAY, data, CONTAINER)
    assert fast == _run(SLOW_ARRAY, data, CONTAINER)
    assert fast[0] == "ok"
    assert ("ref", 5, 0) in fast[1] and ("ref", 14, 0) in fast[1]  # type: ignore[operator]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=40))
def test_name_preparation_is_unchanged(text: str) -> None:
    from asn1crypto import x509

    pyhanko_speedups.install()
    original = pyhanko_speedups._original_string_prep
    try:
        expected: object = original(None, text)
    except Exception as exc:  # noqa: BLE001
        expected = type(exc)
    try:
        got: object = x509.NameTypeAndValue._ldap_string_prep(None, text)
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    assert got == expected
