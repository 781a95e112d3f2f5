"""Pause the cyclic garbage collector while a bulk of short-lived, acyclic objects exists.

Decoding a 1,000-entry FHIR page builds some 15,000 dicts and lists at once. With the
collector running, collections fire in the middle of that, find the page alive, and promote
it to the old generations; the old generations then fill up and full collections follow,
each stalling the UI thread for ~50 ms while a year of history loads. JSON has no reference
cycles, so reference counting frees a page as soon as it has been mapped: pausing the
collector around decoding and mapping keeps pages out of it entirely.

Reentrant and thread-safe (mapping runs in a worker thread while the UI thread decodes the
next page); the collector runs again as soon as the last user leaves.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_users = 0
_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    global _users, _was_enabled
    with _lock:
        if _users == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and _was_enabled:
                gc.enable()


def paused() -> bool:
    """Whether some code is inside :func:`gc_paused` now."""
    return _users > 0


class MainThreadCollector:
    """The cyclic collector run from the Qt event loop only, never from a worker thread.

    Automatic collection fires in whichever thread allocates; with JSON decoding and mapping in
    worker threads (asyncio.to_thread), a collection there can free a Qt object's wrapper
    outside the GUI thread, and Qt crashes (seen as a segfault under load). As pyqtgraph's
    GarbageCollector does, automatic collection is switched off and the generations are
    collected on a timer in the GUI thread when their counts pass the usual thresholds; our own
    rather than pyqtgraph's so the start does not import pyqtgraph and numpy.
    """

    def __init__(self, interval_ms: int = 1000) -> None:
        from PySide6.QtCore import QTimer

        global _was_enabled
        self.threshold = gc.get_threshold()
        with _lock:
            gc.disable()
            _was_enabled = False  # a gc_paused() in progress must not switch it back on
        self.timer = QTimer()
        self.timer.setObjectName("main-thread-gc")
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        if paused():
            return  # decoding a page: its objects die by reference counting
        l0, l1, l2 = gc.get_count()
        if l0 > self.threshold[0]:
            gc.collect(0)
            if l1 > self.threshold[1]:
                gc.collect(1)
                if l2 > self.threshold[2]:
                    gc.collect(2)

    def stop(self) -> None:
        self.timer.stop()
