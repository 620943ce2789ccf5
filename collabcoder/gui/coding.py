"""Coding commands: what happens when the researcher codes, uncodes or recodes a passage.

Every command is one facade call (or one undo group) run as a write op, so each is one step in
Edit > Undo with a name that says what it did. Positions arrive as code points from the document
view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject

from collabcoder.core.changes import Changes, Delta, Kind
from collabcoder.core.errors import CollabCoderError
from collabcoder.core.project import Project
from collabcoder.core.records import SegmentRecord
from collabcoder.core.segments import SegmentFilter
from collabcoder.core.text import Utf16Map

from .coding_layer import CodingLayer, Span
from .document_view import DocumentView
from .project_bridge import ProjectBridge
from .spans import in_vivo_name, sentence_bounds, whole_turn

T = TypeVar("T")
INCREMENTAL_LIMIT = 100  # more changed segments than this: reload the document's coding
RECENT_CODES = 5  # how many recently applied codes the "Code with" menu offers first


class CodingController(QObject):
    """Connects the document view to the project: shows coding, applies coding commands."""

    def __init__(
        self,
        bridge: ProjectBridge,
        view: DocumentView,
        report: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.view = view
        self._report = report
        self.segments: dict[int, SegmentRecord] = {}  # the visible ones
        self._all: dict[int, SegmentRecord] = {}  # every segment of the document
        self._spans: dict[int, Span] = {}  # built once per segment, in Qt units
        self._coder_names: dict[int, str] = {}
        self.recent_codes: list[int] = []  # most recent first
        bridge.changed.connect(self._on_changes)
        bridge.visibility.changed.connect(self._redraw)

    # -- showing ----------------------------------------------------------------------------------
    @property
    def document_id(self) -> int | None:
        return self.view.document_id

    def open_document(self, document_id: int | None) -> None:
        if document_id is None or self.bridge.project is None:
            self.view.show_document(None, "", [], Utf16Map(""))
            self.segments, self._all, self._spans = {}, {}, {}
            return
        self.view.show_document(
            document_id,
            self.bridge.text(document_id),
            self.bridge.turns(document_id),
            self.bridge.utf16(document_id),
        )
        self.refresh_layer()

    def refresh_layer(self) -> None:
        """Reload this document's segments and repaint its coding."""
        document_id = self.document_id
        self._all = {}
        self._spans = {}
        if document_id is None or self.bridge.project is None:
            return
        listed = self.bridge.project.segments.list(SegmentFilter(document_ids=[document_id]))
        self._all = {s.id: s for s in listed}
        self._redraw()

    def _update_segments(self, delta: Delta) -> None:
        # One coding step touches a few segments: fetch those in one query, move only them.
        layer = self.view.layer
        visible = self.bridge.visibility.visible
        wanted = delta.inserted | delta.updated
        where = SegmentFilter(document_ids=[self.document_id or 0], segment_ids=sorted(wanted))
        found = self.bridge.require().segments.list(where) if wanted else []
        for segment_id in delta.ids:
            self._spans.pop(segment_id, None)
            self.segments.pop(segment_id, None)
            self._all.pop(segment_id, None)
            layer.remove(segment_id)
        for segment in found:
            self._all[segment.id] = segment
            if visible(segment.coder_id):
                self.segments[segment.id] = segment
                layer.add(self._span(segment))
        self.view.set_layer(layer)

    def _redraw(self) -> None:
        """Paint the visible coders' segments (from the cache of this document's segments)."""
        visible = self.bridge.visibility.visible
        self.segments = {i: s for i, s in self._all.items() if visible(s.coder_id)}
        self.view.set_layer(CodingLayer(self._span(s) for s in self.segments.values()))

    def _span(self, segment: SegmentRecord) -> Span:
        """The segment in Qt units with its colour and label (built once per segment)."""
        span = self._spans.get(segment.id)
        if span is None:
            utf16 = self.view.utf16
            code = self.bridge.code(segment.code_id)
            coder = self._coder_names.get(segment.coder_id)
            if coder is None:
                self._coder_names = {c.id: c.name for c in self.bridge.coders()}
                coder = self._coder_names.get(segment.coder_id, "?")
            path = self.bridge.paths().get(segment.code_id, "?")
            span = Span(
                segment_id=segment.id,
                code_id=segment.code_id,
                coder_id=segment.coder_id,
                start=utf16.to_utf16(segment.start),
                end=utf16.to_utf16(segment.end),
                colour=code.colour if code else "#888888",
                label=f"{path} — coded by {coder}",
            )
            self._spans[segment.id] = span
        return span

    def _on_changes(self, changes: Changes) -> None:
        if self.document_id is None:
            return
        if changes.touched(Kind.DOCUMENTS):
            known = {d.id for d in self.bridge.documents()}
            if self.document_id not in known:
                self.open_document(None)
                return
        delta = changes.delta(Kind.SEGMENTS)
        if changes.touched(Kind.CODES, Kind.CODERS) or (
            delta is not None and (not delta.known or len(delta.ids) > INCREMENTAL_LIMIT)
        ):
            self.refresh_layer()
        elif delta is not None:
            self._update_segments(delta)

    # -- what is under the cursor -----------------------------------------------------------------
    def segments_here(self) -> list[SegmentRecord]:
        """Visible segments overlapping the selection (or under the cursor), innermost first."""
        cursor = self.view.textCursor()
        if cursor.hasSelection():
            spans = self.view.layer.spans_at(cursor.selectionStart(), cursor.selectionEnd())
        else:
            position = cursor.position()
            spans = self.view.layer.spans_at(position)
            if not spans and position > 0:  # just after a segment's last character is in it too
                spans = self.view.layer.spans_at(position - 1)
        return [self.segments[s.segment_id] for s in spans if s.segment_id in self.segments]

    def select_segment(self, segment_id: int) -> None:
        segment = self.segments.get(segment_id)
        if segment is not None:
            self.view.select_range(segment.start, segment.end)

    # -- commands ---------------------------------------------------------------------------------
    # Each command is one write op: it runs on the project's writer thread after any op in flight,
    # and the view, stripes and docks show it when its Changes come back.
    def _write(
        self,
        label: str,
        fn: Callable[[Project], T],
        on_done: Callable[[T], None] | None = None,
    ) -> None:
        self.bridge.ops.run_op(label, fn, on_done, initiator=self, on_error=self._refused)

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, CollabCoderError):
            self._report(str(error))  # refused, and nothing was changed
        else:
            self.bridge.ops.failed.emit("Coding", error)

    def code_selection(self, code_id: int, how: str = "Code") -> None:
        """Code the selected text with ``code_id``."""
        chosen = self.view.selection_range()
        if chosen is None:
            self._report("Select some text to code first.")
            return
        self.code_range(code_id, *chosen, how=how)

    def code_range(
        self,
        code_id: int,
        start: int,
        end: int,
        how: str = "Code",
        document_id: int | None = None,
        then: Callable[[SegmentRecord], None] | None = None,
    ) -> None:
        document = document_id if document_id is not None else self.document_id
        code = self.bridge.code(code_id)
        if document is None or code is None:
            return
        label = f"{how} with {code.name}"
        self._write(
            label, lambda p: p.segments.add(document, code_id, start, end, label=label), then
        )
        self.remember(code_id)

    def remember(self, code_id: int) -> None:
        """Note ``code_id`` as just applied (the menus offer recent codes first)."""
        self.recent_codes = [code_id, *(i for i in self.recent_codes if i != code_id)]
        del self.recent_codes[RECENT_CODES:]

    def code_whole_turn(self, code_id: int) -> None:
        if self.document_id is None:
            return
        chosen = self.view.selection_range()
        position = chosen[0] if chosen else self.view.cursor_position()
        span = whole_turn(self.view.text, self.bridge.turns(self.document_id), position)
        if span is None:
            self._report("The cursor is not inside a speaker turn.")
            return
        self.code_range(
            code_id, *span, how="Code whole turn", then=lambda _s: self.view.select_range(*span)
        )

    def code_sentences(self, code_id: int) -> None:
        if self.document_id is None:
            return
        chosen = self.view.selection_range()
        position = self.view.cursor_position()
        start, end = chosen if chosen else (position, position + 1)
        span = sentence_bounds(self.view.text, start, end, self.bridge.turns(self.document_id))
        self.code_range(
            code_id, *span, how="Code sentences", then=lambda _s: self.view.select_range(*span)
        )

    def code_in_vivo(self, parent_id: int | None = None) -> None:
        """Make a new code named from the selected words and code the selection with it."""
        chosen = self.view.selection_range()
        document_id = self.document_id
        if chosen is None or document_id is None:
            self._report("Select the words to name the new code after.")
            return
        name = in_vivo_name(self.view.text[chosen[0] : chosen[1]])
        if not name:
            self._report("The selection holds no words to name a code after.")
            return
        label = f"Code in vivo “{name}”"

        def in_vivo(project: Project) -> SegmentRecord:
            with project.undo_group(label):
                code = project.codes.add(name, parent_id)
                return project.segments.add(document_id, code.id, *chosen)

        self._write(label, in_vivo)

    def uncode(self, segment_ids: list[int] | None = None) -> int:
        """Remove the given segments (by default: the innermost one under the selection)."""
        ids = segment_ids if segment_ids is not None else [s.id for s in self.segments_here()[:1]]
        if not ids:
            self._report("There is no coding here to remove.")
            return 0
        names = sorted(
            {self._code_name(self.segments[i].code_id) for i in ids if i in self.segments}
        )
        label = f"Uncode {', '.join(names)}"
        self._write(label, lambda p: p.segments.delete(ids, label=label))
        return len(ids)

    def recode(self, segment_ids: list[int], code_id: int) -> None:
        code = self.bridge.code(code_id)
        if not segment_ids or code is None:
            return
        label = f"Recode to {code.name}"

        def recode(project: Project) -> None:
            with project.undo_group(label):
                project.segments.recode(segment_ids, code_id)

        self._write(label, recode)
        self.remember(code_id)

    def _code_name(self, code_id: int) -> str:
        code = self.bridge.code(code_id)
        return code.name if code else "?"
