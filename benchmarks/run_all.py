"""Run every benchmark in turn and print their figures (see RESULTS.md for recorded ones)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in (
    "cold_start.py",
    "live_load.py",
    "alert_latency.py",
    "patient_view.py",
    "mapping.py",
    "review.py",
    "server_bench.py",
):
    print(f"== {script}", flush=True)
    code = subprocess.call([sys.executable, str(HERE / script)], cwd=HERE)
    if code:
        sys.exit(code)
