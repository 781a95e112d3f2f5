"""The audit log's quick patient lookup gives exactly what the full index extraction gives."""

from __future__ import annotations

from typing import Any

import pytest

from server.auth.scope import COMPARTMENTS, patients_of
from server.store.indexing import extract, references_of
from server.store.registry import RESOURCE_TYPES

SHAPES: list[Any] = [
    {"reference": "Patient/p1"},
    {"reference": "http://example.org/fhir/Patient/p2/_history/3"},
    {"reference": "Group/g1"},
    {"reference": "#contained"},
    {"display": "no reference"},
    [{"reference": "Patient/p3"}, {"reference": "Patient/p1"}, {"reference": "Patient/p4"}],
]


def _with_reference(res_type: str, key: str, value: Any) -> list[dict[str, Any]]:
    """Resources of ``res_type`` carrying ``value`` at every path of the parameter ``key``."""
    rt = RESOURCE_TYPES[res_type]
    out = []
    for param in rt.stored_params:
        if param.key != key:
            continue
        for path in param.paths:
            body: dict[str, Any] = {"resourceType": res_type, "id": "x"}
            node = body
            parts = path.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
            out.append(body)
    return out


@pytest.mark.parametrize("res_type", sorted(COMPARTMENTS))
def test_references_of_matches_extract(res_type: str) -> None:
    key = COMPARTMENTS[res_type].key
    rt = RESOURCE_TYPES[res_type]
    bodies = [b for shape in SHAPES for b in _with_reference(res_type, key, shape)]
    assert bodies, f"{res_type}: no path for {key}"
    for body in bodies:
        full = [(t, i) for p, t, i in extract(rt, body).references if p == key]
        assert references_of(rt, body, key) == full
        expected = list(dict.fromkeys(i for t, i in full if t == "Patient"))
        assert patients_of(res_type, body) == expected
