"""Findings of the signature engine in words an officer understands, Vietnamese and English.

Every reason has a stable code (used in JSON, tests and the store) and a severity that
decides the verdict: ``info`` never changes it, ``warning`` gives ``valid_with_warnings``,
``indeterminate`` and ``invalid`` give those verdicts.
"""

from __future__ import annotations

import re
from typing import Any

from intake_desktop.services.signatures.report import Reason, Severity

_S = Severity

# code -> (severity, English, Vietnamese). Placeholders are filled by ``reason(code, **kw)``.
_TEXTS: dict[str, tuple[Severity, str, str]] = {
    # Unreadable files (document verdict ``error``)
    "not_pdf": (
        _S.INVALID,
        "The file is not a PDF document.",
        "Tệp không phải là tài liệu PDF.",
    ),
    "encrypted": (
        _S.INVALID,
        "The PDF is password-protected; its signatures cannot be checked.",
        "Tệp PDF được đặt mật khẩu nên không kiểm tra được chữ ký.",
    ),
    "damaged": (
        _S.INVALID,
        "The PDF is damaged or incomplete and cannot be read ({detail}).",
        "Tệp PDF bị hỏng hoặc không đầy đủ, không đọc được ({detail}).",
    ),
    "empty": (
        _S.INVALID,
        "The file is empty.",
        "Tệp rỗng, không có nội dung.",
    ),
    "too_large": (
        _S.INVALID,
        "The file is larger than the {limit_mb} MB limit.",
        "Tệp lớn hơn giới hạn {limit_mb} MB.",
    ),
    "unreadable_file": (
        _S.INVALID,
        "The file cannot be opened ({detail}).",
        "Không mở được tệp ({detail}).",
    ),
    # Document level
    "unsigned": (
        _S.INFO,
        "The document has no digital signature.",
        "Tài liệu chưa được ký số.",
    ),
    "content_after_last_signature": (
        _S.INFO,
        "The file was changed after the last signature (see that signature).",
        "Tệp có thay đổi sau chữ ký cuối cùng (xem chi tiết ở chữ ký đó).",
    ),
    # Signature integrity
    "signature_unreadable": (
        _S.INVALID,
        "The signature data is damaged or unreadable ({detail}).",
        "Dữ liệu chữ ký bị hỏng hoặc không đọc được ({detail}).",
    ),
    "unsupported_signature": (
        _S.INDETERMINATE,
        "This kind of signature ({detail}) is not supported.",
        "Không hỗ trợ loại chữ ký này ({detail}).",
    ),
    "digest_mismatch": (
        _S.INVALID,
        "The signed content was altered after signing: its fingerprint no longer matches.",
        "Nội dung đã ký bị sửa đổi sau khi ký: dấu vân tay (mã băm) không còn khớp.",
    ),
    "signature_crypto_invalid": (
        _S.INVALID,
        "The signature value does not match the signer's certificate.",
        "Giá trị chữ ký không khớp với chứng thư số của người ký.",
    ),
    "coverage_partial": (
        _S.INVALID,
        "The signature covers only part of its revision of the file.",
        "Chữ ký chỉ bao phủ một phần phiên bản tài liệu đã ký.",
    ),
    "modified_other": (
        _S.INVALID,
        "The document content was changed after signing.",
        "Tài liệu đã bị thay đổi nội dung sau khi ký.",
    ),
    "later_revision_damaged": (
        _S.INVALID,
        "The part of the file added after signing is damaged: only a repairing reader can open"
        " it, and what it shows was not signed.",
        "Phần được thêm vào tệp sau khi ký bị hỏng cấu trúc: chỉ phần mềm tự sửa lỗi mới mở"
        " được, và nội dung hiển thị không phải nội dung đã ký.",
    ),
    "later_revision_repaired": (
        _S.WARNING,
        "The part of the file added after signing is malformed; readers repair it to show it.",
        "Phần được thêm vào tệp sau khi ký có lỗi cấu trúc; phần mềm đọc phải tự sửa để hiển thị.",
    ),
    "docmdp_violation": (
        _S.INVALID,
        "Changes after signing are not allowed by the signer's certification.",
        "Các thay đổi sau khi ký không được phép theo chữ ký chứng nhận của người ký.",
    ),
    "modified_annotations": (
        _S.WARNING,
        "Comments or annotations were added after signing.",
        "Có ghi chú hoặc chú thích được thêm vào sau khi ký.",
    ),
    "modified_form_filling": (
        _S.WARNING,
        "Form fields were filled in after signing: {fields}.",
        "Có trường biểu mẫu được điền sau khi ký: {fields}.",
    ),
    "trailing_data": (
        _S.WARNING,
        "The file has {count} bytes of unexplained data after the signed document.",
        "Tệp có {count} byte dữ liệu lạ nằm sau phần tài liệu đã ký.",
    ),
    "later_signatures": (
        _S.INFO,
        "Later revisions only add signatures or validation data.",
        "Sau chữ ký này chỉ có thêm chữ ký khác hoặc dữ liệu xác thực.",
    ),
    # Formats other producers write (:mod:`.legacy_formats`)
    "legacy_format": (
        _S.INFO,
        "The signature uses the old {format} format; it was checked with our own code.",
        "Chữ ký dùng định dạng cũ {format}; đã được kiểm tra bằng phần kiểm tra riêng.",
    ),
    "encapsulated_content": (
        _S.INFO,
        "The signed content is stored inside the signature; it matches the document.",
        "Nội dung đã ký được lưu bên trong chữ ký; nội dung đó khớp với tài liệu.",
    ),
    "multiple_signer_infos": (
        _S.INFO,
        "This one signature holds {count} signers; the others: {names}.",
        "Một chữ ký này chứa {count} người ký; những người còn lại: {names}.",
    ),
    "plain_ecdsa": (
        _S.INFO,
        "The signature value is in the plain ECDSA form (BSI TR-03111); it was checked as such.",
        "Giá trị chữ ký ở dạng ECDSA thuần (BSI TR-03111); đã được kiểm tra theo dạng đó.",
    ),
    # Cryptography the standards forbid (:mod:`.crypto_checks`)
    "eddsa_digest": (
        _S.INVALID,
        "The {algorithm} signature is computed over a {digest} digest; the standard (RFC"
        " 8419) requires {wanted}, so the signature proves nothing.",
        "Chữ ký {algorithm} được tính trên mã băm {digest}; tiêu chuẩn (RFC 8419) bắt buộc"
        " {wanted}, nên chữ ký không có giá trị chứng minh.",
    ),
    "pss_parameters": (
        _S.INVALID,
        "The RSA-PSS signature mixes digests (message {digest}, PSS {pss}, mask {mgf}); the"
        " standards require one digest throughout.",
        "Chữ ký RSA-PSS dùng lẫn các thuật toán băm (nội dung {digest}, PSS {pss}, mặt nạ"
        " {mgf}); tiêu chuẩn yêu cầu dùng một thuật toán băm duy nhất.",
    ),
    "signed_attrs_not_der": (
        _S.INDETERMINATE,
        "The signed attributes are not encoded in the required DER order; some validators"
        " reject such a signature.",
        "Các thuộc tính đã ký không được mã hóa theo thứ tự DER bắt buộc; một số phần mềm"
        " kiểm tra từ chối chữ ký như vậy.",
    ),
    "later_validation_data": (
        _S.INFO,
        "Validation data (certificates, revocation answers) was added after signing; it is"
        " not shown on any page and does not change the document.",
        "Sau khi ký có thêm dữ liệu xác thực (chứng thư, thông tin thu hồi); dữ liệu này"
        " không hiển thị trên trang nào và không thay đổi tài liệu.",
    ),
    "later_structure_tree": (
        _S.INFO,
        "The document's accessibility structure (tags) was updated for a later signature;"
        " what the pages show did not change.",
        "Cấu trúc hỗ trợ đọc (thẻ) của tài liệu được cập nhật cho chữ ký sau; nội dung hiển"
        " thị trên các trang không thay đổi.",
    ),
    "later_metadata": (
        _S.INFO,
        "The document's metadata (title, dates, producer) was updated after signing; what"
        " the pages show did not change.",
        "Siêu dữ liệu của tài liệu (tiêu đề, ngày, phần mềm tạo) được cập nhật sau khi ký;"
        " nội dung hiển thị trên các trang không thay đổi.",
    ),
    "weak_digest": (
        _S.WARNING,
        "The signature uses the weak {algorithm} digest.",
        "Chữ ký dùng thuật toán băm yếu {algorithm}.",
    ),
    # Trust
    "untrusted_root": (
        _S.INDETERMINATE,
        "The certificate does not chain to a trusted root certificate.",
        "Chứng thư số không thuộc tổ chức chứng thực chữ ký số được tin cậy.",
    ),
    "self_signed": (
        _S.INDETERMINATE,
        "The certificate is self-signed, not issued by a certificate provider.",
        "Chứng thư số tự ký, không do tổ chức cung cấp dịch vụ chứng thực cấp.",
    ),
    "certificate_expired": (
        _S.INDETERMINATE,
        "The certificate was not valid at the time of checking ({not_after}) and no trusted "
        "timestamp proves it was signed while valid.",
        "Chứng thư số không còn hiệu lực (hết hạn {not_after}) và không có dấu thời gian "
        "tin cậy chứng minh đã ký khi còn hiệu lực.",
    ),
    "certificate_not_yet_valid": (
        _S.INDETERMINATE,
        "The certificate is not valid yet (from {not_before}).",
        "Chứng thư số chưa có hiệu lực (từ {not_before}).",
    ),
    "expired_since_timestamp": (
        _S.INFO,
        "The certificate expired on {not_after}; a trusted timestamp proves the signature "
        "was made while it was valid.",
        "Chứng thư số đã hết hạn ngày {not_after}; dấu thời gian tin cậy chứng minh chữ ký "
        "được tạo khi chứng thư còn hiệu lực.",
    ),
    "certificate_revoked": (
        _S.INVALID,
        "The signer's certificate has been revoked.",
        "Chứng thư số của người ký đã bị thu hồi.",
    ),
    "revocation_unknown": (
        _S.INDETERMINATE,
        "The revocation status of the certificate could not be determined.",
        "Không xác định được tình trạng thu hồi của chứng thư số.",
    ),
    "revocation_not_checked": (
        _S.INFO,
        "Revocation status was not checked (offline check).",
        "Chưa kiểm tra tình trạng thu hồi chứng thư số (kiểm tra ngoại tuyến).",
    ),
    "revocation_unreachable": (
        _S.WARNING,
        "The certificate's revocation service (OCSP/CRL) could not be reached: whether it "
        "has been revoked is unknown.",
        "Không kết nối được dịch vụ kiểm tra thu hồi (OCSP/CRL) của chứng thư số: chưa biết "
        "chứng thư có bị thu hồi hay không.",
    ),
    "revocation_no_service": (
        _S.INFO,
        "The certificate names no revocation service (OCSP/CRL): revocation was not checked.",
        "Chứng thư số không ghi dịch vụ kiểm tra thu hồi (OCSP/CRL): chưa kiểm tra được tình "
        "trạng thu hồi.",
    ),
    "trust_problem": (
        _S.INDETERMINATE,
        "The certificate chain could not be validated ({detail}).",
        "Không xác thực được chuỗi chứng thư số ({detail}).",
    ),
    "key_usage": (
        _S.INVALID,
        "The certificate is not meant for signing documents ({detail}).",
        "Chứng thư số không dùng để ký tài liệu ({detail}).",
    ),
    # Timestamp
    "timestamp_invalid": (
        _S.INDETERMINATE,
        "The signature's timestamp is not from a trusted timestamping authority.",
        "Dấu thời gian của chữ ký không do tổ chức cấp dấu thời gian được tin cậy cấp.",
    ),
    "timestamp_broken": (
        _S.INVALID,
        "The signature's timestamp is forged or damaged: its own signature does not verify.",
        "Dấu thời gian của chữ ký bị giả mạo hoặc hư hỏng: chữ ký của chính dấu thời gian"
        " không khớp.",
    ),
    "timestamp_typed_sig": (
        _S.INFO,
        "This document timestamp is marked as an ordinary signature (/Type /Sig); it was"
        " checked as a timestamp.",
        "Dấu thời gian tài liệu này được ghi như một chữ ký thường (/Type /Sig); đã được"
        " kiểm tra như một dấu thời gian.",
    ),
    "no_timestamp": (
        _S.INFO,
        "No timestamp: the signing time is as claimed by the signer.",
        "Không có dấu thời gian: thời điểm ký do người ký tự khai.",
    ),
}


def reason(code: str, **params: Any) -> Reason:
    """Return the reason for ``code`` with its placeholders filled in.

    Raises ``KeyError`` for an unknown code (a programming error, caught by tests).
    """
    severity, en, vi = _TEXTS[code]
    return Reason(code=code, severity=severity, en=en.format(**params), vi=vi.format(**params))


def reason_title(code: str, lang: str = "vi") -> str:
    """The text of ``code`` without its particulars (for counts and charts of many files)."""
    _severity, en, vi = _TEXTS[code]
    text = vi if lang == "vi" else en
    return re.sub(r"\s*\{[^}]*\}", "", text).replace(" ()", "").strip()


def known_codes() -> frozenset[str]:
    return frozenset(_TEXTS)
