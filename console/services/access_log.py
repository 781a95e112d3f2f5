"""The access log (AuditEvent) as a use case: search by patient or user, page by page with a
cancel, names filled in, and the rows kept for export."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.domain.access_log import AccessEntry
from console.fhir.access_log import AccessLogStore
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirHttpError
from console.tasks import TaskKeeper

log = logging.getLogger(__name__)

#: Who may read other users' accesses (the server enforces the same).
ACCESS_LOG_ROLES = frozenset({"lead", "admin"})
#: Entries kept per search (an export of a patient's year fits easily).
MAX_ENTRIES = 50_000


def may_read_access_log(roles: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
    return bool(set(roles) & ACCESS_LOG_ROLES)


class AccessLogService(QObject):
    found = Signal(list)  # all entries so far (list[AccessEntry])
    progress = Signal(int)  # entries so far
    finished = Signal(bool)  # complete (False: cut off at MAX_ENTRIES)
    failed = Signal(str)
    names_changed = Signal()

    def __init__(self, client: FhirClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = AccessLogStore(client)
        self.entries: list[AccessEntry] = []
        self.patient_names: dict[str, str] = {}
        self._keeper = TaskKeeper(lambda exc: self.failed.emit(str(exc)))
        self._job: asyncio.Task[None] | None = None

    def run(self, coro: object, name: str) -> None:
        self._keeper.spawn(coro, name)  # type: ignore[arg-type]

    async def stop(self) -> None:
        await self._keeper.cancel_all(grace=0)

    def search(
        self,
        *,
        patient_id: str | None,
        agent: str | None,
        start: datetime | None,
        end: datetime | None,
    ) -> None:
        self.cancel()
        self._job = self._keeper.spawn(self._search(patient_id, agent, start, end), "access-log")

    def cancel(self) -> None:
        if self._job is not None and not self._job.done():
            self._job.cancel()

    async def _search(
        self,
        patient_id: str | None,
        agent: str | None,
        start: datetime | None,
        end: datetime | None,
    ) -> None:
        self.entries = []
        complete = True
        try:
            async for page in self.store.entries(
                patient_id=patient_id, agent=agent, start=start, end=end
            ):
                self.entries.extend(page)
                self.progress.emit(len(self.entries))
                self.found.emit(list(self.entries))
                await self._names(page)
                if len(self.entries) >= MAX_ENTRIES:
                    complete = False
                    break
        except FhirHttpError as exc:
            if exc.status == 403:
                self.failed.emit(
                    QCoreApplication.translate(
                        "AccessLogService",
                        "The server only shows the access log to department leads and "
                        "administrators.",
                    )
                )
                return
            raise
        except FhirError as exc:
            log.warning("access log search failed: %s", exc)
            raise
        self.found.emit(list(self.entries))
        self.finished.emit(complete)

    async def _names(self, page: list[AccessEntry]) -> None:
        missing = sorted({e.patient_id for e in page if e.patient_id} - set(self.patient_names))
        if missing:
            self.patient_names.update(await self.store.patient_names(missing))
            self.names_changed.emit()

    async def find_patients(self, text: str) -> list[tuple[str, str, str]]:
        return await self.store.find_patients(text)

    async def find_users(self, text: str) -> list[tuple[str, str]]:
        return await self.store.find_users(text)


__all__ = ["ACCESS_LOG_ROLES", "AccessLogService", "may_read_access_log"]
