"""The number plate of the alert shown: as read (or corrected), and what one can do with it.

The plate is drawn like the real one (its background colour, one or two lines), with how
sure the reader was and from how many frames, or who entered it. "Read plate" reads it now
from the stored evidence; "Correct…" sets it (audited); "Watch…" puts it on the watch-list
(audited; supervisors). Every action is checked in the core (``PlateDesk``); a refusal is
shown as the core words it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.alerts.plate_desk import PlateDesk
from console.domain.plates import PlateColour, PlateRead, PlateSource
from console.domain.records import Alert
from console.plates.on_alert import wants_plate
from console.security.roles import Actor
from ui.gui_callbacks import GuiCallbacks

# Background and ink of each plate colour, as painted on the road.
PLATE_STYLE = {
    PlateColour.WHITE: ("#f4f4f0", "#111111"),
    PlateColour.YELLOW: ("#f2c200", "#111111"),
    PlateColour.BLUE: ("#1d4fa8", "#ffffff"),
    PlateColour.RED: ("#c62828", "#ffffff"),
    PlateColour.UNKNOWN: ("#d8dde3", "#111111"),
}


class PlatePrompts(Protocol):
    def ask_plate(self, current: PlateRead | None) -> tuple[str, PlateColour] | None: ...

    def ask_reason(self, plate: str) -> str | None: ...


class PlateDialogs:
    """Asks with small modal dialogs (the running console); tests answer without them."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def ask_plate(self, current: PlateRead | None) -> tuple[str, PlateColour] | None:
        title = self.parent.tr("Correct the plate")
        text, ok = QInputDialog.getText(
            self.parent,
            title,
            self.parent.tr("Plate as read on the evidence (e.g. 30E-123.45, 29-B1 123.45):"),
            text=current.text if current is not None else "",
        )
        if not ok or not text.strip():
            return None
        names = [colour_label(colour) for colour in PlateColour]
        start = list(PlateColour).index(current.colour) if current is not None else 0
        chosen, ok = QInputDialog.getItem(
            self.parent, title, self.parent.tr("Plate colour:"), names, start, False
        )
        if not ok:
            return None
        return text.strip(), list(PlateColour)[names.index(chosen)]

    def ask_reason(self, plate: str) -> str | None:
        reason, ok = QInputDialog.getText(
            self.parent,
            self.parent.tr("Watch plate %1").replace("%1", plate),
            self.parent.tr("Why (e.g. reported stolen, case number):"),
        )
        return reason.strip() if ok and reason.strip() else None


def colour_label(colour: PlateColour) -> str:
    names = {
        PlateColour.WHITE: QCoreApplication.translate("PlatePanel", "white"),
        PlateColour.YELLOW: QCoreApplication.translate("PlatePanel", "yellow"),
        PlateColour.BLUE: QCoreApplication.translate("PlatePanel", "blue"),
        PlateColour.RED: QCoreApplication.translate("PlatePanel", "red"),
        PlateColour.UNKNOWN: QCoreApplication.translate("PlatePanel", "colour unknown"),
    }
    return names[colour]


class PlatePanel(QGroupBox):
    refused = Signal(str)  # what the core said when it refused, or why nothing was saved
    done = Signal(str)  # a short confirmation for the status bar

    def __init__(
        self,
        desk: PlateDesk,
        actor: Callable[[], Actor | None],
        prompts: PlatePrompts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.actor = actor
        self.prompts: PlatePrompts = prompts or PlateDialogs(self)
        self.answers = GuiCallbacks(self)
        self.alert: Alert | None = None
        self.reading = False
        self.plate_label = QLabel(self)
        self.plate_label.setObjectName("plateText")
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.read_button = QPushButton(self)
        self.correct_button = QPushButton(self)
        self.watch_button = QPushButton(self)
        self.read_button.clicked.connect(self.read_now)
        self.correct_button.clicked.connect(self.correct)
        self.watch_button.clicked.connect(self.watch)
        buttons = QHBoxLayout()
        for button in (self.read_button, self.correct_button, self.watch_button):
            buttons.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(self.plate_label)
        top.addWidget(self.details, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.retranslate()
        self.show_alert(None)

    # ---- content ------------------------------------------------------------------------

    def show_alert(self, alert: Alert | None) -> None:
        if alert is None or self.alert is None or alert.id != self.alert.id:
            self.reading = False
        self.alert = alert
        plate = alert.plate if alert is not None else None
        if plate is None:
            self.plate_label.setStyleSheet("font-size: 15pt; color: #93a1b0; padding: 4px;")
            self.plate_label.setText(self.tr("Not read"))
        else:
            background, ink = PLATE_STYLE[plate.colour]
            self.plate_label.setStyleSheet(
                f"font-size: 17pt; font-weight: 700; font-family: monospace; padding: 4px 10px;"
                f" background: {background}; color: {ink}; border: 2px solid #111;"
                " border-radius: 4px;"
            )
            text = plate.text.replace(" ", "\n", 1) if plate.lines == 2 else plate.text
            self.plate_label.setText(text)
        self.details.setText(self._details(alert, plate))
        readable = alert is not None and wants_plate(alert)
        has_evidence = alert is not None and bool(alert.evidence)
        self.read_button.setEnabled(readable and has_evidence and not self.reading)
        self.correct_button.setEnabled(alert is not None)
        self.watch_button.setEnabled(plate is not None)

    def _details(self, alert: Alert | None, plate: PlateRead | None) -> str:
        if alert is None:
            return ""
        if self.reading:
            return self.tr("Reading the plate from the evidence…")
        if plate is None:
            if not wants_plate(alert):
                return self.tr("No vehicle in this alert.")
            return self.tr("No plate could be read from the evidence frames.")
        colour = colour_label(plate.colour)
        if plate.source is PlateSource.OPERATOR:
            return self.tr("Entered by an operator · %1").replace("%1", colour)
        sure = f"{plate.confidence * 100:.0f} %"
        text = (
            self.tr("Read from %1 frame(s) · %2 sure · %3")
            .replace("%1", str(plate.frames))
            .replace("%2", sure)
            .replace("%3", colour)
        )
        if not plate.valid:
            text += " · " + self.tr("not a valid plate format")
        return text

    def retranslate(self) -> None:
        self.setTitle(self.tr("Number plate"))
        self.read_button.setText(self.tr("Read plate"))
        self.correct_button.setText(self.tr("Correct…"))
        self.watch_button.setText(self.tr("Watch…"))
        self.read_button.setToolTip(self.tr("Read the plate now from this alert's evidence"))
        self.watch_button.setToolTip(
            self.tr("Raise a priority alert whenever this plate is read on any camera")
        )
        self.show_alert(self.alert)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- actions ------------------------------------------------------------------------

    def _who(self) -> Actor | None:
        actor = self.actor()
        if actor is None:
            self.refused.emit(self.tr("Sign in first."))
        return actor

    def read_now(self) -> None:
        alert, actor = self.alert, self._who()
        if alert is None or actor is None:
            return
        try:
            reading = self.desk.read_now(actor, alert)
        except PermissionError as denied:
            self.refused.emit(str(denied))
            return
        self.reading = True
        self.show_alert(alert)
        self.answers.when_done(reading, self._read, self._failed)

    def _read(self, plate: PlateRead | None) -> None:
        self.reading = False
        if self.alert is not None:
            shown = self.alert.evolve(plate=plate) if plate is not None else self.alert
            self.show_alert(shown)
        if plate is None:
            self.done.emit(self.tr("No plate could be read from the evidence frames."))
        else:
            self.done.emit(self.tr("Plate read: %1").replace("%1", plate.text))

    def _failed(self, error: BaseException) -> None:
        self.reading = False
        self.show_alert(self.alert)
        self.refused.emit(self.tr("Not saved, nothing changed: %1").replace("%1", str(error)))

    def correct(self) -> None:
        alert, actor = self.alert, self._who()
        if alert is None or actor is None:
            return
        answer = self.prompts.ask_plate(alert.plate)
        if answer is None:
            return
        text, colour = answer
        try:
            saving = self.desk.correct(actor, alert, text, colour)
        except (PermissionError, ValueError) as refused:
            self.refused.emit(str(refused))
            return
        self.answers.when_done(saving, self._corrected, self._failed)

    def _corrected(self, alert: Alert) -> None:
        self.show_alert(alert)
        assert alert.plate is not None
        self.done.emit(self.tr("Plate saved: %1").replace("%1", alert.plate.text))

    def watch(self) -> None:
        alert, actor = self.alert, self._who()
        if alert is None or alert.plate is None or actor is None:
            return
        reason = self.prompts.ask_reason(alert.plate.text)
        if reason is None:
            return
        try:
            saving = self.desk.watch(actor, alert.plate.text, reason)
        except (PermissionError, ValueError) as refused:
            self.refused.emit(str(refused))
            return
        text = alert.plate.text
        self.answers.when_done(
            saving,
            lambda _key: self.done.emit(self.tr("%1 is on the watch-list").replace("%1", text)),
            self._failed,
        )
