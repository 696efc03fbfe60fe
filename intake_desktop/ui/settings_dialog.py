"""The settings dialog: server, trusted roots, office, cache and language.

::

    dialog = SettingsDialog(settings, store, parent)
    dialog.trustChanged.connect(rebuild_trust_store)   # imports/removals apply at once
    if dialog.exec() == QDialog.DialogCode.Accepted:
        settings = dialog.result_settings()
        save_settings(settings)

Everything but the trusted roots is applied by the caller on OK. Importing or removing a root
writes to ``store`` straight away (Cancel does not undo it), and :attr:`trustChanged` says so.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from asn1crypto import pem
from PySide6.QtCore import QCoreApplication, QItemSelection, QLocale, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.paths import cache_dir as default_cache_dir
from intake_desktop.services.signatures.certificates import parse_certificates
from intake_desktop.services.trust_anchors import import_anchors
from intake_desktop.store.db import Store
from intake_desktop.store.trust_anchors import remove_anchor
from intake_desktop.ui.app_settings import AppSettings
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.error_text import error_text
from intake_desktop.ui.first_start_dialog import (
    ERROR_STYLE,
    FieldGrid,
    SystemFields,
    error_label,
    normalized_server_url,
    note_label,
    server_url_problem,
    show_error,
)
from intake_desktop.ui.i18n import LANGUAGES
from intake_desktop.ui.trust_anchor_model import (
    AnchorEntry,
    TrustAnchorModel,
    TrustListing,
    load_trust_listing,
)

CA_BUNDLE_MAX_BYTES = 10 * 1024 * 1024
"""A CA bundle is a few hundred kB at most; anything bigger was picked by mistake."""
DEFAULT_CUTOFF = QTime(15, 0)


def ca_bundle_problem(text: str) -> str | None:
    """Return why ``text`` is not a readable PEM bundle of certificates, or ``None``.

    An empty path is fine (the default CAs are used). Reads the file: it is small and local.
    """
    text = text.strip()
    if not text:
        return None
    path = Path(text)
    if not path.is_file():
        return QCoreApplication.translate("SettingsDialog", "Không tìm thấy tệp.")
    try:
        if path.stat().st_size > CA_BUNDLE_MAX_BYTES:
            return QCoreApplication.translate(
                "SettingsDialog", "Tệp quá lớn, không phải bộ chứng thư CA."
            )
        data = path.read_bytes()
    except OSError as error:
        return QCoreApplication.translate("SettingsDialog", "Không đọc được tệp: %1").replace(
            "%1", error.strerror or str(error)
        )
    # requests reads only PEM; a DER or P7B file would fail at the first connection.
    if not pem.detect(data):
        return QCoreApplication.translate(
            "SettingsDialog",
            "Tệp không ở dạng PEM (cần các khối -----BEGIN CERTIFICATE-----).",
        )
    try:
        parse_certificates(data, origin=path.name)
    except ValueError:  # CertificateFileError, or PEM armour the parser could not undo
        return QCoreApplication.translate(
            "SettingsDialog", "Tệp PEM không chứa chứng thư đọc được."
        )
    return None


def cache_usage(folder: Path) -> tuple[int, int]:
    """Return (bytes, files) under ``folder``; unreadable entries are skipped. Slow: off-thread."""
    total = files = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue  # removed meanwhile, or unreadable: not worth failing the sum
            files += 1
    return total, files


def _time(text: str) -> QTime:
    parsed = QTime.fromString(text, "HH:mm")
    return parsed if parsed.isValid() else DEFAULT_CUTOFF


class SettingsDialog(QDialog):
    """The officer's settings in tabs; :meth:`result_settings` returns them after OK.

    ``store`` is where imported trusted roots live; ``cache_dir`` is the folder whose size the
    cache tab shows (the app's cache folder by default).
    """

    trustChanged = Signal()
    """A trusted root was imported or removed (already in the store)."""

    def __init__(
        self,
        settings: AppSettings,
        store: Store,
        parent: QWidget | None = None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self._settings = settings
        self._store = store
        self._cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self._trust_busy = False
        self._cache_bytes: int | None = None
        self._cache_files = 0
        self.trust_changed = False
        """Whether a root was imported or removed while the dialog was open."""

        self.setWindowTitle(self.tr("Cài đặt"))
        chars, lines = self.fontMetrics().averageCharWidth(), self.fontMetrics().height()
        self.setMinimumWidth(chars * 80)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        self.tabs.addTab(self._server_tab(), self.tr("&Máy chủ"))
        self.tabs.addTab(self._trust_tab(), self.tr("&Chứng thư tin cậy"))
        self.tabs.addTab(self._office_tab(), self.tr("&Văn phòng"))
        self.tabs.addTab(self._cache_tab(), self.tr("&Bộ nhớ đệm"))
        self.tabs.addTab(self._language_tab(), self.tr("&Ngôn ngữ"))
        layout.addWidget(self.tabs)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Lưu"))
        self.ok_button.setObjectName("save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Room for the trusted-roots table; never more than the screen (1366×768 at 150 %).
        available = self.screen().availableGeometry()
        self.resize(
            min(chars * 150, available.width() * 9 // 10),
            min(lines * 40, available.height() * 9 // 10),
        )

        self._load_trust()
        self._measure_cache()

    # -- Máy chủ -----------------------------------------------------------------------------

    def _server_tab(self) -> QWidget:
        s = self._settings
        page = QWidget()
        layout = QVBoxLayout(page)
        form = FieldGrid()
        layout.addLayout(form)

        self.test_mode = QCheckBox(
            self.tr("Chế độ t&hử nghiệm (hồ sơ mẫu, không gửi gì lên hệ thống)")
        )
        self.test_mode.setObjectName("test_mode")
        self.test_mode.setChecked(s.test_mode)
        form.add_wide(
            self.test_mode,
            note_label(
                self.tr(
                    "Có địa chỉ máy chủ: máy chủ đào tạo của lớp tập huấn; để trống: hồ sơ mẫu"
                    " trên máy này. Có hiệu lực từ lần khởi động sau."
                )
            ),
        )

        # Test mode only: a real system gives the supervisor's role with the sign-in.
        self.test_supervisor = QCheckBox(self.tr("Đóng vai giám sát viên (chế độ thử)"))
        self.test_supervisor.setObjectName("test_supervisor")
        self.test_supervisor.setChecked(s.test_supervisor)
        self.test_supervisor_note = note_label(
            self.tr(
                "Thẻ Giám sát chữ ký số có thêm Đồng bộ toàn đơn vị: hồ sơ các cán bộ khác đã"
                " quyết định, cùng kết luận họ đã thấy. Với máy chủ đào tạo, tài khoản giamsat"
                " có sẵn quyền này."
            )
        )
        form.add_wide(self.test_supervisor, self.test_supervisor_note)
        self.test_supervisor.setEnabled(s.test_mode)
        self.test_mode.toggled.connect(self.test_supervisor.setEnabled)

        self.server_url = QLineEdit(s.server_url)
        self.server_url.setObjectName("server_url")
        self.server_url.setPlaceholderText("https://dichvucong.tinh.gov.vn")
        self.server_error = error_label("server_url_error")
        form.add_field(self.tr("Đị&a chỉ máy chủ:"), self.server_url, self.server_error)
        self.system = SystemFields(form, s)

        self.username = QLineEdit(s.username)
        self.username.setObjectName("username")
        form.add_field(self.tr("&Tên đăng nhập:"), self.username)

        ca_row = QHBoxLayout()
        self.ca_bundle = QLineEdit(s.ca_bundle)
        self.ca_bundle.setObjectName("ca_bundle")
        self.ca_bundle.setPlaceholderText(self.tr("Để trống: dùng các CA mặc định"))
        self.ca_bundle.setClearButtonEnabled(True)
        choose = QPushButton(self.tr("Chọn tệ&p…"))
        choose.setObjectName("choose_ca_bundle")
        choose.setAutoDefault(False)
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(choose)
        self.ca_error = error_label("ca_bundle_error")
        ca_note = note_label(
            self.tr(
                "Chỉ cần khi máy chủ dùng chứng thư TLS do cơ quan tự cấp: chọn tệp PEM"
                " chứa chứng thư CA của cơ quan."
            )
        )
        form.add_field(
            self.tr("Tệp CA cho &kết nối TLS:"),
            ca_row,
            self.ca_error,
            ca_note,
            buddy=self.ca_bundle,
        )

        self.online_revocation = QCheckBox(
            self.tr("Kiểm tra th&u hồi chứng thư trực tuyến (OCSP/CRL)")
        )
        self.online_revocation.setObjectName("online_revocation")
        self.online_revocation.setChecked(s.online_revocation)
        form.add_wide(
            self.online_revocation,
            note_label(
                self.tr(
                    "Cần kết nối Internet; mỗi lần hỏi tổ chức cấp chứng thư chờ tối đa 5 giây."
                    " Khi tắt, báo cáo ghi rõ là chưa kiểm tra thu hồi."
                )
            ),
        )
        layout.addStretch(1)

        choose.clicked.connect(self._choose_ca_bundle)
        self.server_url.textChanged.connect(self._check_server_url)
        self.system.sso_url.textChanged.connect(self._check_server_url)
        self.test_mode.toggled.connect(self._check_server_url)
        self.ca_bundle.editingFinished.connect(self._check_ca_bundle)
        self.ca_bundle.textChanged.connect(lambda _text: show_error(self.ca_error, None))
        return page

    def _server_problem(self) -> str | None:
        text = self.server_url.text().strip()
        if not text and self.test_mode.isChecked():
            return None  # test mode needs no server
        if not text:
            return self.tr("Hãy nhập địa chỉ máy chủ hoặc bật chế độ thử nghiệm.")
        # Test mode with an address: a classroom training server, which may be plain http.
        classroom = self.test_mode.isChecked()
        return server_url_problem(text, classroom=classroom) or self.system.problem(
            classroom=classroom
        )

    def _check_server_url(self) -> None:
        typed = bool(self.server_url.text().strip())
        show_error(self.server_error, self._server_problem() if typed else None)

    def _check_ca_bundle(self) -> bool:
        problem = ca_bundle_problem(self.ca_bundle.text())
        show_error(self.ca_error, problem)
        return problem is None

    def _choose_ca_bundle(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Chọn tệp CA (PEM)"),
            str(Path(self.ca_bundle.text()).parent) if self.ca_bundle.text() else "",
            self.tr("Chứng thư PEM (*.pem *.crt *.cer);;Tất cả tệp (*)"),
        )
        if path:
            self.ca_bundle.setText(path)
            self._check_ca_bundle()

    # -- Chứng thư tin cậy -------------------------------------------------------------------

    def _trust_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            note_label(
                self.tr(
                    "Chữ ký số được coi là tin cậy khi chuỗi chứng thư dẫn về một trong các"
                    " chứng thư gốc dưới đây. Chứng thư “Có sẵn” đi kèm ứng dụng và không xóa"
                    " được. Nhập hoặc xóa chứng thư có hiệu lực ngay."
                )
            )
        )
        self.trust_model = TrustAnchorModel(self)
        self.trust_view = QTableView()
        self.trust_view.setObjectName("trust_view")
        self.trust_view.setModel(self.trust_model)
        self.trust_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.trust_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.trust_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trust_view.setAlternatingRowColors(True)
        self.trust_view.setWordWrap(False)
        # The national roots differ at the end of their names ("… - TSA", "… - USBTOKEN").
        self.trust_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # Padding is part of the size hints, so resized-to-contents columns keep it too.
        self.trust_view.setStyleSheet("QTableView::item { padding: 2px 6px; }")
        self.trust_view.verticalHeader().hide()
        header = self.trust_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.trust_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        layout.addWidget(self.trust_view, 1)

        self.trust_status = QLabel()
        self.trust_status.setObjectName("trust_status")
        self.trust_status.setWordWrap(True)
        layout.addWidget(self.trust_status)

        row = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Nhậ&p chứng thư…"))
        self.import_button.setObjectName("import_anchor")
        self.import_button.setAutoDefault(False)
        self.remove_button = QPushButton(self.tr("&Xóa"))
        self.remove_button.setObjectName("remove_anchor")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        row.addWidget(self.import_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.import_button.clicked.connect(self._choose_certificate_file)
        self.remove_button.clicked.connect(self.remove_selected_anchor)
        self.trust_view.selectionModel().selectionChanged.connect(self._trust_selection_changed)
        return page

    def _set_trust_status(self, text: str, error: bool = False) -> None:
        self.trust_status.setText(text)
        self.trust_status.setStyleSheet(ERROR_STYLE if error else "")

    def _set_trust_busy(self, busy: bool, status: str = "") -> None:
        self._trust_busy = busy
        self.import_button.setEnabled(not busy)
        self._trust_selection_changed()
        if status:
            self._set_trust_status(status)

    def selected_anchor(self) -> AnchorEntry | None:
        """The root selected in the table, if any."""
        rows = self.trust_view.selectionModel().selectedRows()
        return self.trust_model.entry(rows[0].row()) if rows else None

    def _trust_selection_changed(self, *_args: QItemSelection) -> None:
        entry = self.selected_anchor()
        removable = entry is not None and not entry.builtin
        self.remove_button.setEnabled(removable and not self._trust_busy)
        self.remove_button.setToolTip(
            self.tr("Chứng thư có sẵn không xóa được.")
            if entry is not None and entry.builtin
            else ""
        )

    def _load_trust(self) -> None:
        store = self._store
        self._set_trust_busy(True, self.tr("Đang đọc danh sách chứng thư…"))
        run_in_background(
            self, lambda: load_trust_listing(store), self._trust_loaded, self._trust_failed
        )

    def _show_listing(self, listing: TrustListing, select: str | None = None) -> None:
        if select is None:  # keep the officer's place across a reload
            current = self.selected_anchor()
            select = current.fingerprint if current is not None else None
        self.trust_model.set_entries(listing.anchors)
        for row, entry in enumerate(listing.anchors):
            if entry.fingerprint == select:
                self.trust_view.selectRow(row)
                self.trust_view.scrollTo(self.trust_model.index(row, 0))
        self._set_trust_busy(False)

    def _trust_loaded(self, listing: TrustListing) -> None:
        self._show_listing(listing)
        builtin = sum(1 for e in listing.anchors if e.builtin)
        text = self.tr("%n chứng thư gốc có sẵn", "", builtin)
        imported = len(listing.anchors) - builtin
        text += self.tr(", %n chứng thư đã nhập", "", imported)
        text += self.tr(
            "; ngoài ra %n chứng thư trung gian có sẵn chỉ dùng để dựng chuỗi.",
            "",
            listing.intermediates,
        )
        self._set_trust_status(text)

    def _trust_failed(self, error: BaseException) -> None:
        self._set_trust_busy(False)
        self._set_trust_status(error_text(error), error=True)

    def _choose_certificate_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Nhập chứng thư gốc tin cậy"),
            "",
            self.tr("Chứng thư (*.pem *.crt *.cer *.der *.p7b *.p7c);;Tất cả tệp (*)"),
        )
        if path:
            self.import_certificates(Path(path))

    def import_certificates(self, path: Path) -> None:
        """Import every certificate in ``path`` as a trusted root (off the GUI thread)."""
        store = self._store
        before = {e.fingerprint for e in self.trust_model.entries()}

        def work() -> tuple[list[str], TrustListing]:
            records = import_anchors(store, path)
            return [r.fingerprint for r in records], load_trust_listing(store)

        self._set_trust_busy(True, self.tr("Đang nhập chứng thư từ %1…").replace("%1", path.name))
        run_in_background(
            self, work, lambda result: self._imported(before, *result), self._trust_failed
        )

    def _imported(self, before: set[str], fingerprints: list[str], listing: TrustListing) -> None:
        new = [fp for fp in dict.fromkeys(fingerprints) if fp not in before]
        self._show_listing(listing, select=new[0] if new else None)
        if new:
            self._set_trust_status(self.tr("Đã nhập %n chứng thư.", "", len(new)))
            self._trust_did_change()
        else:
            self._set_trust_status(self.tr("Các chứng thư trong tệp đã có trong danh sách."))

    def confirm_removal(self, entry: AnchorEntry) -> bool:
        """Ask before removing ``entry``; returns whether the officer confirmed."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Xóa chứng thư tin cậy"),
            self.tr(
                "Xóa “%1” khỏi danh sách chứng thư tin cậy?\n\nChữ ký số dựa trên chứng thư này"
                " sẽ không còn được coi là tin cậy."
            ).replace("%1", entry.name),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("confirm_remove_anchor")
        remove = box.addButton(self.tr("Xóa"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)  # removing trust is the step to think twice about
        box.exec()
        return box.clickedButton() is remove

    def remove_selected_anchor(self) -> None:
        """Remove the selected imported root, after confirmation (off the GUI thread)."""
        entry = self.selected_anchor()
        if entry is None or entry.builtin or self._trust_busy:
            return
        if not self.confirm_removal(entry):
            return
        store, fingerprint = self._store, entry.fingerprint

        def work() -> TrustListing:
            remove_anchor(store, fingerprint)
            return load_trust_listing(store)

        self._set_trust_busy(True, self.tr("Đang xóa chứng thư…"))
        run_in_background(
            self, work, lambda listing: self._removed(entry, listing), self._trust_failed
        )

    def _removed(self, entry: AnchorEntry, listing: TrustListing) -> None:
        self._show_listing(listing)
        self._set_trust_status(self.tr("Đã xóa chứng thư “%1”.").replace("%1", entry.name))
        self._trust_did_change()

    def _trust_did_change(self) -> None:
        self.trust_changed = True
        self.trustChanged.emit()

    # -- Văn phòng ---------------------------------------------------------------------------

    def _office_tab(self) -> QWidget:
        s = self._settings
        page = QWidget()
        layout = QVBoxLayout(page)

        slips = QGroupBox(self.tr("Thông tin in trên giấy tiếp nhận và các phiếu"))
        form = FieldGrid()
        slips.setLayout(form)
        self.office_fields: dict[str, QLineEdit] = {}
        for name, label, value in (
            ("agency", self.tr("Cơ &quan:"), s.agency),
            ("desk", self.tr("Bộ &phận:"), s.desk),
            ("place", self.tr("Đị&a danh (ghi ngày trên phiếu):"), s.place),
            ("result_location", self.tr("Nơi t&rả kết quả:"), s.result_location),
            ("phone", self.tr("Điện thoạ&i:"), s.phone),
        ):
            field = QLineEdit(value)
            field.setObjectName(name)
            self.office_fields[name] = field
            form.add_field(label, field)
        self.office_error = error_label("office_error")
        form.add_wide(self.office_error)
        layout.addWidget(slips)

        reception = QGroupBox(self.tr("Tiếp nhận"))
        form = FieldGrid()
        reception.setLayout(form)
        self.saturday_morning = QCheckBox(self.tr("Tiếp nhận hồ sơ vào sáng thứ Bả&y"))
        self.saturday_morning.setObjectName("saturday_morning")
        self.saturday_morning.setChecked(s.saturday_morning)
        form.add_wide(self.saturday_morning)
        self.cutoff = QTimeEdit(_time(s.cutoff))
        self.cutoff.setObjectName("cutoff")
        self.cutoff.setDisplayFormat("HH:mm")
        cutoff_note = note_label(
            self.tr("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo.")
        )
        form.add_field(self.tr("&Giờ chốt tiếp nhận trong ngày:"), self.cutoff, cutoff_note)
        self.intake_days = QSpinBox()
        self.intake_days.setObjectName("intake_days")
        self.intake_days.setRange(1, 10)
        self.intake_days.setValue(max(1, min(10, s.intake_days)))
        self.intake_days.setSuffix(self.tr(" ngày làm việc"))
        form.add_field(self.tr("Thời &hạn tiếp nhận hồ sơ trực tuyến:"), self.intake_days)
        layout.addWidget(reception)
        layout.addStretch(1)
        return page

    def _office_problem(self) -> str | None:
        required = ("agency", "desk", "place", "result_location")
        if any(not self.office_fields[name].text().strip() for name in required):
            return self.tr(
                "Cơ quan, bộ phận, địa danh và nơi trả kết quả được in trên phiếu:"
                " không được để trống."
            )
        return None

    # -- Bộ nhớ đệm --------------------------------------------------------------------------

    def _cache_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = FieldGrid()
        layout.addLayout(form)
        self.cache_limit = QSpinBox()
        self.cache_limit.setObjectName("cache_limit")
        self.cache_limit.setRange(256, 1024 * 1024)
        self.cache_limit.setSingleStep(256)
        self.cache_limit.setSuffix(" MB")
        self.cache_limit.setValue(max(256, self._settings.cache_limit_mb))
        form.add_field(self.tr("&Giới hạn dung lượng:"), self.cache_limit)
        self.cache_usage = QLabel(self.tr("Đang tính…"))
        self.cache_usage.setObjectName("cache_usage")
        self.cache_bar = QProgressBar()
        self.cache_bar.setObjectName("cache_bar")
        self.cache_bar.setRange(0, 1000)
        self.cache_bar.hide()
        form.add_field(self.tr("Đang dùng:"), self.cache_usage, self.cache_bar)
        folder = QLabel(str(self._cache_dir))
        folder.setObjectName("cache_folder")
        folder.setToolTip(str(self._cache_dir))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.add_field(self.tr("Thư mục:"), folder)
        layout.addWidget(
            note_label(
                self.tr(
                    "Bộ nhớ đệm giữ các tệp đính kèm đã tải về để xem lại và làm việc ngoại tuyến."
                )
            )
        )
        layout.addStretch(1)
        self.cache_limit.valueChanged.connect(self._show_cache_usage)
        return page

    def _measure_cache(self) -> None:
        folder = self._cache_dir
        run_in_background(
            self, lambda: cache_usage(folder), self._cache_measured, self._cache_failed
        )

    def _cache_measured(self, usage: tuple[int, int]) -> None:
        self._cache_bytes, files = usage
        self._cache_files = files
        self._show_cache_usage()

    def _cache_failed(self, error: BaseException) -> None:
        self.cache_usage.setText(error_text(error))

    def _show_cache_usage(self, *_args: Any) -> None:
        if self._cache_bytes is None:
            return
        size = QLocale().formattedDataSize(
            self._cache_bytes, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
        )
        limit = self.cache_limit.value() * 1024 * 1024
        self.cache_usage.setText(self.tr("%1 (%n tệp)", "", self._cache_files).replace("%1", size))
        share = 100 * self._cache_bytes / limit
        self.cache_bar.setValue(min(1000, round(10 * share)))
        # Our own text: the bar's %p is a whole percent, "0 %" for a few MB of a few GB.
        self.cache_bar.setFormat(
            self.tr("%1 % giới hạn").replace("%1", QLocale().toString(share, "f", 1))
        )
        self.cache_bar.show()

    # -- Ngôn ngữ ----------------------------------------------------------------------------

    def _language_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = FieldGrid()
        layout.addLayout(form)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)  # each language in its own words
        index = self.language.findData(self._settings.language)
        self.language.setCurrentIndex(max(0, index))
        form.add_field(self.tr("Ngôn ngữ &giao diện:"), self.language)
        layout.addWidget(
            note_label(self.tr("Ngôn ngữ mới được áp dụng từ lần khởi động sau của ứng dụng."))
        )
        layout.addStretch(1)
        return page

    # -- OK ----------------------------------------------------------------------------------

    def accept(self) -> None:
        """Close with OK, unless a field is wrong: then show it and stay open."""
        problem = self._server_problem()
        show_error(self.server_error, problem)
        if problem is not None:
            self._point_at(self.server_url)
            return
        if not self._check_ca_bundle():
            self._point_at(self.ca_bundle)
            return
        problem = self._office_problem()
        show_error(self.office_error, problem)
        if problem is not None:
            empty = next(f for f in self.office_fields.values() if not f.text().strip())
            self._point_at(empty)
            return
        super().accept()

    def _point_at(self, widget: QWidget) -> None:
        """Show the tab holding ``widget`` and put the cursor in it."""
        page: QWidget | None = widget
        while page is not None and self.tabs.indexOf(page) < 0:
            page = page.parentWidget()
        if page is not None:
            self.tabs.setCurrentWidget(page)
        widget.setFocus()

    def result_settings(self) -> AppSettings:
        """The settings as edited (call after ``exec()`` returned Accepted)."""
        url = self.server_url.text().strip()
        office = {name: field.text().strip() for name, field in self.office_fields.items()}
        return replace(
            self.system.apply(self._settings),
            agency=office["agency"],
            desk=office["desk"],
            place=office["place"],
            result_location=office["result_location"],
            phone=office["phone"],
            test_mode=self.test_mode.isChecked(),
            test_supervisor=self.test_mode.isChecked() and self.test_supervisor.isChecked(),
            server_url=normalized_server_url(url) if url else "",
            username=self.username.text().strip(),
            ca_bundle=self.ca_bundle.text().strip(),
            online_revocation=self.online_revocation.isChecked(),
            saturday_morning=self.saturday_morning.isChecked(),
            cutoff=self.cutoff.time().toString("HH:mm"),
            intake_days=self.intake_days.value(),
            cache_limit_mb=self.cache_limit.value(),
            language=str(self.language.currentData()),
        )
