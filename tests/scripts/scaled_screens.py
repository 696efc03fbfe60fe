"""Screens at a display scale (run by tests/test_main_window.py with QT_SCALE_FACTOR set).

Prints CLIPPED for any visible button narrower than its text needs; saves queue.png and
review.png into the folder given as the first argument.
"""

# ruff: noqa: I001 - the app's import order: services first, then Qt
import os
import sys
import time

from intake_desktop import app as _app  # noqa: F401
from intake_desktop.desk import DeskSettings
from intake_desktop.session import open_test_mode_session
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QAbstractButton, QApplication

from intake_desktop.ui.main_window import MainWindow


def main() -> None:
    app = QApplication([])
    s = open_test_mode_session(DeskSettings(test_mode=True))
    s.desk.sync()
    s.desk.check_signatures()
    w = MainWindow(s, auto_sync=False, show_slips=False)
    scale = float(os.environ.get("QT_SCALE_FACTOR", "1"))
    w.resize(int(1920 / scale), int(1080 / scale))  # a 1920x1080 screen at that scale
    w.show()

    def wait(cond, t=60):
        end = time.time() + t
        while not cond() and time.time() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    wait(lambda: w.queue.rowCount() > 0)
    w.grab().save(sys.argv[1] + "/queue.png")
    w.open_dossier(w.queue.row_at(0).code)
    wait(lambda: w.review is not None and w.review.view is not None)
    viewer = w.review.viewer
    wait(lambda: viewer.view._first_painted or bool(viewer.message_text))
    print("PAGES", viewer.page_count, viewer.message_text)
    t = time.time()
    wait(lambda: time.time() - t > 1.5)
    w.grab().save(sys.argv[1] + "/review.png")
    for b in w.findChildren(QAbstractButton):
        if b.isVisible() and b.text() and b.width() < b.sizeHint().width():
            print("CLIPPED", repr(b.text()), b.width(), b.sizeHint().width())
    s.close()


# The viewer's render process is spawned: it imports this file again, as __mp_main__.
if __name__ == "__main__":
    main()
