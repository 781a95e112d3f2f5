"""(a) Cold start to a populated patient list on the embedded default backend.

Runs `dho-console --screenshot` as a user would (it starts the backend as a child process),
with a database that already exists, five times, and reports the median time from launching
the process to the first paint of the patient list with its rows (the console logs
"patient list populated" then). Target: <= 2 s. Also reported: the time until the rest of the
workbench (alert queue, unread messages, leads, live feed) is ready ("workbench ready"),
which loads after the list is on screen.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, machine, median, user_env

RUNS = 5
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "300"))


def one_run(db: str, shot: Path) -> tuple[float, float, int, float]:
    env = user_env()
    t0 = time.time()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "console.app",
            "--db",
            db,
            "--seed-patients",
            str(PATIENTS),
            "--lang",
            "nb",
            "--screenshot",
            str(shot),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    wall = time.time() - t0
    if result.returncode != 0:
        raise RuntimeError(f"console failed ({result.returncode}):\n{result.stderr[-3000:]}")
    match = re.search(r"patient list populated: (\d+) rows at epoch ([\d.]+)", result.stderr)
    if not match:
        raise RuntimeError(f"no 'populated' line in:\n{result.stderr[-3000:]}")
    ready = re.search(r"workbench ready \(.*?\): \d+ rows at epoch ([\d.]+)", result.stderr)
    ready_s = float(ready.group(1)) - t0 if ready else float("nan")
    return float(match.group(2)) - t0, wall, int(match.group(1)), ready_s


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="dho-bench-") as tmp:
        db = f"sqlite:///{tmp}/dho.sqlite"
        shot = Path(tmp) / "shot.png"
        print(f"load average at the start: {os.getloadavg()}")
        first, _, rows, _ = one_run(db, shot)
        print(f"first start (creates and seeds the database): {first:.2f} s, {rows} rows")
        times, walls, readies = [], [], []
        for i in range(RUNS):
            populated, wall, rows, ready = one_run(db, shot)
            times.append(populated)
            walls.append(wall)
            readies.append(ready)
            print(
                f"run {i + 1}: populated after {populated:.3f} s ({rows} rows); workbench "
                f"ready after {ready:.3f} s; process {wall:.2f} s"
            )
        result = median(times)
        verdict = "met" if result <= 2.0 else "MISSED"
        print(f"machine: {machine()}")
        print(f"load average at the end: {os.getloadavg()}")
        print(f"workbench ready, median of {RUNS}: {median(readies):.3f} s")
        print(
            f"cold start to populated list, existing DB, {PATIENTS} patients, median of {RUNS}: "
            f"{result:.3f} s (target <= 2 s: {verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
