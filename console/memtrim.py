"""Hand the console's free heap pages back to the system now and then (glibc only).

CPython frees objects to glibc's malloc, which keeps the pages. The first load of a big centre
decodes tens of thousands of resources in worker threads (one malloc arena each), and a live
feed keeps allocating and freeing; the console then stays near its worst moment, not near what
it uses: `benchmarks/live_load.py` at 10,000 patients measured 450 MB resident of which 78 MB
went back with one `malloc_trim(0)`. The server does the same (server/memory.py); the two are
separate programs, so this is the console's own copy of the few lines it needs.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

TRIM_SECONDS = 15.0
ARENAS = 2
_M_ARENA_MAX = -8


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Fewer malloc arenas for the worker threads (call before any thread starts)."""
    libc = _libc()
    return bool(libc is not None and libc.mallopt(_M_ARENA_MAX, arenas))


def trim() -> bool:
    """`malloc_trim(0)`: whether glibc gave memory back (False elsewhere)."""
    libc = _libc()
    return bool(libc is not None and libc.malloc_trim(0))


async def trim_forever(period: float = TRIM_SECONDS) -> None:
    """Background task: trim in a worker thread (ctypes releases the GIL) every `period`."""
    if _libc() is None:
        return
    while True:
        await asyncio.sleep(period)
        try:
            await asyncio.to_thread(trim)
        except Exception:  # never worth stopping the console for
            log.debug("malloc_trim failed", exc_info=True)
