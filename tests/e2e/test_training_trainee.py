"""A scripted training session on the real training backend (issue 13), three real consoles:

- the trainer (a superuser) chooses the COPD scenario and two trainees in the trainer's
  controls, loads it and steps through it;
- trainee A claims each alert of her scenario patient at once, opens the patient and
  resolves with an expected outcome (advised the GP);
- trainee B claims the first alert and resolves it as "no action needed" (wrong), and
  leaves the later alerts alone (missed).

The debrief (in the trainer's console, from `$scenario-score`) gives A a high score and
reports B's wrong outcome and missed alerts.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from console.app import parse_args
from console.domain.alerts import Outcome
from console.domain.messages import Delivery, ThreadKind
from console.domain.training import MARK, InjectKind, SessionState
from console.ui.session import ConsoleSession, grab_widget
from console.ui.training import DebriefView, TrainerView
from tests.backend import start_backend

pytestmark = pytest.mark.slow

SCENARIO = "copd-exacerbation"
#: Set to a folder to keep the screenshots of this session (README's Training section):
#: DHO_TRAINING_SHOTS=docs DHO_TRAINING_SIZE=1366x768 DHO_TRAINING_LANG=nb pytest this file.
SHOTS = os.environ.get("DHO_TRAINING_SHOTS")
SIZE = os.environ.get("DHO_TRAINING_SIZE", "1920x1080")
LANG = os.environ.get("DHO_TRAINING_LANG", "en")


async def shoot(session: ConsoleSession, name: str) -> None:
    """The window as a PNG (only when DHO_TRAINING_SHOTS is set)."""
    if not SHOTS:
        return
    await asyncio.sleep(0.5)  # let the last changes paint
    width = SIZE.split("x")[0]
    suffix = f"-{width}" + ("" if LANG == "en" else f"-{LANG}")
    grab_widget(session.window, str(Path(SHOTS) / f"screenshot-training-{name}{suffix}.png"))


async def wait_until(predicate, within: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def sign_in(session: ConsoleSession, pick: Any) -> str:
    """Choose a training user in the sign-in panel, as a person would; her user name."""
    overlay = session.overlay
    await wait_until(lambda: overlay.training.isVisible(), within=90)
    table = overlay.training_table
    rows = [(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())]
    row = pick(rows)
    table.selectRow(row)
    overlay.training_button.click()
    await wait_until(lambda: session.workbench is not None and session.training_feature is not None)
    return rows[row][1]


def scenario_patient(trainer: TrainerView, trainee: str) -> str:
    assert trainer.status is not None
    return next(p.id for p in trainer.status.patients if p.trainee == trainee)


def test_a_fast_right_response_scores_high_a_wrong_one_and_missed_alerts_are_reported(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    backend = start_backend(
        tmp_path / "training",
        seed_patients=12,
        history_days=1,
        auth=True,
        extra_args=["--profile", "training"],
    )
    translators = []
    if LANG != "en":
        from PySide6.QtWidgets import QApplication

        from console.i18n import install_translators

        translators = install_translators(QApplication.instance(), LANG)  # type: ignore[arg-type]
    args = ["--training", backend.base_url, "--size", SIZE]
    sessions = [ConsoleSession(parse_args(args)) for _ in range(3)]
    trainer_s, a_s, b_s = sessions

    async def scenario() -> None:
        runners = [asyncio.create_task(s.run()) for s in sessions]
        try:
            # Who signs in: the superuser, then two nurses (a centre nurse and another).
            await sign_in(
                trainer_s,
                lambda rows: next(
                    i
                    for i, r in enumerate(rows)
                    if "superuser" in r[0].lower() or "superbruk" in r[0].lower()
                ),
            )  # fmt: skip (en, nb, nn)
            nurse_a = await sign_in(a_s, lambda rows: 0)  # the first offered: a centre nurse
            nurse_b = await sign_in(b_s, lambda rows: 1)
            assert nurse_a != nurse_b
            for s in sessions:
                assert s.window.windowTitle().startswith(MARK)

            # The trainer's controls: choose, load, step.
            feature = trainer_s.training_feature
            assert feature is not None
            feature.actions["controls"].trigger()
            trainer = trainer_s.window.tab("training")
            assert isinstance(trainer, TrainerView) and trainer.allowed
            await wait_until(lambda: trainer.scenario_table.rowCount() >= 1)
            await wait_until(lambda: trainer.trainee_list.count() >= 2)
            # Export a library scenario to share; a broken copy is refused with line and field.
            assert trainer.service is not None
            text = await trainer.service.api.export(SCENARIO)
            assert "format: dho-scenario/1" in text and f"name: {SCENARIO}" in text
            line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("duration"))
            trainer.load_text(text.replace("duration_minutes: 360", "duration_minutes: lots"))
            await wait_until(lambda: bool(trainer.error), within=20)
            assert f"line {line}" in trainer.error or f"linje {line}" in trainer.error
            assert "duration_minutes" in trainer.error
            assert trainer.status is None or trainer.status.state is SessionState.NONE
            trainer.set_chosen([SCENARIO], [nurse_a, nurse_b])
            assert trainer.chosen_trainees() == [nurse_a, nurse_b] or set(
                trainer.chosen_trainees()
            ) == {nurse_a, nurse_b}
            trainer.load_button.click()
            await wait_until(
                lambda: (
                    trainer.status is not None
                    and trainer.status.state is not SessionState.NONE
                    and len(trainer.status.patients) == 2
                ),
                within=60,
            )
            patient_a = scenario_patient(trainer, nurse_a)
            patient_b = scenario_patient(trainer, nurse_b)

            def alert_for(s: ConsoleSession, pid: str) -> bool:
                wb = s.workbench
                return wb is not None and any(c.patient_id == pid for c in wb.alert_model.cards())

            handled_a = 0
            handled_b = 0
            for _step in range(12):
                if trainer.status is not None and trainer.status.state is SessionState.FINISHED:
                    break
                trainer.step_button.click()
                await asyncio.sleep(1.5)  # the step, the rules and the live feed
                if _step == 0:
                    # The trainer injects a message from B's patient now.
                    await wait_until(lambda: trainer.inject_button.isEnabled(), within=10)
                    before = len(trainer.status.events) if trainer.status else 0
                    targets = [p.trainee for p in trainer._inject_targets]
                    trainer.inject_patient.setCurrentIndex(targets.index(nurse_b))
                    kind = trainer.inject_kind.findData(InjectKind.MESSAGE.value)
                    trainer.inject_kind.setCurrentIndex(kind)
                    trainer.inject_text.setText("Kan dere ringe meg? Jeg er tung i pusten.")
                    trainer.inject_button.click()
                    await wait_until(
                        lambda b=before: (
                            trainer.status is not None and len(trainer.status.events) > b
                        ),
                        within=20,
                    )
                    assert not trainer.error, trainer.error
                # A: every alert at once, with the patient open, resolved as expected.
                if alert_for(a_s, patient_a):
                    wb = a_s.workbench
                    assert wb is not None
                    if handled_a == 0:
                        # Her scenario patient is in her list too (made while she works).
                        await wait_until(lambda: a_s.model.row_of(patient_a) is not None, 10)
                        await shoot(a_s, "trainee")
                    assert await wb.alerts.claim(patient_a)
                    if patient_a not in wb.pages:  # she opens the patient (an AuditEvent)
                        wb.open_patient(patient_a)
                        await wb.page_loads[patient_a]
                    if handled_a == 0:  # she writes to him, as the scenario expects
                        sent = wb.messaging.send(
                            patient_a, ThreadKind.PATIENT, "Vi ringer deg nå om pusten."
                        )
                        await wait_until(lambda m=sent: m.state is Delivery.SENT, within=20)
                        assert sent.text.startswith(f"[{MARK}] ")  # the training prefix
                    await wb.alerts.resolve(patient_a, Outcome.ADVISED_GP, "Fastlege i dag.")
                    handled_a += 1
                # B: only the first alert, resolved wrongly; the others are left.
                if handled_b == 0 and alert_for(b_s, patient_b):
                    wb = b_s.workbench
                    assert wb is not None
                    assert await wb.alerts.claim(patient_b)
                    await wb.alerts.resolve(patient_b, Outcome.NO_ACTION, "")
                    handled_b += 1
            assert handled_a >= 1 and handled_b == 1
            wanted = {(nurse_a, "claim"), (nurse_a, "open"), (nurse_a, "resolve"),
                      (nurse_b, "claim"), (nurse_b, "resolve")}  # fmt: skip

            def seen() -> set[tuple[str, str]]:
                actions = trainer.status.actions if trainer.status else ()
                return {(a.trainee, a.kind) for a in actions}

            # The trainer's view polls every 2 s; openings come from the audit trail.
            await wait_until(lambda: wanted <= seen(), within=30)
            assert trainer.actions_table.rowCount() >= 4  # the live view shows them
            await shoot(trainer_s, "controls")

            # The debrief: A high, B's wrong outcome and missed alerts reported.
            trainer.debrief_button.click()
            debrief = trainer_s.window.tab("debrief")
            assert isinstance(debrief, DebriefView)
            await wait_until(lambda: debrief.debrief is not None and len(
                debrief.debrief.trainees) == 2, within=30)  # fmt: skip
            assert debrief.debrief is not None
            scores = {t.trainee: t.scenarios[0] for t in debrief.debrief.trainees}
            good, bad = scores[nurse_a], scores[nurse_b]
            assert good.outcome_correct and good.score >= 80, good  # 90-100 seen
            assert good.alerts_missed == 0 and good.time_to_claim_s is not None
            assert good.messages_sent >= 1
            assert not bad.outcome_correct and bad.outcome == "no-action-needed", bad
            assert bad.alerts_missed >= 1 and bad.score <= good.score - 30
            rows = debrief.rows(debrief.debrief)
            row_b = next(r for r in rows if nurse_b in r[0])
            assert ("✗ wrong" in row_b[3] or LANG != "en") and int(row_b[5]) >= 1
            debrief.table.selectRow(rows.index(row_b))
            await shoot(trainer_s, "debrief")
            pages = debrief.export_pdf(str(tmp_path / "debrief.pdf"))
            assert pages >= 1 and (tmp_path / "debrief.pdf").stat().st_size > 2000
            print(
                f"A: score {good.score:.0f}, claim {good.time_to_claim_s} s, notes {good.notes}; "
                f"B: score {bad.score:.0f}, missed {bad.alerts_missed}, outcome {bad.outcome}"
            )
        finally:
            for s in sessions:
                s.request_quit()
            await asyncio.gather(*runners)

    try:
        qloop.run_until_complete(scenario())
    finally:
        backend.stop()
        if translators:
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance()
            for translator in translators:
                app.removeTranslator(translator)  # type: ignore[union-attr]
