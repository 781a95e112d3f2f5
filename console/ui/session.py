"""One run of the console: ties the window, the backend connection and the live feed together.

Every task started here is kept in `self._tasks` and cancelled on quit; the httpx client is
closed and the embedded backend stopped, so shutdown is clean and nothing leaks.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from console import settings
from console.domain.alerts import Operator
from console.domain.clock import ServerClock
from console.domain.model import ConnectionMode, ConnectionState
from console.fhir.auth import AuthClient, AuthError, jwt_claims
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirUnavailable
from console.fhir.identity import Identity, resolve_identity
from console.i18n import current_language
from console.services.centre import (
    LIVE_TYPES,
    CentreService,
    Feed,
    LoadReport,
    settle_after_load,
)
from console.services.embedded import EmbeddedBackend, configured_server, embedded_for
from console.services.live import make_feed_factory
from console.services.outbox import unsent_warning
from console.services.signin import AuthSession, SignedInUser, TrainingUser
from console.services.training import TrainingService
from console.state.patient_list import LIVE_RESORT_DELAY_MS, PatientListModel
from console.tasks import bounded, cancel_and_wait
from console.ui.lock import LockOverlay, TrainingChoice
from console.ui.main_window import MainWindow
from console.ui.training import TrainingFeature, start_training_console
from console.ui.training_mark import TrainingBanner, TrainingMarker, stamp
from widgets.alert_sound import QtSoundPlayer
from widgets.inactivity import InactivityWatcher

if TYPE_CHECKING:
    # Imported when first built, after the list is on screen: with the patient view and its
    # plots (pyqtgraph, numpy) it is half of the console's import time (console.app warms it
    # in a worker thread while the backend starts).
    from console.ui.workbench import Workbench

log = logging.getLogger(__name__)

#: Seconds after opening the browser before the sign-in address is shown as well.
BROWSER_FALLBACK_S = 15.0
# Views rendered as a department lead by `--screenshot` on the embedded backend.
LEAD_VIEWS = ("review", "inbox", "access-log")
# Views rendered as a superuser (the trainer) by `--screenshot` on the embedded backend.
TRAINER_VIEWS = ("training", "debrief")
USERNAME_SYSTEM = "http://dho.example/fhir/sid/username"


class _FirstPaint(QObject):
    """Calls `done` once, just after the watched widget's next paint."""

    def __init__(self, done: Callable[[], None]) -> None:
        super().__init__()
        self._done: Callable[[], None] | None = done

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if event.type() == QEvent.Type.Paint and self._done is not None:
            done, self._done = self._done, None
            QTimer.singleShot(0, done)  # after this paint has been drawn
        return False


class NotATrainingServer(FhirError):
    """`--training` named a server whose profile is not `training`."""


class _CloseWatcher(QObject):
    """Turns closing the window into a quit request, unless `may_close` says to wait (it
    then asks the user, e.g. about unsent messages, and quits itself if they agree)."""

    closed = Signal()

    def __init__(self, may_close: Callable[[], bool] = lambda: True) -> None:
        super().__init__()
        self._may_close = may_close

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if isinstance(event, QCloseEvent):
            if not self._may_close():
                event.ignore()
                return True
            self.closed.emit()
        return False


def lock_minutes() -> float:
    """Inactivity lock delay: DHO_LOCK_MINUTES, else the setting, else 15 minutes (0 = off)."""
    return settings.lock_minutes()


def role_text(role: str) -> str:
    return {
        "nurse": QCoreApplication.translate("ConsoleSession", "nurse"),
        "lead": QCoreApplication.translate("ConsoleSession", "department lead"),
        "superuser": QCoreApplication.translate("ConsoleSession", "superuser"),
        "admin": QCoreApplication.translate("ConsoleSession", "administrator"),
    }.get(role, role)


class ConsoleSession:
    """Runs until the window closes (or, with --screenshot, until the PNG is written)."""

    #: Longest wait for a step of the shutdown (seconds; some steps get a multiple).
    STOP_STEP_S = 5.0

    def __init__(
        self,
        args: argparse.Namespace,
        early_backend: tuple[EmbeddedBackend, asyncio.Task[str]] | None = None,
    ) -> None:
        self.args = args
        #: The embedded backend `console.app` started before the window was built (its start
        #: overlaps the console's own imports and window on the other core), and its start.
        self._early_backend = early_backend
        #: The server's clock (fed from every answer): ages, timers and the times we write.
        self.clock = ServerClock()
        # Rows move at most once a second under live load (values update at once).
        self.model = PatientListModel(resort_delay_ms=LIVE_RESORT_DELAY_MS, now=self.clock.now)
        self.window = MainWindow(self.model, server_time=self.clock.at)
        self.backend: EmbeddedBackend | None = early_backend[0] if early_backend else None
        self.client: FhirClient | None = None
        self.service: CentreService | None = None
        self.exit_code = 0
        self.started = time.perf_counter()
        self.load_report: LoadReport | None = None
        self._quit = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        if early_backend is not None:
            self._tasks.add(early_backend[1])  # cancelled on an early quit, like ours
            early_backend[1].add_done_callback(self._tasks.discard)
        self._first_paint: _FirstPaint | None = None
        self._watcher = _CloseWatcher(self._may_quit)
        self._watcher.closed.connect(self.request_quit)
        self.quit_question: QMessageBox | None = None
        self.window.quit_requested.connect(self.ask_quit)
        self.window.handover_requested.connect(self._open_handover)
        self.window.installEventFilter(self._watcher)
        self.auth: AuthSession | None = None
        self.workbench: Workbench | None = None
        self.identity = Identity()
        self.alert_side = "server"
        self._signed_in = asyncio.Event()
        self.overlay = LockOverlay(self.window)
        self.overlay.unlock_requested.connect(self._browser_sign_in)
        self.overlay.training_user_chosen.connect(self._training_sign_in)
        self.window.alert_summary_changed.connect(self.overlay.set_alert_counts)
        self._training: list[TrainingChoice] = []
        self.idle = InactivityWatcher(int(lock_minutes() * 60_000), self.window)
        self.idle.idle.connect(self._lock)
        self.window.lock_requested.connect(self._lock)
        self.window.sign_out_requested.connect(self._sign_out)
        #: The TRENING / TRAINING mark, switched on from the server's profile (never the URL).
        self.marker = TrainingMarker(self.window)
        self.training_server = False
        self.training_feature: TrainingFeature | None = None
        self.training_service: TrainingService | None = None
        self._restart_training = False

    def request_quit(self) -> None:
        self._quit.set()

    def unsent_messages(self) -> int:
        return self.workbench.messaging.pending_count() if self.workbench is not None else 0

    def ask_quit(self) -> None:
        """Ctrl+Q and closing the window: quit, after asking when messages are unsent."""
        if self._may_quit():
            self.request_quit()

    def _may_quit(self) -> bool:
        """True to quit now; False while the user is asked about unsent messages (the
        question quits by itself when they choose to)."""
        count = self.unsent_messages()
        if not count or self._quit.is_set():
            return True
        if self.quit_question is None:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("ConsoleSession", "Quit the console?"),
                unsent_warning(count),
                QMessageBox.StandardButton.NoButton,
                self.window,
            )
            leave = box.addButton(
                QCoreApplication.translate("ConsoleSession", "&Quit anyway"),
                QMessageBox.ButtonRole.DestructiveRole,
            )
            stay = box.addButton(
                QCoreApplication.translate("ConsoleSession", "&Stay and send"),
                QMessageBox.ButtonRole.RejectRole,
            )
            box.setDefaultButton(stay)
            box.setAccessibleName(QCoreApplication.translate("ConsoleSession", "Quit the console?"))

            def answered(_result: int) -> None:
                self.quit_question = None
                box.deleteLater()
                if box.clickedButton() is leave:
                    self.request_quit()

            box.finished.connect(answered)
            self.quit_question = box
            box.open()
        return False

    def _open_handover(self) -> None:
        if self.workbench is not None and not self.overlay.is_locked():
            self.workbench.open_handover()

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Start a task we keep a reference to; its failure is logged and shown, not lost."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("task %s failed", task.get_name(), exc_info=exc)
            self.window.set_connection(
                ConnectionState(ConnectionMode.OFFLINE, detail=f"{task.get_name()}: {exc}")
            )
            if self.args.screenshot:
                self.exit_code = 1
                self.request_quit()

    def _place_window(self) -> None:
        """The asked size; else the screen's free area (a 1366x768 laptop gets a window that
        fits it, not one cut off at the right), at most 1920x1080; screenshots and screenless
        runs 1920x1080."""
        offscreen = QGuiApplication.platformName() in ("offscreen", "minimal")
        size = self.args.size or ("1920x1080" if self.args.screenshot or offscreen else "")
        if size:
            width, _, height = str(size).partition("x")
            self.window.resize(int(width), int(height))
            return
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.window.resize(1920, 1080)
            return
        free = screen.availableGeometry()
        if free.width() <= 1920 and free.height() <= 1080:
            self.window.setGeometry(free)
            self.window.setWindowState(self.window.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.window.resize(1920, 1080)
            frame = self.window.frameGeometry()
            frame.moveCenter(free.center())
            self.window.move(frame.topLeft())

    async def run(self) -> int:
        self._place_window()
        self.window.show()
        self.spawn(self._connect_and_load(), "connect-and-load")
        try:
            await self._quit.wait()
        finally:
            await self._shutdown()
        return self.exit_code

    async def _connect_and_load(self) -> None:
        # --training URL, --server / DHO_SERVER_URL, else the setting (user scope, then the
        # system-wide file municipal IT installs), else the embedded training backend;
        # `--training` alone: the embedded training backend on its own database.
        training = getattr(self.args, "training", None)
        base_url = (
            None if self._early_backend else configured_server(self.args, settings.server_url)
        )
        if not base_url:
            self.window.set_connection(
                ConnectionState(
                    ConnectionMode.STARTING,
                    detail=QCoreApplication.translate(
                        "ConsoleSession", "Starting the built-in training backend…"
                    ),
                )
            )
            if self._early_backend is not None:
                self.backend, starting = self._early_backend
                await starting
            else:
                self.backend = embedded_for(self.args)
                await self.backend.start()
            base_url = self.backend.base_url
        self.window.set_server(base_url)
        self.client = FhirClient(base_url, token=self._token, clock=self.clock)
        try:
            await self._check_training(training is not None)
        except NotATrainingServer as exc:
            # Said where a trainee looks, and nothing is loaded: no real patient on screen.
            log.warning("%s", exc)
            self.window.set_connection(ConnectionState(ConnectionMode.OFFLINE, detail=str(exc)))
            self.window.set_notice(
                "training",
                QCoreApplication.translate("ConsoleSession", "Not a training server"),
                str(exc),
            )
            if self.args.screenshot:
                self.exit_code = 1
                self.request_quit()
            return
        if self.backend is None:
            account = base_url
        else:
            account = (
                f"embedded:{self.args.db or ('training' if training is not None else 'default')}"
            )
        self.auth = AuthSession(AuthClient(self.client), account)
        self.auth.signed_in.connect(self._show_user)
        self.auth.signed_out.connect(self._signed_out)
        await self._sign_in()
        self.service = CentreService(self.client, self.model, feed_factory=self._feed_factory)
        self.service.connection_changed.connect(self.window.set_connection)
        self.window.centre_changed.connect(self.service.select)
        self.window.set_connection(ConnectionState(ConnectionMode.CONNECTING))
        report = await self._load_with_retry(self.service)
        self.load_report = report
        self.window.set_centres(self.service.choices)
        self.service.select(0)
        self._announce_first_paint()
        self.identity = await self._identity()
        self.alert_side = (await self.client.capabilities()).alert_side
        self.workbench = self._make_workbench(self.service)
        self._show_alert_side()
        self.window.centre_changed.connect(self._centre_changed)
        self.service.measurements_applied.connect(self.workbench.apply_measurements)
        self.training_feature = self._make_training()
        await self.workbench.load(self._departments(0), list(self.model.patient_ids()))
        settle_after_load()
        self.service.start_live()
        if self.auth.user is not None:
            self._show_user(self.auth.user)  # organisation names are known now
        log.info(
            "workbench ready (alerts, messages, live): %d rows at epoch %.6f",
            self.model.rowCount(),
            time.time(),
        )
        log.info(
            "loaded %d patients and %d latest values in %.2f s (%.2f s since start)",
            report.patients,
            report.observations,
            report.seconds,
            time.perf_counter() - self.started,
        )
        view = getattr(self.args, "view", "list") or "list"
        if view != "list":
            await self.show_view(view)
        if self.args.screenshot:
            await self._screenshot()

    def _announce_first_paint(self) -> None:
        """Log the moment the list is first painted with its rows (benchmarks/cold_start.py,
        the packaging smoke test); the alert queue and messages load after it."""

        def painted() -> None:
            if self._first_paint is not None:
                self.window.table.viewport().removeEventFilter(self._first_paint)
                self._first_paint = None
            log.info(
                "patient list populated: %d rows at epoch %.6f", self.model.rowCount(), time.time()
            )

        self._first_paint = _FirstPaint(painted)
        self.window.table.viewport().installEventFilter(self._first_paint)
        self.window.table.viewport().update()

    # ----- the workbench: alerts, patients, messages ----------------------------------------

    def _feed_factory(
        self,
        on_resources: Callable[[list[dict[str, Any]]], None],
        on_state: Callable[[ConnectionState], None],
        since: datetime | None,
    ) -> Feed:
        """One live feed for every follower: the list, the alert queue, the messages."""
        assert self.client is not None

        def dispatch(resources: list[dict[str, Any]]) -> None:
            on_resources(resources)
            if self.workbench is not None:
                self.workbench.receive(resources)

        factory = make_feed_factory(self.client, resource_types=LIVE_TYPES)
        return factory(dispatch, on_state, since)

    async def _identity(self) -> Identity:
        """The person behind the token (fhirUser, else the server's user endpoint)."""
        assert self.client is not None
        tokens = self.auth.token() if self.auth is not None else None
        claims = jwt_claims(tokens) if tokens else {}
        try:
            return await resolve_identity(self.client, claims)
        except FhirError as exc:
            log.info("could not tell who is signed in: %s", exc)
            return Identity()

    def _show_alert_side(self) -> None:
        """Say who raises alerts (the server's rules or this console's) and whether this
        sign-in may claim them."""
        if self.workbench is None:
            return
        self.window.set_alert_side(self.workbench.alert_side)
        if not self.workbench.alerts.can_act:
            self.window.set_notice(
                "not-a-person",
                self.workbench.alerts.not_a_person_short(),
                self.workbench.alerts.not_a_person_text(),
            )

    def _make_workbench(self, service: CentreService) -> Workbench:
        from console.ui.workbench import Workbench

        assert self.client is not None
        user = self.auth.user if self.auth is not None else None
        identity = self.identity
        if user is not None:
            principal = Operator(
                # Only a person may own an alert: never a client id as "Practitioner/<id>".
                identity.id if identity.is_person else "",
                user.name,
                user.roles[0] if user.roles else "nurse",
                user.organizations,
            )
            roles: tuple[str, ...] = user.roles
        else:  # a server without sign-in: act as an unnamed operator
            principal = Operator("", QCoreApplication.translate("ConsoleSession", "Unknown user"))
            roles = ("nurse",)
        sound, no_sound = self._sound_player()
        return Workbench(
            self.client,
            self.window,
            self.model,
            principal,
            roles=roles,
            organizations=service.organizations,
            sound=sound,
            no_sound=no_sound,
            alert_side=self.alert_side,
            role_text=", ".join(role_text(r) for r in roles),
            now=self.clock.now,
        )

    def _sound_player(self) -> tuple[QtSoundPlayer | None, str]:
        """The alert sound, or (None, why) with a visible notice when it will not play.

        `sound/enabled` = off (DHO_SOUND=off) silences it on purpose; a machine without an
        audio output gets a notice, because a nurse must know that alerts will not be heard.
        """
        if self.args.screenshot or not settings.sound_enabled():
            why = QCoreApplication.translate(
                "ConsoleSession",
                "The alert sound is switched off in the settings (sound/enabled): alerts are "
                "shown but not heard.",
            )
            if not self.args.screenshot:
                self.window.set_notice(
                    "sound", QCoreApplication.translate("ConsoleSession", "Sound off"), why
                )
            return None, why
        from PySide6.QtMultimedia import QMediaDevices

        if not QMediaDevices.audioOutputs():
            why = QCoreApplication.translate(
                "ConsoleSession",
                "No sound output found: alerts are shown but will not be heard.",
            )
            self.window.set_notice(
                "sound", QCoreApplication.translate("ConsoleSession", "No sound output"), why
            )
            return None, why
        return QtSoundPlayer(), ""

    def _departments(self, index: int) -> tuple[str, ...] | None:
        if self.service is None or not 0 <= index < len(self.service.choices):
            return None
        return self.service.choices[index].departments

    def _centre_changed(self, index: int) -> None:
        if self.workbench is not None:
            self.workbench.set_departments(self._departments(index))

    async def show_view(self, view: str) -> None:
        """Bring up what --view names and wait until it has its data."""
        if self.workbench is None:
            return
        kind, _, target = view.partition("/")
        if kind in ("patient", "messages") and target:
            self.workbench.open_patient(target, messages=kind == "messages")
            await self.workbench.page_loads[target]
        elif kind == "handover":
            self.workbench.open_handover()
        elif kind == "queue":
            self.window.show_patient_list()
        elif kind == "review":
            review = self.workbench.open_review()
            if review.service is not None:
                await self._wait_for_review(review.service)
                review.flush()
        elif kind == "inbox":
            self.workbench.open_inbox()
            if not self.workbench.inbox.loaded:
                await self.workbench.inbox.load()
        elif kind == "access-log":
            log_view = self.workbench.open_access_log()
            if log_view.allowed:
                log_view.search()
                await asyncio.sleep(2.0)
        elif kind in TRAINER_VIEWS and self.training_feature is not None:
            if kind == "training":
                self.training_feature.open_trainer()
            else:
                self.training_feature.open_debrief()
            await asyncio.sleep(2.0)  # the scenarios, the status and the scores come in
        elif kind == "locked":
            # The lock over real data: a patient open (the first, or the one named).
            pid = target or next(iter(self.model.patient_ids()), "")
            if pid:
                self.workbench.open_patient(pid)
                await self.workbench.page_loads[pid]
            self.overlay.lock()
            self.overlay.set_training_users(self._training)
        await asyncio.sleep(0.3)

    async def _wait_for_review(self, service: Any) -> None:
        """Until the review has its figures (or said why not), at most two minutes."""
        done = asyncio.Event()
        service.loaded.connect(lambda _r: done.set())
        service.failed.connect(lambda _t: done.set())
        if service.review is not None:
            return
        try:
            await asyncio.wait_for(done.wait(), 120)
        except TimeoutError:
            log.warning("the review did not load within two minutes")

    # ----- training mode (issue 13) ------------------------------------------------------------

    async def _check_training(self, asked: bool) -> None:
        """The mark from the server's profile (never the URL); `--training` on a server that
        is not a training backend stops here, before any patient data is shown."""
        assert self.client is not None
        try:
            profile = (await self.client.capabilities()).server_profile
        except FhirError as exc:
            if asked:
                raise
            log.info("no capability statement yet: %s", exc)
            return
        self.training_server = profile == "training"
        if self.training_server:
            self.marker.set_active(True)
            self.window.set_training_banner(TrainingBanner(self.window))
        elif asked:
            text = QCoreApplication.translate(
                "ConsoleSession",
                "%1 is not a training server (its profile is “%2”): the console does not "
                "start training mode on it.",
            )
            raise NotATrainingServer(
                text.replace("%1", self.client.base_url).replace("%2", profile or "–")
            )

    def _make_training(self) -> TrainingFeature:
        assert self.client is not None
        user = self.auth.user if self.auth is not None else None
        roles = user.roles if user is not None else ()
        if self.training_server:
            self.training_service = TrainingService(self.client, roles, parent=self.window)
        feature = TrainingFeature(
            self.window,
            self.training_service,
            training=self.training_server,
            embedded_default=self.backend is not None
            and getattr(self.args, "training", None) is None,
            role_text=", ".join(role_text(r) for r in roles),
            author=user.name if user is not None else "",
            patients=self._patient_names,
            now=self.clock.now,
        )
        feature.restart_requested.connect(self._restart_in_training)
        if self.training_server:
            self.spawn(self._fill_trainees(feature), "training-trainees")
        return feature

    async def _fill_trainees(self, feature: TrainingFeature) -> None:
        """The training accounts a trainer may choose (nurses), from the sign-in list."""
        assert self.auth is not None
        users = await self.auth.training_users()
        feature.set_trainees(
            [(u.username, u.name) for u in users if any(role == "nurse" for role, _ in u.roles)]
        )

    def _patient_names(self) -> list[tuple[str, str]]:
        out = []
        for pid in self.model.patient_ids():
            summary = self.model.summary(pid)
            out.append((pid, summary.patient.name if summary else pid))
        return out

    def _restart_in_training(self) -> None:
        """Quit (asking about unsent messages as always) and start `dho-console --training`."""
        self._restart_training = True
        if self._may_quit():
            self.request_quit()

    def _restart_arguments(self) -> list[str]:
        out = []
        if getattr(self.args, "lang", None):
            out += ["--lang", self.args.lang]
        if getattr(self.args, "size", None):
            out += ["--size", str(self.args.size)]
        return out

    # ----- sign-in, lock, sign-out -------------------------------------------------------------

    def _token(self) -> str | None:
        return self.auth.token() if self.auth is not None else None

    async def _sign_in(self) -> None:
        """Silent ways first; the training user on the embedded backend when automated;
        otherwise the panel that hides the patient data: the browser, or (a training
        backend) its training users to choose from in the window."""
        assert self.auth is not None
        if await self.auth.start():
            self._warn_if_no_secure_store()
            return
        view = getattr(self.args, "view", "list") or "list"
        if self.backend is not None and self.args.screenshot and view != "signin":
            await self.auth.sign_in_training()
            view = (getattr(self.args, "view", "") or "").partition("/")[0]
            if view in LEAD_VIEWS or view in TRAINER_VIEWS:
                # The lead's views are rendered as the lead of the response centre, the
                # trainer's as a superuser.
                lead = await self._training_lead("lead" if view in LEAD_VIEWS else "superuser")
                if lead:
                    await self.auth.sign_in_training(lead)
            return
        self._training = await self._training_choices()
        if self.args.screenshot and view == "signin":  # a picture of the sign-in panel
            self.overlay.ask_sign_in(training=self._training)
            await asyncio.sleep(0.3)
            await self._screenshot()
            await asyncio.Event().wait()  # the session quits around us
        self._signed_in.clear()
        self.overlay.ask_sign_in(training=self._training)
        await self._signed_in.wait()
        self._warn_if_no_secure_store()

    async def _training_lead(self, wanted: str = "lead") -> str | None:
        """User name of a training lead (or `wanted`), preferably of a response centre
        (embedded backend)."""
        assert self.client is not None
        result = await self.client.search_all(
            "PractitionerRole",
            [
                ("role", wanted),
                ("_include", "PractitionerRole:practitioner"),
                ("_include", "PractitionerRole:organization"),
            ],
        )
        usernames = {}
        centres = set()
        for resource in result.included:
            if resource.get("resourceType") == "Practitioner":
                for ident in resource.get("identifier") or ():
                    if ident.get("system") == USERNAME_SYSTEM:
                        usernames[resource.get("id")] = ident.get("value")
            elif resource.get("resourceType") == "Organization":
                kinds = {
                    c.get("code") for t in resource.get("type") or () for c in t.get("coding") or ()
                }
                if "response-centre" in kinds:
                    centres.add(resource.get("id"))
        leads = []
        for role in result.matches:
            pid = str((role.get("practitioner") or {}).get("reference", "")).rsplit("/", 1)[-1]
            org = str((role.get("organization") or {}).get("reference", "")).rsplit("/", 1)[-1]
            if pid in usernames:
                leads.append((org not in centres, str(usernames[pid])))
        return min(leads)[1] if leads else None

    async def _training_choices(self) -> list[TrainingChoice]:
        """The training users to offer, when the server says it is a training backend."""
        assert self.auth is not None and self.client is not None
        try:
            profile = (await self.client.capabilities()).server_profile
        except FhirError:
            return []
        if profile != "training":
            return []
        users = await self.auth.training_users()
        order = {"nurse": 0, "lead": 1, "superuser": 2, "admin": 3}

        def rank(user: TrainingUser) -> tuple[int, int, str]:
            first = min((order.get(role, 9) for role, _org in user.roles), default=9)
            # A nurse of a response centre first: who a training session usually starts as.
            at_centre = any("responssenter" in org.lower() for _role, org in user.roles)
            return (first, 0 if at_centre else 1, user.name)

        return [self._choice(u) for u in sorted(users, key=rank)]

    def _choice(self, user: TrainingUser) -> TrainingChoice:
        names = self.service.organization_names() if self.service else {}
        roles = ", ".join(f"{role_text(role)} ({names.get(org, org)})" for role, org in user.roles)
        return TrainingChoice(user.username, user.name, roles)

    def _training_sign_in(self, username: str) -> None:
        name = next((u.name for u in self._training if u.username == username), username)
        self.overlay.signing_in_training(name)
        self.spawn(self._run_training_sign_in(username), "training-sign-in")

    async def _run_training_sign_in(self, username: str) -> None:
        assert self.auth is not None
        await self._signing_in(self.auth.sign_in_training(username))

    def _browser_sign_in(self) -> None:
        self.overlay.waiting_for_browser()
        self.spawn(self._run_browser_sign_in(), "browser-sign-in")

    def _open_browser(self, url: str) -> None:
        """Open the sign-in page; without a browser, show the address to copy instead (and
        show it anyway after a while, in case the browser never came up)."""
        opened = QDesktopServices.openUrl(QUrl(url))
        if not opened:
            self.overlay.show_address(url, opened=False)
            return

        async def later() -> None:
            await asyncio.sleep(BROWSER_FALLBACK_S)
            if self.overlay.is_locked():
                self.overlay.show_address(url, opened=True)

        self.spawn(later(), "sign-in-address-fallback")

    async def _run_browser_sign_in(self) -> None:
        assert self.auth is not None
        await self._signing_in(
            self.auth.sign_in_with_browser(
                self._open_browser,
                ui_locales=current_language(),
                done_title=QCoreApplication.translate("ConsoleSession", "Signed in"),
                done_text=QCoreApplication.translate(
                    "ConsoleSession", "You can close this tab and go back to the DHO console."
                ),
            )
        )

    async def _signing_in(self, way: Coroutine[Any, Any, SignedInUser]) -> None:
        """Run one way in; on failure the panel asks again, with what it offered."""
        try:
            await way
        except (FhirError, AuthError) as exc:
            log.warning("sign-in failed: %s", exc)
            self.overlay.ask_sign_in(
                QCoreApplication.translate("ConsoleSession", "Sign-in did not succeed. Try again."),
                training=self._training,
            )
            return
        self._signed_in_again()

    def _signed_in_again(self) -> None:
        for task in list(self._tasks):
            if task.get_name() == "sign-in-address-fallback":
                task.cancel()
        self.overlay.unlock()
        self.idle.restart()
        self._signed_in.set()

    def _show_user(self, user: SignedInUser) -> None:
        names = self.service.organization_names() if self.service else {}
        roles = ", ".join(role_text(r) for r in user.roles)
        orgs = ", ".join(names.get(o, o) for o in user.organizations)
        mark = (
            QCoreApplication.translate("ConsoleSession", "TRAINING USER") if user.training else ""
        )
        self.window.set_user(" · ".join(p for p in (mark, user.name, roles, orgs) if p))

    def _signed_out(self) -> None:
        self.window.set_user(None)
        self.overlay.ask_sign_in(training=self._training)

    def _lock(self) -> None:
        if self.auth is None or not self.auth.required or self.overlay.is_locked():
            return
        self.overlay.lock()
        self.overlay.set_training_users(self._training)

    def _sign_out(self) -> None:
        if self.auth is not None:
            self.spawn(self.auth.sign_out(), "sign-out")

    def _warn_if_no_secure_store(self) -> None:
        auth = self.auth
        if (
            auth is not None
            and auth.required
            and auth.keeps_refresh_token
            and not auth.secure_store
        ):
            self.window.set_notice(
                "secure-store",
                QCoreApplication.translate("ConsoleSession", "No secure key store"),
                QCoreApplication.translate(
                    "ConsoleSession",
                    "No secure key store on this computer: you must sign in again at every start.",
                ),
            )

    async def _load_with_retry(self, service: CentreService) -> LoadReport:
        delay = 1.0
        while True:
            try:
                return await service.load()
            except FhirUnavailable as exc:
                self.window.set_connection(ConnectionState(ConnectionMode.OFFLINE, detail=str(exc)))
            except FhirError as exc:
                self.window.set_connection(ConnectionState(ConnectionMode.OFFLINE, detail=str(exc)))
                if self.args.screenshot:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 15.0)

    async def _screenshot(self) -> None:
        """Wait briefly for the live feed to report, let Qt paint, then write the PNG."""
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            if self.service and self.service.connection.mode is ConnectionMode.LIVE:
                break
            await asyncio.sleep(0.05)
        self.model.settle()  # a picture shows the list in order, not mid-way to it
        await asyncio.sleep(0.2)
        path = self.args.screenshot
        path.parent.mkdir(parents=True, exist_ok=True)
        grab_widget(self.window, str(path))  # with the training mark, from a training server
        log.info("screenshot written to %s", path)
        self.request_quit()

    async def _shutdown(self) -> None:
        """Every step is bounded: a console asked to quit (the window closed, SIGTERM, a
        screenshot written) must quit even if one step hangs; the log names that step."""
        step = self.STOP_STEP_S
        await cancel_and_wait(self._tasks, step)
        self.idle.stop()
        self.marker.set_active(False)  # the mark is process-wide; this session is over
        if self.training_feature is not None:
            await bounded(self.training_feature.stop(), step, "stopping the training session")
        if self.workbench is not None:
            await bounded(self.workbench.stop(), 4 * step, "stopping the workbench")
        if self.service is not None:
            await bounded(self.service.stop(), step, "stopping the live list")
        if self.auth is not None:
            await bounded(self.auth.close(), step, "closing the sign-in session")
        if self.client is not None:
            await bounded(self.client.aclose(), step, "closing the FHIR client")
        if self.backend is not None:
            await bounded(self.backend.stop(), 2 * step, "stopping the embedded backend")
        self.window.removeEventFilter(self._watcher)
        self.window.close()
        if self._restart_training:
            start_training_console(self._restart_arguments())


def grab_widget(widget: QWidget, path: str) -> None:
    if not stamp(widget.grab()).save(path):
        raise OSError(f"could not write {path}")
