"""Write small ``.qdpx`` files the way other tools write them, for the importer's tests.

Each tool's convention (how its text file is encoded and how it counts a selection's positions) is
spelled out here independently of the importer, from the tools' own code and real samples, so a
test fails when the importer's rule for a tool is wrong.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

BOM = "\ufeff"
CODE_GUID = "c0de0000-0000-4000-8000-000000000001"
USER_GUID = "05e40000-0000-4000-8000-000000000001"


@dataclass(frozen=True)
class Convention:
    """How one tool writes a text source and counts positions in it."""

    bom_in_file: bool
    crlf_in_file: bool
    utf16: bool  # positions count UTF-16 units
    crlf_as_two: bool  # positions count a CRLF as two characters
    bom_counted: bool
    names: str  # "quote": selection name is the selected text; "cut": ATLAS.ti's "…"; "": none

    def file_text(self, text: str) -> str:
        body = text.replace("\n", "\r\n") if self.crlf_in_file else text
        return (BOM if self.bom_in_file else "") + body

    def position(self, text: str, index: int) -> int:
        """Where this tool puts canonical index ``index`` of ``text`` (LF, no BOM)."""
        before = text[:index]
        if self.crlf_in_file and self.crlf_as_two:
            before = before.replace("\n", "\r\n")
        units = len(before.encode("utf-16-le")) // 2 if self.utf16 else len(before)
        return units + (1 if self.bom_in_file and self.bom_counted else 0)

    def name(self, quote: str) -> str:
        if self.names == "quote":
            return quote
        if self.names == "cut" and len(quote) > 12:
            return quote[:12] + "…"
        return quote if self.names == "cut" else ""


# From QualCoder's refi.py: sources written with encoding="utf-8-sig", positions are indices
# into its stored (LF) text, the selection name is the selected text.
QUALCODER = Convention(True, False, False, True, False, "quote")
# QualCoder's "MAXQDA line endings" export: the file gets CRLF, the positions stay as in LF text.
QUALCODER_FOR_MAXQDA = Convention(True, True, False, False, False, "quote")
# NVivo for Windows (the real sample): BOM, CRLF, UTF-16 units with CRLF as 2, empty names.
NVIVO_WINDOWS = Convention(True, True, True, True, False, "")
# NVivo for Mac (shared/data/README.md): no BOM, LF, UTF-16 units.
NVIVO_MAC = Convention(False, False, True, True, False, "")
# ATLAS.ti: CRLF in the file counted as one (QualCoder's importer), names cut with an ellipsis.
ATLAS = Convention(True, True, False, False, False, "cut")
# MAXQDA: reads CRLF files with positions counting a line end once (QualCoder's MAXQDA option).
MAXQDA = Convention(True, True, False, False, False, "quote")
# qc (cproctor/qualitative-coding): the corpus file as is, positions from lines read in text mode.
QC = Convention(True, True, False, False, True, "")


@dataclass
class Source:
    name: str
    text: str  # the canonical text (LF, no BOM)
    phrases: list[str]  # each selection: the first occurrence of the phrase
    guid: str = field(default_factory=lambda: str(uuid.uuid4()))


def spans(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    out = []
    for phrase in phrases:
        start = text.index(phrase)
        out.append((start, start + len(phrase)))
    return out


def write_qdpx(path: Path, origin: str, convention: Convention, sources: list[Source]) -> Path:
    """A project with one code and one coding per phrase, in ``convention``."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="fixture" origin={quoteattr(origin)}>',
        f'<Users><User guid="{USER_GUID}" name="Fixture user"/></Users>',
        f'<CodeBook><Codes><Code guid="{CODE_GUID}" name="Theme" isCodable="true"/>'
        "</Codes></CodeBook>",
        "<Sources>",
    ]
    files: dict[str, bytes] = {}
    for source in sources:
        parts.append(
            f'<TextSource guid="{source.guid}" name={quoteattr(source.name)} '
            f'plainTextPath="internal://{source.guid}.txt">'
        )
        for n, (start, end) in enumerate(spans(source.text, source.phrases)):
            quote = source.text[start:end]
            parts.append(
                f'<PlainTextSelection guid="{uuid.uuid5(uuid.NAMESPACE_URL, f"{source.guid}/{n}")}"'
                f" name={quoteattr(convention.name(quote))}"
                f' startPosition="{convention.position(source.text, start)}"'
                f' endPosition="{convention.position(source.text, end)}"'
                f' creatingUser="{USER_GUID}">'
                f'<Coding guid="{uuid.uuid5(uuid.NAMESPACE_URL, f"{source.guid}/{n}/c")}"'
                f' creatingUser="{USER_GUID}"><CodeRef targetGUID="{CODE_GUID}"/></Coding>'
                "</PlainTextSelection>"
            )
        parts.append("</TextSource>")
        files[f"sources/{source.guid}.txt"] = convention.file_text(source.text).encode("utf-8")
    parts.append("</Sources></Project>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", "\n".join(parts).encode("utf-8"))
        for name, data in files.items():
            archive.writestr(name, data)
    return path
