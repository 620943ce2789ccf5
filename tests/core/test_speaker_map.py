"""The speaker resolver and filter on their own (no database): properties over random labels."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from collabcoder.core.speaker_map import SpeakerFilter, SpeakerInfo, SpeakerMap
from collabcoder.core.vocabulary import SPEAKER_ROLES

LABELS = st.sampled_from(["Interviewer", "INT", "MD", "md", "Sam", "Toby", "Q"])


@st.composite
def speaker_maps(draw: st.DrawFn) -> SpeakerMap:
    """Up to four speakers; some labels mean one everywhere, some only in document 1 or 2."""
    count = draw(st.integers(1, 4))
    speakers = {
        n: SpeakerInfo(n, f"Speaker {n}", draw(st.sampled_from(SPEAKER_ROLES)))
        for n in range(1, count + 1)
    }
    ids = st.integers(1, count)
    everywhere = draw(st.dictionaries(LABELS.map(str.casefold), ids, max_size=4))
    in_document = draw(
        st.dictionaries(st.tuples(st.integers(1, 2), LABELS.map(str.casefold)), ids, max_size=4)
    )
    return SpeakerMap(speakers, in_document, everywhere)


@given(speaker_maps(), st.integers(1, 2), LABELS, st.sampled_from(SPEAKER_ROLES))
def test_keeping_and_leaving_out_a_role_split_every_known_turn(
    known: SpeakerMap, document: int, label: str, role: str
) -> None:
    """A turn whose label means a speaker passes exactly one of "only this role" and "leave out
    this role"; a turn of no known speaker passes the exclusion and fails the inclusion."""
    keep = SpeakerFilter(roles=(role,)).allows(document, label, known)
    leave = SpeakerFilter(exclude_roles=(role,)).allows(document, label, known)
    if known.resolve(document, label) is None:
        assert (keep, leave) == (False, True)
    else:
        assert keep != leave


@given(speaker_maps(), st.integers(1, 2), LABELS)
def test_a_documents_alias_wins_and_labels_ignore_case(
    known: SpeakerMap, document: int, label: str
) -> None:
    """The document's own alias decides when there is one, else the project-wide one; a label
    resolves the same in any case, and naming the speaker it means selects the turn."""
    found = known.resolve(document, label)
    assert found == known.resolve(document, label.upper()) == known.resolve(document, label.lower())
    own = known.in_document.get((document, label.casefold()))
    if own is not None:
        assert found is not None and found.id == own
    elif label.casefold() in known.everywhere:
        assert found is not None and found.id == known.everywhere[label.casefold()]
    if found is not None:
        assert SpeakerFilter(speakers=(found.name,)).allows(document, label, known)
        assert not SpeakerFilter(exclude_speakers=(found.name,)).allows(document, label, known)


def test_text_outside_every_turn() -> None:
    """Text outside every turn passes exclusions and fails inclusions; no filter keeps all."""
    assert SpeakerFilter().allows(1, None, None)
    assert SpeakerFilter(exclude_roles=("interviewer",)).allows(1, None, SpeakerMap())
    assert not SpeakerFilter(speakers=("Sam",)).allows(1, None, SpeakerMap())
