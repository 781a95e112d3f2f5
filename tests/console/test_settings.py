"""console/settings.py: one place for every setting, its order of precedence, its checks at
start, and docs/settings.md kept equal to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from console import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The user's and the system-wide settings file in a temporary folder."""
    native = QSettings.Format.NativeFormat
    before = {
        scope: Path(
            QSettings(native, scope, settings.ORGANIZATION, settings.APPLICATION).fileName()
        ).parents[1]
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope)
    }
    user, system = tmp_path / "user", tmp_path / "etc-xdg"
    QSettings.setPath(native, QSettings.Scope.UserScope, str(user))
    QSettings.setPath(native, QSettings.Scope.SystemScope, str(system))
    try:
        yield user / "DHO" / "dho-console.conf", system / "DHO" / "dho-console.conf"
    finally:
        for scope, path in before.items():
            QSettings.setPath(native, scope, str(path))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_environment_then_user_then_system_wide_then_default(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    user, system = files
    for key in ("DHO_LOCK_MINUTES", "DHO_SERVER_URL", "DHO_VIDEO_HOST", "DHO_TIME_ZONE"):
        monkeypatch.delenv(key, raising=False)
    assert settings.lock_minutes() == 15.0
    assert settings.video_host() == ""  # no default video service
    write(
        system,
        "[security]\nlock_minutes=10\n[server]\nurl=https://fhir.kommune.example/fhir/\n"
        "[video]\nhost=video.kommune.example\n[handover]\nshift_starts=07:30,15:00,22:00\n",
    )
    assert settings.lock_minutes() == 10.0
    assert settings.server_url() == "https://fhir.kommune.example/fhir"
    assert settings.video_host() == "video.kommune.example"
    assert settings.shift_starts() == (time(7, 30), time(15, 0), time(22, 0))
    assert settings.raw("security/lock_minutes")[1] == str(system)
    write(user, "[security]\nlock_minutes=5\n")
    assert settings.lock_minutes() == 5.0
    monkeypatch.setenv("DHO_LOCK_MINUTES", "0")
    assert settings.lock_minutes() == 0.0
    assert settings.raw("security/lock_minutes")[1] == "DHO_LOCK_MINUTES (environment)"
    assert settings.check() == []


def test_a_bad_value_is_named_with_where_it_came_from(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _user, system = files
    monkeypatch.delenv("DHO_LOCK_MINUTES", raising=False)
    monkeypatch.setenv("DHO_TIME_ZONE", "Europe/Bergen")
    write(
        system,
        "[security]\nlock_minutes=ten\n[video]\nurl_template=http://video.example/{room}\n",
    )
    problems = settings.check()
    assert problems == [
        f"security/lock_minutes = 'ten' (from {system}): expected a number of minutes "
        "(0 turns the lock off)",
        f"video/url_template = 'http://video.example/{{room}}' (from {system}): expected an "
        "https:// address (video calls are never sent unencrypted)",
        "centre/time_zone = 'Europe/Bergen' (from DHO_TIME_ZONE (environment)): expected an "
        "IANA time zone such as Europe/Oslo",
    ]
    with pytest.raises(settings.SettingError):
        settings.lock_minutes()


def test_the_video_host_the_user_names_is_remembered(files: tuple[Path, Path]) -> None:
    user, _system = files
    with pytest.raises(ValueError):
        settings.remember("video/host", "https://video.kommune.example/x")
    settings.remember("video/host", "video.kommune.example")
    assert "host=video.kommune.example" in user.read_text()
    assert settings.video_host() == "video.kommune.example"


def test_a_bad_setting_stops_the_start_with_a_clear_message(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.app import main

    monkeypatch.setenv("DHO_LOCK_MINUTES", "abc")
    assert main(["--screenshot", "never.png"]) == 2
    err = capsys.readouterr().err
    assert "security/lock_minutes = 'abc' (from DHO_LOCK_MINUTES (environment))" in err
    assert "docs/settings.md" in err


def test_docs_list_every_setting_as_the_module_does() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert settings.markdown_table() in page
