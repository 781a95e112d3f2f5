"""Start the real reference backend as a subprocess for tests in any folder.

    with start_backend(tmp_path, seed_patients=30) as backend:
        httpx.get(f"{backend.base_url}/Patient")

The child's stderr goes to a file in ``tmp_path`` (no reader thread to leak); the listening line is
read from stdout with ``select`` so a hung start fails after ``timeout`` seconds instead of
blocking the test run.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"^listening on (http://\S+/fhir)$")


class BackendError(RuntimeError):
    pass


class RunningBackend:
    """A started ``python -m server.cli``; stop it (or use ``with``) to end it."""

    def __init__(
        self, proc: subprocess.Popen[bytes], base_url: str, stderr_path: Path, db_url: str
    ) -> None:
        self.proc = proc
        self.base_url = base_url
        self.ws_url = base_url.replace("http://", "ws://", 1).rsplit("/fhir", 1)[0] + (
            "/ws/notifications"
        )
        self.stderr_path = stderr_path
        self.db_url = db_url

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1].split("/", 1)[0])

    def token(self, user: str = "admin", minutes: float = 60) -> str:
        """An access token for ``user`` (``dho-server token``; needs ``auth=True`` to matter)."""
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "server.cli",
                "token",
                user,
                "--db",
                self.db_url,
                "--minutes",
                str(minutes),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=_child_env(),
            timeout=60,
            check=True,
        )
        return done.stdout.strip()

    def stderr_text(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self, timeout: float = 15.0) -> int:
        """Terminate (SIGTERM), wait, close the pipe; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return self.proc.returncode

    def __enter__(self) -> RunningBackend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_backend(
    tmp_path: Path,
    *,
    seed_patients: int = 30,
    simulate: bool = False,
    history_days: int = 3,
    db_url: str | None = None,
    extra_args: Sequence[str] = (),
    port: int = 0,
    speed: float | None = None,
    heartbeat: float | None = None,
    timeout: float = 60.0,
    auth: bool = False,
) -> RunningBackend:
    """Launch the backend on 127.0.0.1 and wait for its listening line.

    The database defaults to ``tmp_path/dho.sqlite``, so starting again with the same
    ``tmp_path`` (and ``port``) restarts the same backend without reseeding. ``auth=False``
    (the default) runs it with ``--auth off``; tests of sign-in pass ``auth=True`` and get
    tokens with :meth:`RunningBackend.token`.
    """
    tmp_path.mkdir(parents=True, exist_ok=True)
    db_url = db_url or f"sqlite:///{tmp_path / 'dho.sqlite'}"
    args = [
        sys.executable,
        "-m",
        "server.cli",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        db_url,
        "--seed-patients",
        str(seed_patients),
        "--history-days",
        str(history_days),
    ]
    if not simulate:
        args.append("--no-simulate")
    if speed is not None:
        args += ["--speed", str(speed)]
    if heartbeat is not None:
        args += ["--heartbeat", str(heartbeat)]
    args += ["--auth", "on" if auth else "off"]
    args += list(extra_args)
    n = 0
    while (tmp_path / f"backend-{n}.log").exists():
        n += 1
    stderr_path = tmp_path / f"backend-{n}.log"
    with stderr_path.open("wb") as err:
        proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=err, cwd=ROOT, env=_child_env()
        )
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    buffer = b""
    while b"\n" not in buffer:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _abort(proc)
            raise BackendError(f"backend did not start within {timeout}s; see {stderr_path}")
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.5))
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                _abort(proc)
                raise BackendError(
                    f"backend exited with {proc.returncode} before listening:\n"
                    + stderr_path.read_text(errors="replace")[-3000:]
                )
            buffer += chunk
    line = buffer.split(b"\n", 1)[0].decode()
    match = LISTENING.match(line)
    if match is None:
        _abort(proc)
        raise BackendError(f"unexpected first line from backend: {line!r}")
    return RunningBackend(proc, match.group(1), stderr_path, db_url)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONWARNINGS", None)
    return env


def _abort(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
