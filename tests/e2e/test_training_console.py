"""`dho-console --training URL` against the real reference backend (issue 13):

- a backend whose profile is not `training` is refused before any patient is shown, and no
  window carries the mark;
- a training backend is joined: the title and the banner carry TRENING / TRAINING, the
  Training menu's controls are on, and a screenshot is stamped.

The mark comes from the CapabilityStatement: both backends listen on 127.0.0.1 URLs alike.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from console.app import parse_args
from console.domain.training import MARK, training_mark
from console.ui.session import ConsoleSession, grab_widget
from tests.backend import start_backend

pytestmark = pytest.mark.slow


async def wait_until(predicate, within: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def test_training_mode_refuses_a_server_that_is_not_a_training_server(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    backend = start_backend(tmp_path / "normal", seed_patients=10, history_days=1)
    try:
        session = ConsoleSession(parse_args(["--training", backend.base_url]))

        async def scenario() -> None:
            runner = asyncio.create_task(session.run())
            try:
                await wait_until(lambda: "training" in session.window.notices(), within=30)
                assert "Not a training server" in session.window.notices()["training"]
                label = session.window.notice_labels["training"]
                assert "is not a training server (its profile is “normal”)" in label.toolTip()
                assert session.model.rowCount() == 0 and session.workbench is None
                assert not training_mark() and not session.window.windowTitle().startswith(MARK)
                assert session.window.training_banner is None
            finally:
                session.request_quit()
                await runner

        qloop.run_until_complete(scenario())
    finally:
        backend.stop()


def test_joining_a_training_server_marks_the_window_and_the_screenshot(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    backend = start_backend(
        tmp_path / "training",
        seed_patients=10,
        history_days=1,
        extra_args=["--profile", "training"],
    )
    try:
        session = ConsoleSession(parse_args(["--training", backend.base_url]))

        async def scenario() -> None:
            runner = asyncio.create_task(session.run())
            try:
                await wait_until(lambda: session.training_feature is not None, within=60)
                assert training_mark() and session.window.windowTitle().startswith(MARK)
                banner = session.window.training_banner
                assert banner is not None and banner.isVisible()
                assert session.training_feature is not None
                assert session.training_feature.actions["controls"].isEnabled()
                assert "restart" not in session.training_feature.actions  # not the default
                grab_widget(session.window, str(tmp_path / "shot.png"))
                image = QImage(str(tmp_path / "shot.png"))
                assert image.pixelColor(image.width() - 20, 10) == QColor("#7a1f00")
            finally:
                session.request_quit()
                await runner
            assert not training_mark()  # off again once the session is over

        qloop.run_until_complete(scenario())
    finally:
        backend.stop()
