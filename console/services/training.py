"""The trainer's use case: choose scenarios and trainees, load, run, inject, watch, debrief.

Every request runs as a kept task; results and errors come back as Qt signals, so the
trainer's window never waits on the network. While a session is loaded the status is polled
every `POLL_S` seconds (one request in flight at most) and the trainer sees each trainee's
actions as they happen. Only superusers and administrators may run a session
(`may_train`); the server decides as well.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.domain.training import (
    Control,
    Debrief,
    InjectKind,
    ScenarioInfo,
    ScenarioPatient,
    SessionState,
    SessionStatus,
    may_train,
)
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirHttpError
from console.fhir.training import NotTrainingServer, ScenarioFileError, TrainingApi
from console.tasks import TaskKeeper

log = logging.getLogger(__name__)

#: Seconds between status polls while a session is loaded.
POLL_S = 2.0


def inject_event(
    kind: InjectKind,
    patient: ScenarioPatient,
    *,
    measurement: str = "",
    value: float | None = None,
    text: str = "",
) -> dict[str, Any]:
    """The `event` of an `inject` control, shaped like an event of a scenario file: a value,
    a message or a missed measurement for one scenario patient (of one trainee)."""
    event: dict[str, Any] = {"kind": kind.value, "patient": patient.key}
    if patient.scenario:
        event["scenario"] = patient.scenario
    if patient.trainee:
        event["trainee"] = patient.trainee
    if kind is InjectKind.VALUE:
        if value is None or not measurement:
            raise ValueError("a value to inject needs a measurement and a number")
        event.update(measurement=measurement, value=value)
    elif kind is InjectKind.MESSAGE:
        if not text.strip():
            raise ValueError("a message to inject needs a text")
        event["text"] = text.strip()
    else:
        if not measurement:
            raise ValueError("a missed measurement needs the measurement")
        event["measurements"] = [measurement]
    return event


class TrainingService(QObject):
    """Talks to the Training API for the trainer's controls and the debrief."""

    scenarios_changed = Signal(list)  # [ScenarioInfo]
    status_changed = Signal(object)  # SessionStatus
    debrief_changed = Signal(object)  # Debrief
    #: A scenario file was refused: (text, line or 0, field or "").
    file_refused = Signal(str, int, str)
    #: Anything else that went wrong, as a sentence for the trainer.
    failed = Signal(str)
    #: The server is not a training backend: nothing may be loaded.
    not_training = Signal()
    exported = Signal(str, str)  # scenario name, file text

    def __init__(
        self,
        client: FhirClient | None = None,
        roles: Sequence[str] = (),
        *,
        api: TrainingApi | None = None,
        poll_s: float = POLL_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if api is None:
            assert client is not None
            api = TrainingApi(client)
        self.api = api
        self.allowed = may_train(roles)
        self.poll_s = poll_s
        self.scenarios: list[ScenarioInfo] = []
        self.status: SessionStatus | None = None
        self.debrief: Debrief | None = None
        #: The text of the last scenario file loaded (exported as it was).
        self.loaded_text: str | None = None
        self._keeper = TaskKeeper(self._error)
        self._poller: asyncio.Task[None] | None = None
        self._busy = 0

    # ----- requests ----------------------------------------------------------------------------

    def _run(self, coro: Any, name: str) -> asyncio.Task[Any]:
        return self._keeper.spawn(self._guard(coro), name)

    async def _guard(self, coro: Any) -> Any:
        self._busy += 1
        try:
            return await coro
        finally:
            self._busy -= 1

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, NotTrainingServer):
            self.not_training.emit()
            self.failed.emit(not_training_text())
        elif isinstance(exc, ScenarioFileError):
            self.file_refused.emit(exc.text, exc.line or 0, exc.field or "")
        elif isinstance(exc, FhirHttpError):
            self.failed.emit(exc.outcome_text)
        elif isinstance(exc, FhirError):
            self.failed.emit(str(exc))
        else:
            self.failed.emit(repr(exc))

    def refresh_scenarios(self) -> asyncio.Task[Any]:
        async def run() -> None:
            self.scenarios = await self.api.scenarios()
            self.scenarios_changed.emit(list(self.scenarios))

        return self._run(run(), "training-scenarios")

    def load(self, scenarios: Sequence[str], trainees: Sequence[str]) -> asyncio.Task[Any]:
        async def run() -> None:
            self._set_status(await self.api.load(scenarios, trainees))
            self.loaded_text = None

        return self._run(run(), "training-load")

    def load_text(self, text: str, trainees: Sequence[str] = ()) -> asyncio.Task[Any]:
        async def run() -> None:
            self._set_status(await self.api.load_text(text, trainees))
            self.loaded_text = text

        return self._run(run(), "training-load-file")

    def control(
        self,
        action: Control,
        *,
        speed: float | None = None,
        event: Mapping[str, Any] | None = None,
    ) -> asyncio.Task[Any]:
        async def run() -> None:
            self._set_status(await self.api.control(action, speed=speed, event=event))

        return self._run(run(), f"training-{action.value}")

    def refresh_status(self) -> asyncio.Task[Any]:
        async def run() -> None:
            self._set_status(await self.api.status())

        return self._run(run(), "training-status")

    def refresh_debrief(self) -> asyncio.Task[Any]:
        async def run() -> None:
            self.debrief = await self.api.score()
            self.debrief_changed.emit(self.debrief)

        return self._run(run(), "training-score")

    def export(self, name: str | None) -> asyncio.Task[Any]:
        """The file text to share: the library scenario's, or the file loaded last."""

        async def run() -> None:
            if name:
                text = await self.api.export(name)
                self.exported.emit(name, text)
            elif self.loaded_text is not None:
                self.exported.emit("", self.loaded_text)

        return self._run(run(), "training-export")

    def _set_status(self, status: SessionStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    # ----- following the session ---------------------------------------------------------------

    def follow(self, on: bool = True) -> None:
        """Poll `$scenario-status` every `poll_s` s (the trainer's live view) until
        `follow(False)`."""
        if on and (self._poller is None or self._poller.done()):
            self._poller = self._keeper.spawn(self._poll(), "training-follow")
        elif not on and self._poller is not None:
            self._poller.cancel()
            self._poller = None

    @property
    def following(self) -> bool:
        return self._poller is not None and not self._poller.done()

    async def _poll(self) -> None:
        while True:
            was = self.status.state if self.status is not None else None
            try:
                self._set_status(await self.api.status())
            except NotTrainingServer:
                raise
            except FhirError as exc:  # a missed poll is not fatal; say so and go on
                log.info("scenario status: %s", exc)
                self.failed.emit(str(exc))
            now = self.status.state if self.status is not None else None
            if now is SessionState.FINISHED and was is not SessionState.FINISHED:
                self.refresh_debrief()  # the debrief is ready the moment the session ends
            await asyncio.sleep(self.poll_s)

    async def stop(self) -> None:
        self.follow(False)
        await self._keeper.cancel_all()


def not_training_text() -> str:
    return QCoreApplication.translate(
        "TrainingService",
        "This server is not a training server: scenarios can only be loaded on a training "
        "backend (dho-console --training).",
    )
