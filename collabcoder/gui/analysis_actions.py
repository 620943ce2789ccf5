"""Analyse menu: the Matrix, Co-occurrence and Agreement windows (loaded on first use)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from collabcoder.core.errors import CollabCoderError

from .synthesis_snapshot import SynthesisSnapshot

if TYPE_CHECKING:
    from .agreement_window import AgreementWindow
    from .cooccurrence_window import CooccurrenceWindow
    from .matrix_window import MatrixWindow
    from .shell import Shell


class AnalysisActions:
    def __init__(self, window: Shell) -> None:
        self.window = window
        self.snapshot = SynthesisSnapshot(window.bridge)  # shared by the analysis windows
        self.matrix: MatrixWindow | None = None
        self.agreement: AgreementWindow | None = None
        self.cooccurrence: CooccurrenceWindow | None = None

    @property
    def loading(self) -> bool:
        """True while an open analysis window has a computation pending (they wait a moment
        after a change, then compute on the reader thread)."""
        shown = (self.matrix, self.cooccurrence, self.agreement)
        return any(w is not None and w.loading for w in shown)

    def handlers(self) -> dict[str, Callable[..., Any]]:
        return {
            "matrix": self.show_matrix,
            "cooccurrence": self.show_cooccurrence,
            "agreement": self.show_agreement,
        }

    def show_matrix(self) -> MatrixWindow | None:
        if self.window.bridge.project is None:
            self.window.report("Open a project first.")
            return None
        if self.matrix is None:
            from .matrix_window import MatrixWindow

            self.matrix = MatrixWindow(self.window)
        self.matrix.show()
        self.matrix.raise_()
        return self.matrix

    def show_agreement(self) -> AgreementWindow | None:
        project = self.window.bridge.project
        if project is None:
            self.window.report("Open a project first.")
            return None
        try:
            project.team.require_report()  # a blind round's report is the lead's
        except CollabCoderError as error:
            self.window.show_error("Inter-coder agreement", str(error))
            return None
        if self.agreement is None:
            from .agreement_window import AgreementWindow

            self.agreement = AgreementWindow(self.window)
        self.agreement.show()
        self.agreement.raise_()
        return self.agreement

    def show_cooccurrence(self) -> CooccurrenceWindow | None:
        if self.window.bridge.project is None:
            self.window.report("Open a project first.")
            return None
        if self.cooccurrence is None:
            from .cooccurrence_window import CooccurrenceWindow

            self.cooccurrence = CooccurrenceWindow(self.window)
        self.cooccurrence.show()
        self.cooccurrence.raise_()
        return self.cooccurrence
