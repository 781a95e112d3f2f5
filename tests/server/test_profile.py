"""The server's profile is announced in its CapabilityStatement, where clients look for it."""

from __future__ import annotations

import pytest

from server.profile import PROFILE_EXTENSION, ServerProfile
from server.store import Store
from tests.server.inprocess import serve_in_thread


def _announced(statement: dict[str, object]) -> list[str]:
    rest = statement["rest"]
    assert isinstance(rest, list)
    return [e["valueCode"] for e in rest[0].get("extension", []) if e["url"] == PROFILE_EXTENSION]


@pytest.mark.parametrize("profile", list(ServerProfile))
def test_the_profile_is_in_the_capability_statement(
    tmp_path: object, profile: ServerProfile
) -> None:
    store = Store(f"sqlite:///{tmp_path}/p.sqlite")
    store.migrate()
    try:
        with serve_in_thread(store, profile=profile) as client:
            statement = client.get("/fhir/metadata").json()
    finally:
        store.close()
    assert _announced(statement) == [profile.value]


def test_only_training_may_expose_ground_truth() -> None:
    assert [p for p in ServerProfile if p.is_training] == [ServerProfile.TRAINING]
    assert not ServerProfile.PLAIN_R4.extensions
