"""Export and import of scenario packs from the trainer's menu (test mode only).

Both ask for the file with :class:`QFileDialog`; import then shows what the signature
engine said about every file of the pack, so a trainer sees a tampered PDF's verdict
before the class does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.demo.dossiers import DemoDossier
from intake_desktop.services.signatures import TrustStore
from intake_desktop.services.training.packs import (
    BadManifest,
    DuplicateDossier,
    ImportedPack,
    NotAPack,
    PackError,
    PackTooLarge,
    UnsafePackPath,
    export_pack,
    import_pack,
)
from intake_desktop.ui.table_model import Index, TableModel
from intake_desktop.ui.verdict_style import verdict_colour, verdict_icon, verdict_text


def pack_error_text(error: PackError) -> str:
    """What went wrong, in the UI's language, with the technical detail after it."""
    if isinstance(error, UnsafePackPath):
        why = QCoreApplication.translate(
            "ScenarioPacks", "Tệp có đường dẫn không an toàn (có thể ghi ra ngoài thư mục)."
        )
    elif isinstance(error, PackTooLarge):
        why = QCoreApplication.translate(
            "ScenarioPacks", "Tệp quá lớn so với giới hạn của một bộ tình huống."
        )
    elif isinstance(error, BadManifest):
        why = QCoreApplication.translate(
            "ScenarioPacks",
            "Bảng kê (manifest.json) không đúng định dạng hoặc không khớp với các tệp.",
        )
    elif isinstance(error, DuplicateDossier):
        why = QCoreApplication.translate(
            "ScenarioPacks",
            "Bộ tình huống này (hoặc một hồ sơ trong đó) đã có trong chế độ thử nghiệm.",
        )
    elif isinstance(error, NotAPack):
        why = QCoreApplication.translate(
            "ScenarioPacks", "Đây không phải tệp bộ tình huống (.zip có manifest.json)."
        )
    else:
        why = QCoreApplication.translate("ScenarioPacks", "Không dùng được bộ tình huống này.")
    return f"{why}\n\n{error}"


def export_pack_dialog(parent: QWidget | None, cases: Sequence[DemoDossier]) -> Path | None:
    """Ask for a title and a file, write the pack; ``None`` when the trainer cancels."""
    title, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("ScenarioPacks", "Xuất bộ tình huống"),
        QCoreApplication.translate("ScenarioPacks", "Tên bộ tình huống:"),
        text=QCoreApplication.translate("ScenarioPacks", "Bộ tình huống tập huấn"),
    )
    if not ok or not title.strip():
        return None
    name, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ScenarioPacks", "Xuất bộ tình huống"),
        "bo-tinh-huong.zip",
        QCoreApplication.translate("ScenarioPacks", "Bộ tình huống (*.zip)"),
    )
    if not name:
        return None
    path = Path(name) if name.lower().endswith(".zip") else Path(f"{name}.zip")
    try:
        export_pack(path, cases, title=title.strip())
    except (OSError, ValueError) as error:
        QMessageBox.warning(
            parent, QCoreApplication.translate("ScenarioPacks", "Xuất bộ tình huống"), str(error)
        )
        return None
    QMessageBox.information(
        parent,
        QCoreApplication.translate("ScenarioPacks", "Xuất bộ tình huống"),
        QCoreApplication.translate("ScenarioPacks", "Đã xuất %1 hồ sơ vào %2.")
        .replace("%1", str(len(cases)))
        .replace("%2", str(path)),
    )
    return path


def choose_pack_file(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("ScenarioPacks", "Nhập bộ tình huống"),
        "",
        QCoreApplication.translate("ScenarioPacks", "Bộ tình huống (*.zip)"),
    )
    return Path(name) if name else None


def show_import_refused(parent: QWidget | None, error: PackError) -> None:
    QMessageBox.warning(
        parent,
        QCoreApplication.translate("ScenarioPacks", "Nhập bộ tình huống"),
        pack_error_text(error),
    )


def import_pack_dialog(
    parent: QWidget | None, packs_dir: Path, trust: TrustStore, taken: Iterable[str]
) -> ImportedPack | None:
    """Ask for a pack, check and keep it, show the verdicts; ``None`` if cancelled or refused.

    Validates every PDF in this thread; the main window does the same steps with the
    checking on a worker (:class:`~intake_desktop.ui.training_tools.TrainingTools`).
    """
    path = choose_pack_file(parent)
    if path is None:
        return None
    try:
        imported = import_pack(path, packs_dir, trust, taken=taken)
    except PackError as error:
        show_import_refused(parent, error)
        return None
    PackImportedDialog(imported, parent).exec()
    return imported


class PackChecksModel(TableModel):
    """Each imported file with its signature verdict."""

    def __init__(self, checks: Sequence[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self._checks = list(checks)

    def row_count(self) -> int:
        return len(self._checks)

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Mã hồ sơ"), self.tr("Tệp"), self.tr("Kết quả kiểm tra"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        check = self._checks[index.row()]
        if index.column() == 2:
            if role == Qt.ItemDataRole.DecorationRole:
                return verdict_icon(check.verdict)
            if role == Qt.ItemDataRole.ForegroundRole:
                return verdict_colour(check.verdict)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (check.dossier_code, check.file_name, verdict_text(check.verdict))[index.column()]


class PackImportedDialog(QDialog):
    """The imported pack's dossiers and every file's signature verdict."""

    def __init__(self, imported: ImportedPack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Đã nhập bộ tình huống"))
        pack = imported.pack
        summary = QLabel(
            self.tr("«%1»: %2 hồ sơ, %3 tệp. Kết quả kiểm tra chữ ký số của từng tệp:")
            .replace("%1", pack.title)
            .replace("%2", str(len(pack.cases)))
            .replace("%3", str(len(imported.checks)))
        )
        summary.setWordWrap(True)
        self.model = PackChecksModel(imported.checks, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 420)
