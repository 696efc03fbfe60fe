"""How verdicts look: a word, a colour and an icon whose shape alone tells them apart."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from intake_desktop.services.signatures import (
    Coverage,
    ModificationsAfter,
    TrustStatus,
    Verdict,
)


def verdict_text(verdict: Verdict) -> str:
    return {
        Verdict.VALID: QCoreApplication.translate("Verdict", "Hợp lệ"),
        Verdict.VALID_WITH_WARNINGS: QCoreApplication.translate("Verdict", "Hợp lệ, có lưu ý"),
        Verdict.INVALID: QCoreApplication.translate("Verdict", "Không hợp lệ"),
        Verdict.INDETERMINATE: QCoreApplication.translate("Verdict", "Chưa xác định được"),
        Verdict.UNSIGNED: QCoreApplication.translate("Verdict", "Chưa ký số"),
        Verdict.ERROR: QCoreApplication.translate("Verdict", "Không đọc được"),
    }[verdict]


def coverage_text(coverage: Coverage) -> str:
    return {
        Coverage.ENTIRE_FILE: QCoreApplication.translate("Verdict", "Toàn bộ tệp"),
        Coverage.ENTIRE_REVISION: QCoreApplication.translate("Verdict", "Toàn bộ phiên bản đã ký"),
        Coverage.PARTIAL: QCoreApplication.translate("Verdict", "Một phần"),
    }[coverage]


def modifications_text(value: ModificationsAfter) -> str:
    return {
        ModificationsAfter.NONE: QCoreApplication.translate("Verdict", "Không có"),
        ModificationsAfter.SIGNATURES_OR_LTV: QCoreApplication.translate(
            "Verdict", "Chỉ thêm chữ ký / dữ liệu xác thực"
        ),
        ModificationsAfter.FORM_FILLING: QCoreApplication.translate("Verdict", "Điền biểu mẫu"),
        ModificationsAfter.ANNOTATIONS: QCoreApplication.translate("Verdict", "Thêm ghi chú"),
        ModificationsAfter.OTHER: QCoreApplication.translate("Verdict", "Thay đổi nội dung"),
    }[value]


def trust_text(value: TrustStatus) -> str:
    return {
        TrustStatus.TRUSTED: QCoreApplication.translate("Verdict", "Tin cậy"),
        TrustStatus.UNTRUSTED_ROOT: QCoreApplication.translate("Verdict", "Không thuộc CA tin cậy"),
        TrustStatus.EXPIRED: QCoreApplication.translate("Verdict", "Hết hiệu lực"),
        TrustStatus.REVOKED: QCoreApplication.translate("Verdict", "Đã bị thu hồi"),
        TrustStatus.REVOCATION_UNKNOWN: QCoreApplication.translate("Verdict", "Chưa rõ thu hồi"),
        TrustStatus.NOT_CHECKED: QCoreApplication.translate("Verdict", "Chưa kiểm tra"),
    }[value]


_COLOURS = {
    Verdict.VALID: "#1b7f3b",
    Verdict.VALID_WITH_WARNINGS: "#b26a00",
    Verdict.INVALID: "#c62828",
    Verdict.INDETERMINATE: "#6a4fb3",
    Verdict.UNSIGNED: "#5f6b7a",
    Verdict.ERROR: "#8b1a1a",
}


def verdict_colour(verdict: Verdict) -> QColor:
    return QColor(_COLOURS[verdict])


@cache
def verdict_icon(verdict: Verdict, size: int = 32) -> QIcon:
    """A round badge with a distinct glyph: ✓, !, ✗, ?, – or ⊘."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = verdict_colour(verdict)
    s = float(size)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    if verdict is Verdict.VALID_WITH_WARNINGS:
        tri = QPainterPath()
        tri.moveTo(s / 2, s * 0.06)
        tri.lineTo(s * 0.96, s * 0.92)
        tri.lineTo(s * 0.04, s * 0.92)
        tri.closeSubpath()
        p.drawPath(tri)
    else:
        p.drawEllipse(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92))
    pen = QPen(QColor("white"), s * 0.12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    if verdict is Verdict.VALID:
        p.drawPolyline(
            [QPointF(s * 0.28, s * 0.52), QPointF(s * 0.44, s * 0.68), QPointF(s * 0.74, s * 0.34)]
        )
    elif verdict is Verdict.VALID_WITH_WARNINGS:
        p.drawLine(QPointF(s / 2, s * 0.36), QPointF(s / 2, s * 0.62))
        p.drawPoint(QPointF(s / 2, s * 0.78))
    elif verdict in (Verdict.INVALID, Verdict.ERROR):
        p.drawLine(QPointF(s * 0.32, s * 0.32), QPointF(s * 0.68, s * 0.68))
        p.drawLine(QPointF(s * 0.68, s * 0.32), QPointF(s * 0.32, s * 0.68))
    elif verdict is Verdict.INDETERMINATE:
        font = p.font()
        font.setBold(True)
        font.setPixelSize(int(s * 0.66))
        p.setFont(font)
        p.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, "?")
    else:  # unsigned
        p.drawLine(QPointF(s * 0.3, s / 2), QPointF(s * 0.7, s / 2))
    p.end()
    return QIcon(pix)
