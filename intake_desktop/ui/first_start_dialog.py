"""The first start: connect to the provincial system (or a training server), or test mode.

The caller shows it while ``AppSettings.configured`` is false (and again when the officer
clicks "Đổi máy chủ…" at sign-in)::

    dialog = FirstStartDialog(settings, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        settings = dialog.result_settings()
        save_settings(settings)
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import replace
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.services.adapters import ADAPTERS, SystemKind
from intake_desktop.services.http_source import plain_http_allowed
from intake_desktop.ui.app_settings import AppSettings

# One DNS label: letters, digits and inner hyphens (Vietnamese government hosts are ASCII;
# an IDN host would be typed in its xn-- form).
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")

ERROR_STYLE = "color: #c62828;"
"""Inline error text: the same red as the decision dialog's warnings."""
HINT_STYLE = "color: palette(placeholder-text);"


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.rstrip(".").split(".")
        return all(_LABEL.match(label) for label in labels)
    return True


def server_url_problem(text: str, *, classroom: bool = False) -> str | None:
    """Return what is wrong with a server address, in the officer's words, or ``None``.

    Accepts what ``HttpDossierSource`` accepts: ``https://host[:port][/path]``, and plain
    ``http://`` only to this computer or, for a classroom training server, the local network.
    """
    text = text.strip()
    if not text:
        return QCoreApplication.translate("ServerAddress", "Hãy nhập địa chỉ máy chủ.")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return QCoreApplication.translate(
            "ServerAddress",
            "Địa chỉ phải có dạng https://tên-máy-chủ[:cổng], ví dụ https://dichvucong.tinh.gov.vn.",
        )
    if parts.username or parts.password or parts.query or parts.fragment or "@" in parts.netloc:
        return QCoreApplication.translate(
            "ServerAddress", "Địa chỉ máy chủ không được chứa tên đăng nhập, dấu ? hoặc dấu #."
        )
    host = parts.hostname or ""
    if not host or not _valid_host(host):
        return QCoreApplication.translate("ServerAddress", "Tên máy chủ không hợp lệ.")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or (port is None and parts.netloc.endswith(":")):
        return QCoreApplication.translate("ServerAddress", "Cổng phải là một số từ 1 đến 65535.")
    if parts.scheme.lower() == "http" and not plain_http_allowed(host, classroom=classroom):
        return QCoreApplication.translate(
            "ServerAddress",
            "Chỉ dùng http:// cho máy chủ đào tạo chạy trên chính máy này (localhost, 127.0.0.1)"
            " hoặc trong mạng nội bộ của lớp tập huấn; hệ thống của tỉnh phải dùng https://.",
        )
    return None


def normalized_server_url(text: str) -> str:
    """The address as ``HttpDossierSource`` stores it (so keyring entries match its own)."""
    parts = urlsplit(text.strip())
    return f"{parts.scheme.lower()}://{parts.netloc}{parts.path.rstrip('/')}"


def heading_label(text: str) -> QLabel:
    """A dialog's heading: bold, a little larger than the text, scaling with the font."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.25)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def note_label(text: str, object_name: str = "") -> QLabel:
    """A secondary, wrapped explanation under a field."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    if object_name:
        label.setObjectName(object_name)
    return label


def error_label(object_name: str) -> QLabel:
    """An inline error line, hidden while empty."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FieldGrid(QGridLayout):
    """Rows of "label | field", with notes and error lines under the field.

    Not a QFormLayout: that gives word-wrapped labels in its field column more height than
    they need and, once an error line was shown and hidden, squeezes the field above it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setColumnStretch(1, 1)
        self._row = 0

    def add_field(
        self,
        label: str,
        field: QWidget | QLayout,
        *below: QWidget,
        buddy: QWidget | None = None,
    ) -> QLabel:
        """Add a labelled field; the label's mnemonic focuses ``buddy`` (default: ``field``)."""
        caption = QLabel(label)
        target = buddy if buddy is not None else field if isinstance(field, QWidget) else None
        if target is not None:
            caption.setBuddy(target)
        self.addWidget(caption, self._row, 0)
        if isinstance(field, QWidget):
            # Line edits fill the column; spin boxes, time edits and combos keep their size.
            grows = field.sizePolicy().horizontalPolicy() in (
                QSizePolicy.Policy.Expanding,
                QSizePolicy.Policy.MinimumExpanding,
                QSizePolicy.Policy.Ignored,
            )
            align = Qt.AlignmentFlag(0) if grows else Qt.AlignmentFlag.AlignLeft
            self.addWidget(field, self._row, 1, alignment=align)
        else:
            self.addLayout(field, self._row, 1)
        self._row += 1
        self.add_below(*below)
        return caption

    def add_below(self, *widgets: QWidget) -> None:
        """Add widgets in the field column, under the previous field."""
        for widget in widgets:
            self.addWidget(widget, self._row, 1)
            self._row += 1

    def add_wide(self, *widgets: QWidget) -> None:
        """Add widgets across both columns (check boxes, notes)."""
        for widget in widgets:
            self.addWidget(widget, self._row, 0, 1, 2)
            self._row += 1


def show_error(label: QLabel, text: str | None) -> None:
    """Show ``text`` in an inline error line (hide it for ``None``), growing the window."""
    label.setText(text or "")
    label.setVisible(bool(text))
    window = label.window()
    if window.isVisible():
        fit_height(window)


def fit_height(window: QWidget) -> None:
    """Make ``window`` tall enough for its wrapped labels at its current width.

    Qt sizes a top-level window from its layout's minimum size, which does not follow the
    height a word-wrapped label needs at the actual width: without this, a message that
    appears later (or longer Vietnamese text at 150 % scaling) is clipped.
    """
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(window.width())
    else:
        needed = layout.totalSizeHint().height()
    if window.height() < needed:
        window.resize(window.width(), needed)


class SystemFields:
    """The "Loại hệ thống" choice, and the settings only some systems need (realm, client id…).

    Added to a :class:`FieldGrid` by the first-start and settings dialogs; the extra rows show
    only for a system that needs them (VNPT iGate).
    """

    def __init__(self, grid: FieldGrid, settings: AppSettings) -> None:
        self.kind = QComboBox()
        self.kind.setObjectName("system_kind")
        labels = {
            SystemKind.INTAKE: QCoreApplication.translate(
                "SystemFields", "Intake Desktop (hệ thống của tỉnh theo chuẩn của ứng dụng)"
            ),
            SystemKind.IGATE: QCoreApplication.translate(
                "SystemFields", "VNPT iGate (Hệ thống thông tin giải quyết TTHC của VNPT)"
            ),
        }
        for kind in ADAPTERS:
            self.kind.addItem(labels[kind], kind.value)
        self.kind.setCurrentIndex(
            max(0, self.kind.findData(SystemKind.parse(settings.system_kind).value))
        )
        grid.add_field(QCoreApplication.translate("SystemFields", "&Loại hệ thống:"), self.kind)

        adapter = ADAPTERS[SystemKind.IGATE]
        self.sso_url = QLineEdit(settings.sso_url)
        self.sso_url.setObjectName("sso_url")
        self.sso_url.setPlaceholderText(
            QCoreApplication.translate("SystemFields", "Để trống: cùng địa chỉ máy chủ")
        )
        self.sso_url.setClearButtonEnabled(True)
        self.realm = QLineEdit(settings.realm)
        self.realm.setObjectName("realm")
        self.realm.setPlaceholderText(adapter.default_realm)
        self.client_id = QLineEdit(settings.client_id)
        self.client_id.setObjectName("client_id")
        self.client_id.setPlaceholderText(adapter.default_client_id)
        self.sso_error = error_label("sso_url_error")
        self.note = note_label(
            QCoreApplication.translate(
                "SystemFields",
                "Địa chỉ máy chủ là cổng API (ví dụ https://apiigate.tinh.gov.vn); địa chỉ đăng"
                " nhập, realm và client id do đơn vị vận hành iGate của tỉnh cung cấp.",
            )
        )
        self._rows = [
            grid.add_field(
                QCoreApplication.translate("SystemFields", "Địa chỉ đăng nhập (&SSO):"),
                self.sso_url,
                self.sso_error,
            ),
            grid.add_field(QCoreApplication.translate("SystemFields", "&Realm:"), self.realm),
            grid.add_field(
                QCoreApplication.translate("SystemFields", "&Client id:"), self.client_id, self.note
            ),
        ]
        self._fields: list[QWidget] = [self.sso_url, self.realm, self.client_id, self.note]
        self.kind.currentIndexChanged.connect(self._show_fields)
        self._show_fields()

    def selected(self) -> SystemKind:
        return SystemKind(str(self.kind.currentData()))

    def _show_fields(self) -> None:
        needed = ADAPTERS[self.selected()].needs_realm
        for widget in [*self._rows, *self._fields]:
            widget.setVisible(needed)
        if not needed:
            self.sso_error.hide()

    def problem(self, *, classroom: bool) -> str | None:
        """What is wrong with the extra settings, or ``None``."""
        if not ADAPTERS[self.selected()].needs_realm or not self.sso_url.text().strip():
            return None
        return server_url_problem(self.sso_url.text(), classroom=classroom)

    def apply(self, settings: AppSettings) -> AppSettings:
        """``settings`` with this choice."""
        kind = self.selected()
        if not ADAPTERS[kind].needs_realm:
            return replace(settings, system_kind=kind.value, sso_url="", realm="", client_id="")
        sso = self.sso_url.text().strip()
        return replace(
            settings,
            system_kind=kind.value,
            sso_url=normalized_server_url(sso) if sso else "",
            realm=self.realm.text().strip(),
            client_id=self.client_id.text().strip(),
        )


class FirstStartDialog(QDialog):
    """Where dossiers come from: a server address, or test mode.

    ``settings`` prefills the choice; :meth:`result_settings` returns them updated (the
    caller saves them).
    """

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_start_dialog")
        self._settings = settings
        self.setWindowTitle(self.tr("Bắt đầu sử dụng Intake Desktop"))
        # Relative to the font, so the dialog grows with 125–150 % scaling.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 92)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Chào mừng anh/chị đến với Intake Desktop")))
        intro = QLabel(
            self.tr(
                "Ứng dụng giúp cán bộ tiếp nhận tại Bộ phận Một cửa nhận hồ sơ dịch vụ công trực"
                " tuyến, kiểm tra chữ ký số của từng thành phần hồ sơ và gửi quyết định về hệ"
                " thống của tỉnh. Trước khi bắt đầu, hãy chọn cách làm việc:"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addSpacing(self.fontMetrics().height() // 2)

        self.choose_server = QRadioButton(
            self.tr("&Kết nối hệ thống thông tin giải quyết TTHC của tỉnh hoặc máy chủ đào tạo")
        )
        self.choose_server.setObjectName("choose_server")
        layout.addWidget(self.choose_server)

        # Indented under its radio button; a plain box, not a form, so the wrapped hint and
        # error lines get the height they need.
        indent = self.style().pixelMetric(self.style().PixelMetric.PM_ExclusiveIndicatorWidth)
        server_box = QWidget()
        server_layout = QVBoxLayout(server_box)
        server_layout.setContentsMargins(indent * 2, 0, 0, 0)
        url_row = QHBoxLayout()
        url_label = QLabel(self.tr("Địa chỉ &máy chủ:"))
        self.server_url = QLineEdit(settings.server_url)
        self.server_url.setObjectName("server_url")
        self.server_url.setPlaceholderText("https://dichvucong.tinh.gov.vn")
        self.server_url.setClearButtonEnabled(True)
        url_label.setBuddy(self.server_url)
        url_row.addWidget(url_label)
        url_row.addWidget(self.server_url, 1)
        server_layout.addLayout(url_row)
        server_layout.addWidget(
            note_label(
                self.tr(
                    "Địa chỉ do Văn phòng UBND tỉnh hoặc Trung tâm Phục vụ hành chính công cung"
                    " cấp. http:// chỉ dùng cho máy chủ đào tạo."
                )
            )
        )
        self.server_error = error_label("server_url_error")
        server_layout.addWidget(self.server_error)
        system_grid = FieldGrid()
        server_layout.addLayout(system_grid)
        self.system = SystemFields(system_grid, settings)
        self.classroom = QCheckBox(
            self.tr("Đây là máy chủ đào tạo của lớp tập huấn (làm việc ở chế độ thử nghiệm)")
        )
        self.classroom.setObjectName("classroom")
        self.classroom.setChecked(settings.test_mode and bool(settings.server_url))
        self.classroom.toggled.connect(self._validate)
        server_layout.addWidget(self.classroom)
        layout.addWidget(server_box)

        self.choose_test_mode = QRadioButton(self.tr("Dùng chế độ &thử nghiệm"))
        self.choose_test_mode.setObjectName("choose_test_mode")
        layout.addWidget(self.choose_test_mode)
        test_note = note_label(
            self.tr(
                "Dành cho tập huấn: ứng dụng dùng hồ sơ mẫu và cơ sở dữ liệu riêng, không gửi gì"
                " lên hệ thống của tỉnh. Sau này có thể kết nối máy chủ trong Cài đặt."
            )
        )
        test_note.setContentsMargins(indent * 2, 0, 0, 0)
        layout.addWidget(test_note)
        layout.addStretch(1)

        group = QButtonGroup(self)
        group.addButton(self.choose_server)
        group.addButton(self.choose_test_mode)
        if settings.test_mode and not settings.server_url:
            self.choose_test_mode.setChecked(True)
        else:
            self.choose_server.setChecked(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Tiếp tục"))
        self.ok_button.setObjectName("continue")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Thoát"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        # Typing an address means "connect to a server".
        self.server_url.textEdited.connect(lambda _text: self.choose_server.setChecked(True))
        self.server_url.textChanged.connect(self._validate)
        self.system.sso_url.textChanged.connect(self._validate)
        self.system.kind.currentIndexChanged.connect(self._validate)
        self.system.kind.currentIndexChanged.connect(lambda _index: fit_height(self))
        group.buttonToggled.connect(self._validate)
        order = [
            self.choose_server,
            self.server_url,
            self.system.kind,
            self.system.sso_url,
            self.system.realm,
            self.system.client_id,
            self.classroom,
            self.choose_test_mode,
        ]
        for before, after in itertools.pairwise(order):
            self.setTabOrder(before, after)
        self._validate()
        if self.choose_server.isChecked():
            self.server_url.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def _problem(self) -> str | None:
        if self.choose_test_mode.isChecked():
            return None
        return server_url_problem(
            self.server_url.text(), classroom=self.classroom.isChecked()
        ) or self.system.problem(classroom=self.classroom.isChecked())

    def _validate(self) -> None:
        problem = self._problem()
        self.ok_button.setEnabled(problem is None)
        # An empty field is not an error yet: the hint says what to type.
        typed = bool(self.server_url.text().strip())
        classroom = self.classroom.isChecked()
        url_problem = server_url_problem(self.server_url.text(), classroom=classroom)
        show_error(self.server_error, url_problem if typed else None)
        sso_problem = (
            None if self.choose_test_mode.isChecked() else self.system.problem(classroom=classroom)
        )
        show_error(self.system.sso_error, sso_problem)

    def accept(self) -> None:
        if self._problem() is None:
            super().accept()

    def result_settings(self) -> AppSettings:
        """The settings with the officer's choice: a server address, or test mode."""
        if self.choose_test_mode.isChecked():
            return replace(self._settings, test_mode=True)
        return replace(
            self.system.apply(self._settings),
            server_url=normalized_server_url(self.server_url.text()),
            test_mode=self.classroom.isChecked(),
        )
