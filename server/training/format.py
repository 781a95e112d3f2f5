"""Scenario files (``format: dho-scenario/1``): YAML read with line numbers, checked against
the shipped JSON Schema (``scenario.schema.json``) and then for cross-references, so every
problem names the file, the line and the field (``copd.yaml line 14: events[2].value:
expected a number``). docs/training.md documents the format.

The YAML is read with YAML 1.2 core rules (``yes``/``no`` stay strings, ``08:00`` stays a
string, dates stay strings), so a superuser's file means what it says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final, cast

import jsonschema
import yaml

FORMAT: Final = "dho-scenario/1"
SCHEMA_FILE: Final = "scenario.schema.json"
MAX_TEXT: Final = 256 * 1024  # a scenario file is a few kilobytes; refuse anything huge

Path = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars: only true/false are booleans, no sexagesimal
    numbers, no timestamps."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    for _ch in _first:
        _Loader.yaml_implicit_resolvers.setdefault(_ch, []).append((_tag, re.compile(_regexp)))


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None  # 1-based
    path: str  # events[2].value
    message: str

    def render(self, source: str) -> str:
        where = f"{source} line {self.line}" if self.line else source
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` each name a line and a field."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(p.render(source) for p in problems))


@dataclass
class Scenario:
    """One validated scenario (the parsed document plus its source text for export)."""

    data: dict[str, Any]
    text: str
    source: str = "scenario.yaml"
    events: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Script order: by time, then by place in the file (stable).
        self.events = sorted(
            ({**e, "index": i} for i, e in enumerate(self.data["events"])),
            key=lambda e: (float(e["at"]), e["index"]),
        )

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def version(self) -> int:
        return int(self.data["version"])

    @property
    def title(self) -> dict[str, str]:
        return dict(self.data["title"])

    @property
    def group(self) -> str:
        return str(self.data["group"])

    @property
    def duration_minutes(self) -> float:
        return float(self.data["duration_minutes"])

    @property
    def patients(self) -> list[dict[str, Any]]:
        return list(self.data["patients"])

    @property
    def expected(self) -> dict[str, Any]:
        return dict(self.data["expected"])

    @property
    def truth(self) -> dict[str, Any]:
        return dict(self.data["truth"])

    def listing(self) -> dict[str, Any]:
        """The ``$scenarios`` entry (docs/contract.md, "Training")."""
        return {
            "name": self.name,
            "title": self.title,
            "summary": dict(self.data.get("summary") or self.data["title"]),
            "duration_minutes": _number(self.duration_minutes),
            "group": self.group,
            "patients": len(self.patients),
            "version": self.version,
            "start": self.data["start"],
        }


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``dho-scenario/1`` shipped beside this module."""
    text = resources.files("server.training").joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


def path_text(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Lines:
    """Where each value (and each mapping key) of the document starts, from the YAML nodes."""

    def __init__(self, root: yaml.Node) -> None:
        self.values: dict[Path, int] = {}
        self.keys: dict[Path, int] = {}
        self.duplicates: list[tuple[Path, int]] = []
        self._walk(root, ())

    def _walk(self, node: yaml.Node, path: Path) -> None:
        self.values[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = (*path, key)
                if key in seen:
                    self.duplicates.append((child, key_node.start_mark.line + 1))
                seen.add(key)
                self.keys[child] = key_node.start_mark.line + 1
                self._walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i))

    def line(self, path: Path) -> int | None:
        for n in range(len(path), -1, -1):
            found = self.values.get(path[:n])
            if found is not None:
                return found
        return None


_TYPE_WORDS: Final = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with '-')",
    "boolean": "true or false",
}


def _describe(error: jsonschema.ValidationError) -> tuple[Path, str, bool]:
    """(path, message, point at the key) for one schema error, in words a superuser reads."""
    path: Path = tuple(error.absolute_path)
    v, expected = error.validator, cast(Any, error.validator_value)
    sub = cast(dict[str, Any], error.schema)
    if v == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        return path, "expected " + " or ".join(_TYPE_WORDS.get(t, t) for t in types), False
    if v == "required":
        missing = [
            k for k in expected if isinstance(error.instance, dict) and k not in error.instance
        ]
        return path, f"missing field {', '.join(repr(k) for k in missing)}", False
    if v == "additionalProperties":
        extra = sorted(set(cast(dict[str, Any], error.instance)) - set(sub.get("properties", {})))
        patterns = sub.get("patternProperties", {})
        extra = [k for k in extra if not any(re.match(p, k) for p in patterns)]
        if extra:
            return (*path, extra[0]), f"unknown field {extra[0]!r}", True
    if v in ("enum", "const"):
        options = expected if v == "enum" else [expected]
        shown = ", ".join(repr(o) for o in options[:12]) + (", ..." if len(options) > 12 else "")
        return path, f"expected one of {shown} (got {error.instance!r})", False
    if v == "pattern":
        return path, f"{error.instance!r} does not have the expected form ({expected})", False
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }
        return path, f"must be {words[str(v)]} {expected} (got {error.instance!r})", False
    if v == "minItems":
        return path, f"needs at least {expected} item(s)", False
    if v == "maxItems":
        return path, f"has more than {expected} items", False
    if v == "minLength":
        return path, "must not be empty", False
    if v == "oneOf" and path and path[-1] == "text":
        return path, "expected text, or a mapping with en, nb and nn", False
    return path, error.message, False


def parse(text: str, source: str = "scenario.yaml") -> Scenario:
    """Read and validate one scenario file; raises :class:`ScenarioError` naming line and field."""
    if len(text) > MAX_TEXT:
        raise ScenarioError(source, [Problem(None, "", f"larger than {MAX_TEXT // 1024} KiB")])
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError(
            source, [Problem(line, "", f"not valid YAML: {exc.problem or exc.context}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise ScenarioError(source, [Problem(None, "", f"not valid YAML: {exc}")]) from exc
    if root is None or not isinstance(data, dict):
        raise ScenarioError(
            source, [Problem(1, "", "expected a mapping with format: dho-scenario/1")]
        )
    lines = _Lines(root)
    problems = [
        Problem(line, path_text(p), "the field is given twice") for p, line in lines.duplicates
    ]
    if data.get("format") != FORMAT:
        fmt = data.get("format")
        line = lines.line(("format",)) if "format" in data else 1
        message = (
            f"unknown format {fmt!r}; this server reads {FORMAT!r}"
            if fmt is not None
            else f"missing field 'format' (expected {FORMAT!r})"
        )
        raise ScenarioError(source, [Problem(line, "format", message)])
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        path, message, at_key = _describe(error)
        line = lines.keys.get(path) if at_key else lines.line(path)
        problems.append(Problem(line, path_text(path), message))
    if not problems:
        problems = list(_cross_check(data, lines))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.path))
        raise ScenarioError(source, _unique(problems)[:20])
    return Scenario(data=data, text=text, source=source)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int | None, str]] = set()
    out = []
    for p in problems:
        if (p.line, p.path) in seen:
            continue
        seen.add((p.line, p.path))
        out.append(p)
    return out


def _cross_check(data: dict[str, Any], lines: _Lines) -> Iterator[Problem]:
    """References between parts of the file that a schema cannot express."""
    from server.sim.questionnaires import questionnaires

    def problem(path: Path, message: str) -> Problem:
        return Problem(lines.line(path), path_text(path), message)

    patients: dict[str, dict[str, Any]] = {}
    for i, p in enumerate(data["patients"]):
        if p["key"] in patients:
            yield problem(("patients", i, "key"), f"patient key {p['key']!r} is used twice")
        patients[p["key"]] = p
    forms = {q["id"]: q for q in questionnaires()}
    duration = float(data["duration_minutes"])
    for i, e in enumerate(data["events"]):
        where: Path = ("events", i)
        if float(e["at"]) > duration:
            yield problem((*where, "at"), f"after the end of the scenario ({duration:g} min)")
        patient = patients.get(e["patient"])
        if patient is None:
            yield problem((*where, "patient"), f"no patient with key {e['patient']!r}")
            continue
        sender = str(e.get("from", "patient"))
        if sender.startswith("relative:"):
            keys = {r["key"] for r in patient.get("relatives") or ()}
            if sender[9:] not in keys:
                yield problem((*where, "from"), f"the patient has no relative {sender[9:]!r}")
        if e["kind"] == "observation" and e.get("measurement") == "bp" and "value2" not in e:
            yield problem(where, "missing field 'value2' (the diastolic pressure)")
        if e["kind"] == "questionnaire":
            form = forms[e["form"]]
            items = {item["linkId"]: item for item in form["item"]}
            for link, answer in e["answers"].items():
                item = items.get(link)
                if item is None:
                    known = ", ".join(sorted(items))
                    yield problem(
                        (*where, "answers", link), f"no question {link!r} in {e['form']} ({known})"
                    )
                    continue
                options = [o["valueCoding"]["code"] for o in item.get("answerOption", ())]
                if options and str(answer) not in options:
                    yield problem(
                        (*where, "answers", link), f"expected one of {', '.join(options)}"
                    )
                if not options and item.get("type") == "integer" and not isinstance(answer, int):
                    yield problem((*where, "answers", link), "expected a whole number")
        if e["kind"] == "missed" and "until" in e and float(e["until"]) < float(e["at"]):
            yield problem((*where, "until"), "must not be before 'at'")
    for section in ("alerts", "messages"):
        for i, a in enumerate(data["expected"].get(section) or ()):
            where = ("expected", section, i)
            if a["patient"] not in patients:
                yield problem((*where, "patient"), f"no patient with key {a['patient']!r}")
            if float(a.get("after", 0)) > float(a["by"]):
                yield problem((*where, "by"), "must not be before 'after'")


@cache
def _event_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": "#/$defs/event", "$defs": schema()["$defs"]})


def check_event(event: dict[str, Any], scenario: Scenario, source: str = "event") -> None:
    """An event injected by the trainer, checked like one in a file (fields named)."""
    problems = []
    for error in _event_validator().iter_errors(event):
        path, message, _ = _describe(error)
        problems.append(Problem(None, path_text(("event", *path)), message))
    if not problems:
        document = {**scenario.data, "events": [event]}
        root = yaml.compose(yaml.safe_dump(document), Loader=_Loader)
        assert root is not None
        for p in _cross_check(document, _Lines(root)):
            problems.append(Problem(None, p.path.replace("events[0]", "event", 1), p.message))
    if problems:
        raise ScenarioError(source, problems)
