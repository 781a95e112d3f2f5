"""The SQL statements an engine runs while a block runs (tests that count round trips)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, event


@contextlib.contextmanager
def statements_run(engine: Engine, containing: str = "FROM resource") -> Iterator[list[str]]:
    """Every statement containing ``containing``, in order, until the block ends."""
    seen: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if containing in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)
