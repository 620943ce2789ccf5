"""Hostile or broken XML handed to the codebook reader is refused with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.core.errors import CorruptFile, EmptyFile, ImportFailed, UnsafeFile
from collabcoder.io.refi.qdc import read_qdc

_BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="7496BA52-9C8D-4396-8FAB-CC438614E453" name="&lol9;" isCodable="true"/>
</Codes></CodeBook>"""

_CODE = '<Code guid="7496BA52-9C8D-4396-8FAB-CC438614E453" name="{name}" isCodable="true"/>'


def _codebook(prolog: str, name: str) -> str:
    return (
        f'<?xml version="1.0"?>{prolog}<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f"{_CODE.format(name=name)}</Codes></CodeBook>"
    )


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (_BILLION_LAUGHS, UnsafeFile, "declares entities"),
        (
            _codebook('<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
            UnsafeFile,
            "declares entities",
        ),
        (
            _codebook(
                '<!DOCTYPE c [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>', "a"
            ),
            UnsafeFile,
            "declares entities",
        ),
        (
            _codebook('<!DOCTYPE c SYSTEM "http://example.invalid/c.dtd">', "a"),
            UnsafeFile,
            "external DTD",
        ),
        (_codebook("", "&undefined;"), CorruptFile, "not well-formed"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>', CorruptFile, "not well-formed"),
        ("   \n", EmptyFile, "empty"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "parameter-entity",
        "external-dtd",
        "undefined",
        "truncated",
        "blank",
    ],
)
def test_hostile_or_broken_xml_is_refused(
    tmp_path: Path, content: str, error: type[Exception], message: str
) -> None:
    """Each hostile or broken file raises its own error naming the file; nothing is returned."""
    source = tmp_path / "hostile.qdc"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=rf"hostile\.qdc: .*{message}"):
        read_qdc(source)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    """Reading a codebook that does not exist says so, with its path."""
    with pytest.raises(ImportFailed, match=r"nowhere\.qdc: no such file"):
        read_qdc(tmp_path / "nowhere.qdc")


def test_plain_doctype_without_entities_is_accepted(tmp_path: Path) -> None:
    """A bare <!DOCTYPE CodeBook> declares nothing hostile, so the codebook reads."""
    source = tmp_path / "doctype.qdc"
    source.write_text(_codebook("<!DOCTYPE CodeBook>", "Fine"), encoding="utf-8")
    assert [code.name for code in read_qdc(source)] == ["Fine"]
