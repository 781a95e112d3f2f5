"""Regression guard for PySide6 6.12.0 on Python 3.11, which lost a reference to None on every
void method call and aborted with "Fatal Python error: none_dealloc" after a few thousand calls.

The loop runs in a child process so that such an abort fails this test instead of killing the
whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import sys
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
model = QStandardItemModel(1, 1)
item = QStandardItem()
model.setItem(0, 0, item)
before = sys.getrefcount(None)
for i in range(20000):
    label.setText(str(i))
    item.setData(i)
    label.setToolTip("x")
after = sys.getrefcount(None)
# getrefcount(None) is immortal-ish on 3.12+, but must not fall on 3.11.
print("OK", before, after)
"""


def test_thousands_of_void_calls_do_not_crash() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, before, after = result.stdout.split()
    assert status == "OK"
    assert int(after) >= int(before) - 100, "void calls are dropping references to None"


def test_pinned_pyside_version() -> None:
    import PySide6

    assert PySide6.__version__ == "6.11.3"
