"""Cycles are collected in the GUI thread only (console.gcpause.MainThreadCollector)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from console.gc_timer import MainThreadCollector
from console.gcpause import gc_paused


@pytest.fixture(autouse=True)
def automatic_gc() -> Iterator[None]:
    """Automatic collection on, as in a fresh interpreter (the suite switches it off)."""
    gc.enable()
    yield
    gc.disable()


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_cycles_made_in_a_worker_thread_are_freed_by_the_gui_thread(qtbot: QtBot) -> None:
    collector = MainThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()  # no collection can fire inside a worker thread
        refs: list[weakref.ref[Node]] = []
        freed_in: list[str] = []

        def work() -> None:
            for _ in range(5000):  # enough allocations to pass generation 0's threshold
                node = Node()
                weakref.finalize(node, lambda: freed_in.append(threading.current_thread().name))
                refs.append(weakref.ref(node))
                del node

        worker = threading.Thread(target=work, name="worker")
        worker.start()
        worker.join()
        assert all(r() is not None for r in refs)  # nothing collected in the worker
        qtbot.waitUntil(lambda: all(r() is None for r in refs), timeout=5000)
        assert set(freed_in) == {threading.main_thread().name}
    finally:
        collector.stop()


def test_no_collection_while_a_page_is_being_decoded(qtbot: QtBot) -> None:
    collector = MainThreadCollector(interval_ms=10_000)
    try:
        with gc_paused():
            node = Node()
            ref = weakref.ref(node)
            del node
            for _ in range(3000):
                Node()  # pass the threshold
            collector.check()
            assert ref() is not None
        assert not gc.isenabled()  # leaving the pause does not switch automatic collection on
        collector.check()  # generation 0 is past its threshold: collected now, in this thread
        assert ref() is None
    finally:
        collector.stop()


def test_a_step_collects_the_young_generations_together_and_the_oldest_at_cpythons_pace(
    qtbot: QtBot,
) -> None:
    """Survivors of a step go straight to the oldest generation (walked once, not held for
    ten steps in generation 1); a full collection comes after threshold1 x threshold2 steps."""
    collector = MainThreadCollector(interval_ms=10_000)
    threshold0, threshold1, threshold2 = gc.get_threshold()
    try:
        gc.collect()
        node = Node()
        ref = weakref.ref(node)
        collector.check()  # nothing allocated: no step
        kept: list[list[list[int]]] = []

        def survivors() -> None:  # past generation 0's threshold (allocations minus frees)
            kept.append([[] for _ in range(threshold0 + 1)])

        survivors()
        collector.check()
        assert gc.get_count()[1] == 0  # generation 1 was collected too: nothing waits there
        assert any(o is node for o in gc.get_objects(2))
        del node  # a cycle in the oldest generation now: only a full collection frees it
        for _ in range(threshold1 * threshold2 - 1):
            survivors()
            collector.check()
            assert ref() is not None  # young steps only
        survivors()
        collector.check()
        assert ref() is None
    finally:
        collector.stop()
