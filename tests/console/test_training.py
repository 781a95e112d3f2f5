"""Training mode in the console (issue 13), against a fake training backend over
`httpx.MockTransport` (tests/console/training_fake.py): the mark everywhere the console
writes, the refusal on a non-training server, the trainer's controls and the debrief."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from console.domain.alerts import bundle_alerts
from console.domain.messages import ThreadKind
from console.domain.training import (
    MARK,
    Control,
    InjectKind,
    ScenarioPatient,
    SessionState,
    duration_text,
    marked_message,
    marked_text,
    marked_title,
    set_training_mark,
    training_mark,
)
from console.fhir.alerts import alert_from_fhir
from console.fhir.training import NotTrainingServer, ScenarioFileError, TrainingApi
from console.services.training import TrainingService, inject_event
from console.state.alert_queue import AlertQueueModel
from console.state.patient_list import PatientListModel
from console.ui.handover import HandoverView
from console.ui.main_window import MainWindow
from console.ui.resolve_dialog import ResolveDialog
from console.ui.training import DebriefView, TrainerView, TrainingFeature
from console.ui.training_mark import TrainingBanner, TrainingMarker, stamp
from tests.console.alert_tasks import NOW, task
from tests.console.test_handover import pdf_text
from tests.console.test_messaging_service import seeded, service_for
from tests.console.test_outbox import wait_for
from tests.console.training_fake import FakeTrainingServer, score_entry


@pytest.fixture(autouse=True)
def mark_off() -> Iterator[None]:
    """The mark is process-wide: every test starts and ends without it."""
    set_training_mark(False)
    yield
    set_training_mark(False)


# ----- the mark -----------------------------------------------------------------------------


def test_the_mark_texts_only_while_training() -> None:
    assert marked_title("Shift handover") == "Shift handover"
    assert marked_text("note") == "note" and marked_message("Hei") == "Hei"
    set_training_mark(True)
    assert marked_title("Shift handover") == f"{MARK} – Shift handover"
    assert marked_title(marked_title("x")) == marked_title("x")  # never twice
    assert marked_text("Pasienten kontaktet").splitlines() == [MARK, "Pasienten kontaktet"]
    assert marked_message("Hei") == f"[{MARK}] Hei"
    assert marked_message(marked_message("Hei")) == marked_message("Hei")
    assert duration_text(245) == "4 min 05 s" and duration_text(None) == "–"
    assert duration_text(3720) == "1 h 02 min" and duration_text(9) == "9 s"


def test_window_and_every_dialog_title_carry_the_mark_and_the_banner_stays(
    qtbot: QtBot,
) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    window.show()
    marker = TrainingMarker(window)
    marker.set_active(True)
    window.set_training_banner(TrainingBanner(window))
    assert window.windowTitle().startswith(MARK)
    banner = window.training_banner
    assert banner is not None and banner.isVisible() and MARK in banner.text()
    banner.hide()  # nothing may hide the mark while training
    assert banner.isVisible()
    # A dialog made anywhere, a message box and a file dialog: each gets the mark.
    dialog = QDialog(window)
    dialog.setWindowTitle("Comment")
    box = QMessageBox(QMessageBox.Icon.Warning, "Quit the console?", "?", parent=None)
    files = QFileDialog(None, "Save the handover")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    for d in (dialog, box, files):
        qtbot.addWidget(d)
        d.open()
    qtbot.waitUntil(lambda: all(d.windowTitle().startswith(MARK) for d in (dialog, box, files)))
    # A title set again later is marked again.
    dialog.setWindowTitle("Forward the alert")
    assert dialog.windowTitle() == f"{MARK} – Forward the alert"
    for d in (dialog, box, files):
        d.close()
    marker.stop()


def test_screenshots_are_stamped_with_the_mark(qtbot: QtBot) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    window.resize(800, 600)
    plain = stamp(window.grab())
    set_training_mark(True)
    marked = stamp(window.grab())
    corner = marked.toImage().pixelColor(marked.width() - 20, 10)
    assert corner == QColor("#7a1f00")  # the mark's box, top right
    assert plain.toImage().pixelColor(plain.width() - 20, 10) != QColor("#7a1f00")


def test_handover_review_and_debrief_pdfs_carry_the_mark(
    qtbot: QtBot, tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    model = AlertQueueModel(now=lambda: NOW)
    view = HandoverView(model, now=lambda: NOW, author="Ola Sykepleier")
    qtbot.addWidget(view)
    view.export_to(str(tmp_path / "real.pdf"))
    assert MARK.replace(" ", "") not in "".join(pdf_text(tmp_path / "real.pdf").split())
    set_training_mark(True)
    view.export_to(str(tmp_path / "training.pdf"))
    assert MARK.replace(" ", "") in "".join(pdf_text(tmp_path / "training.pdf").split())

    from console.ui.review_report import export_report_pdf

    pages = export_report_pdf(
        str(tmp_path / "review.pdf"),
        "<html><body><h1>Review</h1><p>Figures</p></body></html>",
        header_left="Centre",
        header_right="Range",
        footer_left="Made",
    )
    text = "".join(pdf_text(tmp_path / "review.pdf").split())
    assert pages == 1 and text.count(MARK.replace(" ", "")) >= 2  # header and first line

    fake = FakeTrainingServer()
    fake.score = {
        "trainees": [
            score_entry("sykepleier-1", "copd-exacerbation", claim=60, resolve=600,
                        outcome_code="referred-legevakt", expected="referred-legevakt",
                        missed=0, score=92)
        ],
        "group": {},
    }  # fmt: skip

    async def scenario() -> None:
        client = fake.client()
        service = TrainingService(client, ["superuser"])
        debrief = DebriefView(service, author="Siri Superbruker", now=lambda: NOW)
        qtbot.addWidget(debrief)
        service.refresh_debrief()
        await wait_for(lambda: debrief.debrief is not None)
        debrief.export_pdf(str(tmp_path / "debrief"))
        text = "".join(pdf_text(tmp_path / "debrief.pdf").split())
        assert MARK.replace(" ", "") in text and "sykepleier-1" in text
        assert "92" in text
        await service.stop()
        await client.aclose()
        await fake.aclose()

    qloop.run_until_complete(scenario())


def test_copied_notes_carry_the_mark(qtbot: QtBot) -> None:
    (card,) = bundle_alerts([alert_from_fhir(task("t1", "p1", minutes_ago=5))], NOW)  # type: ignore[list-item]
    dialog = ResolveDialog(card, lambda o, c: "Pasienten kontaktet.", error_confirmed=False)
    qtbot.addWidget(dialog)
    set_training_mark(True)
    dialog.copy_note()
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[0] == MARK and dialog.note() in copied


def test_messages_to_patients_are_prefixed_colleague_messages_are_not(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = seeded()

    async def scenario() -> None:
        service, client = service_for(fhir)
        set_training_mark(True)
        to_patient = service.send("p1", ThreadKind.PATIENT, "Vi ringer deg i dag.")
        to_gp = service.send("p1", ThreadKind.COLLEAGUE, "Kan du se på henne?")
        assert to_patient.text == f"[{MARK}] Vi ringer deg i dag."
        assert to_patient.resource["payload"][0]["contentString"].startswith(f"[{MARK}]")
        assert not to_gp.text.startswith("[")
        await wait_for(lambda: service.pending_count() == 0)
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())


# ----- the Training API ---------------------------------------------------------------------


def test_a_console_on_a_non_training_server_refuses_to_load_a_scenario(
    qloop: asyncio.AbstractEventLoop,
) -> None:
    async def scenario() -> None:
        # Client side: the profile says "normal", so no load request is ever sent.
        normal = FakeTrainingServer(profile="normal")
        client = normal.client()
        api = TrainingApi(client)
        with pytest.raises(NotTrainingServer):
            await api.load(["copd-exacerbation"], ["sykepleier-1"])
        with pytest.raises(NotTrainingServer):
            await api.load_text("name: x")
        assert [r for r in normal.requests if r[1] != "metadata"] == []
        await client.aclose()
        await normal.aclose()
        # Server side: a server that announces training but answers 404 is refused too.
        liar = FakeTrainingServer(server_404=True)
        client = liar.client()
        with pytest.raises(NotTrainingServer, match="not a training server"):
            await TrainingApi(client).load(["copd-exacerbation"], [])
        assert ("POST", "$scenario-load", {"scenarios": ["copd-exacerbation"],
                                           "trainees": []}) in liar.requests  # fmt: skip
        await client.aclose()
        await liar.aclose()

    qloop.run_until_complete(scenario())


def test_a_bad_scenario_file_names_line_and_field(qloop: asyncio.AbstractEventLoop) -> None:
    async def scenario() -> None:
        fake = FakeTrainingServer()
        client = fake.client()
        with pytest.raises(ScenarioFileError) as caught:
            await TrainingApi(client).load_text("name: bad\nevents: ...")
        assert caught.value.line == 12 and caught.value.field == "events[1].value"
        assert "expected a number" in caught.value.text
        await client.aclose()
        await fake.aclose()

    qloop.run_until_complete(scenario())


def test_inject_events_are_shaped_like_scenario_file_events() -> None:
    arne = ScenarioPatient("sc-1", "copd-exacerbation", "arne")
    assert inject_event(InjectKind.VALUE, arne, measurement="spo2", value=84.0) == {
        "kind": "observation", "patient": "arne", "scenario": "copd-exacerbation",
        "measurement": "spo2", "value": 84.0,
    }  # fmt: skip
    message = inject_event(InjectKind.MESSAGE, arne, text=" Jeg er tung i pusten ")
    assert message["kind"] == "message" and message["text"] == "Jeg er tung i pusten"
    missed = inject_event(InjectKind.MISSED, arne, measurement="weight")
    assert missed["kind"] == "missed" and missed["measurements"] == ["weight"]
    with pytest.raises(ValueError):
        inject_event(InjectKind.MESSAGE, arne, text="  ")


# ----- the trainer's controls ---------------------------------------------------------------


def test_a_nurse_is_told_the_controls_are_not_for_her_role(qtbot: QtBot) -> None:
    service = TrainingService(api=TrainingApi(None), roles=["nurse"])  # type: ignore[arg-type]
    view = TrainerView(service, role_text="nurse")
    qtbot.addWidget(view)
    assert not view.allowed and "superusers and administrators" in view.denied.text()
    assert "nurse" in view.denied.text()


def test_the_trainer_chooses_loads_runs_injects_and_follows_the_trainees(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeTrainingServer()

    async def scenario() -> None:
        client = fake.client()
        service = TrainingService(client, ["superuser"], poll_s=0.05)
        view = TrainerView(
            service,
            trainees=[("sykepleier-1", "Synne Lund"), ("sykepleier-2", "Per Hansen")],
            patients=lambda: [("sc-1", "Kols, Kari")],
        )
        qtbot.addWidget(view)
        service.refresh_scenarios()
        await wait_for(lambda: view.scenario_table.rowCount() == 2)
        assert not view.start_button.isEnabled()  # nothing loaded yet
        view.load_chosen()  # nothing ticked: said, nothing sent
        assert "at least one scenario" in view.error
        view.set_chosen(["copd-exacerbation"], ["sykepleier-1"])
        view.load_button.click()
        await wait_for(lambda: fake.state == "ready" and view.start_button.isEnabled())
        assert fake.scenarios == ["copd-exacerbation"] and fake.trainees == ["sykepleier-1"]
        assert service.following
        view.start_button.click()
        await wait_for(
            lambda: view.status is not None and view.status.state is SessionState.RUNNING
        )
        assert view.pause_button.isEnabled() and not view.start_button.isEnabled()
        view.speed.setValue(60)
        view.speed_button.click()
        await wait_for(lambda: fake.speed == 60.0)
        # Inject a low SpO2 for the scenario patient.
        assert view.inject_patient.currentData() == "sc-1"
        assert "Kols, Kari" in view.inject_patient.currentText()
        view.inject_value.setValue(84)
        view.inject_button.click()
        await wait_for(lambda: bool(fake.injected))
        assert fake.injected[0] == {
            "kind": "observation", "patient": "arne", "scenario": "copd-exacerbation",
            "trainee": "sykepleier-1", "measurement": "spo2", "value": 84.0,
        }  # fmt: skip
        # The trainees act; the trainer sees it within a poll.
        claim = {"at": "2026-12-03T09:06:00+00:00", "trainee": "sykepleier-1", "kind": "claim"}
        fake.actions.append({**claim, "patient": "sc-1", "detail": "SpO2 84 %"})
        await wait_for(lambda: view.actions_table.rowCount() == 1)
        assert view.actions_table.item(0, 2).text() == "claimed the alert"
        assert view.actions_table.item(0, 3).text() == "Kols, Kari"
        fake.actions.append({"at": "2026-12-03T09:08:00+00:00", "trainee": "sykepleier-1",
                             "kind": "open", "patient": "sc-1", "detail": ""})  # fmt: skip
        await wait_for(lambda: view.actions_table.rowCount() == 2)
        assert view.events_table.item(0, 3).text() == "✓ done"
        view.pause_button.click()
        await wait_for(lambda: fake.state == "paused")
        view.reset_button.click()
        await wait_for(lambda: fake.state == "ready" and view.actions_table.rowCount() == 0)
        controls = [b["action"] for m, p, b in fake.requests if p == "$scenario-control"]
        assert controls == ["start", "speed", "inject", "pause", "reset"]
        await service.stop()
        assert not service.following
        await client.aclose()
        await fake.aclose()

    qloop.run_until_complete(scenario())


def test_a_refused_scenario_file_shows_line_and_field(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    fake = FakeTrainingServer()

    async def scenario() -> None:
        client = fake.client()
        service = TrainingService(client, ["admin"])
        view = TrainerView(service)
        qtbot.addWidget(view)
        path = tmp_path / "own.yaml"
        path.write_text("name: bad\n", encoding="utf-8")
        view.load_file(str(path))
        await wait_for(lambda: bool(view.error))
        assert "line 12" in view.error and "events[1].value" in view.error
        assert "expected a number" in view.error and not view.file_error.isHidden()
        view.load_file(str(tmp_path / "missing.yaml"))
        assert "Could not read" in view.error
        # A good file loads and can be exported as it was.
        view.load_text("name: own\nevents: []\n")
        await wait_for(lambda: fake.scenarios == ["own-scenario"])
        assert service.loaded_text == "name: own\nevents: []\n"
        exported: list[tuple[str, str]] = []
        service.exported.disconnect()
        service.exported.connect(lambda n, t: exported.append((n, t)))
        service.export(None)
        await wait_for(lambda: bool(exported))
        assert exported == [("", "name: own\nevents: []\n")]
        await service.stop()
        await client.aclose()
        await fake.aclose()

    qloop.run_until_complete(scenario())


def test_the_training_menu_opens_the_controls_and_offers_a_restart_on_the_default(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    feature = TrainingFeature(window, None, training=False, embedded_default=True)
    actions = feature.actions
    assert set(actions) == {"controls", "debrief", "restart"}
    assert actions["controls"].shortcut().toString() == "Ctrl+Shift+T"
    assert not actions["controls"].isEnabled()  # not a training server
    assert window.menu("training").actions()[-1] is actions["restart"]
    fake = FakeTrainingServer()

    async def scenario() -> None:
        client = fake.client()
        service = TrainingService(client, ["superuser"], poll_s=0.05)
        other = MainWindow(PatientListModel())
        qtbot.addWidget(other)
        training = TrainingFeature(other, service, training=True, embedded_default=False)
        assert "restart" not in training.actions and training.actions["controls"].isEnabled()
        training.actions["controls"].trigger()
        view = other.tab("training")
        assert isinstance(view, TrainerView) and view.allowed
        training.set_trainees([("sykepleier-1", "Synne Lund")])
        assert view.trainee_list.count() == 1
        await wait_for(lambda: view.scenario_table.rowCount() == 2)
        training.actions["debrief"].trigger()
        assert isinstance(other.tab("debrief"), DebriefView)
        await training.stop()
        await client.aclose()
        await fake.aclose()

    qloop.run_until_complete(scenario())


def test_debrief_on_screen_per_trainee_and_for_the_group(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeTrainingServer()
    fake.score = {
        "trainees": [
            score_entry("sykepleier-1", "copd-exacerbation", claim=45, resolve=420,
                        outcome_code="referred-legevakt", expected="referred-legevakt",
                        missed=0, score=95),
            score_entry("sykepleier-2", "copd-exacerbation", claim=None, resolve=None,
                        outcome_code="no-action-needed", expected="referred-legevakt",
                        missed=2, score=20),
        ],
        "group": {},
    }  # fmt: skip

    async def scenario() -> None:
        client = fake.client()
        service = TrainingService(client, ["superuser"])
        view = DebriefView(service)
        qtbot.addWidget(view)
        assert "No scores yet" in view.group.text()
        view.refresh()
        await wait_for(lambda: view.table.rowCount() == 2)
        good = [view.table.item(0, c).text() for c in range(view.table.columnCount())]
        bad = [view.table.item(1, c).text() for c in range(view.table.columnCount())]
        assert good[:3] == ["sykepleier-1", "copd-exacerbation", "95"]
        assert "✓ right" in good[3] and good[6] == "45 s" and "Claimed quickly" in good[11]
        assert bad[6] == "–" and "✗ wrong" in bad[3] and bad[5] == "2" and bad[2] == "20"
        group = view.group.text()
        assert "2 trainees" in group and "mean score 58" in group
        assert "outcomes correct 1 of 2" in group and "alerts missed 2" in group
        await service.stop()
        await client.aclose()
        await fake.aclose()

    qloop.run_until_complete(scenario())


def test_control_enum_matches_the_contract() -> None:
    assert [c.value for c in Control] == ["start", "pause", "step", "speed", "reset", "inject"]
    assert not training_mark()


def test_a_patient_enrolled_while_the_console_runs_gets_a_row(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """A scenario's patient is made after the first load; her first value brings her row."""
    import httpx

    from console.fhir.client import FhirClient
    from console.services.centre import CentreService
    from tests.console.test_centre_service import (
        NOW as LIST_NOW,
    )
    from tests.console.test_centre_service import (
        bundle,
        episode,
        fake_server,
        patient,
        spo2,
    )

    base = fake_server()
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/EpisodeOfCare") and "patient" in request.url.params:
            asked.append(request.url.params["patient"])
            return httpx.Response(
                200,
                json=bundle(
                    [
                        (episode("p3", "dep-a"), "match"),
                        (patient("p3", "Arne", "Bakketun"), "include"),
                    ]
                ),
            )
        if "lastn" in request.url.path and "p3" in str(request.url):
            return httpx.Response(200, json=bundle([(spo2("p3", 87, LIST_NOW, "o8"), "match")]))
        return base(request)

    async def scenario() -> None:
        model = PatientListModel()
        client = FhirClient(
            "http://fhir.test/fhir", http=httpx.AsyncClient(transport=httpx.MockTransport(handler))
        )
        service = CentreService(client, model, batch_interval_ms=20)
        try:
            await service.load()
            assert model.row_of("p3") is None
            service.receive([spo2("p3", 87, LIST_NOW, "o8")])
            await wait_for(lambda: model.row_of("p3") is not None)
            summary = model.summary("p3")
            assert summary is not None and summary.patient.family == "Bakketun"
            service.receive([spo2("p3", 86, LIST_NOW, "o9"), spo2("nobody", 90, LIST_NOW, "o10")])
            await asyncio.sleep(0.2)
            assert asked == ["p3", "nobody"]  # each unknown patient is asked for once
            await service.stop()
        finally:
            await client.aclose()

    qloop.run_until_complete(scenario())


def test_the_lock_keeps_the_mark_in_its_neutral_titles(qtbot: QtBot) -> None:
    from console.ui.lock import LockOverlay

    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    marker = TrainingMarker(window)
    marker.set_active(True)
    overlay = LockOverlay(window)
    window.show()
    dialog = QDialog(window)
    dialog.setWindowTitle("Comment – Kari Nordmann")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.windowTitle().startswith(MARK))
    overlay.lock()
    qtbot.waitUntil(lambda: "locked" in dialog.windowTitle())
    assert window.windowTitle() == marked_title("DHO response centre – locked")
    assert dialog.windowTitle() == marked_title("DHO – locked")  # no name, still marked
    overlay.unlock()
    assert window.windowTitle().startswith(MARK) and "locked" not in window.windowTitle()
    assert dialog.windowTitle() == f"{MARK} – Comment – Kari Nordmann"
    dialog.close()
    marker.stop()


def test_a_nurse_gets_her_own_debrief_in_the_menu(qtbot: QtBot) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    service = TrainingService(api=TrainingApi(None), roles=["nurse"])  # type: ignore[arg-type]
    feature = TrainingFeature(window, service, training=True, embedded_default=False)
    assert feature.actions["debrief"].text() == "My &debrief…"
    feature.actions["controls"].trigger()
    view = window.tab("training")
    assert isinstance(view, TrainerView) and not view.allowed


def ancestors(widget: QWidget) -> list[object]:
    out: list[object] = []
    parent = widget.parent()
    while parent is not None:
        out.append(parent)
        parent = parent.parent()
    return out


def test_every_control_has_an_accessible_name_and_the_keyboard_ticks_scenarios(
    qtbot: QtBot,
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
    )

    from console.domain.training import ScenarioInfo

    service = TrainingService(api=TrainingApi(None), roles=["superuser"])  # type: ignore[arg-type]
    trainer = TrainerView(service, trainees=[("sykepleier-1", "Synne Lund")])
    debrief = DebriefView(service)
    for view in (trainer, debrief):
        qtbot.addWidget(view)
        kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView)
        for widget in view.findChildren(QWidget):
            if not isinstance(widget, kinds) or isinstance(widget.parent(), QAbstractSpinBox):
                continue
            if isinstance(widget, QHeaderView) or isinstance(widget.parent(), QAbstractItemView):
                continue  # a table's own headers and corner button
            if any(isinstance(a, QComboBox) for a in ancestors(widget)):
                continue  # a combo box's own popup list
            assert widget.accessibleName(), f"{type(widget).__name__} {widget.objectName()}"
            assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus or not widget.isEnabled()
    trainer.set_scenarios([ScenarioInfo("copd", {"en": "COPD"}, 360, "copd", 1)])
    trainer.show()
    qtbot.waitExposed(trainer)
    table = trainer.scenario_table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert trainer.chosen_scenarios() == ["copd"]
    trainer.trainee_list.setFocus()
    trainer.trainee_list.setCurrentRow(0)
    qtbot.keyClick(trainer.trainee_list, Qt.Key.Key_Space)
    assert trainer.chosen_trainees() == ["sykepleier-1"]
    trainer.close()


def test_restart_in_training_mode_starts_the_console_with_training() -> None:
    import sys

    from console.ui.training import restart_command

    program, arguments = restart_command(["--lang", "nn"])
    assert program == sys.executable
    assert arguments == ["-m", "console.app", "--training", "--lang", "nn"]
