"""What ``--profile plain-r4`` changes in the REST API: only what the R4 standard gives.

Third-party FHIR servers (Medplum 5.0.10 was recorded: ``shared/peers/medplum``) differ from our
normal profile in ways the console must survive, so this profile reproduces them:

- search parameters that R4 does not define are unknown (400 "Unknown search parameter: x");
- paging is by ``_offset`` (next links carry it), with a cap: an offset above
  :data:`MAX_OFFSET` is refused with 400, although the server keeps offering a ``next`` link
  to it (as Medplum does);
- versionIds are UUIDs (``Store(opaque_versions=True)``);
- no ``$lastn``, no ``$news2``, no ``/ws/notifications``, no topic-based Subscriptions, no
  rules engine: live updates only through R4 websocket Subscriptions
  (``server.api.r4_subscriptions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from server.store.errors import BadRequest, UnknownParameter

#: Highest ``_offset`` served (Medplum's default ``maxSearchOffset``).
MAX_OFFSET: Final = 10_000

#: Our extension search parameters: not in the R4 specification, so unknown here.
NON_STANDARD_PARAMS: Final[dict[str, frozenset[str]]] = {
    "Task": frozenset({"organization"}),
    "CarePlan": frozenset({"episode-of-care"}),
    "CareTeam": frozenset({"organization"}),
}


def is_standard(res_type: str, name: str) -> bool:
    return name not in NON_STANDARD_PARAMS.get(res_type, frozenset())


def check_search(res_type: str, params: Sequence[tuple[str, str]]) -> int:
    """Refuse what a plain R4 server does not know; returns the page's ``_offset``."""
    offset = 0
    for name, value in params:
        base = name.partition(":")[0]
        if base == "_cursor" or not is_standard(res_type, base):
            raise UnknownParameter(f"Unknown search parameter: {base}")
        if base == "_offset":
            if not value.isdigit() or len(value) > 9:
                raise BadRequest(f"_offset must be a whole number, not {value!r}")
            offset = int(value)
            if offset > MAX_OFFSET:
                raise BadRequest(
                    f"Search offset exceeds maximum (got {offset}, max {MAX_OFFSET})",
                    code="invalid",
                )
    return offset


def capability_resource(entry: dict[str, Any]) -> dict[str, Any]:
    """A CapabilityStatement resource entry without our extension parameters and extensions."""
    name = str(entry.get("type"))
    out = {k: v for k, v in entry.items() if k not in ("extension", "operation")}
    out["searchParam"] = [p for p in entry.get("searchParam", []) if is_standard(name, p["name"])]
    out["searchInclude"] = [
        i for i in entry.get("searchInclude", []) if is_standard(name, i.split(":")[1])
    ]
    return out
