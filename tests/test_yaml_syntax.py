"""Issues 19 and 20: YAML mistakes located where they are and said in words; hostile keys and
characters refused and never echoed raw; valid YAML 1.2 that PyYAML (YAML 1.1) refuses."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import load_campaign
from briefgen.errors import Problem

Cli = Callable[..., tuple[int, str, str]]

_KNOWN_TOP = (
    "brief, campaign, cases, co_signers, demands, dropped_demands, joint_letters, letter, "
    "organisation, recipients, signatories, sources"
)
_CONTROL = "remove it (it often comes from copying out of another program)"

# (name, replacements in minimal.yaml, exact message after "FILE:")
CASES = [
    (
        "brackets in a top-level key",
        [("sources: []", "sources: []\nnotes[1]: extra")],
        f"30:1: error: notes[1]: unknown field (expected one of: {_KNOWN_TOP})",
    ),
    (
        "brackets in a nested key",
        [("  address: [Main", '  "web[site]": x\n  address: [Main')],
        "11:3: error: organisation.web[site]: unknown field (did you mean 'website'?)",
    ),
    (
        "unclosed double quote",
        [("  title: Minimal brief", '  title: "Minimal brief')],
        '13:10: error: brief.title: this text starts with a quotation mark (") that is not '
        'closed on its line; end the text with "',
    ),
    (
        "unclosed quote that a later quote closes",
        [
            ("  title: Minimal brief", '  title: "Minimal brief'),
            ("    name: Jane Doe", '    name: "Jane Doe"'),
        ],
        '13:10: error: brief.title: this text starts with a quotation mark (") that is not '
        'closed on its line; end the text with "',
    ),
    (
        "unclosed single quote",
        [("    name: John Roe", "    name: 'John Roe")],
        "36:11: error: recipients[1].name: this text starts with a quotation mark (') that is "
        "not closed on its line; end the text with '",
    ),
    (
        "colon in a value",
        [("  title: Minimal brief", "  title: Baku: a summit")],
        "13:10: error: brief.title: a value containing ': ' must be quoted: title: \"Baku: a "
        'summit"',
    ),
    (
        "colon in a long value",
        [
            (
                "  title: Minimal brief",
                "  title: Baku: first Brussels-Baku dialogue since the disputed election",
            )
        ],
        "13:10: error: brief.title: a value containing ': ' must be quoted: title: \"Baku: first "
        'Brussels-Baku dialogue since…"',
    ),
    (
        "colon in a list item's value",
        [("    title: Release the detained", "    title: Release: now")],
        "17:12: error: demands[0].title: a value containing ': ' must be quoted: title: "
        '"Release: now"',
    ),
    (
        "line indented under a value",
        [("  summary: A short summary.", "    summary: A short summary.")],
        "14:5: error: 'summary:' is indented more than 'title', so it is read as part of that "
        "value; indent it like the lines above it (or, if it is part of the text, put the "
        "whole text in quotes)",
    ),
    (
        "line indented less than its siblings",
        [("  language: en", " language: en")],
        "3:2: error: this line starts at column 2, which lines up with none of the entries "
        "above it; entries of one mapping or list start in the same column (the entry above, "
        "'id' on line 2, is at column 3)",
    ),
    (
        "text after a closing quote",
        [("  title: Minimal brief", '  title: "Baku" summit')],
        '13:10: error: brief.title: a value starting with " must end with " or be quoted as a '
        "whole: title: '\"Baku\" summit'",
    ),
    (
        "value starting with a bracket",
        [("  title: Minimal brief", "  title: [Draft] brief")],
        "13:10: error: brief.title: a value starting with '[' must be quoted: title: "
        '"[Draft] brief"',
    ),
    (
        "value starting with @",
        [("  title: Minimal brief", "  title: @brief")],
        "13:10: error: brief.title: a value starting with '@' must be quoted: title: \"@brief\"",
    ),
    (
        "value starting with *",
        [("  title: Minimal brief", "  title: *Urgent* brief")],
        "13:10: error: a value starting with '*' must be quoted: title: \"*Urgent* brief\"; "
        "YAML aliases (*name) are not supported, write the value out in full",
    ),
    (
        "value starting with |",
        [("  title: Minimal brief", "  title: | brief")],
        "13:10: error: brief.title: a value starting with '|' must be quoted: title: \"| brief\"; "
        "for a block of text, write '|' alone and the text on the lines below it",
    ),
    (
        "value starting with !",
        [("  title: Minimal brief", "  title: !important brief")],
        "13:10: error: brief.title: YAML tag '!important' is not allowed; a value starting with "
        "'!' must be quoted: title: \"!important brief\"",
    ),
    (
        "backslash in double quotes",
        [("  title: Minimal brief", '  title: "C:\\Users\\brief"')],
        "13:13: error: brief.title: a backslash in double quotes starts an escape code ('\\U' "
        "here); write \\\\ for a backslash, or put the text in single quotes: title: "
        "'C:\\Users\\brief'",
    ),
    (
        "list item on its key's line",
        [("  title: Minimal brief", "  title: - brief")],
        "13:10: error: brief.title: a list item ('- ') cannot start on the line of its key; put "
        "it on the next line, indented, or put the value in quotes",
    ),
    (
        "line without a colon",
        [("  summary: A short summary.", "  summary")],
        "14:3: error: 'summary' has no ':' after it; write 'field: value' (or, if it continues "
        "the text above, indent it more than that text's field)",
    ),
    (
        "colon without a key",
        [("  summary: A short summary.", "  : A short summary.")],
        "14:3: error: ':' with no field name before it; write 'field: value'",
    ),
    (
        "unclosed bracket",
        [("  address: [Main Street 1, 1000 Brussels]", "  address: [Main Street 1, 1000 Brussels")],
        "11:12: error: organisation.address: the list that opens here with '[' is not closed "
        "with ']' (or its items are not separated by commas); put the value in quotes if '[' "
        "is part of the text",
    ),
    (
        "citation in a one-line block",
        [("  summary: A short summary.", "  summary: |\n    A short summary [@nope].")],
        "15:21: error: brief.summary: citation of unknown source 'nope'",
    ),
    (
        "citation in a folded block",
        [
            (
                "  summary: A short summary.",
                "  summary: >\n    A short\n    summary, see\n    the report [@nope].",
            )
        ],
        "17:16: error: brief.summary: citation of unknown source 'nope'",
    ),
    (
        "citation in double quotes after an escape",
        [("  summary: A short summary.", '  summary: "A \\"short\\" summary [@nope]."')],
        "14:33: error: brief.summary: citation of unknown source 'nope'",
    ),
    (
        "tab used for indentation",
        [("  language: en", "  \tlanguage: en")],
        "3:3: error: tab character used for indentation; indent with spaces",
    ),
    (
        "tab before a nested entry",
        [("  - id: hr", "  -\tid: hr")],
        "31:4: error: tab character used for indentation; indent with spaces",
    ),
    (
        "directive line",
        [("campaign:\n", "%YAML 1.2 please\n---\ncampaign:\n")],
        "1:1: error: a line starting with '%' is a YAML directive, which campaign files do not "
        "use; remove it (or, if it is text, indent it under its field)",
    ),
    (
        "text after the end of the document",
        [
            (
                "    organisation: Test Rights Group\n",
                "    organisation: Test Rights Group\n...\nx: y\n",
            )
        ],
        "46:1: error: this comes after the end of the YAML document (a '...' line, or an extra "
        "closing bracket before it); remove it or what ends the document early",
    ),
    # Issue 20: hostile keys and characters.
    (
        "escape sequence in a key",
        [("  address: [Main", '  "na\\e]0;pwned\\ame": x\n  address: [Main')],
        "11:3: error: organisation.na\\x1b]0;pwned\\x07me: the key contains the invisible or "
        f"control character U+001B; {_CONTROL}",
    ),
    (
        "line break in a key",
        [("  address: [Main", '  "na\\nme": x\n  address: [Main')],
        "11:3: error: organisation.na\\nme: the key contains the invisible or control character "
        f"U+000A; {_CONTROL}",
    ),
    (
        "direction override in a key",
        [("  address: [Main", '  "web\\u202Esite": x\n  address: [Main')],
        "11:3: error: organisation.web\\u202esite: the key contains the invisible or control "
        f"character U+202E; {_CONTROL}",
    ),
    (
        "C1 control character in a value",
        [("  name: Test Rights Group", '  name: "Test\\x9b Group"')],
        f"10:9: error: organisation.name: contains the invisible or control character U+009B; "
        f"{_CONTROL}",
    ),
    (
        "next-line character in a value",
        [("  name: Test Rights Group", '  name: "Test\\N Group"')],
        f"10:9: error: organisation.name: contains the invisible or control character U+0085; "
        f"{_CONTROL}",
    ),
    (
        "tag on a key",
        [("campaign:\n", "!foo campaign:\n")],
        "1:1: error: campaign: YAML tag '!foo' is not allowed on a key; write the key alone",
    ),
    (
        "tag on a nested key",
        [("  id: minimal", "  !!binary id: minimal")],
        "2:3: error: campaign.id: YAML tag '!!binary' is not allowed on a key; write the key alone",
    ),
]


@pytest.mark.parametrize(("replace", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_yaml_mistake_is_one_located_line_in_words(
    cli: Cli, campaign: Callable[..., Path], replace: list[tuple[str, str]], expected: str
) -> None:
    path = campaign(replace)
    code, _out, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [f"{path}:{expected}"]
    assert "Traceback" not in err
    # Nothing a file holds reaches the terminal raw: no escape sequence, no extra line.
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", err)


def test_build_reports_a_yaml_mistake_as_check_does(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign([("  title: Minimal brief", "  title: Baku: a summit")])
    code, _out, err = cli("build", path, "-o", tmp_path / "out", "-f", "html")
    assert code == 1
    assert (
        f"{path}:13:10: error: brief.title: a value containing ': ' must be quoted: "
        'title: "Baku: a summit"'
    ) in err.splitlines()
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "minimal").exists()


def test_messages_escape_what_they_quote() -> None:
    problem = Problem(Path("x.yaml"), "unknown 'a\x1b[2Jb'\nnext\u202e", 3, 4, "f\x07\tg")
    assert str(problem) == "x.yaml:3:4: error: f\\x07\\tg: unknown 'a\\x1b[2Jb'\\nnext\\u202e"


# Valid YAML 1.2 that PyYAML, a YAML 1.1 parser, refuses: read as YAML 1.2 reads it.
NAME = "  name: Test Rights Group"
ADDRESS = "  address: [Main Street 1, 1000 Brussels]"
VALID_12 = [
    ("tab after a value, before a comment", NAME, NAME + "\t# ours", "Test Rights Group"),
    ("tab after the colon", NAME, "  name:\tTest Rights Group", "Test Rights Group"),
    ("tabs at the end of a line", NAME, NAME + "\t\t", "Test Rights Group"),
    ("tab between words", NAME, "  name: Test\tRights Group", "Test\tRights Group"),
    (
        "anchor defined twice",
        NAME,
        "  name: &n Test Rights Group\n  website: &n https://example.org",
        "Test Rights Group",
    ),
    ("anchor named in another script", NAME, "  name: &имя Test Rights Group", "Test Rights Group"),
    ("question mark in brackets", ADDRESS, "  address: [Is it here?, Main Street 1]", None),
]


@pytest.mark.parametrize(
    ("old", "new", "name"), [v[1:] for v in VALID_12], ids=[v[0] for v in VALID_12]
)
def test_valid_yaml_12_is_accepted(
    cli: Cli, campaign: Callable[..., Path], old: str, new: str, name: str | None
) -> None:
    path = campaign([(old, new)])
    code, _out, err = cli("check", path)
    assert code == 0, err
    organisation = load_campaign(path).organisation
    if name is None:
        assert [line.plain for line in organisation.address] == ["Is it here?", "Main Street 1"]
    else:
        assert organisation.name.plain == name
