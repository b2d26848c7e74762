"""Dark control-room theme: calm surfaces, high-contrast severities, readable at a distance."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BACKGROUND = QColor("#12161c")
SURFACE = QColor("#1b2129")
SURFACE_RAISED = QColor("#232b35")
TEXT = QColor("#e6eaef")
TEXT_MUTED = QColor("#93a1b0")
ACCENT = QColor("#3d8bfd")

SEVERITY_COLORS = {
    "critical": QColor("#ff4d4f"),
    "high": QColor("#ff9f1a"),
    "medium": QColor("#f5d90a"),
    "low": QColor("#4cc38a"),
}
CLASS_COLORS = {  # road-user classes: boxes on the wall, bars in the statistics
    "person": QColor("#ff5c8a"),
    "bicycle": QColor("#b388ff"),
    "car": QColor("#4fc3f7"),
    "motorcycle": QColor("#ffd54f"),
    "bus": QColor("#81c784"),
    "truck": QColor("#ffab40"),
}
STATE_COLORS = {
    "live": QColor("#4cc38a"),
    "connecting": QColor("#3d8bfd"),
    "stalled": QColor("#ff9f1a"),
    "offline": QColor("#ff4d4f"),
    "error": QColor("#ff4d4f"),
    "disabled": QColor("#6b7785"),
}

_STYLESHEET = """
QMainWindow, QDialog { background: #12161c; }
QDockWidget { color: #e6eaef; font-weight: 600; }
QDockWidget::title { background: #1b2129; padding: 6px 8px; }
QTreeView, QTableView, QListView, QLineEdit, QTextEdit, QPlainTextEdit {
    background: #1b2129; color: #e6eaef; border: 1px solid #2c3642; border-radius: 4px;
    selection-background-color: #2d5fa8; selection-color: #ffffff;
}
QLineEdit { padding: 5px 8px; }
QHeaderView::section { background: #232b35; color: #c7d0da; border: none; padding: 4px 6px; }
QStatusBar { background: #0d1015; color: #c7d0da; }
QStatusBar QLabel { padding: 0 10px; }
QToolBar { background: #1b2129; border: none; spacing: 4px; }
QToolButton, QPushButton {
    background: #232b35; color: #e6eaef; border: 1px solid #33404e; border-radius: 4px;
    padding: 5px 10px;
}
QToolButton:checked, QPushButton:checked { background: #2d5fa8; border-color: #3d8bfd; }
QToolButton:hover, QPushButton:hover { border-color: #3d8bfd; }
QToolButton:disabled, QPushButton:disabled {
    background: #161b22; color: #56616e; border-color: #232b35;
}
QComboBox { background: #232b35; color: #e6eaef; border: 1px solid #33404e; border-radius: 4px;
    padding: 3px 8px; }
QComboBox QAbstractItemView { background: #1b2129; color: #e6eaef; }
QTableView { alternate-background-color: #20272f; gridline-color: #2c3642; }
QTabBar::tab { background: #1b2129; color: #c7d0da; padding: 6px 12px; border: none; }
QTabBar::tab:selected { background: #2d5fa8; color: #ffffff; }
QGroupBox { color: #c7d0da; border: 1px solid #2c3642; border-radius: 4px; margin-top: 14px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
QMenuBar, QMenu { background: #1b2129; color: #e6eaef; }
QMenu::item:selected, QMenuBar::item:selected { background: #2d5fa8; }
QScrollBar:vertical { background: #12161c; width: 12px; }
QScrollBar::handle:vertical { background: #33404e; border-radius: 5px; min-height: 30px; }
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, BACKGROUND)
    palette.setColor(QPalette.ColorRole.WindowText, TEXT)
    palette.setColor(QPalette.ColorRole.Base, SURFACE)
    palette.setColor(QPalette.ColorRole.AlternateBase, SURFACE_RAISED)
    palette.setColor(QPalette.ColorRole.Text, TEXT)
    palette.setColor(QPalette.ColorRole.Button, SURFACE_RAISED)
    palette.setColor(QPalette.ColorRole.ButtonText, TEXT)
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2d5fa8"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, SURFACE_RAISED)
    palette.setColor(QPalette.ColorRole.ToolTipText, TEXT)
    palette.setColor(QPalette.ColorRole.PlaceholderText, TEXT_MUTED)
    app.setPalette(palette)
    font = QFont("Noto Sans")
    font.setPointSize(11)
    app.setFont(font)
    app.setStyleSheet(_STYLESHEET)
