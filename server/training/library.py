"""The scenario library shipped with the server (``server/training/scenarios/*.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from server.training.format import Scenario, parse


@cache
def library() -> dict[str, Scenario]:
    """Every shipped scenario by name, checked on load (a broken file fails loudly)."""
    folder = resources.files("server.training").joinpath("scenarios")
    out: dict[str, Scenario] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        scenario = parse(entry.read_text("utf-8"), entry.name)
        if scenario.name in out:
            raise ValueError(f"{entry.name}: scenario name {scenario.name!r} is used twice")
        out[scenario.name] = scenario
    return out


def describe_line(s: Scenario, language: str = "en") -> str:
    """One line of ``dho-server scenarios``: name, title, simulated duration, patient group."""
    minutes = s.duration_minutes
    if minutes >= 1440 and minutes % 1440 == 0:
        duration = f"{minutes / 1440:g} d"
    elif minutes >= 60:
        duration = f"{minutes / 60:g} h"
    else:
        duration = f"{minutes:g} min"
    title = s.title.get(language, s.title["en"])
    return f"{s.name:<27} {title:<64} {duration:>6}  {s.group}"
