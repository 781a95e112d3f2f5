"""The queue view by keyboard only: next alert → claim → open patient → resolve dialog."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from console.domain.alerts import Outcome
from console.services.alerts import AlertService
from console.state.alert_queue import AlertQueueModel
from console.ui.alert_queue import AlertQueueView
from console.ui.resolve_dialog import ResolveDialog
from console.ui.shortcuts_help import ShortcutsHelp
from tests.console.alert_tasks import ME, NOW, FakeFhir, patient, task
from widgets.alert_sound import NullSoundPlayer


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def world() -> FakeFhir:
    return FakeFhir(
        patient("p1", "Kari", "Hansen"),
        patient("p2", "Per", "Olsen"),
        task("t1", "p1", minutes_ago=3),
        task("t3", "p2", priority="routine", minutes_ago=40),
    )


def make(
    qtbot: QtBot, clock: Clock, fake: FakeFhir
) -> tuple[AlertQueueView, AlertService, NullSoundPlayer]:
    model = AlertQueueModel(now=clock)
    service = AlertService(
        fake.client(), model, ME, now=clock, batch_interval_ms=10, tick_ms=60_000
    )
    sound = NullSoundPlayer()
    view = AlertQueueView(model, sound=sound, now=clock, tick_ms=60_000)
    view.bind(service)
    qtbot.addWidget(view)
    view.resize(700, 500)
    return view, service, sound


def focus_list(qtbot: QtBot, view: AlertQueueView) -> None:
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    view.list.setFocus()
    qtbot.waitUntil(lambda: view.list.hasFocus())


async def settle(seconds: float = 0.05) -> None:
    await asyncio.sleep(seconds)


def test_keyboard_walk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = world()
    clock = Clock()
    view, service, _sound = make(qtbot, clock, fake)
    opened: list[str] = []
    view.open_patient.connect(opened.append)

    async def body() -> None:
        await service.load(None)
        focus_list(qtbot, view)
        assert view.current_patient_id() == "p1"  # the worst card is current
        qtbot.keyClick(view.list, Qt.Key.Key_J)
        assert view.current_patient_id() == "p2"
        qtbot.keyClick(view.list, Qt.Key.Key_K)
        assert view.current_patient_id() == "p1"
        qtbot.keyClick(view.list, Qt.Key.Key_Down)
        qtbot.keyClick(view.list, Qt.Key.Key_Up)
        assert view.current_patient_id() == "p1"
        # Claim with C.
        qtbot.keyClick(view.list, Qt.Key.Key_C)
        await settle()
        assert fake.store[("Task", "t1")]["status"] == "in-progress"
        # Enter opens the patient.
        qtbot.keyClick(view.list, Qt.Key.Key_Return)
        assert opened == ["p1"]
        # R opens the resolve dialog, driven by keys only.
        qtbot.keyClick(view.list, Qt.Key.Key_R)
        dialog = view.dialog
        assert isinstance(dialog, ResolveDialog)
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        for _ in range(40):
            if QApplication.activeWindow() is dialog:
                break
            await settle(0.025)
        assert QApplication.activeWindow() is dialog
        assert "SpO₂ 86 % (grense < 88 %)" in dialog.note()
        # 2: "Advised the GP"; type a comment; Ctrl+Enter resolves.
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_2)
        assert dialog.outcome() is Outcome.ADVISED_GP
        dialog.comment.setFocus()
        qtbot.keyClicks(dialog.comment, "Fastlege ringt opp")
        assert "Fastlege ringt opp." in dialog.note()
        qtbot.keyClick(dialog.copy_button, Qt.Key.Key_Space)
        assert QGuiApplication.clipboard().text() == dialog.note()
        qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await settle(0.1)
        assert view.dialog is None
        stored = fake.store[("Task", "t1")]
        assert stored["status"] == "completed"
        assert stored["businessStatus"]["coding"][0]["code"] == "advised-gp"
        assert len(fake.of_type("Composition")) == 1
        assert view.copy_note_button.isVisible()
        view.copy_last_note()
        assert (
            "Tiltak: Fastlege varslet.\nFastlege ringt opp." in QGuiApplication.clipboard().text()
        )
        await service.stop()

    qloop.run_until_complete(body())
    view.close()


def test_conflict_shows_who_has_it(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    from console.fhir.alerts import claim_task
    from tests.console.alert_tasks import KARI

    fake = world()
    view, service, _sound = make(qtbot, Clock(), fake)

    async def body() -> None:
        await service.load(None)
        fake.put_direct(claim_task(fake.store[("Task", "t1")], KARI, NOW))
        view.claim_current()
        await settle(0.1)
        local = NOW.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M")  # the centre's zone
        assert view.message.text() == f"⚠ Hansen, Kari: Claimed by Kari Nordmann at {local}"
        assert fake.store[("Task", "t1")]["owner"]["display"] == "Kari Nordmann"
        await service.stop()

    qloop.run_until_complete(body())


def test_help_sound_silence_and_escalation(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = world()
    clock = Clock()
    view, service, sound = make(qtbot, clock, fake)

    async def body() -> None:
        await service.load(None)
        focus_list(qtbot, view)
        view.tick()
        assert sound.plays == 1  # a new high alert sounds once
        view.tick()
        assert sound.plays == 1
        assert view._flash.isActive()  # and flashes
        # Ctrl+M silences locally, with a visible countdown; nothing is claimed.
        qtbot.keyClick(view.list, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
        assert view.silence_label.text() == "Sound muted for 5:00"
        clock.now += timedelta(minutes=2, seconds=30)  # t1 escalates at 5 min
        service.tick()
        view.tick()
        assert sound.plays == 1
        assert view.silence_label.text() == "Sound muted for 2:30"
        assert fake.store[("Task", "t1")]["status"] == "requested"
        assert view._flash_ms == 600  # escalated: faster
        clock.now += timedelta(minutes=3)
        view.tick()
        assert view.silence_label.text() == "Sound on"
        assert sound.plays == 2  # escalated: the sound comes back and repeats
        clock.now += timedelta(seconds=30)
        view.tick()
        assert sound.plays == 3
        # Reduce motion: no flashing animation.
        view.set_reduce_motion(True)
        assert not view._flash.isActive()
        # F1: help lists every shortcut.
        qtbot.keyClick(view.list, Qt.Key.Key_F1)
        assert isinstance(view.dialog, ShortcutsHelp)
        keys = [k for k, _ in view.dialog.rows()]
        assert "C or Space" in keys and "Ctrl+M" in keys and "F1 or ?" in keys
        qtbot.keyClick(view.dialog, Qt.Key.Key_Escape)
        assert view.dialog is None
        await service.stop()

    qloop.run_until_complete(body())
    view.close()


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    view, service, _ = make(qtbot, Clock(), fake)

    async def body() -> None:
        await service.load(None)
        await service.stop()

    qloop.run_until_complete(body())
    unnamed: list[Any] = [
        w
        for w in view.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.isVisibleTo(view)
        and not w.accessibleName()
        and w is not view.list.viewport()
    ]
    assert unnamed == []
    assert (
        view.list.model()
        .index(0, 0)
        .data(Qt.ItemDataRole.AccessibleTextRole)
        .startswith("High priority. Hansen, Kari. SpO₂ 86 % (red limit < 88 %). New")
    )
    assert QApplication.instance() is not None
