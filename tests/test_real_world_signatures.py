"""Signatures other producers write (issue 19, classes 1-3), judged as an officer needs them.

Each test builds its file for real in the test, with a PKI generated here: the signed bytes,
the CMS and the later revisions are what the producer named below writes, so a wrong
verdict here is a wrong verdict on such a file. Every case asserts the verdict, the reason
code the officer sees and that the reason has its Vietnamese text; every format checked
with our own code is also tampered with, and must then be invalid.

Where each sample's shape comes from (producers in ``bench/real_world_files.py``, also
used by the benchmarks):

- ``add_dss``: /DSS with /VRI entries keyed by the SHA-1 of /Contents, as Adobe Acrobat's
  "Add verification information" and EU DSS write it (PAdES, ETSI EN 319 142-1 § 5.4);
  lower-case VRI keys as iText 5 and some JavaScript libraries write them; vendor keys in
  /DSS (/TSs); a second LTV pass rewriting the VRI entries, as in the EU DSS LTA
  extension test files. pyHanko's own policy refuses the first, second and last of these.
- pyHanko's own PAdES B-LTA flow: signature timestamp, /DSS, then a document timestamp
  (``PdfTimeStamper``), the shape pyHanko's and EU DSS's "LTA" test files have.
- ``many_signatures``: one council's minutes signed 25 times in 25 revisions (the
  "many signatures" files of the EU DSS test corpus; pdfsig's multi-signature tests).
- ``update_metadata``: a document system filing a signed file (new XMP, /Info title and
  date), as records-management systems and Acrobat's "Save" after signing write it.
- ``with_structure_tree`` / ``tag_signature_widgets``: a tagged PDF whose structure tree
  a later pass extends with a /Form element for the signature widget (Acrobat's
  accessibility "autotag", PDF/UA tools); pyHanko's policy refuses it.
- ``filled_form``: an issuer-signed form filled in by the applicant, then signed again.
- ``hand_signed`` with a ``CmsRecipe``: the CMS written with asn1crypto and cryptography,
  as older and non-pyHanko producers write it: ``adbe.pkcs7.sha1`` (Acrobat 5-7, iText 2,
  old Vietnamese signing tools; the SHA-1 of the document encapsulated),
  ``adbe.x509.rsa_sha1`` (Acrobat 4-6; a bare PKCS#1 value, the certificate in /Cert), two
  SignerInfos in one CMS (OpenSSL ``cms -sign`` run twice, some e-government gateways),
  encapsulated content (``openssl smime -nodetach``), plain ECDSA (BSI TR-03111, German
  eID and smart-card signers), RSA-PSS (EU DSS test files), Ed25519 (RFC 8419), signed
  attributes in BER order (Bouncy Castle before 1.47 wrote them so), RFC 3161 tokens with
  a spoiled TSA signature (pyHanko's own "broken timestamp" tests), a document timestamp
  typed /Sig (an EU member state's validation test file).
- ``reference_undefined`` / ``define_object``: a revision that references an object no
  revision defines yet, defined by a later classic update (pyHanko issue #57's shape);
  honest under /DSS or /Metadata, an attack when a page's content names it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki, SignerIdentity
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import (
    Coverage,
    DocumentReport,
    InspectOptions,
    ModificationsAfter,
    SignatureReport,
    TrustStatus,
    TrustStore,
    Verdict,
    inspect_pdf,
)
from intake_desktop.services.signatures.messages import _TEXTS, known_codes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import real_world_files as rw  # bench/ is not a package: found through sys.path

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIGNED_AT = NOW - timedelta(hours=3)
OPTIONS = InspectOptions(moment=NOW)
SHA1_PAD = 2 * 24576


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create(seed=1919, now=NOW - timedelta(days=30))


@pytest.fixture(scope="module")
def trust(pki: DemoPki) -> TrustStore:
    return TrustStore.of([pki.root_asn1()])


@pytest.fixture(scope="module")
def an(pki: DemoPki) -> SignerIdentity:
    return pki.issue_citizen("Nguyễn Văn An", "001090001234")


@pytest.fixture(scope="module")
def ba(pki: DemoPki) -> SignerIdentity:
    return pki.issue_citizen("Trần Văn Ba", "001090005678", key_type="rsa")


@pytest.fixture(scope="module")
def binh(pki: DemoPki) -> SignerIdentity:
    return pki.issue_citizen("Lê Thị Bình", "001190000111", provider="Viettel")


@pytest.fixture(scope="module")
def form() -> bytes:
    return make_form_pdf("ĐƠN ĐỀ NGHỊ", [("Họ tên", "Nguyễn Văn An")], compress=False)


@pytest.fixture(scope="module")
def signed(form: bytes, an: SignerIdentity) -> bytes:
    return sign_pdf(form, an, signing_time=SIGNED_AT)


def check(data: bytes, trust: TrustStore) -> DocumentReport:
    report = inspect_pdf(data, trust, OPTIONS)
    assert report.error is None, report.error
    for sig in report.signatures:
        for why in sig.reasons:
            assert why.code in known_codes()
            assert why.vi and why.vi != why.en, why  # the officer reads Vietnamese
    return report


def codes(sig: SignatureReport) -> list[str]:
    return [r.code for r in sig.reasons]


def expect(sig: SignatureReport, verdict: Verdict, *wanted: str, absent: tuple[str, ...] = ()):
    assert sig.verdict is verdict, (sig.verdict, codes(sig))
    for code in wanted:
        assert code in codes(sig), (code, codes(sig))
        assert _TEXTS[code][2], code
    for code in absent:
        assert code not in codes(sig), (code, codes(sig))


def flip_signed_byte(data: bytes, needle: bytes = b"/Producer(") -> bytes:
    """One byte changed inside the first revision (covered by every signature): a digit
    of the producer's version in /Info, so the file still parses as before."""
    at = data.index(needle)
    at = next(i for i in range(at, at + 40) if data[i : i + 1].isdigit())
    digit = data[at : at + 1]
    return data[:at] + (b"8" if digit == b"9" else b"9") + data[at + 1 :]


def sign_at(data: bytes, who: SignerIdentity, hours_before: int = 3) -> bytes:
    return sign_pdf(data, who, signing_time=NOW - timedelta(hours=hours_before))


# --- class 1: honest later revisions are not "modified" --------------------------------------

LTV_SHAPES: dict[str, Callable[[bytes, DemoPki], bytes]] = {
    "pades_upper_case_vri": lambda d, p: rw.add_dss(d, p, NOW),
    "lower_case_vri": lambda d, p: rw.add_dss(d, p, NOW, lowercase_vri=True),
    "vendor_keys_in_dss": lambda d, p: rw.add_dss(d, p, NOW, extra_dss_keys=True),
    "second_pass_rewrites_vri": lambda d, p: rw.add_dss(
        rw.add_dss(d, p, NOW - timedelta(hours=1)), p, NOW, update_existing_vri=True
    ),
}


@pytest.mark.parametrize("shape", LTV_SHAPES)
def test_validation_data_added_after_signing_is_valid(
    signed: bytes, pki: DemoPki, trust: TrustStore, shape: str
) -> None:
    report = check(LTV_SHAPES[shape](signed, pki), trust)
    (sig,) = report.signatures
    expect(sig, Verdict.VALID, "later_validation_data", absent=("modified_other",))
    assert sig.modifications_after is ModificationsAfter.SIGNATURES_OR_LTV
    assert report.verdict is Verdict.VALID and not report.content_after_last_signature


def test_signature_then_dss_then_signature_then_dss(
    signed: bytes, pki: DemoPki, binh: SignerIdentity, trust: TrustStore
) -> None:
    data = rw.add_dss(signed, pki, NOW - timedelta(hours=2))
    data = rw.add_dss(sign_at(data, binh, 1), pki, NOW)
    report = check(data, trust)
    assert [s.signer.name for s in report.signatures if s.signer] == [
        "NGUYỄN VĂN AN",
        "LÊ THỊ BÌNH",
    ]
    first, second = report.signatures
    expect(first, Verdict.VALID, "later_signatures", "later_validation_data")
    # Only validation data after the last one: no "signatures added" for it.
    expect(second, Verdict.VALID, "later_validation_data", absent=("later_signatures",))


def test_pyhanko_pades_lta_document_timestamp_is_valid(
    form: bytes, an: SignerIdentity, pki: DemoPki, trust: TrustStore
) -> None:
    stamper = pki.timestamper(fixed_time=SIGNED_AT)
    data = sign_pdf(form, an, signing_time=SIGNED_AT, timestamper=stamper, pades=True)
    data = rw.add_dss(data, pki, NOW - timedelta(hours=1))
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    out = signers.PdfTimeStamper(pki.timestamper(fixed_time=NOW - timedelta(minutes=30)))
    data = out.timestamp_pdf(writer, "sha256").getvalue()
    report = check(data, trust)
    sig, stamp = report.signatures
    expect(sig, Verdict.VALID, "later_signatures", "later_validation_data")
    assert sig.timestamp_valid is True and sig.timestamp_time == SIGNED_AT
    expect(stamp, Verdict.VALID, absent=("timestamp_typed_sig", "no_timestamp"))
    assert stamp.is_document_timestamp and stamp.modifications_after is ModificationsAfter.NONE
    assert report.verdict is Verdict.VALID


def test_twenty_five_signatures_in_one_file_are_all_valid(trust: TrustStore) -> None:
    data, many_pki = rw.many_signatures(NOW)
    report = check(data, TrustStore.of([many_pki.root_asn1()]))
    assert len(report.signatures) == 25 and report.revisions >= 26
    for sig in report.signatures[:-1]:
        expect(sig, Verdict.VALID, "later_signatures", absent=("modified_other",))
        assert sig.modifications_after is ModificationsAfter.SIGNATURES_OR_LTV
    expect(report.signatures[-1], Verdict.VALID, absent=("later_signatures",))
    assert report.signatures[-1].coverage is Coverage.ENTIRE_FILE
    assert report.verdict is Verdict.VALID


def test_metadata_filed_by_a_document_system_is_valid(signed: bytes, trust: TrustStore) -> None:
    data = rw.update_metadata(signed, "Hồ sơ 000.00.01.H26-261120-0001", NOW)
    (sig,) = check(data, trust).signatures
    # Nothing was signed later: the officer is not told of "signatures added".
    expect(sig, Verdict.VALID, "later_metadata", absent=("modified_other", "later_signatures"))


def test_structure_tree_extended_for_the_signature_is_valid(
    form: bytes, an: SignerIdentity, binh: SignerIdentity, trust: TrustStore
) -> None:
    tagged = sign_at(rw.with_structure_tree(form), an)
    (sig,) = check(rw.tag_signature_widgets(tagged), trust).signatures
    expect(sig, Verdict.VALID, "later_structure_tree", absent=("modified_other",))
    # A second signature, then the tagging pass: both signatures stay valid.
    twice = rw.tag_signature_widgets(sign_at(tagged, binh, 1))
    first, second = check(twice, trust).signatures
    expect(first, Verdict.VALID, "later_structure_tree", "later_signatures")
    expect(second, Verdict.VALID, "later_structure_tree", absent=("later_signatures",))


def test_a_filled_form_says_which_field_was_filled() -> None:
    data, form_pki = rw.filled_form(NOW)
    first, second = check(data, TrustStore.of([form_pki.root_asn1()])).signatures
    expect(first, Verdict.VALID_WITH_WARNINGS, "modified_form_filling")
    assert "GhiChu" in first.reasons[codes(first).index("modified_form_filling")].vi
    expect(second, Verdict.VALID, absent=("modified_form_filling",))


# --- class 1, the other side: what the harmless places must never carry ----------------------


def _point_there(key: str, holder: str) -> Callable[[IncrementalPdfFileWriter], None]:
    """Before signing, /DSS or the structure tree is made to reference the page's content
    stream, the page or the page tree."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
        target = {
            "content": page_ref.get_object().raw_get("/Contents"),
            "page": page_ref,
            "page_tree": writer.root.raw_get("/Pages"),
        }[holder]
        items = list(target) if isinstance(target, generic.ArrayObject) else [target]
        kind, entry = ("/DSS", "/Certs") if key == "/DSS" else ("/StructTreeRoot", "/K")
        holder_obj = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject(kind),
                generic.NameObject(entry): generic.ArrayObject(items),
            }
        )
        writer.root[generic.NameObject(key)] = writer.add_object(holder_obj)
        writer.update_root()

    return edit


FORGED = b"BT /Helv 28 Tf 60 420 Td (MIEN LE PHI) Tj ET"


def _replace_page_content(writer: IncrementalPdfFileWriter) -> None:
    """After signing: page 1 draws new content (a new stream in the page's /Contents)."""
    page = writer.root["/Pages"]["/Kids"][0]
    page[generic.NameObject("/Contents")] = writer.add_object(
        generic.StreamObject(stream_data=FORGED)
    )
    writer.update_container(page)


def _rewrite_page_content(writer: IncrementalPdfFileWriter) -> None:
    """After signing: page 1's own content stream is rewritten in place."""
    contents = writer.root["/Pages"]["/Kids"][0].raw_get("/Contents")
    ref = contents.raw_get(0) if isinstance(contents, generic.ArrayObject) else contents
    stream = ref.get_object()
    stream._data, stream._encoded_data = FORGED, None
    stream.pop("/Filter", None)
    writer.mark_update(ref)


_update = rw._update  # one incremental writer for the producers and these attacks


@pytest.mark.parametrize("key", ["/DSS", "/StructTreeRoot"])
@pytest.mark.parametrize("holder", ["content", "page", "page_tree"])
def test_page_content_listed_under_a_harmless_place_is_still_a_modification(
    form: bytes, an: SignerIdentity, trust: TrustStore, key: str, holder: str
) -> None:
    prepared = sign_at(_update(form, _point_there(key, holder)), an)
    assert check(prepared, trust).verdict is Verdict.VALID
    attack = _rewrite_page_content if holder == "content" else _replace_page_content
    (sig,) = check(_update(prepared, attack), trust).signatures
    expect(sig, Verdict.INVALID, "modified_other")
    assert sig.modifications_after is ModificationsAfter.OTHER


@pytest.mark.parametrize(
    ("where", "body", "verdict", "code"),
    [
        ("dss", b"<</Length 3>>stream\nabc\nendstream", Verdict.VALID, "later_validation_data"),
        ("metadata", rw.xmp_stream("Đơn đề nghị", NOW), Verdict.VALID, "later_signatures"),
        ("page", rw.content_stream(b"MIEN LE PHI"), Verdict.INVALID, "modified_other"),
    ],
    ids=["dss", "metadata", "page_content"],
)
def test_an_object_defined_only_after_signing(
    form: bytes,
    an: SignerIdentity,
    trust: TrustStore,
    where: str,
    body: bytes,
    verdict: Verdict,
    code: str,
) -> None:
    """The signed revision references object 900, which only a later revision defines:
    harmless under /DSS or the metadata, new page content when the page names it."""
    prepared = sign_at(rw.reference_undefined(form, 900, where=where), an)
    (before,) = check(prepared, trust).signatures
    expect(before, Verdict.VALID)
    (sig,) = check(rw.define_object(prepared, 900, body), trust).signatures
    expect(sig, verdict, code)
    assert sig.intact and sig.crypto_valid and sig.trust is TrustStatus.TRUSTED


# --- class 2: formats pyHanko refuses, validated for real ------------------------------------


def _chain_der(who: SignerIdentity) -> list[bytes]:
    return [who.der, *(c.public_bytes(serialization.Encoding.DER) for c in who.chain)]


FORMATS: dict[str, tuple[str, str, str]] = {
    # name: (code of the note, signature algorithm shown, verdict when intact)
    "adbe.pkcs7.sha1": ("legacy_format", "rsassa_pkcs1v15", "valid_with_warnings"),
    "adbe.x509.rsa_sha1": ("legacy_format", "rsassa_pkcs1v15", "valid_with_warnings"),
    "two_signer_infos": ("multiple_signer_infos", "ecdsa", "valid"),
    "encapsulated_content": ("encapsulated_content", "ecdsa", "valid"),
    "plain_ecdsa": ("plain_ecdsa", "ecdsa (plain)", "valid"),
}


def _made(name: str, form: bytes, an: SignerIdentity, ba: SignerIdentity, binh: SignerIdentity):
    if name == "adbe.pkcs7.sha1":
        recipe = rw.CmsRecipe(ba, digest="sha1", encapsulated_digest=True)
        return rw.hand_signed(form, recipe.build, subfilter="/adbe.pkcs7.sha1")
    if name == "adbe.x509.rsa_sha1":
        return rw.hand_signed(
            form, rw.x509_rsa_sha1(ba), subfilter="/adbe.x509.rsa_sha1", certs=_chain_der(ba)
        )
    if name == "two_signer_infos":
        return rw.hand_signed(form, rw.CmsRecipe(an, also=(binh,)).build)
    if name == "encapsulated_content":
        recipe = rw.CmsRecipe(an, encapsulate=True)
        return rw.hand_signed(form, recipe.build, reserved=2 * len(form) + SHA1_PAD)
    return rw.hand_signed(form, rw.CmsRecipe(an, scheme="plain_ecdsa").build)


@pytest.mark.parametrize("name", FORMATS)
def test_other_formats_are_checked_for_real(
    name: str,
    form: bytes,
    an: SignerIdentity,
    ba: SignerIdentity,
    binh: SignerIdentity,
    trust: TrustStore,
) -> None:
    note, algorithm, verdict = FORMATS[name]
    data = _made(name, form, an, ba, binh)
    (sig,) = check(data, trust).signatures
    expect(sig, Verdict(verdict), note, absent=("unsupported_signature", "signature_unreadable"))
    assert sig.intact and sig.crypto_valid and sig.trust is TrustStatus.TRUSTED
    assert sig.coverage is Coverage.ENTIRE_FILE and sig.signature_algorithm == algorithm
    assert sig.signer is not None and sig.signer.citizen_id in ("001090001234", "001090005678")
    if name.startswith("adbe."):
        expect(sig, Verdict(verdict), "weak_digest")  # SHA-1: a warning, not a refusal
    # One byte of the signed document changed: each of them is then proven damaged.
    (tampered,) = check(flip_signed_byte(data), trust).signatures
    expect(tampered, Verdict.INVALID, note, "digest_mismatch")
    assert not tampered.intact


def test_two_signer_infos_name_the_co_signer(
    form: bytes, an: SignerIdentity, binh: SignerIdentity, trust: TrustStore
) -> None:
    (sig,) = check(rw.hand_signed(form, rw.CmsRecipe(an, also=(binh,)).build), trust).signatures
    note = sig.reasons[codes(sig).index("multiple_signer_infos")]
    assert "LÊ THỊ BÌNH" in note.vi and "2" in note.vi


def _co_signer_forged(build: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def contents(data: bytes) -> bytes:
        info = cms.ContentInfo.load(build(data))
        second = info["content"]["signer_infos"][1]
        value = bytearray(second["signature"].native)
        value[-1] ^= 0x01
        second["signature"] = bytes(value)
        return bytes(info.dump(force=True))

    return contents


def test_a_forged_co_signer_makes_the_signature_invalid(
    form: bytes, an: SignerIdentity, binh: SignerIdentity, trust: TrustStore
) -> None:
    build = _co_signer_forged(rw.CmsRecipe(an, also=(binh,)).build)
    (sig,) = check(rw.hand_signed(form, build), trust).signatures
    expect(sig, Verdict.INVALID, "multiple_signer_infos", "signature_crypto_invalid")
    assert sig.intact and not sig.crypto_valid


def test_encapsulated_content_of_another_document_is_invalid(
    form: bytes, an: SignerIdentity, trust: TrustStore
) -> None:
    recipe = rw.CmsRecipe(an, encapsulate=True)
    data = rw.hand_signed(
        form, lambda signed: recipe.build(signed + b"\n"), reserved=2 * len(form) + SHA1_PAD
    )
    (sig,) = check(data, trust).signatures
    expect(sig, Verdict.INVALID, "encapsulated_content", "digest_mismatch")


def test_document_timestamp_typed_sig_is_checked_as_a_timestamp(
    signed: bytes, pki: DemoPki, trust: TrustStore
) -> None:
    stamp = rw.document_timestamp(pki, NOW - timedelta(hours=1))
    data = rw.hand_signed(signed, stamp, subfilter="/ETSI.RFC3161", field_name="DauThoiGian")
    sig, ts = check(data, trust).signatures
    expect(sig, Verdict.VALID, "later_signatures")
    expect(ts, Verdict.VALID, "timestamp_typed_sig")
    assert ts.is_document_timestamp and ts.timestamp_time == NOW - timedelta(hours=1)
    sig, ts = check(flip_signed_byte(data), trust).signatures
    expect(sig, Verdict.INVALID, "digest_mismatch")
    expect(
        ts, Verdict.INVALID, "timestamp_typed_sig", "digest_mismatch", absent=("timestamp_broken",)
    )


def _without_certificates(build: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def contents(data: bytes) -> bytes:
        info = cms.ContentInfo.load(build(data))
        info["content"]["certificates"] = []
        return bytes(info.dump(force=True))

    return contents


def test_a_format_we_cannot_check_is_indeterminate_not_invalid(
    form: bytes, an: SignerIdentity, trust: TrustStore
) -> None:
    # Plain ECDSA without the signer's certificate: well formed, nothing to check it with.
    recipe = rw.CmsRecipe(an, scheme="plain_ecdsa")
    data = rw.hand_signed(form, _without_certificates(recipe.build))
    (sig,) = check(data, trust).signatures
    expect(sig, Verdict.INDETERMINATE, "unsupported_signature", absent=("digest_mismatch",))
    assert "certificate" in sig.reasons[0].en
    # adbe.x509.rsa_sha1 with an ECDSA certificate: the format has no such variant.
    bad = rw.hand_signed(
        form, lambda _d: b"\x04\x03abc", subfilter="/adbe.x509.rsa_sha1", certs=_chain_der(an)
    )
    (sig,) = check(bad, trust).signatures
    expect(sig, Verdict.INDETERMINATE, "unsupported_signature")
    assert "adbe.x509.rsa_sha1 with an EC key" in sig.reasons[0].vi


def test_a_signature_whose_cms_is_cut_short_still_names_its_signer(
    signed: bytes, an: SignerIdentity, trust: TrustStore
) -> None:
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    end = signed.index(b">", start)
    contents = bytes.fromhex(signed[start:end].decode())
    cut = contents[: contents.rindex(an.der) + len(an.der) + 40]
    hexed = cut.hex().encode().ljust(end - start, b"0")
    (sig,) = check(signed[:start] + hexed + signed[end:], trust).signatures
    expect(sig, Verdict.INVALID, "signature_unreadable")
    assert sig.signer is not None
    assert (sig.signer.name, sig.signer.citizen_id) == ("NGUYỄN VĂN AN", "001090001234")


# --- class 3: broken cryptography is not a trust problem -------------------------------------


def test_ed25519_must_use_sha512(pki: DemoPki, form: bytes, trust: TrustStore) -> None:
    ed = rw.ed25519_signer(pki, "PHẠM VĂN ĐÔNG", "001090007777")
    for digest in ("sha1", "sha256"):
        (sig,) = check(
            rw.hand_signed(form, rw.CmsRecipe(ed, digest=digest).build), trust
        ).signatures
        expect(sig, Verdict.INVALID, "eddsa_digest", absent=("untrusted_root", "trust_problem"))
        assert not sig.crypto_valid and sig.signer is not None
        assert digest.upper().replace("SHA", "SHA-") in sig.reasons[0].vi
    (good,) = check(rw.hand_signed(form, rw.CmsRecipe(ed, digest="sha512").build), trust).signatures
    expect(good, Verdict.VALID, absent=("eddsa_digest",))
    assert good.signature_algorithm == "ed25519"


def test_rsa_pss_with_another_mask_digest_is_invalid(
    ba: SignerIdentity, form: bytes, trust: TrustStore
) -> None:
    recipe = rw.CmsRecipe(ba, scheme="pss", pss_mgf_digest="sha1")
    (sig,) = check(rw.hand_signed(form, recipe.build), trust).signatures
    expect(sig, Verdict.INVALID, "pss_parameters", absent=("untrusted_root", "trust_problem"))
    assert "SHA-1" in sig.reasons[0].vi and not sig.crypto_valid
    (good,) = check(rw.hand_signed(form, rw.CmsRecipe(ba, scheme="pss").build), trust).signatures
    expect(good, Verdict.VALID, absent=("pss_parameters",))
    assert good.signature_algorithm == "rsassa_pss"


def _timestamped(form: bytes, an: SignerIdentity, tsa: DemoPki, *, broken: bool) -> bytes:
    token = rw.timestamp_token(tsa, SIGNED_AT, break_signature=broken)
    return rw.hand_signed(form, rw.CmsRecipe(an, timestamp_token=token).build, reserved=32768)


def test_a_broken_timestamp_is_not_worded_like_an_untrusted_one(
    form: bytes, an: SignerIdentity, pki: DemoPki, trust: TrustStore
) -> None:
    (good,) = check(_timestamped(form, an, pki, broken=False), trust).signatures
    expect(good, Verdict.VALID, absent=("no_timestamp",))
    assert good.timestamp_valid is True and good.timestamp_time == SIGNED_AT

    (broken,) = check(_timestamped(form, an, pki, broken=True), trust).signatures
    expect(broken, Verdict.INVALID, "timestamp_broken", absent=("timestamp_invalid",))
    assert broken.timestamp_valid is False and broken.intact and broken.crypto_valid

    stranger = DemoPki.untrusted(seed=1919, now=NOW - timedelta(days=30))
    (untrusted,) = check(_timestamped(form, an, stranger, broken=False), trust).signatures
    expect(untrusted, Verdict.INDETERMINATE, "timestamp_invalid", absent=("timestamp_broken",))
    assert _TEXTS["timestamp_broken"][2] != _TEXTS["timestamp_invalid"][2]


def test_a_document_timestamp_with_a_broken_signature_is_invalid(
    signed: bytes, pki: DemoPki, trust: TrustStore
) -> None:
    stamp = rw.document_timestamp(pki, NOW - timedelta(hours=1), break_signature=True)
    data = rw.hand_signed(
        signed, stamp, subfilter="/ETSI.RFC3161", sig_type="/DocTimeStamp", field_name="TS"
    )
    sig, ts = check(data, trust).signatures
    expect(sig, Verdict.VALID, "later_signatures")
    expect(ts, Verdict.INVALID, "timestamp_broken", absent=("digest_mismatch",))
    assert ts.is_document_timestamp and ts.intact


def test_signed_attributes_in_ber_order_are_indeterminate(
    form: bytes, an: SignerIdentity, trust: TrustStore
) -> None:
    recipe = rw.CmsRecipe(an, unsorted_attrs=True)
    (sig,) = check(rw.hand_signed(form, recipe.build), trust).signatures
    expect(sig, Verdict.INDETERMINATE, "signed_attrs_not_der", absent=("untrusted_root",))
    assert sig.trust is TrustStatus.TRUSTED  # the chain is fine: the encoding is not
    (sorted_,) = check(rw.hand_signed(form, rw.CmsRecipe(an).build), trust).signatures
    expect(sorted_, Verdict.VALID, absent=("signed_attrs_not_der",))


def test_a_changed_byte_is_named_even_when_later_revisions_cannot_be_compared(
    signed: bytes, binh: SignerIdentity, trust: TrustStore
) -> None:
    # A stream length changed: pyHanko cannot compare the revisions any more.
    data = flip_signed_byte(sign_at(signed, binh, 1), b"/Length")
    first, second = check(data, trust).signatures
    expect(first, Verdict.INVALID, "digest_mismatch", absent=("signature_unreadable",))
    expect(second, Verdict.INVALID, "digest_mismatch")


def test_only_the_formats_pyhanko_gets_wrong_go_through_our_own_check(
    signed: bytes, form: bytes, an: SignerIdentity, pki: DemoPki
) -> None:
    # asn1crypto gives a detached CMS an empty Void for its content, not None: taken for
    # encapsulated content, every signature was checked twice.
    from pyhanko.pdf_utils.reader import PdfFileReader

    from intake_desktop.services.signatures import legacy_formats

    def routed(data: bytes) -> list[bool]:
        reader = PdfFileReader(BytesIO(data), strict=False)
        return [legacy_formats.needs_own_check(emb) for emb in reader.embedded_signatures]

    assert routed(signed) == [False]
    stamp = rw.document_timestamp(pki, NOW - timedelta(hours=1))
    stamped = rw.hand_signed(
        signed, stamp, subfilter="/ETSI.RFC3161", sig_type="/DocTimeStamp", field_name="TS"
    )
    assert routed(stamped) == [False, False]  # a timestamp token is content, not "data"
    encapsulated = rw.CmsRecipe(an, encapsulate=True)
    assert routed(rw.hand_signed(form, encapsulated.build, reserved=2 * len(form) + SHA1_PAD)) == [
        True
    ]
