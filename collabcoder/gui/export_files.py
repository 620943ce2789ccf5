"""Where exports go and how the user finds them: a default file name (project and date) beside
the project, and a "Saved to ..." notice in the status bar with links that open the folder or
the file."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMainWindow

from collabcoder.core.storage import is_url

NOTICE_MS = 120_000  # how long the notice stays
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def default_export_path(location: str, project_name: str, what: str, suffix: str) -> Path:
    """``<project> <what> <YYYY-MM-DD><suffix>`` beside the project file (in the home folder
    for a database project), with characters no file name may hold replaced."""
    folder = Path.home() if is_url(location) else Path(location).resolve().parent
    name = _UNSAFE.sub("-", f"{project_name} {what} {date.today().isoformat()}").strip(" .-")
    return folder / f"{name or 'export'}{suffix}"


class SavedNotice(QLabel):
    """A status bar notice for the last export: where it went, Open folder, Open file."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("savedNotice")
        self.setAccessibleName("Last export")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self.open_link)
        self._hide = QTimer(self)
        self._hide.setSingleShot(True)
        self._hide.setInterval(NOTICE_MS)
        self._hide.timeout.connect(self.hide)
        window.statusBar().insertPermanentWidget(0, self)  # before the coder label
        self.hide()

    def show_saved(self, path: Path) -> None:
        folder, target = (_url(p) for p in (path.parent, path))
        self.setText(
            f'Saved to {html.escape(path.name)} · <a href="{folder}">Open folder</a> · '
            f'<a href="{target}">Open file</a>'
        )
        self.setToolTip(str(path))
        self.show()
        self._hide.start()

    def open_link(self, link: str) -> None:
        QDesktopServices.openUrl(QUrl(link))


def _url(path: Path) -> str:
    """A file URL, percent-encoded so that it is safe inside an HTML attribute."""
    return bytes(QUrl.fromLocalFile(str(path.resolve())).toEncoded().data()).decode("ascii")


def show_saved(window: QMainWindow, path: Path) -> None:
    """Show (creating once per window) the notice for ``path``."""
    notice = window.findChild(SavedNotice, "savedNotice")
    if notice is None:
        notice = SavedNotice(window)
    notice.show_saved(path)
