"""Tasks a widget or service starts: a reference kept to each, failures reported, a clean stop.

Plain asyncio (no Qt): the alert service, the patient view and the message and video views use
it instead of each keeping its own set of tasks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from console.fhir.errors import FhirError

log = logging.getLogger(__name__)


class TaskKeeper:
    """Keeps a reference to every task a widget starts; failures go to `on_error`, not lost."""

    def __init__(self, on_error: Callable[[BaseException], None]) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_error = on_error

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        # ensure_future, not create_task: Qt signals may start work outside a running task.
        task = asyncio.ensure_future(coro)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            if not isinstance(exc, FhirError):
                log.error("task %s failed", task.get_name(), exc_info=exc)
            self._on_error(exc)

    async def cancel_all(self, grace: float = 2.0) -> None:
        """Let running requests finish for up to `grace` seconds, then cancel the rest.

        (Cancelling a request mid-flight leaves its connection for the client's `aclose()` to
        tear down, which under qasync can fail; short requests are better finished.)
        """
        tasks = list(self._tasks)
        if tasks and grace > 0:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        if tasks:
            # Bounded: a task whose first step never ran (seen once under qasync with a task
            # started from a Qt timer) never ends, and stopping must not wait for it forever.
            _done, stuck = await asyncio.wait(tasks, timeout=max(grace, 1.0))
            for task in stuck:
                log.warning("task %s did not end when cancelled", task.get_name())
        self._tasks.clear()
