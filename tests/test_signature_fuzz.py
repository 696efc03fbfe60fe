"""Mutated signed PDFs: the engine never raises and never calls a changed file valid.

The one exception is proven harmless: a change inside the CMS container's unsigned parts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import InspectOptions, TrustStore, Verdict, inspect_pdf

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
OPTIONS = InspectOptions(moment=NOW)


@cache
def sample() -> tuple[bytes, TrustStore, tuple[int, int]]:
    """A valid signed form, its trust, and where the signature's hex /Contents sits."""
    pki = DemoPki.create(seed=21, now=NOW - timedelta(days=100))
    signer = pki.issue_citizen("VŨ THỊ GIANG", "036190004567")
    form = make_form_pdf("ĐƠN ĐỀ NGHỊ", [("Họ và tên", "Vũ Thị Giang")], compress=False)
    data = sign_pdf(form, signer, signing_time=NOW - timedelta(days=1))
    match = re.search(rb"/Contents\s*<([0-9A-Fa-f]+)>", data)
    assert match is not None
    trust = TrustStore.of([pki.root_asn1()])
    assert inspect_pdf(data, trust, OPTIONS).verdict is Verdict.VALID
    return data, trust, match.span(1)


def _replace_cms_byte(data: bytes, span: tuple[int, int], pos: int, value: int) -> bytes:
    original = data[span[0] : span[1]].decode()
    raw = bytearray(bytes.fromhex(original))
    raw[pos % len(raw)] = value
    encoded = raw.hex().upper() if original.isupper() else raw.hex()  # keep the writer's case
    return data[: span[0]] + encoded.encode() + data[span[1] :]


mutations = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 10**9), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, 10**9), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(0, 10**9), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.integers(0, 10**9), st.just(0)),
    st.tuples(st.just("cms"), st.integers(0, 10**9), st.integers(0, 255)),
    st.tuples(st.just("append"), st.just(0), st.binary(min_size=1, max_size=64)),
)


def mutate(data: bytes, span: tuple[int, int], mutation: tuple[str, int, object]) -> bytes:
    kind, where, arg = mutation
    pos = where % len(data)
    if kind == "set":
        assert isinstance(arg, int)
        if span[0] <= pos < span[1]:  # hex digits of the signature: change the value
            return _replace_cms_byte(data, span, (pos - span[0]) // 2, arg)
        return data[:pos] + bytes([arg]) + data[pos + 1 :]
    if kind == "insert":
        assert isinstance(arg, bytes)
        return data[:pos] + arg + data[pos:]
    if kind == "delete":
        assert isinstance(arg, int)
        return data[:pos] + data[pos + arg :]
    if kind == "truncate":
        return data[:pos]
    if kind == "cms":
        assert isinstance(arg, int)
        return _replace_cms_byte(data, span, where, arg)
    assert isinstance(arg, bytes)
    return data + arg


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(mutation=mutations)
def test_mutated_signed_pdf_is_never_valid(mutation: tuple[str, int, object]) -> None:
    data, trust, span = sample()
    mutated = mutate(data, span, mutation)
    if mutated == data:
        return  # e.g. a byte set to the value it already had
    report = inspect_pdf(mutated, trust, OPTIONS)
    if report.verdict is Verdict.VALID:
        # Only possible when the change hit a part of the CMS container that nothing signs
        # (e.g. its version number): what the signer signed must then be untouched.
        assert len(mutated) == len(data), mutation
        assert mutated[: span[0]] == data[: span[0]] and mutated[span[1] :] == data[span[1] :]
        assert _authenticated_parts(mutated, span) == _authenticated_parts(data, span), mutation


def _authenticated_parts(data: bytes, span: tuple[int, int]) -> tuple[bytes, bytes, bytes]:
    """Signed attributes, signature value and signer certificate of the CMS at ``span``."""
    from asn1crypto import cms

    signed = cms.ContentInfo.load(bytes.fromhex(data[span[0] : span[1]].decode()))["content"]
    info = signed["signer_infos"][0]
    sid = info["sid"].chosen
    cert = next(
        c.chosen
        for c in signed["certificates"]
        if c.chosen.serial_number == sid["serial_number"].native
    )
    return info["signed_attrs"].dump(), info["signature"].native, cert.dump()
