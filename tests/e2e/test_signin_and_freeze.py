"""End to end, as a newcomer and a nurse meet it (issues 10 and 15):

- the embedded default on a machine with no browser and no stored token: the window offers
  the training users, choosing one fills the patient list, and the window says it is a
  training user;
- the real backend frozen (SIGSTOP) for 30 s: the console leaves "Live" within 15 s and is
  live again after SIGCONT.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from console.app import parse_args
from console.domain.model import ConnectionMode
from console.ui.session import ConsoleSession
from tests.backend import start_backend

pytestmark = pytest.mark.slow


async def wait_until(predicate, within: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def test_embedded_default_signs_in_by_choosing_a_training_user(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh machine: no browser, no token, nothing configured; logs in tmp_path.
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("DHO_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("DHO_SERVER_URL", raising=False)
    monkeypatch.setenv("BROWSER", "false")
    args = parse_args(
        ["--db", f"sqlite:///{tmp_path / 'embedded.sqlite'}", "--seed-patients", "30"]
    )
    session = ConsoleSession(args)
    overlay = session.overlay

    async def scenario() -> None:
        runner = asyncio.create_task(session.run())
        try:
            await wait_until(lambda: overlay.training.isVisible(), within=90)
            assert overlay.is_locked() and session.model.rowCount() == 0
            table = overlay.training_table
            names = [table.item(r, 2).text() for r in range(table.rowCount())]
            assert "synnelund" in names and not any(n.startswith("pasient") for n in names)
            # The first offered is a nurse of a response centre; choose her in the window.
            assert "synnelund" == table.item(0, 2).text()
            table.selectRow(0)
            table.setFocus()
            overlay.training_button.click()
            await wait_until(lambda: session.model.rowCount() >= 30, within=60)
            assert not overlay.is_locked()
            assert session.window.user_label.isVisible()
            label = session.window.user_label.text()
            assert "Synne Lund" in label and "TRAINING USER" in label
        finally:
            session.request_quit()
            await runner

    qloop.run_until_complete(scenario())


def test_a_frozen_backend_is_not_shown_as_live(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    backend = start_backend(tmp_path / "backend", seed_patients=20, history_days=1)
    stopped = False
    try:
        session = ConsoleSession(parse_args(["--server", backend.base_url]))

        def mode() -> ConnectionMode | None:
            return session.service.connection.mode if session.service else None

        async def scenario() -> tuple[float, float]:
            nonlocal stopped
            runner = asyncio.create_task(session.run())
            try:
                await wait_until(lambda: mode() is ConnectionMode.LIVE)
                await asyncio.sleep(1.0)
                os.kill(backend.proc.pid, signal.SIGSTOP)
                stopped = True
                frozen_at = time.monotonic()
                await wait_until(lambda: mode() is not ConnectionMode.LIVE, within=20)
                left_live = time.monotonic() - frozen_at
                assert session.window.status.text() != "Live"
                # Frozen for 30 s: never "Live" meanwhile.
                while time.monotonic() - frozen_at < 30:
                    assert mode() is not ConnectionMode.LIVE
                    await asyncio.sleep(0.2)
                os.kill(backend.proc.pid, signal.SIGCONT)
                stopped = False
                thawed_at = time.monotonic()
                await wait_until(lambda: mode() is ConnectionMode.LIVE, within=45)
                return left_live, time.monotonic() - thawed_at
            finally:
                session.request_quit()
                await runner

        left_live, recovered = qloop.run_until_complete(scenario())
        assert left_live <= 15.0, left_live
        print(f"left Live after {left_live:.1f} s; live again {recovered:.1f} s after SIGCONT")
    finally:
        if stopped:
            os.kill(backend.proc.pid, signal.SIGCONT)
        backend.stop()
