"""The structured Description that carries definition, criteria, example and keywords."""

from __future__ import annotations

from collabcoder.io.refi.description import CodeText, format_description, parse_description


def test_every_field_survives_format_then_parse() -> None:
    """Multi-line values, label look-alikes, backslashes and semicolons all come back intact."""
    text = CodeText(
        definition="First\nExclude: not a label here\n\\leading backslash",
        inclusion="In",
        exclusion="Out\n\nsecond paragraph",
        example="“quoted”",
        keywords=["a;b", "c\\", "plain phrase"],
    )
    assert parse_description(format_description(text)) == text


def test_the_form_is_readable_labelled_lines() -> None:
    """Another tool shows one labelled line per field, definition first, empty fields left out."""
    text = CodeText(definition="What it is.", example="An example.", keywords=["x", "y"])
    assert (
        format_description(text) == "Definition: What it is.\nExample: An example.\nKeywords: x; y"
    )


def test_foreign_description_becomes_the_definition() -> None:
    """Text written by NVivo or ATLAS.ti is kept whole as the definition, even with colons."""
    foreign = "Example: breakfast foods\nDefinition: what people eat"
    assert parse_description(foreign) == CodeText(definition=foreign)


def test_windows_line_ends_from_other_tools_are_understood() -> None:
    """A Description whose line ends were turned into CRLF still parses into fields."""
    written = format_description(CodeText(definition="D", inclusion="I\nmore"))
    assert parse_description(written.replace("\n", "\r\n")) == CodeText(
        definition="D", inclusion="I\nmore"
    )


def test_empty_fields_give_no_description() -> None:
    """A code with nothing to say writes no Description at all."""
    assert format_description(CodeText(keywords=["  "])) == ""
    assert parse_description("  ") == CodeText()
