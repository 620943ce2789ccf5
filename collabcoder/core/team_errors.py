"""What a team project's server refused, as one sentence a researcher can act on."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

from .errors import CollabCoderError

INSUFFICIENT_PRIVILEGE = "42501"

# Tables a coder may not write at all, and what that means in the researcher's words.
_LEAD_ONLY = {
    "code": "only a lead can change the codebook; propose the change instead "
    "(`collabcoder team propose`, or File > Team… > Propose a code)",
    "proposal": "only a lead can accept or reject a codebook proposal",
    "document": "only a lead can add, change or remove documents",
    "turn": "only a lead can add, change or remove documents",
    "case_": "only a lead can change cases and their attributes",
    "attribute": "only a lead can change cases and their attributes",
    "attribute_value": "only a lead can change cases and their attributes",
    "project_info": "only a lead can change the project's settings (its name, blind rounds)",
    "coder": "only a lead can add, rename or bind team members",
    "speaker": "only a lead can change the project's speakers",
    "speaker_alias": "only a lead can change the project's speakers",
    "speaker_attribute": "only a lead can change the project's speakers",
}
_OWN_ROWS = (
    "a coder can only code, and write memos, summaries and proposals, as themselves "
    "(attribution comes from your database login)"
)


class NotAllowed(CollabCoderError):
    """The team project's server refused: the member's role does not allow it; nothing changed."""


class NotATeamProject(CollabCoderError):
    """A team command on a project file, or on a server project not yet made a team project."""


def refusal(
    exc: DBAPIError, location: str, role_of_member: Callable[[], str | None]
) -> NotAllowed | None:
    """A :class:`NotAllowed` for a permission failure, or None for any other database error.

    ``role_of_member`` gives the member's project role (``None`` outside the team); it is asked
    only for a permission failure.
    """
    if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    role = role_of_member()
    message = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else ""
    if message.startswith("cc: "):  # our triggers' own sentences
        sentence = message[4:]
    elif role == "viewer":
        sentence = "you are a viewer of this project, and a viewer can only read"
    elif role is None:
        sentence = "your database login is not a member of this team project"
    elif "must be owner" in message or "for schema" in message:
        sentence = "only the project's owner (the login that created it) can set up team roles"
    elif "to create role" in message:
        sentence = (
            "creating a new database login needs a login with CREATEROLE (ask the database's "
            "administrator, or have the login created first and add it again)"
        )
    elif "row-level security" in message:
        sentence = _OWN_ROWS
    else:
        found = re.search(r'(?:table|relation) "?([\w]+)"?', message)
        sentence = _LEAD_ONLY.get(found.group(1) if found else "", "only a lead can do that")
    return NotAllowed(f"{location}: {sentence}; nothing was changed")
