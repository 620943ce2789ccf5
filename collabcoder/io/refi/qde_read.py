"""Read a REFI-QDA ``project.qde`` element tree into plain data, leniently.

Elements are matched by local name, so both the 1.0 namespace and none at all are read. GUIDs are
normalised (lower case, no braces) so references match whatever case each tool wrote. Anything
CollabCoder cannot hold (pictures, audio, video, graphs...) is listed in ``unsupported`` with the
reason, for the fidelity report.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache

from lxml import etree

from collabcoder.core.errors import UnsupportedFormat
from collabcoder.io.refi.fidelity import NotCarried
from collabcoder.io.refi.qdc import codes_from_codebook, normalise_colour, normalise_guid
from collabcoder.io.refi.qde_model import (
    QdeCase,
    QdeCoding,
    QdeNote,
    QdeProject,
    QdeSelection,
    QdeSet,
    QdeTextSource,
    QdeVariable,
)
from collabcoder.io.refi.safe_xml import local_name

_VALUE_TAGS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)


@lru_cache(maxsize=4096)  # codings made in one session share their times
@lru_cache(maxsize=4096)  # thousands of codings made in the same few seconds
def parse_time(value: str | None) -> str | None:
    """An xsd:dateTime as our stored form (UTC, ISO 8601, seconds), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def read_project(root: etree._Element, source: str) -> QdeProject:
    """Turn a ``<Project>`` element into a :class:`QdeProject`."""
    if local_name(root) != "Project":
        raise UnsupportedFormat(
            f"{source}: not a REFI-QDA project (root element is <{local_name(root)}>)"
        )
    reader = _Reader(source)
    return reader.project(root)


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Child elements called ``name`` in any namespace (or none), picked out by lxml itself."""
    return element.iterchildren(f"{{*}}{name}")


def _child_text(element: etree._Element, name: str) -> str:
    child = next(_children(element, name), None)
    return "".join(child.itertext()) if child is not None else ""


def _refs(element: etree._Element, name: str) -> list[str]:
    return _guids(ref.get("targetGUID") for ref in _children(element, name))


def _guids(values: Iterable[str | None]) -> list[str]:
    return [g for g in (normalise_guid(v) for v in values) if g]


@lru_cache(maxsize=1024)  # a handful of users create thousands of codings
def _user(value: str | None) -> str | None:
    return normalise_guid(value)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: set[str] = set()
        self.out = QdeProject("", "")

    def guid(self, element: etree._Element, what: str, name: str | None = None) -> str:
        """The element's GUID; a fresh one (with a warning) when missing, invalid or repeated.

        The warning names ``what`` (followed by ``name`` quoted, when given: the message is only
        put together when needed, since this runs for every selection and coding).
        """
        raw = element.get("guid")
        guid = normalise_guid(raw)
        if guid is None or guid in self.seen:
            what = what if name is None else f"{what} {name!r}"
            problem = "has no valid GUID" if guid is None else f"repeats the GUID {guid}"
            self.out.warnings.append(f"{what} {problem}; a new GUID was given to it")
            guid = str(uuid.uuid4())
        self.seen.add(guid)
        return guid

    def project(self, root: etree._Element) -> QdeProject:
        out = self.out
        out.name = root.get("name", "")
        out.origin = root.get("origin", "")
        for users in _children(root, "Users"):
            for user in _children(users, "User"):
                guid = normalise_guid(user.get("guid"))
                if guid:
                    out.users[guid] = (user.get("name") or "").strip() or f"User {guid[:8]}"
        for codebook in _children(root, "CodeBook"):
            self.codebook(codebook)
        for variables in _children(root, "Variables"):
            for var in _children(variables, "Variable"):
                out.variables.append(
                    QdeVariable(
                        self.guid(var, f"variable {var.get('name')!r}"),
                        (var.get("name") or "").strip(),
                        var.get("typeOfVariable", "Text"),
                        _child_text(var, "Description"),
                    )
                )
        for cases in _children(root, "Cases"):
            for case in _children(cases, "Case"):
                out.cases.append(self.case(case))
        for sources in _children(root, "Sources"):
            for element in sources:
                self.source_element(element)
        for notes in _children(root, "Notes"):
            for note in _children(notes, "Note"):
                out.notes.append(self.note(note))
        for links in _children(root, "Links"):
            for link in _children(links, "Link"):
                origin, target = (normalise_guid(link.get(a)) for a in ("originGUID", "targetGUID"))
                if origin and target:
                    out.links.append((origin, target))
        for sets in _children(root, "Sets"):
            for element in _children(sets, "Set"):
                out.sets.append(self.set_(element))
        for graphs in _children(root, "Graphs"):
            for graph in _children(graphs, "Graph"):
                out.unsupported.append(
                    NotCarried("graph", graph.get("name", ""), "CollabCoder has no network views")
                )
        out.project_notes = _refs(root, "NoteRef")
        return out

    def codebook(self, codebook: etree._Element) -> None:
        if not any(
            True for codes in _children(codebook, "Codes") for _ in _children(codes, "Code")
        ):
            return  # an empty codebook is no error in a project
        self.out.codes = codes_from_codebook(codebook, self.source)
        # lxml finds the few elements wanted here itself: a codebook may hold 100,000 codes.
        for code in codebook.iter("{*}Code"):
            colour = code.get("color")
            if colour is not None and normalise_colour(colour) is None:
                self.out.warnings.append(
                    f"code {code.get('name')!r}: colour {colour!r} is not #RRGGBB; "
                    "a palette colour was used"
                )
        for ref in codebook.iter("{*}NoteRef"):
            code = ref.getparent()
            guid = normalise_guid(code.get("guid")) if local_name(code) == "Code" else None
            note = normalise_guid(ref.get("targetGUID"))
            if guid and note:
                self.out.code_notes.setdefault(guid, []).append(note)

    def case(self, case: etree._Element) -> QdeCase:
        name = (case.get("name") or "").strip()
        return QdeCase(
            self.guid(case, f"case {name!r}"),
            name,
            _child_text(case, "Description"),
            self.values(case),
            _refs(case, "SourceRef"),
            _refs(case, "NoteRef"),  # not in the schema, but some tools write it
            len(_refs(case, "CodeRef")) + len(_refs(case, "SelectionRef")),
        )

    def values(self, element: etree._Element) -> list[tuple[str, str, str]]:
        out = []
        for value in _children(element, "VariableValue"):
            refs = _refs(value, "VariableRef")
            tagged = next((c for c in value if local_name(c) in _VALUE_TAGS), None)
            if refs and tagged is not None:
                out.append((refs[0], local_name(tagged), "".join(tagged.itertext())))
        return out

    def source_element(self, element: etree._Element) -> None:
        kind = local_name(element)
        name = element.get("name") or ""
        if kind == "TextSource":
            self.out.sources.append(self.text_source(element, name))
            return
        if kind == "PDFSource":
            # The PDF itself is not carried, but its plain-text representation is a document.
            # The document takes the PDF's GUID: sets and cases refer to the PDF, not its text.
            pdf_guid = self.guid(element, f"source {name!r}")
            for representation in _children(element, "Representation"):
                self.out.sources.append(self.text_source(representation, name, pdf_guid))
            selections = sum(1 for _ in _children(element, "PDFSelection"))
            if selections:
                self.out.unsupported.append(
                    NotCarried(
                        "PDF selection",
                        f"{selections} in {name}",
                        "regions of PDF pages are not text selections",
                    )
                )
            return
        if kind in ("PictureSource", "AudioSource", "VideoSource"):
            media = kind.removesuffix("Source").lower()
            self.out.unsupported.append(
                NotCarried(
                    f"{media} source",
                    name,
                    f"CollabCoder codes text; {media} files are not carried",
                )
            )

    def text_source(
        self, element: etree._Element, name: str, guid: str | None = None
    ) -> QdeTextSource:
        guid = guid or self.guid(element, f"source {name!r}")
        if element.get("richTextPath"):
            self.out.unsupported.append(
                NotCarried(
                    "formatting", name, "CollabCoder codes plain text; the rich text is not kept"
                )
            )
        content = next(_children(element, "PlainTextContent"), None)
        selections = [self.selection(sel, name) for sel in _children(element, "PlainTextSelection")]
        # Codings on the whole source: a selection of the whole text.
        whole = [self.coding(c) for c in _children(element, "Coding")]
        if whole:
            selections.append(QdeSelection(guid, "", 0, -1, None, None, "", whole, []))
        return QdeTextSource(
            guid,
            name or guid,
            element.get("plainTextPath"),
            "".join(content.itertext()) if content is not None else None,
            _child_text(element, "Description"),
            selections,
            _refs(element, "NoteRef"),
            self.values(element),
        )

    def selection(self, element: etree._Element, source_name: str) -> QdeSelection:
        start, end = element.get("startPosition", ""), element.get("endPosition", "")
        guid = self.guid(element, "a selection in", source_name)
        try:
            first, last = int(start), int(end)
        except ValueError:
            first, last = -1, -1  # reported as outside the text by the importer
        # One pass over the children: this runs for every selection of a large project.
        description, codings, notes = "", [], []
        for child in element:
            tag = local_name(child)
            if tag == "Coding":
                codings.append(self.coding(child))
            elif tag == "NoteRef":
                notes.extend(_guids([child.get("targetGUID")]))
            elif tag == "Description":
                description = "".join(child.itertext())
        return QdeSelection(
            guid,
            element.get("name", ""),
            first,
            last,
            _user(element.get("creatingUser")),
            parse_time(element.get("creationDateTime")),
            description,
            codings,
            notes,
        )

    def coding(self, element: etree._Element) -> QdeCoding:
        code, notes = None, []
        for child in element:
            tag = local_name(child)
            if tag == "CodeRef" and code is None:
                code = normalise_guid(child.get("targetGUID"))
            elif tag == "NoteRef":
                notes.extend(_guids([child.get("targetGUID")]))
        return QdeCoding(
            self.guid(element, "a coding"),
            code,
            _user(element.get("creatingUser")),
            parse_time(element.get("creationDateTime")),
            notes,
        )

    def note(self, element: etree._Element) -> QdeNote:
        name = element.get("name", "")
        content = next(_children(element, "PlainTextContent"), None)
        text = "".join(content.itertext()) if content is not None else ""
        description = _child_text(element, "Description")
        if description and not text:
            text = description
        elif description:  # the memo has one text: the description becomes its first paragraph
            text = f"{description}\n\n{text}"
        self._coded_note(element, name)
        return QdeNote(
            self.guid(element, f"note {name!r}"),
            name,
            text,
            _user(element.get("creatingUser")),
            parse_time(element.get("creationDateTime")),
            parse_time(element.get("modifiedDateTime")),
            _user(element.get("modifyingUser")),
            # A note is a text source: its text may be a file (read with the sources).
            element.get("plainTextPath") if content is None else None,
        )

    def _coded_note(self, element: etree._Element, name: str) -> None:
        """Report the coded passages of a note (the schema allows them; we code documents)."""
        selections = list(_children(element, "PlainTextSelection"))
        codings = sum(1 for _ in _children(element, "Coding")) + sum(
            1 for s in selections for _ in _children(s, "Coding")
        )
        if selections or codings:
            self.out.unsupported.append(
                NotCarried(
                    "coding in a memo",
                    f"{len(selections)} selections and {codings} codings in note {name!r}",
                    "CollabCoder codes documents, not memos; the memo's text is kept",
                )
            )

    def set_(self, element: etree._Element) -> QdeSet:
        name = element.get("name", "")
        return QdeSet(
            self.guid(element, f"set {name!r}"),
            name,
            _child_text(element, "Description"),
            _refs(element, "MemberCode"),
            _refs(element, "MemberSource"),
            _refs(element, "MemberNote"),
        )
