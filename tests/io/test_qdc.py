"""REFI-QDA codebook reading and writing: round trips, lenient reading, strict writing."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from collabcoder.core.codebook_spec import CodeSpec, walk_codebook
from collabcoder.core.errors import CorruptFile, EmptyFile, InvalidValue, UnsupportedFormat
from collabcoder.io.refi.qdc import codes_from_codebook, read_qdc, write_qdc
from collabcoder.io.refi.safe_xml import local_name, parse_xml_file


@pytest.fixture(scope="module")
def codebook_schema(shared_data: Path) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(shared_data / "refi" / "Codebook.xsd"))


def _rich_forest() -> list[CodeSpec]:
    tricky = "Line one\nInclude: looks like a label\n\\starts with a backslash\n\nafter a blank"
    return [
        CodeSpec(
            name="Drivers & motives <1>",
            guid="0f8a1907-7e42-4739-8610-a676b4d1b69f",
            colour="#1a2b3c",
            definition=tricky,
            inclusion="Include this",
            exclusion="Not that",
            example="“a quote”, with ‘curly’ marks and emoji 🙂",
            keywords=["whole system", "a;b", "back\\slash"],
            children=[
                CodeSpec(
                    name="Child",
                    guid="85d17f60-7bb0-481e-b742-b4861dd669df",
                    colour="#ffffff",
                    example="only an example",
                    children=[
                        CodeSpec(name="Grandchild", guid="d2c1e38e-5220-42fa-a442-908471cc7964")
                    ],
                )
            ],
        ),
        CodeSpec(
            name="Plain", guid="7988dac2-adbd-4258-a81e-71489189f5b5", keywords=["only keywords"]
        ),
    ]


def test_round_trip_reproduces_every_field(tmp_path: Path) -> None:
    """write_qdc then read_qdc gives back the same tree, GUIDs, colours and descriptive fields."""
    codes = _rich_forest()
    target = tmp_path / "book.qdc"
    write_qdc(codes, target)
    assert read_qdc(target) == codes


def test_written_file_validates_against_the_official_schema(
    tmp_path: Path, codebook_schema: xmlschema.XMLSchema
) -> None:
    """Every codebook we write is valid against Codebook.xsd, including generated GUIDs."""
    codes = [*_rich_forest(), CodeSpec(name="No guid yet", colour="#ABC")]
    target = tmp_path / "book.qdc"
    write_qdc(codes, target, origin="CollabCoder test")
    codebook_schema.validate(str(target))
    read_back = read_qdc(target)
    assert read_back[-1].guid is not None and read_back[-1].colour == "#aabbcc"


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ([], "no codes"),
        ([CodeSpec(name="A::B")], "::"),
        ([CodeSpec(name="A", colour="rgb(1,2,3)")], "colour"),
        ([CodeSpec(name="A", guid="not-a-guid")], "not a GUID"),
        (
            [
                CodeSpec(name="A", guid="0F8A1907-7E42-4739-8610-A676B4D1B69F"),
                CodeSpec(name="B", guid="{0f8a1907-7e42-4739-8610-a676b4d1b69f}"),
            ],
            "share the GUID",
        ),
        ([CodeSpec(name="   ")], "no name"),
        ([CodeSpec(name="bell\x07")], "characters"),
    ],
)
def test_write_refuses_what_the_schema_or_other_tools_cannot_take(
    tmp_path: Path, codes: list[CodeSpec], message: str
) -> None:
    """Strict writing: bad names, colours, GUIDs or an empty book raise InvalidValue, no file."""
    target = tmp_path / "book.qdc"
    with pytest.raises(InvalidValue, match=message):
        write_qdc(codes, target)
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    """An export that fails half-way does not damage the codebook already on disk."""
    target = tmp_path / "book.qdc"
    write_qdc([CodeSpec(name="Kept")], target)
    before = target.read_bytes()
    with pytest.raises(InvalidValue):
        write_qdc([CodeSpec(name="Fine"), CodeSpec(name="Bad", colour="red")], target)
    assert target.read_bytes() == before


def test_lenient_reading_of_old_namespace_braces_paths_and_bad_colours(tmp_path: Path) -> None:
    """Old namespace, braced upper-case GUIDs, '::' paths (parent after child), rgb() colours,
    an empty <Sets/> and a foreign Description are all read sensibly."""
    source = tmp_path / "maxqda.qdc"
    source.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="Some tool">
  <Codes>
    <Code guid="{0983E32E-6866-431A-BD94-DAC9BB963825}" name="Coke::full-fat Coke" isCodable="true"
          color="rgb(10,20,30)"><Description>aka regular
Example: not ours</Description></Code>
    <Code guid="D299EFAE-5779-46DC-9827-A3D1A5D544BC" name="Coke :: diet Coke" isCodable="true"
          color="#11223344"/>
    <Code guid="7496ba52-9c8d-4396-8fab-cc438614e453" name="Coke" isCodable="false" color="#F0A">
      <Description>the breakfast of champions</Description>
    </Code>
    <Code guid="not-a-guid" name="Loose" isCodable="true"/>
    <Code guid="{7496BA52-9C8D-4396-8FAB-CC438614E453}" name="Same guid again" isCodable="true"/>
  </Codes>
  <Sets/>
</CodeBook>""",
        encoding="utf-8",
    )
    codes = read_qdc(source)
    assert [c.name for c in codes] == ["Coke", "Loose", "Same guid again"]
    coke = codes[0]
    assert (coke.guid, coke.colour, coke.definition) == (
        "7496ba52-9c8d-4396-8fab-cc438614e453",
        "#ff00aa",
        "the breakfast of champions",
    )
    full_fat, diet = coke.children
    assert (full_fat.name, full_fat.guid, full_fat.colour) == (
        "full-fat Coke",
        "0983e32e-6866-431a-bd94-dac9bb963825",
        None,
    )
    assert full_fat.definition == "aka regular\nExample: not ours"
    assert (diet.name, diet.colour) == ("diet Coke", None)
    assert codes[1].guid is None  # invalid GUID dropped; the importer assigns a fresh one
    assert codes[2].guid is None  # a repeated GUID would break matching, so it is dropped


def test_deep_nesting_is_read(tmp_path: Path) -> None:
    """A codebook nested 100 levels deep reads back with every level."""
    depth = 100
    opening = "".join(
        f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="L{i}" isCodable="true">'
        for i in range(depth)
    )
    source = tmp_path / "deep.qdc"
    source.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{opening}'
        f"{'</Code>' * depth}</Codes></CodeBook>",
        encoding="utf-8",
    )
    paths = [path for path, _ in walk_codebook(read_qdc(source))]
    assert len(paths) == depth and paths[-1][-1] == f"L{depth - 1}"


def test_sample_codebooks_from_other_tools_import(shared_data: Path) -> None:
    """Every real .qdc in the shared samples imports (ATLAS.ti 23.4's has a Set we ignore)."""
    samples = sorted((shared_data / "refi" / "samples").glob("*.qdc"))
    assert samples
    for sample in samples:
        codes = read_qdc(sample)
        assert codes, sample
    atlas = read_qdc(next(s for s in samples if "atlasti" in s.name))
    assert atlas == [
        CodeSpec(
            name="code1",
            guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",
            colour="#46aa00",
            definition="description",
        )
    ]


def test_codebook_inside_the_spec_example_project(shared_data: Path) -> None:
    """The CodeBook of the spec's Annex A project (.qde) reads; its '::' names become nesting."""
    project = next((shared_data / "refi" / "samples").glob("spec-annexA*.qde"))
    root = parse_xml_file(project)
    codebook = next(child for child in root if local_name(child) == "CodeBook")
    codes = codes_from_codebook(codebook, str(project))
    names = [code.name for code in codes]
    assert len(names) == 12 and names.count("Coke") == 1
    coke = codes[names.index("Coke")]
    assert [c.name for c in coke.children] == ["full-fat Coke", "diet Coke"]
    assert coke.definition == "the breakfast of champions"
    assert codes[names.index("milk")].colour is None


def test_xml_that_is_not_a_codebook_is_refused(tmp_path: Path) -> None:
    """A well-formed XML file of another kind gives UnsupportedFormat naming the file."""
    source = tmp_path / "page.qdc"
    source.write_text("<html><body>hello</body></html>", encoding="utf-8")
    with pytest.raises(UnsupportedFormat, match=r"page\.qdc.*not a REFI-QDA codebook"):
        read_qdc(source)


def test_codebook_without_codes_is_refused(tmp_path: Path) -> None:
    """A CodeBook with an empty <Codes/> is reported as empty rather than importing nothing."""
    source = tmp_path / "empty.qdc"
    source.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "utf-8")
    with pytest.raises(EmptyFile, match=r"empty\.qdc"):
        read_qdc(source)


def test_code_without_name_is_corrupt(tmp_path: Path) -> None:
    """A Code with no name cannot be placed in a tree: CorruptFile names the file."""
    source = tmp_path / "noname.qdc"
    source.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="7496BA52-9C8D-4396-8FAB-CC438614E453" isCodable="true"/></Codes></CodeBook>',
        "utf-8",
    )
    with pytest.raises(CorruptFile, match=r"noname\.qdc.*no name"):
        read_qdc(source)


def test_written_codebook_has_the_users_normal_permissions(tmp_path: Path) -> None:
    """A .qdc is created like any file the user writes (umask applied), not mkstemp's 0600."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        write_qdc([CodeSpec(name="Trust")], tmp_path / "book.qdc")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "book.qdc").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["book.qdc"]
