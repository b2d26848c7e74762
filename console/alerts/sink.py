"""What the alert service writes to and who it tells: the sink protocol and listener types."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Protocol

from console.domain.records import Alert, AlertAction, EvidenceRef

CountRow = tuple[str, str, str, str, datetime, int]  # camera, line, class, direction, minute, n


class AlertSink(Protocol):
    """Where alerts are persisted (the local store); all calls must return quickly."""

    def alert_raised(self, alert: Alert) -> None: ...

    def alert_changed(self, alert: Alert, action: AlertAction) -> Future[None]:
        """Queue an operator's action; the future completes once it is committed."""
        ...

    def evidence_ready(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None: ...

    def counts_ready(self, counts: list[CountRow]) -> None: ...


AlertListener = Callable[[Alert], None]
# Told after the change is committed: the alert as it now is, and the action.
ChangeListener = Callable[[Alert, AlertAction], None]
# Told when an action could not be saved: the alert (unchanged), the action, why.
FailureListener = Callable[[Alert, AlertAction, BaseException], None]
EvidenceListener = Callable[[Alert, tuple[EvidenceRef, ...]], None]
# guard(alert, action, actor) runs before an action applies and raises to refuse it.
ActionGuard = Callable[[Alert, str, str], None]
