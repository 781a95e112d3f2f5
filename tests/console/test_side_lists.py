"""The side lists beside the cards ("since we closed", adherence) read at any width: each row
is two lines (who and when; what), elided with the whole text in the tooltip, no sideways
scrolling, and the list shows whole rows only."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from console.fhir.alerts import alert_from_fhir
from console.state.alert_queue import adherence_line, since_line
from console.ui.alert_queue import SideList
from tests.console.alert_tasks import NOW, task


def test_rows_are_two_lines_and_the_list_shows_whole_rows(qtbot: QtBot) -> None:
    side = SideList("Since we closed", "Alerts while closed", 3)
    qtbot.addWidget(side)
    made = [alert_from_fhir(task(f"t{i}", f"p{i}", minutes_ago=60 + i)) for i in range(5)]
    alerts = [a for a in made if a is not None]
    side.model.set_rows((since_line(a, NOW), a) for a in alerts)
    side.resize(300, 400)  # narrower than the text
    side.show()
    qtbot.waitExposed(side)
    text = side.model.index(0).data()
    head, what = text.split("\n")
    assert "p0" in head and what  # who and when; then what
    assert side.model.index(0).data(3) == text  # ToolTipRole: the whole text
    entry = side.list.sizeHintForRow(0)
    inner = side.list.maximumHeight() - 2 * side.list.frameWidth()
    assert entry > 0 and inner == 3 * entry  # three whole rows, none cut in half
    assert not side.list.horizontalScrollBar().isVisible()
    line = adherence_line(alerts[0], NOW)
    assert len(line.split("\n")) == 2


def test_a_tall_queue_shows_more_side_rows(qtbot: QtBot) -> None:
    from console.state.alert_queue import AlertQueueModel
    from console.ui.alert_queue import SIDE_ROWS_SHORT, SIDE_ROWS_TALL, AlertQueueView
    from widgets.alert_sound import NullSoundPlayer

    view = AlertQueueView(AlertQueueModel(), sound=NullSoundPlayer(), tick_ms=600_000)
    qtbot.addWidget(view)
    view.resize(420, 700)
    view.show()
    qtbot.waitExposed(view)
    assert view.adherence._rows == SIDE_ROWS_SHORT
    view.resize(420, 1000)
    qtbot.waitUntil(lambda: view.adherence._rows == SIDE_ROWS_TALL)
