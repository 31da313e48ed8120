"""Sources, citations as footnotes, and the freshness and integrity checks."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import i18n
from briefgen.citations import find, format_source
from briefgen.model import Source
from tests.conftest import height_of, pdf_text, text_heights

Cli = Callable[..., tuple[int, str, str]]


def test_citation_footnote_sits_at_the_bottom_of_the_citing_page(example_output: Path) -> None:
    pdf = example_output / "brief.public.en.pdf"
    chunks = text_heights(pdf, 0)
    cited = height_of(chunks, "widespread reports of violations")
    note = height_of(chunks, "Human Rights Watch,")
    footer = height_of(chunks, "Page 1 of")
    assert footer < note < cited  # below the text that cites it, above the page footer
    first_page = pdf_text(pdf).split("Page 1 of")[0]
    assert (
        "1. Human Rights Watch, EU Should Press Azerbaijan to Deliver on Rights: First "
        "Brussels-Baku Dialogue since Dubious Election Results Announced, 4 March 2020, "
        "https://www.hrw.org/news/2020/03/04/eu-should-press-azerbaijan-deliver-rights."
    ) in first_page
    # The same source cited again (on the next page, under the cover photo's): short form.
    second_page = pdf_text(pdf).split("Page 1 of")[1].split("Page 2 of")[0]
    assert "3. Human Rights Watch, EU Should Press Azerbaijan to Deliver on Rights." in second_page


def test_judgment_citation_and_short_form(example_output: Path) -> None:
    text = pdf_text(example_output / "brief.public.en.pdf")
    assert (
        "European Court of Human Rights, Khadija Ismayilova v. Azerbaijan (no. 2), "
        "application no. 30778/15, judgment of 27 February 2020."
    ) in text
    assert "Ilgar Mammadov v. Azerbaijan (Article 46 § 4)." in text  # short title, cited again
    # The brief ends with the list of sources, each in full.
    listed = text.split("Annex: cases")[1].split("Sources")[-1]
    assert "Council of Europe, European Commission for Democracy through Law" in listed


def test_word_footnotes_carry_the_citations(example_output: Path) -> None:
    for language, expected in (
        (
            "en",
            # A no-break space ties the number to its label.
            "Khadija Ismayilova v. Azerbaijan (no.\u00a02), application no.\u00a030778/15, "
            "judgment "
            "of 27 February 2020",
        ),
        (
            "fr",
            "Khadija Ismayilova v. Azerbaijan (no.\u00a02), requête n°\u00a030778/15, arrêt du "
            "27 février 2020",
        ),
        (
            "az",
            "Khadija Ismayilova v. Azerbaijan (no.\u00a02), ərizə №\u00a030778/15, 27 fevral 2020 "
            "tarixli qərar",
        ),
    ):
        path = example_output / f"brief.public.{language}.docx"
        with zipfile.ZipFile(path) as archive:
            notes = re.sub(r"<[^>]+>", "", archive.read("word/footnotes.xml").decode())
            body = archive.read("word/document.xml").decode()
        assert expected in notes, language
        assert body.count("<w:footnoteReference") >= 7


def test_letters_use_footnotes_only(example_output: Path) -> None:
    letter = example_output / "letters" / "high-representative.pdf"
    text = pdf_text(letter)
    assert "European Court of Human Rights, Khadija Ismayilova v. Azerbaijan (no. 2)" in text
    assert "Sources" not in text.replace("Sources:", "")
    with zipfile.ZipFile(letter.with_suffix(".docx")) as archive:
        notes = re.sub(r"<[^>]+>", "", archive.read("word/footnotes.xml").decode())
    assert "Khadija Ismayilova v. Azerbaijan" in notes


def test_status_is_printed_with_as_of_date(example_output: Path) -> None:
    assert "STATUS Released in May 2016; under a travel ban (as of 3 March 2020)" in pdf_text(
        example_output / "brief.public.en.pdf"
    )
    assert "(au 3 mars 2020)" in pdf_text(example_output / "brief.public.fr.pdf")


def source(**fields: object) -> Source:
    return Source.model_validate({"id": "s", "date": "2020-02-27", **fields})


@pytest.mark.parametrize(
    ("fields", "full", "short"),
    [
        (
            {
                "kind": "report",
                "title": "World Report 2020: Azerbaijan",
                "publisher": "HRW",
                "url": "https://example.org/r",
            },
            'HRW, <em class="title">World Report 2020: Azerbaijan</em>, 27 February 2020, '
            '<a href="https://example.org/r">https://example.org/r</a>',
            'HRW, <em class="title">World Report 2020</em>',
        ),
        (
            {
                "kind": "news",
                "title": "Journalist jailed",
                "publisher": "Meydan TV",
                "author": "A. Reporter",
            },
            'A. Reporter, “<span class="title">Journalist jailed</span>”, <em '
            'class="title">Meydan TV</em>, 27 February 2020',
            'Meydan TV, “<span class="title">Journalist jailed</span>”',
        ),
        (
            {
                "kind": "judgment",
                "title": "Khadija Ismayilova v. Azerbaijan (no. 2)",
                "publisher": "European Court of Human Rights",
                "application": "30778/15",
            },
            'European Court of Human Rights, <em class="title">Khadija Ismayilova v. Azerbaijan '
            "(no. 2)</em>, "
            "application no. 30778/15, judgment of 27 February 2020",
            '<em class="title">Khadija Ismayilova v. Azerbaijan (no. 2)</em>',
        ),
        (
            {
                "kind": "law",
                "title": "Law on Grants",
                "number": "No. 1063-IVQD",
                "publisher": "Republic of Azerbaijan",
                "short_title": "Grants law",
            },
            '<em class="title">Law on Grants</em>, No. 1063-IVQD, Republic of Azerbaijan, 27 '
            "February 2020",
            '<em class="title">Grants law</em>',
        ),
        (
            {
                "kind": "document",
                "title": "Opinion on the NGO law",
                "number": "CDL-AD(2014)043",
                "publisher": "Venice Commission",
            },
            'Venice Commission, <em class="title">Opinion on the NGO law</em>, CDL-AD(2014)043, '
            "27 February 2020",
            'Venice Commission, <em class="title">Opinion on the NGO law</em>',
        ),
    ],
    ids=["report", "news", "judgment", "law", "document"],
)
def test_citation_style_by_kind(fields: dict[str, str], full: str, short: str) -> None:
    gettext = i18n.translations("en")
    given = source(**fields)
    assert str(format_source(given, "en", "en", "27 February 2020", gettext)) == full
    assert str(format_source(given, "en", "en", "27 February 2020", gettext, short=True)) == short
    assert str(
        format_source(
            given, "en", "en", "27 February 2020", gettext, short=True, locator="para. 45"
        )
    ).endswith(", para. 45")


def test_citation_syntax() -> None:
    found = find("See [@a], [@b, para. 45; @c] and [not one] or [@d,].")
    assert [[(c.source, c.locator) for c in group] for _, group in found] == [
        [("a", None)],
        [("b", "para. 45"), ("c", None)],
        [("d", None)],
    ]


# -- checks ------------------------------------------------------------------------------

SOURCES = """sources:
  - id: report-1
    title: A report
    publisher: NGO
    date: 2024-01-01
    url: https://example.org/same
"""


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (
            [("  summary: A short summary.", "  summary: Text citing [@nowhere-1].")],
            "14:24: error: brief.summary: citation of unknown source 'nowhere-1'",
        ),
        (
            [
                (
                    "    summary: A public case.\n",
                    "    summary: |\n      First line.\n      Second line cites [@report-2].\n",
                ),
                ("sources: []\n", SOURCES),
            ],
            "25:25: error: cases[0].summary: citation of unknown source 'report-2' (did you mean "
            "'report-1'?)",
        ),
        (
            [("sources: []\n", SOURCES.replace("https://example.org/same", "example.org/x"))],
            "34:10: error: sources[0].url: 'example.org/x' is not a web address; it must start "
            "with https:// or http://",
        ),
        (
            [("sources: []\n", SOURCES.replace("2024-01-01", "2024-06-01"))],
            "33:11: error: sources[0].date: 2024-06-01 is after the campaign date (2024-05-06)",
        ),
        (
            [
                (
                    "    visibility: public\n",
                    "    visibility: public\n    history:\n"
                    "      - date: 2024-01-02\n        status: Detained\n",
                )
            ],
            "26:9: error: cases[0].history[0]: status entry has no source; add 'source: <source "
            "id>' (a status change must be sourced)",
        ),
    ],
    ids=[
        "unknown source",
        "unknown source in a block",
        "bad url",
        "future date",
        "unsourced status",
    ],
)
def test_evidence_errors(
    cli: Cli, campaign: Callable[..., Path], replace: list[tuple[str, str]], expected: str
) -> None:
    path = campaign(replace)
    code, _, err = cli("check", path)
    assert code == 1
    assert f"{path}:{expected}" in err.splitlines(), err


def test_evidence_warnings(cli: Cli, campaign: Callable[..., Path]) -> None:
    path = campaign(
        [
            ("sources: []\n", SOURCES + SOURCES.replace("report-1", "report-2")[9:]),
            (
                "    visibility: public\n",
                "    visibility: public\n    status: Detained\n    last_verified: 2024-03-01\n",
            ),
            ("    summary: A public case.", "    summary: A public case [@report-1]."),
        ]
    )
    code, _, err = cli("check", path)
    assert code == 0
    assert err.splitlines() == [
        f"{path}:26:20: warning: cases[0].last_verified: status last verified on 2024-03-01, "
        "70 days before the event (2024-05-10); verify it again (limit: 30 days, "
        "campaign.freshness_days)",
        f"{path}:37:9: warning: sources[1].id: source 'report-2' is never cited",
        f"{path}:38:12: warning: sources[1].title: cited again, this source and sources[0] "
        'would both read "NGO, A report" (en); give one of them a short_title that tells '
        "them apart",
        f"{path}:41:10: warning: sources[1].url: same URL as sources[0]",
    ]
    relaxed = campaign(
        [
            ("  date: 2024-05-06\n", "  date: 2024-05-06\n  freshness_days: 90\n"),
            ("sources: []\n", SOURCES),
            (
                "    visibility: public\n",
                "    visibility: public\n    status: Detained\n    last_verified: 2024-03-01\n",
            ),
            ("    summary: A public case.", "    summary: A case [@report-1]."),
        ],
        name="relaxed.yaml",
    )
    assert cli("check", relaxed) == (0, "", "ok: no problems found\n")
