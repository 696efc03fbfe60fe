"""Signing in to the provincial system (or the training server) before work starts.

The caller builds the login (the dialog only knows "username, password → officer") and reads
the outcome from ``exec()``::

    dialog = SignInDialog(settings, login, CredentialStore(), parent)
    code = dialog.exec()
    save_settings(dialog.result_settings())       # username, "remember" choice
    if code == QDialog.DialogCode.Accepted:        # dialog.officer is the signed-in officer
        ...
    elif code == SignInDialog.CHANGE_SERVER:       # show FirstStartDialog, then sign in again
        ...
    elif code == SignInDialog.WORK_OFFLINE:        # start on the local cache, no session
        ...
    else:                                          # Rejected: the officer closed the dialog
        ...

``login`` runs on a pool thread; it typically makes the configured adapter
(``services.adapters``) for the username and calls ``login(password)``, keeping the source
for the session. The password goes to the OS keyring (through ``CredentialStore``) only when
the officer asks, and only after the server accepted it; it is never logged nor written to
the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.services.adapters import ADAPTERS, SystemKind
from intake_desktop.services.adapters.sign_in import SignInSettingWrong
from intake_desktop.services.credentials import CredentialError, CredentialStore
from intake_desktop.services.source import AuthenticationFailed, Officer
from intake_desktop.ui.app_settings import AppSettings
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.error_text import error_text, sign_in_error_text
from intake_desktop.ui.first_start_dialog import (
    FieldGrid,
    error_label,
    fit_height,
    heading_label,
    note_label,
    show_error,
)

log = logging.getLogger(__name__)

Login = Callable[[str, str], Officer]
"""(username, password) → the officer; raises ``AuthenticationFailed``, ``SourceUnavailable``…"""


@dataclass(frozen=True)
class _SignedIn:
    officer: Officer
    keyring_error: CredentialError | None


def _sign_in(
    login: Login,
    credentials: CredentialStore,
    server_url: str,
    username: str,
    password: str,
    remember: bool,
) -> _SignedIn:
    """Runs on a pool thread: no widgets here."""
    officer = login(username, password)
    # Only a password the server accepted is remembered; unticking the box forgets it.
    try:
        if remember:
            credentials.save(server_url, username, password)
        elif credentials.available():
            credentials.delete(server_url, username)
    except CredentialError as error:
        return _SignedIn(officer, error)
    return _SignedIn(officer, None)


class SignInDialog(QDialog):
    """Username and password for the configured server, signed in off the GUI thread.

    ``exec()`` returns ``Accepted`` once signed in (see :attr:`officer`), :attr:`CHANGE_SERVER`
    or :attr:`WORK_OFFLINE` when the officer chose those, ``Rejected`` when they closed it.
    """

    CHANGE_SERVER = 2
    """Result code: the officer wants another server (show the first-start dialog)."""
    WORK_OFFLINE = 3
    """Result code: start without a session, on the local cache."""

    def __init__(
        self,
        settings: AppSettings,
        login: Login,
        credentials: CredentialStore,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_dialog")
        self._settings = settings
        self._login = login
        self._credentials = credentials
        self._attempt = 0
        """Bumped on every sign-in and when the dialog closes: late answers are ignored."""
        self._prefilled = False
        """The password field holds the remembered password (so it may not be shown)."""
        self.officer: Officer | None = None
        """The signed-in officer, once ``exec()`` returned Accepted."""
        self.keyring_warning: str | None = None
        """Signed in, but the password could not be remembered: tell the officer (status bar)."""

        self.setWindowTitle(self.tr("Đăng nhập — Intake Desktop"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 76)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Đăng nhập hệ thống tiếp nhận hồ sơ")))

        form = FieldGrid()
        layout.addLayout(form)
        server_row = QHBoxLayout()
        system = ADAPTERS[SystemKind.parse(settings.system_kind)]
        shown = settings.server_url
        if system.kind is not SystemKind.INTAKE:
            shown = f"{settings.server_url} — {system.name}"  # the product's own name
        self.server_label = QLabel(shown)
        self.server_label.setObjectName("server_label")
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_server = QPushButton(self.tr("Đổi má&y chủ…"))
        self.change_server.setObjectName("change_server")
        self.change_server.setAutoDefault(False)
        server_row.addWidget(self.server_label, 1)
        server_row.addWidget(self.change_server)
        form.add_field(self.tr("Máy chủ:"), server_row)

        self.username = QLineEdit(settings.username)
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("Tài khoản do quản trị hệ thống cấp"))
        form.add_field(self.tr("&Tên đăng nhập:"), self.username)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.add_field(self.tr("&Mật khẩu:"), self.password)
        self.show_password = QCheckBox(self.tr("&Hiện mật khẩu"))
        self.show_password.setObjectName("show_password")
        form.add_below(self.show_password)

        self.remember = QCheckBox(self.tr("&Ghi nhớ mật khẩu"))
        self.remember.setObjectName("remember_password")
        self.keyring_note = note_label(
            self.tr(
                "Máy tính này không có kho mật khẩu an toàn của hệ điều hành: cần nhập mật khẩu"
                " mỗi lần đăng nhập."
            ),
            "keyring_note",
        )
        form.add_below(self.remember, self.keyring_note)
        self._keyring_available = credentials.available()
        if self._keyring_available:
            self.remember.setChecked(settings.remember_password)
            self.remember.setToolTip(
                self.tr("Mật khẩu được cất trong kho mật khẩu của hệ điều hành, không ghi ra tệp.")
            )
            self.keyring_note.hide()
        else:
            self.remember.setEnabled(False)
            self.remember.setToolTip(self.keyring_note.text())

        self.error = error_label("sign_in_error")
        layout.addWidget(self.error)
        busy_row = QHBoxLayout()
        self.busy = QProgressBar()
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # indeterminate: we cannot know how long the server takes
        self.busy.setTextVisible(False)
        self.busy_label = QLabel(self.tr("Đang đăng nhập…"))
        busy_row.addWidget(self.busy_label)
        busy_row.addWidget(self.busy, 1)
        self.busy_box = QWidget()
        self.busy_box.setLayout(busy_row)
        busy_row.setContentsMargins(0, 0, 0, 0)
        self.busy_box.hide()
        layout.addWidget(self.busy_box)
        layout.addStretch(1)

        # "Work offline" stands apart on the left: it is not an answer to this dialog's question.
        bottom = QHBoxLayout()
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(
            self.tr("Đăng &nhập"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setObjectName("sign_in")
        self.sign_in_button.setDefault(True)
        self.offline_button = QPushButton(self.tr("&Làm việc ngoại tuyến"))
        self.offline_button.setObjectName("work_offline")
        self.offline_button.setAutoDefault(False)
        self.offline_button.setToolTip(
            self.tr(
                "Mở các hồ sơ đã lưu trên máy mà không đăng nhập. Không nhận được hồ sơ mới;"
                " quyết định chờ trong hàng đợi gửi đến khi đăng nhập lại."
            )
        )
        cancel = self.buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        bottom.addWidget(self.offline_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.sign_in_button.clicked.connect(self.sign_in)
        self.offline_button.clicked.connect(lambda: self.done(self.WORK_OFFLINE))
        self.change_server.clicked.connect(lambda: self.done(self.CHANGE_SERVER))
        cancel.clicked.connect(self.reject)
        self.show_password.toggled.connect(self._show_password)
        self.password.textChanged.connect(self._password_changed)
        self.username.textEdited.connect(self._username_edited)

        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.show_password)
        self.setTabOrder(self.show_password, self.remember)
        self.setTabOrder(self.remember, self.sign_in_button)
        self.setTabOrder(self.sign_in_button, self.offline_button)
        self.setTabOrder(self.offline_button, cancel)
        self.setTabOrder(cancel, self.change_server)
        (self.password if settings.username else self.username).setFocus()

        if self.remember.isChecked() and settings.username and settings.server_url:
            self._load_remembered(settings.username)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    # -- remembered password ---------------------------------------------------------------

    def _load_remembered(self, username: str) -> None:
        # A keyring may block (an unlock prompt): read it off the GUI thread.
        credentials, server = self._credentials, self._settings.server_url
        run_in_background(
            self,
            lambda: credentials.get(server, username),
            lambda password: self._prefill(username, password),
            self._remembered_unreadable,
        )

    def _prefill(self, username: str, password: object) -> None:
        if not isinstance(password, str) or not password:
            return
        if self.password.text() or self.username.text().strip() != username:
            return  # the officer already typed: theirs wins
        self._prefilled = True
        self.password.setText(password)
        self.show_password.setChecked(False)
        self.show_password.setEnabled(False)
        self.show_password.setToolTip(self.tr("Mật khẩu đã ghi nhớ không được hiển thị."))

    def _remembered_unreadable(self, error: BaseException) -> None:
        log.info("remembered password unreadable: %s", type(error).__name__)
        show_error(self.error, error_text(error))

    def _password_changed(self, text: str) -> None:
        if not text and self._prefilled:
            # Cleared: what the officer types now is theirs to see.
            self._prefilled = False
            self.show_password.setEnabled(not self.busy_box.isVisible())
            self.show_password.setToolTip("")

    def _username_edited(self, _text: str) -> None:
        if self._prefilled:
            # The remembered password belongs to the previous username.
            self.password.clear()

    def _show_password(self, shown: bool) -> None:
        self.password.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )

    # -- signing in ------------------------------------------------------------------------

    def sign_in(self) -> None:
        """Sign in with what the officer typed (the "Đăng nhập" button, or Enter)."""
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            show_error(self.error, self.tr("Hãy nhập tên đăng nhập và mật khẩu."))
            (self.username if not username else self.password).setFocus()
            return
        show_error(self.error, None)
        self._set_busy(True)
        self._attempt += 1
        attempt = self._attempt
        login, credentials, server = self._login, self._credentials, self._settings.server_url
        remember = self.remember.isChecked()
        log.info("signing in as %s at %s", username, server)
        run_in_background(
            self,
            lambda: _sign_in(login, credentials, server, username, password, remember),
            lambda outcome: self._signed_in(attempt, outcome),
            lambda error: self._failed(attempt, error),
        )

    def _signed_in(self, attempt: int, outcome: _SignedIn) -> None:
        if attempt != self._attempt:
            return
        self._set_busy(False)
        self.officer = outcome.officer
        if outcome.keyring_error is not None:
            self.keyring_warning = error_text(outcome.keyring_error)
        self.password.clear()
        self.accept()

    def _failed(self, attempt: int, error: BaseException) -> None:
        if attempt != self._attempt:
            return
        log.info("sign-in failed: %s", type(error).__name__)
        self._set_busy(False)
        show_error(self.error, sign_in_error_text(error))
        if isinstance(error, SignInSettingWrong):
            # Retyping the password cannot help: the fix is behind "Đổi máy chủ…".
            self.change_server.setFocus()
            return
        self.password.setFocus()
        if isinstance(error, AuthenticationFailed):
            self.password.selectAll()

    def _set_busy(self, busy: bool) -> None:
        # Cancel and "work offline" stay usable: a slow server must not trap the officer.
        for widget in (self.username, self.password, self.remember, self.change_server):
            widget.setEnabled(not busy and (widget is not self.remember or self._keyring_available))
        self.show_password.setEnabled(not busy and not self._prefilled)
        self.sign_in_button.setEnabled(not busy)
        self.busy_box.setVisible(busy)
        if self.isVisible():
            fit_height(self)

    def done(self, code: int) -> None:
        self._attempt += 1  # whatever the server answers now, nobody is waiting for it
        super().done(code)

    def result_settings(self) -> AppSettings:
        """The settings with the username typed and the "remember" choice."""
        return replace(
            self._settings,
            username=self.username.text().strip(),
            remember_password=self.remember.isChecked(),
        )
