"""The unmistakable strip that says this is test mode, not live work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy


class TestModeBanner(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("test_mode_banner")
        self.setText(self.tr("CHẾ ĐỘ THỬ NGHIỆM — dữ liệu mẫu, không gửi lên hệ thống"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(
            "QLabel#test_mode_banner { background: #ffb300; color: #3e2700;"
            " font-weight: bold; font-size: 12pt; padding: 6px; border: 2px dashed #3e2700; }"
        )
