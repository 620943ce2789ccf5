"""The central area: the document's name, the quick-code box, the text with its stripes, Find."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.records import DocumentRecord

from .document_view import DocumentView
from .elide import ElidedLabel
from .stripes import CodingStripes
from .turn_margin import TurnMargin


class QuickCodeBox(QLineEdit):
    """Type part of a code's name, pick it from the list, press Enter: the selection is coded."""

    code_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Quick code: type a code name, Enter applies it (Ctrl+K)")
        self.setAccessibleName("Quick code")
        self.setClearButtonEnabled(True)
        self._paths: dict[str, int] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.returnPressed.connect(self._apply)

    def set_codes(self, paths: dict[int, str]) -> None:
        self._paths = {path: code_id for code_id, path in paths.items()}
        self._model.setStringList(sorted(self._paths, key=str.casefold))

    def match(self, typed: str) -> int | None:
        """The code meant by ``typed``: an exact path, else the only code whose name fits."""
        wanted = typed.strip().casefold()
        if not wanted:
            return None
        for path, code_id in self._paths.items():
            if path.casefold() == wanted:
                return code_id
        hits = [i for p, i in self._paths.items() if p.rsplit("/", 1)[-1].casefold() == wanted]
        if len(hits) != 1:
            hits = [i for p, i in self._paths.items() if wanted in p.casefold()]
        return hits[0] if len(hits) == 1 else None

    def _apply(self) -> None:
        code_id = self.match(self.text())
        if code_id is not None:
            self.code_chosen.emit(code_id)
            self.clear()


class FindBar(QWidget):
    """Find in the document: Enter or F3 finds the next match, Shift+F3 the previous one."""

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in document")
        self.field.setAccessibleName("Find in document")
        self.field.returnPressed.connect(self.find_next)
        self.status = QLabel(self)
        previous, following, close = (QToolButton(self) for _ in range(3))
        for button, text in ((previous, "Previous"), (following, "Next"), (close, "Close")):
            button.setText(text)
            button.setAutoRaise(True)
        previous.clicked.connect(self.find_previous)
        following.clicked.connect(self.find_next)
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        for widget in (self.field, previous, following, self.status, close):
            row.addWidget(widget)

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        needle = self.field.text()
        if not needle:
            return False
        found = self.view.find(needle, flags)
        if not found:  # wrap around once
            cursor = self.view.textCursor()
            backwards = bool(flags & QTextDocument.FindFlag.FindBackward)
            cursor.movePosition(
                cursor.MoveOperation.End if backwards else cursor.MoveOperation.Start
            )
            self.view.setTextCursor(cursor)
            found = self.view.find(needle, flags)
        self.status.setText("" if found else "Not found")
        return found

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.view.setFocus()
            return
        super().keyPressEvent(event)


class DocumentPanel(QWidget):
    """Everything in the middle of the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ElidedLabel("No document open: pick one in Documents & cases.", self)
        self.title.setObjectName("documentTitle")
        self.title.setAccessibleName("Document name")
        self.quick_code = QuickCodeBox(self)
        self.view = DocumentView(self)
        self.stripes = CodingStripes(self.view, self)
        self.margin = TurnMargin(self.view, self)
        self.find_bar = FindBar(self.view, self)
        self.find_bar.hide()
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.quick_code, 1)
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.margin)
        body.addWidget(self.view, 1)
        body.addWidget(self.stripes)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(header)
        column.addLayout(body, 1)
        column.addWidget(self.find_bar)

    def show_title(self, document: DocumentRecord) -> None:
        """The document's name and kind, elided to fit; the full name and file on hover."""
        self.title.setText(f"{document.name}  ·  {document.kind}")
        source = f"\nFile: {document.source_name}" if document.source_name else ""
        self.title.setToolTip(f"{document.name} ({document.kind}){source}")
