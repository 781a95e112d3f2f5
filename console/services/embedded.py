"""Run the reference backend as a child process for the embedded (no server configured) mode.

A child process, not a thread, so the simulator and JSON work never compete with the UI thread
for the GIL. The child picks a free port (`--port 0`) and says where it listens on its first
stdout line; its stderr goes to a log file, not to a pipe we would have to keep draining.
No Qt here: this runs in any asyncio loop, including qasync's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shlex
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "dho-console"
_LISTENING = re.compile(rb"listening on (https?://[^\s/]+(?::\d+)?/fhir)\b")
_MAX_LOG_BYTES = 5 * 2**20


class EmbeddedBackendError(RuntimeError):
    """The backend did not start; the message includes the last lines of its log."""


def backend_command(python: str | None = None, module: str = "server.cli") -> list[str]:
    """How to start the backend: `python -m server.cli` from a source tree or an install;
    in a frozen bundle (PyInstaller) the bundle's own program with the `backend` subcommand
    (packaging/dho_entry.py), as there is no Python interpreter beside it."""
    if python is None and getattr(sys, "frozen", False):
        return [sys.executable, "backend"]
    return [python or sys.executable, "-m", module]


def default_log_path(training: bool = False) -> Path:
    name = "training-backend.log" if training else "embedded-backend.log"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / name


def training_db_url() -> str:
    """The training backend's own database (`dho-console --training`), never the default
    embedded one: scenarios are loaded, run and reset there and nowhere else."""
    folder = Path(platformdirs.user_data_dir(APP_NAME))  # where the server keeps dho.sqlite
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'training.sqlite'}"


def configured_server(args: object, setting: Callable[[], str | None]) -> str | None:
    """The server `dho-console` was told to use, or None for the embedded backend:
    `--training URL`, `--server` (or DHO_SERVER_URL), else the setting `setting()` reads;
    `--training` alone: the embedded training backend."""
    training = getattr(args, "training", None)
    base_url = training or (None if training == "" else getattr(args, "server", None))
    if base_url is None and training is None:
        base_url = setting()
    return base_url or None


def embedded_for(args: object) -> EmbeddedBackend:
    """The embedded backend `dho-console`'s options ask for (`--seed-patients`, `--db`,
    `--training` with its own database and log)."""
    training = getattr(args, "training", None) is not None
    extra: list[str] = []
    seed_patients = getattr(args, "seed_patients", None)
    if seed_patients:
        extra += ["--seed-patients", str(seed_patients)]
    db = getattr(args, "db", None) or (training_db_url() if training else None)
    if db:
        extra += ["--db", db]
    # More `dho-server` options for the built-in backend (e.g. `--clock-start` for a
    # screenshot at the start of a shift), split like a shell would.
    extra += shlex.split(os.environ.get("DHO_EMBEDDED_ARGS", ""))
    return EmbeddedBackend(
        extra_args=extra, profile="training", log_path=default_log_path(training=training)
    )


class EmbeddedBackend:
    """Start, watch and stop `python -m server.cli --host 127.0.0.1 --port 0 ...` (in a
    bundle: `dho-console backend --host ...`).

    Seeding on first start can take several seconds: `start()` waits up to `start_timeout`
    and the caller shows "starting…" meanwhile.
    """

    def __init__(
        self,
        extra_args: Sequence[str] = (),
        *,
        python: str | None = None,
        start_timeout: float = 60.0,
        log_path: Path | None = None,
        env: Mapping[str, str] | None = None,
        module: str = "server.cli",
        profile: str = "training",
    ) -> None:
        # The embedded default is a simulated centre with training users: the training
        # profile (CONTRACTS.md), which also offers those users to choose at sign-in.
        self._args = [
            *backend_command(python, module),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--profile",
            profile,
            *extra_args,
        ]
        self._start_timeout = start_timeout
        self.log_path = log_path or default_log_path()
        self._env = env
        self._proc: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None
        self._log_start = 0
        self._drain: asyncio.Task[None] | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/fhir`, once started."""
        if self._base_url is None:
            raise RuntimeError("the embedded backend has not been started")
        return self._base_url

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def __aenter__(self) -> EmbeddedBackend:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> str:
        """Start the child and wait for its `listening on ...` line; return the base URL."""
        if self.running:
            return self.base_url
        self._open_log()
        assert self._log is not None
        log.info("starting the embedded backend: %s", " ".join(self._args[1:]))
        self._proc = await asyncio.create_subprocess_exec(
            *self._args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._log,
            env=self._child_env(),
        )
        try:
            self._base_url = await asyncio.wait_for(self._await_listening(), self._start_timeout)
        except TimeoutError:
            await self._abort()
            raise EmbeddedBackendError(
                f"the backend did not report a listening address within "
                f"{self._start_timeout:g} s{self._log_tail()}"
            ) from None
        except BaseException:  # EmbeddedBackendError, cancellation: never leave a child behind
            await self._abort()
            raise
        # Keep reading stdout so a chatty child never blocks on a full pipe.
        self._drain = asyncio.get_running_loop().create_task(
            self._copy_stdout(), name="EmbeddedBackend stdout"
        )
        log.info("embedded backend %d listening on %s", self._proc.pid, self._base_url)
        return self._base_url

    async def stop(self, grace: float = 5.0) -> int | None:
        """SIGTERM, then kill after `grace` s; reap the child and return its exit code."""
        proc = self._proc
        code: int | None = None
        if proc is not None:
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), grace)
                except TimeoutError:
                    log.warning("embedded backend %d ignored SIGTERM; killing it", proc.pid)
                    with contextlib.suppress(ProcessLookupError):
                        proc.kill()
                    await proc.wait()
            code = proc.returncode
        if self._drain is not None:
            drain, self._drain = self._drain, None
            try:
                await asyncio.wait_for(drain, 1.0)
            except (TimeoutError, asyncio.CancelledError):
                pass
        self._close_log()
        self._proc = None
        self._base_url = None
        return code

    def stop_sync(self, timeout: float = 5.0) -> None:
        """Blocking stop for atexit and crash paths, when the event loop may be gone."""
        proc = self._proc
        if proc is None or proc.returncode is not None:
            self._close_log()
            return
        pid = proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not _wait_pid(pid, timeout):
            kill = getattr(signal, "SIGKILL", signal.SIGTERM)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, kill)
            _wait_pid(pid, timeout)
        self._close_log()

    # -- internals ---------------------------------------------------------------------------

    async def _await_listening(self) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        while True:
            line = await self._proc.stdout.readline()
            if not line:
                code = await self._proc.wait()
                raise EmbeddedBackendError(
                    f"the backend exited with code {code} before it was ready{self._log_tail()}"
                )
            self._write_log(line)
            match = _LISTENING.search(line)
            if match:
                return match.group(1).decode()

    async def _copy_stdout(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        while line := await self._proc.stdout.readline():
            self._write_log(line)

    async def _abort(self) -> None:
        proc = self._proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        self._close_log()
        self._proc = None

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ if self._env is None else self._env)
        env["PYTHONUNBUFFERED"] = "1"
        # Running from a source tree: make `server` importable for the child.
        root = Path(__file__).resolve().parents[2]
        if (root / "server" / "__init__.py").is_file():
            paths = [str(root), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
            env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        return env

    def _open_log(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            if self.log_path.stat().st_size > _MAX_LOG_BYTES:
                self.log_path.replace(self.log_path.with_suffix(".log.1"))
        self._log = open(self.log_path, "ab")  # lives as long as the child
        self._log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting backend\n".encode())
        self._log.flush()
        self._log_start = self._log.tell()

    def _write_log(self, line: bytes) -> None:
        if self._log is not None and not self._log.closed:
            self._log.write(b"[stdout] " + line)
            self._log.flush()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def _log_tail(self, lines: int = 15) -> str:
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self._log_start)
                text = fh.read().decode(errors="replace")
        except OSError:
            return ""
        tail = [line for line in text.splitlines() if line.strip()][-lines:]
        if not tail:
            return f" (nothing in {self.log_path})"
        return f"; last lines of {self.log_path}:\n" + "\n".join(tail)


def _wait_pid(pid: int, timeout: float) -> bool:
    """Poll until the child is gone (reaped by us or by asyncio's watcher); True if it is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True  # already reaped elsewhere
        except OSError:
            return True
        if done:
            return True
        time.sleep(0.05)
    return False
