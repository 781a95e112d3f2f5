"""One run of the console: ties the window, the backend connection and the live feed together.

Every task started here is kept in `self._tasks` and cancelled on quit; the httpx client is
closed and the embedded backend stopped, so shutdown is clean and nothing leaks.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget

from console.domain.model import ConnectionMode, ConnectionState
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirUnavailable
from console.services.centre import CentreService, LoadReport
from console.services.embedded import EmbeddedBackend
from console.services.live import make_feed_factory
from console.state.patient_list import PatientListModel
from console.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class _CloseWatcher(QObject):
    closed = Signal()

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if isinstance(event, QCloseEvent):
            self.closed.emit()
        return False


class ConsoleSession:
    """Runs until the window closes (or, with --screenshot, until the PNG is written)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.model = PatientListModel()
        self.window = MainWindow(self.model)
        self.backend: EmbeddedBackend | None = None
        self.client: FhirClient | None = None
        self.service: CentreService | None = None
        self.exit_code = 0
        self.started = time.perf_counter()
        self.load_report: LoadReport | None = None
        self._quit = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._watcher = _CloseWatcher()
        self._watcher.closed.connect(self.request_quit)
        self.window.installEventFilter(self._watcher)

    def request_quit(self) -> None:
        self._quit.set()

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Start a task we keep a reference to; its failure is logged and shown, not lost."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("task %s failed", task.get_name(), exc_info=exc)
            self.window.set_connection(
                ConnectionState(ConnectionMode.OFFLINE, detail=f"{task.get_name()}: {exc}")
            )
            if self.args.screenshot:
                self.exit_code = 1
                self.request_quit()

    async def run(self) -> int:
        width, _, height = str(self.args.size).partition("x")
        self.window.resize(int(width), int(height))
        self.window.show()
        self.spawn(self._connect_and_load(), "connect-and-load")
        try:
            await self._quit.wait()
        finally:
            await self._shutdown()
        return self.exit_code

    async def _connect_and_load(self) -> None:
        base_url = self.args.server
        if not base_url:
            self.window.set_connection(
                ConnectionState(
                    ConnectionMode.STARTING,
                    detail=QCoreApplication.translate(
                        "ConsoleSession", "Starting the built-in training backend…"
                    ),
                )
            )
            # The console does not sign in yet: its own training backend runs without tokens.
            extra: list[str] = ["--auth", "off"]
            if self.args.seed_patients:
                extra += ["--seed-patients", str(self.args.seed_patients)]
            if self.args.db:
                extra += ["--db", self.args.db]
            self.backend = EmbeddedBackend(extra_args=extra)
            await self.backend.start()
            base_url = self.backend.base_url
        self.window.set_server(base_url)
        self.client = FhirClient(base_url)
        self.service = CentreService(
            self.client, self.model, feed_factory=make_feed_factory(self.client)
        )
        self.service.connection_changed.connect(self.window.set_connection)
        self.window.centre_changed.connect(self.service.select)
        self.window.set_connection(ConnectionState(ConnectionMode.CONNECTING))
        report = await self._load_with_retry(self.service)
        self.load_report = report
        self.window.set_centres(self.service.choices)
        self.service.select(0)
        self.service.start_live()
        log.info(
            "patient list populated: %d rows at epoch %.6f", self.model.rowCount(), time.time()
        )
        log.info(
            "loaded %d patients and %d latest values in %.2f s (%.2f s since start)",
            report.patients,
            report.observations,
            report.seconds,
            time.perf_counter() - self.started,
        )
        if self.args.screenshot:
            await self._screenshot()

    async def _load_with_retry(self, service: CentreService) -> LoadReport:
        delay = 1.0
        while True:
            try:
                return await service.load()
            except FhirUnavailable as exc:
                self.window.set_connection(ConnectionState(ConnectionMode.OFFLINE, detail=str(exc)))
            except FhirError as exc:
                self.window.set_connection(ConnectionState(ConnectionMode.OFFLINE, detail=str(exc)))
                if self.args.screenshot:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 15.0)

    async def _screenshot(self) -> None:
        """Wait briefly for the live feed to report, let Qt paint, then write the PNG."""
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            if self.service and self.service.connection.mode is ConnectionMode.LIVE:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        path = self.args.screenshot
        path.parent.mkdir(parents=True, exist_ok=True)
        grab_widget(self.window, str(path))
        log.info("screenshot written to %s", path)
        self.request_quit()

    async def _shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.service is not None:
            await self.service.stop()
        if self.client is not None:
            await self.client.aclose()
        if self.backend is not None:
            await self.backend.stop()
        self.window.removeEventFilter(self._watcher)
        self.window.close()


def grab_widget(widget: QWidget, path: str) -> None:
    if not widget.grab().save(path):
        raise OSError(f"could not write {path}")
