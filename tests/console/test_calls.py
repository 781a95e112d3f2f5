"""Video calls in the patient's timeline panel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.modeltest import ModelTester

from console.domain.messages import VideoCall
from console.state.calls import CallListModel

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_calls_newest_first_with_duration_and_outcome(qtmodeltester: ModelTester) -> None:
    model = CallListModel()
    older = VideoCall(
        "p1",
        "https://video/x",
        START,
        ended=START + timedelta(minutes=7, seconds=5),
        outcome="Avtalt ny måling i kveld",
    )
    newer = VideoCall("p1", "https://video/y", START + timedelta(hours=3))
    model.set_calls([older, newer])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 1).data() == "in progress"
    assert model.index(1, 1).data() == "7:05"
    assert model.index(1, 2).data() == "Avtalt ny måling i kveld"
