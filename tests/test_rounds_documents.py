"""What the documents of a round with a previous round show, read back from the real files:
"Since the last dialogue", the scorecard, the register across rounds and its chart, the
letters' paragraph, in every language; and that a case restricted now is in no public
document. Independent validators check the new structures (tables, the chart)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import etree

from briefgen import build
from tests.conftest import ROOT, docx_text, pandoc_text, with_templates
from tests.conftest import pdf_text as _pdf_text
from tests.leakscan import scan, scan_parts
from tests.test_rounds import LATEST
from tests.validators import (
    docx_errors,
    elements,
    marked_outside_tree,
    missing_styles,
    pdf_failures,
)

pytestmark = pytest.mark.slow

EXAMPLE_2021 = ROOT / "briefs" / "eu-azerbaijan-2021.yaml"
FORMATS = ("pdf", "docx", "html", "eml")
SCORECARD = ["Recommendation", "Assessment", "What happened"]
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
NOW_RESTRICTED = "Nigar Sultanlı (illustrative example)"  # public in 2020, restricted in 2021


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2021 round of the example campaign, every document in every format."""
    out = tmp_path_factory.mktemp("rounds-example")
    report = build([EXAMPLE_2021], out, formats=FORMATS)
    assert report.ok, (report.failures, report.problems)
    return out / "eu-azerbaijan-2021"


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The third of the three test rounds (tests/data/rounds), PDF and DOCX."""
    out = tmp_path_factory.mktemp("rounds-chain")
    report = build([LATEST], out, formats=("pdf", "docx"))
    assert report.ok, (report.failures, report.problems)
    return out / "dialogue-2021"


def pdf_text(path: Path) -> str:
    """The text of the PDF at ``path``, whitespace collapsed and words hyphenated at a line's
    end joined again (typography breaks long words with soft hyphens)."""
    return re.sub("\u00ad ?", "", _pdf_text(path))


def tables(path: Path) -> dict[str, docx.table.Table]:
    """The Word tables of a DOCX, by the text of their first row's first cell."""
    return {t.rows[0].cells[0].text: t for t in docx.Document(str(path)).tables}


def cell_notes(path: Path, cell: docx.table._Cell) -> list[str]:
    """The text of each Word footnote that ``cell`` (of the DOCX ``path``) refers to."""
    with zipfile.ZipFile(path) as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    found = []
    for note in cell._tc.xpath(".//w:footnoteReference/@w:id"):
        texts = notes.xpath(f'//w:footnote[@w:id="{note}"]//w:t/text()', namespaces=W)
        found.append("".join(texts).strip())
    return found


def is_header_row(row: docx.table._Row) -> bool:
    """Whether Word repeats ``row`` as the table's header row (w:tblHeader)."""
    properties = row._tr.trPr
    return properties is not None and properties.find(docx.oxml.ns.qn("w:tblHeader")) is not None


# -- the brief: since the last dialogue --------------------------------------------------------


def test_the_public_brief_says_what_changed_since_the_last_dialogue(example: Path) -> None:
    text = pdf_text(example / "brief.public.en.pdf")
    since = text[
        text.index("Since the last dialogue (5 March 2020)") : text.index("Recommendations")
    ]
    # Cases resolved: old and new status, the date of the change and a footnote to its source.
    assert re.search(
        r"Ilgar Mammadov — Acquitted by the Supreme Court, with compensation \(23 April 2020\)"
        r"(\d+)\. At the last dialogue: Released in 2018; conviction not quashed, barred from "
        r"standing for election\.",
        since,
    )
    assert (
        "Afgan Mukhtarli — Released, sentence replaced by a fine; living in Germany (17 March 2020)"
        in since
    )
    note = re.search(r"\(17 March 2020\)(\d+)\.", since)
    assert note
    assert re.search(
        rf"{note.group(1)}\. “Azerbaijani journalist Afgan Mukhtarli freed from prison”, OC Media, "
        r"17 March 2020",
        text,
    )
    # The new case, marked new.
    assert (
        "New cases Elchin Mammad New — Sentenced to four years in prison (14 October 2020)" in since
    )
    # The restricted case whose status changed is counted, not named.
    assert "1 further case that changed or was added since is not named in this edition." in since
    assert "Status changes" not in since  # the only other change is the restricted one's
    # The scorecard: every demand of the last round, as asked then, and the new one said so.
    for row in (
        "Release everyone unjustly and arbitrarily detained Partly met Afgan Mukhtarli was freed",
        "Lift arbitrary travel bans Not met We know of no arbitrary travel ban lifted",
        "Let independent groups operate and receive foreign funding Worse The laws on NGOs",
    ):
        assert row in since, row
    assert "New in this brief: Carry out the European Court's judgments in full" in since


def test_the_restricted_brief_shows_the_restricted_changes_too(example: Path) -> None:
    text = pdf_text(example / "brief.restricted.en.pdf")
    since = text[
        text.index("Since the last dialogue (5 March 2020)") : text.index("Recommendations")
    ]
    assert (
        "Status changes Farida Nəsibova (illustrative example) — Sentenced to five years in "
        "prison (illustrative) (20 November 2020)" in since
    )
    assert "At the last dialogue: Detained (illustrative)." in since
    assert "not named in this edition" not in since
    register = text[text.index("Annex: the cases at each round") :]
    assert NOW_RESTRICTED in register  # unchanged since, but in the register


def test_the_scorecard_and_the_register_are_word_tables_with_a_header_row(example: Path) -> None:
    found = tables(example / "brief.public.en.docx")
    scorecard = found["Recommendation"]
    assert [c.text for c in scorecard.rows[0].cells] == SCORECARD
    assert is_header_row(scorecard.rows[0])
    assert not is_header_row(scorecard.rows[1])
    # Columns as wide as the template asks (data-docx-widths="28 17 55"), not all alike.
    widths = [column.width for column in scorecard.columns]
    shares = [round(100 * w / sum(widths)) for w in widths]
    assert shares == [28, 17, 55]
    rows = [[c.text for c in row.cells] for row in scorecard.rows[1:]]
    assert [(r[0], r[1]) for r in rows] == [
        ("Release everyone unjustly and arbitrarily detained", "Partly met"),
        ("Lift arbitrary travel bans", "Not met"),
        ("Let independent groups operate and receive foreign funding", "Worse"),
    ]
    assert rows[2][2].startswith("The laws on NGOs and grants are unchanged")
    # The evidence: a Word footnote at the end of what happened, as the PDF's.
    notes = cell_notes(example / "brief.public.en.docx", scorecard.rows[3].cells[2])
    assert len(notes) == 1
    assert "Humbatova" in notes[0], notes
    register = found["Case"]
    assert [c.text for c in register.rows[0].cells] == ["Case", "5 March 2020", "26 April 2021"]
    assert is_header_row(register.rows[0])
    assert [c.text for c in register.rows[4].cells] == [
        "Afgan Mukhtarli",
        "Serving a six-year prison sentence",
        "Released, sentence replaced by a fine; living in Germany",
    ]
    assert [c.text for c in register.rows[5].cells] == [
        "Elchin Mammad",
        "—",
        "Sentenced to four years in prison New",
    ]
    counts = found["Round"]
    assert [[c.text for c in row.cells] for row in counts.rows] == [
        ["Round", "Open", "New since the round before", "Resolved since the round before"],
        ["5 March 2020", "6", "—", "—"],
        ["26 April 2021", "4", "1", "3"],
    ]
    # An independent reader finds the section too.
    plain = " ".join(pandoc_text(example / "brief.public.en.docx").split())
    assert "Since the last dialogue (5 March 2020)" in plain
    assert "Ilgar Mammadov — Acquitted by the Supreme Court, with compensation" in plain


def test_the_chart_has_its_figures_as_alt_text_and_as_a_table(example: Path) -> None:
    alt = (
        "Bar chart of the cases at each round: 5 March 2020, 6 open; 26 April 2021, 4 open, "
        "1 new and 3 resolved since the round before."
    )
    with pikepdf.open(example / "brief.public.en.pdf") as pdf:
        figures = [str(e.get("/Alt", "")) for e in elements(pdf) if e.S == "/Figure"]
    assert alt in figures
    document = docx.Document(str(example / "brief.public.en.docx"))
    described = [d.get("descr") for d in document.element.body.iter(docx.oxml.ns.qn("wp:docPr"))]
    assert alt in described
    html = (example / "brief.public.en.html").read_text(encoding="utf-8")
    assert f'alt="{alt}"' in html
    assert "Cases at each round Round Open New since the round before" in pdf_text(
        example / "brief.public.en.pdf"
    )


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "fr",
            [
                "Depuis le dernier dialogue (5 mars 2020)",
                "Cas résolus",
                "Nouveaux cas",
                "Bilan des recommandations du dernier dialogue",
                "Partiellement satisfaite",
                "Non satisfaite",
                "Dégradation",
                "Lors du dernier dialogue\u00a0: Libéré en 2018",
                "Annexe\u00a0: les cas à chaque session",
            ],
        ),
        (
            "az",
            [
                "Son dialoqdan bəri (5 mart 2020)",
                "Həll edilmiş işlər",
                "Yeni işlər",
                "Son dialoqun tövsiyələrinin hesabatı",
                "Qismən yerinə yetirilib",
                "Yerinə yetirilməyib",
                "Pisləşib",
                "Son dialoq zamanı: 2018-ci ildə azad edilib",
                "Əlavə: hər raundda işlər",
            ],
        ),
    ],
)
def test_the_labels_are_translated(example: Path, language: str, labels: list[str]) -> None:
    text = pdf_text(example / f"brief.public.{language}.pdf")
    path = example / f"brief.public.{language}.docx"
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    word = " ".join([*(p.text for p in document.paragraphs), *cells])
    for label in labels:  # French no-break spaces are spaces in the PDF's text as read back
        assert label.replace("\u00a0", " ") in text, label
        assert label in word, label
    assert "Since the last dialogue" not in text
    header = {
        "fr": ["Recommandation", "Évaluation", "Ce qui s’est passé"],
        "az": ["Tövsiyə", "Qiymətləndirmə", "Nə baş verib"],
    }[language]
    scorecard = tables(example / f"brief.public.{language}.docx")[header[0]]
    assert [c.text for c in scorecard.rows[0].cells] == header
    assert is_header_row(scorecard.rows[0])


# -- letters --------------------------------------------------------------------------------


def test_letters_say_how_the_recipients_demands_fared(example: Path) -> None:
    letter = pdf_text(example / "letters" / "high-representative.pdf")
    assert (
        "Since the last dialogue (5 March 2020), the recommendations we raise with you have "
        "fared as follows:" in letter
    )
    assert (
        "Release everyone unjustly and arbitrarily detained, and stop new arrests — partly met."
        in letter
    )
    assert "Lift arbitrary travel bans — not met." in letter
    # Short: the statuses, and the brief for what happened (the notes are in its scorecard).
    assert "Our enclosed brief sets out what happened, with the evidence." in letter
    brief = pdf_text(example / "brief.public.en.pdf")
    for note in ("We know of no arbitrary travel ban lifted", "the pardon of March 2021 released"):
        assert note not in letter
        assert note in brief
    # Only the recipient's own demands: the Commissioner gets the funding demand alone.
    funding = pdf_text(example / "letters" / "commissioner-neighbourhood.pdf")
    assert "Let independent groups operate and receive foreign funding — worse." in funding
    assert "partly met" not in funding
    french = pdf_text(example / "letters" / "be-foreign-minister.pdf")
    assert "Depuis le dernier dialogue (5 mars 2020), voici ce qu’il est advenu" in french
    assert "— partiellement satisfaite." in french
    assert "Notre note de plaidoyer ci-jointe expose ce qui s’est passé" in french
    word = docx_text(example / "letters" / "be-foreign-minister.docx")
    assert "— partiellement satisfaite." in word


def test_a_round_without_a_previous_one_has_none_of_it(example_output: Path) -> None:
    brief = pdf_text(example_output / "brief.public.en.pdf")
    letter = pdf_text(example_output / "letters" / "high-representative.pdf")
    for text in (brief, letter):
        assert "Since the last dialogue" not in text
        assert "at each round" not in text


# -- confidentiality across rounds ------------------------------------------------------------


def editions(folder: Path) -> dict[str, list[Path]]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    found: dict[str, list[Path]] = {"public": [], "restricted": []}
    for entry in manifest["files"]:
        found[entry["edition"]].append(folder / entry["path"])
    return found


def test_a_case_restricted_now_is_in_no_public_document(example: Path) -> None:
    secrets = [NOW_RESTRICTED, "Nigar Sultanlı", "Farida Nəsibova", "Fəridə Nəsibova"]
    public = editions(example)["public"]
    assert {p.suffix for p in public} == {".pdf", ".docx", ".html", ".eml"}
    for path in public:
        assert scan(path, example, secrets) == set(), path
        assert scan_parts(path, example, secrets) == set(), path
    restricted = example / "brief.restricted.fr.pdf"
    assert scan(restricted, example, secrets) >= {"Nigar Sultanlı", "Farida Nəsibova"}
    assert "Nigar Sultanlı" in scan(example / "letters" / "eusr-human-rights.pdf", example, secrets)


def test_the_chain_of_three_rounds_in_its_documents(chain: Path) -> None:
    text = pdf_text(chain / "brief.public.en.pdf")
    # A dropped demand, assessed; the restricted demand of the last round counted only.
    assert (
        "End torture in pre-trial detention (no longer among our recommendations) Worse Two "
        "deaths in custody were reported." in text
    )
    assert "1 further recommendation of the last dialogue is not shown in this edition." in text
    assert "2 further cases that changed or were added since are not named in this edition." in text
    assert "New in this brief: Lift the travel bans on relatives" in text
    # Evidence the note does not cite itself (sources: [monitor-2021]) is cited at its end.
    scorecard = tables(chain / "brief.public.en.docx")["Recommendation"]
    monitors = scorecard.rows[3].cells
    assert [monitors[0].text, monitors[2].text] == [
        "Let monitors visit prisons",
        "The Red Cross visited two prisons.",
    ]
    assert cell_notes(chain / "brief.public.en.docx", monitors[2]) == [
        "Steppe Rights Watch, Annual report on detention 2021."
    ]
    register = tables(chain / "brief.public.en.docx")["Case"]
    assert [c.text for c in register.rows[0].cells] == [
        "Case",
        "12 June 2019",
        "10 June 2020",
        "9 June 2021",
    ]
    assert [c.text for c in register.rows[1].cells] == [
        "Gulnarakhon Abdurakhmonovna Ismoilova-Khudoiberdieva",
        "Detained pending trial",
        "Sentenced to seven years",
        "Released after an appeal",
    ]
    assert "The figures below also count 4 cases not named in this edition." in text
    secrets = [
        "Nurmukhammed Tursunbaevich Kurbanmuradov",  # public in 2019 and 2020
        "Nurmuhammet Kurbanmyradow",  # his alias in 2019 only
        "Shokhrukhbek Davlatmurodovich Saidakbarov",  # restricted in 2019, then dropped
        "Aynabat Orazgeldiyeva",  # withheld
    ]
    for path in editions(chain)["public"]:
        assert scan(path, chain, secrets) == set(), path
        assert scan_parts(path, chain, secrets) == set(), path
    restricted = pdf_text(chain / "brief.restricted.fr.pdf")
    assert (
        "Nurmukhammed Tursunbaevich Kurbanmuradov — Transféré dans une colonie pénitentiaire"
        in restricted
    )
    assert "Orazgeldiyeva" not in restricted  # withheld: no document names her
    assert "Saidakbarov" not in restricted  # no longer followed: not named, only counted
    letter = pdf_text(chain / "letters" / "insider.pdf")  # restricted, in French
    assert "Évoquer les cas confidentiels en privé — non satisfaite." in letter


# -- standards, reproducibility, incremental builds ---------------------------------------------


def test_the_documents_pass_pdf_ua_and_open_xml_validation(example: Path, chain: Path) -> None:
    failures = {}
    for folder in (example, chain):
        letters = sorted((folder / "letters").glob("*.pdf"))[:3]
        for path in sorted(folder.glob("brief.*.pdf")) + letters:
            problems = pdf_failures(path) + marked_outside_tree(path)
            if problems:
                failures[str(path)] = problems
        for path in sorted(folder.glob("brief.*.docx")):
            problems = docx_errors(path) + missing_styles(path)
            if problems:
                failures[str(path)] = problems
    assert failures == {}


def test_the_previous_rounds_content_is_part_of_the_cache_key(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "briefs", tmp_path / "briefs")
    latest = tmp_path / "briefs" / EXAMPLE_2021.name
    previous = tmp_path / "briefs" / "eu-azerbaijan-2020.yaml"
    out = tmp_path / "out"
    first = build([latest], out, formats=("html",), only="brief")
    assert first.ok
    assert first.rendered == 6
    # A recipient of the last round: nothing this round shows.
    text = previous.read_text(encoding="utf-8")
    previous.write_text(text.replace("Eamon Gilmore", "Eamon Gilmore Jr"), encoding="utf-8")
    again = build([latest], out, formats=("html",), only="brief")
    assert (again.rendered, again.unchanged) == (0, 6)
    # A status of the last round: the briefs print it ("At the last dialogue: ...").
    old = "en: Released in 2018; conviction not quashed, barred from standing for election"
    assert old in text
    previous.write_text(text.replace(old, "en: Released in 2018, barred from elections"), "utf-8")
    changed = build([latest], out, formats=("html",), only="brief")
    assert changed.rendered == 6
    html = (out / "eu-azerbaijan-2021" / "brief.public.en.html").read_text(encoding="utf-8")
    assert "At the last dialogue: Released in 2018, barred from elections." in html


def test_the_chart_keeps_builds_byte_identical(example: Path, tmp_path: Path) -> None:
    report = build([EXAMPLE_2021], tmp_path, formats=("pdf", "docx"), only="brief", jobs=1)
    assert report.ok
    for name in ("brief.public.en.pdf", "brief.public.en.docx", "brief.restricted.az.docx"):
        assert (tmp_path / "eu-azerbaijan-2021" / name).read_bytes() == (
            example / name
        ).read_bytes(), name


def test_column_widths_a_template_gives_must_fit_the_table(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    brief = (ROOT / "templates" / "brief.html").read_text(encoding="utf-8")
    for widths in ("1 x", "1 2 3", "1 0"):
        table = f'<table data-docx-widths="{widths}"><tr><td>a</td><td>b</td></tr></table>'
        text = brief.replace("{% endblock %}", table + "{% endblock %}")
        path = with_templates(campaign, tmp_path, {"brief.html": text})
        report = build([path], tmp_path / "out", formats=("docx",), only="brief")
        assert len(report.failures) == 2  # both editions
        for failure in report.failures:
            assert re.fullmatch(
                r"brief\.html: <table> \(line \d+ of the rendered HTML\): data-docx-widths="
                rf'"{widths}" must give 2 positive numbers, one for each column',
                failure.message,
            ), failure.message
