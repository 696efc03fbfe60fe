"""Cryptography pyHanko verifies but the standards forbid, caught after its validation.

pyHanko checks that a signature value matches; it accepts combinations a validator must
refuse: Ed25519 over a digest other than SHA-512 (RFC 8419 § 3), RSA-PSS whose mask
(MGF1) or parameters use another digest than the message (RFC 4056 § 3, ETSI TS 119 312),
signed attributes not in DER order (RFC 5652 § 5.4: they are signed DER-encoded). And it
words a timestamp whose own signature is broken like one that is merely not trusted.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import core
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from intake_desktop.services.signatures.messages import reason
from intake_desktop.services.signatures.report import Reason

BROKEN = frozenset({"eddsa_digest", "pss_parameters"})
"""Findings that mean the signature proves nothing, whatever its value matched."""

# RFC 8419 § 3: with signed attributes, Ed25519 uses SHA-512 and Ed448 SHAKE256.
_EDDSA_DIGEST = {"ed25519": "sha512", "ed448": "shake256"}


def findings(emb: EmbeddedPdfSignature, status: Any) -> list[Reason]:
    """What is wrong with the cryptography of a signature whose value verified."""
    info = emb.signer_info
    digest = str(info["digest_algorithm"]["algorithm"].native)
    algorithm = info["signature_algorithm"]
    name = str(algorithm["algorithm"].native)
    out: list[Reason] = []
    wanted = _EDDSA_DIGEST.get(name)
    if wanted is not None and digest != wanted:
        out.append(
            reason(
                "eddsa_digest",
                algorithm=name.capitalize(),
                digest=_label(digest),
                wanted=_label(wanted),
            )
        )
    if name == "rsassa_pss":
        params = algorithm["parameters"]
        pss_hash = str(params["hash_algorithm"]["algorithm"].native)
        mgf_hash = str(params["mask_gen_algorithm"]["parameters"]["algorithm"].native)
        if len({digest, pss_hash, mgf_hash}) > 1:
            out.append(
                reason(
                    "pss_parameters",
                    digest=_label(digest),
                    pss=_label(pss_hash),
                    mgf=_label(mgf_hash),
                )
            )
    attrs = info["signed_attrs"]
    if attrs is not core.VOID and len(attrs) and not _der_ordered(attrs):
        out.append(reason("signed_attrs_not_der"))
    return out


def _der_ordered(attrs: Any) -> bool:
    # DER orders a SET OF by the encodings of its elements; signers that skip this sign
    # bytes that a strict re-encoding would change.
    encodings = [attr.dump() for attr in attrs]
    return encodings == sorted(encodings)


def timestamp_reasons(status: Any, is_timestamp: bool) -> list[Reason]:
    """``timestamp_broken`` when the timestamp's own signature or imprint fails, else
    ``timestamp_invalid`` (valid but its authority is not trusted).

    A document timestamp whose imprint fails while its signature holds says that the
    document changed, which ``digest_mismatch`` already says: nothing more then.
    """
    ts = status if is_timestamp else status.timestamp_validity
    if is_timestamp and not ts.intact and ts.valid:
        return []
    if ts is not None and not (ts.intact and ts.valid):
        return [reason("timestamp_broken")]
    return [reason("timestamp_invalid")]


def _label(digest: str) -> str:
    return digest.upper().replace("SHA", "SHA-").replace("SHA--", "SHA-")
