"""The one place where errors become words for the officer (Vietnamese, through tr)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from intake_desktop.services.adapters.sign_in import (
    AccountUnusable,
    NoSignInService,
    SignInSettingWrong,
    UnknownClient,
    UnknownRealm,
    WrongCredentials,
)
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
    if isinstance(error, SignInSettingWrong):
        return setting_error_text(error)
    if isinstance(error, AccountUnusable):
        return account_error_text(error)
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
    """Like :func:`error_text`, for the sign-in dialog: a plain refusal there is a wrong
    password; a refused realm, client id or SSO address names the setting to fix."""
    if isinstance(error, SignInSettingWrong):
        return setting_error_text(error)
    if isinstance(error, AccountUnusable):
        return account_error_text(error)
    if isinstance(error, (WrongCredentials, AuthenticationFailed)):
        return QCoreApplication.translate("Errors", "Sai tên đăng nhập hoặc mật khẩu.")
    return error_text(error)


def setting_error_text(error: SignInSettingWrong) -> str:
    """The sign-in server refused a setting: which one, with its value, and where to fix it."""
    where = QCoreApplication.translate(
        "Errors",
        "Sửa trong Đổi máy chủ… (hoặc Cài đặt → Máy chủ) theo thông tin của đơn vị"
        " vận hành hệ thống của tỉnh.",
    )
    if isinstance(error, UnknownRealm):
        text = QCoreApplication.translate(
            "Errors", "Hệ thống đăng nhập không có realm “%1”: ô Realm bị sai."
        )
    elif isinstance(error, UnknownClient):
        text = QCoreApplication.translate(
            "Errors",
            "Hệ thống đăng nhập không chấp nhận client id “%1” (không có, hoặc không được đăng"
            " nhập bằng mật khẩu): ô Client id bị sai.",
        )
    elif isinstance(error, NoSignInService):
        text = QCoreApplication.translate(
            "Errors",
            "Không có dịch vụ đăng nhập (Keycloak) tại %1: ô Địa chỉ đăng nhập (SSO) bị sai.",
        )
    else:
        text = QCoreApplication.translate(
            "Errors", "Hệ thống đăng nhập không chấp nhận cài đặt “%1”."
        )
    return f"{text.replace('%1', error.value)} {where}"


def account_error_text(error: AccountUnusable) -> str:
    """Keycloak knows the account but will not sign it in: the administrator must act."""
    return QCoreApplication.translate(
        "Errors",
        "Hệ thống đăng nhập không cho tài khoản này đăng nhập (bị khóa hoặc chưa thiết lập"
        " xong): liên hệ quản trị hệ thống của tỉnh.",
    )
