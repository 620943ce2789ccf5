"""Caps on what a zip container (.docx, .odt, .xlsx, .qdpx) may unpack to, from its directory.

A zip bomb is refused before any entry is read or parsed: too many members, more bytes in all
than any real document needs, an archive that expands far beyond what text compresses to
(3-10 times; only crafted data reaches hundreds), or one XML part larger than a parser should
hold in memory. The directory's declared sizes are what ``zipfile`` stops reading at (a member
longer than declared fails its checksum), so checking them bounds memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from collabcoder.core.errors import UnsafeFile

_MB = 2**20
# Small archives may compress absurdly well (a file of spaces) without harm.
_RATIO_FLOOR = 4 * _MB


@dataclass(frozen=True, slots=True)
class ZipCaps:
    """Limits for one kind of container."""

    members: int
    total_bytes: int  # all members unpacked
    ratio: int  # all members unpacked / the archive's size
    xml_part_bytes: int  # any one .xml or .rels member unpacked


# Word and OpenDocument files: python-docx and odfpy hold every part, and an XML tree costs
# about 15 times its text in memory.
DOCUMENT_CAPS = ZipCaps(members=10_000, total_bytes=512 * _MB, ratio=100, xml_part_bytes=64 * _MB)
# Workbooks are read streaming, so a large sheet is fine.
WORKBOOK_CAPS = ZipCaps(members=10_000, total_bytes=1024 * _MB, ratio=100, xml_part_bytes=512 * _MB)
# REFI-QDA projects carry many sources (PDFs, audio) beside one project XML.
QDPX_CAPS = ZipCaps(members=100_000, total_bytes=4096 * _MB, ratio=200, xml_part_bytes=1024 * _MB)


def check_zip_caps(
    infos: Sequence[zipfile.ZipInfo], archive_bytes: int, name: str, caps: ZipCaps
) -> None:
    """Raise UnsafeFile naming ``name`` when the members in ``infos`` exceed ``caps``."""
    if len(infos) > caps.members:
        raise UnsafeFile(
            f"{name}: holds {len(infos):,} files; CollabCoder opens at most {caps.members:,} "
            "(a zip bomb?); nothing was imported"
        )
    total = sum(info.file_size for info in infos)
    if total > caps.total_bytes:
        raise UnsafeFile(
            f"{name}: unpacks to {_size(total)}, more than the {_size(caps.total_bytes)} "
            "CollabCoder unpacks from one file (a zip bomb?); nothing was imported"
        )
    if total > _RATIO_FLOOR and total > caps.ratio * max(archive_bytes, 1):
        raise UnsafeFile(
            f"{name}: unpacks to {_size(total)} from {_size(archive_bytes)} "
            f"({total // max(archive_bytes, 1):,} times; a zip bomb); nothing was imported"
        )
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and (
            info.file_size > caps.xml_part_bytes
        ):
            raise UnsafeFile(
                f"{name}: its part {info.filename} unpacks to {_size(info.file_size)}, more "
                f"than the {_size(caps.xml_part_bytes)} CollabCoder parses (a zip bomb?); "
                "nothing was imported"
            )


def _size(count: int) -> str:
    if count >= _MB:
        return f"{count / _MB:,.1f} MB"
    return f"{count / 1024:,.1f} KB"
