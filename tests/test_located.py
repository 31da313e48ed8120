"""check and build agree, and every refusal says where to fix it: a copy (cc) that names a
restricted person, a mistake in an import's defaults or filter (in the campaign file, not in
the imported file), and the build's last-line leak guard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import build
from briefgen.errors import RenderError
from briefgen.loader import load
from briefgen.model import Campaign
from briefgen.plan import plan
from briefgen.render import Renderer
from tests.conftest import pdf_text
from tests.khujand import PHONE_WARNING, at, check, khujand_copy

Cli = Callable[..., tuple[int, str, str]]

LEAK = "this text would name the restricted case cases[1]; remove that name from the text"
HR_CC = "      - Desk officer for Tajikistan\n"


def test_a_copy_naming_a_restricted_person_is_reported_at_that_copy(
    cli: Cli, tmp_path: Path
) -> None:
    path = khujand_copy(
        tmp_path, [(HR_CC, "      - Lawyer of Gulbahor Kurbonalieva <lawyer@example.org>\n")]
    )
    expected = (
        f"{at(path, 'Gulbahor Kurbonalieva', after='Lawyer of')}: error: recipients[0].cc[4]: "
        f"{LEAK}"
    )
    assert check(cli, path) == (1, [expected, PHONE_WARNING])
    # The build says the same, and renders nothing (it used to fail the letter, unlocated).
    code, out, err = cli("build", path, "-o", tmp_path / "out", "-f", "pdf,eml")
    assert code == 1
    assert expected in err.replace(f"{path.parent}/", "")
    assert "would name" not in out
    assert not (tmp_path / "out").exists()


def test_a_copy_in_a_csv_cell_is_reported_at_the_cell(cli: Cli, tmp_path: Path) -> None:
    path = khujand_copy(
        tmp_path, csv=[("Central Asia Division, EEAS", "Gulbahor Qurbonalieva-Tolibzoda's lawyer")]
    )
    cell = at(path.parent / "contacts.csv", "Gulbahor Qurbonalieva")
    assert check(cli, path) == (1, [PHONE_WARNING, f"{cell}: error: row 2: cc: {LEAK}"])


def test_a_restricted_letter_may_copy_in_a_restricted_name(cli: Cli, tmp_path: Path) -> None:
    path = khujand_copy(
        tmp_path,
        [
            (
                "    edition: restricted\n",
                "    edition: restricted\n    cc: [Lawyer of Gulbahor Kurbonalieva]\n",
            )
        ],
    )
    assert check(cli, path) == (0, [PHONE_WARNING])


@pytest.mark.parametrize(
    ("replace", "needle", "field"),
    [
        (
            (
                "reason: as a Member from a country that has raised Central Asian political "
                "prisoners",
                "reason: as a Member who asked about Gulbahor Kurbonalieva",
            ),
            "Gulbahor Kurbonalieva",
            "recipients[11].defaults.reason",
        ),
        (
            (
                "urmas-paet: {honorific: Mr}",
                "urmas-paet: {honorific: Mr, title: Gulbahor Kurbonalieva's friend}",
            ),
            "Gulbahor Kurbonalieva's",
            "recipients[11].overrides.urmas-paet.title",
        ),
    ],
    ids=["defaults", "overrides"],
)
def test_a_leak_in_an_import_entry_is_reported_once_in_the_campaign_file(
    cli: Cli, tmp_path: Path, replace: tuple[str, str], needle: str, field: str
) -> None:
    # The import gives four Members; the mistake is written once, in the campaign file.
    path = khujand_copy(tmp_path, [replace])
    where = at(path, needle, after="recipients:")
    assert check(cli, path) == (1, [f"{where}: error: {field}: {LEAK}", PHONE_WARNING])


@pytest.mark.parametrize(
    ("replace", "needle", "expected"),
    [
        (
            ("country: [Lithuania, Estonia]", "country: [Lithuania, Estnia]"),
            "Estnia",
            "recipients[11].filter.country[1]: no recipient in meps.xml is from 'Estnia' (did "
            "you mean 'Estonia'?)",
        ),
        (
            ("country: [Lithuania, Estonia]", "country: [Lithuania, Belgium]"),
            "Belgium",
            "recipients[11].filter.country[1]: no recipient in meps.xml is from 'Belgium' (its "
            "countries: Estonia, Lithuania, Luxembourg)",
        ),
        (
            (
                "filter: {country: [Lithuania, Estonia]}",
                "filter: {country: [Lithuania, Estonia], political_group: [Renw]}",
            ),
            "Renw",
            "recipients[11].filter.political_group[0]: unknown political group 'Renw' (did you "
            "mean 'Renew'?) (expected a group name from meps.xml or one of: EPP, S&D, ECR, "
            "Renew, Greens/EFA, The Left, GUE/NGL, PfE, ESN, NI)",
        ),
    ],
    ids=["country misspelt", "country not in the file", "group misspelt"],
)
def test_an_import_filter_is_checked_at_its_value(
    cli: Cli, tmp_path: Path, replace: tuple[str, str], needle: str, expected: str
) -> None:
    path = khujand_copy(tmp_path, [replace])
    where = at(path, needle, after="filter:")
    assert check(cli, path) == (1, [f"{where}: error: {expected}", PHONE_WARNING])


def test_the_build_guard_says_where_a_name_comes_from(tmp_path: Path) -> None:
    # A campaign that check would refuse, rendered anyway (as a gap in check would let
    # through): the document is refused, and the refusal names the text and its place.
    path = khujand_copy(
        tmp_path, [(HR_CC, "      - Lawyer of Gulbahor Kurbonalieva <lawyer@example.org>\n")]
    )
    loaded = load(path)
    campaign = Campaign.model_validate(loaded.data)
    doc = next(d for d in plan(campaign) if d.letter and d.letter.id == "high-representative")
    with pytest.raises(RenderError) as caught:
        Renderer(campaign, path).render(doc)
    assert str(caught.value) == (
        "this public document would name the restricted case cases[1]; the name is in "
        f"{path.parent}/{at(path, 'Lawyer of Gulbahor')} (recipients[0].cc[4]); remove it"
    )


def test_a_name_from_the_templates_is_said_to_come_from_them(tmp_path: Path) -> None:
    path = khujand_copy(tmp_path, [("  language: en\n", "  language: en\n  templates: mine\n")])
    mine = path.parent / "mine"
    mine.mkdir()
    letter = (Path(__file__).parent.parent / "templates" / "letter.html").read_text("utf-8")
    (mine / "letter.html").write_text(
        letter.replace("{% endblock %}", "<p>Remember Gulbahor Kurbonalieva.</p>{% endblock %}", 1),
        "utf-8",
    )
    report = build([path], tmp_path / "out", formats=("pdf",), recipients=["high-representative"])
    assert [str(f) for f in report.failures] == [
        f"{path}: letter to high-representative: this public document would name the "
        "restricted case cases[1]; the name is in no text of the campaign: it comes from the "
        "templates (campaign.templates); remove it"
    ]


def test_an_unknown_citation_that_reaches_the_build_is_an_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    path = khujand_copy(
        tmp_path, [("closed session.[@interviews-2025]", "closed session.[@interviews-2052]")]
    )
    campaign = Campaign.model_validate(load(path).data)  # as if check had let it through
    doc = next(d for d in plan(campaign) if d.letter and d.letter.id == "special-representative")
    with pytest.raises(RenderError) as caught:
        Renderer(campaign, path).render(doc)
    assert str(caught.value) == (
        "citation of unknown source 'interviews-2052' (briefgen check says where)"
    )


SOURCE = """  - id: rferl-qurbonalieva
    kind: news
    title: Lawyer Gulbahor Qurbonalieva-Tolibzoda detained in Khujand
    publisher: Radio Free Europe/Radio Liberty
    date: 2025-09-01
    url: https://www.rferl.org/a/tajikistan-lawyer-gulbahor-qurbonalieva-tolibzoda-detained/33500000.html
"""


def test_a_source_only_confidential_material_cites_may_name_the_person(
    cli: Cli, tmp_path: Path
) -> None:
    restricted = [
        ("recipients:\n", SOURCE + "recipients:\n"),
        ("not to publicise it.\n", "not to publicise it.[@rferl-qurbonalieva]\n"),
    ]
    path = khujand_copy(tmp_path / "a", restricted)
    assert check(cli, path) == (0, [PHONE_WARNING])
    report = build([path], tmp_path / "out", formats=("pdf",), only="brief")
    assert report.ok, report.failures
    folder = tmp_path / "out" / "khujand-2025"
    assert "rferl-qurbonalieva" not in pdf_text(folder / "brief.public.en.pdf")
    assert "Qurbonalieva" not in pdf_text(folder / "brief.public.en.pdf")
    assert "Qurbonalieva-Tolibzoda detained" in pdf_text(folder / "brief.restricted.en.pdf")
    # Cited by a public text, the same source would name her in public: refused at its title
    # and its address.
    public = [
        ("recipients:\n", SOURCE + "recipients:\n"),
        ("unconditionally.[@wgad-2024]", "unconditionally.[@rferl-qurbonalieva]"),
    ]
    path = khujand_copy(tmp_path / "b", public)
    assert check(cli, path) == (
        1,
        [
            f"{at(path, 'Gulbahor Qurbonalieva', after='title: Lawyer')}: error: "
            f"sources[3].title: {LEAK}",
            f"{at(path, 'gulbahor-qurbonalieva')}: error: sources[3].url: {LEAK}",
            PHONE_WARNING,
        ],
    )
