"""Keep the server's resident memory near what it uses, not near its worst moment.

CPython frees objects back to glibc's malloc, which keeps the pages: after one burst of large
requests (a page of 8 MiB, a 1 MiB body parsed and validated) the process stays that large,
and with one malloc arena per worker thread (up to 8 per core) the bursts of different threads
add up. Three glibc knobs fix that: at most :data:`ARENAS` arenas (set before threads start), a
fixed mmap threshold (large strings get their own mapping and go back at once), and
``malloc_trim(0)`` every :data:`TRIM_SECONDS` to hand free heap pages back. Elsewhere (not glibc)
they are no-ops.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging

from anyio import to_thread

log = logging.getLogger("dho.server")

ARENAS = 2
TRIM_SECONDS = 10.0
#: Blocks from this size up get their own mapping, returned at once when freed. (glibc raises
#: its threshold on its own after large frees, which parks the next large strings in the heap.)
MMAP_THRESHOLD = 256 * 1024
_M_ARENA_MAX = -8
_M_MMAP_THRESHOLD = -3


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Call before any thread starts; True when glibc took it."""
    libc = _libc()
    if libc is None:
        return False
    libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    return bool(libc.mallopt(_M_ARENA_MAX, arenas))


def trim() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


async def trim_forever(period: float = TRIM_SECONDS) -> None:
    """Background task: give free heap pages back to the system now and then."""
    while True:
        await asyncio.sleep(period)
        await to_thread.run_sync(trim)
