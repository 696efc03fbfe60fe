"""The trainer's side panel in test mode ("Hướng dẫn"): what the current dossier teaches,
its right decision once the trainee has decided (or asked), and the practice score.

Wiring (main window): create it with the session's :class:`PracticeScorer`, put it in a
dock or splitter shown while guidance mode is on, call :meth:`GuidancePanel.show_dossier`
when a dossier opens and :meth:`GuidancePanel.record_decision` after a decision is recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.domain import DecisionKind
from intake_desktop.services.training.scenarios import TrainingCase
from intake_desktop.services.training.scoring import PracticeAttempt, PracticeScorer
from intake_desktop.ui.queue_model import decision_text


def _wrapped(text: str = "", *, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class GuidancePanel(QWidget):
    """Guidance for the dossier on screen, and the score of the practice session."""

    score_changed = Signal(int, int)
    """(correct, total) after a decision is scored or the score is reset."""
    answer_revealed = Signal(str)
    """Dossier code whose right decision was just shown."""

    def __init__(
        self, scorer: PracticeScorer, *, language: str = "vi", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guidance_panel")
        self._scorer = scorer
        self._english = language == "en"
        self._case: TrainingCase | None = None
        self._revealed = False
        self._last: PracticeAttempt | None = None
        self.setMinimumWidth(320)

        title = _wrapped(self.tr("Hướng dẫn tập huấn"), bold=True)
        title.setStyleSheet("font-size: 13pt;")

        self.code_label = _wrapped()
        self.scenario_label = _wrapped(bold=True)
        self.look_for_label = _wrapped()
        self.component_label = _wrapped()

        case_box = QGroupBox(self.tr("Tình huống"))
        case_layout = QVBoxLayout(case_box)
        case_layout.addWidget(self.code_label)
        case_layout.addWidget(self.scenario_label)
        case_layout.addWidget(_wrapped(self.tr("Cần xem gì:"), bold=True))
        case_layout.addWidget(self.look_for_label)
        case_layout.addWidget(_wrapped(self.tr("Thành phần cần xem:"), bold=True))
        case_layout.addWidget(self.component_label)

        self.reveal_button = QPushButton(self.tr("Xem đáp án"))
        self.reveal_button.clicked.connect(self.reveal_answer)
        self.result_label = _wrapped(bold=True)
        self.answer_label = _wrapped(bold=True)
        self.why_label = _wrapped()
        self.guidance_label = _wrapped()
        self._answer = QWidget()
        answer_layout = QVBoxLayout(self._answer)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.addWidget(self.answer_label)
        answer_layout.addWidget(self.why_label)
        answer_layout.addWidget(self.guidance_label)
        answer_box = QGroupBox(self.tr("Quyết định đúng"))
        answer_box_layout = QVBoxLayout(answer_box)
        answer_box_layout.addWidget(self.result_label)
        answer_box_layout.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignLeft)
        answer_box_layout.addWidget(self._answer)

        self.score_label = _wrapped(bold=True)
        self.attempts = QListWidget()
        self.attempts.setWordWrap(True)
        self.attempts.setMinimumHeight(120)
        self.reset_button = QPushButton(self.tr("Đặt lại điểm"))
        self.reset_button.clicked.connect(self.reset_score)
        score_box = QGroupBox(self.tr("Điểm luyện tập"))
        score_layout = QVBoxLayout(score_box)
        score_row = QHBoxLayout()
        score_row.addWidget(self.score_label, 1)
        score_row.addWidget(self.reset_button)
        score_layout.addLayout(score_row)
        score_layout.addWidget(self.attempts)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(title)
        layout.addWidget(case_box)
        layout.addWidget(answer_box)
        layout.addWidget(score_box, 1)
        self._case_box = case_box
        self._answer_box = answer_box

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.show_dossier(None)
        self.refresh_score()

    # -- the API the main window calls --

    @property
    def current_code(self) -> str | None:
        return self._case.dossier_code if self._case is not None else None

    def show_dossier(self, code: str | None) -> None:
        """Show the guidance of dossier ``code`` (``None`` or not a test-mode case: a hint)."""
        case = self._scorer.library.case(code) if code is not None else None
        if case is None or case.dossier_code != self.current_code:
            self._revealed = False
            self._last = None
        self._case = case
        if case is None:
            self.code_label.setText(
                self.tr("Mở một hồ sơ mẫu để xem hướng dẫn.")
                if code is None
                else self.tr("Hồ sơ %1 không có trong bộ tình huống.").replace("%1", code)
            )
            for label in (self.scenario_label, self.look_for_label, self.component_label):
                label.clear()
        else:
            info = case.scenario
            self.code_label.setText(self.tr("Hồ sơ %1").replace("%1", case.dossier_code))
            self.scenario_label.setText(info.label_en if self._english else info.label_vi)
            self.look_for_label.setText(info.look_for_en if self._english else info.look_for_vi)
            component = info.component_en if self._english else info.component_vi
            if case.problem_component:
                component = f"{component} ({case.problem_component})"
            self.component_label.setText(component)
        self._show_answer()

    def record_decision(self, code: str, kind: DecisionKind) -> PracticeAttempt | None:
        """Score a decision just recorded; reveals the answer when ``code`` is on screen.

        Returns the attempt, or ``None`` for a dossier that is not a test-mode case.
        """
        attempt = self._scorer.record(code, kind)
        if attempt is None:
            return None
        if code == self.current_code:
            self._last = attempt
            self._revealed = True
            self._show_answer()
        self.refresh_score()
        return attempt

    def reveal_answer(self) -> None:
        """Show the right decision before deciding (the trainer's "Xem đáp án")."""
        if self._case is None:
            return
        self._revealed = True
        self._show_answer()
        self.answer_revealed.emit(self._case.dossier_code)

    def reset_score(self) -> None:
        """Start a new practice session at 0/0."""
        self._scorer.reset()
        self._last = None
        self._show_answer()
        self.refresh_score()

    def refresh_score(self) -> None:
        score = self._scorer.score()
        self.score_label.setText(
            self.tr("Đúng %1/%2").replace("%1", str(score.correct)).replace("%2", str(score.total))
        )
        self.attempts.clear()
        for attempt in reversed(score.attempts):
            mark = "✓" if attempt.correct else "✗"
            text = self.tr("%1 %2 — chọn: %3; đáp án: %4")
            for key, value in (
                ("%1", mark),
                ("%2", attempt.dossier_code),
                ("%3", decision_text(attempt.given, full=True)),
                ("%4", decision_text(attempt.expected, full=True)),
            ):
                text = text.replace(key, value)
            item = QListWidgetItem(text)
            item.setToolTip(attempt.explanation_en if self._english else attempt.explanation)
            item.setForeground(Qt.GlobalColor.darkGreen if attempt.correct else Qt.GlobalColor.red)
            self.attempts.addItem(item)
        self.score_changed.emit(score.correct, score.total)

    # -- internals --

    def _show_answer(self) -> None:
        case = self._case
        self._answer_box.setEnabled(case is not None)
        self.reveal_button.setVisible(case is not None and not self._revealed)
        self._answer.setVisible(case is not None and self._revealed)
        if self._last is not None and case is not None:
            if self._last.correct:
                self.result_label.setText(self.tr("✓ Quyết định đúng."))
                self.result_label.setStyleSheet("color: #1b5e20;")
            else:
                self.result_label.setText(
                    self.tr("✗ Chưa đúng: đã chọn «%1».").replace(
                        "%1", decision_text(self._last.given, full=True)
                    )
                )
                self.result_label.setStyleSheet("color: #b71c1c;")
            self.result_label.show()
        else:
            self.result_label.hide()
        if case is None:
            return
        info = case.scenario
        self.answer_label.setText(decision_text(case.expected_decision, full=True))
        self.why_label.setText(info.why_en if self._english else info.why_vi)
        self.guidance_label.setText(case.guidance_en if self._english else case.guidance_vi)
