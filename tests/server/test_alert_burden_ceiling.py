"""The alert-burden benchmark's ceiling of consolidation: what it keeps and what it folds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "alert_burden_under_test", ROOT / "benchmarks" / "alert_burden.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def card(rule: str, pid: str = "a", **kw: Any) -> dict[str, Any]:
    return {
        "rule": rule,
        "pid": pid,
        "priority": kw.pop("priority", "urgent"),
        "device_error": kw.pop("device_error", False),
        "critical": kw.pop("critical", False),
        "episode": kw.pop("episode", None),
        **kw,
    }


def test_cards_of_one_deterioration_fold_into_one_and_nothing_else_does() -> None:
    ceiling = _benchmark().consolidation_ceiling
    cards = [
        # always shown: never folded, even inside a deterioration
        card("contact-request", episode=0),
        card("questionnaire", priority="asap", episode=0),
        card("threshold-spo2", device_error=True, critical=True, episode=0),
        # patient a, deterioration 0: three cards become one
        card("threshold-spo2", episode=0),
        card("threshold-pulse", episode=0),
        card("questionnaire", episode=0),
        # patient a, another deterioration; patient b's deterioration 0 is not a's
        card("threshold-spo2", episode=1),
        card("threshold-bp", pid="b", episode=0),
        # outside any deterioration, or a device error during one: kept as they are
        card("threshold-bp"),
        card("threshold-glucose", device_error=True, episode=1),
    ]
    got = ceiling(cards)
    assert got == {
        "always_shown": 3,
        "outside_deteriorations": 2,
        "during_deteriorations": 5,
        "deteriorations_with_cards": 3,
        "cards": 8,
    }
    assert ceiling([]) == {
        "always_shown": 0,
        "outside_deteriorations": 0,
        "during_deteriorations": 0,
        "deteriorations_with_cards": 0,
        "cards": 0,
    }
