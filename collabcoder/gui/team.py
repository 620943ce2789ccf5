"""Team projects on a database server: File > Open team project, and seeing others' changes.

The password is typed into the dialog or taken from the environment (``PGPASSWORD``, which the
PostgreSQL driver reads itself). It goes into the connection URL in memory only: the project's
``location`` (shown in the title, stored in the recent list) is the URL without it.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from collabcoder.core.errors import CollabCoderError
from collabcoder.core.remote import CONNECTION_ERRORS, connection_url
from collabcoder.core.remote import without_password as without_password

from .project_bridge import ProjectBridge

POLL_MS = 2000
URL_HINT = "postgresql+psycopg://user@host/database"


class TeamProjectDialog(QDialog):
    """Asks for the team project's URL and, unless the environment holds one, its password."""

    def __init__(self, parent: QWidget, url: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open team project")
        self.url = QLineEdit(url, self)
        self.url.setPlaceholderText(URL_HINT)
        self.url.setAccessibleName("Team project URL")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Database password")
        from_env = bool(os.environ.get("PGPASSWORD"))
        self.password.setPlaceholderText(
            "(using PGPASSWORD from the environment)" if from_env else "not stored anywhere"
        )
        note = QLabel(
            "A team project lives in a PostgreSQL database the team shares. The password is "
            "used for this session only and never saved.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._check)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("URL:", self.url)
        form.addRow("Password:", self.password)
        form.addRow(buttons)
        self._check()
        self.resize(560, 180)

    def _check(self) -> None:
        self.open_button.setEnabled("://" in self.url.text())

    def location(self) -> str:
        """The URL to connect with (password included, in memory only)."""
        return connection_url(self.url.text(), self.password.text())


class RemotePoller(QObject):
    """Every two seconds on a shared project, asks the project for other coders' steps.

    The poll runs as a query op; ``Project.poll_remote`` broadcasts what it finds, which comes back
    with the op, so every view refreshes what others changed through the same ``changed`` signal
    as local edits (only the rows the operation log names).
    ``failed`` carries a one-line message when the server cannot be reached (polling goes on).
    """

    failed = Signal(str)
    polled = Signal(bool)  # a poll ended: True when it found others' changes

    def __init__(self, bridge: ProjectBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll_now)
        self._failing = False
        self._polling = False  # one poll at a time, however slow the server
        bridge.project_replaced.connect(self._project_replaced)

    def _project_replaced(self) -> None:
        project = self.bridge.project
        if project is not None and project.is_shared:
            self.timer.start()
        else:
            self.timer.stop()

    def poll_now(self) -> None:
        """Look for others' changes once, off the GUI thread (a server may answer slowly).

        ``polled(found)`` follows; what was found reaches the views through ``changed``.
        """
        if self.bridge.project is None or self._polling:
            return
        self._polling = True
        self.bridge.ops.run_query(
            "Checking the team project",
            lambda p: p.poll_remote(),
            self._polled,
            on_error=self._error,
        )

    def _polled(self, changes: object) -> None:
        self._polling = False
        self._failing = False
        self.polled.emit(changes is not None)

    def _error(self, error: BaseException) -> None:
        self._polling = False
        if not isinstance(error, (CollabCoderError, *CONNECTION_ERRORS)):
            self.bridge.ops.failed.emit("Checking the team project", error)
            return
        self._lost(str(error).splitlines()[0] if str(error) else type(error).__name__)
        self.polled.emit(False)

    def _lost(self, message: str) -> None:
        # Say it once per outage, not every two seconds.
        if not self._failing:
            self._failing = True
            self.failed.emit(f"Cannot reach the team project: {message}")
