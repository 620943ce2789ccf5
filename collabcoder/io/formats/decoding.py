"""Turn the bytes of a text file into a string, whatever tool saved it.

Order of trust: a byte-order mark, then strict UTF-8 (what almost everything writes today), then
a statistical guess. For the guess we prefer Windows-1252 whenever charset-normalizer finds it
plausible, because Word's "plain text" in a Western locale writes exactly that and short English
texts are otherwise often mistaken for DOS code pages. Bytes that decode to control characters are
a binary file renamed, not text.
"""

from __future__ import annotations

import codecs
import re

from collabcoder.core.errors import CorruptFile

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WESTERN = "cp1252"
# C0 controls other than tab, newlines and form feed, plus DEL: never in real text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.001
_SAMPLE = 64 * 1024


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode ``data`` (the file ``name``) to text; returns the text and any warnings.

    Raises CorruptFile when the bytes are not text in any encoding we recognise.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise CorruptFile(
                    f"{name}: starts with a {encoding} byte-order mark "
                    f"but is not valid {encoding} ({exc.reason})"
                ) from exc
            return _checked(text, name), []
    if b"\x00" in data[:_SAMPLE]:
        raise CorruptFile(f"{name}: holds binary data (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), name), []
    except UnicodeDecodeError:
        pass
    encoding = _guess(data)
    text = data.decode(encoding, errors="replace")
    warning = f"{name}: not UTF-8; read as {encoding}"
    return _checked(text, name), [warning]


def _guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(data[: 4 * _SAMPLE])
    candidates = [m.encoding for m in matches] + [
        alias for m in matches for alias in m.could_be_from_charset
    ]
    if _WESTERN in candidates or not candidates:
        return _WESTERN
    return candidates[0]


def _checked(text: str, name: str) -> str:
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if controls > max(1, _MAX_CONTROL_SHARE * len(sample)):
        raise CorruptFile(f"{name}: holds binary data (control characters), not text")
    return text
