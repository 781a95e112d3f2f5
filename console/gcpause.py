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


def disable_automatic() -> None:
    """Switch automatic collection off for good (console.gc_timer collects instead); a
    :func:`gc_paused` in progress must not switch it back on when it ends."""
    global _was_enabled
    with _lock:
        gc.disable()
        _was_enabled = False
