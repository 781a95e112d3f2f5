"""The questionnaires (PROMs) of the simulated centre and how simulated patients answer them.

- **COPD** (KOLS): ``kols-cat``, weekly: eight CAT-style symptom items scored 0–5 (wording
  paraphrased in Bokmål; the CAT itself is © GSK, only its structure is followed) with their
  sum, and two exacerbation questions; a "yes" carries the ``alert-answer`` extension (yellow),
  copied from the Questionnaire's answerOption (the *extension form*).
- **Heart failure** (Hjertesvikt): ``hjertesvikt-symptomer``, three times a week: breathlessness,
  swollen ankles, pillows, dizziness; flagged answers are codings from the ``alert-answer``
  code system itself (the *coded-answer form*).
- **Frisklivssentralen**: ``frisklivs-ukesjekk``, weekly: mood (a "very bad" week is flagged
  yellow by extension), how well the week's goals were followed (0–10), minutes of activity.

Answers follow the simulated physiology: during a deterioration episode the symptom items
worsen with its severity, so a red questionnaire answer is usually a real deterioration.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from server.rules.codes import ALERT_ANSWER_SYSTEM, ALERT_ANSWER_URL
from server.sim.physiology import Physiology

BASE: Final = "http://dho.example/fhir"
ANSWER_SYSTEM: Final = f"{BASE}/CodeSystem/answer"
QUESTIONNAIRE_BASE: Final = f"{BASE}/Questionnaire"

CAT_ITEMS: Final = (
    ("cat1", "Hoste: jeg hoster aldri (0) – jeg hoster hele tiden (5)"),
    ("cat2", "Slim: jeg har ikke slim i brystet (0) – brystet er fullt av slim (5)"),
    ("cat3", "Tetthet: brystet kjennes ikke tett (0) – brystet kjennes svært tett (5)"),
    ("cat4", "Bakker og trapper: jeg blir ikke andpusten (0) – svært andpusten (5)"),
    ("cat5", "Daglige gjøremål hjemme: ikke begrenset (0) – svært begrenset (5)"),
    ("cat6", "Trygg på å gå ut: helt trygg (0) – ikke trygg i det hele tatt (5)"),
    ("cat7", "Søvn: jeg sover godt (0) – jeg sover dårlig på grunn av lungene (5)"),
    ("cat8", "Energi: jeg har mye energi (0) – jeg har ingen energi (5)"),
)


def _option(code: str, display: str, flag: str | None = None) -> dict[str, Any]:
    option: dict[str, Any] = {
        "valueCoding": {"system": ANSWER_SYSTEM, "code": code, "display": display}
    }
    if flag:
        option["extension"] = [{"url": ALERT_ANSWER_URL, "valueCode": flag}]
    return option


def _coded_option(code: str, display: str, flag: str | None) -> dict[str, Any]:
    if flag:
        return {"valueCoding": {"system": ALERT_ANSWER_SYSTEM, "code": flag, "display": display}}
    return {"valueCoding": {"system": ANSWER_SYSTEM, "code": code, "display": display}}


YES_NO_FLAG: Final = (("no", "Nei", None), ("yes", "Ja", "yellow"))
HF_ITEMS: Final = (
    (
        "hf1",
        "Er du mer tungpustet enn vanlig?",
        (
            ("no", "Nei", None),
            ("some", "Litt mer enn vanlig", "yellow"),
            ("much", "Mye mer, også i hvile", "red"),
        ),
    ),
    (
        "hf2",
        "Er anklene eller leggene mer hovne enn vanlig?",
        (("no", "Nei", None), ("yes", "Ja", "yellow")),
    ),
    (
        "hf3",
        "Må du sove med flere puter enn vanlig for å puste?",
        (("no", "Nei", None), ("yes", "Ja", "yellow")),
    ),
    (
        "hf4",
        "Har du vært svimmel eller besvimt siden sist?",
        (("no", "Nei", None), ("yes", "Ja", "red")),
    ),
)
MOOD: Final = (
    ("1", "Svært dårlig", "yellow"),
    ("2", "Dårlig", None),
    ("3", "Middels", None),
    ("4", "Bra", None),
    ("5", "Svært bra", None),
)


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    title: str
    weekdays: tuple[int, ...]  # 0 = Monday
    hour: float  # local hour the patient usually answers


FORMS: Final[dict[str, Form]] = {
    "kols-cat": Form("kols-cat", "KOLS – ukentlig CAT-vurdering", (0,), 10.0),
    "hjertesvikt-symptomer": Form(
        "hjertesvikt-symptomer", "Hjertesvikt – symptomsjekk", (0, 2, 4), 9.0
    ),
    "frisklivs-ukesjekk": Form(
        "frisklivs-ukesjekk", "Frisklivssentralen – humør og mål", (6,), 19.0
    ),
}


def form_of(programme: str, department: str) -> str | None:
    """Which questionnaire a patient answers: by programme, and the frisklivssentral's own."""
    if programme == "copd":
        return "kols-cat"
    if programme == "heart-failure":
        return "hjertesvikt-symptomer"
    if department == "frisklivssentralen-sandnes":
        return "frisklivs-ukesjekk"
    return None


# The titles in Nynorsk and English (the FHIR translation extension on _title), so a
# console shows the form in its user's language.
TRANSLATION_URL: Final = "http://hl7.org/fhir/StructureDefinition/translation"
TITLE_TRANSLATIONS: Final[dict[str, dict[str, str]]] = {
    "kols-cat": {"nn": "KOLS – vekentleg CAT-vurdering", "en": "COPD – weekly CAT assessment"},
    "hjertesvikt-symptomer": {
        "nn": "Hjartesvikt – symptomsjekk",
        "en": "Heart failure – symptom check",
    },
    "frisklivs-ukesjekk": {
        "nn": "Frisklivssentralen – humør og mål",
        "en": "Healthy life centre – mood and goals",
    },
}


def _translations(texts: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "url": TRANSLATION_URL,
            "extension": [
                {"url": "lang", "valueCode": lang},
                {"url": "content", "valueString": text},
            ],
        }
        for lang, text in texts.items()
    ]


def questionnaires() -> list[dict[str, Any]]:
    """The Questionnaire resources (answerOptions carry the alert-answer flags)."""
    cat_items: list[dict[str, Any]] = [
        {
            "linkId": link,
            "text": text,
            "type": "integer",
            "extension": [
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/minValue",
                    "valueInteger": 0,
                },
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/maxValue",
                    "valueInteger": 5,
                },
            ],
        }
        for link, text in CAT_ITEMS
    ]
    cat_items.append(
        {"linkId": "cat-sum", "text": "CAT-sum (0–40)", "type": "integer", "readOnly": True}
    )
    cat_items += [
        {
            "linkId": "ex1",
            "text": "Har du vært mer tungpustet enn vanlig de siste to dagene?",
            "type": "choice",
            "answerOption": [_option(c, d, f) for c, d, f in YES_NO_FLAG],
        },
        {
            "linkId": "ex2",
            "text": "Har slimet endret farge (gult eller grønt)?",
            "type": "choice",
            "answerOption": [_option(c, d, f) for c, d, f in YES_NO_FLAG],
        },
    ]
    hf_items = [
        {
            "linkId": link,
            "text": text,
            "type": "choice",
            "answerOption": [_coded_option(c, d, f) for c, d, f in options],
        }
        for link, text, options in HF_ITEMS
    ]
    fls_items = [
        {
            "linkId": "mood",
            "text": "Hvordan har humøret ditt vært denne uken?",
            "type": "choice",
            "answerOption": [_option(c, d, f) for c, d, f in MOOD],
        },
        {
            "linkId": "goals",
            "text": "Hvor godt har du fulgt målene dine denne uken (0–10)?",
            "type": "integer",
        },
        {
            "linkId": "activity",
            "text": "Minutter med fysisk aktivitet denne uken",
            "type": "integer",
        },
        {"linkId": "comment", "text": "Vil du fortelle oss noe?", "type": "string"},
    ]
    out = []
    for form_id, items in (
        ("kols-cat", cat_items),
        ("hjertesvikt-symptomer", hf_items),
        ("frisklivs-ukesjekk", fls_items),
    ):
        out.append(
            {
                "resourceType": "Questionnaire",
                "id": form_id,
                "url": f"{QUESTIONNAIRE_BASE}/{form_id}",
                "version": "1",
                "name": form_id.replace("-", "_"),
                "title": FORMS[form_id].title,
                "_title": {"extension": _translations(TITLE_TRANSLATIONS[form_id])},
                "status": "active",
                "subjectType": ["Patient"],
                "item": items,
            }
        )
    return out


def _answer(option: Mapping[str, Any]) -> dict[str, Any]:
    """An answer as the app writes it: the option's value, and its flag copied as extension."""
    answer: dict[str, Any] = {"valueCoding": dict(option["valueCoding"])}
    if option.get("extension"):
        answer["extension"] = [dict(e) for e in option["extension"]]
    return answer


_FOMS: Final = {q["id"]: q for q in questionnaires()}


def _options(form: str, link: str) -> list[dict[str, Any]]:
    for item in _FOMS[form]["item"]:
        if item["linkId"] == link:
            return list(item.get("answerOption", ()))
    raise KeyError(link)


def _item(form: str, link: str, answer: dict[str, Any]) -> dict[str, Any]:
    text = next(i["text"] for i in _FOMS[form]["item"] if i["linkId"] == link)
    return {"linkId": link, "text": text, "answer": [answer]}


def severity_at(physiology: Physiology, t: float, kinds: tuple[str, ...] = ()) -> float:
    episode = physiology.episode_at(t)
    if episode is None or (kinds and episode.kind not in kinds):
        return 0.0
    return episode.severity(t) * min(1.3, episode.magnitude)


def respond(
    form: str,
    patient_id: str,
    physiology: Physiology,
    t: float,
    authored: str,
    rng: random.Random,
    response_id: str,
) -> dict[str, Any]:
    """A completed QuestionnaireResponse of `form` at `t`, driven by the patient's state."""
    items: list[dict[str, Any]] = []
    if form == "kols-cat":
        s = severity_at(physiology, t, ("copd-exacerbation", "fever"))
        base = 1.4 + 1.2 * physiology.condition(t)
        total = 0
        for link, _text in CAT_ITEMS:
            score = round(min(5.0, max(0.0, base + 2.8 * s + rng.gauss(0.0, 0.7))))
            total += score
            items.append(_item(form, link, {"valueInteger": score}))
        items.append(_item(form, "cat-sum", {"valueInteger": total}))
        for link, p in (("ex1", 0.05 + 0.85 * s), ("ex2", 0.04 + 0.7 * s)):
            option = _options(form, link)[1 if rng.random() < p else 0]
            items.append(_item(form, link, _answer(option)))
    elif form == "hjertesvikt-symptomer":
        s = severity_at(physiology, t, ("heart-failure-decompensation",))
        breath = _options(form, "hf1")
        draw = rng.random()
        pick = 2 if draw < 0.45 * s * s else 1 if draw < 0.06 + 0.7 * s else 0
        items.append(_item(form, "hf1", dict(breath[pick])))
        for link, p in (("hf2", 0.06 + 0.7 * s), ("hf3", 0.03 + 0.5 * s), ("hf4", 0.01 + 0.05 * s)):
            option = _options(form, link)[1 if rng.random() < p else 0]
            items.append(_item(form, link, dict(option)))
    else:
        mood = _options(form, "mood")
        level = min(4, max(0, round(2.6 + rng.gauss(0.0, 0.9))))
        items.append(_item(form, "mood", _answer(mood[level])))
        items.append(
            _item(form, "goals", {"valueInteger": min(10, max(0, int(rng.gauss(6.5, 2))))})
        )
        items.append(_item(form, "activity", {"valueInteger": max(0, int(rng.gauss(140, 60)))}))
        if rng.random() < 0.2:
            text = rng.choice(
                (
                    "Gikk tur tre ganger denne uken.",
                    "Har hatt en travel uke, litt lite trening.",
                    "Føler meg bedre etter at jeg begynte å sykle.",
                    "Sover dårlig, men prøver å holde motet oppe.",
                )
            )
            items.append(_item(form, "comment", {"valueString": text}))
    return {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{QUESTIONNAIRE_BASE}/{form}",
        "status": "completed",
        "subject": {"reference": f"Patient/{patient_id}"},
        "authored": authored,
        "author": {"reference": f"Patient/{patient_id}"},
        "item": items,
    }
