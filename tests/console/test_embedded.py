"""EmbeddedBackend: start, wait for the listening line, stop; with a stand-in child module
(fast, always runs) and with the real `server.cli` (slow, once it exists)."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from console.services.embedded import EmbeddedBackend, EmbeddedBackendError

ROOT = Path(__file__).resolve().parents[2]

FAKE = textwrap.dedent(
    """
    import signal, sys, time
    mode = sys.argv[sys.argv.index("--mode") + 1]
    assert sys.argv[1:5] == ["--host", "127.0.0.1", "--port", "0"], sys.argv
    print("seeding the database", file=sys.stderr, flush=True)
    if mode == "crash":
        print("Traceback: sqlite3.OperationalError: unable to open database", file=sys.stderr)
        sys.exit(3)
    if mode == "hang":
        time.sleep(60)
    if mode == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("loading")
    print("listening on http://127.0.0.1:54321/fhir")
    if mode == "chatty":
        for i in range(20000):
            print("x" * 100)
    while True:
        time.sleep(0.1)
    """
)


@pytest.fixture
def fake_module(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "fakebackend.py").write_text(FAKE, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(tmp_path)}


def backend(tmp_path: Path, env: dict[str, str], mode: str, **kw: float) -> EmbeddedBackend:
    return EmbeddedBackend(
        ["--mode", mode],
        module="fakebackend",
        env=env,
        log_path=tmp_path / "logs" / "backend.log",
        **kw,  # type: ignore[arg-type]
    )


def test_start_reads_the_address_and_stop_reaps(
    tmp_path: Path, fake_module: dict[str, str]
) -> None:
    async def main() -> None:
        b = backend(tmp_path, fake_module, "chatty")
        with pytest.raises(RuntimeError):
            _ = b.base_url
        assert await b.start() == "http://127.0.0.1:54321/fhir"
        assert b.base_url == "http://127.0.0.1:54321/fhir" and b.running
        await asyncio.sleep(0.3)  # the child keeps writing; a full pipe must not block it
        code = await b.stop()
        assert code is not None and not b.running
        assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []

    asyncio.run(main())
    text = (tmp_path / "logs" / "backend.log").read_text()
    assert "seeding the database" in text and "[stdout] loading" in text


def test_crash_before_ready_reports_stderr(tmp_path: Path, fake_module: dict[str, str]) -> None:
    async def main() -> None:
        b = backend(tmp_path, fake_module, "crash")
        with pytest.raises(EmbeddedBackendError) as info:
            await b.start()
        message = str(info.value)
        assert "exited with code 3" in message
        assert "unable to open database" in message
        assert not b.running

    asyncio.run(main())


def test_start_timeout_kills_the_child(tmp_path: Path, fake_module: dict[str, str]) -> None:
    async def main() -> None:
        b = backend(tmp_path, fake_module, "hang", start_timeout=1.0)
        with pytest.raises(EmbeddedBackendError, match="within 1 s") as info:
            await b.start()
        assert "seeding the database" in str(info.value)
        assert b.pid is None

    asyncio.run(main())


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM cannot be ignored on Windows")
def test_stop_kills_a_child_that_ignores_sigterm(
    tmp_path: Path, fake_module: dict[str, str]
) -> None:
    async def main() -> None:
        b = backend(tmp_path, fake_module, "ignore-term")
        await b.start()
        started = time.monotonic()
        code = await b.stop(grace=0.5)
        assert code is not None and code < 0  # killed by a signal
        assert time.monotonic() - started < 3

    asyncio.run(main())


def test_stop_sync(tmp_path: Path, fake_module: dict[str, str]) -> None:
    pids: list[int] = []

    async def main() -> None:
        b = backend(tmp_path, fake_module, "ok")
        await b.start()
        assert b.pid is not None
        pids.append(b.pid)
        b.stop_sync()
        await b.stop()  # still fine afterwards: reaps and closes

    asyncio.run(main())
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0], 0)


@pytest.mark.slow
@pytest.mark.skipif(
    not (ROOT / "server" / "cli.py").is_file(),
    reason="server/cli.py (the reference backend's command line) does not exist yet",
)
def test_real_backend_starts_answers_and_stops(tmp_path: Path) -> None:
    async def main() -> None:
        b = EmbeddedBackend(
            ["--db", f"sqlite:///{tmp_path / 'dho.sqlite'}"],
            log_path=tmp_path / "backend.log",
            start_timeout=120,
        )
        try:
            url = await b.start()
            assert url.startswith("http://127.0.0.1:") and url.endswith("/fhir")
            async with httpx.AsyncClient() as http:
                r = await http.get(f"{url}/metadata")
                assert r.status_code == 200
                assert r.json()["resourceType"] == "CapabilityStatement"
                # The embedded default is the training centre (CONTRACTS.md).
                profile = [
                    e["valueCode"]
                    for e in r.json()["rest"][0].get("extension", [])
                    if e["url"].endswith("/server-profile")
                ]
                assert profile == ["training"]
        finally:
            code = await b.stop()
        assert code is not None

    asyncio.run(main())


def test_a_frozen_bundle_starts_the_backend_with_its_own_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No `python -m server.cli` in a PyInstaller bundle: `dho-console backend ...` instead
    (packaging/dho_entry.py; CI runs the real bundle in packaging/linux/smoke-test.sh)."""
    from console.services.embedded import backend_command

    assert backend_command()[1:] == ["-m", "server.cli"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/dho-console/dho-console")
    assert backend_command() == ["/opt/dho-console/dho-console", "backend"]
    assert EmbeddedBackend()._args[:4] == [
        "/opt/dho-console/dho-console",
        "backend",
        "--host",
        "127.0.0.1",
    ]


def test_the_bundle_entry_point_dispatches_to_console_or_backend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import runpy

    entry = runpy.run_path(str(Path(__file__).resolve().parents[2] / "packaging" / "dho_entry.py"))
    seen: list[tuple[str, list[str]]] = []
    import console.app
    import server.cli

    monkeypatch.setattr(server.cli, "main", lambda argv: seen.append(("backend", argv)) or 0)
    monkeypatch.setattr(console.app, "main", lambda argv: seen.append(("console", argv)) or 0)
    monkeypatch.setattr(sys, "argv", ["dho-console", "backend", "--port", "0"])
    assert entry["main"]() == 0
    monkeypatch.setattr(sys, "argv", ["dho-console", "--lang", "nn"])
    assert entry["main"]() == 0
    assert seen == [("backend", ["--port", "0"]), ("console", ["--lang", "nn"])]
