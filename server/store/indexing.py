"""Extract search-index values from a FHIR resource, generically by element shape.

Kept free of database code so the same extraction serves single creates and bulk seeding, and so
it is cheap: plain dict walking, no models.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from server.store.fhirtime import MAX_US, MIN_US, DateFormatError, parse_range
from server.store.registry import ResourceType

MAX_STRING = 255

# Letters NFKD does not decompose; folded so "Bjørn" finds "Bjorn" and "Ærø" finds "aero".
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "ł": "l"})


def normalise(text: str) -> str:
    """Lower case, Norwegian letters and accents folded: the form string search compares."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))[:MAX_STRING]


def walk(resource: dict[str, Any], path: str) -> list[Any]:
    """Values at a dotted path; lists are flattened at every step."""
    values: list[Any] = [resource]
    for part in path.split("."):
        nxt: list[Any] = []
        for value in values:
            if isinstance(value, dict):
                child = value.get(part)
                if child is None:
                    continue
                if isinstance(child, list):
                    nxt.extend(child)
                else:
                    nxt.append(child)
        values = nxt
    return values


def tokens_of(value: Any) -> list[tuple[str, str]]:
    """(system, code) pairs from a code, boolean, Coding, CodeableConcept or Identifier."""
    if isinstance(value, bool):
        return [("", "true" if value else "false")]
    if isinstance(value, str):
        return [("", value[:MAX_STRING])]
    if isinstance(value, dict):
        if "coding" in value:
            out: list[tuple[str, str]] = []
            for coding in value.get("coding") or ():
                if isinstance(coding, dict) and isinstance(coding.get("code"), str):
                    out.append((str(coding.get("system") or ""), coding["code"][:MAX_STRING]))
            return out
        code = value.get("code", value.get("value"))
        if isinstance(code, str):
            return [(str(value.get("system") or ""), code[:MAX_STRING])]
    return []


def split_reference(ref: str) -> tuple[str, str] | None:
    """``Type/id``, ``Type/id/_history/v`` or an absolute URL ending in those → (type, id)."""
    if not ref or ref.startswith("#"):
        return None
    parts = ref.split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2 and parts[-2][:1].isupper():
        return parts[-2], parts[-1]
    return "", ref


def reference_of(value: Any) -> tuple[str, str] | None:
    if isinstance(value, dict) and isinstance(value.get("reference"), str):
        return split_reference(value["reference"])
    return None


def date_range_of(value: Any) -> tuple[int, int] | None:
    """Range of a date/dateTime/instant string or a Period; open Period ends are unbounded."""
    try:
        if isinstance(value, str):
            return parse_range(value)
        if isinstance(value, dict) and ("start" in value or "end" in value):
            start = parse_range(value["start"])[0] if value.get("start") else MIN_US
            end = parse_range(value["end"])[1] if value.get("end") else MAX_US
            return start, end
    except DateFormatError:
        return None
    return None


def strings_of(value: Any) -> list[str]:
    """Searchable strings of a plain string or a HumanName."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        out: list[str] = []
        for key in ("family", "text"):
            if isinstance(value.get(key), str):
                out.append(value[key])
        for key in ("given", "prefix", "suffix"):
            for part in value.get(key) or ():
                if isinstance(part, str):
                    out.append(part)
        return out
    return []


def sort_name_of(resource: dict[str, Any], path: str) -> str | None:
    """Normalised "family given" of the first (official if any) name, for ``_sort=name``."""
    names = walk(resource, path)
    if not names:
        return None
    first = names[0]
    for name in names:
        if isinstance(name, dict) and name.get("use") == "official":
            first = name
            break
    if isinstance(first, str):
        return normalise(first)
    if isinstance(first, dict):
        given = " ".join(g for g in first.get("given") or () if isinstance(g, str))
        family = first.get("family") if isinstance(first.get("family"), str) else ""
        return normalise(f"{family} {given}".strip() or str(first.get("text") or ""))
    return None


@dataclass(slots=True)
class Extracted:
    """Index rows of one resource, as tuples without the pk (the caller prepends it)."""

    tokens: list[tuple[str, str, str]] = field(default_factory=list)  # param, system, code
    references: list[tuple[str, str, str]] = field(default_factory=list)  # param, type, id
    dates: list[tuple[str, int, int]] = field(default_factory=list)  # param, start, end
    strings: list[tuple[str, str, str]] = field(default_factory=list)  # param, norm, exact
    date_start: int | None = None
    date_end: int | None = None
    sort_name: str | None = None


def _compile(
    rt: ResourceType,
) -> list[tuple[str, str, tuple[tuple[str, ...], ...]]]:
    return [
        (p.kind, p.key, tuple(tuple(path.split(".")) for path in p.paths)) for p in rt.stored_params
    ]


_PLANS: dict[str, list[tuple[str, str, tuple[tuple[str, ...], ...]]]] = {}


def _walk_parts(resource: dict[str, Any], paths: tuple[tuple[str, ...], ...]) -> list[Any]:
    out: list[Any] = []
    for parts in paths:
        if len(parts) == 1:
            child = resource.get(parts[0])
            if child is None:
                continue
            if isinstance(child, list):
                out.extend(child)
            else:
                out.append(child)
        else:
            out.extend(walk(resource, ".".join(parts)))
    return out


def references_of(rt: ResourceType, resource: dict[str, Any], key: str) -> list[tuple[str, str]]:
    """The (type, id) pairs ``extract`` would index under the reference parameter ``key``, in
    the same order, without extracting everything else (the audit log asks this of every
    resource it records, to find the patient)."""
    plan = _PLANS.get(rt.name)
    if plan is None:
        plan = _PLANS[rt.name] = _compile(rt)
    out: list[tuple[str, str]] = []
    for kind, param_key, paths in plan:
        if kind != "reference" or param_key != key:
            continue
        for value in _walk_parts(resource, paths):
            ref = reference_of(value)
            if ref is not None:
                out.append(ref)
    return out


def extract(rt: ResourceType, resource: dict[str, Any]) -> Extracted:
    """All index values of ``resource`` for the parameters its type declares."""
    plan = _PLANS.get(rt.name)
    if plan is None:
        plan = _PLANS[rt.name] = _compile(rt)
    ex = Extracted()
    column = rt.date_column_param
    if column is not None:
        for path in column.paths:
            value = resource.get(path)
            if value is not None:
                rng = date_range_of(value)
                if rng is not None:
                    ex.date_start, ex.date_end = rng
                    break
    if rt.sort_name_path is not None:
        ex.sort_name = sort_name_of(resource, rt.sort_name_path)
    for kind, key, paths in plan:
        if len(paths) == 1 and len(paths[0]) == 1:
            child = resource.get(paths[0][0])
            if child is None:
                continue
            if kind == "token" and type(child) is str:
                ex.tokens.append((key, "", child[:MAX_STRING]))
                continue
            values = child if isinstance(child, list) else [child]
        else:
            values = _walk_parts(resource, paths)
            if not values:
                continue
        if kind == "token":
            if len(values) == 1:
                toks = tokens_of(values[0])
                if len(toks) == 1:
                    ex.tokens.append((key, toks[0][0], toks[0][1]))
                    continue
            seen_tokens: set[tuple[str, str]] = set()
            for value in values:
                for tok in tokens_of(value):
                    if tok not in seen_tokens:
                        seen_tokens.add(tok)
                        ex.tokens.append((key, tok[0], tok[1]))
        elif kind == "reference":
            # Once per target: a search drives from these rows (a join, not IN), so a
            # resource naming the same target twice must not match twice.
            seen_refs: set[tuple[str, str]] = set()
            for value in values:
                ref = reference_of(value)
                if ref is not None and ref not in seen_refs:
                    seen_refs.add(ref)
                    ex.references.append((key, ref[0], ref[1]))
        elif kind == "date":
            for value in values:
                rng = date_range_of(value)
                if rng is not None:
                    ex.dates.append((key, rng[0], rng[1]))
        else:
            seen_strings: set[str] = set()
            for value in values:
                for text in strings_of(value):
                    norm = normalise(text)
                    if norm and norm not in seen_strings:
                        seen_strings.add(norm)
                        ex.strings.append((key, norm, text[:MAX_STRING]))
    return ex
