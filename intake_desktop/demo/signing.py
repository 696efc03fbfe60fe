"""Signing demo PDFs with pyHanko, as a citizen's remote-signing service would.

Each call appends one incremental revision holding a new signature field, so earlier
signatures stay valid. With a fixed ``signing_time`` (and a timestamper with a fixed time, if
any) the output is byte-for-byte reproducible: pyHanko's random trailer ID and "now"
modification date are replaced by values derived from the input.

pyHanko's synchronous API runs its own event loop (``asyncio.run``): call these functions
from a thread without a running loop.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontSubsetCollection
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import DocumentMetadata
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import DiffPolicy
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import PdfSignatureStatus, validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from intake_desktop.demo.documents import SIGNATURE_RECTS, font_path
from intake_desktop.demo.pki import VN_TZ, SignerIdentity

DEFAULT_REASON = "Ký số hồ sơ trực tuyến"
STAMP_TEXT = "Ký bởi: %(signer)s\nKý ngày: %(signed_at)s"
"""Visible stamp, worded like Vietnamese remote-signing services."""
STAMP_TIME_FORMAT = "%d/%m/%Y %H:%M:%S"

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class _StableSubsets(FontSubsetCollection):
    """Font subset names ("ABCDEF+DejaVuSans") derived from a salt, not drawn at random."""

    salt: bytes = b""

    def add_subset(self) -> str:
        n = 0
        while True:
            digest = hashlib.sha256(self.salt + f"{self.base_postscript_name}/{n}".encode())
            prefix = "".join(chr(ord("A") + b % 26) for b in digest.digest()[:6])
            if prefix not in self.subsets:
                return prefix
            n += 1


class _FixedTimeMetadata(DocumentMetadata):
    """Document metadata whose "now" is a fixed time.

    pyHanko sets ``last_modified = "now"`` before each write and then stamps the clock into
    /Info /ModDate and the XMP ModifyDate; here "now" becomes the signing time.
    """

    _fixed: datetime

    def __init__(self, fixed: datetime) -> None:
        object.__setattr__(self, "_fixed", fixed)
        super().__init__()

    def __setattr__(self, name: str, value: object) -> None:
        if name == "last_modified" and value == "now":
            value = self._fixed
        super().__setattr__(name, value)


class _FixedTimeWriter(IncrementalPdfFileWriter):
    """Incremental writer whose modification dates are a given time instead of "now", and,
    given a salt, whose font subset names are reproducible."""

    subset_salt: bytes | None = None

    def fix_time(self, moment: datetime) -> None:
        self._meta = _FixedTimeMetadata(moment)

    def get_subset_collection(self, base_postscript_name: str) -> FontSubsetCollection:
        if self.subset_salt is None:
            return super().get_subset_collection(base_postscript_name)  # type: ignore[no-any-return]
        if base_postscript_name not in self._font_resources:
            collection = _StableSubsets(base_postscript_name, salt=self.subset_salt)
            self._font_resources[base_postscript_name] = collection
        return self._font_resources[base_postscript_name]


class _FixedTimePdfSigner(signers.PdfSigner):
    """PdfSigner that claims a given signing time (CMS signingTime and /M)."""

    fixed_time: datetime | None = None

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        if self.fixed_time is not None:
            session.system_time = self.fixed_time
        return session


def _ascii(text: str) -> str:
    """Vietnamese without diacritics, for the fallback stamp font (Latin-1 only)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Latin, Vietnamese and common punctuation: all a stamp needs.
_STAMP_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1EA0, 0x1F00),
    *(0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x20AB),
]


@functools.cache
def stamp_font() -> bytes | None:
    """DejaVu Sans made fit for pyHanko's stamps, or None without fontTools.

    pyHanko 0.38 writes glyph widths in font units where PDF wants thousandths of an em, so
    any font whose units-per-em is not 1000 (DejaVu's is 2048) is drawn with letters far
    apart. So we subset DejaVu to Latin and Vietnamese and rescale it to 1000 units per em,
    once per process (about 0.7 s).

    pyHanko subsets and saves the font again for every signature, which was most of the cost
    of a visible signature; so the font is kept lean: no OpenType layout tables (GSUB, GPOS,
    GDEF: Vietnamese in NFC needs none, DejaVu has every precomposed letter; the only loss is
    kerning), no hinting instructions, only the usual name records.
    """
    try:
        from fontTools import subset  # type: ignore[import-untyped]
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
        from fontTools.ttLib.scaleUpem import scale_upem  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the installed extras
        return None
    font = TTFont(font_path(), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False  # viewers draw PDF text unhinted anyway
    # FFTM: FontForge's timestamps, fontTools warns it cannot subset them.
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "MATH"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_STAMP_UNICODES)
    subsetter.subset(font)
    scale_upem(font, 1000)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


@functools.cache
def stamp_style() -> TextStampStyle:
    """The visible signature's look: signer and time in DejaVu Sans.

    Embedding a TrueType font needs pyHanko's "opentype" extra (fontTools, uharfbuzz); without
    it the stamp falls back to the built-in Courier and unaccented text.
    """
    font = stamp_font()
    try:
        from intake_desktop.demo._stamp_font import InMemoryFontFactory
    except ImportError:  # pragma: no cover - depends on the installed extras
        font = None
    if font is None:  # pragma: no cover
        return TextStampStyle(
            stamp_text=_ascii(STAMP_TEXT), timestamp_format=STAMP_TIME_FORMAT, border_width=1
        )
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        timestamp_format=STAMP_TIME_FORMAT,
        text_box_style=TextBoxStyle(
            font=InMemoryFontFactory(font_file="", font_size=10, font_bytes=font),
            font_size=10,
            leading=14,
        ),
        border_width=1,
    )


def signature_field_names(data: bytes) -> list[str]:
    """Names of the signature fields in a PDF (signed or not), in form order."""
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    return [str(name) for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)]


def sign_pdf(
    data: bytes,
    signer: SignerIdentity,
    *,
    field_name: str | None = None,
    page: int | None = 0,
    rect: Rect | None = None,
    visible: bool = True,
    timestamper: TimeStamper | None = None,
    signing_time: datetime | None = None,
    reason: str | None = DEFAULT_REASON,
    location: str | None = None,
    pades: bool = False,
    md_algorithm: str = "sha256",
    bytes_reserved: int | None = None,
) -> bytes:
    """Sign ``data`` with ``signer`` in a new incremental revision; return the new file.

    ``field_name`` defaults to the first free "SignatureN". A visible signature goes on
    ``page`` (from 0; negative counts from the end) in ``rect`` (PDF user space, origin
    bottom-left), by default the next free box of
    :data:`~intake_desktop.demo.documents.SIGNATURE_RECTS`; ``visible=False`` or
    ``page=None`` makes it invisible. ``timestamper`` (e.g. ``pki.timestamper()``) embeds an
    RFC 3161 signature timestamp. ``signing_time`` (timezone-aware) fixes the claimed time
    and makes the output reproducible. ``pades`` selects /ETSI.CAdES.detached instead of
    /adbe.pkcs7.detached. ``bytes_reserved`` is the room for the signature container in hex
    digits (e.g. :func:`signature_space`); by default pyHanko estimates it with a dry-run
    signature, about a third of the cost of signing.

    Raises ``RuntimeError`` when called with an asyncio loop running in this thread, and
    pyHanko's ``SigningError`` if ``field_name`` names an already signed field.
    """
    _require_no_running_loop()
    if signing_time is not None and signing_time.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware (e.g. tzinfo=VN_TZ)")
    writer = _FixedTimeWriter(BytesIO(data), strict=False)
    existing = [str(name) for name, _v, _r in fields.enumerate_sig_fields(writer.prev)]
    if field_name is None:
        field_name = next(
            f"Signature{n}" for n in range(1, len(existing) + 2) if f"Signature{n}" not in existing
        )
    moment = signing_time or datetime.now(VN_TZ).replace(microsecond=0)
    writer.fix_time(moment)
    if signing_time is not None:
        # pyHanko draws the second half of the trailer ID at random: derive it instead.
        salt = hashlib.sha256(data + field_name.encode() + signing_time.isoformat().encode())
        writer.subset_salt = salt.digest()
        writer._document_id = generic.ArrayObject(
            [writer._document_id[0], generic.ByteStringObject(salt.digest()[:16])]
        )
    if visible and page is not None:
        box = rect if rect is not None else SIGNATURE_RECTS[len(existing) % len(SIGNATURE_RECTS)]
        x0, y0, x1, y1 = (round(v) for v in box)  # pyHanko wants whole points
        spec = SigFieldSpec(sig_field_name=field_name, on_page=page, box=(x0, y0, x1, y1))
    else:
        spec = SigFieldSpec(sig_field_name=field_name)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=md_algorithm,
        reason=reason,
        location=location,
        subfilter=SigSeedSubFilter.PADES if pades else SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
    )
    pdf_signer = _FixedTimePdfSigner(
        meta,
        signer=signer.simple_signer(),
        timestamper=timestamper,
        stamp_style=stamp_style(),
        new_field_spec=spec,
    )
    # One moment for the CMS signingTime, /M, /ModDate and the stamp (in Vietnam time, as
    # the providers' stamps show it).
    pdf_signer.fixed_time = moment
    out = pdf_signer.sign_pdf(
        writer,
        bytes_reserved=bytes_reserved,
        appearance_text_params={"signed_at": moment.astimezone(VN_TZ).strftime(STAMP_TIME_FORMAT)},
    )
    return bytes(out.getvalue())


def sign_pdf_invisible(
    data: bytes,
    signer: SignerIdentity,
    *,
    field_name: str | None = None,
    timestamper: TimeStamper | None = None,
    signing_time: datetime | None = None,
    reason: str | None = DEFAULT_REASON,
    location: str | None = None,
    pades: bool = False,
    bytes_reserved: int | None = None,
) -> bytes:
    """:func:`sign_pdf` without a visible stamp (the widget has an empty rectangle)."""
    return sign_pdf(
        data,
        signer,
        field_name=field_name,
        visible=False,
        timestamper=timestamper,
        signing_time=signing_time,
        reason=reason,
        location=location,
        pades=pades,
        bytes_reserved=bytes_reserved,
    )


# Signed attributes, SignerInfo and the signature value take well under 1.5 KB; a token from
# the demo TSA (RSA-2048, its certificate inside) about 2 KB more.
_CMS_OVERHEAD = 1536
_TIMESTAMP_OVERHEAD = 4096


def signature_space(signer: SignerIdentity, *, timestamped: bool = False) -> int:
    """Room for ``signer``'s signature container, in hex digits, for ``bytes_reserved``.

    Counts the certificates the container embeds (the signer's and its chain) plus a margin;
    ``timestamped`` adds room for a token of the demo TSA (:meth:`DemoPki.timestamper`).
    Too small a value makes pyHanko's signing fail, never a broken file.
    """
    certificates = len(signer.der) + sum(
        len(cert.public_bytes(serialization.Encoding.DER)) for cert in signer.chain
    )
    size = certificates + _CMS_OVERHEAD + (_TIMESTAMP_OVERHEAD if timestamped else 0)
    return 2 * size


def pyhanko_statuses(
    data: bytes,
    validation_context: ValidationContext,
    *,
    diff_policy: DiffPolicy | None = None,
) -> list[PdfSignatureStatus]:
    """pyHanko's own verdict on each signature, oldest first: a baseline for tests and
    benchmarks, not the app's engine.

    Raises what pyHanko raises for unreadable files (``PdfReadError``, ``ValueError`` for an
    unparseable signature container, ...).
    """
    _require_no_running_loop()
    reader = PdfFileReader(BytesIO(data), strict=False)
    return [
        validate_pdf_signature(sig, validation_context, diff_policy=diff_policy)
        for sig in reader.embedded_signatures
    ]


def _require_no_running_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        "pyHanko's synchronous API cannot run inside an asyncio event loop: "
        "call sign_pdf from a worker thread"
    )
