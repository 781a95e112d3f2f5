"""Qt item models and stores: they apply change events and know nothing of HTTP."""

from __future__ import annotations

from collections.abc import Iterable


def row_runs(rows: Iterable[int], *, most: int = 16) -> list[tuple[int, int]]:
    """Changed rows as (first, last) runs, for one ``dataChanged`` each.

    A view repaints the part of its viewport a ``dataChanged`` range covers: one range from
    the first to the last changed row of a 5,000-row list covers the whole viewport even when
    no changed row is on screen. Separate runs repaint only the visible changed rows. Past
    `most` runs the gaps between the closest runs are merged, so a large batch stays a few
    signals.
    """
    ordered = sorted(set(rows))
    if not ordered:
        return []
    runs = [[ordered[0], ordered[0]]]
    for r in ordered[1:]:
        if r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    while len(runs) > most:
        gaps = sorted(range(len(runs) - 1), key=lambda i: runs[i + 1][0] - runs[i][1])
        merge = set(gaps[: len(runs) - most])
        merged = [runs[0]]
        for i in range(1, len(runs)):
            if i - 1 in merge:
                merged[-1][1] = runs[i][1]
            else:
                merged.append(runs[i])
        runs = merged
    return [(a, b) for a, b in runs]
