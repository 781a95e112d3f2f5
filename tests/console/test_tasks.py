"""Shutdown helpers: cancelling tasks and awaiting steps, each with an upper bound, so that a
console asked to quit always does, and the log says which task or step held it up."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from console.tasks import bounded, cancel_and_wait


def test_cancel_and_wait_returns_the_tasks_that_would_not_end(
    qloop: asyncio.AbstractEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                continue  # ignores cancellation, as a task that never gets stepped would

    async def polite() -> None:
        await asyncio.sleep(30)

    async def scenario() -> None:
        held = asyncio.ensure_future(stubborn())
        held.set_name("stubborn")
        quick = asyncio.ensure_future(polite())
        await asyncio.sleep(0)
        started = time.monotonic()
        stuck = await cancel_and_wait([held, quick], 0.2)
        assert time.monotonic() - started < 2
        assert stuck == {held}
        assert quick.cancelled()
        release.set()
        await held
        assert await cancel_and_wait([held, quick], 0.2) == set()  # already done: no wait

    with caplog.at_level(logging.WARNING, logger="console.tasks"):
        qloop.run_until_complete(scenario())
    assert "task stubborn did not end" in caplog.text


def test_bounded_step_gives_up_and_says_which(
    qloop: asyncio.AbstractEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> tuple[bool, bool]:
        finished = await bounded(asyncio.sleep(0.01), 1.0, "a quick step")
        hung = await bounded(asyncio.sleep(30), 0.1, "stopping the live list")
        return finished, hung

    with caplog.at_level(logging.WARNING, logger="console.tasks"):
        assert qloop.run_until_complete(scenario()) == (True, False)
    assert "stopping the live list did not finish" in caplog.text
