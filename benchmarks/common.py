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


def memory(pid: int) -> dict[str, float]:
    """A process's memory in MiB: VmRSS, VmHWM (its peak), RssAnon and RssFile."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[key] = int(value.split()[0]) / 1024
    return out


def token(db_url: str, who: str) -> str:
    """An access token for ``who`` from the database alone (``dho-server token``)."""
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "token", who, "--db", db_url, "--minutes", "180"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=user_env(),
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


# The console-side benchmarks measure the data path, not sign-in: the backend runs without
# tokens there (cold_start.py runs the console's own embedded backend, with sign-in).
AUTH_OFF = ("--auth", "off")


SEED_MAX_AGE = float(os.environ.get("BENCH_SEED_MAX_AGE", "900"))


def seeded_db(patients: int, days: int, into: Path, *, log_path: Path) -> str:
    """A database freshly seeded with `patients` and `days` of history, private to one run.

    Seeding 5,000 patients takes a minute, so a pristine seed is kept and copied, but only
    while it is younger than BENCH_SEED_MAX_AGE seconds (default 15 min): an older one would
    make the missing-measurement clock raise alerts for every patient (nobody has measured
    since it was seeded), and a copy used once never accumulates another run's alerts.
    """
    import shutil

    folder = Path(tempfile.gettempdir()) / "dho-bench-cache" / f"pristine-p{patients}-d{days}"
    pristine = folder / "dho.sqlite"
    if not pristine.exists() or time.time() - pristine.stat().st_mtime > SEED_MAX_AGE:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        t = time.perf_counter()
        seed = Backend(
            "--db",
            f"sqlite:///{folder / 'seeding.sqlite'}",
            "--seed-patients",
            str(patients),
            "--history-days",
            str(days),
            "--no-simulate",
            log_path=log_path,
        )
        seed.stop()
        for suffix in ("", "-wal", "-shm"):  # WAL mode: the log belongs to the database
            part = folder / f"seeding.sqlite{suffix}"
            if part.exists():
                part.rename(folder / f"dho.sqlite{suffix}")
        print(f"seeded {patients} patients x {days} days in {time.perf_counter() - t:.0f} s")
    target = into / "dho.sqlite"
    for suffix in ("", "-wal"):
        if (folder / f"dho.sqlite{suffix}").exists():
            shutil.copyfile(folder / f"dho.sqlite{suffix}", into / f"dho.sqlite{suffix}")
    return f"sqlite:///{target}"


# ----- CPU placement --------------------------------------------------------------------------
# A nurse's console runs on a workstation; the backend and the patients' apps run elsewhere.
# On this 2-core machine they would otherwise take turns with the console's UI thread, and the
# scheduler's time slices (tens of ms) show up as UI stalls that no console change can remove.
# With BENCH_PIN=1 (the default on 2+ cores) the console runs on CPU 0 and the backend and load
# generator on the others; BENCH_PIN=0 shares all CPUs. Reports say which.

PIN = os.environ.get("BENCH_PIN", "1") == "1" and (os.cpu_count() or 1) >= 2


def console_cpus() -> set[int]:
    return {0}


def server_cpus() -> set[int]:
    return set(range(1, os.cpu_count() or 2))


def pin_console() -> str:
    """Pin this process (the console) to CPU 0; call before any thread starts."""
    if not PIN:
        return "console, backend and load generator share all CPUs (BENCH_PIN=0)"
    os.sched_setaffinity(0, console_cpus())
    return (
        f"console on CPU {sorted(console_cpus())}, backend and load generator on CPUs "
        f"{sorted(server_cpus())} (BENCH_PIN=1; the server is another machine in use)"
    )


def pin_to_server_cpus() -> None:
    """preexec_fn for the backend and the load generator."""
    if PIN:
        os.sched_setaffinity(0, server_cpus())


def on_server_cpus(command: list[str]) -> list[str]:
    """`command` run on the server's CPUs through taskset, for a child started while the UI
    thread is measured: a preexec_fn makes Python fork the whole console (copying the page
    tables of ~330 MB took the UI thread 20-45 ms under perf), where without one it uses
    vfork and the child execs at once."""
    if not PIN:
        return command
    return ["taskset", "-c", ",".join(map(str, sorted(server_cpus()))), *command]


class Backend:
    """The reference backend as a child process, as the console runs it."""

    def __init__(self, *args: str, log_path: Path, server_cpus: bool = False) -> None:
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
            preexec_fn=pin_to_server_cpus if server_cpus else None,
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


def wait_for_open_alerts_to_settle(base_url: str, quiet: float = 3.0) -> int:
    """The backend's first missing-measurement pass raises about a thousand Tasks in its
    first seconds; measure the steady state (100 Observations/s), not that start-up burst."""
    import httpx

    last, since, start = -1, time.monotonic(), time.monotonic()
    with httpx.Client(timeout=30) as http:
        while True:
            count = http.get(f"{base_url}/Task", params={"_summary": "count"}).json()["total"]
            if count != last:
                last, since = count, time.monotonic()
            elif time.monotonic() - since >= quiet and (count or time.monotonic() - start > 60):
                return int(count)
            time.sleep(0.5)


def wait_for(predicate, timeout: float, step: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def _run_queue_delay() -> float:
    """Seconds this thread has spent runnable but not running (0 where Linux does not say)."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class StallMonitor:
    """A 2 ms timer on the UI thread: any longer gap between its ticks is time the UI could
    not react (a stall). Figures are in milliseconds, with the timer's own interval removed."""

    INTERVAL = 0.002

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        #: The UI thread's own CPU time within each gap (time.thread_time): a long gap with
        #: little CPU is the thread waiting (for a core the scheduler gave another process on
        #: a shared machine, or for the GIL), a long gap with as much CPU is work of ours.
        self.cpu: list[float] = []
        self._last_cpu = time.thread_time()
        #: In each gap, the CPU time of the console's other threads (process CPU minus the UI
        #: thread's) and the time the UI thread was runnable but waited for a core (the
        #: scheduler's run-queue delay, /proc/thread-self/schedstat). What is left of a gap is
        #: the UI thread asleep: in poll (a timer that woke it late) or waiting for the GIL.
        self.others: list[float] = []
        self.queued: list[float] = []
        self._last_proc = time.process_time()
        self._last_queued = _run_queue_delay()
        #: The whole console process's CPU time (every thread) over the measured time.
        self.process_cpu = 0.0
        self.wall = 0.0
        self._started_cpu = time.process_time()
        self._started = time.perf_counter()
        #: What is going on now, recorded with every stall over `self.listed` seconds
        #: (BENCH_STALL_MS, default the 50 ms target; lower it to see what nearly stalls).
        self.phase = "idle"
        self.listed = float(os.environ.get("BENCH_STALL_MS", "50")) / 1000
        self.stalls: list[tuple[float, str]] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        if os.environ.get("BENCH_PRECISE_TIMER", "1") == "1":
            self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(int(self.INTERVAL * 1000))
        self._timer.timeout.connect(self._tick)
        #: BENCH_STALL_STACKS=1: every event the UI thread delivers is traced, so a report can
        #: say what the stalls were made of; =2 adds a thread sampling the UI thread's Python
        #: stack while it is stalled (that thread takes the GIL, so it lengthens stalls).
        self._sampler: StallSampler | None = (
            StallSampler(self) if os.environ.get("BENCH_STALL_STACKS") else None
        )

    def _tick(self) -> None:
        now = time.perf_counter()
        cpu = time.thread_time()
        gap = now - self._last
        self.gaps.append(gap)
        self.cpu.append(cpu - self._last_cpu)
        proc = time.process_time()
        queued = _run_queue_delay()
        self.others.append(max(0.0, (proc - self._last_proc) - (cpu - self._last_cpu)))
        self.queued.append(queued - self._last_queued)
        self._last_cpu, self._last_proc, self._last_queued = cpu, proc, queued
        if gap > self.listed + self.INTERVAL:
            self.stalls.append((round((gap - self.INTERVAL) * 1000, 1), self.phase))
            if self._sampler is not None:
                self._sampler.explain(self._last, now)
        self._last = now

    def start(self) -> None:
        self._last = self._started = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._last_proc = self._started_cpu = time.process_time()
        self._last_queued = _run_queue_delay()
        self._timer.start()
        if self._sampler is not None:
            self._sampler.start()

    def stop(self) -> None:
        self._timer.stop()
        self.process_cpu = time.process_time() - self._started_cpu
        self.wall = time.perf_counter() - self._started
        if self._sampler is not None:
            self._sampler.stop()
            self._sampler.report()

    def longest_ms(self) -> float:
        return (max(self.gaps) - self.INTERVAL) * 1000 if self.gaps else float("nan")

    def worst_ms(self, n: int = 5) -> list[float]:
        return [round((g - self.INTERVAL) * 1000, 1) for g in sorted(self.gaps)[-n:]]

    def p99_ms(self) -> float:
        return (percentile(self.gaps, 99) - self.INTERVAL) * 1000

    def worst_with_cpu(self, n: int = 5) -> list[tuple[float, float]]:
        """The `n` longest gaps (ms, timer interval removed) with the UI thread's CPU time
        in each (ms)."""
        pairs = sorted(zip(self.gaps, self.cpu, strict=True))[-n:]
        return [(round((g - self.INTERVAL) * 1000, 1), round(c * 1000, 1)) for g, c in pairs]

    def longest_parts_ms(self) -> dict[str, float]:
        """The longest gap split into where its time went (ms): the UI thread's CPU, the
        console's other threads' CPU, the UI thread waiting for a core, and the rest (asleep:
        in poll, or waiting for the GIL)."""
        if not self.gaps:
            return {}
        i = max(range(len(self.gaps)), key=self.gaps.__getitem__)
        gap, ui, others, queued = self.gaps[i], self.cpu[i], self.others[i], self.queued[i]
        return {
            "gap": round(gap * 1000, 1),
            "ui_cpu": round(ui * 1000, 1),
            "other_threads_cpu": round(others * 1000, 1),
            "waiting_for_a_core": round(queued * 1000, 1),
            "asleep": round(max(0.0, gap - ui - queued) * 1000, 1),
        }

    def longest_busy_ms(self) -> float:
        """The most CPU the UI thread spent in one gap: the longest stall of our own work."""
        return max(self.cpu) * 1000 if self.cpu else float("nan")


class StallSampler:
    """Samples the UI thread's stack every 2 ms while it is stalled (a diagnosis aid)."""

    def __init__(self, monitor: StallMonitor) -> None:
        import threading

        self.monitor = monitor
        self.ui_thread = threading.get_ident()
        self.samples: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.events: list[tuple[float, str]] = []
        self.explained: list[str] = []
        from PySide6.QtCore import QCoreApplication, QObject

        sampler = self

        class EventTrace(QObject):
            """Every event the UI thread delivers, with its time: what a stall was made of."""

            def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
                parent = obj.parent() if event.type().name == "Paint" else None
                where = f"{type(parent).__name__}." if parent is not None else ""
                sampler.events.append(
                    (time.perf_counter(), f"{event.type().name} -> {where}{type(obj).__name__}")
                )
                if len(sampler.events) > 5000:
                    del sampler.events[:2500]
                return False

        import gc

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                sampler._gc_start = time.perf_counter()
            else:
                took = time.perf_counter() - sampler._gc_start
                if took > 0.003:
                    sampler.events.append(
                        (sampler._gc_start, f"gc gen{info['generation']} ({took * 1000:.0f}ms)")
                    )

        self._gc_start = 0.0
        gc.callbacks.append(on_gc)
        self._trace = EventTrace()
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self._trace)

    def explain(self, start: float, end: float) -> None:
        """Summarise the events delivered during one stall (time until the next event)."""
        inside = [(t, what) for t, what in self.events if start <= t <= end]
        parts = []
        for i, (t, what) in enumerate(inside):
            following = inside[i + 1][0] if i + 1 < len(inside) else end
            if following - t > 0.004:
                parts.append(f"{what} {1000 * (following - t):.0f}ms")
        self.explained.append(f"{1000 * (end - start):.0f} ms: " + ", ".join(parts))

    def start(self) -> None:
        if os.environ.get("BENCH_STALL_STACKS") == "2":
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        import traceback

        while not self._stop.wait(0.002):
            if time.perf_counter() - self.monitor._last < 0.03:
                continue
            frame = sys._current_frames().get(self.ui_thread)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [
                f"{Path(f.filename).name}:{f.lineno} {f.name}"
                for f in stack
                if "qasync" not in f.filename and "asyncio" not in f.filename
            ][-8:]
            key = " < ".join(reversed(ours))
            self.samples[key] = self.samples.get(key, 0) + 1

    def report(self, top: int = 25) -> None:
        print("stalls, by the events inside them (each followed by the time until the next):")
        for line in self.explained[:40]:
            print("  " + line)
        total = sum(self.samples.values())
        print(f"stall samples (2 ms each, UI thread stalled >= 30 ms): {total}")
        for key, n in sorted(self.samples.items(), key=lambda kv: -kv[1])[:top]:
            print(f"  {n:5d}  {key}")
