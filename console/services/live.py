"""Builds the live feed for the centre service (keeps console/fhir's types out of the UI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from console.domain.model import ConnectionState
from console.fhir.client import FhirClient
from console.fhir.live import LiveFeed, LiveStatus
from console.services.centre import Feed, FeedFactory


def make_feed_factory(client: FhirClient, **options: Any) -> FeedFactory:
    """A factory that makes a LiveFeed catching up from the end of the first load."""

    def factory(
        on_resources: Callable[[list[dict[str, Any]]], None],
        on_state: Callable[[ConnectionState], None],
        since: datetime | None,
    ) -> Feed:
        def on_status(status: LiveStatus) -> None:
            on_state(status.as_connection_state())

        return LiveFeed(
            client, on_resources=on_resources, on_status=on_status, since=since, **options
        )

    return factory
