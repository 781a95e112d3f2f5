"""Tasks a widget or service starts: a reference kept to each, failures reported, a clean stop.

Plain asyncio (no Qt): the alert service, the patient view and the message and video views use
it instead of each keeping its own set of tasks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
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
        # Bounded: a task whose first step never ran (seen once under qasync with a task
        # started from a Qt timer) never ends, and stopping must not wait for it forever.
        await cancel_and_wait(tasks, max(grace, 1.0))
        self._tasks.clear()


async def cancel_and_wait(
    tasks: Iterable[asyncio.Task[Any]], seconds: float
) -> set[asyncio.Task[Any]]:
    """Cancel `tasks` and wait at most `seconds` s for them to end; the ones that did not are
    logged and returned. Shutting down must end even if one task never does."""
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    if not pending:
        return set()
    _done, stuck = await asyncio.wait(pending, timeout=seconds)
    for task in stuck:
        log.warning("task %s did not end within %g s of being cancelled", task.get_name(), seconds)
    return stuck


async def bounded(awaitable: Awaitable[Any], seconds: float, what: str) -> bool:
    """Await a shutdown step for at most `seconds` s; False (and a warning naming the step)
    if it did not finish, so the steps after it still run."""
    try:
        await asyncio.wait_for(awaitable, seconds)
    except TimeoutError:
        log.warning("%s did not finish within %g s; going on with the shutdown", what, seconds)
        return False
    return True
