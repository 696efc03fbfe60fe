"""Signed PDFs shaped like what other producers write, for the tests and the benchmarks.

pyHanko (through :mod:`intake_desktop.demo.signing`) writes one tidy kind of signature.
Files from other projects and real users differ: legacy SubFilters (adbe.pkcs7.sha1,
adbe.x509.rsa_sha1), CMS containers with encapsulated content or two SignerInfos, plain
ECDSA (BSI TR-03111), RSA-PSS and Ed25519 signatures, signed attributes in BER order,
document timestamps typed /Sig, and many revisions (25 signatures, LTV data, a filled
form). :func:`hand_signed` writes a signature dictionary whose /Contents is whatever a
:class:`CmsRecipe` (or any function of the signed bytes) builds, with asn1crypto and
cryptography, so each of those shapes is made here for real.

Later revisions other producers write are here too: /DSS in the shapes LTV tools write
(:func:`add_dss`), a metadata update (:func:`update_metadata`), a structure tree extended
after signing (:func:`with_structure_tree`, :func:`tag_signature_widgets`), and a reference
to an object only a later revision defines (:func:`reference_undefined`,
:func:`define_object`). Which producer each shape imitates is listed in
``tests/test_real_world_signatures.py``.

``bench/verify_bench.py`` imports :func:`bench_files`; tests import the producers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
)
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign.signers.pdf_byterange import PdfByteRangeDigest

from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki, SignerIdentity, key_usage
from intake_desktop.demo.signing import sign_pdf

_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
# BSI TR-03111 plain ECDSA: r || s, each the curve's size, instead of a DER SEQUENCE.
PLAIN_ECDSA_OIDS = {
    "sha256": "0.4.0.127.0.7.1.1.4.1.3",
    "sha384": "0.4.0.127.0.7.1.1.4.1.4",
    "sha512": "0.4.0.127.0.7.1.1.4.1.5",
}


def _digest(algorithm: str, data: bytes) -> bytes:
    return hashlib.new(algorithm, data).digest()


# --- signature dictionaries -----------------------------------------------------------------


def hand_signed(
    pdf: bytes,
    contents: Callable[[bytes], bytes],
    *,
    subfilter: str = "/adbe.pkcs7.detached",
    sig_type: str = "/Sig",
    field_name: str = "Signature1",
    certs: Sequence[bytes] = (),
    reserved: int = 24576,
    signing_time: datetime | None = None,
) -> bytes:
    """Add a signature field whose /Contents is ``contents(signed bytes)``; return the file.

    ``signed bytes`` are the file outside the /Contents hole, as the ByteRange gives them.
    ``certs`` go into /Cert (adbe.x509.rsa_sha1 carries the signer's certificate there,
    then its chain).
    """
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=field_name))
    sig = PdfByteRangeDigest(bytes_reserved=reserved)
    sig[generic.NameObject("/Type")] = generic.NameObject(sig_type)
    sig[generic.NameObject("/Filter")] = generic.NameObject("/Adobe.PPKLite")
    sig[generic.NameObject("/SubFilter")] = generic.NameObject(subfilter)
    if len(certs) == 1:
        sig[generic.NameObject("/Cert")] = generic.ByteStringObject(certs[0])
    elif certs:
        sig[generic.NameObject("/Cert")] = generic.ArrayObject(
            [generic.ByteStringObject(c) for c in certs]
        )
    if signing_time is not None:
        sig[generic.NameObject("/M")] = generic.pdf_date(signing_time)
    sig_ref = writer.add_object(sig)
    for name, _value, field_ref in fields.enumerate_sig_fields(writer):
        if name == field_name:
            field_obj = field_ref.get_object()
            field_obj[generic.NameObject("/V")] = sig_ref
            writer.update_container(field_obj)
    filler = sig.fill(writer, "sha256")
    prepared, output = next(filler)
    data = output.getvalue()
    signed = data[: prepared.reserved_region_start] + data[prepared.reserved_region_end :]
    filler.send(contents(signed))
    return bytes(output.getvalue())


def signed_bytes(data: bytes, index: int = -1) -> bytes:
    """The bytes the ``index``-th ByteRange of ``data`` covers."""
    starts = [data.index(b"/ByteRange")]
    while True:
        nxt = data.find(b"/ByteRange", starts[-1] + 1)
        if nxt < 0:
            break
        starts.append(nxt)
    at = starts[index]
    numbers = data[data.index(b"[", at) + 1 : data.index(b"]", at)].split()
    a, b, c, d = (int(n) for n in numbers)
    return data[a : a + b] + data[c : c + d]


# --- CMS containers -------------------------------------------------------------------------


@dataclass(frozen=True)
class CmsRecipe:
    """How to build a CMS SignedData over some bytes, including the shapes pyHanko avoids."""

    signer: SignerIdentity
    digest: str = "sha256"
    scheme: str = "auto"
    """``auto`` (by key: PKCS#1 v1.5, ECDSA or Ed25519), ``pss``, ``plain_ecdsa``."""
    signer_cert: asn1_x509.Certificate | None = None
    """Certificate to embed for the signer (default ``signer``'s)."""
    pss_mgf_digest: str | None = None
    """For ``pss``: the MGF1 digest when it differs from ``digest``."""
    encapsulate: bool = False
    """Put the signed bytes inside the CMS (eContent) instead of leaving it detached."""
    encapsulated_digest: bool = False
    """adbe.pkcs7.sha1: eContent is the SHA-1 digest of the signed bytes."""
    signed_attrs: bool = True
    unsorted_attrs: bool = False
    """Write the signed attributes in BER (insertion) order, not sorted DER."""
    also: tuple[SignerIdentity, ...] = ()
    """Further signers: one SignerInfo each over the same content."""
    timestamp_token: Callable[[bytes], bytes] | None = None
    """Given the signature value, return an RFC 3161 token to attach (unsigned attribute)."""

    def build(self, data: bytes) -> bytes:
        content = data
        if self.encapsulated_digest:
            content = _digest("sha1", data)
        infos = [self._signer_info(self.signer, content, self.signer_cert)]
        infos += [replace(self, also=(), scheme="auto")._signer_info(s, content) for s in self.also]
        certs = [self.signer_cert or self.signer.asn1, *self.signer.chain_asn1]
        for other in self.also:
            certs += [other.asn1, *other.chain_asn1]
        unique = {c.dump(): c for c in certs}
        econtent: dict[str, object] = {"content_type": "data"}
        if self.encapsulate or self.encapsulated_digest:
            econtent["content"] = content
        signed_data = cms.SignedData(
            {
                "version": "v1",
                "digest_algorithms": [{"algorithm": self.digest}],
                "encap_content_info": econtent,
                "certificates": list(unique.values()),
                "signer_infos": infos,
            }
        )
        return bytes(
            cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
        )

    def _signer_info(
        self, who: SignerIdentity, content: bytes, cert: asn1_x509.Certificate | None = None
    ) -> cms.SignerInfo:
        cert = cert or who.asn1
        to_sign = content
        attrs: cms.CMSAttributes | None = None
        if self.signed_attrs:
            attrs = _signed_attributes(_digest(self.digest, content), self.unsorted_attrs)
            to_sign = attrs.dump()  # a SET: what is signed, not the [0] IMPLICIT it is stored as
        algorithm, value = self._sign(who, to_sign)
        info: dict[str, object] = {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": cert.issuer,
                        "serial_number": cert.serial_number,
                    }
                }
            ),
            "digest_algorithm": {"algorithm": self.digest},
            "signature_algorithm": algorithm,
            "signature": value,
        }
        if attrs is not None:
            info["signed_attrs"] = attrs
        if self.timestamp_token is not None:
            token = cms.ContentInfo.load(self.timestamp_token(value))
            info["unsigned_attrs"] = [
                {"type": "signature_time_stamp_token", "values": [token]},
            ]
        return cms.SignerInfo(info)

    def _sign(self, who: SignerIdentity, to_sign: bytes) -> tuple[dict[str, object], bytes]:
        key = who.key
        algo = _HASHES[self.digest]()
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return {"algorithm": "ed25519"}, key.sign(to_sign)
        if self.scheme == "pss":
            assert isinstance(key, rsa.RSAPrivateKey)
            mgf = _HASHES[self.pss_mgf_digest or self.digest]()
            salt = algo.digest_size
            value = key.sign(to_sign, padding.PSS(padding.MGF1(mgf), salt), algo)
            params = algos.RSASSAPSSParams(
                {
                    "hash_algorithm": {"algorithm": self.digest},
                    "mask_gen_algorithm": {
                        "algorithm": "mgf1",
                        "parameters": {"algorithm": self.pss_mgf_digest or self.digest},
                    },
                    "salt_length": salt,
                }
            )
            return {"algorithm": "rsassa_pss", "parameters": params}, value
        if isinstance(key, ec.EllipticCurvePrivateKey):
            der = key.sign(to_sign, ec.ECDSA(algo))
            if self.scheme == "plain_ecdsa":
                r, s = decode_dss_signature(der)
                size = (key.curve.key_size + 7) // 8
                return (
                    {"algorithm": PLAIN_ECDSA_OIDS[self.digest]},
                    r.to_bytes(size, "big") + s.to_bytes(size, "big"),
                )
            return {"algorithm": f"{self.digest}_ecdsa"}, der
        assert isinstance(key, rsa.RSAPrivateKey)
        return {"algorithm": "rsassa_pkcs1v15"}, key.sign(to_sign, padding.PKCS1v15(), algo)


def _signed_attributes(message_digest: bytes, unsorted: bool) -> cms.CMSAttributes:
    # content-type, signing-time, message-digest: in DER order message-digest (shorter
    # OID content) sorts differently, so writing them as listed is BER, not DER.
    attrs = cms.CMSAttributes(
        [
            {"type": "signing_time", "values": [cms.Time({"utc_time": _SIGNED_AT})]},
            {"type": "content_type", "values": ["data"]},
            {"type": "message_digest", "values": [message_digest]},
        ]
    )
    if unsorted:
        # asn1crypto keeps the insertion order when the contents are set by hand
        body = b"".join(a.dump() for a in attrs)
        return cms.CMSAttributes.load(_tag(0x31, body))
    return attrs


def _tag(tag: int, body: bytes) -> bytes:
    length = len(body)
    if length < 0x80:
        return bytes([tag, length]) + body
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + body


_SIGNED_AT = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def x509_rsa_sha1(signer: SignerIdentity) -> Callable[[bytes], bytes]:
    """/Contents of adbe.x509.rsa_sha1: the PKCS#1 v1.5 value over SHA-1, as an OCTET STRING."""
    key = signer.key
    assert isinstance(key, rsa.RSAPrivateKey)

    def contents(data: bytes) -> bytes:
        digest = _digest("sha1", data)
        value = key.sign(digest, padding.PKCS1v15(), Prehashed(hashes.SHA1()))
        return bytes(core.OctetString(value).dump())

    return contents


def timestamp_token(
    pki: DemoPki, moment: datetime, *, break_signature: bool = False
) -> Callable[[bytes], bytes]:
    """RFC 3161 tokens from ``pki``'s TSA over the given bytes (a signature value, or the
    signed bytes of a document timestamp); optionally with the TSA's own signature value
    spoiled, its imprint still right."""
    stamper = pki.timestamper(fixed_time=moment)

    def token(value: bytes) -> bytes:
        import asyncio

        imprint = hashlib.sha256(value).digest()
        info = asyncio.run(stamper.async_timestamp(imprint, "sha256"))
        if break_signature:
            signer_info = info["content"]["signer_infos"][0]
            raw = bytearray(signer_info["signature"].native)
            raw[len(raw) // 2] ^= 0x01
            signer_info["signature"] = bytes(raw)
        return bytes(info.dump(force=True))

    return token


def document_timestamp(
    pki: DemoPki, moment: datetime, *, break_signature: bool = False
) -> Callable[[bytes], bytes]:
    """/Contents of an ETSI.RFC3161 document timestamp: the TSA's token over the signed
    bytes (optionally with the TSA's own signature spoiled)."""
    make = timestamp_token(pki, moment, break_signature=break_signature)
    return lambda data: make(data)


def ed25519_signer(pki: DemoPki, name: str, citizen_id: str) -> SignerIdentity:
    """A citizen certificate for an Ed25519 key, issued by the demo VNPT CA."""
    ca = pki.providers["VNPT"]
    key = ed25519.Ed25519PrivateKey.from_private_bytes(_digest("sha256", citizen_id.encode()))
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.USER_ID, f"CCCD:{citizen_id}"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(_digest("sha256", name.encode())[:8], "big"))
        .not_valid_before(pki.now - timedelta(days=30))
        .not_valid_after(pki.now + timedelta(days=730))
        .add_extension(key_usage(ca=False), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    return SignerIdentity(
        cert=cert,
        key=key,  # type: ignore[arg-type] - the demo's identities hold RSA or EC keys
        chain=(ca.cert, pki.root.cert),
        name=name,
        citizen_id=citizen_id,
    )


# --- many revisions, for the benchmarks -------------------------------------------------------


@dataclass(frozen=True)
class BenchFile:
    name: str
    data: bytes
    signatures: int
    revisions_note: str


@dataclass
class _People:
    pki: DemoPki
    signers: list[SignerIdentity] = field(default_factory=list)


def _people(now: datetime, count: int) -> _People:
    pki = DemoPki.create(seed=1925, now=now - timedelta(days=60))
    people = _People(pki)
    for i in range(count):
        people.signers.append(
            pki.issue_citizen(f"NGƯỜI KÝ SỐ {i + 1}", f"0010900{i:05d}", provider="VNPT")
        )
    return people


def many_signatures(now: datetime, count: int = 25) -> tuple[bytes, DemoPki]:
    """One form signed ``count`` times in ``count`` revisions (a council's minutes)."""
    people = _people(now, min(count, 5))
    data = make_form_pdf("BIÊN BẢN HỌP", [("Số người dự", str(count))], pages=2)
    moment = now - timedelta(hours=count + 1)
    for i in range(count):
        signer = people.signers[i % len(people.signers)]
        data = sign_pdf(data, signer, visible=False, signing_time=moment + timedelta(hours=i))
    return data, people.pki


def filled_form(now: datetime, fills: int = 6) -> tuple[bytes, DemoPki]:
    """A form signed by its issuer, then filled field by field and signed again."""
    from pyhanko.pdf_utils.writer import copy_into_new_writer  # noqa: F401 - pyHanko present

    people = _people(now, 2)
    data = make_form_pdf(
        "TỜ KHAI", [("Họ tên", "Nguyễn Văn An")], pages=3, text_field="GhiChu", images=True
    )
    moment = now - timedelta(hours=3)
    data = sign_pdf(data, people.signers[0], signing_time=moment)
    for i in range(fills):
        data = fill_text_field(data, "GhiChu", f"Ghi chú lần {i + 1}")
    data = sign_pdf(data, people.signers[1], signing_time=moment + timedelta(hours=1))
    return data, people.pki


def fill_text_field(data: bytes, name: str, value: str) -> bytes:
    """Set a text field's value in a new revision, as a reader's "fill and save" does."""
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    form = writer.root["/AcroForm"]
    for ref in form["/Fields"]:
        obj = ref.get_object()
        if obj.get("/T") == name:
            obj[generic.NameObject("/V")] = generic.TextStringObject(value)
            writer.update_container(obj)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def bench_files(folder: Path, now: datetime | None = None) -> tuple[list[BenchFile], DemoPki]:
    """Write the many-revision files to ``folder`` and return them with the PKI to trust.

    One file with 25 signatures and one filled form signed twice; every signer's
    certificate comes from the same demo PKI (trust its root).
    """
    now = now or datetime.now(UTC).replace(microsecond=0)
    many, pki = many_signatures(now)
    form, _pki = filled_form(now)
    files = [
        BenchFile("25-chu-ky.pdf", many, 25, "25 revisions, one signature each"),
        BenchFile("bieu-mau-da-dien.pdf", form, 2, "signed, filled 6 times, signed again"),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for item in files:
        (folder / item.name).write_bytes(item.data)
    return files, pki


def sign_each(data: bytes, signers: Sequence[SignerIdentity], moment: datetime) -> bytes:
    """Sign ``data`` once per signer, one revision each, an hour apart."""
    for i, signer in enumerate(signers):
        data = sign_pdf(data, signer, visible=False, signing_time=moment + timedelta(hours=i))
    return data


# --- later revisions other producers write --------------------------------------------------


def _stream(writer: IncrementalPdfFileWriter, der: bytes) -> generic.IndirectObject:
    return writer.add_object(generic.StreamObject(stream_data=der))


def demo_crl(pki: DemoPki, moment: datetime) -> bytes:
    """An empty CRL from the demo VNPT CA (what an LTV pass embeds)."""
    ca = pki.providers["VNPT"]
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(moment - timedelta(days=1))
        .next_update(moment + timedelta(days=6))
        .sign(ca.key, hashes.SHA256())
    )
    return bytes(crl.public_bytes(serialization.Encoding.DER))


def add_dss(
    data: bytes,
    pki: DemoPki,
    moment: datetime,
    *,
    lowercase_vri: bool = False,
    update_existing_vri: bool = False,
    extra_dss_keys: bool = False,
) -> bytes:
    """Append an LTV revision as Acrobat and other libraries write it: /DSS with the CA
    certificates, a CRL and one /VRI entry per signature (key: SHA-1 of its /Contents, in
    upper case as PAdES says, or lower case as some libraries write it; with /TU).

    ``update_existing_vri`` rewrites VRI entries already there (a second LTV pass adding a
    fresh CRL); ``extra_dss_keys`` adds the vendor keys some producers put in /DSS.
    """
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    root = writer.root
    chain = (pki.providers["VNPT"].cert, pki.root.cert)
    certs = [_stream(writer, c.public_bytes(serialization.Encoding.DER)) for c in chain]
    crl = _stream(writer, demo_crl(pki, moment))
    old_dss = root["/DSS"] if "/DSS" in root else None  # noqa: SIM401 - indexing dereferences
    dss = generic.DictionaryObject() if old_dss is None else old_dss
    vri = dss["/VRI"] if "/VRI" in dss else generic.DictionaryObject()
    for contents in _signature_contents(data):
        key = hashlib.sha1(contents).hexdigest()
        key = key.lower() if lowercase_vri else key.upper()
        name = generic.NameObject("/" + key)
        if name in vri and not update_existing_vri:
            continue
        entry = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/VRI"),
                generic.NameObject("/Cert"): generic.ArrayObject(certs),
                generic.NameObject("/CRL"): generic.ArrayObject([crl]),
                generic.NameObject("/TU"): generic.pdf_date(moment),
            }
        )
        vri[name] = writer.add_object(entry)
    dss[generic.NameObject("/Type")] = generic.NameObject("/DSS")
    dss[generic.NameObject("/VRI")] = vri
    dss[generic.NameObject("/Certs")] = generic.ArrayObject(
        [*(dss["/Certs"] if "/Certs" in dss else []), *certs]  # noqa: SIM401 - see above
    )
    dss[generic.NameObject("/CRLs")] = generic.ArrayObject(
        [*(dss["/CRLs"] if "/CRLs" in dss else []), crl]  # noqa: SIM401 - see above
    )
    if extra_dss_keys:
        dss[generic.NameObject("/TSs")] = generic.ArrayObject()
    if old_dss is None:
        root[generic.NameObject("/DSS")] = writer.add_object(dss)
        writer.update_root()
    else:
        writer.update_container(old_dss)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _signature_contents(data: bytes) -> list[bytes]:
    reader = IncrementalPdfFileWriter(BytesIO(data), strict=False).prev
    out = []
    for _name, value, _ref in fields.enumerate_sig_fields(reader, filled_status=True):
        out.append(value.get_object().raw_get("/Contents").original_bytes)
    return out


# --- revisions that reference objects, structure trees, metadata ----------------------------


def _update(data: bytes, edit: Callable[[IncrementalPdfFileWriter], None]) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    edit(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(value: str) -> generic.NameObject:
    return generic.NameObject(value)


def _first_page(writer: IncrementalPdfFileWriter) -> generic.IndirectObject:
    page = writer.root["/Pages"]["/Kids"].raw_get(0)
    assert isinstance(page, generic.IndirectObject)
    return page


def reference_undefined(data: bytes, number: int, *, where: str) -> bytes:
    """A revision (written before signing) that references object ``number``, which no
    revision defines yet: ``where`` is ``metadata`` (the catalog's /Metadata), ``dss``
    (/DSS /Certs) or ``page`` (a second content stream of page 1). Readers take an
    undefined object as null, so the document shows what it showed before."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        missing = generic.IndirectObject(number, 0, writer)
        root = writer.root
        if where == "metadata":
            root[_name("/Metadata")] = missing
        elif where == "dss":
            dss = generic.DictionaryObject(
                {_name("/Type"): _name("/DSS"), _name("/Certs"): generic.ArrayObject([missing])}
            )
            root[_name("/DSS")] = writer.add_object(dss)
        elif where == "page":
            page_ref = _first_page(writer)
            page = page_ref.get_object()
            contents = page.raw_get("/Contents")
            items = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
            page[_name("/Contents")] = generic.ArrayObject([*items, missing])
            writer.update_container(page)
            return
        else:
            raise ValueError(where)
        writer.update_root()

    return _update(data, edit)


def define_object(data: bytes, number: int, body: bytes) -> bytes:
    """Append a classic incremental update that defines object ``number`` as ``body`` and
    nothing else (its trailer is the last one, /Size and /Prev updated)."""
    import re

    trailer = re.findall(rb"trailer\s*<<(.*?)>>\s*startxref", data, re.S)[-1]
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = max(int(re.findall(rb"/Size\s+(\d+)", trailer)[0]), number + 1)
    trailer = re.sub(rb"/Size\s+\d+", b"/Size %d" % size, trailer)
    trailer = re.sub(rb"/Prev\s+\d+", b"", trailer) + b"/Prev %d" % prev
    offset = len(data) + (0 if data.endswith(b"\n") else 1)
    head = data if data.endswith(b"\n") else data + b"\n"
    obj = b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(head) + len(obj)
    return (
        head
        + obj
        + b"xref\n%d 1\n%010d 00000 n \ntrailer\n<<%s>>\nstartxref\n%d\n%%%%EOF\n"
        % (number, offset, trailer, xref)
    )


def content_stream(text: bytes) -> bytes:
    """A content stream object body drawing ``text`` in 28-point Helvetica."""
    ops = b"BT /Helv 28 Tf 60 420 Td (%s) Tj ET" % text
    return b"<</Length %d>>stream\n%s\nendstream" % (len(ops), ops)


def xmp_stream(title: str, moment: datetime) -> bytes:
    """A metadata stream object body (XMP), as a document system writes it."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        b"<dc:title><rdf:Alt><rdf:li>" + title.encode() + b"</rdf:li></rdf:Alt></dc:title>"
        b"<xmp:ModifyDate>" + stamp + b"</xmp:ModifyDate></rdf:Description></rdf:RDF>"
        b'</x:xmpmeta><?xpacket end="w"?>'
    )
    return b"<</Type/Metadata/Subtype/XML/Length %d>>stream\n%s\nendstream" % (len(xmp), xmp)


def update_metadata(data: bytes, title: str, moment: datetime) -> bytes:
    """A later revision as a document system writes it when it files a signed document:
    a new XMP metadata stream and an updated /Info (title, modification date), nothing else."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        body = xmp_stream(title, moment)
        xmp = body[body.index(b"stream\n") + 7 : body.rindex(b"\nendstream")]
        stream = generic.StreamObject(
            {_name("/Type"): _name("/Metadata"), _name("/Subtype"): _name("/XML")},
            stream_data=xmp,
        )
        writer.root[_name("/Metadata")] = writer.add_object(stream)
        writer.update_root()
        info = writer.trailer["/Info"] if "/Info" in writer.trailer else None  # noqa: SIM401
        if info is not None:
            info[_name("/Title")] = generic.TextStringObject(title)
            info[_name("/ModDate")] = generic.pdf_date(moment)
            writer.update_container(info)

    return _update(data, edit)


def with_structure_tree(data: bytes) -> bytes:
    """Tag the document before signing, as a tagged-PDF producer does: a /StructTreeRoot
    with a /Document element holding one paragraph on page 1."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        page = _first_page(writer)
        root_ref = writer.add_object(generic.DictionaryObject())
        document = writer.add_object(generic.DictionaryObject())
        paragraph = writer.add_object(
            generic.DictionaryObject(
                {
                    _name("/Type"): _name("/StructElem"),
                    _name("/S"): _name("/P"),
                    _name("/P"): document,
                    _name("/Pg"): page,
                    _name("/K"): generic.NumberObject(0),
                }
            )
        )
        document.get_object().update(
            {
                _name("/Type"): _name("/StructElem"),
                _name("/S"): _name("/Document"),
                _name("/P"): root_ref,
                _name("/K"): generic.ArrayObject([paragraph]),
            }
        )
        root_ref.get_object().update(
            {
                _name("/Type"): _name("/StructTreeRoot"),
                _name("/K"): document,
                _name("/ParentTree"): writer.add_object(
                    generic.DictionaryObject({_name("/Nums"): generic.ArrayObject()})
                ),
            }
        )
        writer.root[_name("/StructTreeRoot")] = root_ref
        writer.root[_name("/MarkInfo")] = generic.DictionaryObject(
            {_name("/Marked"): generic.BooleanObject(True)}
        )
        writer.update_root()

    return _update(data, edit)


def tag_signature_widgets(data: bytes) -> bytes:
    """A later revision as an accessibility pass (Acrobat's "autotag", a tagging library)
    writes it after signing: a /Form element pointing at each signature widget (an OBJR),
    added under the /Document element. Nothing a page shows changes."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        tree = writer.root["/StructTreeRoot"]
        document_ref = tree.raw_get("/K")
        document = document_ref.get_object()
        kids = document["/K"]
        for _field, _value, field_ref in fields.enumerate_sig_fields(writer.prev):
            widget = field_ref.get_object()
            page = widget.raw_get("/P") if "/P" in widget else _first_page(writer)
            objr = generic.DictionaryObject(
                {_name("/Type"): _name("/OBJR"), _name("/Obj"): field_ref, _name("/Pg"): page}
            )
            kids.append(
                writer.add_object(
                    generic.DictionaryObject(
                        {
                            _name("/Type"): _name("/StructElem"),
                            _name("/S"): _name("/Form"),
                            _name("/P"): document_ref,
                            _name("/Pg"): page,
                            _name("/K"): objr,
                        }
                    )
                )
            )
        writer.update_container(document)

    return _update(data, edit)
