"""The fast pyHanko readers behave exactly like pyHanko's own."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import pytest
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


SLOW_DELIMITER, SLOW_NAME, SLOW_NAME_EQ = pyhanko_speedups.original_token_readers()
_TOKEN_BYTES = st.sampled_from(list(b"aZ09.-+#_*!~\x7f\x80\xc3 \n\r\t\f\x00()<>[]{}/%"))


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(_TOKEN_BYTES, max_size=300), st.integers(min_value=0, max_value=5))
def test_tokens_end_where_pyhanko_ends_them(body: list[int], start: int) -> None:
    # Long runs too: the fast reader works in chunks and must join them exactly.
    data = bytes(body) * (1 + start)

    def at(reader: Callable[..., object]) -> tuple[object, ...]:
        stream = io.BytesIO(data)
        stream.seek(min(start, len(data)))
        return (reader(stream), stream.tell())

    assert at(pyhanko_speedups.read_until_delimiter) == at(SLOW_DELIMITER)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(_TOKEN_BYTES, max_size=30))
def test_names_decode_the_same(body: list[int]) -> None:
    raw = bytes(body)

    def decoded(decode: Callable[[bytes], object]) -> object:
        try:
            name = decode(raw)
        except Exception as exc:  # noqa: BLE001 - failures must match too
            return ("error", type(exc).__name__, str(exc))
        return (type(name).__name__, str(name))

    assert decoded(pyhanko_speedups.decode_name) == decoded(SLOW_NAME)


def _name(*parts: tuple[str, str], tagged: bool = False) -> object:
    from asn1crypto import x509

    name = x509.Name.build(dict(parts))
    if tagged:  # as a GeneralName carries it: explicitly tagged [4]
        return x509.GeneralName({"directory_name": name}).chosen
    return name


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((("common_name", "NGUYỄN VĂN AN"),), (("common_name", "NGUYỄN VĂN AN"),)),
        ((("common_name", "NGUYỄN VĂN AN"),), (("common_name", "nguyễn  văn an"),)),
        ((("common_name", "VNPT-CA"), ("country_name", "VN")), (("common_name", "VNPT-CA"),)),
        ((("common_name", "A"), ("organization_name", "B")), (("organization_name", "B"),)),
        ((("common_name", "Viettel-CA"),), (("common_name", "Viettel-CA "),)),
    ],
)
@pytest.mark.parametrize("tagged", [False, True])
def test_names_compare_as_rfc_5280_says(
    first: tuple[tuple[str, str], ...], second: tuple[tuple[str, str], ...], tagged: bool
) -> None:
    a, b = _name(*first), _name(*second, tagged=tagged)
    expected = SLOW_NAME_EQ(a, b)
    assert pyhanko_speedups.name_eq(a, b) == expected
    assert pyhanko_speedups.name_eq(b, a) == SLOW_NAME_EQ(b, a)
    assert pyhanko_speedups.name_eq(a, "not a name") is False


def _tree(draw: st.DrawFn, depth: int = 0) -> object:
    container = generic.Reference(7, 0)
    leaves = [
        lambda: generic.NumberObject(draw(st.integers(-5, 2000))),
        lambda: generic.FloatObject("1.25"),
        lambda: generic.NameObject("/Widths"),
        lambda: generic.BooleanObject(True),
        lambda: generic.NullObject(),
        lambda: generic.TextStringObject("Nguyễn"),
        lambda: generic.ByteStringObject(b"\x00\xff"),
        lambda: generic.IndirectObject(draw(st.integers(1, 9)), 0, None),
    ]
    kinds = len(leaves) + (2 if depth < 3 else 0)
    pick = draw(st.integers(0, kinds - 1))
    if pick < len(leaves):
        value: object = leaves[pick]()
    elif pick == len(leaves):
        value = generic.ArrayObject(_tree(draw, depth + 1) for _ in range(draw(st.integers(0, 6))))
    else:
        value = generic.DictionaryObject(
            {
                generic.NameObject(f"/K{i}"): _tree(draw, depth + 1)
                for i in range(draw(st.integers(0, 4)))
            }
        )
    value.container_ref = container  # type: ignore[attr-defined]
    return value


def _shape(value: object) -> object:
    ref = getattr(value, "container_ref", None)
    where = (ref.idnum, ref.generation, type(ref.pdf).__name__) if ref is not None else None
    if isinstance(value, generic.ArrayObject):
        return ("array", where, [_shape(v) for v in value])
    if isinstance(value, generic.DictionaryObject):
        return ("dict", where, {k: _shape(v) for k, v in value.items()})
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, type(value.get_pdf_handler()).__name__)
    return (type(value).__name__, repr(value), where)


@functools.cache
def _resolver() -> object:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from intake_desktop.demo.documents import make_form_pdf

    reader = PdfFileReader(io.BytesIO(make_form_pdf("ĐƠN", [("Họ tên", "An")])), strict=False)
    return reader.get_historical_resolver(0)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.data())
def test_historical_copies_are_the_same(data: st.DataObject) -> None:
    resolver = _resolver()
    value = data.draw(st.composite(_tree)())
    slow = pyhanko_speedups._original_subsume(resolver, value)
    fast = pyhanko_speedups.subsume_object(resolver, value)
    assert _shape(fast) == _shape(slow)
