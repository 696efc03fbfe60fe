"""The identity Vietnamese certificate providers write in a subject, read the way they write it.

Forms seen on real certificates: ``UID=CCCD:…``, ``UID=CMND:…``, ``serialNumber=CMND:…``,
``UID=MST:0101234567-001`` (branch), and several values in one attribute, as BkavCA's
``UID=MST:0801206940-CMND:030084004974``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import InspectOptions, TrustStore, Verdict, inspect_pdf
from intake_desktop.services.signatures.certificates import (
    embedded_signer,
    identity_values,
    subject_ids,
)

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
_KEY = ec.derive_private_key(20261120, ec.SECP256R1())


def _certificate(*attrs: tuple[x509.ObjectIdentifier, str]) -> asn1_x509.Certificate:
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
        + [x509.NameAttribute(oid, value) for oid, value in attrs]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(_KEY.public_key())
        .serial_number(1234)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=365))
        .sign(_KEY, hashes.SHA256())
    )
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


UID = NameOID.USER_ID
SERIAL = NameOID.SERIAL_NUMBER


@pytest.mark.parametrize(
    ("attrs", "citizen_id", "tax_code", "passport"),
    [
        # BkavCA: tax code and ID card in one UID, joined by "-"
        ([(UID, "MST:0801206940-CMND:030084004974")], "030084004974", "0801206940", None),
        ([(UID, "CCCD:001090001234")], "001090001234", None, None),
        ([(UID, "CMND:025123456")], "025123456", None, None),
        ([(UID, "CMND:030084004974")], "030084004974", None, None),  # 12-digit CMND
        ([(SERIAL, "CMND:025123456")], "025123456", None, None),
        ([(SERIAL, "CCCD:079085004321")], "079085004321", None, None),
        ([(UID, "CMT:012345678")], "012345678", None, None),
        ([(UID, "cccd:001090001234")], "001090001234", None, None),
        ([(UID, "CCCD : 001090001234")], "001090001234", None, None),
        ([(UID, "CCCD=001090001234")], "001090001234", None, None),
        # tax codes: 10 digits, 13 with a branch suffix, written with or without "-"
        ([(UID, "MST:0101234567")], None, "0101234567", None),
        ([(UID, "MST:0101234567-001")], None, "0101234567-001", None),
        ([(UID, "MST:0101234567 - 001")], None, "0101234567-001", None),
        ([(UID, "MST:0101234567001")], None, "0101234567-001", None),
        ([(UID, "MST:0101234567-001-CCCD:001090001234")], "001090001234", "0101234567-001", None),
        # several values, comma or space separated, in either order
        ([(UID, "MST:0101234567, CCCD:001090001234")], "001090001234", "0101234567", None),
        ([(UID, "CCCD:001090001234,MST:0101234567")], "001090001234", "0101234567", None),
        ([(UID, "CMND:025123456 MST:0101234567")], "025123456", "0101234567", None),
        ([(UID, "CCCD: 001090001234 - MST: 0101234567")], "001090001234", "0101234567", None),
        # passport (HC: hộ chiếu)
        ([(UID, "HC:B1234567")], None, None, "B1234567"),
        ([(UID, "HC:c12345678, MST:0101234567")], None, "0101234567", "C12345678"),
        # UID and serialNumber each carry one; CCCD preferred to an old CMND
        (
            [(UID, "MST:0101234567"), (SERIAL, "CCCD:001090001234")],
            "001090001234",
            "0101234567",
            None,
        ),
        ([(UID, "CMND:025123456"), (SERIAL, "CCCD:001090001234")], "001090001234", None, None),
        # "-" joining the values, in every order, the 9- or 12-digit ID with a branch MST
        ([(UID, "CCCD:001090001234-MST:0101234567")], "001090001234", "0101234567", None),
        ([(UID, "CMND:025123456-MST:0101234567-001")], "025123456", "0101234567-001", None),
        ([(UID, "HC:B1234567-MST:0101234567")], None, "0101234567", "B1234567"),
        ([(UID, "MST:0101234567-001,CMND:025123456")], "025123456", "0101234567-001", None),
        (
            [(UID, "MST: 0101234567-001 , CCCD: 001090001234")],
            "001090001234",
            "0101234567-001",
            None,
        ),
        ([(UID, "Mst:0801206940-Cmnd:030084004974")], "030084004974", "0801206940", None),
        # both card numbers in one value: the CCCD (the newer card) is the citizen ID
        ([(UID, "CMND:025123456,CCCD:001090001234")], "001090001234", None, None),
        # serialNumber carrying the tax code, alone or with the ID
        ([(SERIAL, "MST:0101234567-001")], None, "0101234567-001", None),
        ([(SERIAL, "MST:0801206940-CMND:030084004974")], "030084004974", "0801206940", None),
        ([(SERIAL, "HC:N1234567")], None, None, "N1234567"),
        # numbers of the wrong shape are left out, never guessed at
        ([(UID, "CCCD:0010900012")], None, None, None),
        ([(UID, "CCCD:0010900012345")], None, None, None),  # 13 digits
        ([(UID, "CMND:02512345")], None, None, None),  # 8 digits
        ([(UID, "MST:01012345678")], None, None, None),  # 11 digits
        ([(UID, "MST:0101234567-0012")], None, None, None),  # 4-digit branch
        ([(UID, "MST:0101234567-01")], None, None, None),  # 2-digit branch
        ([(UID, "HC:12345678")], None, None, None),  # a passport number starts with letters
        ([(UID, "MST:01012345")], None, None, None),
        ([(UID, "0101234567")], None, None, None),
        # an ID in another attribute (common name) is not an identity claim
        ([(NameOID.COMMON_NAME, "CCCD:001090001234")], None, None, None),
    ],
)
def test_subject_identity_forms(
    attrs: list[tuple[x509.ObjectIdentifier, str]],
    citizen_id: str | None,
    tax_code: str | None,
    passport: str | None,
) -> None:
    ids = subject_ids(_certificate(*attrs))
    assert (ids.citizen_id, ids.tax_code, ids.passport) == (citizen_id, tax_code, passport)


def test_identity_values_keep_each_label_apart() -> None:
    assert identity_values("MST:0801206940-CMND:030084004974") == {
        "MST": "0801206940",
        "CMND": "030084004974",
    }
    assert identity_values("nothing here") == {}


def test_bkav_signature_shows_tax_code_and_citizen_id() -> None:
    pki = DemoPki.create(seed=19, now=NOW - timedelta(days=30))
    signer = pki.issue_citizen(
        "NGUYỄN THỊ LAN", "0801206940-CMND:030084004974", provider="Bkav", id_prefix="MST"
    )
    form = make_form_pdf("HỢP ĐỒNG LAO ĐỘNG", [("Người lao động", "Nguyễn Thị Lan")])
    report = inspect_pdf(
        sign_pdf(form, signer, signing_time=NOW - timedelta(hours=1)),
        TrustStore.of([pki.root_asn1()]),
        InspectOptions(moment=NOW),
    )
    (sig,) = report.signatures
    assert sig.verdict is Verdict.VALID
    assert sig.signer is not None
    assert (sig.signer.tax_code, sig.signer.citizen_id) == ("0801206940", "030084004974")
    assert sig.signer.issuer == "DEMO BkavCA"


def test_signer_is_read_from_a_cms_whose_signer_info_is_damaged() -> None:
    pki = DemoPki.create(seed=19, now=NOW - timedelta(days=30))
    signer = pki.issue_citizen("TRẦN VĂN BA", "001090009999")
    data = sign_pdf(make_form_pdf("ĐƠN", [("Họ tên", "Trần Văn Ba")]), signer, signing_time=NOW)
    start = data.index(b"/Contents <") + len(b"/Contents <")
    contents = bytes.fromhex(data[start : data.index(b">", start)].decode())
    # Cut the CMS after its certificates: the SignerInfo is gone, the certificates remain.
    cut = contents[: contents.rindex(signer.der) + len(signer.der) + 40]
    found = embedded_signer(cut)
    assert found is not None
    assert (found.name, found.citizen_id) == ("TRẦN VĂN BA", "001090009999")
    assert found.certificate_der == signer.der
    assert embedded_signer(b"\x30\x03\x02\x01\x00") is None
