"""The one place where errors become words for the officer (Vietnamese, through tr)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from intake_desktop.services.credentials import CredentialError
from intake_desktop.services.outbox import DecisionAlreadyQueued
from intake_desktop.services.signatures.certificates import CertificateFileError
from intake_desktop.services.signatures.trust import TrustManifestError
from intake_desktop.services.source import (
    AuthenticationFailed,
    CertificateVerificationFailed,
    DecisionConflict,
    DecisionRejected,
    IntegrityError,
    MalformedResponse,
    NotFound,
    SourceUnavailable,
)
from intake_desktop.services.sync import SyncAlreadyRunning
from intake_desktop.store.errors import DatabaseTooNew, StoreError


def error_text(error: BaseException) -> str:
    """A sentence an officer can act on; details go to the log, not the screen."""
    if isinstance(error, AuthenticationFailed):
        return QCoreApplication.translate(
            "Errors", "Phiên đăng nhập đã hết hạn hoặc sai mật khẩu: vui lòng đăng nhập lại."
        )
    if isinstance(error, SourceUnavailable):
        return QCoreApplication.translate(
            "Errors", "Không kết nối được hệ thống của tỉnh (mạng hoặc máy chủ đang gặp sự cố)."
        )
    if isinstance(error, DecisionConflict):
        return QCoreApplication.translate(
            "Errors",
            "Hồ sơ đã được xử lý hoặc thay đổi trên hệ thống: vui lòng đồng bộ và xem lại.",
        )
    if isinstance(error, DecisionRejected):
        return QCoreApplication.translate(
            "Errors", "Hệ thống không chấp nhận quyết định: %1"
        ).replace("%1", str(error))
    if isinstance(error, NotFound):
        return QCoreApplication.translate("Errors", "Không tìm thấy hồ sơ hoặc tệp trên hệ thống.")
    if isinstance(error, IntegrityError):
        return QCoreApplication.translate(
            "Errors", "Tệp tải về không khớp mã kiểm tra (SHA-256): tệp bị hỏng khi truyền."
        )
    if isinstance(error, CertificateVerificationFailed):
        return QCoreApplication.translate(
            "Errors",
            "Không xác minh được chứng thư TLS của máy chủ: kiểm tra địa chỉ máy chủ hoặc tệp CA"
            " trong Cài đặt.",
        )
    if isinstance(error, MalformedResponse):
        return QCoreApplication.translate(
            "Errors", "Máy chủ trả lời không đúng chuẩn kết nối: kiểm tra lại địa chỉ máy chủ."
        )
    if isinstance(error, TrustManifestError):
        return QCoreApplication.translate(
            "Errors",
            "Tệp chứng thư gốc đi kèm ứng dụng đã bị thay đổi: vui lòng cài đặt lại ứng dụng.",
        )
    if isinstance(error, CertificateFileError):
        # The detail names the file and what was wrong with it (English, from the parser).
        return QCoreApplication.translate(
            "Errors", "Không đọc được chứng thư trong tệp (cần PEM, DER hoặc P7B): %1"
        ).replace("%1", str(error))
    if isinstance(error, DecisionAlreadyQueued):
        return QCoreApplication.translate("Errors", "Hồ sơ này đã có quyết định đang chờ gửi.")
    if isinstance(error, SyncAlreadyRunning):
        return QCoreApplication.translate("Errors", "Đang đồng bộ, vui lòng chờ.")
    if isinstance(error, CredentialError):
        return QCoreApplication.translate(
            "Errors", "Không dùng được kho mật khẩu của hệ điều hành: mật khẩu sẽ không được lưu."
        )
    if isinstance(error, DatabaseTooNew):
        return QCoreApplication.translate(
            "Errors",
            "Dữ liệu được tạo bởi phiên bản mới hơn của ứng dụng: vui lòng cập nhật ứng dụng.",
        )
    if isinstance(error, StoreError):
        return QCoreApplication.translate("Errors", "Lỗi cơ sở dữ liệu cục bộ: %1").replace(
            "%1", str(error)
        )
    if isinstance(error, OSError):
        return QCoreApplication.translate("Errors", "Lỗi đọc/ghi tệp: %1").replace(
            "%1", error.strerror or str(error)
        )
    return QCoreApplication.translate(
        "Errors", "Đã xảy ra lỗi không mong muốn; chi tiết được ghi trong nhật ký."
    )


def sign_in_error_text(error: BaseException) -> str:
    """Like :func:`error_text`, for the sign-in dialog: a refusal there is a wrong password."""
    if isinstance(error, AuthenticationFailed):
        return QCoreApplication.translate("Errors", "Sai tên đăng nhập hoặc mật khẩu.")
    return error_text(error)
