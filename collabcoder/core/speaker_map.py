"""Which speaker a turn's label means, and whether a turn passes a speaker or role filter.

Pure data, no database: the speaker manager builds a :class:`SpeakerMap` from its tables, and
search, coding queries, matrices and suggestions ask it about each turn. A label means the
speaker of its document's own alias, else of the project-wide alias, else the speaker of that
name; all compared case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .errors import InvalidValue
from .vocabulary import SPEAKER_ROLES

# Labels that name a role, not a person ("Interviewer:", "INT", "Q", "Moderator").
_ROLE_LABELS = {
    "interviewer": "interviewer",
    "int": "interviewer",
    "iv": "interviewer",
    "q": "interviewer",
    "question": "interviewer",
    "host": "interviewer",
    "researcher": "interviewer",
    "facilitator": "facilitator",
    "moderator": "facilitator",
    "mod": "facilitator",
}
# Document metadata naming the people who asked the questions (a transcript's front matter).
_ASKING_KEYS = {
    "interviewer": "interviewer",
    "interviewers": "interviewer",
    "host": "interviewer",
    "hosts": "interviewer",
    "moderator": "facilitator",
    "facilitator": "facilitator",
}
_NUMBERED = re.compile(r"^(.*?)[\s_-]*\d+$")


def check_role(role: str) -> str:
    """``role`` in its stored form, or a refusal naming the roles there are."""
    clean = role.strip().casefold()
    if clean not in SPEAKER_ROLES:
        raise InvalidValue(
            f"{role!r} is not a speaker role; use one of {', '.join(SPEAKER_ROLES)}."
        )
    return clean


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    return tuple(check_role(r) for r in roles)


def guess_role(label: str, meta: Mapping[str, str] | None = None) -> str:
    """The role a new speaker most likely has, from its label and its document's metadata.

    "Interviewer", "INT", "Q", "Moderator 2" name a role; a label that is, or is the first name
    of, a host or interviewer the document's metadata names is that person asking. Everyone
    else is a participant until the researcher says otherwise.
    """
    key = label.strip().casefold().rstrip(":.")
    numbered = _NUMBERED.match(key)
    for candidate in (key, numbered.group(1) if numbered else key):
        if candidate in _ROLE_LABELS:
            return _ROLE_LABELS[candidate]
    for meta_key, value in (meta or {}).items():
        role = _ASKING_KEYS.get(meta_key.casefold())
        if role is None:
            continue
        for person in re.split(r"[,;]|\band\b", str(value)):
            name = person.strip().casefold()
            if name and (key == name or key == name.split()[0]):
                return role
    return "participant"


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    """What a filter needs of a speaker: who, and in what role."""

    id: int
    name: str
    role: str


@dataclass(frozen=True)
class SpeakerMap:
    """Every speaker, and what each label means (per document and project-wide)."""

    speakers: Mapping[int, SpeakerInfo] = field(default_factory=dict)
    in_document: Mapping[tuple[int, str], int] = field(default_factory=dict)
    everywhere: Mapping[str, int] = field(default_factory=dict)
    _by_name: dict[str, int] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for speaker in sorted(self.speakers.values(), key=lambda s: -s.id):
            self._by_name[speaker.name.casefold()] = speaker.id  # the oldest wins a tie

    def resolve(self, document_id: int, label: str) -> SpeakerInfo | None:
        """The speaker ``label`` means in that document, or None when it means no one known."""
        key = label.strip().casefold()
        found = self.in_document.get((document_id, key))
        if found is None:
            found = self.everywhere.get(key, self._by_name.get(key))
        return self.speakers.get(found) if found is not None else None

    def known_name(self, name: str) -> bool:
        """Whether ``name`` is a speaker's name or any label that means a speaker."""
        key = name.strip().casefold()
        return (
            key in self._by_name
            or key in self.everywhere
            or any(label == key for _, label in self.in_document)
        )


@dataclass(frozen=True)
class SpeakerFilter:
    """Which turns to keep: by speaker (names or labels) and by role. Empty keeps every turn."""

    speakers: Sequence[str] = ()
    exclude_speakers: Sequence[str] = ()
    roles: Sequence[str] = ()
    exclude_roles: Sequence[str] = ()

    @cached_property
    def _wanted(self) -> frozenset[str]:
        return frozenset(s.strip().casefold() for s in self.speakers)

    @cached_property
    def _unwanted(self) -> frozenset[str]:
        return frozenset(s.strip().casefold() for s in self.exclude_speakers)

    @property
    def active(self) -> bool:
        return bool(self.speakers or self.exclude_speakers or self.roles or self.exclude_roles)

    def allows(self, document_id: int, label: str | None, speakers: SpeakerMap | None) -> bool:
        """Whether text in a turn labelled ``label`` (None: outside every turn) passes.

        A speaker is named by a label or by the name of the speaker the label means in that
        document. Text outside every turn passes exclusions and fails inclusions.
        """
        if not self.active:
            return True
        info = speakers.resolve(document_id, label) if speakers and label is not None else None
        names = {label.strip().casefold()} if label else set()
        if info is not None:
            names.add(info.name.casefold())
        if self.speakers and not names & self._wanted:
            return False
        if names & self._unwanted:
            return False
        role = info.role if info is not None else None
        if self.roles and role not in self.roles:
            return False
        return not (role is not None and role in self.exclude_roles)
