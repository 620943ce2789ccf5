"""Project-wide text search (``project.search``): words, phrases, lemmas, operators, regex.

    hits = project.search.run("trust NEAR/10 funding", SearchOptions(context="turn"),
                              project.search.scope(exclude_speakers=["Interviewer"]))

Documents the index does not hold yet (an upgraded or pulled project) are indexed first, in a
transaction of their own that is not an undo step; a read-only project searches their text.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from .changes import Changes
from .errors import Cancelled, InvalidValue, NotFound
from .manager import Manager, chunks
from .model import Attribute, AttributeValue, Document, Segment, Turn
from .progress import CancelToken
from .records import SegmentRecord, TurnRecord
from .search_autocode import (
    AutocodeResult,
    Span,
    apply_autocode,
    autocode_as_new,
    preview_hits,
    preview_speaker,
)
from .search_coding import Passage, run_coding_query, segments_overlapping
from .search_eval import (
    Corpus,
    Hit,
    Occurrence,
    Scope,
    SearchOptions,
    decide,
    find_occurrences,
    hits_of,
    in_scope,
    prune_units,
    term_keys,
)
from .search_index import (
    UnitRow,
    all_units,
    candidate_units,
    clear_index,
    reindex,
    stale_documents,
)
from .search_query import Node, Phrase, Term, leaves, parse_query
from .search_text import line_starts, text_units
from .speaker_map import check_roles
from .speakers import read_map

if TYPE_CHECKING:
    from .project import Project

REGEX_SECONDS = 5.0  # a pattern that backtracks without end is stopped, not left to hang


@dataclass(frozen=True)
class SearchResult:
    """The hits of one search, with what was searched and how long it took."""

    query: str
    options: SearchOptions
    hits: list[Hit]
    documents: int
    seconds: float

    def provenance(self) -> str:
        """The query and its options in one line, as auto-coded segments record it."""
        how = "regex" if self.options.regex else "lemmas" if self.options.lemmas else "exact"
        return f"search {self.query!r} ({how}, within the same {self.options.context})"


class SearchManager(Manager):
    def __init__(self, project: Project) -> None:
        super().__init__(project)
        # A document's text never changes and its GUID is never reused: texts are kept
        # between searches, keyed by both (an id can come back after a delete).
        self._text_cache: dict[int, tuple[str, str]] = {}
        # Turns can change (a speaker renamed, a turn split): kept until any document changes.
        self._turn_cache: dict[int, list[TurnRecord]] = {}
        project.subscribe(self._forget_turns)

    def _forget_turns(self, changes: Changes) -> None:
        if changes.touched("documents"):
            self._turn_cache.clear()

    # -- scope ---------------------------------------------------------------------------------
    def scope(
        self,
        *,
        documents: Sequence[str] = (),
        cases: Sequence[str] = (),
        kinds: Sequence[str] = (),
        attributes: Mapping[str, Sequence[str]] | None = None,
        speakers: Sequence[str] = (),
        exclude_speakers: Sequence[str] = (),
        coders: Sequence[str] = (),
        codes: Sequence[str] = (),
        sets: Sequence[str] = (),
        roles: Sequence[str] = (),
        exclude_roles: Sequence[str] = (),
    ) -> Scope:
        """A scope from names as a researcher types them (unknown names are refused).

        ``sets``: documents in any of these document sets (a smart set as it is now).
        Speakers are named by a speaker's name or by any label meaning them; ``roles`` keep and
        ``exclude_roles`` leave out the turns of speakers in those roles.
        """
        ids: set[int] | None = None

        def narrow(found: set[int]) -> None:
            nonlocal ids
            ids = found if ids is None else ids & found

        listed = self._p.documents.list()
        if documents:
            narrow({self._p.documents.by_name(name).id for name in documents})
        if cases:
            case_ids = {self._p.cases.by_name(name).id for name in cases}
            narrow({d.id for d in listed if d.case_id in case_ids})
        if kinds:
            narrow({d.id for d in listed if d.kind in kinds})
        for name, values in (attributes or {}).items():
            narrow(self._documents_with(name, values))
        if sets:
            narrow(self._p.sets.documents_in(sets))
        coder_ids = tuple(self._p.coders.by_name(name).id for name in coders)
        code_ids = tuple(self._p.codes.by_path(path).id for path in codes)
        if speakers or exclude_speakers:
            known = self._p.speakers.map()
            labels = {label.strip().casefold() for label in self._p.speakers.labels()}
            for name in (*speakers, *exclude_speakers):
                if not known.known_name(name) and name.strip().casefold() not in labels:
                    raise NotFound(f"No speaker or turn label {name!r} in this project.")
        return Scope(
            document_ids=None if ids is None else tuple(sorted(ids)),
            speakers=tuple(speakers),
            exclude_speakers=tuple(exclude_speakers),
            coded_by=coder_ids,
            coded_with=code_ids,
            roles=check_roles(roles),
            exclude_roles=check_roles(exclude_roles),
        )

    def speakers(self) -> list[str]:
        """Every speaker name of the project's turns, once, in alphabetical order."""
        with self._p.read() as conn:
            names = conn.execute(select(Turn.speaker).distinct()).scalars().all()
        return sorted({n for n in names if n.strip()}, key=str.casefold)

    def segments_at(
        self, passages: Sequence[Passage], code_ids: Sequence[int] | None = None
    ) -> list[int]:
        """Ids of the segments (of ``code_ids``, or of any code) sharing text with a passage:
        what the Segments dock lists for a set of results."""
        return segments_overlapping(self._p, passages, code_ids)

    def _documents_with(self, attribute: str, values: Sequence[str]) -> set[int]:
        record = self._p.attributes.by_name(attribute)
        wanted = {v.casefold() for v in values}
        with self._p.read() as conn:
            rows = conn.execute(
                select(Document.id, AttributeValue.value)
                .join(AttributeValue, AttributeValue.case_id == Document.case_id)
                .join(Attribute, Attribute.id == AttributeValue.attribute_id)
                .where(Attribute.id == record.id)
            ).all()
        return {r.id for r in rows if r.value.casefold() in wanted}

    # -- searching -----------------------------------------------------------------------------
    def run(
        self,
        query: str,
        options: SearchOptions | None = None,
        scope: Scope | None = None,
        cancel: CancelToken | None = None,
        *,
        index: bool = True,
    ) -> SearchResult:
        """Search every document in ``scope``; hits sorted by document and position.

        ``index`` False searches documents the index lacks from their text instead of indexing
        them: for searches on a reader thread, which must not write.

        ``cancel`` is checked between units of work: a cancelled search raises ``Cancelled``
        and returns nothing, and the index it was building is rolled back with its transaction.
        """
        options = options or SearchOptions()
        scope = scope or Scope()
        check = _checker(cancel)
        began = time.perf_counter()
        if options.regex:
            pattern = _compile(query)
            parsed: Node | None = None
        else:
            parsed = parse_query(query)
        stale = self._index_stale(check, write=index)
        with self._p.read() as conn:
            names: dict[int, str] = {
                r.id: r.name for r in conn.execute(select(Document.id, Document.name))
            }
            searched = sorted(names) if scope.document_ids is None else list(scope.document_ids)
            turns_decide = scope.turns.active
            if parsed is None:
                corpus = self._corpus(conn, searched, names, scope, turns=turns_decide)
                occurrences = [
                    o
                    for o in _regex_occurrences(pattern, corpus, check)
                    if in_scope(o, corpus, scope)
                ]
            else:
                units = self._units(conn, parsed, options, scope, stale, names)
                check()
                turns_decide = turns_decide or options.context == "turn"
                candidates = sorted({u.document_id for u in units})
                corpus = self._corpus(conn, candidates, names, scope, turns=turns_decide)
                found = find_occurrences(units, corpus, parsed, options.lemmas, check)
                check()
                occurrences = decide(parsed, found, corpus, options, scope)
            if not turns_decide:  # the speaker of each hit: turns of the documents with hits
                self._load_turns(conn, corpus, sorted({o.document_id for o in occurrences}))
        check()
        return SearchResult(
            query,
            options,
            hits_of(occurrences, corpus),
            len(searched),
            time.perf_counter() - began,
        )

    def _units(
        self,
        conn: Connection,
        parsed: Node,
        options: SearchOptions,
        scope: Scope,
        stale: set[int],
        names: dict[int, str],
    ) -> list[UnitRow]:
        """Index rows that may answer the query: from the index, or read from stale documents."""
        wanted = scope.document_ids
        by_leaf: dict[Term | Phrase, list[UnitRow]] = {}
        for leaf in leaves(parsed):
            terms = leaf.terms if isinstance(leaf, Phrase) else (leaf,)
            keys = [term_keys(t, options.lemmas) for t in terms]
            # A phrase lies in one sentence: the sentences must hold every one of its words.
            groups = [k for k in keys if k is not None]
            if not groups:  # a word the index cannot narrow: every unit is a candidate
                found = sorted(all_units(conn, wanted), key=lambda u: (u.document_id, u.start))
                break
            if leaf not in by_leaf:
                by_leaf[leaf] = candidate_units(conn, groups, wanted)
        else:
            found = prune_units(parsed, by_leaf, options.context)
        unindexed = [d for d in sorted(stale) if d in names and (wanted is None or d in wanted)]
        for document_id, body in self._texts(conn, unindexed).items():
            found += [
                UnitRow(-1, document_id, u.start, u.end, u.paragraph, u.word_offset)
                for u in text_units(body)
            ]
        return found

    def _index_stale(self, check: Check, *, write: bool = True) -> set[int]:
        """Index documents the index lacks; return those still unindexed (read-only use)."""
        with self._p.read() as conn:
            stale = stale_documents(conn)
        if not stale or self._p.read_only or not write:
            return set(stale)
        try:
            with self._p._write_transaction() as conn:  # index upkeep: not an undo step
                reindex(conn, stale_documents(conn), check)
        except IntegrityError:
            # Another coder indexed them at the same moment: their index serves us too.
            with self._p.read() as conn:
                return set(stale_documents(conn))
        return set()

    def coding_query(
        self, query: str, scope: Scope | None = None, cancel: CancelToken | None = None
    ) -> list[Passage]:
        """Run a coding query (see ``core.search_coding``) over the project's coding;
        ``cancel`` as for :meth:`run`."""

        def texts(document_ids: Sequence[int]) -> dict[int, str]:
            with self._p.read() as conn:
                return self._texts(conn, document_ids)

        def turns(document_ids: Sequence[int]) -> dict[int, list[TurnRecord]]:
            corpus = Corpus({}, {})
            with self._p.read() as conn:
                self._load_turns(conn, corpus, document_ids)
            return corpus.turns

        return run_coding_query(self._p, query, scope, texts, _checker(cancel), turns)

    # -- search and code -----------------------------------------------------------------------
    def preview_autocode(self, hits: Sequence[Hit], unit: str = "hit") -> list[Span]:
        """The passages coding ``hits`` as ``unit`` would code (nothing is written)."""
        return preview_hits(self._p, hits, unit)

    def preview_speaker(self, speaker: str, scope: Scope | None = None) -> list[Span]:
        """Every turn of ``speaker``, as passages to code."""
        ids = scope.document_ids if scope is not None else None
        return preview_speaker(self._p, speaker, ids)

    def autocode(self, spans: Sequence[Span], code_id: int, provenance: str) -> AutocodeResult:
        """Code ``spans`` with a code as one undo step (origin auto-code, with provenance)."""
        return apply_autocode(self._p, spans, code_id, provenance)

    def autocode_new(self, spans: Sequence[Span], path: str, provenance: str) -> AutocodeResult:
        """Make the code ``path`` and code ``spans`` with it, as one undo step."""
        return autocode_as_new(self._p, spans, path, provenance)

    def _texts(self, conn: Connection, document_ids: Sequence[int]) -> dict[int, str]:
        texts: dict[int, str] = {}
        cache = self._text_cache
        for batch in chunks(document_ids):
            guids = dict(
                conn.execute(select(Document.id, Document.guid).where(Document.id.in_(batch)))
                .tuples()
                .all()
            )
            missing = [i for i, guid in guids.items() if cache.get(i, ("", ""))[0] != guid]
            for batch_missing in chunks(missing):
                rows = conn.execute(
                    select(Document.id, Document.guid, Document.text).where(
                        Document.id.in_(batch_missing)
                    )
                )
                cache.update((r.id, (r.guid, r.text)) for r in rows)
            texts.update((i, cache[i][1]) for i in guids)
        return texts

    def _load_turns(self, conn: Connection, corpus: Corpus, document_ids: Sequence[int]) -> None:
        # A snapshot: the GUI thread may empty the cache while a worker searches.
        known = dict(self._turn_cache)
        loaded: dict[int, list[TurnRecord]] = {i: [] for i in document_ids if i not in known}
        for batch in chunks(list(loaded)):
            rows = conn.execute(
                select(*Turn.__table__.c)
                .where(Turn.document_id.in_(batch))
                .order_by(Turn.document_id, Turn.start)
            ).tuples()
            for row in rows:
                loaded[row[1]].append(TurnRecord(*row))
        self._turn_cache.update(loaded)
        known.update(loaded)
        corpus.turns.update((i, known[i]) for i in document_ids)

    def _corpus(
        self,
        conn: Connection,
        document_ids: Sequence[int],
        names: dict[int, str],
        scope: Scope,
        *,
        turns: bool,
    ) -> Corpus:
        corpus = Corpus(self._texts(conn, document_ids), names)
        if turns:
            self._load_turns(conn, corpus, document_ids)
        if scope.coded_by or scope.coded_with:
            _load_segments(conn, corpus, document_ids, scope)
        if scope.turns.active:
            corpus.speakers = read_map(conn)
        return corpus

    def rebuild_index(self) -> int:
        """Rebuild the whole index from the documents' text; returns the documents indexed."""
        with self._p._write_transaction() as conn:
            clear_index(conn)
            ids = list(conn.execute(select(Document.id)).scalars())
            reindex(conn, ids)
        return len(ids)


Check = Callable[[], None]


def _checker(cancel: CancelToken | None) -> Check:
    """A check to call between units of work: raises ``Cancelled`` once ``cancel`` is set."""

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled("The search was cancelled; nothing was found or changed.")

    return check


def _compile(pattern: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.MULTILINE)
    except regex.error as exc:
        raise InvalidValue(f"The regular expression {pattern!r} is not valid ({exc}).") from None


def _load_segments(
    conn: Connection, corpus: Corpus, document_ids: Sequence[int], scope: Scope
) -> None:
    for batch in chunks(document_ids):
        query = select(Segment).where(Segment.document_id.in_(batch))
        if scope.coded_by:
            query = query.where(Segment.coder_id.in_(scope.coded_by))
        if scope.coded_with:
            query = query.where(Segment.code_id.in_(scope.coded_with))
        for row in conn.execute(query).mappings():
            corpus.segments.setdefault(row["document_id"], []).append(SegmentRecord(**row))


def _regex_occurrences(
    pattern: regex.Pattern[str], corpus: Corpus, check: Check
) -> list[Occurrence]:
    found = []
    for document_id, body in sorted(corpus.texts.items()):
        check()
        try:
            matches = [m.span() for m in pattern.finditer(body, timeout=REGEX_SECONDS)]
        except TimeoutError:
            raise InvalidValue(
                f"The regular expression {pattern.pattern!r} took too long on "
                f"{corpus.names[document_id]!r}; make it more specific."
            ) from None
        units = text_units(body)
        starts = [u.start for u in units]
        lines = line_starts(body)
        for start, end in matches:
            if end == start:
                continue
            n = bisect_right(starts, start) - 1
            unit = (units[n].start, units[n].end) if n >= 0 else (start, end)
            paragraph = bisect_right(lines, start) - 1
            found.append(Occurrence(document_id, start, end, 0, 0, unit[0], unit[1], paragraph))
    return found
