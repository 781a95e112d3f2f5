"""`dho-console`: the Qt application, the asyncio loop inside it, and the backend if needed."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.services.embedded import EmbeddedBackend

log = logging.getLogger("console")
#: Id of packaging/linux/*.desktop and *.metainfo.xml.
DESKTOP_ID = "example.dho.Console"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="dho-console",
        description="Response-centre console for digital home follow-up (HL7 FHIR R4).",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="FHIR base URL (else DHO_SERVER_URL or the server/url setting); without one the "
        "built-in training backend is started",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        type=Path,
        help="render the main window to a PNG once the patient list is populated, then exit",
    )
    parser.add_argument(
        "--view",
        default="list",
        metavar="VIEW",
        help="what to show first: list, queue, handover, review, inbox, access-log, "
        "patient/<id>, messages/<id>, locked[/<id>] (locked over a patient), signin (the "
        "sign-in panel), training (the trainer's controls) or debrief (with --screenshot: what "
        "to render; review, inbox and access-log are rendered signed in as a department lead, "
        "training and debrief as a superuser)",
    )
    parser.add_argument(
        "--training",
        nargs="?",
        const="",
        default=None,
        metavar="URL",
        help="training mode: start the built-in training backend with its own database, or "
        "join the training backend at URL; the console refuses a server that is not one",
    )
    parser.add_argument("--lang", choices=["nb", "nn", "en"], help="user interface language")
    parser.add_argument(
        "--seed-patients",
        type=int,
        default=None,
        help="patients to seed when the built-in backend creates a new database",
    )
    parser.add_argument(
        "--db", metavar="URL", help="database of the built-in backend (default: user data dir)"
    )
    parser.add_argument(
        "--size",
        default=None,
        help="window size, e.g. 1920x1080 (default: the screen's free area, at most "
        "1920x1080; 1920x1080 for --screenshot)",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from console.memtrim import limit_arenas

    limit_arenas()  # before the first thread (console/memtrim.py)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # One line per HTTP request drowns what matters; -v shows them again.
    logging.getLogger("httpx").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    import qasync
    from PySide6.QtWidgets import QApplication

    from console import settings
    from console.i18n import install_translators, pick_language

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("dho-console")
    app.setOrganizationName("DHO")
    app.setQuitOnLastWindowClosed(False)  # the coroutine decides when to quit, after clean-up
    app.setDesktopFileName(DESKTOP_ID)  # the .desktop file and AppStream id of the installers
    icon = Path(__file__).resolve().parent.parent / "resources" / "icons" / "dho-console.svg"
    if icon.is_file():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    problems = settings.check()
    if problems:
        report_bad_settings(problems)
        return 2
    translators = install_translators(app, pick_language(args.lang))
    from console.gc_timer import MainThreadCollector

    collector = MainThreadCollector()
    try:
        return int(qasync.run(run(args)) or 0)
    finally:
        collector.stop()
        del translators


def report_bad_settings(problems: Sequence[str]) -> None:
    """A bad setting stops the start with a message saying which, where and what is expected
    (on stderr, and in a dialog when there is a screen to show one)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    from console import settings

    text = "dho-console cannot start: some settings have values it cannot use.\n\n" + "\n".join(
        f"- {p}" for p in problems
    )
    text += (
        "\n\nEvery setting is described in docs/settings.md "
        f"(system-wide file: {settings.system_file()})."
    )
    print(text, file=sys.stderr)
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        QMessageBox.critical(None, "DHO", text)


async def start_embedded_early(
    args: argparse.Namespace,
) -> tuple[EmbeddedBackend, asyncio.Task[str]] | None:
    """Without a server configured, start the built-in backend first: its start (~1 s) then
    runs on the other core while this process imports and builds the window."""
    from console import settings
    from console.services.embedded import configured_server, embedded_for

    if configured_server(args, settings.server_url):
        return None
    backend = embedded_for(args)
    starting = asyncio.create_task(backend.start(), name="embedded-backend-start")
    await asyncio.sleep(0)  # runs the task up to its first wait: the child is spawned
    return backend, starting


def _warm_up(keyring_warm: Callable[[], None]) -> None:
    """Work a worker thread does at start-up so the UI thread does not wait for it later."""
    import importlib

    try:
        keyring_warm()
    except Exception:  # the sign-in reports a broken keyring itself
        log.debug("keyring warm-up failed", exc_info=True)
    importlib.import_module("console.ui.workbench")


async def run(args: argparse.Namespace) -> int:
    """The console's life: window, backend, first load, live updates, clean shutdown."""
    early = await start_embedded_early(args)
    from console.memtrim import trim_forever
    from console.services import secrets

    trimmer = asyncio.create_task(trim_forever(), name="malloc-trim")

    # On the first loop turn, while the backend starts: the keyring's backends, then the
    # workbench's modules (the patient view, its plots), which are built after the list.
    warm = asyncio.create_task(asyncio.to_thread(_warm_up, secrets.warm), name="warm-up")
    from console.ui.session import ConsoleSession

    session = ConsoleSession(args, early_backend=early)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, session.request_quit)
        except (NotImplementedError, RuntimeError):
            pass
    try:
        return await session.run()
    finally:
        trimmer.cancel()
        await asyncio.gather(warm, trimmer, return_exceptions=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError):
                pass


if __name__ == "__main__":
    raise SystemExit(main())
