"""The bundle's one program: the console, or (`dho-console backend ...`) the reference backend.

A frozen bundle has no `python -m server.cli` to start the embedded backend with, so the
console starts its own executable with the subcommand `backend` (console/services/embedded.py).
This file lives outside `console` and `server`, which stay separate programs.
"""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    if sys.argv[1:2] == ["backend"]:
        from server.cli import main as server_main

        return server_main(sys.argv[2:])
    from console.app import main as console_main

    return console_main(sys.argv[1:])


if __name__ == "__main__":
    multiprocessing.freeze_support()  # dho-server --workers N starts processes on Windows
    raise SystemExit(main())
