"""Tiny, fast, stable hashing used to derive per-patient randomness from ids and times.

The simulator must be rebuildable after a restart from the stored resources alone, so every
patient-specific parameter (baselines, habits, deterioration episodes) is a pure function of
(seed, patient id, ...). Python's own `hash()` is salted per process for strings, and
`random.Random` is too slow to construct per value, so this module provides a splitmix64 mix.
"""

from __future__ import annotations

import hashlib
from typing import Final

_MASK: Final = (1 << 64) - 1
_GOLDEN: Final = 0x9E3779B97F4A7C15


def mix(*values: int) -> int:
    """A well-scrambled 64-bit hash of a sequence of integers (splitmix64 finaliser)."""
    h = 0
    for v in values:
        z = (h + (v & _MASK) * _GOLDEN + _GOLDEN) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        h = z ^ (z >> 31)
    return h


def unit(h: int) -> float:
    """Map a 64-bit hash to a float in [0, 1)."""
    return (h >> 11) * (1.0 / 9007199254740992.0)


def uniform(h: int, low: float, high: float) -> float:
    """Map a 64-bit hash to a float in [low, high)."""
    return low + (high - low) * unit(h)


def text_key(seed: int, text: str) -> int:
    """A 64-bit key for a string (such as a patient id) that is stable across processes."""
    digest = hashlib.blake2b(f"{seed}\x00{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def weighted_pick(h: int, options: tuple[tuple[str, float], ...]) -> str:
    """Pick a name from (name, weight) pairs with a hash instead of a random generator."""
    total = sum(w for _, w in options)
    target = unit(h) * total
    for name, weight in options:
        target -= weight
        if target < 0:
            return name
    return options[-1][0]
