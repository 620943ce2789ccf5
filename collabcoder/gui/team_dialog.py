"""File > Team…: a team project's members and roles, its blind round and codebook proposals.

Leads change membership, open and close blind rounds and decide proposals; coders see who is
who and propose codes (Propose a code…); everyone sees their own login and role. The dialog only
asks: the database server decides, and its refusal is shown as the sentence the core makes of it.
Each change is a write op on the project's writer thread, like every other write of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.errors import CollabCoderError
from collabcoder.core.project import Project

if TYPE_CHECKING:
    from .ops import OpRunner
    from .shell import Shell

ROLE_NAMES = ("coder", "viewer", "lead")


def coder_caption(project: Project | None, typed: str) -> str:
    """The status bar's "Coder: ..." text: the login and role on a team project."""
    if project is None or not project.team.enabled:
        return f"Coder: {typed}"
    role = project.team.role or "not a member"
    return f"Coder: {project.team.login} ({role}, by database login)"


def _table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


class TeamDialog(QDialog):
    """Members, roles, the blind round and proposals of the window's team project."""

    def __init__(self, parent: QWidget, project: Project, ops: OpRunner) -> None:
        super().__init__(parent)
        self.project = project
        self.ops = ops
        self.setWindowTitle(f"Team — {project.name}")
        self.whoami = QLabel(self)
        self.whoami.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setAccessibleName("Team problem")
        self.members = _table(self, ["Login", "Coder name", "Role"], "Team members")
        self.login = QLineEdit(self)
        self.login.setPlaceholderText("their PostgreSQL login")
        self.coder_name = QLineEdit(self)
        self.coder_name.setPlaceholderText("name shown on their work (default: the login)")
        self.role = QComboBox(self)
        self.role.addItems(list(ROLE_NAMES))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("for a new login only; sent as a verifier, never stored")
        self.add_button = QPushButton("Add / change role", self)
        self.remove_button = QPushButton("Remove selected", self)
        self.blind_state = QLabel(self)
        self.blind_button = QPushButton(self)
        self.proposals = _table(self, ["#", "By", "Change", "Reason"], "Codebook proposals")
        self.propose_button = QPushButton("Propose a code…", self)
        self.accept_button = QPushButton("Accept", self)
        self.reject_button = QPushButton("Reject", self)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.blind_button.clicked.connect(self.toggle_blind)
        self.propose_button.clicked.connect(self._ask_proposal)
        self.accept_button.clicked.connect(
            lambda: self._decide("Accept proposal", lambda p, i: p.proposals.accept(i))
        )
        self.reject_button.clicked.connect(
            lambda: self._decide("Reject proposal", lambda p, i: p.proposals.reject(i))
        )
        self._lay_out()
        self.refresh()
        self.resize(640, 620)

    def _lay_out(self) -> None:
        members = QGroupBox("Members", self)
        form = QFormLayout()
        form.addRow("Login:", self.login)
        form.addRow("Coder name:", self.coder_name)
        form.addRow("Role:", self.role)
        form.addRow("Password:", self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        box = QVBoxLayout(members)
        box.addWidget(self.members)
        box.addLayout(form)
        box.addLayout(buttons)
        blind = QGroupBox("Blind round", self)
        row = QHBoxLayout(blind)
        row.addWidget(self.blind_state, 1)
        row.addWidget(self.blind_button)
        proposals = QGroupBox("Codebook proposals", self)
        decide = QHBoxLayout()
        decide.addWidget(self.propose_button)
        decide.addStretch(1)
        decide.addWidget(self.accept_button)
        decide.addWidget(self.reject_button)
        column = QVBoxLayout(proposals)
        column.addWidget(self.proposals)
        column.addLayout(decide)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        self.members.setMinimumHeight(150)
        self.proposals.setMinimumHeight(90)
        layout = QVBoxLayout(self)
        for widget, stretch in ((self.whoami, 0), (members, 3), (blind, 0), (proposals, 2),
                                (self.problem, 0), (close, 0)):  # fmt: skip
            layout.addWidget(widget, stretch)

    # -- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the team again and enable what this member's role allows."""
        team = self.project.team
        lead = team.role == "lead"
        self.whoami.setText(
            f"You are <b>{team.login}</b>, {team.role or 'not a member'} of this team project. "
            "Work here is attributed to each member's database login, not to a typed name; "
            "the database server enforces every role."
        )
        _fill(
            self.members,
            [[m.login, m.coder or "(not yet written)", m.role + (" (owner)" if m.owner else "")]
             for m in team.members()],
        )  # fmt: skip
        blind = team.blind
        self.blind_state.setText(
            "Open: each coder sees only their own coding."
            if blind
            else "Closed: everyone sees all coding."
        )
        self.blind_button.setText("Stop blind round" if blind else "Start blind round")
        names = {c.id: c.name for c in self.project.coders.list()}
        found = self.project.proposals.list()
        self._proposal_ids = [p.id for p in found]
        _fill(
            self.proposals,
            [[str(p.id), names.get(p.coder_id, "?"), self.project.proposals.describe(p), p.reason]
             for p in found],
        )  # fmt: skip
        for widget in (self.login, self.coder_name, self.role, self.password, self.add_button,
                       self.remove_button, self.blind_button, self.accept_button,
                       self.reject_button):  # fmt: skip
            widget.setEnabled(lead)
        self.propose_button.setEnabled(team.role in ("lead", "coder"))

    # -- acting ----------------------------------------------------------------------------------
    def _attempt(
        self,
        label: str,
        action: Callable[[Project], object],
        then: Callable[[], None] | None = None,
    ) -> None:
        """Run one team action as a write op; a refusal is shown in the dialog, changing nothing."""

        def done(_result: object) -> None:
            self.problem.setText("")
            self.refresh()
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            if not isinstance(error, CollabCoderError):
                self.ops.failed.emit(label, error)
                return
            self.problem.setText(str(error))

        self.ops.run_op(label, action, done, initiator=self, on_error=failed)

    def add_member(self) -> None:
        login = self.login.text().strip()
        password = self.password.text() or None
        role, name = self.role.currentText(), self.coder_name.text().strip() or None
        self.password.clear()  # never kept, whatever happens

        def added() -> None:
            self.login.clear()
            self.coder_name.clear()

        self._attempt(
            f"Add {login} as {role}",
            lambda p: p.team.add_member(login, role, name=name, password=password),
            added,
        )

    def remove_member(self) -> None:
        item = self.members.item(self.members.currentRow(), 0)
        if item is None:
            self.problem.setText("Select a member to remove.")
            return
        login = item.text()
        self._attempt(f"Remove {login}", lambda p: p.team.remove_member(login))

    def toggle_blind(self) -> None:
        if self.project.team.blind:
            self._attempt("Stop blind round", lambda p: p.team.stop_blind())
        else:
            self._attempt("Start blind round", lambda p: p.team.start_blind())

    def _ask_proposal(self) -> None:
        name, ok = QInputDialog.getText(self, "Propose a code", "Name of the new code:")
        if not ok or not name.strip():
            return
        definition, ok = QInputDialog.getText(self, "Propose a code", f"Definition of {name}:")
        if ok:
            self.propose(name, definition)

    def propose(self, name: str, definition: str = "") -> None:
        """Record a proposed new code for a lead to accept."""
        self._attempt(
            f"Propose code {name}",
            lambda p: p.proposals.propose_code(name, definition=definition),
        )

    def _decide(self, label: str, decide: Callable[[Project, int], object]) -> None:
        row = self.proposals.currentRow()
        if row < 0:
            self.problem.setText("Select a proposal first.")
            return
        proposal_id = self._proposal_ids[row]
        self._attempt(label, lambda p: decide(p, proposal_id))


def show_team_dialog(window: Shell) -> TeamDialog | None:
    """Open the Team dialog for the window's project (explaining when there is no team)."""
    project = window.bridge.project
    if project is None:
        window.report("Open a project first.")
        return None
    try:
        enabled = project.team.enabled
    except CollabCoderError as error:
        window.show_error("Team", str(error))
        return None
    if not enabled:
        window.show_error(
            "Team",
            "A project file is one laptop, one person: its coders are the names typed."
            if not project.is_shared
            else "This shared project is not a team project yet: a lead makes it one with "
            "`collabcoder team init URL`.",
        )
        return None
    dialog = TeamDialog(window.widget, project, window.bridge.ops)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
