"""Where the main window opens: a first start fills the screen, a lost place comes back."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QMainWindow

from intake_desktop.ui.window_placement import (
    brought_on_screen,
    centered_share,
    keep_on_screen,
    place_first_start,
    reachable,
)

LAPTOP = QRect(0, 0, 1366, 768)
MONITOR = QRect(1366, 0, 1920, 1080)


def test_a_first_start_takes_nine_tenths_of_the_screen_centred() -> None:
    rect = centered_share(LAPTOP)
    assert (rect.width(), rect.height()) == (1229, 691)
    assert LAPTOP.contains(rect) and abs(rect.center().x() - LAPTOP.center().x()) <= 1


def test_a_window_saved_on_a_monitor_that_is_gone_cannot_be_reached() -> None:
    saved = QRect(1500, 100, 1600, 900)  # on the docked monitor
    assert reachable(saved, [LAPTOP, MONITOR])
    assert not reachable(saved, [LAPTOP])
    # Only the title strip counts: a window whose top is above the screen is lost too.
    assert not reachable(QRect(100, -500, 800, 520), [LAPTOP])
    assert reachable(QRect(1200, 100, 800, 600), [LAPTOP])  # 166 px of its strip show
    assert not reachable(QRect(1300, 100, 800, 600), [LAPTOP])  # 66 px: too little to grab


def test_brought_back_it_fits_the_laptop_screen() -> None:
    back = brought_on_screen(QRect(1500, 100, 1600, 900), LAPTOP)
    assert LAPTOP.contains(back)
    assert (back.width(), back.height()) == (1366, 768)
    small = brought_on_screen(QRect(2000, 50, 800, 600), LAPTOP)
    assert LAPTOP.contains(small) and (small.width(), small.height()) == (800, 600)


def test_a_restored_window_off_every_screen_is_moved_onto_one(qapp) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    available = window.screen().availableGeometry()
    window.setGeometry(available.right() + 500, 100, 700, 500)
    keep_on_screen(window)
    assert available.intersects(window.geometry())
    assert available.contains(window.geometry())
    window.close()


def test_a_restored_window_larger_than_its_screen_is_shrunk(qapp) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    available = window.screen().availableGeometry()
    window.setGeometry(
        available.x() + 10, available.y() + 10, available.width() * 2, available.height() * 2
    )
    keep_on_screen(window)
    assert window.width() <= available.width() and window.height() <= available.height()
    window.close()


def test_a_first_start_opens_maximized_over_a_sensible_normal_size(qapp) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    place_first_start(window)
    window.show()
    qapp.processEvents()
    available = window.screen().availableGeometry()
    assert window.isMaximized()
    assert window.frameGeometry().width() >= available.width() - 4
    normal = window.normalGeometry()
    assert available.contains(normal) and normal.width() >= available.width() * 0.85
    window.close()
