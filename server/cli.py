"""``dho-server``: run the reference FHIR backend (and the simulator) on one port.

The first line on stdout is ``listening on http://HOST:PORT/fhir``, printed once the socket is
serving, so a parent process (the console, tests) can wait for it and read the real port.
Heavy imports happen inside ``main`` after argument parsing, to keep start-up short.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.api.service import FhirService
    from server.clock import SimClock
    from server.store import Store

SIM_TICK = 0.5  # seconds between Simulator.due() calls


def default_db_url() -> str:
    import platformdirs

    folder = Path(platformdirs.user_data_dir("dho-console"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'dho.sqlite'}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="dho-server", description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    p.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite in the data dir)")
    p.add_argument("--seed-patients", type=int, default=300, help="patients seeded on first start")
    p.add_argument("--history-days", type=int, default=30, help="days of seeded measurements")
    p.add_argument("--seed", type=int, default=1, help="random seed of the synthetic population")
    p.add_argument("--no-simulate", action="store_true", help="do not produce live measurements")
    p.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="the server clock's rate: simulated seconds per real second (1 = the wall clock)",
    )
    p.add_argument(
        "--clock-start",
        default=None,
        help="start the server clock at this instant (ISO 8601 with a zone, e.g. "
        "2026-11-23T08:10:00+01:00) instead of now; the seeded month ends there",
    )
    p.add_argument(
        "--escalate-after",
        type=float,
        default=15.0,
        help="minutes of service hours an unclaimed high-priority alert waits before the "
        "server escalates it to the lead",
    )
    p.add_argument(
        "--profile",
        choices=["normal", "plain-r4", "training"],
        default="normal",
        help="what the server offers (server/profile.py): our extensions, plain R4 only, or "
        "a training centre with scenarios and ground truth",
    )
    p.add_argument("--heartbeat", type=float, default=10.0, help="WebSocket heartbeat period (s)")
    p.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
    )
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.add_argument(
        "--auth",
        choices=["on", "off"],
        default="on",
        help="require OAuth2 bearer tokens, scope by department and audit (default on)",
    )
    p.add_argument("--access-token-minutes", type=float, default=5.0, help="access token lifetime")
    p.add_argument(
        "--max-body-bytes",
        type=int,
        default=1 << 20,
        help="largest request body accepted (413 beyond; default 1 MiB)",
    )
    p.add_argument(
        "--max-response-bytes",
        type=int,
        default=8 << 20,
        help="a search answer stops at about this size and links to the next page (default 8 MiB)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API worker processes sharing the port (PostgreSQL only; the simulator and other "
        "background jobs run in the first)",
    )
    p.add_argument(
        "--http",
        choices=["auto", "httptools", "h11"],
        default="auto",
        help="HTTP/1.1 parser: httptools (C, the default when installed) or h11 (pure Python)",
    )
    p.add_argument(
        "--loop",
        choices=["auto", "uvloop", "asyncio"],
        default="auto",
        help="event loop: uvloop (the default when installed) or asyncio",
    )
    return p.parse_args(argv)


def _freeze_heap() -> None:
    """Move everything start-up made (modules, SQLAlchemy and pydantic caches, the rules
    engine's plans) out of the garbage collector's reach and collect young objects less often:
    a full collection over that heap paused requests for tens of ms (search p99). Reference
    counting still frees almost everything at once; only cycles wait for a collection."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _die_with_parent(parent: int) -> None:
    """A forked worker gets SIGTERM when the first process dies, even by SIGKILL (Linux)."""
    import ctypes
    import os
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # it died before prctl
        os._exit(1)


def _wait_ready(fd: int, count: int, timeout: float) -> bool:
    """Read one byte per worker from the readiness pipe; False on timeout or a dead worker."""
    import os
    import select

    deadline = time.monotonic() + timeout
    got = 0
    while got < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return False
        chunk = os.read(fd, 64)
        if not chunk:
            return False
        got += len(chunk)
    return True


def _stop_workers(children: list[int], timeout: float = 10.0) -> None:
    import os
    import signal

    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    for pid in children:
        while True:
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                break
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(0.02)


def seed(
    store: Store,
    n_patients: int,
    *,
    seed_value: int,
    history_days: int,
    now: float | None = None,
    escalate_after: float | None = None,
) -> dict[str, int]:
    """Fill an empty database with the synthetic response centre and its history.

    The history is a replay (server.sim.replay): the month before `now` (the server clock)
    simulated through the same rules as the live server, with simulated nurses handling the
    alerts; loaded in one bulk load. Returns the replay's counts.
    """
    from datetime import UTC, datetime

    try:
        from server.sim.population import build_population
        from server.sim.replay import Replay
    except ImportError as exc:  # pragma: no cover - only while server/sim is being written
        log(f"seed: synthetic population unavailable ({exc}); starting empty")
        return {}
    from server.rules.escalation import DEFAULT_AFTER

    t0 = time.perf_counter()
    moment = datetime.fromtimestamp(now, UTC) if now is not None else datetime.now(UTC)
    population = build_population(
        n_patients, seed=seed_value, now=moment, history_days=history_days
    )
    replay = Replay(population, escalate_after=escalate_after or DEFAULT_AFTER)
    t1 = time.perf_counter()
    log(f"seed: built {len(population.patients)} patients in {t1 - t0:.2f}s")
    counted = {"Observation": 0}

    def everything() -> Any:
        for i, res in enumerate(replay.run(), 1):
            if res["resourceType"] == "Observation":
                counted["Observation"] += 1
            if i % 100_000 == 0:
                log(f"seed: {i} resources ({i / (time.perf_counter() - t1):.0f}/s)")
            yield res

    n_total = store.bulk_load(everything())
    store.add_truth(replay.truth)
    store.add_truth(replay.episode_truth())
    t2 = time.perf_counter()
    # The lead's review of the seeded history, counted now (as a write path would have kept
    # it): the first review of a new centre is then as quick as a later one.
    from server.api.review_route import prime_review_cache

    end_us = int(moment.timestamp() * 1_000_000) + 3_600_000_000
    prime_review_cache(store, end_us - (history_days + 2) * 86_400_000_000, end_us)
    t3 = time.perf_counter()
    log(f"seed: review counts of the seeded history kept in {t3 - t2:.2f}s")
    stats = dict(replay.stats)
    log(
        f"seed: replayed {history_days} days: {counted['Observation']} observations, "
        f"{stats.get('tasks', 0)} alerts ({stats.get('escalated', 0)} escalated), "
        f"{n_total} resources in {t2 - t1:.2f}s; total {t2 - t0:.2f}s"
    )
    return stats


def _seed_in_child(store: Store, n_patients: int, seed_args: dict[str, Any]) -> bool:
    """Seed from a forked child process where there is fork: the replay's hundreds of MiB of
    heap (population, simulated rules, bulk-load batches) then never belong to the API
    process, which CPython's allocator would otherwise keep resident for good. The database
    ends up exactly as an in-process seed leaves it; False if seeding failed."""
    import os

    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        seed(store, n_patients, **seed_args)
        return True
    store.engine.dispose()  # no pooled connection may be shared across the fork
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            seed(store, n_patients, **seed_args)
            store.engine.dispose()
            code = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    store._rollback_counters()  # the child wrote: read pks, change numbers, times afresh
    if os.waitstatus_to_exitcode(status) != 0:
        log("dho-server: seeding failed (see above)")
        return False
    return True


def simulator_job(store: Store, *, seed_value: int, clock: SimClock) -> Any:
    """A background job feeding the simulator's Observations through the normal create path.

    On the server clock; it records the ground truth (device errors, skipped measurements)
    and lets simulated patients re-measure when asked to and measure after a reminder."""
    import asyncio
    import json
    from datetime import timedelta

    try:
        from server.sim.simulator import DEFAULT_MAX_CATCH_UP, Simulator
    except ImportError as exc:  # pragma: no cover - only while server/sim is being written
        log(f"simulator unavailable ({exc}); not simulating")
        return None
    from server.api.broker import ChangeEvent
    from server.sim.patient_answers import reaction
    from server.sim.physiology import REPEAT_ERROR_PROBABILITY

    patients = store.all_of_type("Patient")
    episodes = store.all_of_type("EpisodeOfCare")
    sim = Simulator.from_resources(
        patients,
        episodes,
        seed=seed_value,
        speed=1.0,  # `now` is already the simulated clock
        now=clock.now_datetime(),
        max_catch_up=timedelta(
            seconds=DEFAULT_MAX_CATCH_UP.total_seconds() * max(1.0, clock.speed)
        ),
    )

    errors: set[str] = set()  # Observations that were device errors (this run)

    async def run(service: FhirService) -> None:
        def listener(events: list[ChangeEvent], _local: bool) -> None:
            for event in events:
                if event.res_type != "Communication" or event.action != "create":
                    continue
                try:
                    message = json.loads(event.data)
                except ValueError:
                    continue
                answer = reaction(message, seed_value)
                if answer is not None:
                    pid, kinds, delay, error_p = answer
                    about = {str(a.get("reference")) for a in message.get("about") or ()}
                    if about & errors:
                        error_p = REPEAT_ERROR_PROBABILITY  # the cold fingers are still cold
                    sim.request(pid, kinds, clock.now() + delay, error_p)

        service.broker.add_listener(listener)
        try:
            while True:
                await asyncio.sleep(SIM_TICK)
                new = sim.due(clock.now_datetime())
                flags = list(sim.errors)
                if new:
                    stored = await service.create_many([("Observation", obs) for obs in new])
                    rows = [
                        (
                            str(obs["subject"]["reference"]).split("/", 1)[1],
                            "device-error",
                            st.last_updated,
                            st.last_updated,
                            json.dumps({"observation": st.reference, "kind": obs["code"]["text"]}),
                        )
                        for obs, st, error in zip(new, stored, flags, strict=True)
                        if error
                    ]
                    if rows:
                        errors.update(json.loads(r[4])["observation"] for r in rows)
                        await service.run(store.add_truth, rows)
                skipped = [
                    (pid, kind, int(t * 1e6), int(t * 1e6), json.dumps(data))
                    for pid, kind, t, data in sim.drain_truth()
                ]
                if skipped:
                    await service.run(store.add_truth, skipped)
        finally:
            service.broker.remove_listener(listener)

    return run


def messaging_job(store: Store, *, seed_value: int, clock: SimClock) -> Any:
    """A background job: simulated patients and relatives write, answer and accept video
    calls (server.sim.messaging), through the normal write path, on the server clock."""
    from server.sim.messaging import MessagingSimulator, run

    sim = MessagingSimulator.from_resources(
        store.all_of_type("Patient"),
        store.all_of_type("EpisodeOfCare"),
        store.all_of_type("RelatedPerson"),
        seed=seed_value,
        speed=1.0,  # `now` is already the simulated clock
        now=clock.now_datetime(),
    )

    async def job(service: FhirService) -> None:
        await run(sim, service, SIM_TICK, clock.now_datetime)

    return job


def migrate_main(argv: list[str]) -> int:
    """``dho-server migrate [--db URL]``: upgrade the database schema to the newest revision."""
    p = argparse.ArgumentParser(prog="dho-server migrate", description=migrate_main.__doc__)
    p.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite in the data dir)")
    args = p.parse_args(argv)
    from server.store import Store

    store = Store(args.db or default_db_url())
    try:
        revision = store.migrate()
    finally:
        store.close()
    print(f"database at revision {revision}", flush=True)
    return 0


def scenarios_main(argv: list[str]) -> int:
    """``dho-server scenarios [--language en|nb|nn]``: the training scenario library, one line
    each (name, simulated duration, patient group, title)."""
    p = argparse.ArgumentParser(prog="dho-server scenarios", description=scenarios_main.__doc__)
    p.add_argument("--language", choices=["en", "nb", "nn"], default="en")
    args = p.parse_args(argv)
    from server.training.format import ScenarioError
    from server.training.library import describe_line, library

    try:
        found = library()
    except ScenarioError as exc:
        log(f"dho-server scenarios: {exc}")
        return 1
    for scenario in found.values():
        print(describe_line(scenario, args.language))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["migrate"]:
        return migrate_main(argv[1:])
    if argv[:1] == ["scenarios"]:
        return scenarios_main(argv[1:])
    if argv[:1] in (["token"], ["passwd"], ["unlock"]):
        from server.auth.cli import passwd_main, token_main, unlock_main

        commands = {"token": token_main, "passwd": passwd_main, "unlock": unlock_main}
        return commands[argv[0]](argv[1:])
    args = parse_args(argv)
    t_start = time.perf_counter()
    from server.memory import limit_arenas

    limit_arenas()  # before any thread: bounded memory under bursts (server/memory.py)

    import asyncio
    import contextlib
    import signal
    import socket
    from collections.abc import Generator

    import uvicorn

    from server.api.app import create_app
    from server.profile import ServerProfile
    from server.store import Store

    profile = ServerProfile(args.profile)
    if args.workers > 1 and profile.is_training:
        log(
            "dho-server: a training backend runs one worker (the training session and its "
            "clock controls live in one process)"
        )
        return 2
    # plain-r4 writes UUID versionIds from the first seeded resource on, as third-party servers do.
    store = Store(args.db or default_db_url(), opaque_versions=not profile.extensions)
    if args.workers > 1 and store.is_sqlite:
        log(
            "dho-server: --workers needs PostgreSQL (--db postgresql+psycopg://...); "
            "SQLite allows one writing process, so run one worker"
        )
        store.close()
        return 2
    if args.workers < 1:
        log("dho-server: --workers must be at least 1")
        store.close()
        return 2
    store.migrate()  # one SELECT when the schema is current
    from server.clock import SimClock, parse_start

    if args.speed < 0:
        log("dho-server: --speed must be at least 0")
        store.close()
        return 2
    try:
        start = parse_start(args.clock_start) if args.clock_start else None
    except ValueError as exc:
        log(f"dho-server: --clock-start: {exc}")
        store.close()
        return 2
    newest = store.newest_update()
    if newest is not None and (start is None or start < newest):
        # Simulated time never runs backwards: continue after the newest stored timestamp.
        start = max(start or time.time(), newest + 1.0)
    clock = SimClock(start, args.speed)
    store.clock_us = clock.now_us
    seeded = store.is_empty() and args.seed_patients > 0
    if seeded:
        seed_args = {
            "seed_value": args.seed,
            "history_days": args.history_days,
            "now": clock.now(),
            "escalate_after": args.escalate_after * 60,
        }
        if not _seed_in_child(store, args.seed_patients, seed_args):
            store.close()
            return 1
    from server.auth.cli import prepare
    from server.auth.context import AuthSettings

    prepare(store, seeded=seeded, enabled=args.auth == "on")
    from server.rules.runtime import missing_clock_job, warm_job

    # The rules clock (missing, holds, escalation); plain-r4 has no rules (the console raises them).
    jobs: list[Any] = [missing_clock_job] if profile.extensions else []
    if not args.no_simulate:
        job = simulator_job(store, seed_value=args.seed, clock=clock)
        if job is not None:
            jobs.append(job)
        jobs.append(messaging_job(store, seed_value=args.seed, clock=clock))
    auth = AuthSettings(enabled=args.auth == "on", access_minutes=args.access_token_minutes)
    limits = {
        "max_body_bytes": max(1024, args.max_body_bytes),
        "max_response_bytes": max(64 * 1024, args.max_response_bytes),
    }
    app = create_app(
        store,
        heartbeat=args.heartbeat,
        jobs=jobs,
        auth=auth,
        profile=profile,
        clock=clock,
        escalate_after=args.escalate_after * 60,
        **limits,
    )
    app.state.truth_seed = args.seed

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto is
    # TCP, and without it keep-alive responses stall ~40 ms on Nagle + delayed ACK.
    # --workers N on Linux: each worker listens on a socket of its own on the same port
    # (SO_REUSEPORT) and the kernel spreads new connections over them evenly. On one shared
    # socket the worker that happened to be awake took nearly all (a load generator's eight
    # connections: ~86 % of the CPU in one worker, the other only relaying the fan-out).
    reuse_port = args.workers > 1 and hasattr(socket, "SO_REUSEPORT")

    def listening(port: int) -> socket.socket:
        new = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        new.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            new.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        new.bind((args.host, port))
        new.listen(2048)
        return new

    sock = listening(args.port)
    sock.set_inheritable(True)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host

    # --workers N: fork N-1 more API processes onto the same listening socket (the kernel
    # spreads connections); they get no background jobs (simulator, clocks run here only) and
    # reach each other's WebSocket clients through PostgreSQL LISTEN/NOTIFY (server.api.fanout).
    import os

    primary = True
    children: list[int] = []
    ready_r = ready_w = -1
    if args.workers > 1:
        ready_r, ready_w = os.pipe()
        store.engine.dispose()  # no pooled connection may be shared across the fork
        parent = os.getpid()
        for _ in range(args.workers - 1):
            pid = os.fork()
            if pid == 0:
                primary = False
                children = []
                _die_with_parent(parent)
                break
            children.append(pid)
        os.close(ready_w if primary else ready_r)
        if not primary and reuse_port:
            inherited, sock = sock, listening(port)
            inherited.close()
        if not primary:
            app = create_app(
                store,
                heartbeat=args.heartbeat,
                jobs=[warm_job] if profile.extensions else [],
                auth=auth,
                profile=profile,
                clock=clock,
                escalate_after=args.escalate_after * 60,
                **limits,
            )
            app.state.truth_seed = args.seed
    failed = False

    class Server(uvicorn.Server):
        """Prints the listening line once serving; exits 0 on SIGTERM/SIGINT."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            nonlocal failed
            await super().startup(sockets)
            if self.started and not primary:
                os.write(ready_w, b"1")  # the first process prints the listening line
                os.close(ready_w)
                return
            if self.started and children:
                if not await asyncio.to_thread(_wait_ready, ready_r, len(children), 60.0):
                    log("dho-server: a worker process did not start; stopping")
                    failed = True
                    self.should_exit = True
                    return
                os.close(ready_r)
            if self.started:
                print(f"listening on http://{host}:{port}/fhir", flush=True)
                log(f"ready in {time.perf_counter() - t_start:.2f}s (database {store.url!r})")

        @contextlib.contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            # uvicorn re-raises the signal after shutdown (exit status 143); we want exit 0.
            previous = {
                sig: signal.signal(sig, lambda *_: self._request_exit())
                for sig in (signal.SIGINT, signal.SIGTERM)
            }
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

        def _request_exit(self) -> None:
            if self.should_exit:
                self.force_exit = True
            self.should_exit = True

    from server.logsafe import uvicorn_log_config

    config = uvicorn.Config(
        app,
        # Every handler redacts tokens, passwords, query values and fødselsnummer (logsafe).
        log_config=uvicorn_log_config(args.log_level),
        log_level=args.log_level,
        access_log=args.access_log,
        ws="websockets-sansio",
        ws_max_size=64 * 1024,  # clients send commands only (bind-with-token, ping)
        lifespan="on",
        timeout_graceful_shutdown=3,
        ws_ping_interval=None,
        http=args.http,  # auto: httptools when installed (a C parser; h11 is pure Python)
        loop=args.loop,  # auto: uvloop when installed
    )
    server = Server(config)
    _freeze_heap()
    try:
        server.run(sockets=[sock])  # asyncio.run with the configured loop factory
    finally:
        sock.close()
        if children:
            _stop_workers(children)
        store.close()
        if not primary:
            sys.stdout.flush()
            os._exit(0)  # a forked worker: skip the first process's exit handlers
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
