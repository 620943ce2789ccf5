"""Turn the bytes of a text file into a string, whatever tool saved it.

Order of trust: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16 without one (NUL bytes in
every other place), strict UTF-8 (what almost everything writes today), then Windows-1252 if the
result reads like Western text, then a statistical guess (charset-normalizer) that must also find
the bytes plausible: random high bytes are refused, not imported as mojibake. Windows-1252 is
preferred over Latin-1 because the two differ only in 0x80-0x9F, which Latin-1 reads as control
characters and Windows-1252 as the quotes and dashes Word writes.

A file that is UTF-8 except for some lines (a transcript pasted together from two tools) is
decoded line by line, and the warning names the lines read otherwise. Bytes that decode to many
control characters are a binary file renamed, not text; a few stray ones (a NUL anywhere) are
replaced by U+FFFD in the canonical text and the warning names their lines.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from collabcoder.core.errors import CorruptFile
from collabcoder.io.parsed import describe_lines, replacement_warnings

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WESTERN = "cp1252"
# C0 controls other than tab and line breaks, plus DEL: a text holds hardly any.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.001
_SAMPLE = 64 * 1024
# Non-ASCII characters Western text is made of besides letters (Word's quotes, dashes...).
_TYPOGRAPHY = frozenset("‘’‚“”„–—…•·€£¥¢°«»‹›¡¿§©®™±×÷¶†‡‰¹²³¼½¾µ\xa0\xad")
# A Western text has a few accented letters among ASCII ones; Cyrillic read as Windows-1252
# is all accented letters, random bytes are symbols and mid-word capitals.
_MAX_FOREIGN_LETTERS = 0.4
_MAX_ODD = 0.1


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode ``data`` (the file ``name``) to text; returns the text and any warnings.

    Raises CorruptFile when the bytes are not text in any encoding we recognise.
    """
    warnings: list[str] = []
    text = _decoded(data, name, warnings)
    _refuse_binary(len(_CONTROL.findall(text)), len(text), "\x00" in text, name)
    return text, warnings + replacement_warnings(text, name)


def _decoded(data: bytes, name: str, warnings: list[str]) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, name, f"starts with a {encoding} mark")
    utf16 = _bomless_utf16(data)
    if utf16:
        warnings.append(f"{name}: no byte-order mark; read as {utf16}")
        return _strict(data, utf16, name, f"looks like {utf16}")
    # Before any guessing: control bytes mean the same in every 8-bit encoding and in UTF-8.
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    _refuse_binary(controls, len(data), b"\x00" in data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    if any(not line.isascii() and _is_utf8(line) for line in lines):
        return _mixed(lines, name, warnings)
    text = _western(data)
    if text is not None:
        warnings.append(f"{name}: not UTF-8; read as {_WESTERN}")
        return text
    guess = _guess(data)
    if guess is None:
        raise CorruptFile(
            f"{name}: not text (not UTF-8, and no known encoding reads it as plausible text)"
        )
    warnings.append(f"{name}: not UTF-8; read as {guess} (a guess: check the text)")
    return data.decode(guess, errors="replace")


def _refuse_binary(controls: int, length: int, has_nul: bool, name: str) -> None:
    if controls > max(2, _MAX_CONTROL_SHARE * length):
        what = "NUL bytes" if has_nul else "control characters"
        raise CorruptFile(f"{name}: holds binary data ({what}), not text")


def _strict(data: bytes, encoding: str, name: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"{name}: {why} but is not valid {encoding} ({exc.reason})") from exc


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes fill every other place, as in UTF-16 Latin text."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mixed(lines: list[bytes], name: str, warnings: list[str]) -> str:
    """Decode each line as UTF-8, else Windows-1252 when plausible, else with U+FFFD."""
    western: list[int] = []
    garbled: list[int] = []
    decoded: list[str] = []
    for number, line in enumerate(lines, start=1):
        if _is_utf8(line):
            decoded.append(line.decode("utf-8"))
            continue
        text = _western(line, foreign_letters=1.0)
        if text is None:
            garbled.append(number)
            text = line.decode("utf-8", errors="replace")
        else:
            western.append(number)
        decoded.append(text)
    if western:
        warnings.append(f"{name}: UTF-8 except {describe_lines(western)}, read as {_WESTERN}")
    if garbled:
        warnings.append(
            f"{name}: {describe_lines(garbled)} in no known encoding; "
            "unreadable bytes became \ufffd"
        )
    return "\n".join(decoded)


def _western(data: bytes, *, foreign_letters: float = _MAX_FOREIGN_LETTERS) -> str | None:
    """``data`` as Windows-1252 when that reads as Western text, else None."""
    try:
        text = data.decode(_WESTERN)
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned
        return None
    letters = foreign = odd = high = 0
    previous = ""
    for char in text:
        is_letter = char.isalpha()
        letters += is_letter
        if char.isascii():
            previous = char
            continue
        high += 1
        if is_letter:
            foreign += 1
            # A capital straight after a small letter ("cafÃ©") is mojibake or noise.
            odd += char.isupper() and previous.islower()
        elif char not in _TYPOGRAPHY and unicodedata.category(char)[0] != "M":
            odd += 1
        previous = char
    if high and (odd > _MAX_ODD * high or foreign > foreign_letters * max(letters, 1)):
        return None
    return text


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best reading, or None when it finds every reading chaotic."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SAMPLE]).best()
    return best.encoding if best is not None else None
