"""Faster versions of pyHanko's and asn1crypto's hot spots, with the same results and errors.

pyHanko reads hex strings one byte at a time; a signature's /Contents is ~16,000 hex
digits, which made reading it the largest cost of validating a one-signature file. Arrays
of numbers and certificate-name comparison are the others (see below). ``install()`` swaps
the fast paths in; tests compare them with the originals on generated input.
"""

from __future__ import annotations

import binascii
import functools
import os
import re
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import HistoricalResolver

_WHITESPACE = misc.PDF_WHITESPACE
_HEX_DIGITS = generic.HEX_DIGITS
_original = generic.read_hex_string_from_stream


def read_hex_string_from_stream(stream: Any) -> Any:
    """Drop-in for ``pyhanko.pdf_utils.generic.read_hex_string_from_stream``."""
    stream.read(1)  # the opening "<"
    start = stream.tell()
    parts: list[bytes] = []
    offset = 0
    closed = False
    while not closed:
        chunk = stream.read(16384)
        if not chunk:
            break
        end = chunk.find(b">")
        if end >= 0:
            parts.append(chunk[:end])
            stream.seek(start + offset + end + 1)
            closed = True
        else:
            parts.append(chunk)
            offset += len(chunk)
    digits = b"".join(parts).translate(None, _WHITESPACE)
    bad = digits.translate(None, _HEX_DIGITS)
    if bad:  # the first offending byte, as pyHanko would report it
        raise misc.PdfStreamError("Unexpected token in hex string: " + repr(bad[:1]))
    if not closed:
        raise misc.PdfStreamError("Stream ended prematurely")
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


# --- arrays of numbers ---------------------------------------------------------------------
# Font width tables (/W) hold thousands of numbers; pyHanko parses each through the generic
# object reader, which dominated the difference analysis of documents with embedded fonts.
# The fast path consumes a run of plain numbers at once. The last two numbers of a run are
# left to pyHanko when an "R" follows, since they may be an indirect reference.

_NUMBER_CHARS = b"+-.0123456789"
_NUMBER_RUN = re.compile(rb"(?:[ \n\r\t\f\x00]*[+\-.0-9]+)+")
_NUMBER_TOKEN = re.compile(rb"[+\-.0-9]+")
_AFTER_RUN = re.compile(rb"[ \n\r\t\f\x00]*R")
_CHUNK = 1 << 16
_FIRST_CHUNK = 256
_BLANKS = b" \n\r\t\f\x00"
_original_array_reader = generic.ArrayObject.read_from_stream
# pyHanko's object model is untyped; these aliases keep mypy's strict mode quiet.
_FLOAT: Any = generic.FloatObject
_NUMBER: Any = generic.NumberObject
_READ_NON_WHITESPACE: Any = misc.read_non_whitespace


def _read_number_run(stream: Any, container_ref: Any, arr: list[Any]) -> bool:
    """Append the plain numbers starting at the stream position; False if none were taken."""
    start = stream.tell()
    size = _FIRST_CHUNK
    while True:
        # Most arrays are short: read a little first, more only while the run goes on.
        buf = stream.read(size)
        run = _NUMBER_RUN.match(buf)
        if run is None:
            stream.seek(start)
            return False
        # A full buffer that ends in the run or in blanks may cut "a b R" before its R.
        open_end = len(buf) == size and not buf[run.end() :].strip(_BLANKS)
        if not open_end or size >= _CHUNK:
            break
        size *= 16
        stream.seek(start)
    tokens = list(_NUMBER_TOKEN.finditer(buf, 0, run.end()))
    if open_end or _AFTER_RUN.match(buf, run.end()):
        del tokens[-2:]  # "a b R" is a reference, not two numbers (or might be)
    if not tokens:
        stream.seek(start)
        return False
    for token in tokens:
        text = token.group().decode("ascii")
        number = _FLOAT(text) if "." in text else _NUMBER(text)
        number.container_ref = container_ref
        arr.append(number)
    stream.seek(start + tokens[-1].end())
    return True


def read_array_from_stream(
    stream: Any,
    container_ref: Any,
    in_content_stream: Any = generic.ContentOpReading.NO,
) -> Any:
    """Drop-in for ``pyhanko.pdf_utils.generic.ArrayObject.read_from_stream``."""
    if in_content_stream != generic.ContentOpReading.NO:
        return _original_array_reader(stream, container_ref, in_content_stream=in_content_stream)
    arr = generic.ArrayObject()
    if stream.read(1) != b"[":
        raise misc.PdfReadError("Could not read array")
    while True:
        peek = _READ_NON_WHITESPACE(stream)
        if peek == b"]":
            return arr
        stream.seek(-1, os.SEEK_CUR)
        if peek in _NUMBER_CHARS and _read_number_run(stream, container_ref, arr):
            continue
        arr.append(generic.read_object(stream, container_ref, in_content_stream=in_content_stream))


# --- certificate names ---------------------------------------------------------------------
# Comparing certificate names (done many times per signature to match issuers) runs RFC 4518
# string preparation, character by character in Python. It depends on the string alone, and
# the same provider names recur in every file: memoise it.

_original_string_prep = asn1_x509.NameTypeAndValue._ldap_string_prep


@functools.lru_cache(maxsize=4096)
def _string_prep(string: str) -> str:
    return str(_original_string_prep(None, string))


def _memoised_string_prep(_self: Any, string: str) -> str:
    return _string_prep(string)


# Issuer matching compares each certificate's names with the signer's, and the same few
# provider names recur in every file. Names with the same DER are equal; the rest keep
# asn1crypto's RFC 5280 comparison, memoised on the two encodings.

_original_name_eq = asn1_x509.Name.__eq__
_original_rdn_eq = asn1_x509.RDNSequence.__eq__


@functools.lru_cache(maxsize=8192)
def _sequences_equal(first: bytes, second: bytes) -> bool:
    if first == second:
        return True
    return bool(
        _original_rdn_eq(asn1_x509.RDNSequence.load(first), asn1_x509.RDNSequence.load(second))
    )


def name_eq(self: Any, other: Any) -> bool:
    """Drop-in for ``asn1crypto.x509.Name.__eq__``."""
    if not isinstance(other, asn1_x509.Name):
        return False
    # The RDN sequences, not the names: a name inside a GeneralName carries an explicit
    # tag that is no part of what it says.
    return _sequences_equal(self.chosen.dump(), other.chosen.dump())


# --- names and tokens ----------------------------------------------------------------------
# pyHanko reads every name, number and keyword one byte at a time through a generator; the
# fast paths find the token's end with a regular expression, and decode names without
# escapes at once.

_DELIMITER = re.compile(b"[" + re.escape(misc.PDF_WHITESPACE + misc.PDF_DELIMITERS) + b"]")
_TOKEN_CHUNK = 256
_PLAIN_NAME_BYTES = bytes(
    c for c in range(0x21, 0x7F) if c != 0x23 and c not in misc.PDF_DELIMITERS
)
_original_read_until_delimiter = misc.read_until_delimiter
_original_decode_name: Any = generic._decode_name


def read_until_delimiter(stream: Any) -> bytes:
    """Drop-in for ``pyhanko.pdf_utils.misc.read_until_delimiter``."""
    start = stream.tell()
    parts: list[bytes] = []
    read = 0
    while True:
        chunk = stream.read(_TOKEN_CHUNK)
        if not chunk:
            return b"".join(parts)  # end of stream: pyHanko does not step back either
        found = _DELIMITER.search(chunk)
        if found is not None:
            parts.append(chunk[: found.start()])
            stream.seek(start + read + found.start())
            return b"".join(parts)
        parts.append(chunk)
        read += len(chunk)


def decode_name(name_bytes: bytes) -> Any:
    """Drop-in for ``pyhanko.pdf_utils.generic._decode_name``."""
    if not name_bytes.translate(None, _PLAIN_NAME_BYTES):
        return generic.NameObject("/" + name_bytes.decode("ascii"))
    return _original_decode_name(name_bytes)


# --- historical revisions ------------------------------------------------------------------
# A signed revision's view copies every object it reads ("subsumes" it) so references
# resolve within that revision. pyHanko builds a reference for every number of a font's
# width table on the way; plain values are shared as they are, so the fast path hands
# them back at once.

_LEAF_TYPES = frozenset(
    {
        generic.NumberObject,
        generic.FloatObject,
        generic.NameObject,
        generic.BooleanObject,
        generic.NullObject,
        generic.TextStringObject,
        generic.ByteStringObject,
    }
)
_original_subsume: Any = HistoricalResolver._subsume_object


def subsume_object(self: Any, obj: Any) -> Any:
    """Drop-in for ``pyhanko.pdf_utils.reader.HistoricalResolver._subsume_object``."""
    kind = type(obj)
    if kind in _LEAF_TYPES:
        obj.get_container_ref()  # raises as pyHanko does for a value read from nowhere
        return obj
    if kind is generic.ArrayObject:
        container_ref = obj.get_container_ref()
        result = generic.ArrayObject(
            [
                value
                if type(value) in _LEAF_TYPES and value.container_ref is not None
                else self._subsume_object(value)
                for value in obj
            ]
        )
        result.container_ref = generic.Reference(
            idnum=container_ref.idnum, generation=container_ref.generation, pdf=self
        )
        return result
    return _original_subsume(self, obj)


def install() -> None:
    """Make pyHanko and asn1crypto use the fast paths (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string_from_stream
    misc.read_until_delimiter = generic.read_until_delimiter = read_until_delimiter  # type: ignore[attr-defined]
    generic._decode_name = decode_name
    setattr(asn1_x509.Name, "__eq__", name_eq)  # noqa: B010
    setattr(HistoricalResolver, "_subsume_object", subsume_object)  # noqa: B010
    setattr(generic.ArrayObject, "read_from_stream", staticmethod(read_array_from_stream))  # noqa: B010
    setattr(asn1_x509.NameTypeAndValue, "_ldap_string_prep", _memoised_string_prep)  # noqa: B010


def original_readers() -> tuple[Any, Any]:
    """pyHanko's own hex-string and array readers, for comparison in tests."""
    return _original, _original_array_reader


def original_token_readers() -> tuple[Any, Any, Any]:
    """pyHanko's delimiter reader and name decoder and asn1crypto's name comparison."""
    return _original_read_until_delimiter, _original_decode_name, _original_name_eq
