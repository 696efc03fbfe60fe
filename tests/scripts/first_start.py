"""First start as an officer sees it: the real ``make run`` path on a fresh profile.

Run by tests/test_first_start.py on an offscreen screen of a given size and scale (the
platform's config file). Starts the app through ``intake_desktop.cli.main(["--test-mode=auto"])``
with no settings, then tours the queue, a dossier review, a decision dialog and the audit
tab, saving ``first-start-<label>-<screen>.png`` into the folder given as the first argument
and printing one line per problem found:

    OFFSCREEN <what> <rect> <screen>      a window not inside the available screen
    ELIDED <where> <text> <width> <needs>  a header or toolbar widget narrower than its text
                                           (a toolbar's <where>: toolbar@<view>)
    CLIPPED <text> <width> <needs>         a visible button narrower than its text
    CUT <where> <header> <right> <viewport>  a column past the table's right edge (scrolled to)
    CELL <where> <column> <text> <width> <needs>  a cell of a fixed-width column cut
    OVERFLOW <view> <toolbar> <hidden>     a toolbar too narrow: widgets behind its » button
    PANE <name> <width>x<height>           a review pane not visible or too small to use
    SHOT <name>                            a screenshot taken
"""

# ruff: noqa: I001 - the app's import order: services first, then Qt
import sys
import time
from collections.abc import Callable
from pathlib import Path

from intake_desktop import cli
from intake_desktop.domain import DecisionKind
from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QTableView,
    QToolBar,
    QToolButton,
    QWidget,
)

READABLE_PANE = (200, 120)
"""A review pane narrower or lower than this (logical pixels) is not usable."""
HEADER_PADDING = 12
"""A header section needs its text plus this much (margins, sort arrow excluded)."""
CELL_PADDING = 8
"""A cell needs its text plus this much (the style's text margins)."""
CUT_ALLOWED = {"procedure"}
"""Queue columns whose long texts may be cut (their full text is the tooltip)."""


class Tour:
    def __init__(self, app: QApplication, out: Path, label: str) -> None:
        self.app = app
        self.out = out
        self.label = label
        self.steps: list[tuple[Callable[[], bool], Callable[[], None]]] = []
        self.since = time.monotonic()
        self.deadline = time.monotonic() + 240
        self.window: QWidget | None = None
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.tick)

    # --- stepping ----------------------------------------------------------------------

    def then(self, ready: Callable[[], bool], act: Callable[[], None]) -> None:
        self.steps.append((ready, act))

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            print("TIMEOUT", len(self.steps), "steps left", flush=True)
            self.timer.stop()
            self.app.exit(3)
            return
        if not self.steps:
            return
        ready, act = self.steps[0]
        if ready():
            self.steps.pop(0)
            self.since = time.monotonic()
            act()

    def settled(self, seconds: float) -> bool:
        return time.monotonic() - self.since > seconds

    # --- checks ------------------------------------------------------------------------

    def screen_rect(self, widget: QWidget) -> QRect:
        screen = widget.screen() or self.app.primaryScreen()
        return screen.availableGeometry()

    def check_fits(self, what: str, widget: QWidget) -> None:
        frame, screen = widget.frameGeometry(), self.screen_rect(widget)
        if not screen.contains(frame):
            print("OFFSCREEN", what, _rect(frame), _rect(screen), flush=True)

    def check_header(self, where: str, header: QHeaderView) -> None:
        metrics = header.fontMetrics()
        model = header.model()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = str(model.headerData(section, header.orientation()) or "")
            needs = metrics.horizontalAdvance(text) + HEADER_PADDING
            if text and header.sectionSize(section) < needs:
                print("ELIDED", where, repr(text), header.sectionSize(section), needs, flush=True)

    def check_in_view(self, where: str, view: QAbstractItemView) -> None:
        """Every column of a table that should not scroll sideways starts and ends in view."""
        assert isinstance(view, QTableView)
        header = view.horizontalHeader()
        edge = view.viewport().width()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            right = header.sectionViewportPosition(section) + header.sectionSize(section)
            if right > edge + 1:
                text = str(view.model().headerData(section, header.orientation()) or "")
                print("CUT", where, repr(text), right, edge, flush=True)

    def check_cells(self, where: str, view: QTableView, columns: tuple[str, ...]) -> None:
        """No cell of a fixed-width column (code, dates, deadline, badge…) is cut."""
        metrics = view.fontMetrics()
        model = view.model()
        header = view.horizontalHeader()
        for column, name in enumerate(columns):
            if name in CUT_ALLOWED or header.isSectionHidden(column):
                continue
            for row in range(min(model.rowCount(), 200)):
                text = str(model.index(row, column).data() or "")
                needs = metrics.horizontalAdvance(text) + CELL_PADDING
                if text and header.sectionSize(column) < needs:
                    width = header.sectionSize(column)
                    print("CELL", where, name, repr(text), width, needs, flush=True)
                    break

    def check_overflow(self, view: str, widget: QWidget) -> None:
        """A toolbar whose widgets do not all fit shows a » button: the officer loses them."""
        for toolbar in widget.findChildren(QToolBar):
            if not toolbar.isVisible():
                continue
            extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
            if extension is not None and extension.isVisible():
                hidden = [
                    action.text() or action.objectName() or type(action).__name__
                    for action in toolbar.actions()
                    if not action.isSeparator()
                    and (w := toolbar.widgetForAction(action)) is not None
                    and not w.isVisible()
                ]
                owner = type(toolbar.parentWidget()).__name__
                name = toolbar.objectName() or toolbar.windowTitle() or f"{owner}'s toolbar"
                print("OVERFLOW", view, repr(name), repr(hidden), flush=True)

    def check_toolbars(self, view: str, window: QWidget) -> None:
        self.check_overflow(view, window)
        for toolbar in window.findChildren(QToolBar):
            for child in toolbar.findChildren(QWidget):
                if not child.isVisible() or child.parent() is not toolbar:
                    continue
                if isinstance(child, QLineEdit):
                    text = child.placeholderText() or child.text()
                    needs = child.fontMetrics().horizontalAdvance(text) + 16
                else:
                    needs = child.minimumSizeHint().width()
                    text = child.text() if hasattr(child, "text") else type(child).__name__
                if child.width() < needs:
                    where = f"toolbar@{view}"
                    print("ELIDED", where, repr(text), child.width(), needs, flush=True)

    def check_buttons(self, widget: QWidget) -> None:
        for button in widget.findChildren(QAbstractButton):
            if button.isVisible() and button.text() and button.width() < button.sizeHint().width():
                print("CLIPPED", repr(button.text()), button.width(), button.sizeHint().width())

    def shot(self, name: str, widget: QWidget) -> None:
        path = self.out / f"first-start-{self.label}-{name}.png"
        widget.grab().save(str(path))
        print("SHOT", name, widget.width(), widget.height(), flush=True)


def _rect(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()},{rect.width()}x{rect.height()}"


def plan(tour: Tour) -> None:
    from intake_desktop.ui.decision_dialog import DecisionDialog
    from intake_desktop.ui.main_window import MainWindow

    state: dict[str, object] = {}

    def window() -> MainWindow:
        return state["window"]  # type: ignore[return-value]

    def found() -> bool:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].isVisible():
            state["window"] = windows[0]
        return "window" in state

    def queue_ready() -> bool:
        w = window()
        return w.queue.rowCount() > 0 and not w._syncing and tour.settled(1.5)

    def queue() -> None:
        w = window()
        screen = tour.screen_rect(w)
        print("WINDOW", _rect(w.frameGeometry()), "SCREEN", _rect(screen), flush=True)
        tour.check_fits("main window", w)
        tour.check_header("queue", w.queue_view.horizontalHeader())
        tour.check_in_view("queue", w.queue_view)
        tour.check_cells("queue", w.queue_view, w.queue.COLUMNS)
        tour.check_toolbars("queue", w)
        tour.check_buttons(w)
        tour.shot("queue", w)
        w.open_dossier(w.queue.row_at(0).code)

    def review_ready() -> bool:
        w = window()
        review = w.review
        if review is None or review.view is None:
            return False
        viewer = review.viewer
        return (viewer.view._first_painted or bool(viewer.message_text)) and tour.settled(1.0)

    def review() -> None:
        w = window()
        assert w.review is not None
        panes = {
            "dossier": w.review.checklist_view,
            "viewer": w.review.viewer,
            "signature history": w.review.signatures_view,
        }
        for name, pane in panes.items():
            small = pane.width() < READABLE_PANE[0] or pane.height() < READABLE_PANE[1]
            if not pane.isVisible() or small:
                print("PANE", repr(name), f"{pane.width()}x{pane.height()}", flush=True)
        print("PAGES", w.review.viewer.page_count, flush=True)
        tour.check_buttons(w)
        tour.check_toolbars("review", w)
        tour.check_header("signature history", w.review.signatures_view.horizontalHeader())
        tour.shot("review", w)
        view = w.review.view
        assert view is not None  # review_ready waited for it
        dialog = DecisionDialog(
            DecisionKind.ACCEPT, view, w.desk.suggested_appointment(view), w, clock=w.desk.clock
        )
        dialog.show()
        state["dialog"] = dialog

    def dialog() -> None:
        d: QWidget = state["dialog"]  # type: ignore[assignment]
        tour.check_fits("decision dialog", d)
        tour.check_buttons(d)
        tour.shot("decision", d)
        d.close()
        w = window()
        w.tabs.setCurrentIndex(1)

    def audit_ready() -> bool:
        w = window()
        view = w.audit_view
        return view is not None and view.model.rowCount() > 0 and tour.settled(1.5)

    def audit() -> None:
        w = window()
        assert w.audit_view is not None
        print("AUDIT_TO", w.audit_view.date_to.date().toString("yyyy-MM-dd"), flush=True)
        tour.check_fits("main window on the audit tab", w)
        tour.check_header("audit", w.audit_view.table.horizontalHeader())
        tour.check_buttons(w)
        tour.shot("audit", w)
        w.close()

    tour.then(found, lambda: None)
    tour.then(queue_ready, queue)
    tour.then(review_ready, review)
    tour.then(lambda: tour.settled(1.0), dialog)
    tour.then(audit_ready, audit)


def main() -> None:
    out, label = Path(sys.argv[1]), sys.argv[2]
    app = QApplication([])  # the app's start-up reuses it, as under pytest-qt
    tour = Tour(app, out, label)
    plan(tour)
    tour.timer.start()
    code = cli.main(["--test-mode=auto"])
    print("EXIT", code, "STEPS LEFT", len(tour.steps), flush=True)


# The viewer's render process is spawned: it imports this file again, as __mp_main__.
if __name__ == "__main__":
    main()
