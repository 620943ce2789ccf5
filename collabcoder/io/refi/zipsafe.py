"""Read a ``.qdpx`` (a zip of ``project.qde`` and ``sources/``) without trusting it.

Nothing is ever extracted to disk: entries are read into memory on demand, each bounded by its
declared size, the whole archive by a total, and any entry whose compression ratio only a zip
bomb reaches is refused. Names that would escape a folder (``../``, absolute paths, drive
letters) are refused up front, even for entries we would never read, because an archive that
contains them was made to attack someone. Lookups are case-insensitive (NVivo writes
``Sources/``, others ``sources/``) and the project file may have any ``.qde`` name.
"""

from __future__ import annotations

import copy
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from collabcoder.core.errors import CorruptFile, EncryptedFile, FileTooLarge, UnsafeFile
from collabcoder.io.zip_limits import QDPX_CAPS, ZipCaps, check_zip_caps

MAX_ENTRIES = 100_000
MAX_ENTRY_BYTES = 1 << 30  # 1 GiB for one source; more is not a document anyone codes
MAX_TOTAL_BYTES = 4 << 30
MAX_RATIO = 200  # text compresses ~3-10x; only crafted data reaches 200x
_RATIO_FLOOR = 1 << 20  # tiny entries may compress absurdly well (a file of spaces) harmlessly
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    entry_bytes: int = MAX_ENTRY_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO


class QdpxArchive:
    """An opened ``.qdpx``: the project XML and its sources, read safely on demand."""

    def __init__(self, path: str | Path, limits: Limits | None = None) -> None:
        self.path = Path(path)
        self._limits = limits or Limits()
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError as exc:
            raise CorruptFile(f"{self.path}: no such file") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise CorruptFile(f"{self.path}: not a REFI-QDA project (.qdpx is a zip file)") from exc
        infos = self._zip.infolist()
        # The whole archive first, from its directory: many small entries can each pass the
        # per-entry checks below and still expand hundreds of times together.
        caps = ZipCaps(
            MAX_ENTRIES, self._limits.total_bytes, self._limits.ratio, QDPX_CAPS.xml_part_bytes
        )
        check_zip_caps(infos, self.path.stat().st_size, str(self.path), caps)
        self._by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._check_entry(info)
            if not info.is_dir():
                self._by_name.setdefault(_key(info.filename), info)
        self.qde_name = self._find_qde()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def label(self, name: str) -> str:
        """How errors name an entry: ``archive.qdpx:sources/x.txt``."""
        return f"{self.path}:{name}"

    def read_qde(self) -> bytes:
        return self._read(self._by_name[_key(self.qde_name)])

    def source(self, file_name: str) -> bytes | None:
        """The bytes of ``sources/<file_name>`` (any case), or None when the archive lacks it."""
        name = file_name.replace("\\", "/").lstrip("/")
        for candidate in (f"sources/{name}", name):
            info = self._by_name.get(_key(candidate))
            if info is not None:
                return self._read(info)
        return None

    # -- checks -----------------------------------------------------------------------------------
    def _check_entry(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts or "\x00" in name:
            raise UnsafeFile(
                f"{self.path}: the entry {name!r} points outside the archive's folder; refused"
            )
        if info.flag_bits & 0x1:
            raise EncryptedFile(f"{self.path}: the entry {name!r} is encrypted")
        limits = self._limits
        if info.file_size > limits.entry_bytes:
            raise UnsafeFile(
                f"{self.path}: the entry {name!r} would unpack to {info.file_size:,} bytes; refused"
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.ratio:
            raise UnsafeFile(
                f"{self.path}: the entry {name!r} expands {ratio} times (a zip bomb); refused"
            )

    def _find_qde(self) -> str:
        qdes = [i.filename for i in self._by_name.values() if _key(i.filename).endswith(".qde")]
        if not qdes:
            raise CorruptFile(f"{self.path}: no project.qde inside; not a REFI-QDA project")
        preferred = self._by_name.get(_key("project.qde"))
        if preferred is not None:
            return preferred.filename
        top = [q for q in qdes if "/" not in q.strip("/")]
        if len(top) == 1 or (not top and len(qdes) == 1):
            return (top or qdes)[0]
        raise CorruptFile(
            f"{self.path}: several project files ({', '.join(sorted(qdes)[:4])}); cannot tell "
            "which one to import"
        )

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        # The declared size is what the checks above judged. zipfile would silently stop there
        # (and then fail the CRC); asking for one byte more shows data beyond the declaration.
        # The probe has no CRC so zipfile does not check it early; we check it at the end.
        limit = info.file_size
        probe = copy.copy(info)
        probe.file_size = limit + 1
        del probe.CRC
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(probe) as stream:
                while True:
                    chunk = stream.read(min(_CHUNK, limit - size + 1))
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise UnsafeFile(
                            f"{self.label(info.filename)}: unpacks to more than its declared "
                            f"{limit:,} bytes (a zip bomb); refused"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise CorruptFile(f"{self.label(info.filename)}: damaged ({exc})") from exc
        except (ValueError, NotImplementedError) as exc:  # unknown compression method
            raise CorruptFile(f"{self.label(info.filename)}: cannot be unpacked ({exc})") from exc
        data = b"".join(chunks)
        if zlib.crc32(data) != info.CRC:
            raise CorruptFile(f"{self.label(info.filename)}: damaged (its checksum does not match)")
        self._read_total += size
        if self._read_total > self._limits.total_bytes:
            raise FileTooLarge(
                f"{self.path}: unpacks to more than {self._limits.total_bytes:,} bytes; refused"
            )
        return data


def _key(name: str) -> str:
    return str(PurePosixPath(name.replace("\\", "/").lstrip("./"))).casefold()
