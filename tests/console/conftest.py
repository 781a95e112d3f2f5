from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _qt_application(qapp: object) -> object:
    """Console code may draw pixmaps or translate strings: always have a QApplication."""
    return qapp
