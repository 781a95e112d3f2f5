"""Test-wide set-up: offscreen Qt, an in-memory keyring, a qasync loop, and leak checks.

Warnings are errors (pyproject), Qt warnings fail tests (pytest-qt), and a test that leaves
tasks, threads or visible windows behind fails, so leaks are found where they are made.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")
# Tests use a silent alert player; probing audio devices on a machine without sound warns.
os.environ.setdefault("DHO_SOUND", "off")

import keyring
import keyring.backend
import pytest


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps secrets in a dict so tests never touch (or lack) the OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True, scope="session")
def no_automatic_collection() -> Iterator[None]:
    """As the console runs (console/gc_timer.py): the cyclic collector never fires on its own,
    so it cannot free a Qt wrapper inside whatever thread happens to allocate (a backend's
    worker, a decoding thread); it runs in the main thread after every test instead."""
    import gc

    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_each_test() -> Iterator[None]:
    import gc

    yield
    gc.collect()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def qloop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync event loop inside the Qt loop; fails the test on leaked tasks or loop errors."""
    import gc

    import qasync

    from console.gc_timer import MainThreadCollector

    # As the console runs (console/app.py): cycles collected in the GUI thread only, never
    # in a worker thread that happens to allocate (a Qt wrapper freed there crashes Qt).
    collector = MainThreadCollector(interval_ms=200)
    loop = qasync.QEventLoop(qapp)
    errors: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    asyncio.set_event_loop(loop)
    try:
        yield loop
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        assert not pending, f"test leaked asyncio tasks: {pending}"
        assert not errors, f"event loop reported errors: {errors}"
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)
        collector.stop()
        gc.collect()


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    # Give finished threads a moment to be reaped before judging.
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=2.0)
    # A server that outlives the test (a module's fixture) may start a thread-pool worker
    # during it, when one of its idle workers retired: that worker is the server's, and the
    # server's own thread is judged where the fixture made it (tests/server/inprocess.py).
    servers_alive = any(t.name == "uvicorn" and t.is_alive() for t in before)
    leaked = [
        t
        for t in set(threading.enumerate()) - before
        if t.is_alive()
        and not t.daemon
        and not t.name.startswith("asyncio_")
        and not (servers_alive and t.name == "AnyIO worker thread")
    ]
    assert not leaked, f"test leaked threads: {leaked}"


@pytest.fixture(autouse=True)
def no_leaked_windows(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in visible:
        widget.close()
    assert not visible, f"test left windows open: {visible}"
