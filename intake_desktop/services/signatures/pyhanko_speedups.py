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
_original_array_reader = generic.ArrayObject.read_from_stream
# pyHanko's object model is untyped; these aliases keep mypy's strict mode quiet.
_FLOAT: Any = generic.FloatObject
_NUMBER: Any = generic.NumberObject
_READ_NON_WHITESPACE: Any = misc.read_non_whitespace


def _read_number_run(stream: Any, container_ref: Any, arr: list[Any]) -> bool:
    """Append the plain numbers starting at the stream position; False if none were taken."""
    start = stream.tell()
    buf = stream.read(_CHUNK)
    run = _NUMBER_RUN.match(buf)
    if run is None:
        stream.seek(start)
        return False
    tokens = list(_NUMBER_TOKEN.finditer(buf, 0, run.end()))
    if run.end() == len(buf) and len(buf) == _CHUNK:
        tokens.pop()  # may be cut by the chunk boundary
    elif _AFTER_RUN.match(buf, run.end()):
        del tokens[-2:]  # "a b R" is a reference, not two numbers
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


def install() -> None:
    """Make pyHanko and asn1crypto use the fast paths (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string_from_stream
    setattr(generic.ArrayObject, "read_from_stream", staticmethod(read_array_from_stream))  # noqa: B010
    setattr(asn1_x509.NameTypeAndValue, "_ldap_string_prep", _memoised_string_prep)  # noqa: B010


def original_readers() -> tuple[Any, Any]:
    """pyHanko's own hex-string and array readers, for comparison in tests."""
    return _original, _original_array_reader
