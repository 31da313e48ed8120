"""check applies the build's rules to every text, wherever it was written (the campaign file,
an import's defaults and overrides, a CSV cell, a joint letter): what check accepts, the
build renders; what the build cannot render, check reports at its place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import build
from tests.khujand import KHUJAND, PHONE_WARNING, at, check, khujand_copy

Cli = Callable[..., tuple[int, str, str]]

WGAD = "[@wgad-2024]"


def _in_order(error: str, in_csv: bool) -> list[str]:
    """What check prints: the campaign file's problems, then the CSV file's, by line."""
    return [PHONE_WARNING, error] if in_csv else [error, PHONE_WARNING]


def test_the_campaign_is_valid_as_it_is(cli: Cli) -> None:
    assert check(cli, KHUJAND) == (0, [PHONE_WARNING])


def test_an_unknown_citation_in_a_csv_note_is_reported_at_its_cell(
    cli: Cli, tmp_path: Path
) -> None:
    path = khujand_copy(tmp_path, csv=[("opinion,[@wgad-2024]", "opinion,[@wgad-2042]")])
    csv = path.parent / "contacts.csv"
    cell = at(csv, '"We enclose the Working')
    expected = (
        f"{cell}: error: row 2: note: citation of unknown source 'wgad-2042' "
        "(did you mean 'wgad-2024'?)"
    )
    assert check(cli, path) == (1, [PHONE_WARNING, expected])  # by line in each file
    # The build reports the same and renders nothing: no letter fails with a traceback.
    code, out, err = cli("build", path, "-o", tmp_path / "out", "-f", "pdf")
    assert code == 1
    assert expected in err.replace(f"{path.parent}/", "")
    assert "internal error" not in out + err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("replace", "needle", "field"),
    [
        (
            ("closed session.[@interviews-2025]", "closed session.[@interviews-2052]"),
            "[@interviews-2052]",
            "recipients[1].restricted_note",
        ),
        (
            ("leurs dossiers.\n", "leurs dossiers.[@interviews-2052]\n"),
            "[@interviews-2052]",
            "demands[1].restricted_note.fr",
        ),
        (
            ("vague terms.[@rferl-2022]", "vague terms.[@interviews-2052]"),
            "[@interviews-2052]",
            "recipients[11].defaults.note",
        ),
        (
            (
                "urmas-paet: {honorific: Mr}",
                "urmas-paet: {honorific: Mr, note: 'See [@interviews-2052]'}",
            ),
            "[@interviews-2052]",
            "recipients[11].overrides.urmas-paet.note",
        ),
        (
            (
                "    to: [femm-chair, inta-chair]\n",
                "    to: [femm-chair, inta-chair]\n    restricted_note: Voir [@interviews-2052]\n",
            ),
            "[@interviews-2052]",
            "joint_letters[1].restricted_note",
        ),
        (
            ("after the dialogue.[@wgad-2024]", "after the dialogue.[@interviews-2052]"),
            "[@interviews-2052]",
            "joint_letters[0].note",
        ),
    ],
    ids=[
        "recipient restricted_note",
        "demand restricted_note",
        "import defaults",
        "import overrides",
        "joint letter restricted_note",
        "joint letter note",
    ],
)
def test_an_unknown_citation_is_reported_wherever_it_is_written(
    cli: Cli, tmp_path: Path, replace: tuple[str, str], needle: str, field: str
) -> None:
    path = khujand_copy(tmp_path, [replace])
    expected = (
        f"{at(path, needle)}: error: {field}: citation of unknown source 'interviews-2052' "
        "(did you mean 'interviews-2025'?)"
    )
    assert check(cli, path) == (1, [expected, PHONE_WARNING])
    report = build([path], tmp_path / "out", formats=("pdf",))
    assert not report.failures  # never rendered, so never a failing letter
    assert [str(p).replace(f"{path.parent}/", "") for p in report.problems][0] == expected


@pytest.mark.parametrize(
    ("replace", "csv", "needle", "field"),
    [
        (
            ("closed session.[@interviews-2025]", "[see](javascript:alert(1))"),
            None,
            "javascript:alert",
            "recipients[1].restricted_note",
        ),
        (
            None,
            ("opinion,[@wgad-2024]", "opinion,[here](file:///etc/passwd)"),
            '"We enclose the Working',
            "row 2: note",
        ),
    ],
    ids=["restricted_note", "CSV note"],
)
def test_links_are_checked_in_every_markdown_field(
    cli: Cli,
    tmp_path: Path,
    replace: tuple[str, str] | None,
    csv: tuple[str, str] | None,
    needle: str,
    field: str,
) -> None:
    path = khujand_copy(tmp_path, [replace] if replace else [], [csv] if csv else [])
    link = "javascript:alert(1)" if replace else "file:///etc/passwd"
    where = at(path if replace else path.parent / "contacts.csv", needle)
    expected = (
        f"{where}: error: {field}: link '{link}' is not allowed: links must start with "
        "https://, http:// or mailto:"
    )
    assert check(cli, path) == (1, _in_order(expected, csv is not None))


PLAIN = (
    "is plain text: the citation '{cited}' would be printed as typed; cite sources in a "
    "Markdown field (note, body, summary, restricted_note, opening, closing)"
)


@pytest.mark.parametrize(
    ("replace", "csv", "needle", "field", "name"),
    [
        (
            (
                "    to: [droi-chair, afet-chair]\n",
                "    to: [droi-chair, afet-chair]\n    reason: as Chairs[@wgad-2024]\n",
            ),
            None,
            "as Chairs",
            "joint_letters[0].reason",
            "reason",
        ),
        (
            None,
            ("side of the dialogue;", "side of the dialogue[@wgad-2024];"),
            "as the desk officer",
            "row 2: reason",
            "reason",
        ),
        (
            ("political prisoners\n", "political prisoners[@wgad-2024]\n"),
            None,
            "political prisoners",
            "recipients[11].defaults.reason",
            "reason",
        ),
        (
            (
                "urmas-paet: {honorific: Mr}",
                "urmas-paet: {honorific: Mr, reason: 'as X[@wgad-2024]'}",
            ),
            None,
            "as X",
            "recipients[11].overrides.urmas-paet.reason",
            "reason",
        ),
        (
            ("{en: Sentenced to 21 years,", "{en: 'Sentenced to 21 years[@wgad-2024]',"),
            None,
            "Sentenced to 21 years",
            "cases[0].history[0].status.en",
            "status",
        ),
    ],
    ids=["joint letter reason", "CSV reason", "import defaults", "import overrides", "status"],
)
def test_a_citation_in_plain_text_is_refused(
    cli: Cli,
    tmp_path: Path,
    replace: tuple[str, str] | None,
    csv: tuple[str, str] | None,
    needle: str,
    field: str,
    name: str,
) -> None:
    path = khujand_copy(tmp_path, [replace] if replace else [], [csv] if csv else [])
    where = at(path.parent / "contacts.csv", needle) if csv else at(path, WGAD, needle)
    expected = f"{where}: error: {field}: '{name}' " + PLAIN.format(cited=WGAD)
    assert check(cli, path) == (1, _in_order(expected, csv is not None))


def test_copies_must_be_names_or_addresses(cli: Cli, tmp_path: Path) -> None:
    path = khujand_copy(
        tmp_path,
        [
            (
                "      - Desk officer for Tajikistan\n",
                "      - a@eeas.example.org, b@eeas.example.org\n",
            )
        ],
        [("<zoe.olmez@eeas.example.org>", "<zoe.olmez@eeas>")],
    )
    cell = at(path.parent / "contacts.csv", '"Central Asia Division')
    assert check(cli, path) == (
        1,
        [
            f"{at(path, 'a@eeas')}: error: recipients[0].cc[4]: 'a@eeas.example.org, "
            "b@eeas.example.org' is not a name, an e-mail address or 'Name <address>'; write "
            "one copy per entry",
            PHONE_WARNING,
            f"{cell}: error: row 2: cc: 'zoe.olmez@eeas' is not an e-mail address",
        ],
    )


def test_texts_never_printed_need_no_translation(cli: Cli, tmp_path: Path) -> None:
    # The withheld case is written once, in English, in a campaign whose brief is also in
    # French: it is never printed, so nothing is asked (see test_the_campaign_is_valid...).
    # A restricted demand needs the languages of restricted documents only: the
    # Azerbaijani letters are public, so its Azerbaijani text is not asked for...
    drop_az = [
        ("      az: Məxfi işi qapalı iclasda qaldırın\n", ""),
        ("      az: Onun işini yalnız qapalı iclasda qaldırın.\n", ""),
    ]
    assert check(cli, khujand_copy(tmp_path / "a", drop_az)) == (0, [PHONE_WARNING])
    # ...until a restricted letter in Azerbaijani asks for that demand.
    path = khujand_copy(
        tmp_path / "b",
        [
            *drop_az,
            (
                "    to: [az-foreign-minister, az-justice-minister]\n    demands: [release]\n",
                "    to: [az-foreign-minister, az-justice-minister]\n    edition: restricted\n"
                "    demands: [release, confidential]\n",
            ),
        ],
    )
    title = at(path, "en: Raise the confidential case")
    body = at(path, "en: Raise her case only")
    assert check(cli, path) == (
        0,
        [
            f"{title}: warning: demands[2].title: no translation into az (translated into en, "
            "fr); write it as a mapping such as 'az: ...'",
            f"{body}: warning: demands[2].body: no translation into az (translated into en, "
            "fr); write it as a mapping such as 'az: ...'",
            PHONE_WARNING,
        ],
    )


def test_a_web_address_with_a_space_says_so(cli: Cli, tmp_path: Path) -> None:
    url = "https://www.rferl.org/a/tajikistan-journalist-sentenced/32169482.html"
    path = khujand_copy(tmp_path, [(url, f"{url} (Russian)")])
    assert check(cli, path) == (
        1,
        [
            f"{at(path, url)}: error: sources[1].url: '{url} (Russian)' is not a web address: it "
            "has a space before '(Russian)'. Write the address alone (a note such as a language "
            "belongs in the title, or after a '#' as a YAML comment); a space that is part of "
            "the address is written %20"
        ],
    )


def test_an_unknown_history_source_suggests_the_closest(cli: Cli, tmp_path: Path) -> None:
    path = khujand_copy(
        tmp_path, [("        source: rferl-2022\n", "        source: rferl-2202\n")]
    )
    assert check(cli, path) == (
        1,
        [
            f"{at(path, 'rferl-2202')}: error: cases[0].history[0].source: unknown source id "
            "'rferl-2202' (did you mean 'rferl-2022'?)",
            PHONE_WARNING,
        ],
    )


def test_a_row_of_several_lines_is_reported_where_it_starts(cli: Cli, tmp_path: Path) -> None:
    # A separator missing in a row whose address takes three lines.
    path = khujand_copy(tmp_path, csv=[('Belgique";claire', 'Belgique" claire')])
    csv = path.parent / "contacts.csv"
    assert check(cli, path) == (
        1,
        [
            PHONE_WARNING,
            f"{at(csv, '  Claire')}: error: row 3 (lines 7 to 9) has 12 values, the header has "
            "13 (a ';' too many or too few, or a line break outside quotes?)",
        ],
    )
