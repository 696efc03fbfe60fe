"""Online revocation checks (``--online``) against a real OCSP responder on this machine.

The test CA answers OCSP over HTTP on 127.0.0.1 with responses it signs itself, the way a
provider's responder does, and serves its CRL; certificates name them in their Authority
Information Access and CRL Distribution Points.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from intake_desktop.demo.documents import BIRTH_REGISTRATION_FIELDS, make_form_pdf
from intake_desktop.demo.pki import SignerIdentity, key_usage
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import (
    InspectOptions,
    RevocationStatus,
    SignatureReport,
    TrustStatus,
    TrustStore,
    Verdict,
    inspect_pdf,
)

NOW = datetime.now(UTC).replace(microsecond=0)


class _Ca:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TEST OCSP Root CA")])
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - timedelta(days=365))
            .not_valid_after(NOW + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(key_usage(ca=True), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        self.issued: dict[int, x509.Certificate] = {}
        self.revoked: dict[int, datetime] = {}
        self.requests = 0

    def issue(
        self, name: str, citizen_id: str, ocsp_url: str | None, crl_url: str | None = None
    ) -> SignerIdentity:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                        x509.NameAttribute(NameOID.COMMON_NAME, name),
                        x509.NameAttribute(NameOID.USER_ID, f"CCCD:{citizen_id}"),
                    ]
                )
            )
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - timedelta(days=30))
            .not_valid_after(NOW + timedelta(days=700))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage(ca=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        )
        if ocsp_url is not None:
            access = x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
            )
            builder = builder.add_extension(
                x509.AuthorityInformationAccess([access]), critical=False
            )
        if crl_url is not None:
            point = x509.DistributionPoint(
                [x509.UniformResourceIdentifier(crl_url)], None, None, None
            )
            builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
        cert = builder.sign(self.key, hashes.SHA256())
        self.issued[cert.serial_number] = cert
        return SignerIdentity(
            cert=cert, key=key, chain=(self.cert,), name=name, citizen_id=citizen_id
        )

    def answer(self, body: bytes) -> bytes:
        """The signed OCSP response to a DER request, as a provider's responder gives it."""
        self.requests += 1
        request = ocsp.load_der_ocsp_request(body)
        cert = self.issued[request.serial_number]
        revoked_at = self.revoked.get(cert.serial_number)
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=cert,
            issuer=self.cert,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=NOW - timedelta(minutes=5),
            next_update=NOW + timedelta(days=1),
            revocation_time=revoked_at,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.cert)
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        response = builder.sign(self.key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    def crl(self) -> bytes:
        """The CA's current CRL (DER)."""
        self.requests += 1
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(NOW - timedelta(minutes=5))
            .next_update(NOW + timedelta(days=1))
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .add_extension(x509.CRLNumber(self.requests), critical=False)
        )
        for serial, revoked_at in self.revoked.items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(revoked_at)
                .build()
            )
        crl = builder.sign(self.key, hashes.SHA256())
        return crl.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def ca() -> _Ca:
    return _Ca()


@pytest.fixture(scope="module")
def responder(ca: _Ca) -> Iterator[str]:
    """The CA's OCSP responder on a free local port: its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            data = ca.answer(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/ocsp-response")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            data = ca.crl()
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more


def _check(ca: _Ca, signer: SignerIdentity, *, online: bool = True) -> SignatureReport:
    form = make_form_pdf("TỜ KHAI ĐĂNG KÝ KHAI SINH", BIRTH_REGISTRATION_FIELDS)
    signed = sign_pdf(form, signer, signing_time=NOW - timedelta(hours=1))
    trust = TrustStore.of(
        [asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))]
    )
    report = inspect_pdf(signed, trust, InspectOptions(online=online))
    (signature,) = report.signatures
    return signature


def _codes(signature: SignatureReport) -> set[str]:
    return {r.code for r in signature.reasons}


def test_a_good_answer_from_the_responder_means_not_revoked(ca: _Ca, responder: str) -> None:
    before = ca.requests
    signature = _check(ca, ca.issue("NGUYỄN VĂN AN", "001090001234", f"{responder}/ocsp"))
    assert ca.requests > before  # really asked
    assert signature.trust is TrustStatus.TRUSTED
    assert signature.revocation is RevocationStatus.GOOD
    assert signature.verdict is Verdict.VALID, signature.reasons
    assert not {"revocation_not_checked", "revocation_unreachable"} & _codes(signature)


def test_a_revoked_certificate_makes_the_signature_invalid(ca: _Ca, responder: str) -> None:
    signer = ca.issue("TRẦN THỊ BÌNH", "001190005678", f"{responder}/ocsp")
    ca.revoked[signer.cert.serial_number] = NOW - timedelta(minutes=30)
    signature = _check(ca, signer)
    assert signature.trust is TrustStatus.REVOKED
    assert signature.revocation is RevocationStatus.REVOKED
    assert signature.verdict is Verdict.INVALID
    assert "certificate_revoked" in _codes(signature)


def test_an_unreachable_responder_is_not_taken_for_a_good_answer(ca: _Ca) -> None:
    signature = _check(ca, ca.issue("LÊ VĂN CƯỜNG", "001090009999", _closed_port_url()))
    assert signature.revocation is RevocationStatus.UNKNOWN
    assert "revocation_unreachable" in _codes(signature)
    assert signature.verdict is Verdict.VALID_WITH_WARNINGS


def test_a_certificate_naming_no_responder_is_not_checked(ca: _Ca) -> None:
    signature = _check(ca, ca.issue("PHẠM THỊ DUNG", "001190004321", None))
    assert signature.trust is TrustStatus.TRUSTED
    assert signature.revocation is RevocationStatus.NOT_CHECKED
    assert "revocation_no_service" in _codes(signature)
    assert signature.verdict is Verdict.VALID


def test_offline_nothing_is_asked(ca: _Ca, responder: str) -> None:
    before = ca.requests
    signature = _check(
        ca, ca.issue("HOÀNG VĂN EM", "001090007777", f"{responder}/ocsp"), online=False
    )
    assert ca.requests == before
    assert signature.revocation is RevocationStatus.NOT_CHECKED
    assert "revocation_not_checked" in _codes(signature)


def test_a_crl_lists_a_revoked_certificate_and_not_a_good_one(ca: _Ca, responder: str) -> None:
    revoked = ca.issue("VŨ THỊ GIANG", "001190002468", None, crl_url=f"{responder}/ca.crl")
    ca.revoked[revoked.cert.serial_number] = NOW - timedelta(minutes=30)
    good = ca.issue("ĐỖ VĂN HÙNG", "001090001357", None, crl_url=f"{responder}/ca.crl")
    before = ca.requests
    assert _check(ca, good).revocation is RevocationStatus.GOOD
    assert ca.requests > before
    signature = _check(ca, revoked)
    assert signature.trust is TrustStatus.REVOKED
    assert signature.verdict is Verdict.INVALID


def test_an_unreachable_crl_is_not_taken_for_a_good_answer(ca: _Ca) -> None:
    signer = ca.issue("BÙI THỊ LAN", "001190008642", None, crl_url=f"{_closed_port_url()}/ca.crl")
    signature = _check(ca, signer)
    assert signature.revocation is RevocationStatus.UNKNOWN
    assert "revocation_unreachable" in _codes(signature)
