"""Cyclic garbage collection on the GUI thread's timer (see :class:`MainThreadCollector`)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QTimer

from console.gcpause import disable_automatic, paused


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
        self.threshold = gc.get_threshold()
        disable_automatic()
        self.timer = QTimer()
        self.timer.setObjectName("main-thread-gc")
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """One step: the young generations together, the oldest as often as CPython would.

        On a 1 s timer, generation 0 holds a second of survivors and generation 1 (collected
        after 10 of those) ten seconds of them: at 200 live values a second, ~17,000 objects
        and 25 ms of the UI thread's CPU in one go (benchmarks/RESULTS.md). Collecting 0 and 1
        together every step walks each survivor once instead of twice, a tenth as many at a
        time. The oldest generation keeps CPython's pace: once every threshold1 x threshold2
        collections of generation 0 (100 steps), not every 10 steps.
        """
        if paused():
            return  # decoding a page: its objects die by reference counting
        l0, _l1, l2 = gc.get_count()
        if l0 > self.threshold[0]:
            if l2 >= self.threshold[1] * self.threshold[2]:
                gc.collect(2)
            else:
                gc.collect(1)

    def stop(self) -> None:
        self.timer.stop()
