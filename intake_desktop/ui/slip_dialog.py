"""Preview of the slip just made for a decision, ready to print or save."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.desk import RecordedDecision
from intake_desktop.viewer import PdfViewer


class SlipDialog(QDialog):
    def __init__(self, decision: RecordedDecision, message: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("slip_dialog")
        self.setWindowTitle(self.tr("Phiếu cho công dân"))
        self.resize(760, 720)
        self.decision = decision
        layout = QVBoxLayout(self)
        info = QLabel(message)
        info.setWordWrap(True)
        layout.addWidget(info)
        self.viewer = PdfViewer()
        self.viewer.open_bytes(decision.slip_pdf, decision.slip_path.name)
        layout.addWidget(self.viewer, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        print_button = QPushButton(self.tr("In phiếu…"))
        print_button.setObjectName("print_slip")
        print_button.clicked.connect(self.viewer.print_document)
        save_button = QPushButton(self.tr("Lưu bản sao…"))
        save_button.clicked.connect(self._save)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Lưu phiếu"), self.decision.slip_path.name, self.tr("PDF (*.pdf)")
        )
        if name:
            self.viewer.save_copy(name)
