"""End to end against the real reference backend (tests/backend.py): messaging and video.

Seeds a RelatedPerson and messages over HTTP, renders the messages view and the video dialog to
PNGs (set DHO_SCREENSHOT_DIR to keep them), sends replies through the outbox (also while the
backend is stopped), and starts and ends a video call with the browser intercepted.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from console.domain.messages import Delivery, MessagingUser, ThreadKind
from console.fhir.client import FhirClient
from console.fhir.messages import CATEGORY_SYSTEM, MESSAGE_KEY_SYSTEM, THREAD_ID_URL, MessageStore
from console.i18n import install_translators
from console.services.messaging import MessagingService
from console.services.outbox import Outbox
from console.services.video import VideoService
from console.ui.messages_view import MessagesView
from console.ui.video_dialog import VideoCallDialog
from server.sim.messaging import REPLIES
from tests.backend import start_backend

pytestmark = pytest.mark.slow

FHIR_JSON = {"Content-Type": "application/fhir+json"}


def _conditional_create_available() -> bool:
    import server.api.fhir as api

    return "if-none-exist" in Path(api.__file__).read_text(encoding="utf-8")


needs_conditional_create = pytest.mark.skipif(
    not _conditional_create_available(),
    reason="the backend has no conditional create (If-None-Exist) yet",
)


def message(
    pid: str, sender: dict[str, str], text: str, sent: str, category: str = "patient-thread"
) -> dict[str, Any]:
    return {
        "resourceType": "Communication",
        "status": "completed",
        "extension": [
            {
                "url": THREAD_ID_URL,
                "valueString": f"{pid}/{'colleague' if 'colleague' in category else 'patient'}",
            }
        ],
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": category}]}],
        "subject": {"reference": f"Patient/{pid}"},
        "sender": sender,
        "recipient": [{"reference": f"Patient/{pid}"}],
        "sent": sent,
        "payload": [{"contentString": text}],
    }


def seed(base_url: str) -> dict[str, Any]:
    """A patient with a relative, a patient/relative conversation and a colleague note."""
    with httpx.Client(base_url=base_url, headers=FHIR_JSON, timeout=30) as http:
        episode = http.get(
            "/EpisodeOfCare", params={"status": "active", "_include": "EpisodeOfCare:patient"}
        ).json()
        patient = next(
            e["resource"] for e in episode["entry"] if e["resource"]["resourceType"] == "Patient"
        )
        pid = patient["id"]
        eoc = next(
            e["resource"]
            for e in episode["entry"]
            if e["resource"]["resourceType"] == "EpisodeOfCare"
            and e["resource"]["patient"]["reference"] == f"Patient/{pid}"
        )
        department = eoc["managingOrganization"]["reference"].split("/")[-1]
        org = http.get(f"/Organization/{department}").json()
        others = http.get("/Organization", params={"_count": "50"}).json()["entry"]
        colleague = next(
            e["resource"]
            for e in others
            if e["resource"]["id"] != department and "Madla" in e["resource"].get("name", "")
        )
        practitioner = http.get("/Practitioner", params={"_count": "1"}).json()["entry"][0][
            "resource"
        ]
        name = practitioner["name"][0]
        pr_name = " ".join([*name.get("given", []), name.get("family", "")]).strip()
        relative = http.post(
            "/RelatedPerson",
            json={
                "resourceType": "RelatedPerson",
                "active": True,
                "patient": {"reference": f"Patient/{pid}"},
                "name": [{"given": ["Ingrid"], "family": "Solberg"}],
                "relationship": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                                "code": "DAU",
                            }
                        ]
                    }
                ],
            },
        ).json()
        day = "2026-11-22T"
        me_ref = {"reference": f"Practitioner/{practitioner['id']}", "display": pr_name}
        conversation = [
            message(
                pid,
                {"reference": f"Patient/{pid}"},
                "God morgen. Jeg var mer tung i pusten i natt enn vanlig, og metningen var 89 "
                "da jeg målte nå.",
                day + "07:42:00Z",
            ),
            message(
                pid,
                {"reference": f"RelatedPerson/{relative['id']}"},
                "Hei, dette er datteren. Mor sov dårlig og har hostet mye. Hun har tatt "
                "medisinene sine som vanlig.",
                day + "07:55:00Z",
            ),
            message(
                pid,
                me_ref,
                "Takk for beskjed. Vi ringer deg i løpet av formiddagen. Ta en ny måling om "
                "en halv time.",
                day + "08:10:00Z",
            ),
            message(
                pid,
                {"reference": f"Patient/{pid}"},
                "Kan dere ringe meg før lunsj? Jeg skal til frisøren klokka ett.",
                day + "08:31:00Z",
                "contact-request",
            ),
            message(
                pid,
                {"reference": f"Organization/{colleague['id']}", "display": colleague["name"]},
                "Fastlegen har økt vanndrivende fra i dag. Følg vekten daglig og gi beskjed "
                "ved mer enn 2 kg økning.",
                day + "08:05:00Z",
                "colleague-thread",
            ),
        ]
        for resource in conversation:
            assert http.post("/Communication", json=resource).status_code == 201
    given = " ".join(patient["name"][0].get("given", []))
    return {
        "patient_id": pid,
        "patient_name": f"{given} {patient['name'][0].get('family', '')}".strip(),
        "me": MessagingUser(practitioner["id"], pr_name, department, str(org.get("name", ""))),
        "department": department,
    }


def save_screenshot(widget: Any, path: Path, name: str) -> Path:
    target = path / name
    assert widget.grab().save(str(target))
    keep = os.environ.get("DHO_SCREENSHOT_DIR")
    if keep:
        shutil.copy(target, Path(keep) / name)
    return target


async def wait_for(predicate: Any, within: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


def stored_with_key(base_url: str, key: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        bundle = http.get(
            "/Communication", params={"identifier": f"{MESSAGE_KEY_SYSTEM}|{key}"}
        ).json()
    return [e["resource"] for e in bundle.get("entry", [])]


def test_messages_view_renders_patient_and_relative_thread(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    with start_backend(tmp_path / "backend", seed_patients=8) as backend:
        info = seed(backend.base_url)

        async def scenario() -> None:
            client = FhirClient(backend.base_url)
            messaging = MessagingService(MessageStore(client), info["me"])
            view = MessagesView(
                messaging,
                info["patient_id"],
                info["me"],
                patient_name=info["patient_name"],
                can_edit_templates=True,
            )
            view.resize(1920, 1080)
            view.show()
            await view.load()
            await asyncio.sleep(0.2)
            pane = view.patient_pane
            # What the seed wrote, besides any request to measure again the server's rules
            # sent this synthetic patient during the seeded history (a symptom check), and the
            # simulated patient's answer to it (whether one came depends on the hour the
            # history ends: she writes only when awake), and the automatic reminders for the
            # seeded plan's 08:00 measurements, which the rules send from 10:00 when the test
            # runs later in the day.
            every = [pane.model.index(i).data(0) for i in range(pane.model.rowCount())]
            headers = [
                h
                for h in every
                if not h.endswith("Request to measure again")
                and not any(reply in h for reply in REPLIES["remeasure"])
                and "Påminnelse: vi har ikke fått" not in h
            ]
            assert len(headers) == 4, every
            assert "Relative: Ingrid Solberg (daughter)" in headers[1]
            assert headers[3].startswith("Asks to be contacted")
            assert view.service.unread(info["patient_id"]) == 1  # the colleague note
            assert view.colleague_pane.model.rowCount() == 1
            colleague = view.colleague_pane.model.index(0).data(0)
            assert "Interkommunalt" in colleague or "Madla" in colleague
            view.tabs.setCurrentIndex(1)
            await wait_for(lambda: view.service.unread(info["patient_id"]) == 0)
            view.close()
            await view.aclose()

            # The same patient in Norwegian Bokmål, for the screenshots.
            previous_locale = QLocale()
            translators = install_translators(QCoreApplication.instance(), "nb")
            try:
                shown = MessagesView(
                    messaging,
                    info["patient_id"],
                    info["me"],
                    patient_name=info["patient_name"],
                    can_edit_templates=True,
                )
                shown.resize(1920, 1080)
                shown.show()
                await shown.load()
                shown.patient_pane.editor.setPlainText("Vi ringer deg kl. 11.")
                await asyncio.sleep(0.2)
                save_screenshot(shown, tmp_path, "screenshot-messages.png")
                shown.tabs.setCurrentIndex(1)
                await asyncio.sleep(0.2)
                save_screenshot(shown, tmp_path, "screenshot-messages-colleague.png")
                shown.close()
                await shown.aclose()
            finally:
                for translator in translators:
                    QCoreApplication.removeTranslator(translator)
                QLocale.setDefault(previous_locale)
                QLocale.setDefault(previous_locale)
            await messaging.aclose()
            await client.aclose()

        qloop.run_until_complete(scenario())


@needs_conditional_create
@pytest.mark.parametrize("profile", ["normal", "plain-r4"])
def test_reply_reaches_the_backend_once(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, profile: str
) -> None:
    with start_backend(
        tmp_path / "backend", seed_patients=5, extra_args=["--profile", profile]
    ) as backend:
        info = seed(backend.base_url)

        async def scenario() -> None:
            client = FhirClient(backend.base_url)
            service = MessagingService(MessageStore(client), info["me"])
            await service.load_thread(info["patient_id"], ThreadKind.PATIENT)
            sent = service.send(info["patient_id"], ThreadKind.PATIENT, "Vi ringer deg nå.")
            await wait_for(lambda: sent.state is Delivery.SENT)
            stored = stored_with_key(backend.base_url, sent.key)
            assert len(stored) == 1
            assert stored[0]["payload"][0]["contentString"] == "Vi ringer deg nå."
            # The same key again (a retry after a lost answer) finds the stored message.
            again = await service.store.create_once(sent.resource, sent.key)
            assert again["id"] == stored[0]["id"]
            assert len(stored_with_key(backend.base_url, sent.key)) == 1
            await service.aclose()
            await client.aclose()

        qloop.run_until_complete(scenario())


@needs_conditional_create
def test_reply_sent_while_backend_is_down_is_delivered_once_after_restart(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    home = tmp_path / "backend"
    backend = start_backend(home, seed_patients=5)
    port = backend.port
    info = seed(backend.base_url)
    restarted = None
    try:

        async def scenario() -> None:
            nonlocal restarted
            client = FhirClient(backend.base_url, retries=0)
            store = MessageStore(client)
            outbox = Outbox(store, backoff_initial=0.1, backoff_max=0.3)
            service = MessagingService(store, info["me"], outbox=outbox)
            await service.load_thread(info["patient_id"], ThreadKind.PATIENT)
            backend.stop()
            sent = service.send(
                info["patient_id"], ThreadKind.PATIENT, "Sendt mens nettet var nede"
            )
            await wait_for(lambda: sent.attempts >= 3)
            assert sent.state is Delivery.SENDING and service.pending_count() == 1
            restarted = start_backend(home, seed_patients=5, port=port)
            await wait_for(lambda: sent.state is Delivery.SENT, within=30)
            assert len(stored_with_key(restarted.base_url, sent.key)) == 1
            thread = service.messages(info["patient_id"], ThreadKind.PATIENT)
            assert sum(1 for m in thread if m.key == sent.key) == 1
            await service.aclose()
            await client.aclose()

        qloop.run_until_complete(scenario())
    finally:
        backend.stop()
        if restarted is not None:
            restarted.stop()


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@needs_conditional_create
def test_video_call_books_records_invites_and_opens_the_browser(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "handle")
    try:
        with start_backend(tmp_path / "backend", seed_patients=5) as backend:
            info = seed(backend.base_url)
            pid = info["patient_id"]

            async def scenario() -> None:
                client = FhirClient(backend.base_url)
                store = MessageStore(client)
                messaging = MessagingService(store, info["me"])
                await messaging.load_thread(pid, ThreadKind.PATIENT)
                video = VideoService(
                    store,
                    messaging,
                    info["me"],
                    url_template="https://{host}/{room}",
                    host="video.kommune.example",
                )
                previous_locale = QLocale()
                translators = install_translators(QCoreApplication.instance(), "nb")
                dialog = VideoCallDialog(
                    video,
                    pid,
                    patient_name=info["patient_name"],
                    relatives=messaging.relatives(pid),
                )
                dialog.open()
                dialog.relative.setCurrentIndex(1)
                dialog.start_button.click()
                await wait_for(lambda: dialog.call is not None)
                call = dialog.call
                assert call is not None
                assert catcher.urls == [call.url]
                assert call.url.startswith("https://video.kommune.example/dho-")
                assert len(call.url.rsplit("/", 1)[1]) >= 4 + 22
                await wait_for(lambda: messaging.pending_count() == 0)
                dialog.note.setPlainText("Avtalt ny måling i kveld; fastlege varslet.")
                dialog._tick()
                save_screenshot(dialog, tmp_path, "screenshot-video.png")
                for translator in translators:
                    QCoreApplication.removeTranslator(translator)
                QLocale.setDefault(previous_locale)
                dialog.end_button.click()
                await wait_for(lambda: dialog.call is not None and not dialog.call.active)

                async with httpx.AsyncClient(base_url=backend.base_url, timeout=30) as http:
                    appt = (await http.get(f"/Appointment/{call.appointment_id}")).json()
                    enc = (await http.get(f"/Encounter/{call.encounter_id}")).json()
                    comms = (
                        await http.get(
                            "/Communication", params={"subject": f"Patient/{pid}", "_count": "100"}
                        )
                    ).json()
                assert appt["status"] == "fulfilled"
                actors = {p["actor"]["reference"] for p in appt["participant"]}
                assert f"Patient/{pid}" in actors and any("RelatedPerson/" in a for a in actors)
                assert enc["class"]["code"] == "VR" and enc["status"] == "finished"
                assert enc["appointment"][0]["reference"] == f"Appointment/{call.appointment_id}"
                assert "end" in enc["period"] and enc["length"]["unit"] == "min"
                invitations = [
                    e["resource"]
                    for e in comms["entry"]
                    if call.url in e["resource"]["payload"][0]["contentString"]
                ]
                assert len(invitations) == 1
                assert any("RelatedPerson/" in r["reference"] for r in invitations[0]["recipient"])
                calls = await video.load_calls(pid)
                assert [c.encounter_id for c in calls] == [call.encounter_id]
                assert calls[0].outcome.startswith("Avtalt ny måling")
                dialog.close()
                await dialog.aclose()
                await messaging.aclose()
                await client.aclose()

            qloop.run_until_complete(scenario())
    finally:
        QDesktopServices.unsetUrlHandler("https")
