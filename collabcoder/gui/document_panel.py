"""The central area: the document's name, the quick-code box, the text with its stripes, Find."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.records import DocumentRecord

from .chips import ChipBar, ChipSpec
from .document_view import DocumentView
from .elide import ElidedLabel
from .stripes import CodingStripes
from .turn_margin import TurnMargin

NO_DOCUMENT = "No document open: pick one in Documents & cases."


class QuickCodeBox(QLineEdit):
    """Type part of a code's name: the codes that fit are listed best first; Enter applies the
    highlighted one (the first by default), arrows choose another, Escape closes the list."""

    code_chosen = Signal(int)
    nothing_matched = Signal(str)  # what was typed, when no code fits it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Quick code (Ctrl+K)")
        self.setToolTip("Type part of a code's name; Enter applies the first match, arrows choose")
        self.setAccessibleName("Quick code")
        self.setClearButtonEnabled(True)
        self._paths: dict[str, int] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # The list is filtered and ranked here (best first), so the completer shows it as is.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.activated.connect(self._picked)
        self.setCompleter(completer)
        self._completer = completer
        self.textEdited.connect(self._list_matches)
        self.returnPressed.connect(self._apply)

    def set_codes(self, paths: dict[int, str]) -> None:
        self._paths = {path: code_id for code_id, path in paths.items()}

    def popup(self) -> QAbstractItemView:
        """The list of matching codes under the box."""
        popup = self._completer.popup()
        assert popup is not None
        return popup

    def matches(self, typed: str) -> list[str]:
        """Paths of the codes that fit ``typed``, best first: the exact path, then names equal to
        it, names starting with it, paths with a word starting with it, paths holding it."""
        wanted = " ".join(typed.split()).casefold()
        if not wanted:
            return []

        def rank(path: str) -> tuple[int, int, str]:
            folded, name = path.casefold(), path.rsplit("/", 1)[-1].casefold()
            words = folded.replace("/", " ").split()
            if folded == wanted:
                level = 0
            elif name == wanted:
                level = 1
            elif name.startswith(wanted):
                level = 2
            elif any(w.startswith(wanted) for w in words):
                level = 3
            else:
                level = 4
            return level, len(path), folded

        fitting = [p for p in self._paths if wanted in p.casefold()]
        return sorted(fitting, key=rank)

    def match(self, typed: str) -> int | None:
        """The code Enter applies for ``typed``: the best of its matches."""
        found = self.matches(typed)
        return self._paths[found[0]] if found else None

    def _list_matches(self, typed: str) -> None:
        found = self.matches(typed)
        self._model.setStringList(found)
        if found:
            # Nothing is highlighted (highlighting would overwrite the typing): Enter takes the
            # first, which is the best; the arrows move into the list.
            self._completer.complete()
        else:
            self.popup().hide()

    def _picked(self, path: str) -> None:
        code_id = self._paths.get(path)
        if code_id is not None:
            self._choose(code_id)

    def _apply(self) -> None:
        popup = self.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            self._picked(str(popup.currentIndex().data()))  # the highlighted code
            return
        typed = self.text()
        code_id = self.match(typed)
        if code_id is None:
            if typed.strip():
                self.nothing_matched.emit(typed.strip())
            return
        self._choose(code_id)

    def _choose(self, code_id: int) -> None:
        self.popup().hide()
        self.code_chosen.emit(code_id)
        self.clear()
        self._model.setStringList([])


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
        self.title = ElidedLabel(NO_DOCUMENT, self)
        self.title.setObjectName("documentTitle")
        self.title.setAccessibleName("Document name")
        self.quick_code = QuickCodeBox(self)
        # The code Ctrl+Return, Ctrl+T and Ctrl+B apply: said here, not left to the tree's focus.
        self.current_code = ChipBar("Current code:", "none", self)
        self.current_code.setAccessibleName("Current code")
        self.view = DocumentView(self)
        self.stripes = CodingStripes(self.view, self)
        self.margin = TurnMargin(self.view, self)
        self.find_bar = FindBar(self.view, self)
        self.find_bar.hide()
        header = QHBoxLayout()
        header.addWidget(self.title, 3)
        header.addWidget(self.current_code, 0)
        header.addWidget(self.quick_code, 2)
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

    def show_current_code(self, path: str | None, colour: str = "") -> None:
        """Show the current code as a chip (its ✕ clears it), or "none"."""
        self.current_code.set_chips([ChipSpec("code", path, colour)] if path else [])

    def show_title(self, document: DocumentRecord) -> None:
        """The document's name and kind, elided to fit; the full name and file on hover."""
        self.title.setText(f"{document.name}  ·  {document.kind}")
        source = f"\nFile: {document.source_name}" if document.source_name else ""
        self.title.setToolTip(f"{document.name} ({document.kind}){source}")
