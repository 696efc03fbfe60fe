"""Where the main window goes: maximized on a first start, a saved place kept only if on screen.

A laptop undocked from its monitor restores a geometry saved on a screen that is gone; Qt
then opens the window off every screen, or larger than the one left. The rules here are
plain functions of rectangles so they are tested without a window manager.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

NORMAL_SHARE = 0.9
"""Share of the available screen the window takes when un-maximized after a first start."""
GRIP = QSize(120, 40)
"""How much of the window's top strip must lie on a screen for the officer to drag it back."""


def centered_share(available: QRect, share: float = NORMAL_SHARE) -> QRect:
    """Return a rectangle ``share`` of ``available`` in each direction, centred in it."""
    size = QSize(int(available.width() * share), int(available.height() * share))
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(available.center())
    return rect


def reachable(frame: QRect, screens: list[QRect]) -> bool:
    """Return whether the frame's title strip shows enough on one screen to grab it."""
    strip = QRect(frame.topLeft(), QSize(frame.width(), GRIP.height()))
    for screen in screens:
        seen = strip.intersected(screen)
        if seen.width() >= min(GRIP.width(), frame.width()) and seen.height() >= min(
            GRIP.height() // 2, frame.height()
        ):
            return True
    return False


def brought_on_screen(frame: QRect, screen: QRect) -> QRect:
    """Return ``frame`` shrunk to fit ``screen`` and moved fully onto it."""
    size = frame.size().boundedTo(screen.size())
    rect = QRect(frame.topLeft(), size)
    rect.moveLeft(max(screen.left(), min(rect.left(), screen.right() - size.width() + 1)))
    rect.moveTop(max(screen.top(), min(rect.top(), screen.bottom() - size.height() + 1)))
    return rect


def available_screens() -> list[QRect]:
    return [screen.availableGeometry() for screen in QGuiApplication.screens()]


def place_first_start(window: QWidget) -> None:
    """No saved place: a normal size derived from the screen, shown maximized."""
    # The primary screen: the window is not on any yet (and asking a widget without a
    # native window for its screen crashed Qt 6.11 offscreen in a long test run).
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return
    window.setGeometry(centered_share(screen.availableGeometry()))
    window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def keep_on_screen(window: QWidget) -> None:
    """After a saved geometry is restored: bring it back if no screen shows it, or it is
    larger than the screen it is on."""
    screens = available_screens()
    if not screens or window.isMaximized() or window.isFullScreen():
        return
    frame = window.frameGeometry()
    if reachable(frame, screens):
        target = next(s for s in screens if s.intersects(frame))
        if target.contains(frame):
            return
        if frame.width() <= target.width() and frame.height() <= target.height():
            return  # partly off the edge but grabbable and not too large: the officer's choice
    else:
        primary = QGuiApplication.primaryScreen()
        target = primary.availableGeometry() if primary is not None else screens[0]
    window.setGeometry(brought_on_screen(window.geometry(), target))
