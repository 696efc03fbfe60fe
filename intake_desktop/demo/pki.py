"""A demo imitation of the Vietnamese national PKI, clearly marked DEMO.

One demo root ("DEMO Vietnam National Root CA") issues four provider CAs named like the real
remote-signing providers but prefixed "DEMO", plus a timestamping unit (TSA). Provider CAs
issue citizen and organisation certificates whose subjects look like real Vietnamese ones:
``C=VN, ST=<province>, L=<locality>, CN=NGUYỄN VĂN AN, UID=CCCD:001090001234``.

Determinism: everything is derived from ``(seed, root_name)``. ECDSA keys are derived from a
hash of the seed and the certificate's role, RSA keys from primes searched deterministically
from the same hash (slower, so cached per process), and certificates are signed with
deterministic ECDSA (RFC 6979) or PKCS#1 v1.5, so the same inputs give byte-identical
certificates; :class:`DemoSigner` signs documents with deterministic ECDSA too. The CAs have
fixed validity windows (root 2020-2045, providers and TSA 2021-2040, recentred only when
``now`` comes near their ends), hence a stable root fingerprint whatever the day; end-entity
validity is relative to ``now``.

Two instances with different ``root_name`` (or seed) are independent PKIs: use one as the
trusted root and the other to sign documents that must fail trust.
"""

from __future__ import annotations

import collections
import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign import signers
from pyhanko.sign.general import as_signing_certificate, simple_cms_attribute
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

KeyType = Literal["ecdsa", "rsa"]
IdAttribute = Literal["uid", "serial_number"]
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

DEMO_ROOT_NAME = "DEMO Vietnam National Root CA"
UNTRUSTED_ROOT_NAME = "DEMO Untrusted Root CA"
DEMO_MARK = "DEMO PKI - chỉ dùng thử nghiệm"
"""Organisational unit of every demo CA: says plainly that it is not a real authority."""

VN_TZ = timezone(timedelta(hours=7), "ICT")
"""Vietnam time (UTC+7, no daylight saving)."""

# Fixed CA validity so the root's fingerprint does not depend on the day it was generated.
_CA_NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
_CA_NOT_AFTER = datetime(2045, 1, 1, tzinfo=UTC)
_SUB_CA_NOT_BEFORE = datetime(2021, 1, 1, tzinfo=UTC)
_SUB_CA_NOT_AFTER = datetime(2040, 1, 1, tzinfo=UTC)

_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_RSA_E = 65537


@dataclass(frozen=True)
class ProviderProfile:
    """How a demo certificate provider names itself."""

    common_name: str
    organization: str


PROVIDERS: dict[str, ProviderProfile] = {
    "VNPT": ProviderProfile("DEMO VNPT-CA", "DEMO VNPT Group"),
    "Viettel": ProviderProfile("DEMO Viettel-CA", "DEMO Viettel Group"),
    "FPT": ProviderProfile("DEMO FPT-CA", "DEMO FPT Information System"),
    "Bkav": ProviderProfile("DEMO BkavCA", "DEMO Bkav Corporation"),
}
"""Provider key (as used by :meth:`DemoPki.issue_citizen`) to its demo CA's names."""


# --- key material ---------------------------------------------------------------------------


def _digest(*parts: object) -> bytes:
    h = hashlib.sha256()
    for part in parts:
        data = str(part).encode("utf-8")
        h.update(len(data).to_bytes(4, "big") + data)
    return h.digest()


def _stream(label: bytes) -> Iterator[bytes]:
    """Endless deterministic byte blocks (SHA-512 in counter mode)."""
    counter = 0
    while True:
        yield hashlib.sha512(label + counter.to_bytes(8, "big")).digest()
        counter += 1


def _ec_key(label: bytes) -> ec.EllipticCurvePrivateKey:
    value = int.from_bytes(hashlib.sha512(label).digest(), "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(value, ec.SECP256R1())


@functools.cache
def _small_primes(limit: int = 1 << 16) -> list[int]:
    sieve = bytearray([1]) * limit
    sieve[:2] = b"\x00\x00"
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return [i for i in range(3, limit) if sieve[i]]


# Candidates are pseudo-random, not adversarial: a handful of Miller-Rabin bases is plenty.
_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19)


def _probably_prime(n: int) -> bool:
    if pow(2, n - 1, n) != 1:  # cheap Fermat filter: almost every composite stops here
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(label: bytes, bits: int) -> int:
    """A deterministic prime of exactly ``bits`` bits, top two bits set (so p*q has 2*bits)."""
    window = 4096
    blocks = _stream(label)
    while True:
        raw = b"".join(next(blocks) for _ in range((bits + 511) // 512))
        start = (int.from_bytes(raw, "big") >> (len(raw) * 8 - bits)) | (3 << (bits - 2)) | 1
        # Sieve the odd numbers start + 2i with small primes; test the survivors.
        composite = bytearray(window)
        for p in _small_primes():
            first = (-start * pow(2, -1, p)) % p
            composite[first::p] = b"\x01" * len(range(first, window, p))
        for i in range(window):
            candidate = start + 2 * i
            if composite[i] or (candidate - 1) % _RSA_E == 0:
                continue
            if candidate.bit_length() != bits:
                break
            if _probably_prime(candidate):
                return candidate


@functools.lru_cache(maxsize=256)
def _rsa_key(label: bytes, bits: int = 2048) -> rsa.RSAPrivateKey:
    # Deterministic but slow (~0.1 s): cached for the life of the process.
    p = _prime(label + b"/p", bits // 2)
    q = _prime(label + b"/q", bits // 2)
    if p == q:  # pragma: no cover - astronomically unlikely
        raise ValueError("degenerate RSA key")
    p, q = max(p, q), min(p, q)
    d = pow(_RSA_E, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(_RSA_E, p * q),
    )
    return numbers.private_key()


def _make_key(key_type: KeyType, label: bytes) -> PrivateKey:
    if key_type == "ecdsa":
        return _ec_key(label)
    if key_type == "rsa":
        return _rsa_key(label)
    raise ValueError(f"unknown key type {key_type!r}: use 'ecdsa' or 'rsa'")


# --- certificates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertifiedKey:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: PrivateKey = field(repr=False)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def asn1(self) -> asn1_x509.Certificate:
        """The certificate as asn1crypto (what pyHanko and the engine use)."""
        return asn1_x509.Certificate.load(self.der)

    @property
    def common_name(self) -> str:
        attrs = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(attrs[0].value) if attrs else self.cert.subject.rfc4514_string()

    def key_der(self) -> bytes:
        """Unencrypted PKCS#8 DER of the private key."""
        return self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def key_pem(self) -> bytes:
        """Unencrypted PKCS#8 PEM of the private key (demo keys only!)."""
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def key_asn1(self) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(self.key_der())


@dataclass(frozen=True)
class Ca(CertifiedKey):
    """A demo certificate authority: the root or one provider."""

    provider: str = ""
    """Key in :data:`PROVIDERS` ("VNPT", …), empty for the root."""


class DemoSigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, with deterministic ECDSA (RFC 6979) signatures.

    With a fixed signing time this makes signed PDFs byte-for-byte reproducible.
    """

    _loaded_key: PrivateKey | None = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        key = self._loaded_key
        if key is None:
            key = self._loaded_key = _load_private_key(self.signing_key.dump())
        if isinstance(key, ec.EllipticCurvePrivateKey):
            algorithm = ec.ECDSA(
                get_pyca_cryptography_hash(digest_algorithm), deterministic_signing=True
            )
            return key.sign(data, algorithm)
        signature: bytes = super().sign_raw(data, digest_algorithm)
        return signature


@dataclass(frozen=True)
class SignerIdentity(CertifiedKey):
    """A signer's certificate, key and the chain that issued it (issuer first, root last)."""

    chain: tuple[x509.Certificate, ...] = ()
    """Issuing CA then root; empty for a self-signed certificate."""
    name: str = ""
    """Common name as written in the certificate (e.g. ``NGUYỄN VĂN AN``)."""
    citizen_id: str | None = None
    tax_code: str | None = None
    provider: str | None = None
    _signers: dict[bool, signers.SimpleSigner] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def chain_asn1(self) -> list[asn1_x509.Certificate]:
        return [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in self.chain
        ]

    def simple_signer(self, *, embed_roots: bool = True) -> signers.SimpleSigner:
        """Return a pyHanko signer that embeds this certificate and its chain in the CMS.

        Real remote-signing services embed the provider CA and usually the root too;
        ``embed_roots=False`` leaves self-signed certificates out. The signer is made once per
        identity and option (building its certificate store is a good part of a signature's
        cost) and holds no per-signature state.
        """
        signer = self._signers.get(embed_roots)
        if signer is None:
            signer = DemoSigner(
                signing_cert=self.asn1,
                signing_key=self.key_asn1(),
                cert_registry=SimpleCertificateStore.from_certs(self.chain_asn1),  # type: ignore[no-untyped-call]
                embed_roots=embed_roots,
            )
            self._signers[embed_roots] = signer
        return signer

    def write(self, folder: Path, stem: str = "signer") -> list[Path]:
        """Write ``<stem>.pem`` (certificate), ``<stem>-chain.pem`` and ``<stem>.key.pem``."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / f"{stem}.pem", folder / f"{stem}-chain.pem", folder / f"{stem}.key.pem"]
        paths[0].write_bytes(self.pem)
        paths[1].write_bytes(
            b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)
        )
        paths[2].write_bytes(self.key_pem())
        return paths


def _load_private_key(der: bytes) -> PrivateKey:
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise TypeError(f"unsupported demo key type {type(key).__name__}")
    return key


# Loading checks an RSA key (~40 ms), which pyHanko's dummy TSA did for every token.
_tsa_key = functools.lru_cache(maxsize=8)(_load_private_key)


class DemoTimeStamper(DummyTimeStamper):
    """pyHanko's in-process TSA; with a fixed time its tokens are reproducible.

    pyHanko's dummy TSA picks a random token serial number; with ``fixed_dt`` we derive it
    from the message imprint instead, and the request carries no nonce. It also loads its
    RSA key for every token (most of a timestamp's cost); we keep the loaded key.
    """

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: datetime
    ) -> tuple[bytes, asn1_cms.CMSAttributes]:
        # pyHanko's own method, with the cached key.
        key = _tsa_key(self.tsa_key.dump())
        if not isinstance(key, rsa.RSAPrivateKey):
            raise NotImplementedError("the dummy timestamper is RSA-only")
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        attribute: Callable[[str, object], asn1_cms.CMSAttribute] = simple_cms_attribute
        signed_attrs = asn1_cms.CMSAttributes(
            [
                attribute("content_type", "tst_info"),
                attribute("signing_time", asn1_cms.Time({"utc_time": asn1_core.UTCTime(dt)})),
                attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
                attribute("message_digest", digest.finalize()),
            ]
        )
        signature = key.sign(
            signed_attrs.dump(),
            padding.PKCS1v15(),
            get_pyca_cryptography_hash(md_algorithm.upper()),
        )
        return signature, signed_attrs

    def _build_tst_info(
        self, message_imprint: asn1_tsp.MessageImprint, dt: datetime, req: asn1_tsp.TimeStampReq
    ) -> asn1_tsp.TSTInfo:
        info = super()._build_tst_info(message_imprint, dt, req)
        if self.fixed_dt is not None:
            serial = _digest("tst", message_imprint.dump().hex(), dt.isoformat())
            info["serial_number"] = int.from_bytes(serial[:8], "big")
        return info


def _name(*attrs: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attrs])


def _ca_name(common_name: str, organization: str) -> x509.Name:
    return _name(
        (NameOID.COUNTRY_NAME, "VN"),
        (NameOID.ORGANIZATION_NAME, organization),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
        (NameOID.COMMON_NAME, common_name),
    )


def _serial(*parts: object) -> int:
    # 127 bits, never zero: positive and well under the 20-octet limit.
    return (int.from_bytes(_digest("serial", *parts)[:16], "big") >> 1) | 1


def _sign(builder: x509.CertificateBuilder, issuer_key: PrivateKey) -> x509.Certificate:
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        return builder.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)
    return builder.sign(issuer_key, hashes.SHA256())


def key_usage(*, ca: bool, non_repudiation: bool = True) -> x509.KeyUsage:
    """Key usage of a CA, or of a signer's certificate (with non-repudiation by default)."""
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=non_repudiation and not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _build(
    *,
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    issuer_key: PrivateKey,
    serial: int,
    not_before: datetime,
    not_after: datetime,
    ca: bool,
    path_length: int | None = None,
    non_repudiation: bool = True,
    eku: list[x509.ObjectIdentifier] | None = None,
    eku_critical: bool = False,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(key_usage(ca=ca, non_repudiation=non_repudiation), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
    return _sign(builder, issuer_key)


def _window(start: datetime, end: datetime, moment: datetime) -> tuple[datetime, datetime]:
    """A CA's fixed validity, unless ``moment`` is near or beyond its ends (then centred)."""
    year = timedelta(days=366)
    if start + year <= moment <= end - 5 * year:
        return start, end
    return moment - 5 * year, moment + 15 * year


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("use timezone-aware datetimes (e.g. tzinfo=VN_TZ)")
    return moment.astimezone(UTC).replace(microsecond=0)


# --- the PKI --------------------------------------------------------------------------------


@dataclass
class DemoPki:
    """A demo root, four provider CAs and a TSA; issues citizen certificates.

    Build one with :meth:`create`. Not thread-safe while issuing (a counter keeps serial
    numbers of repeated identical requests distinct).
    """

    seed: int
    root_name: str
    now: datetime
    """Reference time for end-entity validity (UTC, whole seconds)."""
    key_type: KeyType
    root: Ca
    providers: dict[str, Ca]
    _issued: collections.Counter[str] = field(default_factory=collections.Counter, repr=False)

    @classmethod
    def create(
        cls,
        seed: int = 0,
        now: datetime | None = None,
        key_type: KeyType = "ecdsa",
        root_name: str = DEMO_ROOT_NAME,
    ) -> DemoPki:
        """Build the root and the provider CAs.

        ``now`` defaults to the start of the current UTC day, so repeated runs on one day give
        identical end-entity certificates. ``key_type`` applies to the CAs; each end-entity
        certificate picks its own.
        """
        moment = _utc(now) if now is not None else _today()
        root_key = _make_key(key_type, _digest(seed, root_name, "root", key_type))
        root_subject = _ca_name(root_name, "DEMO National Electronic Authentication Centre")
        root_window = _window(_CA_NOT_BEFORE, _CA_NOT_AFTER, moment)
        sub_window = _window(_SUB_CA_NOT_BEFORE, _SUB_CA_NOT_AFTER, moment)
        root_cert = _build(
            subject=root_subject,
            issuer=root_subject,
            public_key=root_key.public_key(),
            issuer_key=root_key,
            serial=_serial(seed, root_name, "root"),
            not_before=root_window[0],
            not_after=root_window[1],
            ca=True,
        )
        root = Ca(cert=root_cert, key=root_key)
        providers: dict[str, Ca] = {}
        for provider, profile in PROVIDERS.items():
            key = _make_key(key_type, _digest(seed, root_name, "provider", provider, key_type))
            cert = _build(
                subject=_ca_name(profile.common_name, profile.organization),
                issuer=root_subject,
                public_key=key.public_key(),
                issuer_key=root_key,
                serial=_serial(seed, root_name, "provider", provider),
                not_before=sub_window[0],
                not_after=sub_window[1],
                ca=True,
                path_length=0,
            )
            providers[provider] = Ca(cert=cert, key=key, provider=provider)
        return cls(
            seed=seed,
            root_name=root_name,
            now=moment,
            key_type=key_type,
            root=root,
            providers=providers,
        )

    @classmethod
    def untrusted(cls, seed: int = 0, now: datetime | None = None) -> DemoPki:
        """An independent PKI (root "DEMO Untrusted Root CA") for signatures that must not chain
        to the demo root, though its provider CAs carry the same names."""
        return cls.create(seed=seed, now=now, root_name=UNTRUSTED_ROOT_NAME)

    # -- trust store helpers --

    def root_pem(self) -> bytes:
        return self.root.pem

    def root_der(self) -> bytes:
        return self.root.der

    def root_asn1(self) -> asn1_x509.Certificate:
        return self.root.asn1

    def validation_context(self, moment: datetime | None = None) -> ValidationContext:
        """A pyHanko validation context trusting only this PKI's root, offline."""
        return ValidationContext(
            trust_roots=[self.root_asn1()], allow_fetching=False, moment=moment
        )

    def ca_chain_pem(self) -> bytes:
        """The provider CAs' certificates, concatenated PEM (intermediates, not anchors)."""
        return b"".join(ca.pem for ca in self.providers.values())

    def write(self, folder: Path) -> list[Path]:
        """Export the root, provider CAs and TSA certificate as PEM files; return their paths.

        Private keys are not written (:meth:`SignerIdentity.write` does that for a signer).
        """
        folder.mkdir(parents=True, exist_ok=True)
        out: list[Path] = []
        files = [("demo-root-ca.pem", self.root.pem)]
        files += [(f"demo-{p.lower()}-ca.pem", ca.pem) for p, ca in self.providers.items()]
        files.append(("demo-tsa.pem", self.tsa.pem))
        for file_name, data in files:
            path = folder / file_name
            path.write_bytes(data)
            out.append(path)
        return out

    # -- timestamping --

    @functools.cached_property
    def tsa(self) -> CertifiedKey:
        """The demo timestamping unit, issued by the root (RSA: pyHanko's dummy TSA needs it)."""
        key = _rsa_key(_digest(self.seed, self.root_name, "tsa"))
        not_before, not_after = _window(_SUB_CA_NOT_BEFORE, _SUB_CA_NOT_AFTER, self.now)
        cert = _build(
            subject=_ca_name("DEMO Vietnam National Time-Stamping Authority", "DEMO NEAC"),
            issuer=self.root.cert.subject,
            public_key=key.public_key(),
            issuer_key=self.root.key,
            serial=_serial(self.seed, self.root_name, "tsa"),
            not_before=not_before,
            not_after=not_after,
            ca=False,
            non_repudiation=False,
            eku=[ExtendedKeyUsageOID.TIME_STAMPING],
            eku_critical=True,  # RFC 3161 § 2.3: the TSA's EKU must be critical
        )
        return CertifiedKey(cert=cert, key=key)

    def timestamper(self, fixed_time: datetime | None = None) -> DemoTimeStamper:
        """Return an in-process RFC 3161 timestamper signing with the demo TSA.

        With ``fixed_time`` every token carries that time and is reproducible; otherwise the
        current time and a random serial.
        """
        return DemoTimeStamper(
            tsa_cert=self.tsa.asn1,
            tsa_key=self.tsa.key_asn1(),
            fixed_dt=fixed_time,
            include_nonce=fixed_time is None,
        )

    # -- end entities --

    def issue_citizen(
        self,
        name: str,
        citizen_id: str,
        *,
        provider: str = "VNPT",
        key_type: KeyType = "ecdsa",
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        id_attribute: IdAttribute = "uid",
        id_prefix: str = "CCCD",
        province: str = "HÀ NỘI",
        locality: str | None = "Quận Cầu Giấy",
        uppercase: bool = True,
        non_repudiation: bool = True,
    ) -> SignerIdentity:
        """Issue a citizen's remote-signing certificate from a provider CA.

        ``citizen_id`` is the bare number (CCCD: 12 digits, CMND: 9 digits); the subject carries
        ``"<id_prefix>:<citizen_id>"`` in UID (default) or serialNumber. The name is upper-cased
        as Vietnamese providers write it unless ``uppercase=False``. Validity defaults to 30 days
        before ``now`` until two years after.

        Raises ``KeyError`` for an unknown provider (see :data:`PROVIDERS`).
        """
        common_name = name.upper() if uppercase else name
        id_oid = NameOID.USER_ID if id_attribute == "uid" else NameOID.SERIAL_NUMBER
        attrs: list[tuple[x509.ObjectIdentifier, str]] = [
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.STATE_OR_PROVINCE_NAME, province),
        ]
        if locality:
            attrs.append((NameOID.LOCALITY_NAME, locality))
        attrs += [(NameOID.COMMON_NAME, common_name), (id_oid, f"{id_prefix}:{citizen_id}")]
        return self._issue_end_entity(
            subject=_name(*attrs),
            provider=provider,
            key_type=key_type,
            not_before=not_before,
            not_after=not_after,
            non_repudiation=non_repudiation,
            name=common_name,
            citizen_id=citizen_id,
            tax_code=None,
        )

    def issue_organisation(
        self,
        name: str,
        tax_code: str,
        *,
        provider: str = "VNPT",
        key_type: KeyType = "ecdsa",
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        province: str = "HÀ NỘI",
        locality: str | None = None,
    ) -> SignerIdentity:
        """Issue an organisation's certificate: ``O=CN=<name>``, ``UID=MST:<tax_code>``."""
        attrs: list[tuple[x509.ObjectIdentifier, str]] = [
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.STATE_OR_PROVINCE_NAME, province),
        ]
        if locality:
            attrs.append((NameOID.LOCALITY_NAME, locality))
        attrs += [
            (NameOID.ORGANIZATION_NAME, name),
            (NameOID.COMMON_NAME, name),
            (NameOID.USER_ID, f"MST:{tax_code}"),
        ]
        return self._issue_end_entity(
            subject=_name(*attrs),
            provider=provider,
            key_type=key_type,
            not_before=not_before,
            not_after=not_after,
            non_repudiation=True,
            name=name,
            citizen_id=None,
            tax_code=tax_code,
        )

    def issue_expired(
        self,
        name: str,
        citizen_id: str,
        *,
        provider: str = "VNPT",
        expired_days_ago: int = 30,
        key_type: KeyType = "ecdsa",
    ) -> SignerIdentity:
        """A citizen certificate that expired ``expired_days_ago`` days before ``now``
        (valid for the two years before that)."""
        not_after = self.now - timedelta(days=expired_days_ago)
        return self.issue_citizen(
            name,
            citizen_id,
            provider=provider,
            key_type=key_type,
            not_before=not_after - timedelta(days=730),
            not_after=not_after,
        )

    def issue_self_signed(
        self,
        name: str,
        citizen_id: str,
        *,
        key_type: KeyType = "ecdsa",
        id_prefix: str = "CCCD",
    ) -> SignerIdentity:
        """A self-signed certificate with a citizen's subject: what a forger makes at home."""
        common_name = name.upper()
        subject = _name(
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.COMMON_NAME, common_name),
            (NameOID.USER_ID, f"{id_prefix}:{citizen_id}"),
        )
        role = self._role("self-signed", subject.rfc4514_string(), key_type)
        key = _make_key(key_type, _digest(self.seed, self.root_name, role))
        cert = _build(
            subject=subject,
            issuer=subject,
            public_key=key.public_key(),
            issuer_key=key,
            serial=_serial(self.seed, self.root_name, role),
            not_before=self.now - timedelta(days=30),
            not_after=self.now + timedelta(days=730),
            ca=False,
            eku=[ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION],
        )
        return SignerIdentity(cert=cert, key=key, chain=(), name=common_name, citizen_id=citizen_id)

    def _role(self, *parts: object) -> str:
        # Identical requests get distinct serials and keys, in issue order.
        role = "|".join(str(p) for p in parts)
        self._issued[role] += 1
        return f"{role}#{self._issued[role]}"

    def _issue_end_entity(
        self,
        *,
        subject: x509.Name,
        provider: str,
        key_type: KeyType,
        not_before: datetime | None,
        not_after: datetime | None,
        non_repudiation: bool,
        name: str,
        citizen_id: str | None,
        tax_code: str | None,
    ) -> SignerIdentity:
        try:
            ca = self.providers[provider]
        except KeyError:
            raise KeyError(
                f"unknown provider {provider!r}; choose one of {', '.join(self.providers)}"
            ) from None
        start = _utc(not_before) if not_before else self.now - timedelta(days=30)
        end = _utc(not_after) if not_after else self.now + timedelta(days=730)
        role = self._role("ee", provider, subject.rfc4514_string(), key_type, start, end)
        key = _make_key(key_type, _digest(self.seed, self.root_name, role))
        cert = _build(
            subject=subject,
            issuer=ca.cert.subject,
            public_key=key.public_key(),
            issuer_key=ca.key,
            serial=_serial(self.seed, self.root_name, role),
            not_before=start,
            not_after=end,
            ca=False,
            non_repudiation=non_repudiation,
            eku=[ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION],
        )
        return SignerIdentity(
            cert=cert,
            key=key,
            chain=(ca.cert, self.root.cert),
            name=name,
            citizen_id=citizen_id,
            tax_code=tax_code,
            provider=provider,
        )


def _today() -> datetime:
    now = datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)
