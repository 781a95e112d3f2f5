"""Every setting of the console, read in one place: environment, per-user and system-wide files.

Order (the first that has the key wins): the command line (where it has an option), a `DHO_*`
environment variable, the user's own settings, then the system-wide settings municipal IT
installs, then the default below. The files are QSettings' native ones:

- Linux: `~/.config/DHO/dho-console.conf`, then `/etc/xdg/DHO/dho-console.conf` (each
  directory of `XDG_CONFIG_DIRS`);
- Windows: the registry (`HKEY_CURRENT_USER\\Software\\DHO\\dho-console`, then
  `HKEY_LOCAL_MACHINE\\SOFTWARE\\DHO\\dho-console`, where group policy can write), then
  `%ProgramData%\\DHO\\dho-console.ini`;
- macOS: `~/Library/Preferences/com.dho.dho-console.plist`, then `/Library/Preferences/...`.

`SETTINGS` lists every key with its default, its variable and the module that uses it;
docs/settings.md is written from it (tests/console/test_settings.py keeps the two equal).
`check()` validates them all at start, so a bad value gets a clear message naming where it
came from instead of a silent default. Secrets are never settings: `DHO_ACCESS_TOKEN` is read
from the environment only, and tokens otherwise live in the OS keyring.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QSettings, QStandardPaths

ORGANIZATION = "DHO"
APPLICATION = "dho-console"
LANGUAGES = ("nb", "nn", "en")
#: Where a response centre works unless `centre/time_zone` says otherwise.
DEFAULT_TIME_ZONE = "Europe/Oslo"


class SettingError(ValueError):
    """A setting has a value the console cannot use; the message says which and where."""


# ----- parsers: raise ValueError with what a good value looks like -------------------------------


def _minutes(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ValueError("a number of minutes (0 turns the lock off)") from None
    if not 0 <= value <= 24 * 60:
        raise ValueError("between 0 and 1440 minutes (0 turns the lock off)")
    return value


def _url(text: str) -> str:
    text = text.strip()
    if text and not text.startswith(("http://", "https://")):
        raise ValueError("an http:// or https:// address, e.g. https://fhir.kommune.example/fhir")
    return text.rstrip("/")


def _video_template(text: str) -> str:
    text = text.strip()
    if "{room}" not in text:
        raise ValueError("an https address containing {room}, e.g. https://{host}/{room}")
    if not text.startswith("https://"):
        raise ValueError("an https:// address (video calls are never sent unencrypted)")
    return text


def _host(text: str) -> str:
    text = text.strip()
    if "/" in text or " " in text or text.startswith("."):
        raise ValueError("a host name such as video.kommune.example (no https://, no path)")
    return text


def _switch(text: str) -> bool:
    folded = text.strip().lower()
    if folded in ("1", "on", "yes", "true"):
        return True
    if folded in ("0", "off", "no", "false"):
        return False
    raise ValueError("on or off")


def _language(text: str) -> str:
    folded = text.strip().lower().replace("_", "-").split("-")[0]
    if folded == "no":
        folded = "nb"
    if folded and folded not in LANGUAGES:
        raise ValueError("nb, nn or en (empty: the system's language)")
    return folded


def _patient_language(text: str) -> str:
    folded = _language(text)
    if not folded:
        raise ValueError("nb, nn or en")
    return folded


def _zone(text: str) -> str:
    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone such as Europe/Oslo") from None
    return text.strip()


def _times(text: str) -> tuple[time, ...]:
    out = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            hours, _, minutes = part.partition(":")
            out.append(time(int(hours), int(minutes or 0)))
        except ValueError:
            raise ValueError("clock times such as 08:00,15:00") from None
    if not out:
        raise ValueError("at least one clock time, such as 08:00,15:00")
    return tuple(sorted(out))


def _count(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError("a whole number of patients, e.g. 80") from None
    if not 1 <= value <= 1000:
        raise ValueError("between 1 and 1000 patients per nurse")
    return value


def _target(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ValueError("a number of minutes, e.g. 30") from None
    if not 1 <= value <= 600:
        raise ValueError("between 1 and 600 minutes")
    return value


def _folder(text: str) -> str:
    return os.path.expanduser(text.strip())


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: str
    parse: Callable[[str], Any]
    #: What it does, for docs/settings.md.
    help: str
    #: The module that uses it.
    used_in: str
    env: str = ""
    #: Command-line option that overrides it.
    option: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "server/url",
        "",
        _url,
        "FHIR base URL of the centre's server; empty starts the built-in training backend.",
        "console/ui/session.py",
        env="DHO_SERVER_URL",
        option="--server",
    ),
    Setting(
        "security/lock_minutes",
        "15",
        _minutes,
        "Minutes without input before the console locks and hides patient data (0 = never).",
        "console/ui/session.py",
        env="DHO_LOCK_MINUTES",
    ),
    Setting(
        "ui/language",
        "",
        _language,
        "nb, nn or en; empty follows the system's language (Bokmål on a Norwegian system).",
        "console/i18n.py",
        env="DHO_LANG",
        option="--lang",
    ),
    Setting(
        "sound/enabled",
        "on",
        _switch,
        "The alert sound; off silences it deliberately (the status bar then says so).",
        "console/ui/session.py",
        env="DHO_SOUND",
    ),
    Setting(
        "video/host",
        "",
        _host,
        "Host of the municipality's video service. No default: the console asks before the "
        "first call and keeps the answer in the user's settings.",
        "console/services/video.py",
        env="DHO_VIDEO_HOST",
    ),
    Setting(
        "video/url_template",
        "https://{host}/{room}",
        _video_template,
        "Meeting address; {room} is an unguessable room name, {host} the setting above.",
        "console/services/video.py",
        env="DHO_VIDEO_URL_TEMPLATE",
    ),
    Setting(
        "centre/time_zone",
        DEFAULT_TIME_ZONE,
        _zone,
        "The response centre's time zone: every time shown, printed or written into a note.",
        "console/state/formatting.py",
        env="DHO_TIME_ZONE",
    ),
    Setting(
        "handover/shift_starts",
        "08:00,15:00",
        _times,
        "When shifts start (centre time); the handover covers the shift begun last.",
        "console/ui/handover.py",
    ),
    Setting(
        "handover/folder",
        "",
        _folder,
        "Folder the handover PDF is offered in; empty is the user's Documents folder.",
        "console/ui/handover.py",
        env="DHO_HANDOVER_FOLDER",
    ),
    Setting(
        "review/planning_figure",
        "80",
        _count,
        "Patients per full-time nurse the lead's review plans staffing with.",
        "console/ui/review.py",
    ),
    Setting(
        "review/claim_target_minutes",
        "30",
        _target,
        "Minutes (of opening hours) a high-priority alert should be claimed within.",
        "console/ui/review.py",
    ),
    Setting(
        "messages/patient_language",
        "nb",
        _patient_language,
        "Language of messages to a patient whose record names no preferred language.",
        "console/services/patient_texts.py",
    ),
)

BY_KEY: Mapping[str, Setting] = {s.key: s for s in SETTINGS}


# ----- where values come from -----------------------------------------------------------------


def _stores() -> Iterator[tuple[str, QSettings]]:
    """(description, settings) in the order they are consulted, user first."""
    native = QSettings.Format.NativeFormat
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        store = QSettings(native, scope, ORGANIZATION, APPLICATION)
        store.setFallbacksEnabled(False)
        yield store.fileName(), store
    if sys.platform == "win32":  # %ProgramData%\DHO\dho-console.ini beside the registry
        store = QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.SystemScope, ORGANIZATION, APPLICATION
        )
        store.setFallbacksEnabled(False)
        yield store.fileName(), store


def system_file() -> str:
    """The system-wide file (or registry key) municipal IT writes."""
    store = QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.SystemScope, ORGANIZATION, APPLICATION
    )
    return store.fileName()


def raw(key: str, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(text, where it came from) for `key`; the default says "default"."""
    setting = BY_KEY[key]
    env = os.environ if environ is None else environ
    if setting.env and env.get(setting.env, "").strip():
        return env[setting.env], f"{setting.env} (environment)"
    for where, store in _stores():
        if store.contains(key):
            value = store.value(key)
            if isinstance(value, (list, tuple)):  # "08:00,15:00" in an ini reads as a list
                value = ",".join(str(v) for v in value)
            return ("" if value is None else str(value)), where
    return setting.default, "default"


def value(key: str, environ: Mapping[str, str] | None = None) -> Any:
    """The parsed value; a bad one raises `SettingError` naming the key, value and source."""
    text, where = raw(key, environ)
    try:
        return BY_KEY[key].parse(text)
    except ValueError as exc:
        raise SettingError(f"{key} = {text!r} (from {where}): expected {exc}") from None


def check(environ: Mapping[str, str] | None = None) -> list[str]:
    """Every bad value, one message each (empty when all is well). Run once at start."""
    problems = []
    for setting in SETTINGS:
        try:
            value(setting.key, environ)
        except SettingError as exc:
            problems.append(str(exc))
    return problems


def remember(key: str, text: str) -> None:
    """Keep a choice the user made (e.g. the video host) in the user's own settings."""
    BY_KEY[key].parse(text)  # never store what would not be read back
    store = QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
    store.setValue(key, text)
    store.sync()


# ----- the values, typed (one function per use, so callers need not know keys) --------------------


def server_url() -> str:
    return str(value("server/url"))


def lock_minutes() -> float:
    return float(value("security/lock_minutes"))


def language() -> str:
    """nb, nn, en, or "" for the system's language."""
    return str(value("ui/language"))


def sound_enabled() -> bool:
    return bool(value("sound/enabled"))


def video_host() -> str:
    """ "" until someone configured it: the console then asks before the first call."""
    return str(value("video/host"))


def video_template() -> str:
    return str(value("video/url_template"))


def time_zone() -> ZoneInfo:
    return ZoneInfo(str(value("centre/time_zone")))


def shift_starts() -> tuple[time, ...]:
    return tuple(value("handover/shift_starts"))


def handover_folder() -> str:
    """The configured folder, else the user's Documents folder (else home)."""
    folder = str(value("handover/folder")) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    if not folder:
        return str(Path.home())
    try:  # a fresh account may have no Documents folder yet
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return str(Path.home())
    return folder


def patient_language() -> str:
    return str(value("messages/patient_language"))


def planning_figure() -> int:
    return int(value("review/planning_figure"))


def claim_target_minutes() -> float:
    return float(value("review/claim_target_minutes"))


#: A department's baseline before DHO (nullpunktsmåling), entered by the lead in the review:
#: `review/baseline/<department id>/visits_per_week` and `.../minutes_per_visit`, per user.
BASELINE_KEYS = ("visits_per_week", "minutes_per_visit")


def review_baseline(department: str) -> tuple[float, float] | None:
    """(visits per patient per week, minutes per visit) the user entered, or None."""
    for _where, store in _stores():
        keys = [f"review/baseline/{department}/{k}" for k in BASELINE_KEYS]
        if all(store.contains(k) for k in keys):
            try:
                visits, minutes = (float(str(store.value(k)).replace(",", ".")) for k in keys)
            except ValueError:
                return None
            if visits >= 0 and minutes >= 0:
                return visits, minutes
            return None
    return None


def remember_review_baseline(department: str, visits: float, minutes: float) -> None:
    store = QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
    store.setValue(f"review/baseline/{department}/visits_per_week", f"{visits:g}")
    store.setValue(f"review/baseline/{department}/minutes_per_visit", f"{minutes:g}")
    store.sync()


def access_token() -> str | None:
    """A token for automation (scripts, screenshots): environment only, never a file."""
    return os.environ.get("DHO_ACCESS_TOKEN") or None


# ----- docs/settings.md ------------------------------------------------------------------------


def markdown_table() -> str:
    """The table of docs/settings.md (a test keeps the page equal to this)."""
    rows = [
        "| key | default | environment | option | used in | what it does |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(empty)"
        rows.append(
            f"| `{s.key}` | {default} | {f'`{s.env}`' if s.env else '–'} | "
            f"{f'`{s.option}`' if s.option else '–'} | `{s.used_in}` | {s.help} |"
        )
    return "\n".join(rows)
