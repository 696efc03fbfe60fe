"""The demo PKI imitates the Vietnamese national PKI closely enough to exercise the engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from intake_desktop.demo.pki import DEMO_ROOT_NAME, PROVIDERS, DemoPki
from intake_desktop.services.signatures.certificates import parse_certificates, signer_info

NOW = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create(seed=7, now=NOW)


def _subject_attr(cert: asn1_x509.Certificate, oid: str) -> asn1_x509.NameTypeAndValue:
    for rdn in cert.subject.chosen:
        for attr in rdn:
            if attr["type"].dotted == oid:
                return attr
    raise AssertionError(f"{oid} not in subject")


def test_every_authority_is_marked_demo(pki: DemoPki) -> None:
    assert pki.root.common_name == DEMO_ROOT_NAME
    names = {ca.common_name for ca in pki.providers.values()}
    assert names == {"DEMO VNPT-CA", "DEMO Viettel-CA", "DEMO FPT-CA", "DEMO BkavCA"}
    assert set(pki.providers) == set(PROVIDERS)
    for ca in [pki.root, *pki.providers.values()]:
        assert ca.common_name.startswith("DEMO ")
        assert ca.cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_same_seed_gives_the_same_root_whatever_the_day() -> None:
    a = DemoPki.create(seed=3, now=NOW)
    b = DemoPki.create(seed=3, now=NOW + timedelta(days=40))
    assert a.root_der() == b.root_der()
    assert a.providers["FPT"].der == b.providers["FPT"].der
    assert DemoPki.create(seed=4, now=NOW).root_der() != a.root_der()


def test_an_untrusted_pki_is_independent(pki: DemoPki) -> None:
    other = DemoPki.untrusted(seed=7, now=NOW)
    assert other.root.common_name != pki.root.common_name
    # Same provider names, different keys: its certificates cannot chain to our root.
    assert other.providers["VNPT"].common_name == pki.providers["VNPT"].common_name
    assert other.providers["VNPT"].cert.public_key() != pki.providers["VNPT"].cert.public_key()


def test_citizen_certificate_carries_the_cccd_in_uid(pki: DemoPki) -> None:
    an = pki.issue_citizen("Nguyễn Văn An", "001090001234", province="HÀ NỘI")
    cert = an.asn1
    cn = _subject_attr(cert, NameOID.COMMON_NAME.dotted_string)
    assert cn["value"].native == "NGUYỄN VĂN AN"
    assert cn["value"].name == "utf8_string"
    assert _subject_attr(cert, NameOID.USER_ID.dotted_string)["value"].native == (
        "CCCD:001090001234"
    )
    assert cert.subject.native["country_name"] == "VN"
    assert cert.subject.native["state_or_province_name"] == "HÀ NỘI"
    assert cert.issuer.native["common_name"] == "DEMO VNPT-CA"
    # What the engine reads from it.
    info = signer_info(cert)
    assert (info.name, info.citizen_id, info.issuer) == (
        "NGUYỄN VĂN AN",
        "001090001234",
        "DEMO VNPT-CA",
    )


def test_cmnd_in_serial_number_and_organisation_tax_code(pki: DemoPki) -> None:
    old_card = pki.issue_citizen(
        "Lê Thị Hoa", "025123456", id_attribute="serial_number", id_prefix="CMND"
    )
    assert old_card.cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == (
        "CMND:025123456"
    )
    assert signer_info(old_card.asn1).citizen_id == "025123456"
    company = pki.issue_organisation("CÔNG TY TNHH AN BÌNH", "0101234567", provider="Bkav")
    info = signer_info(company.asn1)
    assert (info.name, info.tax_code, info.citizen_id) == (
        "CÔNG TY TNHH AN BÌNH",
        "0101234567",
        None,
    )


def test_citizen_certificate_extensions_and_chain(pki: DemoPki) -> None:
    binh = pki.issue_citizen("Trần Thị Bình", "079185004321", provider="Viettel")
    ext = binh.cert.extensions
    usage = ext.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert not ext.get_extension_for_class(x509.BasicConstraints).value.ca
    eku = ext.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH in eku
    issuer = pki.providers["Viettel"].cert
    aki = ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert aki == ski
    assert binh.chain == (issuer, pki.root.cert)
    binh.cert.verify_directly_issued_by(issuer)
    issuer.verify_directly_issued_by(pki.root.cert)
    assert isinstance(binh.key, ec.EllipticCurvePrivateKey)
    assert binh.cert.not_valid_before_utc <= NOW < binh.cert.not_valid_after_utc


def test_repeated_requests_get_distinct_serials(pki: DemoPki) -> None:
    first = pki.issue_citizen("Phạm Minh Châu", "031200001111")
    second = pki.issue_citizen("Phạm Minh Châu", "031200001111")
    assert first.cert.serial_number != second.cert.serial_number


def test_rsa_expired_and_self_signed_variants(pki: DemoPki) -> None:
    rsa_signer = pki.issue_citizen("Đỗ Văn Dũng", "040095002222", key_type="rsa")
    assert isinstance(rsa_signer.key, rsa.RSAPrivateKey)
    assert rsa_signer.key.key_size == 2048
    expired = pki.issue_expired("Hoàng Thị Em", "001195003333", expired_days_ago=10)
    assert expired.cert.not_valid_after_utc == NOW - timedelta(days=10)
    forged = pki.issue_self_signed("Nguyễn Văn An", "001090001234")
    assert forged.cert.issuer == forged.cert.subject
    assert forged.chain == ()
    with pytest.raises(KeyError, match="MISA"):
        pki.issue_citizen("Vũ Văn Giang", "001090004444", provider="MISA")


def test_tsa_certificate_is_for_timestamping_only(pki: DemoPki) -> None:
    eku = pki.tsa.cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    pki.tsa.cert.verify_directly_issued_by(pki.root.cert)


def test_write_exports_pem_files_the_trust_store_can_read(pki: DemoPki, tmp_path: Path) -> None:
    paths = pki.write(tmp_path / "trust")
    assert {p.name for p in paths} >= {"demo-root-ca.pem", "demo-vnpt-ca.pem", "demo-tsa.pem"}
    (root,) = parse_certificates((tmp_path / "trust" / "demo-root-ca.pem").read_bytes())
    assert root.dump() == pki.root_der()
    assert pki.root_pem().startswith(b"-----BEGIN CERTIFICATE-----")
    signer_files = pki.issue_citizen("Nguyễn Văn An", "001090001234").write(tmp_path / "an")
    assert [p.name for p in signer_files] == ["signer.pem", "signer-chain.pem", "signer.key.pem"]
    assert len(parse_certificates(signer_files[1].read_bytes())) == 2
