"""Guard against a broken Qt binding: PySide6 6.12.0 on Python 3.11 drops a reference to None
on every call of a method returning nothing, so a long session ends in a fatal error."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QColor


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_calls_keep_none_alive() -> None:
    """A thousand calls of a void Qt method leave None's reference count where it was."""
    colour = QColor("#336699")
    before = sys.getrefcount(None)
    for _ in range(1000):
        colour.setAlpha(100)
    assert sys.getrefcount(None) >= before - 10, "this PySide6 build leaks references to None"
