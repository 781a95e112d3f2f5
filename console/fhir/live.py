"""Live updates that never silently lose anything, and say honestly how current they are.

`LiveFeed` follows the server's notification WebSocket (handshake, heartbeats, numbered
events) and falls back to a catch-up search whenever it may have missed something: a gap in
the event numbers, a heartbeat that is ahead of us or does not come, or a reconnect. Servers
without the WebSocket get the same catch-up path on a timer (polling). Plain asyncio, no Qt:
the console runs it inside its qasync loop and maps `LiveStatus` onto what the user sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus, WebSocketException

from console.domain.model import ConnectionMode, ConnectionState
from console.fhir.client import Capabilities, FhirClient, default_websocket_url
from console.fhir.errors import FhirError, FhirHttpError, FhirMalformed, FhirUnavailable
from console.fhir.subscriptions import (
    Channel,
    ChannelRefused,
    Connection,
    choose_channel,
    parse_frame,
)

log = logging.getLogger(__name__)

DEFAULT_TYPES: tuple[str, ...] = ("Observation", "Patient", "EpisodeOfCare")


#: The feed's modes are the domain's connection modes (the UI adds only STARTING), so the
#: console shows them without translating between two enums.
LiveMode = ConnectionMode


@dataclass(frozen=True, slots=True)
class LiveStatus:
    mode: LiveMode
    #: When we last heard anything from the server (our clock).
    last_event_at: datetime | None = None
    #: Newest moment up to which the delivered data is known to be complete (our clock).
    data_as_of: datetime | None = None
    #: English detail for logs and tooltips; the UI translates `mode`, not this.
    detail: str = ""

    def as_connection_state(self) -> ConnectionState:
        return ConnectionState(self.mode, self.data_as_of, self.detail)


class _HeartbeatMissed(Exception):
    """No frame within the grace period: treat the connection as dead."""


class _NoWebSocket(Exception):
    """The server has no notification WebSocket (404 and friends): poll instead."""


_NO_WS_STATUS = frozenset({400, 404, 405, 426, 501})


def _now() -> datetime:
    return datetime.now(UTC)


def _instant(dt: datetime) -> str:
    """FHIR instant in UTC with microseconds and Z (no '+' to escape in a query)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _with_types(url: str, types: Sequence[str]) -> str:
    """The WebSocket URL with our ``types``, never with a token in it (tokens go in the
    Authorization header; URLs end up in logs and proxies)."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in ("access_token", "token")
    ]
    query.append(("types", ",".join(types)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class LiveFeed:
    """Delivers changed resources in batches to `on_resources` and its state to `on_status`.

    `ws_url`: None asks the server's CapabilityStatement (and, if it names no WebSocket and
    `probe_websocket` is set, tries the default `/ws/notifications` once); "" forces polling.
    `since`: newest `meta.lastUpdated` of the caller's initial load, so the first connection
    catches up everything after it; without it the feed starts from "now".
    """

    def __init__(
        self,
        client: FhirClient,
        *,
        on_resources: Callable[[list[dict[str, Any]]], None],
        on_status: Callable[[LiveStatus], None],
        resource_types: Sequence[str] = DEFAULT_TYPES,
        ws_url: str | None = None,
        probe_websocket: bool = True,
        since: datetime | None = None,
        token: Callable[[], str | None] | None = None,  # default: the client's token
        poll_interval: float = 15.0,
        overlap: float = 5.0,
        heartbeat_grace: float = 2.0,
        probe_timeout: float = 2.5,
        backoff_initial: float = 0.5,
        backoff_max: float = 15.0,
        offline_after: float = 30.0,
        open_timeout: float = 10.0,
        batch_window: float = 0.05,
        page_size: int = 1000,
        recent_versions: int = 100_000,
        channel_heartbeat: float = 10.0,
    ) -> None:
        self._client = client
        self._on_resources = on_resources
        self._on_status = on_status
        self._types = tuple(resource_types)
        self._ws_url_param = ws_url
        self._probe = probe_websocket
        self._since = since
        self._token = token
        self._poll_interval = poll_interval
        self._overlap = timedelta(seconds=overlap)
        self._heartbeat_grace = heartbeat_grace
        self._probe_timeout = probe_timeout
        #: Last time the status carrying `data_as_of` went out (events advance it quietly).
        self._age_reported = 0.0
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._offline_after = offline_after
        self._open_timeout = open_timeout
        self._batch_window = batch_window
        self._page_size = page_size
        self._recent_max = recent_versions
        #: Heartbeat period asked of (topic) or assumed for (R4) Subscription channels.
        self._channel_heartbeat = channel_heartbeat

        self._task: asyncio.Task[None] | None = None
        self._status = LiveStatus(LiveMode.CONNECTING)
        self._last_event_at: datetime | None = None
        self._data_as_of: datetime | None = None
        #: (type, id) → (versionId, lastUpdated) of what we delivered last, oldest first.
        self._recent: OrderedDict[tuple[str, str], tuple[str, datetime | None]] = OrderedDict()
        #: Per type: newest lastUpdated delivered; the catch-up starts there minus the overlap.
        self._watermark: dict[str, datetime] = {}
        self._need_catch_up = since is not None
        self._started_at = _now()
        self._event_number = 0
        self._pending: list[dict[str, Any]] = []
        self._went_live = False
        #: The WebSocket URL in use, once known (None while polling).
        self.ws_url: str | None = None
        #: How updates arrive: "dho websocket", a Subscription channel's name, or "polling".
        self.transport = ""
        self._channel: Channel | None = None
        self._caps: Capabilities | None = None

    # -- public ----------------------------------------------------------------------------

    @property
    def status(self) -> LiveStatus:
        return self._status

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the feed's task (kept here, so it is never garbage-collected or leaked)."""
        if self.running:
            return
        self._started_at = _now()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called from a Qt slot outside a coroutine under qasync
            loop = asyncio.get_event_loop()
        self._task = loop.create_task(self._run(), name="LiveFeed")

    async def stop(self) -> None:
        """Cancel the feed and wait until it has closed its connection."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        # Cancel again if a cancel was lost (asyncio.wait_for on 3.11 may swallow one).
        while not task.done():
            done, _ = await asyncio.wait({task}, timeout=1.0)
            if not done:
                task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        channel, self._channel = self._channel, None
        if channel is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(channel.close(), 3.0)

    # -- standard Subscription channels (console.fhir.subscriptions) ----------------------

    async def _channel_forever(self, channel: Channel) -> None:
        """Like `_ws_forever`, over a Subscription channel: reconnect with backoff, catch up
        after every (re)connect; a channel the server turns out not to offer → polling."""
        loop = asyncio.get_running_loop()
        failures = 0
        trouble_since: float | None = None
        while True:
            self._went_live = False
            try:
                await self._channel_session(channel)
                reason = "the server closed the connection"
            except ChannelRefused:
                if self._last_event_at is None:
                    raise
                reason = "the server refused the Subscription"
            except _HeartbeatMissed as exc:
                reason = str(exc)
            except (OSError, TimeoutError, WebSocketException, FhirError, ValueError) as exc:
                reason = f"{type(exc).__name__}: {exc}"
            except Exception as exc:
                log.exception("subscription session failed")
                reason = f"{type(exc).__name__}: {exc}"
            if self._went_live:
                failures, trouble_since = 0, None
            self._flush()
            self._need_catch_up = True
            failures += 1
            trouble_since = trouble_since or loop.time()
            log.info("live feed (%s) disconnected: %s", channel.name, reason)
            self._set_failure_status(trouble_since, reason)
            await asyncio.sleep(self._backoff(failures))

    async def _channel_session(self, channel: Channel) -> None:
        headers = self._client.auth_headers()
        if self._token is not None:
            token = self._token()
            headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn = await channel.connect(headers, self._open_timeout)
        try:
            connected_at = self._heard()
            if self._need_catch_up:
                await self._catch_up("after connecting")
            self._data_as_of = max(connected_at, self._data_as_of or connected_at)
            self._went_live = True
            self._set_status(LiveMode.LIVE, f"receiving notifications ({channel.name})")
            await self._read_channel(conn, channel.heartbeat_period)
        finally:
            with contextlib.suppress(Exception):
                await conn.close()

    async def _read_channel(self, conn: Connection, period: float) -> None:
        loop = asyncio.get_running_loop()
        last_frame = loop.time()
        pinged = False
        flush_at = 0.0
        dead_after = self._heartbeat_grace * period
        while True:
            now = loop.time()
            deadline = last_frame + (dead_after if pinged else period)
            if self._pending:
                deadline = min(deadline, flush_at)
            try:
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that
                # arrives as the frame does, and the feed would then never stop.
                async with asyncio.timeout(max(0.0, deadline - now)):
                    raw = await conn.recv()
            except TimeoutError:
                now = loop.time()
                if self._pending and now >= flush_at:
                    self._flush()
                if now - last_frame >= dead_after:
                    raise _HeartbeatMissed(
                        f"no heartbeat for {dead_after:.1f} s; reconnecting"
                    ) from None
                if now - last_frame >= period and not pinged:
                    pinged = True
                    await conn.ping()  # a quiet line: ask whether the server is still there
                continue
            last_frame = loop.time()
            pinged = False
            self._heard()
            had_pending = bool(self._pending)
            await self._handle_notification(conn, raw)
            if self._pending and not had_pending:
                flush_at = last_frame + self._batch_window
                if self._batch_window <= 0:
                    self._flush()

    async def _handle_notification(self, conn: Connection, raw: str | bytes) -> None:
        note = parse_frame(raw)
        if note.kind == "error":
            raise ChannelRefused(note.text)
        if note.status in ("off", "error") and note.kind == "heartbeat":
            raise ChannelRefused(f"the Subscription is {note.status}")
        if conn.numbered and note.subscription:
            last = conn.last.get(note.subscription)
            newest = max(note.numbers) if note.numbers else note.since
            if note.kind == "heartbeat" and newest is not None and last is not None:
                if newest > last:
                    await self._gap(f"heartbeat at event {newest}, we saw {last}")
                    conn.last[note.subscription] = newest
            elif note.numbers and last is not None and min(note.numbers) > last + 1:
                await self._gap(f"event {min(note.numbers)} after {last}")
            if note.numbers:
                conn.last[note.subscription] = max(conn.last.get(note.subscription, 0), newest or 0)
        if note.kind == "heartbeat" and not self._pending:
            self._data_as_of = self._last_event_at
            self._set_status(LiveMode.LIVE, self._status.detail or "receiving notifications")
        if note.kind != "event-notification":
            return
        for resource in note.resources:
            if self._accept(resource):
                self._pending.append(resource)
        for ref in note.focus:  # id-only: read what the notification named
            fetched = await self._fetch_focus({"focus": {"reference": ref}})
            if fetched is not None and self._accept(fetched):
                self._pending.append(fetched)

    # -- main loop -------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            self._set_status(LiveMode.CONNECTING, "connecting")
            url = await self._resolve_ws_url()
            channel = self._standard_channel(url)
            if channel is not None:
                self._channel = channel
                self.transport = channel.name
                await self._channel_forever(channel)
                return
            if url is None:
                self.transport = "polling"
                await self._poll_forever("the server offers no notification WebSocket")
                return
            self.ws_url = url
            self.transport = "dho websocket"
            await self._ws_forever(url)
        except asyncio.CancelledError:
            raise
        except (_NoWebSocket, ChannelRefused) as exc:
            self.transport = "polling"
            await self._poll_forever(str(exc))
        except Exception as exc:  # a bug: say so rather than pretend to be live
            log.exception("live feed stopped")
            self._set_status(LiveMode.OFFLINE, f"live feed stopped: {exc!r}")

    async def _resolve_ws_url(self) -> str | None:
        if self._ws_url_param is not None:
            return self._ws_url_param or None
        failures = 0
        trouble_since: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            try:
                caps = await self._client.capabilities()
            except FhirUnavailable as exc:
                failures += 1
                trouble_since = trouble_since or loop.time()
                self._set_failure_status(trouble_since, f"server unreachable: {exc}")
                await asyncio.sleep(self._backoff(failures))
                continue
            except (FhirHttpError, FhirMalformed) as exc:
                log.info("no usable CapabilityStatement (%s); probing the default WebSocket", exc)
                caps = None
            self._caps = caps
            advertised = caps.websocket_url(self._client.base_url) if caps else None
            if advertised and not self._forbidden_dho(caps):
                return advertised
            if caps is not None and self._forbidden_dho(caps):
                return None
            if (
                caps is not None
                and choose_channel(self._client, caps, self._types, heartbeat_period=1) is not None
            ):
                return None  # a standard channel instead of probing ours
            return default_websocket_url(self._client.base_url) if self._probe else None

    @staticmethod
    def _forbidden_dho(caps: Capabilities | None) -> bool:
        from console.fhir.client import Feature

        return caps is not None and not caps.has(Feature.DHO_WEBSOCKET)

    def _standard_channel(self, url: str | None) -> Channel | None:
        """A standard Subscription channel when the server has no websocket of ours."""
        if url is not None or self._caps is None or self._ws_url_param is not None:
            return None
        return choose_channel(
            self._client, self._caps, self._types, heartbeat_period=self._channel_heartbeat
        )

    async def _ws_forever(self, url: str) -> None:
        loop = asyncio.get_running_loop()
        failures = 0
        trouble_since: float | None = None
        while True:
            self._went_live = False
            try:
                await self._session(url)
                reason = "the server closed the connection"
            except InvalidStatus as exc:
                status = exc.response.status_code
                if status in _NO_WS_STATUS and self._last_event_at is None:
                    raise _NoWebSocket(f"the WebSocket answered HTTP {status}") from exc
                reason = f"WebSocket refused with HTTP {status}"
            except _HeartbeatMissed as exc:
                reason = str(exc)
            except (OSError, TimeoutError, WebSocketException, FhirError, ValueError) as exc:
                reason = f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # unexpected (a bug or a very odd server): keep retrying
                log.exception("live feed session failed")
                reason = f"{type(exc).__name__}: {exc}"
            if self._went_live:
                failures, trouble_since = 0, None
            self._flush()
            self._need_catch_up = True
            failures += 1
            trouble_since = trouble_since or loop.time()
            log.info("live feed disconnected: %s", reason)
            self._set_failure_status(trouble_since, reason)
            await asyncio.sleep(self._backoff(failures))

    async def _session(self, url: str) -> None:
        if self._token is not None:
            token = self._token()
            headers = {"Authorization": f"Bearer {token}"} if token else {}
        else:
            headers = self._client.auth_headers()
        full = _with_types(url, self._types)
        ws = await connect(
            full,
            open_timeout=self._open_timeout,
            close_timeout=1.0,
            additional_headers=headers,
            max_size=64 * 2**20,
        )
        try:
            raw = await asyncio.wait_for(ws.recv(), self._open_timeout)
            frame = json.loads(raw)
            if not isinstance(frame, dict) or frame.get("type") != "handshake":
                raise ValueError(f"expected a handshake, got {str(raw)[:80]!r}")
            connected_at = self._heard()
            self._event_number = int(frame.get("eventNumber", 0))
            period = float(frame.get("heartbeatPeriod") or 0) or 60.0
            if self._need_catch_up:
                await self._catch_up("after connecting")
            self._data_as_of = max(connected_at, self._data_as_of or connected_at)
            self._went_live = True
            self._set_status(LiveMode.LIVE, "receiving notifications")
            await self._read(ws, period)
        finally:
            # A normal close (1000) also when stopping: we are going away, not failing.
            await ws.close()

    async def _read(self, ws: ClientConnection, period: float) -> None:
        """Frames until the connection fails or the server goes quiet.

        Honest about a frozen server: a frame is due every ``period`` (heartbeats at least);
        one late by a little more gets a WebSocket ping, and no pong within
        ``probe_timeout`` means the server is not there (a stopped process keeps its socket
        open, so only asking tells). ``heartbeat_grace`` periods without any frame (two
        missed heartbeats) end it even if pings are answered.
        """
        loop = asyncio.get_running_loop()
        margin = min(1.0, 0.2 * period)
        probe_timeout = min(self._probe_timeout, period)
        last_frame = loop.time()
        next_probe = last_frame + period + margin
        flush_at = 0.0
        pong: asyncio.Future[float] | None = None
        pong_deadline = 0.0
        while True:
            now = loop.time()
            stale_at = last_frame + self._heartbeat_grace * period + margin
            deadline = min(stale_at, pong_deadline if pong is not None else next_probe)
            if self._pending:
                deadline = min(deadline, flush_at)
            try:
                # `asyncio.timeout`, not `wait_for`: no task per frame (at 200 frames/s that
                # was a task and two loop timers each).
                async with asyncio.timeout_at(max(now, deadline)):
                    raw = await ws.recv()
            except TimeoutError:
                now = loop.time()
                if self._pending and now >= flush_at:
                    self._flush()
                if now >= stale_at:
                    reason = f"no heartbeat for {now - last_frame:.1f} s; reconnecting"
                    raise self._stale(reason) from None
                if pong is not None and pong.done():
                    self._heard()  # the server answered: alive, if quiet
                    pong = None
                    next_probe = now + probe_timeout
                elif pong is not None and now >= pong_deadline:
                    raise self._stale(
                        f"no heartbeat for {now - last_frame:.1f} s and no answer to a probe "
                        f"within {probe_timeout:g} s; reconnecting"
                    ) from None
                elif pong is None and now >= next_probe:
                    pong = asyncio.ensure_future(await ws.ping())
                    pong_deadline = now + probe_timeout
                continue
            last_frame = loop.time()
            next_probe = last_frame + period + margin
            if pong is not None:
                pong.cancel()
                pong = None
            self._heard()
            had_pending = bool(self._pending)
            await self._handle(raw)
            if self._pending and not had_pending:
                flush_at = last_frame + self._batch_window
                if self._batch_window <= 0:
                    self._flush()

    def _stale(self, reason: str) -> _HeartbeatMissed:
        """Say so at once (closing a dead connection takes its close timeout)."""
        self._flush()
        self._set_status(LiveMode.RECONNECTING, reason)
        return _HeartbeatMissed(reason)

    async def _handle(self, raw: str | bytes) -> None:
        try:
            frame = json.loads(raw)
        except ValueError:
            log.warning("ignoring a notification that is not JSON")
            return
        if not isinstance(frame, dict):
            return
        kind = frame.get("type")
        number = frame.get("eventNumber")
        if not isinstance(number, int):
            return
        if kind == "heartbeat":
            if number > self._event_number:
                await self._gap(f"heartbeat at event {number}, we saw {self._event_number}")
                self._event_number = number
            elif not self._pending:
                self._data_as_of = self._last_event_at
                self._set_status(LiveMode.LIVE, "receiving notifications")
        elif kind == "event-notification":
            if number <= self._event_number:
                log.debug("ignoring repeated event %d", number)
                return
            if number > self._event_number + 1:
                await self._gap(f"event {number} after {self._event_number}")
            self._event_number = number
            resource = frame.get("resource")
            if not isinstance(resource, dict):
                resource = await self._fetch_focus(frame)
                if resource is None:
                    return
            if self._accept(resource):
                self._pending.append(resource)

    async def _fetch_focus(self, frame: Mapping[str, Any]) -> dict[str, Any] | None:
        """Id-only notifications (other servers): read the resource; deletes are skipped."""
        if frame.get("action") == "delete":
            return None
        focus = frame.get("focus")
        ref = focus.get("reference") if isinstance(focus, dict) else None
        if not isinstance(ref, str) or ref.count("/") < 1:
            return None
        rtype, rid = ref.split("/")[-2:]
        try:
            return await self._client.read(rtype, rid)
        except FhirHttpError as exc:
            log.info("could not read %s from a notification: %s", ref, exc)
            return None

    async def _gap(self, what: str) -> None:
        log.info("missed notifications (%s); catching up", what)
        self._flush()
        await self._catch_up(what)
        self._data_as_of = self._last_event_at
        self._set_status(LiveMode.LIVE, "receiving notifications")

    # -- catch-up and polling --------------------------------------------------------------

    async def _catch_up(self, why: str) -> None:
        """Search every type for changes since its watermark minus the overlap, all pages."""
        started = _now()
        self._set_status(LiveMode.CATCHING_UP, f"catching up {why}")
        await self._search_changes()
        self._need_catch_up = False
        self._data_as_of = max(started, self._data_as_of or started)

    async def _search_changes(self) -> None:
        for rtype in self._types:
            since = self._watermark.get(rtype) or self._since or self._started_at
            params = [
                ("_lastUpdated", "gt" + _instant(since - self._overlap)),
                ("_sort", "_lastUpdated"),
                ("_count", str(self._page_size)),
            ]
            async for page in self._client.search_pages(rtype, params):
                batch = [r for r in page.matches if self._accept(r)]
                if batch:
                    self._deliver(batch)

    async def _poll_forever(self, why: str) -> None:
        loop = asyncio.get_running_loop()
        trouble_since: float | None = None
        detail = f"{why}; polling every {self._poll_interval:g} s"
        self._set_status(LiveMode.POLLING, detail)
        while True:
            started = _now()
            try:
                await self._search_changes()
            except FhirError as exc:
                trouble_since = trouble_since or loop.time()
                mode = (
                    LiveMode.OFFLINE
                    if loop.time() - trouble_since >= self._offline_after
                    else LiveMode.POLLING
                )
                self._set_status(mode, f"poll failed: {exc}")
            else:
                trouble_since = None
                self._heard()
                self._data_as_of = started
                self._set_status(LiveMode.POLLING, detail)
            await asyncio.sleep(self._poll_interval)

    # -- bookkeeping -------------------------------------------------------------------------

    def _accept(self, resource: Mapping[str, Any]) -> bool:
        """True for a version we have not delivered; advances the type's watermark."""
        rtype = resource.get("resourceType")
        rid = resource.get("id")
        if not isinstance(rtype, str) or not isinstance(rid, str):
            return False
        meta = resource.get("meta")
        version, updated = "", None
        if isinstance(meta, dict):
            version = str(meta.get("versionId", ""))
            updated = _parse_instant(meta.get("lastUpdated"))
        key = (rtype, rid)
        known = self._recent.get(key)
        if known is not None:
            known_version, known_updated = known
            if version == known_version and version:
                return False
            if updated is not None and known_updated is not None and updated <= known_updated:
                return False  # same or older version than what the consumer already has
            self._recent.move_to_end(key)
        self._recent[key] = (version, updated)
        if len(self._recent) > self._recent_max:
            self._recent.popitem(last=False)
        if updated is not None:
            mark = self._watermark.get(rtype)
            if mark is None or updated > mark:
                self._watermark[rtype] = updated
        return True

    def _flush(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self._deliver(batch)
            if self._status.mode is LiveMode.LIVE and self._last_event_at is not None:
                # Every number arrived in order: the data is complete up to the last frame.
                self._data_as_of = self._last_event_at
                self._report_age()

    def _report_age(self) -> None:
        """Tell the UI the data is newer (at most once a second: ages show whole seconds)."""
        now = asyncio.get_running_loop().time()
        if now - self._age_reported >= 1.0:
            self._set_status(self._status.mode, self._status.detail)

    def _deliver(self, batch: list[dict[str, Any]]) -> None:
        try:
            self._on_resources(batch)
        except Exception:
            log.exception("on_resources failed; the feed goes on")

    def _heard(self) -> datetime:
        self._last_event_at = _now()
        return self._last_event_at

    def _backoff(self, failures: int) -> float:
        delay = min(self._backoff_max, self._backoff_initial * 2 ** max(0, failures - 1))
        return min(self._backoff_max, delay * random.uniform(0.8, 1.2))

    def _set_failure_status(self, trouble_since: float, reason: str) -> None:
        elapsed = asyncio.get_running_loop().time() - trouble_since
        mode = LiveMode.OFFLINE if elapsed >= self._offline_after else LiveMode.RECONNECTING
        self._set_status(mode, reason)

    def _set_status(self, mode: LiveMode, detail: str) -> None:
        with contextlib.suppress(RuntimeError):
            self._age_reported = asyncio.get_running_loop().time()
        self._status = LiveStatus(mode, self._last_event_at, self._data_as_of, detail)
        try:
            self._on_status(self._status)
        except Exception:
            log.exception("on_status failed")
