"""Alert sound output, injectable so tests (and machines without audio) use a silent player."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QUrl

SOUNDS_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"
ALERT_WAV = SOUNDS_DIR / "alert.wav"


class SoundPlayer(Protocol):
    def play(self) -> None: ...

    def stop(self) -> None: ...


class NullSoundPlayer:
    """Plays nothing and counts; for tests, offscreen runs and "no sound" deployments."""

    def __init__(self) -> None:
        self.plays = 0

    def play(self) -> None:
        self.plays += 1

    def stop(self) -> None:
        pass


class QtSoundPlayer(QObject):
    """QSoundEffect with our generated WAV; QtMultimedia is imported only when this is built."""

    def __init__(self, path: Path = ALERT_WAV, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QSoundEffect

        self._effect = QSoundEffect(self)
        self._effect.setSource(QUrl.fromLocalFile(str(path)))
        self._effect.setVolume(0.8)

    def play(self) -> None:
        self._effect.play()

    def stop(self) -> None:
        self._effect.stop()


def write_alert_wav(path: Path = ALERT_WAV, rate: int = 22050) -> Path:
    """Generate the alert: two short rising tones (660 → 880 Hz) with soft edges, 16-bit mono."""
    frames = bytearray()
    for freq, seconds in ((660.0, 0.16), (0.0, 0.06), (880.0, 0.22)):
        n = int(rate * seconds)
        fade = int(rate * 0.015)
        for i in range(n):
            envelope = min(1.0, i / fade, (n - i) / fade) if fade else 1.0
            sample = 0.45 * envelope * math.sin(2 * math.pi * freq * i / rate) if freq else 0.0
            frames += struct.pack("<h", int(sample * 32767))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


if __name__ == "__main__":  # regenerate: python -m widgets.alert_sound
    print(write_alert_wav())
