"""Helpers shared by the benchmarks: machine description, backend process, percentiles."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def user_env() -> dict[str, str]:
    """The environment a user's console runs in: bytecode cached, offscreen here."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# The console-side benchmarks measure the data path, not sign-in: the backend runs without
# tokens there (cold_start.py runs the console's own embedded backend, with sign-in).
AUTH_OFF = ("--auth", "off")


def cached_db(patients: int, days: int) -> str:
    """A seeded SQLite database kept between benchmark runs (seeding 5,000 patients takes a
    minute or more); runs add Observations to it, which only makes it more realistic."""
    folder = Path(tempfile.gettempdir()) / "dho-bench-cache" / f"p{patients}-d{days}"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'dho.sqlite'}"


class Backend:
    """The reference backend as a child process, as the console runs it."""

    def __init__(self, *args: str, log_path: Path) -> None:
        self.log = log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                *AUTH_OFF,
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=ROOT,
            env=user_env(),
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        match = re.search(r"listening on (\S+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"backend did not start: {line!r}; see {log_path}")
        self.base_url = match.group(1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()


def wait_for(predicate, timeout: float, step: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class StallMonitor:
    """A 2 ms timer on the UI thread: any longer gap between its ticks is time the UI could
    not react (a stall). Figures are in milliseconds, with the timer's own interval removed."""

    INTERVAL = 0.002

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        #: What is going on now, recorded with every stall over 50 ms.
        self.phase = "idle"
        self.stalls: list[tuple[float, str]] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(int(self.INTERVAL * 1000))
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        self.gaps.append(gap)
        if gap > 0.05 + self.INTERVAL:
            self.stalls.append((round((gap - self.INTERVAL) * 1000, 1), self.phase))
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def longest_ms(self) -> float:
        return (max(self.gaps) - self.INTERVAL) * 1000 if self.gaps else float("nan")

    def worst_ms(self, n: int = 5) -> list[float]:
        return [round((g - self.INTERVAL) * 1000, 1) for g in sorted(self.gaps)[-n:]]

    def p99_ms(self) -> float:
        return (percentile(self.gaps, 99) - self.INTERVAL) * 1000
