"""Status-bar notices side by side; sound controls that tell the truth; Ctrl+Q and the shift
handover from the main window; quitting asks first when messages are unsent."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from console.app import parse_args
from console.domain.model import ConnectionMode, ConnectionState
from console.state.alert_queue import AlertQueueModel
from console.state.patient_list import PatientListModel
from console.ui.alert_queue import AlertQueueView
from console.ui.main_window import MainWindow
from console.ui.session import ConsoleSession
from widgets.alert_sound import NullSoundPlayer


def test_several_notices_show_at_once_each_with_its_tooltip(qtbot: QtBot) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    window.set_notice("secure-store", "No secure key store", "You must sign in at every start.")
    window.set_notice("sound", "No sound output", "Alerts will not be heard.")
    window.set_connection(ConnectionState(ConnectionMode.OFFLINE, detail="connection refused"))
    assert list(window.notices()) == ["secure-store", "sound", "offline"]
    assert window.notices()["sound"] == "⚠ No sound output"
    labels = window.notice_labels
    assert labels["secure-store"].toolTip() == "You must sign in at every start."
    assert "connection refused" in labels["offline"].toolTip()
    assert all(label.accessibleName() for label in labels.values())
    # One is replaced in place, one goes away; the others stay.
    window.set_notice("sound", "Sound off", "Switched off in the settings.")
    window.set_connection(ConnectionState(ConnectionMode.LIVE))
    assert window.notices() == {"secure-store": "⚠ No secure key store", "sound": "⚠ Sound off"}


def test_the_queue_header_does_not_promise_sound_that_will_not_play(qtbot: QtBot) -> None:
    playing = AlertQueueView(AlertQueueModel(), sound=NullSoundPlayer(), tick_ms=60_000)
    silent = AlertQueueView(AlertQueueModel(), tick_ms=60_000)
    for view in (playing, silent):
        qtbot.addWidget(view)
    silent.set_no_sound("No sound output found: alerts are shown but will not be heard.")
    assert playing.silence_label.text() == "Sound on"
    assert not playing.silence_button.isHidden()
    assert silent.silence_label.text() == "⚠ No sound"
    assert "will not be heard" in silent.silence_label.toolTip()
    assert silent.silence_button.isHidden()  # nothing to mute
    silent.toggle_silence()  # Ctrl+M still does no harm
    assert silent.silence_label.text() == "⚠ No sound"


def _session(qtbot: QtBot, unsent: int) -> ConsoleSession:
    session = ConsoleSession(parse_args(["--server", "http://127.0.0.1:9/fhir"]))
    qtbot.addWidget(session.window)
    session.workbench = SimpleNamespace(  # type: ignore[assignment]
        messaging=SimpleNamespace(pending_count=lambda: unsent),
        open_handover=lambda: opened.append(True),
    )
    opened: list[bool] = []
    session.opened = opened  # type: ignore[attr-defined]
    return session


def _answer(session: ConsoleSession, role: QMessageBox.ButtonRole) -> None:
    box = session.quit_question
    assert box is not None and box.isVisible()
    (button,) = [b for b in box.buttons() if box.buttonRole(b) is role]
    button.click()


def test_ctrl_q_quits_at_once_when_nothing_is_unsent(qtbot: QtBot) -> None:
    session = _session(qtbot, unsent=0)
    action = session.window.quit_action
    assert action.shortcut() == QKeySequence("Ctrl+Q")
    assert action in session.window.menu("file").actions()
    action.trigger()
    assert session._quit.is_set()
    assert session.quit_question is None


def test_quit_and_close_ask_first_when_messages_are_unsent(qtbot: QtBot) -> None:
    session = _session(qtbot, unsent=2)
    session.window.quit_action.trigger()
    assert not session._quit.is_set()
    assert session.quit_question is not None
    assert "2" in session.quit_question.text()
    _answer(session, QMessageBox.ButtonRole.RejectRole)  # stay and send
    assert session.quit_question is None and not session._quit.is_set()
    # Closing the window asks the same question, and the window stays open meanwhile.
    session.window.show()
    assert not session.window.close()
    assert session.window.isVisible()
    _answer(session, QMessageBox.ButtonRole.DestructiveRole)  # quit anyway
    assert session._quit.is_set()
    session.window.removeEventFilter(session._watcher)
    session.window.close()


def test_the_handover_opens_from_menu_button_and_shortcut(qtbot: QtBot) -> None:
    session = _session(qtbot, unsent=0)
    window = session.window
    action = window.handover_action
    assert action.shortcut() == QKeySequence("Ctrl+Shift+H")
    assert action in window.menu("file").actions()
    action.trigger()
    window.handover_button.click()
    opened: Any = session.opened  # type: ignore[attr-defined]
    assert opened == [True, True]
    # Locked: patient data stays hidden, the handover does not open over the lock.
    window.show()
    session.overlay.lock()
    action.trigger()
    assert opened == [True, True]
    session.window.removeEventFilter(session._watcher)
    window.close()


def test_the_one_argument_form_of_set_notice_still_works(qtbot: QtBot) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    window.set_notice("sound", "No sound output")
    window.set_notice("Alerts are raised by this console")
    assert window.notices() == {
        "sound": "⚠ No sound output",
        "general": "⚠ Alerts are raised by this console",
    }
    window.set_notice("")
    assert list(window.notices()) == ["sound"]


def test_the_status_bar_shows_the_servers_simulated_time(qtbot: QtBot) -> None:
    """A training server at Monday 08:10 (its clock announced): the status bar's time is the
    server's, not the workstation's, while the age of the data stays in real seconds."""
    from datetime import UTC, datetime

    from console.domain.clock import ServerClock
    from console.state.formatting import local_time

    wall = datetime(2026, 12, 3, 0, 20, 5, tzinfo=UTC)
    clock = ServerClock(wall=lambda: wall.timestamp())
    clock.observe(datetime(2026, 11, 23, 7, 10, 0, tzinfo=UTC).timestamp(), 60.0)
    window = MainWindow(PatientListModel(), now=lambda: wall, server_time=clock.at)
    qtbot.addWidget(window)
    window.set_connection(ConnectionState(ConnectionMode.LIVE, wall))
    window._update_age()  # what the one-second timer does
    shown = local_time(datetime(2026, 11, 23, 7, 10, 0, tzinfo=UTC)).strftime("%H:%M:%S")
    assert shown in window.status.age_text()
    assert local_time(wall).strftime("%H:%M:%S") not in window.status.age_text()
    # 2 real seconds later at speed 60 the server's clock is 2 minutes on.
    later = datetime(2026, 11, 23, 7, 12, 0, tzinfo=UTC)
    assert clock.at(datetime(2026, 12, 3, 0, 20, 7, tzinfo=UTC)) == later
