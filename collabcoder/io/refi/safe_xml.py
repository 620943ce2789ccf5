"""Parse XML written by other tools without letting it attack us.

REFI-QDA files (``.qdc`` codebooks, the ``project.qde`` inside a ``.qdpx``) come from anywhere.
lxml is configured so that it never expands entities, never loads a DTD and never touches the
network; after parsing we also refuse any document whose DOCTYPE declares entities or points at
an external DTD, because no REFI-QDA tool writes one and its only use in such a file is an attack
(billion laughs, external entities reading local files).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from collabcoder.core.errors import CorruptFile, EmptyFile, ImportFailed, UnsafeFile


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers keep error state and are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml_bytes(data: bytes, source: str) -> etree._Element:
    """Parse ``data`` as XML and return its root element.

    ``source`` names the file in error messages (a path, or ``archive.qdpx:project.qde``).
    Raises EmptyFile for no content, CorruptFile for XML that is not well formed, and
    UnsafeFile for a DOCTYPE that declares entities or refers to an external DTD.
    """
    if not data.strip():
        raise EmptyFile(f"{source}: the file is empty")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        # lxml appends "(<string>, line N)", which means nothing to a researcher.
        message = re.sub(r"\s*\(<string>, line \d+\)$", "", str(exc))
        if "entity" in message.lower() and b"<!ENTITY" in data:
            raise UnsafeFile(f"{source}: the XML declares entities, which is refused") from exc
        raise CorruptFile(f"{source}: not well-formed XML ({message})") from exc
    _refuse_doctype_tricks(root.getroottree(), source)
    return root


def parse_xml_file(path: str | Path) -> etree._Element:
    """Read and parse an XML file safely; errors name ``path``."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(f"{file}: no such file") from exc
    except OSError as exc:
        raise ImportFailed(f"{file}: cannot be read ({exc.strerror or exc})") from exc
    return parse_xml_bytes(data, str(file))


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (``{urn:...}Code`` -> ``Code``); '' for comments and PIs."""
    # Called for every element of a large project: plain string work instead of etree.QName.
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def namespace(element: etree._Element) -> str:
    """The namespace URI of an element's tag, or '' when it has none."""
    return etree.QName(element).namespace or ""


def _refuse_doctype_tricks(tree: etree._ElementTree, source: str) -> None:
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeFile(f"{source}: the XML declares entities, which is refused")
    if docinfo.system_url or docinfo.public_id:
        raise UnsafeFile(f"{source}: the XML refers to an external DTD, which is refused")
    # An entity reference that survived parsing means something tried to smuggle expansion in.
    if any(True for _ in tree.iter(etree.Entity)):
        raise UnsafeFile(f"{source}: the XML uses entity references, which is refused")
