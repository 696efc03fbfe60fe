"""Trust anchors: the shipped Vietnamese roots, imports from PEM/DER/P7B, the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from asn1crypto import cms

from intake_desktop.demo.pki import DemoPki
from intake_desktop.paths import resource
from intake_desktop.services.signatures.certificates import (
    CertificateFileError,
    fingerprint,
    load_certificate_files,
    parse_certificates,
)
from intake_desktop.services.signatures.trust import (
    TrustManifestError,
    TrustStore,
    builtin_trust,
    shipped_certificates,
)
from intake_desktop.services.trust_anchors import current_trust, import_anchors
from intake_desktop.store.db import open_store


def test_shipped_roots_are_exactly_the_manifest() -> None:
    shipped = shipped_certificates()
    manifest = (resource("trust") / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(shipped) == len(manifest) == 13
    anchors = {s.file for s in shipped if s.role == "anchor"}
    assert "vietnam-national-root-ca-g2.pem" in anchors
    assert "vgca-rootca-chuyen-dung-chinh-phu-g2.pem" in anchors
    assert "vnpt-ca-sha2.pem" not in anchors  # intermediates only help build chains
    for item in shipped:
        if item.role == "anchor":
            assert item.certificate.self_signed != "no", item.file


def test_shipped_copies_match_the_shared_originals() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "trust" / "vn"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    for item in shipped_certificates():
        (original,) = parse_certificates((shared / item.file).read_bytes())
        assert fingerprint(original) == fingerprint(item.certificate)


def test_a_file_that_differs_from_the_manifest_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "trust"
    shutil.copytree(resource("trust"), folder)
    other = DemoPki.create(seed=5)
    (folder / "vnpt-ca-sha2.pem").write_bytes(other.root_pem())
    with pytest.raises(TrustManifestError, match="fingerprint"):
        shipped_certificates(folder)


def test_builtin_trust_version_is_stable_and_changes_with_anchors() -> None:
    a, b = builtin_trust(), builtin_trust()
    assert a.version == b.version and len(a.anchors) == 9 and len(a.intermediates) == 4
    extra = DemoPki.create(seed=6).root_asn1()
    assert a.with_anchors([extra]).version != a.version
    assert a.with_anchors([extra]).with_anchors([extra]).version == a.with_anchors([extra]).version


def test_parse_pem_der_and_p7b(tmp_path: Path) -> None:
    pki = DemoPki.create(seed=8)
    (root,) = parse_certificates(pki.root_pem())
    assert parse_certificates(pki.root_der())[0].dump() == root.dump()
    bundle = cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": cms.SignedData(
                {
                    "version": "v1",
                    "digest_algorithms": [],
                    "encap_content_info": {"content_type": "data"},
                    "certificates": [root, *parse_certificates(pki.ca_chain_pem())],
                    "signer_infos": [],
                }
            ),
        }
    ).dump()
    p7b = tmp_path / "chain.p7b"
    p7b.write_bytes(bundle)
    assert len(load_certificate_files(p7b)) >= 2
    with pytest.raises(CertificateFileError):
        parse_certificates(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(CertificateFileError):
        parse_certificates(b"hello")


def test_supervisor_imports_a_root_into_the_store(tmp_path: Path) -> None:
    pki = DemoPki.create(seed=9)
    pem = tmp_path / "provider-root.pem"
    pem.write_bytes(pki.root_pem())
    with open_store(tmp_path / "store.sqlite3") as store:
        before = current_trust(store)
        (record,) = import_anchors(store, pem)
        after = current_trust(store)
    assert record.fingerprint == fingerprint(pki.root_asn1())
    assert after.version != before.version
    assert fingerprint(pki.root_asn1()) in {fingerprint(c) for c in after.anchors}
    assert isinstance(after, TrustStore)
