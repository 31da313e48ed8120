"""Bad input: every user mistake is one exact, located line on stderr and exit code 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]

# (name, replacements in minimal.yaml, exact message after "FILE:")
CASES = [
    (
        "duplicate key",
        [("  language: en\n", "  language: en\n  language: fr\n")],
        "4:3: error: campaign.language: duplicate key 'language' (first defined on line 3)",
    ),
    (
        "unknown key with hint",
        [("  address: [Main", "  adress: x\n  address: [Main")],
        "11:3: error: organisation.adress: unknown field (did you mean 'address'?)",
    ),
    (
        "unknown top-level key",
        [("sources: []", "sources: []\nrecipents: []")],
        "30:1: error: recipents: unknown field (did you mean 'recipients'?)",
    ),
    (
        "wrong type: text for list",
        [("  address: [Main Street 1, 1000 Brussels]", "  address: Main Street 1")],
        "11:12: error: organisation.address: expected a list ('- item' lines), got 'Main Street 1'",
    ),
    (
        "wrong type: list for text",
        [("  title: Minimal brief", "  title: [a, b]")],
        "13:10: error: brief.title: expected a text value or a mapping of language to text "
        "(en: ..., fr: ...), got a list",
    ),
    (
        "unknown language",
        [("    role: high-representative\n", "    role: high-representative\n    language: xx\n")],
        "34:15: error: recipients[0].language: unknown language 'xx' (expected one of: en, fr, az)",
    ),
    (
        "unknown role",
        [("role: other", "role: ambassador")],
        "37:11: error: recipients[1].role: unknown role 'ambassador' (expected one of: "
        "high-representative, special-representative, commissioner, president-european-council, "
        "mep, committee-chair, working-party-chair, head-of-delegation, minister, other)",
    ),
    (
        "missing key at its mapping",
        [("    date: 2024-05-10\n", "")],
        "6:5: error: campaign.event.date: required field missing",
    ),
    (
        "missing visibility",
        [("    visibility: restricted\n", "")],
        "25:5: error: cases[1].visibility: required field missing (one of: public, restricted, "
        "withheld)",
    ),
    (
        "unknown reference",
        [("cases: [public-case, secret-case]", "cases: [public-cse, secret-case]")],
        "19:13: error: demands[0].cases[0]: unknown case id 'public-cse' (did you mean "
        "'public-case'?)",
    ),
    (
        "duplicate id",
        [("  - id: insider", "  - id: hr")],
        "35:9: error: recipients[1].id: duplicate recipient id 'hr' (first used on line 31)",
    ),
    (
        "public letter with only restricted demands",
        [
            (
                "cases:\n",
                "  - id: secret-demand\n    title: Secret\n    body: Secret body.\n"
                "    cases: []\n    visibility: restricted\ncases:\n",
            ),
            (
                "    role: high-representative\n",
                "    role: high-representative\n    demands: [secret-demand]\n",
            ),
        ],
        "39:14: error: recipients[0].demands: this letter is public but all its demands are "
        "restricted: it would ask for nothing (give it a public demand, or make its edition "
        "restricted)",
    ),
    (
        "letter without demands",
        [("    role: other\n", "    role: other\n    demands: []\n")],
        "38:14: error: recipients[1].demands: this letter chooses no demand: it would ask for "
        "nothing",
    ),
    (
        "entry written twice",  # identical entries: the second one is named, not the first
        [
            (
                "    address: [Rond-Point Robert Schuman 9A, 1046 Brussels]\n",
                "    address: [Rond-Point Robert Schuman 9A, 1046 Brussels]\n"
                "  - id: hr\n"
                "    name: Jane Doe\n"
                "    role: high-representative\n"
                "    address: [Rond-Point Robert Schuman 9A, 1046 Brussels]\n",
            )
        ],
        "35:9: error: recipients[1].id: duplicate recipient id 'hr' (first used on line 31)",
    ),
    (
        "bad id",
        [("id: minimal", "id: My Campaign")],
        "2:7: error: campaign.id: 'My Campaign' is not a valid id: use lowercase letters, digits "
        "and single hyphens, e.g. 'release-detained'",
    ),
    (
        "NO stays a string",
        [("id: minimal", "id: NO")],
        "2:7: error: campaign.id: 'NO' is not a valid id: use lowercase letters, digits and "
        "single hyphens, e.g. 'release-detained'",
    ),
    (
        "impossible date",
        [("date: 2024-05-06", "date: 2024-02-30")],
        "4:9: error: campaign.date: '2024-02-30' is not a real calendar date",
    ),
    (
        "not a date",
        [("date: 2024-05-06", "date: 6 May 2024")],
        "4:9: error: campaign.date: '6 May 2024' is not a date; write it as YYYY-MM-DD, e.g. "
        "2020-03-02",
    ),
    (
        "python tag",
        [("  name: Test Rights Group", "  name: !!python/object/apply:os.system ['echo pwned']")],
        "10:9: error: organisation.name: YAML tag '!!python/object/apply:os.system' is not allowed",
    ),
    (
        "alias",
        [
            ("  name: Test Rights Group", "  name: &org Test Rights Group"),
            ("    organisation: Test Rights Group", "    organisation: *org"),
        ],
        "44:19: error: a value starting with '*' must be quoted: organisation: \"*org\"; YAML "
        "aliases (*name) are not supported, write the value out in full",
    ),
    (
        "control character",
        [("  name: Test Rights Group", '  name: "Test\\x07 Group"')],
        "10:9: error: organisation.name: contains the invisible or control character U+0007; "
        "remove it (it often comes from copying out of another program)",
    ),
    (
        "javascript link",
        [("summary: A short summary.", "summary: See [this](javascript:alert(1)).")],
        "14:23: error: brief.summary: link 'javascript:alert(1)' is not allowed: links must "
        "start with https://, http:// or mailto:",
    ),
    (
        "missing logo",
        [("  address: [Main", "  logo: assets/logo.png\n  logo_alt: Logo\n  address: [Main")],
        "11:9: error: organisation.logo: file 'assets/logo.png' does not exist (paths are "
        "relative to the campaign file)",
    ),
    (
        "logo outside the campaign folder",
        [
            (
                "  address: [Main",
                "  logo: ../../../etc/passwd.png\n  logo_alt: Logo\n  address: [Main",
            )
        ],
        "11:9: error: organisation.logo: '../../../etc/passwd.png' is outside the campaign folder",
    ),
    (
        "tab indentation",
        [("  id: minimal", "\tid: minimal")],
        "2:1: error: tab character used for indentation; indent with spaces",
    ),
    (
        "two documents",
        [("signatories:", "---\nsignatories:")],
        "41:1: error: several YAML documents ('---') in one file; keep one campaign per file",
    ),
    (
        "empty list that needs an item",
        [
            (
                "signatories:\n  - name: Sam Signer\n    title: "
                "Director\n    organisation: Test Rights Group\n",
                "signatories: []\n",
            )
        ],
        "41:14: error: signatories: must list at least one item",
    ),
]


@pytest.mark.parametrize(("replace", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_located_line(
    cli: Cli, campaign: Callable[..., Path], replace: list[tuple[str, str]], expected: str
) -> None:
    path = campaign(replace)
    code, out, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [f"{path}:{expected}"]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"",
            " error: file is empty; a campaign file starts with 'campaign:' (see "
            "briefs/eu-azerbaijan-2020.yaml)",
        ),
        (
            b"# only a comment\n\n",
            " error: file is empty; a campaign file starts with "
            "'campaign:' (see briefs/eu-azerbaijan-2020.yaml)",
        ),
        (
            b"- a\n- b\n",
            "1:1: error: the file must be a mapping of keys such as 'campaign:' "
            "and 'recipients:', not a list",
        ),
        (
            b"campaign:\n  id: caf\xe9\n",
            " error: file is not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8",
        ),
        (
            b"campaign:\n  id: a\x00b\n",
            "2:8: error: the character U+0000 is not allowed in a campaign file; remove it",
        ),
        (
            b"campaign: [unclosed\n",
            "1:11: error: campaign: the list that opens here with '[' is not closed with ']' (or "
            "its items are not separated by commas); put the value in quotes if '[' is part of "
            "the text",
        ),
    ],
    ids=["empty", "comment only", "list root", "latin-1", "nul byte", "syntax"],
)
def test_unreadable_files(
    cli: Cli, campaign: Callable[..., Path], content: bytes, expected: str
) -> None:
    path = campaign(text=content)
    code, _, err = cli("check", path)
    assert code == 1
    # A problem with no position is "FILE: error: message", with one "FILE:LINE:COL: ...".
    assert err.splitlines() == [
        f"{path}:{expected.lstrip()}" if expected[0] != " " else f"{path}:{expected}"
    ]


def test_all_problems_reported_in_file_order(cli: Cli, campaign: Callable[..., Path]) -> None:
    path = campaign([("language: en", "language: de"), ("role: other", "role: x")])
    code, _, err = cli("check", path)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:3:")
    assert lines[1].startswith(f"{path}:37:")


def test_bom_is_accepted(cli: Cli, campaign: Callable[..., Path], tmp_path: Path) -> None:
    from tests.conftest import MINIMAL

    path = campaign(text=b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    code, _, err = cli("check", path)
    assert (code, err) == (0, "ok: no problems found\n")


def test_deep_nesting_is_an_error_not_a_crash(cli: Cli, campaign: Callable[..., Path]) -> None:
    path = campaign(text="campaign: " + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [f"{path}:1:74: error: nesting deeper than 64 levels"]


def test_build_of_invalid_campaign_writes_nothing(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign([("role: other", "role: x")])
    out = tmp_path / "out"
    code, _, err = cli("build", path, "-o", out)
    assert code == 1
    assert f"{path}:37:11: error: recipients[1].role" in err
    assert not out.exists() or not any(out.rglob("*.pdf"))
