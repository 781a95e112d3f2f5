"""The console speaks one language at a time: alert reasons from codes, plurals, Qt's own
buttons and dialogs, and messages to patients in the patient's language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QPushButton

from console.domain.alerts import Alert, AlertRule
from console.domain.model import MeasurementKind, Patient
from console.domain.patient_texts import Purpose, TemplateKey, compose, fill, patient_language
from console.fhir.alerts import INPUT_SYSTEM, RULE_SYSTEM, alert_from_fhir, instant
from console.i18n import install_translators
from console.state.alert_queue import alert_lines
from console.state.patient_list import PatientListModel
from console.ui.main_window import MainWindow

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # 13:00 in Oslo


@contextmanager
def language(code: str) -> Iterator[None]:
    app = QCoreApplication.instance()
    assert app is not None
    previous = QLocale()
    translators = install_translators(app, code)
    try:
        yield
    finally:
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(previous)


def _input(code: str, text: str = "", *, loinc: str = "", **value: Any) -> dict[str, Any]:
    codings = [{"system": INPUT_SYSTEM, "code": code}]
    if loinc:
        codings.append({"system": "http://loinc.org", "code": loinc})
    concept: dict[str, Any] = {"coding": codings}
    if text:
        concept["text"] = text
    return {"type": concept, **value}


def _task(rule: str, inputs: list[dict[str, Any]], description: str) -> Alert:
    alert = alert_from_fhir(
        {
            "resourceType": "Task",
            "id": f"t-{rule}",
            "meta": {"versionId": "1"},
            "status": "requested",
            "intent": "order",
            "priority": "urgent",
            "code": {"coding": [{"system": RULE_SYSTEM, "code": rule}]},
            "for": {"reference": "Patient/p1", "display": "Nordmann, Kari"},
            "authoredOn": instant(NOW - timedelta(hours=3)),
            "description": description,
            "input": [
                _input("trigger", valueReference={"reference": "ServiceRequest/sr1"}),
                _input("level", valueCode="yellow"),
                *inputs,
            ],
        }
    )
    assert alert is not None
    return alert


# What our rule engine writes (server/rules/engine.py), descriptions in Bokmål.
MISSING = _task(
    "missing-measurement",
    [
        _input("due", "Kroppsvekt", loinc="29463-7", valueDateTime="2026-11-22T07:00:00Z"),
        _input("threshold", "Kroppsvekt", valueString="gul: 4 t etter planlagt tid"),
    ],
    "Manglende måling: Kroppsvekt, ventet 22.11. kl. 08:00 (4 t over tid)",
)
#: An older server: the measurement named only in Bokmål.
MISSING_LABEL_ONLY = _task(
    "missing-measurement",
    [_input("due", "Puls", valueDateTime="2026-11-21T19:00:00Z")],
    "Manglende måling: Puls, ventet 21.11. kl. 20:00 (16 t over tid)",
)
ANSWER = _task(
    "questionnaire",
    [_input("value", "Er du mer tungpustet enn vanlig?", valueString="gul: Ja")],
    "Spørreskjema: «Er du mer tungpustet enn vanlig?» – Ja",
)
CONTACT = _task(
    "contact-request",
    [_input("value", "Melding", valueString="Kan dere ringe meg?")],
    "Pasienten ber om å bli kontaktet: «Kan dere ringe meg?»",
)

EXPECTED = {
    "en": [
        "Weight missing since 08:00",
        "Pulse missing since 21.11. 20:00",
        "Answer yellow: “Er du mer tungpustet enn vanlig?” – Ja",
        "Asks to be contacted: “Kan dere ringe meg?”",
    ],
    "nb": [
        "Vekt mangler siden 08:00",
        "Puls mangler siden 21.11. 20:00",
        "Svar gul: «Er du mer tungpustet enn vanlig?» – Ja",
        "Ber om å bli kontaktet: «Kan dere ringe meg?»",
    ],
    "nn": [
        "Vekt manglar sidan 08:00",
        "Puls manglar sidan 21.11. 20:00",
        "Svar gul: «Er du mer tungpustet enn vanlig?» – Ja",
        "Ber om å bli kontakta: «Kan dere ringe meg?»",
    ],
}


@pytest.mark.parametrize("lang", ["en", "nb", "nn"])
def test_alert_reasons_come_from_codes_in_the_users_language(lang: str) -> None:
    with language(lang):
        lines = [alert_lines(a, now=NOW)[0] for a in (MISSING, MISSING_LABEL_ONLY, ANSWER, CONTACT)]
        heading = alert_lines(_task("missing-measurement", [], "Manglende måling: Puls"))
    assert lines == EXPECTED[lang]
    # No server text (Bokmål) and no category said twice ("Missing measurement: Manglende …").
    for line in [*lines, *heading]:
        assert "Manglende måling:" not in line and "over tid" not in line
    assert heading == [
        {"en": "Missing measurement", "nb": "Manglende måling", "nn": "Manglande måling"}[lang]
    ]


def test_an_unknown_rule_falls_back_to_the_servers_text_once() -> None:
    other = _task("some-vendor-rule", [], "Vendor says: check the patient")
    assert other.rule is AlertRule.OTHER
    assert alert_lines(other) == ["Other alert: Vendor says: check the patient"]


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("en", "1 patient", "300 patients"),
        ("nb", "1 pasient", "300 pasienter"),
        ("nn", "1 pasient", "300 pasientar"),
    ],
)
def test_plurals_in_every_language(qtbot: Any, lang: str, one: str, many: str) -> None:
    with language(lang):
        window = MainWindow(PatientListModel())
        qtbot.addWidget(window)
        translate = window.tr
        assert translate("%n patient(s)", "", 1) == one
        assert translate("%n patient(s)", "", 300) == many
        assert "(s)" not in window.counts.text()


@pytest.mark.parametrize(
    ("lang", "cancel", "save", "look_in"),
    [("nb", "Avbryt", "&Lagre", "&Se i:"), ("nn", "Avbryt", "&Lagra", "&Leit i:")],
)
def test_qt_own_buttons_and_file_dialog_follow_the_language(
    qtbot: Any, lang: str, cancel: str, save: str, look_in: str
) -> None:
    """Qt ships qtbase_nn only: Bokmål comes from our qtbase_nb, over Qt's Nynorsk."""
    with language(lang):
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Close
        )
        qtbot.addWidget(box)
        texts = {b.text() for b in box.findChildren(QPushButton)}
        assert cancel in texts and "Lukk" in texts
        dialog = QFileDialog()
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        qtbot.addWidget(dialog)
        labels = {w.text() for w in dialog.findChildren(QPushButton)}
        labels |= {label.text() for label in dialog.findChildren(QLabel)}
        assert save in labels
        assert look_in in labels


# ----- messages to patients -------------------------------------------------------------------


def test_patient_messages_read_well_in_each_language_and_templates_win() -> None:
    common: dict[str, Any] = {
        "first_name": "Kari",
        "kind": MeasurementKind.BLOOD_PRESSURE,
        "nurse": "Synne Lund",
        "service": "Felles responssenter",
    }
    assert compose(Purpose.REMEASURE, "nb", **common) == (
        "Hei Kari! Vi vil gjerne dobbeltsjekke blodtrykket du nettopp sendte inn. Kan du måle "
        "én gang til og sende inn resultatet? Hilsen Synne Lund, Felles responssenter"
    )
    assert "blodtrykket du nettopp sende inn" in compose(Purpose.REMEASURE, "nn", **common)
    assert compose(Purpose.REMINDER, "en", **common, due="08:00").startswith(
        "Hello Kari, we have not received the blood pressure that was due at 08:00."
    )
    # Without a first name or a known measurement it still reads well.
    assert compose(Purpose.REMEASURE, "nb").startswith(
        "Hei! Vi vil gjerne dobbeltsjekke målingen du nettopp sendte inn."
    )
    own = {TemplateKey(Purpose.REMEASURE, "nn"): "Hei {first_name}, mål {measurement} på nytt."}
    assert compose(Purpose.REMEASURE, "nn", overrides=own, **common) == (
        "Hei Kari, mål blodtrykket på nytt."
    )
    assert fill("Hei {fornavn}!", {}) == "Hei {fornavn}!"  # a typo shows, it does not vanish
    assert [patient_language(c) for c in ("no", "nb-NO", "nn", "en-GB", "de", "")] == [
        "nb",
        "nb",
        "nn",
        "en",
        "nb",
        "nb",
    ]


def test_the_patients_preferred_language_is_read_from_fhir() -> None:
    from console.fhir.mapping import patient_from_fhir

    patient = patient_from_fhir(
        {
            "resourceType": "Patient",
            "id": "p1",
            "name": [{"family": "Nordmann", "given": ["Kari"]}],
            "communication": [
                {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en"}]}},
                {
                    "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "nn"}]},
                    "preferred": True,
                },
            ],
        }
    )
    assert patient == Patient("p1", "Kari", "Nordmann", language="nn")


def test_department_templates_round_trip_and_the_reminder_is_in_the_patients_language(
    qloop: Any,
) -> None:
    from console.domain.messages import MessagingUser
    from console.fhir.messages import patient_text_from_fhir, patient_text_resource
    from console.services.patient_texts import PatientTexts

    me = MessagingUser("prac-1", "Synne Lund", "org-1", "Felles responssenter")
    key = TemplateKey(Purpose.REMINDER, "nn")
    stored = {**patient_text_resource("dep-a", key, "Hugs {measurement}, {first_name}!", me)}
    stored.update(id="c1", meta={"versionId": "1"})
    parsed = patient_text_from_fhir(stored)
    assert parsed is not None and parsed[0] == key and parsed[1].department_id == "dep-a"

    class Store:
        async def patient_texts(self, department_id: str) -> list[dict[str, Any]]:
            return [stored] if department_id == "dep-a" else []

    texts = PatientTexts(Store(), me, default_language=lambda: "nb")  # type: ignore[arg-type]
    kari = Patient("p1", "Kari Anne", "Nordmann", language="nn")
    ola = Patient("p2", "Ola", "Nordmann")  # no language recorded: the setting's default
    reminder = qloop.run_until_complete(
        texts.compose(Purpose.REMINDER, kari, "dep-a", kind=MeasurementKind.WEIGHT, due="08:00")
    )
    assert reminder == "Hugs vekta, Kari!"
    default = qloop.run_until_complete(
        texts.compose(Purpose.REMINDER, ola, "dep-b", kind=MeasurementKind.WEIGHT, due="08:00")
    )
    assert default.startswith("Hei Ola! Vi har ikke fått vekten som var planlagt kl. 08:00.")
    assert default.endswith("Hilsen Synne Lund, Felles responssenter")


def test_the_video_dialog_asks_for_the_video_service_and_never_shows_the_id(qtbot: Any) -> None:
    from console.domain.messages import MessagingUser
    from console.services.video import VideoService
    from console.ui.video_dialog import VideoCallDialog

    me = MessagingUser("prac-1", "Synne Lund", "org-1", "Felles responssenter")
    video = VideoService(None, None, me, url_template="https://{host}/{room}", host="")  # type: ignore[arg-type]
    assert video.needs_host
    dialog = VideoCallDialog(video, "78f61866-e42d-5249", patient_name="")
    qtbot.addWidget(dialog)
    assert "78f61866" not in dialog.heading.text() + dialog.windowTitle()
    assert not dialog.start_button.isEnabled()  # no service named: no call yet
    dialog.host.setText("https://video.kommune.example/rom")
    assert dialog.start_button.isEnabled()
    dialog.start_button.click()
    assert "not a host name" in dialog.error.text() and dialog.call is None
    video.set_host("video.kommune.example", remember=False)
    assert not video.needs_host
    assert video.new_url().startswith("https://video.kommune.example/dho-")


def test_every_plural_has_its_english_forms_too() -> None:
    """English is the source language, but "%n patient(s)" needs dho_en.qm's forms."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    ts = Path(__file__).resolve().parents[2] / "resources" / "translations" / "dho_en.ts"
    plurals = [m for m in ET.parse(ts).getroot().iter("message") if m.get("numerus") == "yes"]
    assert plurals
    for message in plurals:
        forms = [f.text or "" for f in message.iter("numerusform")]
        assert len(forms) == 2 and all("%n" in f for f in forms), message.findtext("source")


def test_saving_a_departments_wording_replaces_the_old_one(qloop: Any) -> None:
    from console.domain.messages import MessagingUser
    from console.fhir.messages import patient_text_resource
    from console.services.patient_texts import PatientTexts

    me = MessagingUser("prac-1", "Synne Lund", "org-1", "Felles responssenter")
    key = TemplateKey(Purpose.REMEASURE, "nb")
    old = {**patient_text_resource("dep-a", key, "Mål {measurement} igjen.", me)}
    old.update(id="c1", meta={"versionId": "1"})

    class Store:
        def __init__(self) -> None:
            self.stored = [old]
            self.created: list[dict[str, Any]] = []
            self.stopped: list[str] = []

        async def patient_texts(self, department_id: str) -> list[dict[str, Any]]:
            return [r for r in self.stored if r.get("status") == "preparation"]

        async def read(self, _type: str, rid: str) -> dict[str, Any]:
            return next(r for r in self.stored if r.get("id") == rid)

        async def update_with_retry(self, resource: dict[str, Any], change: Any) -> Any:
            changed = change(resource)
            self.stopped.append(changed["id"])
            self.stored = [changed if r["id"] == changed["id"] else r for r in self.stored]
            return changed

        async def create(self, resource: dict[str, Any]) -> dict[str, Any]:
            created = {**resource, "id": f"c{len(self.stored) + 1}", "meta": {"versionId": "1"}}
            self.created.append(created)
            self.stored.append(created)
            return created

    store = Store()
    texts = PatientTexts(store, me)  # type: ignore[arg-type]
    qloop.run_until_complete(texts.save("dep-a", key, "Hei {first_name}, mål {measurement}."))
    assert store.stopped == ["c1"]
    assert [c["payload"][0]["contentString"] for c in store.created] == [
        "Hei {first_name}, mål {measurement}."
    ]
    with pytest.raises(ValueError, match="fornavn"):
        qloop.run_until_complete(texts.save("dep-a", key, "Hei {fornavn}!"))
    # The default's own text (or an empty one) removes the department's version.
    qloop.run_until_complete(texts.save("dep-a", key, ""))
    assert store.stopped == ["c1", "c2"] and len(store.created) == 1
