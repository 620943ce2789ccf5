"""Read and write REFI-QDA codebooks (``.qdc``) as ``list[CodeSpec]``.

Reading is lenient, because real tools stray from the schema: the older namespace
``urn:QDA-XML:codebook:0:4``, an empty ``<Sets/>``, ``Parent::Child`` names instead of nesting
(the parent may even come after its children), GUIDs in any case or in braces, colours such as
``rgb(...)``. Writing is strict: every file validates against the official ``Codebook.xsd``.
Sets and ``isCodable`` have no place in CodeSpec and are not carried over.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from lxml import etree

from collabcoder.core.atomic import write_bytes_atomic
from collabcoder.core.codebook_spec import CodeSpec, walk_codebook
from collabcoder.core.errors import CorruptFile, EmptyFile, InvalidValue, UnsupportedFormat
from collabcoder.core.palette import normalise_colour
from collabcoder.io.refi.description import CodeText, format_description, parse_description
from collabcoder.io.refi.safe_xml import local_name, namespace, parse_xml_file

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_READABLE_NAMESPACES = frozenset({CODEBOOK_NS, "urn:QDA-XML:codebook:0:4", ""})
_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
PATH_SEPARATOR = "::"


def normalise_guid(value: str | None) -> str | None:
    """A GUID in our stored form (lower case, no braces), or None when it is not a GUID."""
    match = _GUID.match((value or "").strip())
    return match.group(1).lower() if match else None


# ----------------------------------------------------------------------------------- reading


def read_qdc(path: str | Path) -> list[CodeSpec]:
    """Read a REFI-QDA codebook file into a forest of codes.

    Raises CorruptFile for malformed XML or a broken codebook, UnsafeFile for entity tricks,
    UnsupportedFormat for XML that is not a codebook, EmptyFile for a codebook with no codes.
    """
    root = parse_xml_file(path)
    source = str(path)
    if local_name(root) != "CodeBook" or namespace(root) not in _READABLE_NAMESPACES:
        raise UnsupportedFormat(
            f"{source}: not a REFI-QDA codebook (root element is <{local_name(root)}>)"
        )
    return codes_from_codebook(root, source)


def codes_from_codebook(codebook: etree._Element, source: str) -> list[CodeSpec]:
    """Turn a ``CodeBook`` element (from a .qdc, or inside a .qde project) into CodeSpecs.

    Children are matched by local name so the codebook and project namespaces both work.
    """
    codes_elements = [child for child in codebook if local_name(child) == "Codes"]
    reader = _CodebookReader(source)
    roots: list[CodeSpec] = []
    for codes in codes_elements:
        reader.add_children(codes, roots)
    if not roots:
        raise EmptyFile(f"{source}: the codebook holds no codes")
    return roots


class _CodebookReader:
    """Builds the forest; remembers parents invented for ``A::B`` names until A itself appears."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.placeholders: set[int] = set()
        self.seen_guids: set[str] = set()

    def add_children(self, element: etree._Element, siblings: list[CodeSpec]) -> None:
        for child in element:
            if local_name(child) == "Code":
                self.add_code(child, siblings)

    def add_code(self, element: etree._Element, siblings: list[CodeSpec]) -> None:
        raw_name = element.get("name", "")
        parts = [part.strip() for part in raw_name.split(PATH_SEPARATOR) if part.strip()]
        if not parts:
            raise CorruptFile(
                f"{self.source}: a code (guid {element.get('guid', 'none')}) has no name"
            )
        for ancestor in parts[:-1]:
            siblings = self._find_or_invent(ancestor, siblings).children
        code = self._code_named(parts[-1], siblings)
        code.guid = self._unique_guid(element.get("guid"))
        code.colour = normalise_colour(element.get("color"))
        description = next((c for c in element if local_name(c) == "Description"), None)
        text = parse_description("".join(description.itertext()) if description is not None else "")
        code.definition, code.inclusion, code.exclusion = (
            text.definition,
            text.inclusion,
            text.exclusion,
        )
        code.example, code.keywords = text.example, text.keywords
        self.add_children(element, code.children)

    def _find_or_invent(self, name: str, siblings: list[CodeSpec]) -> CodeSpec:
        for code in siblings:
            if code.name == name:
                return code
        invented = CodeSpec(name=name)
        siblings.append(invented)
        self.placeholders.add(id(invented))
        return invented

    def _code_named(self, name: str, siblings: list[CodeSpec]) -> CodeSpec:
        """The code this element describes: a waiting placeholder of that name, or a new one."""
        # Placeholders are rare (``A::B`` names); without them the siblings need no search,
        # which would otherwise be quadratic in a long list of siblings.
        for code in siblings if self.placeholders else ():
            if code.name == name and id(code) in self.placeholders:
                self.placeholders.discard(id(code))
                return code
        code = CodeSpec(name=name)
        siblings.append(code)
        return code

    def _unique_guid(self, raw: str | None) -> str | None:
        # A missing, invalid or repeated GUID is dropped; whoever stores the code assigns one.
        guid = normalise_guid(raw)
        if guid is None or guid in self.seen_guids:
            return None
        self.seen_guids.add(guid)
        return guid


# ----------------------------------------------------------------------------------- writing


def write_qdc(codes: list[CodeSpec], path: str | Path, *, origin: str = "CollabCoder") -> None:
    """Write ``codes`` as a schema-valid REFI-QDA codebook, replacing ``path`` atomically.

    Codes without a GUID get a fresh one in the file. Raises InvalidValue (naming the code) for
    an empty codebook, a name containing ``::``, an invalid colour or GUID, or a repeated GUID.
    """
    root = etree.Element(etree.QName(CODEBOOK_NS, "CodeBook"), nsmap={None: CODEBOOK_NS})
    root.set("origin", origin)
    root.append(build_codes_element(codes, CODEBOOK_NS))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    write_bytes_atomic(Path(path), data)


def build_codes_element(codes: list[CodeSpec], ns: str) -> etree._Element:
    """The ``<Codes>`` element for ``codes`` in namespace ``ns`` (codebook or project schema)."""
    if not codes:
        raise InvalidValue("cannot write a codebook with no codes")
    _check_guids(codes)
    element = etree.Element(etree.QName(ns, "Codes"), nsmap={None: ns})
    for code in codes:
        element.append(_code_element(code, ns, ()))
    return element


def _check_guids(codes: list[CodeSpec]) -> None:
    seen: dict[str, str] = {}
    for path, code in walk_codebook(codes):
        if code.guid is None:
            continue
        guid = normalise_guid(code.guid)
        where = "/".join(path)
        if guid is None:
            raise InvalidValue(f"code {where!r}: {code.guid!r} is not a GUID")
        if guid in seen:
            raise InvalidValue(f"codes {seen[guid]!r} and {where!r} share the GUID {guid}")
        seen[guid] = where


def _code_element(code: CodeSpec, ns: str, parent_path: tuple[str, ...]) -> etree._Element:
    path = (*parent_path, code.name)
    where = "/".join(path)
    if not code.name.strip():
        raise InvalidValue(f"a code under {'/'.join(parent_path) or 'the top level'!r} has no name")
    if PATH_SEPARATOR in code.name:
        raise InvalidValue(
            f"code {where!r}: names cannot contain '::', which other tools read as a path"
        )
    element = etree.Element(etree.QName(ns, "Code"))
    guid = normalise_guid(code.guid) if code.guid else str(uuid.uuid4())
    element.set("guid", str(guid).lower())
    try:
        element.set("name", code.name)
    except ValueError as exc:  # control characters cannot appear in XML at all
        raise InvalidValue(f"code {where!r}: the name holds characters XML cannot carry") from exc
    # REFI-QDA has no notion of a non-codable category in CollabCoder: every code can be applied.
    element.set("isCodable", "true")
    if code.colour is not None:
        colour = normalise_colour(code.colour)
        if colour is None:
            raise InvalidValue(f"code {where!r}: {code.colour!r} is not a #RRGGBB colour")
        element.set("color", colour.upper())
    text = format_description(
        CodeText(code.definition, code.inclusion, code.exclusion, code.example, code.keywords)
    )
    if text:
        try:
            etree.SubElement(element, etree.QName(ns, "Description")).text = text
        except ValueError as exc:
            raise InvalidValue(
                f"code {where!r}: the description holds characters XML cannot carry"
            ) from exc
    for child in code.children:
        element.append(_code_element(child, ns, path))
    return element
