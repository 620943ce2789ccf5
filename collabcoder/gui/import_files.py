"""File > Import: preview what each file holds (turns, metadata), choose kind and case, import.

Files are parsed for the preview on the worker thread (``preview_files``); nothing is written until
the researcher accepts the preview. The import itself is ``collabcoder.io.batch.import_files``:
one transaction per file, duplicates (same SHA-256) skipped, progress and cancel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.errors import CollabCoderError
from collabcoder.core.progress import CancelToken, Progress
from collabcoder.io.formats import KINDS, parse_file, supported_suffixes

FROM_METADATA = "From each file's metadata (or none)"
DETECTED = "As detected"


@dataclass(frozen=True)
class FilePreview:
    """What one file would become: kind, words, speakers with their turn counts, metadata."""

    path: Path
    kind: str = ""
    words: int = 0
    speakers: tuple[tuple[str, int], ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    problem: str = ""  # why the file cannot be imported ("" when it can)


@dataclass
class Preview:
    files: list[FilePreview] = field(default_factory=list)
    cancelled: bool = False


def file_filter() -> str:
    """The Open dialog's filter for every readable format."""
    patterns = " ".join(f"*{s}" for s in supported_suffixes())
    return f"Documents ({patterns});;All files (*)"


def files_in(folder: Path) -> list[Path]:
    """Every readable file under ``folder`` (recursively, hidden files left out), sorted."""
    suffixes = set(supported_suffixes())
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in suffixes
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def preview_file(path: Path) -> FilePreview:
    """Parse ``path`` (no project involved) and summarise it for the preview table."""
    from collabcoder.core.text import count_words

    try:
        parsed = parse_file(path)
    except (CollabCoderError, OSError) as error:
        return FilePreview(path, problem=str(error) or type(error).__name__)
    speakers = Counter(turn.speaker for turn in parsed.turns)
    return FilePreview(
        path,
        parsed.kind,
        count_words(parsed.text),
        tuple(speakers.most_common()),
        tuple(sorted(parsed.meta.items())),
    )


def preview_files(paths: Sequence[Path], progress: Progress, cancel: CancelToken) -> Preview:
    """Preview every file, reporting progress; stops early (marked cancelled) on cancel."""
    result = Preview()
    for done, path in enumerate(paths):
        if cancel.is_set():
            result.cancelled = True
            break
        progress(done, len(paths), f"Reading {path.name}")
        result.files.append(preview_file(path))
    progress(len(paths), len(paths), "")
    return result


def _speakers(preview: FilePreview) -> str:
    return ", ".join(f"{name} ×{n}" for name, n in preview.speakers)


def _meta(preview: FilePreview) -> str:
    return "; ".join(f"{key}: {value}" for key, value in preview.meta)


class ImportDialog(QDialog):
    """The preview table, with the kind and the case every accepted file will get."""

    HEADERS = ("File", "Kind", "Words", "Speakers (turns)", "Metadata")

    def __init__(self, preview: Preview, cases: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import files")
        self.preview = preview
        self.table = QTableWidget(len(preview.files), len(self.HEADERS), self)
        self.table.setAccessibleName("Files to import")
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, item in enumerate(preview.files):
            cells = (
                [item.path.name, item.kind, str(item.words), _speakers(item), _meta(item)]
                if not item.problem
                else [item.path.name, "", "", item.problem, ""]
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(str(item.path) if column == 0 else text)
                if item.problem:
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.kind = QComboBox(self)
        self.kind.addItems([DETECTED, *KINDS])
        self.kind.setAccessibleName("Document kind")
        self.case = QComboBox(self)
        self.case.setEditable(True)  # typing a new name creates that case
        self.case.addItems([FROM_METADATA, *cases])
        self.case.setAccessibleName("Case for the imported documents")
        form = QFormLayout()
        form.addRow("Kind:", self.kind)
        form.addRow("Case:", self.case)
        good = self.importable()
        note = QLabel(
            f"{len(good)} of {len(preview.files)} file(s) can be imported. Files already in the "
            "project are skipped; each file is imported whole or not at all.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Import")
        self.ok_button.setEnabled(bool(good))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(900, 420)

    def importable(self) -> list[Path]:
        return [item.path for item in self.preview.files if not item.problem]

    def chosen_kind(self) -> str | None:
        text = self.kind.currentText()
        return None if text == DETECTED else text

    def chosen_case(self) -> str | None:
        text = self.case.currentText().strip()
        return None if not text or text == FROM_METADATA else text


class FileDropFilter(QObject):
    """Lets files be dropped on a widget (the Documents dock): ``on_drop(paths)`` gets them.

    An event filter rather than a subclass, so the dock stays unaware of importing; folders
    dropped are expanded into the readable files they hold.
    """

    def __init__(self, on_drop: Callable[[list[Path]], None], parent: QObject) -> None:
        super().__init__(parent)
        self._on_drop = on_drop

    def watch(self, widget: QWidget) -> None:
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDropEvent)
            if self._paths(event):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = self._paths(event)
            if paths:
                event.acceptProposedAction()
                self._on_drop(paths)
                return True
        return False

    @staticmethod
    def _paths(event: QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        local = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        found: list[Path] = []
        for path in local:
            found.extend(files_in(path) if path.is_dir() else [path])
        return found
