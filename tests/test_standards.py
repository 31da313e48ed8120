"""Independent validators over every PDF and DOCX briefgen writes: page-validation (PDF/UA-1,
PDF/A-3b/3a/3u) and openxml-audit (Open XML at the Microsoft 365 level), and the structure a
screen reader relies on that they do not check (headers and footers out of the tree, notes,
link descriptions, languages, hyphens). Planted faults prove the checkers are wired in."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pydyf
import pytest
import weasyprint
from pypdf import PdfReader

from briefgen import build, load_campaign
from briefgen.errors import RenderError
from briefgen.write import pdf_fixes, pdf_links, pdf_tags
from briefgen.write.pdf_links import describe_link
from tests.conftest import DATA, EXAMPLE
from tests.validators import (
    docx_errors,
    elements,
    marked_outside_tree,
    missing_styles,
    pdf_failures,
    profile,
)

STRUCTURES = DATA / "structures.yaml"
TEST_CAMPAIGNS = {"minimal", "canary", "structures"}


@pytest.fixture(scope="module")
def campaigns_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test campaign under tests/data built once, PDF and DOCX."""
    out = tmp_path_factory.mktemp("campaigns")
    report = build(sorted(DATA.glob("*.yaml")), out, formats=("pdf", "docx", "html"))
    assert not report.failures, report.failures
    assert set(report.campaigns) >= TEST_CAMPAIGNS, report.problems
    return out


@pytest.fixture(scope="module")
def structures(campaigns_output: Path) -> Path:
    return campaigns_output / "structures"


def outputs(example: Path, campaigns: Path, suffix: str) -> list[Path]:
    found = sorted(example.rglob(f"*.{suffix}")) + sorted(campaigns.rglob(f"*.{suffix}"))
    assert len(found) >= 13 + 19, found  # the example's documents and the test campaigns'
    return found


def text(path: Path) -> str:
    """The text layer of a PDF as one line: soft hyphens at line ends join their word."""
    raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(re.sub("\u00ad\\s*", "", raw).split())


# -- the validators, over every output -----------------------------------------------------


def test_every_pdf_passes_pdf_ua_1_and_tags_all_its_content(
    example_output: Path, campaigns_output: Path
) -> None:
    failures = {}
    for path in outputs(example_output, campaigns_output, "pdf"):
        assert profile(path) == "ua1", path
        problems = pdf_failures(path) + marked_outside_tree(path)
        if problems:
            failures[str(path)] = problems
    assert failures == {}


def test_every_docx_passes_openxml_audit_and_has_every_style_it_names(
    example_output: Path, campaigns_output: Path
) -> None:
    failures = {}
    for path in outputs(example_output, campaigns_output, "docx"):
        problems = docx_errors(path) + missing_styles(path)
        if problems:
            failures[str(path)] = problems
    assert failures == {}


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/a-3a", "pdf/a-3u"])
def test_archival_pdfs_pass_their_pdf_a_profile(tmp_path: Path, variant: str) -> None:
    report = build([EXAMPLE, STRUCTURES], tmp_path, formats=("pdf",), pdf_variant=variant)
    assert not report.failures, report.failures
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    assert len(pdfs) == 13 + 9
    expected = variant.removeprefix("pdf/a-")
    failures = {}
    for path in pdfs:
        assert profile(path) == expected, path
        with pikepdf.open(path) as pdf:  # the XMP stays plain (PDFA3*-METADATA-FILTER)
            assert "/Filter" not in pdf.Root.Metadata, path
        problems = pdf_failures(path) + marked_outside_tree(path)
        if problems:
            failures[str(path)] = problems
    assert failures == {}


# -- structure checks the validators do not make -------------------------------------------


def artifacts(path: Path) -> list[dict[str, int]]:
    """For each page, how many pagination artifacts of each subtype it marks."""
    counts = []
    with pikepdf.open(path) as pdf:
        for pdf_page in pdf.pages:
            kinds: dict[str, int] = {}
            for operands, operator in pikepdf.parse_content_stream(pdf_page):
                if str(operator) == "BDC" and str(operands[0]) == "/Artifact":
                    assert str(operands[1].Type) == "/Pagination"
                    kind = str(operands[1].get("/Subtype", "/None"))[1:]
                    kinds[kind] = kinds.get(kind, 0) + 1
            counts.append(kinds)
    return counts


def test_running_headers_and_footers_are_artifacts(structures: Path) -> None:
    restricted = artifacts(structures / "brief.restricted.fr.pdf")
    assert len(restricted) >= 2
    # "DIFFUSION RESTREINTE — NE PAS PUBLIER" on top; the organisation and "Page n sur m"
    assert all(page == {"Header": 1, "Footer": 2} for page in restricted), restricted
    public = artifacts(structures / "brief.public.fr.pdf")
    assert all(page == {"Footer": 2} for page in public), public
    # The marking is read once, as the first paragraph of the document, not on every page.
    with pikepdf.open(structures / "brief.restricted.fr.pdf") as pdf:
        first = next(e for e in elements(pdf) if str(e.S) != "/Document")
        assert str(first.S) == "/P"


def kinds(pdf: pikepdf.Pdf, element: pikepdf.Dictionary) -> list[str]:
    """The structure types of an element's kids: ``["Lbl", "LBody"]``."""
    return [str(k.S)[1:] for k in element.K if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def test_list_items_hold_a_label_and_one_body_in_reading_order(structures: Path) -> None:
    with pikepdf.open(structures / "brief.public.en.pdf") as pdf:
        items = [e for e in elements(pdf) if e.S == "/LI"]
        assert items
        for item in items:
            assert kinds(pdf, item) in (["Lbl", "LBody"], ["LBody"]), kinds(pdf, item)
            assert str(item.P.S) == "/L"
        bodies = [kinds(pdf, item.K[-1]) for item in items]
        # The first item of "What the dialogue should cover": its text, a paragraph, and
        # its nested list, in that order, inside its body (WeasyPrint hoists the list out).
        assert ["P", "P", "L"] in bodies, bodies
        assert ["P", "L"] in bodies, bodies  # "Travel bans imposed on relatives:" + list
        # A recommendation: its heading and paragraphs, and a nested list of lawyers.
        assert any(b[:1] == ["H3"] and "L" in b for b in bodies), bodies
        # No list holds another directly: each nested list is in the item it belongs to.
        for lst in (e for e in elements(pdf) if e.S == "/L"):
            assert set(kinds(pdf, lst)) <= {"LI"}, kinds(pdf, lst)


def footnote_count(docx_path: Path) -> int:
    with zipfile.ZipFile(docx_path) as package:
        xml = package.read("word/footnotes.xml").decode("utf-8")
    return len(re.findall(r'<w:footnote w:id="[1-9]\d*"', xml))


@pytest.mark.parametrize("name", ["brief.restricted.en", "brief.public.fr", "letters/baku"])
def test_footnotes_are_notes_right_after_their_reference(structures: Path, name: str) -> None:
    with pikepdf.open(structures / f"{name}.pdf") as pdf:
        notes = [e for e in elements(pdf) if e.S == "/Note"]
        assert len(notes) == footnote_count(structures / f"{name}.docx")
        ids = [str(note.ID) for note in notes]
        assert len(set(ids)) == len(ids)
        id_tree = pdf.Root.StructTreeRoot.IDTree.Names
        named = {str(id_tree[i]): id_tree[i + 1].objgen for i in range(0, len(id_tree), 2)}
        for note in notes:
            assert named[str(note.ID)] == note.objgen
            assert kinds(pdf, note)[0] == "Lbl"  # "1. "
            siblings = list(note.P.K)
            at = next(i for i, k in enumerate(siblings) if k.objgen == note.objgen)
            assert str(siblings[at - 1].S) == "/Reference"
        assert not [e for e in elements(pdf) if e.S == "/Reference" and not e.K]


def annotations(path: Path) -> list[tuple[str, str]]:
    """(target, description) of every link annotation of a PDF."""
    found = []
    with pikepdf.open(path) as pdf:
        for pdf_page in pdf.pages:
            for annotation in pdf_page.get("/Annots", []):
                if annotation.Subtype == "/Link":
                    target = annotation.A.URI if "/A" in annotation else annotation.Dest
                    found.append((str(target), str(annotation.get("/Contents", ""))))
    return found


def words(value: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", value.replace("…", " ")))


def test_links_are_described_with_text_the_document_shows(
    example_output: Path, structures: Path
) -> None:
    paths = sorted(example_output.rglob("*.pdf")) + sorted(structures.rglob("*.pdf"))
    for path in paths:
        shown = set(words(text(path)))
        for target, description in annotations(path):
            assert description.strip(), (path, target)
            assert description != target, (path, target)
            # Nothing a link says out of sight that the page does not print.
            assert set(words(description)) <= shown, (path, description)
    links = dict((d, t) for t, d in annotations(structures / "brief.public.en.pdf"))
    assert links["Dilmurod Abdurakhmonovich Saidaliyev-Qoraqalpog'istonov (Annex: cases)"] == (
        "case-1"
    )
    assert links["Annual report of the OSCE"] == "https://www.osce.org/odihr/annual-report"
    assert links["A deep link"].endswith("-defenders-full-text.pdf")
    assert links["ohchr.org/en/countries/tajikistan"].startswith("https://www.ohchr.org/")
    assert links["office@steppe-rights.example.org"] == "mailto:office@steppe-rights.example.org"
    # A citation's address is described by that citation, not by its neighbour's.
    assert links[
        "Mihra Rittmann, “Приговоры журналистам в Центральной Азии”, Human Rights "
        "Watch, 1 March 2023, p. 12"
    ].startswith("https://www.hrw.org/")
    cited = [d for d, t in links.items() if t.startswith("https://www.osce.org/representative")]
    assert cited == [
        "OSCE Representative on Freedom of the Media, Counterterrorism and the Freedom of the "
        "Media in Central Asia, 2 November 2023"
    ]


def languages(path: Path) -> set[str]:
    with pikepdf.open(path) as pdf:
        return {str(e.Lang) for e in elements(pdf) if "/Lang" in e}


def test_source_titles_carry_their_own_language(structures: Path) -> None:
    campaign = load_campaign(STRUCTURES)
    assert [s.language for s in campaign.sources] == [None, None, "ru"]
    assert languages(structures / "brief.public.en.pdf") == {"ru"}
    assert languages(structures / "brief.public.fr.pdf") == {"en", "ru"}
    assert languages(structures / "letters/baku.pdf") == {"en", "ru"}  # the UN title: no az
    with zipfile.ZipFile(structures / "brief.public.fr.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    russian = re.search(r'<w:lang w:val="ru"/></w:rPr><w:t[^>]*>([^<]*)<', xml)
    assert russian
    assert russian.group(1) == "Приговоры журналистам в Центральной Азии"


def test_hyphenated_words_read_whole_in_the_text_layer(structures: Path) -> None:
    path = structures / "brief.public.fr.pdf"
    raw = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "\u00ad" in raw  # words were hyphenated at line ends...
    assert "\u2010" not in raw  # ...and their hyphens are soft hyphens, not U+2010
    html = (structures / "brief.public.fr.html").read_text(encoding="utf-8")
    for part, rest in re.findall(r"(\w+)\u00ad\s*(\w+)", raw):
        assert part + rest in html, part + rest
    # A hyphen the campaign writes as U+2010 is a hyphen the text layer keeps.
    assert "non-governmental outlet" in text(structures / "brief.public.en.pdf")


# -- planted faults: the checkers see them ---------------------------------------------------


def save(pdf: pikepdf.Pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def mcids(element: pikepdf.Dictionary) -> set[int]:
    """The marked-content ids of an element's own spans."""
    return {
        int(k.K[0])
        for k in element.K
        if isinstance(k, pikepdf.Dictionary)
        and isinstance(k.get("/K"), pikepdf.Array)
        and isinstance(k.K[0], int)
    }


@pytest.fixture
def pdf(structures: Path) -> Iterator[pikepdf.Pdf]:
    """The English public brief of the structures campaign, open for planting a fault."""
    with pikepdf.open(structures / "brief.public.en.pdf") as opened:
        yield opened


def test_an_untagged_paragraph_fails_pdf_ua(pdf: pikepdf.Pdf) -> None:
    paragraph = next(e for e in elements(pdf) if e.S == "/P" and e.Pg == pdf.pages[0].obj)
    untagged = mcids(paragraph)
    assert untagged
    kept, depth, unmarked = [], 0, []
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
        name = str(operator)
        if name in ("BDC", "BMC"):
            depth += 1
            if name == "BDC" and int(operands[1].get("/MCID", -1)) in untagged:
                unmarked.append(depth)
                continue
        elif name == "EMC":
            depth -= 1
            if unmarked and unmarked[-1] == depth + 1:
                unmarked.pop()
                continue
        kept.append((operands, operator))
    pdf.pages[0].Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    failures = pdf_failures(save(pdf), "ua1")
    assert [f.split(":")[0] for f in failures] == ["PDFUA1-CONTENT-TAGGING-001"]


def test_a_list_item_with_a_bare_paragraph_fails_pdf_ua(pdf: pikepdf.Pdf) -> None:
    body = next(e for e in elements(pdf) if e.S == "/LBody")
    body.S = pikepdf.Name.P
    failures = pdf_failures(save(pdf), "ua1")
    assert [f.split(":")[0] for f in failures] == ["PDFUA1-LI-KIDS-001"]


def test_an_element_cut_from_the_tree_is_found(pdf: pikepdf.Pdf, tmp_path: Path) -> None:
    heading = next(e for e in elements(pdf) if e.S == "/H1")
    heading.P.K = pikepdf.Array([k for k in heading.P.K if k.objgen != heading.objgen])
    pdf.save(tmp_path / "cut.pdf")
    expected = [f"page 1: MCID {m} (/Span)" for m in sorted(mcids(heading))]
    assert expected
    assert marked_outside_tree(tmp_path / "cut.pdf") == expected


def test_a_compressed_xmp_stream_fails_pdf_a(structures: Path, tmp_path: Path) -> None:
    # WeasyPrint alone compresses the XMP stream (briefgen leaves it plain); qpdf, under
    # pikepdf, always writes it plain, so the fault comes from WeasyPrint itself.
    path = tmp_path / "alone.pdf"
    html = weasyprint.HTML(filename=structures / "brief.public.en.html")
    html.write_pdf(path, pdf_variant="pdf/a-3b")
    with pikepdf.open(path) as pdf:
        assert "/Filter" in pdf.Root.Metadata
    rules = {f.split(":")[0] for f in pdf_failures(path)}
    assert "PDFA3B-METADATA-FILTER-001" in rules
    # WeasyPrint alone may also end a stream's data with a carriage return (pdf_fixes).
    assert rules <= {"PDFA3B-METADATA-FILTER-001", "PDFA3B-STREAM-LENGTH-001"}


def test_a_docx_with_a_bad_element_or_style_fails(example_output: Path, tmp_path: Path) -> None:
    source = example_output / "letters" / "eusr-human-rights.docx"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(broken, "w") as out:
        for item in package.infolist():
            data = package.read(item)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = xml.replace("<w:body>", "<w:body><w:p><w:bogus/></w:p>", 1)
                xml = xml.replace("<w:pPr>", '<w:pPr><w:pStyle w:val="NoSuchStyle"/>', 1)
                data = xml.encode("utf-8")
            out.writestr(item, data)
    errors = docx_errors(broken)
    assert errors
    assert all("document.xml" in e for e in errors), errors
    assert any("bogus" in e for e in errors), errors
    assert missing_styles(broken) == ["word/document.xml: NoSuchStyle"]
    assert docx_errors(source) == []
    assert missing_styles(source) == []


# -- the repairs are what makes WeasyPrint's output pass -------------------------------------


def test_weasyprint_alone_fails_what_the_repairs_fix(structures: Path, tmp_path: Path) -> None:
    # WeasyPrint prints the HTML output to the same pages as briefgen's PDF (test_html), but
    # without the repairs: these are the faults they exist for (see briefgen/write/pdf_tags).
    path = tmp_path / "alone.pdf"
    html = weasyprint.HTML(filename=structures / "brief.restricted.fr.html")
    html.write_pdf(path, pdf_variant="pdf/ua-1")
    rules = {f.split(":")[0] for f in pdf_failures(path)}
    assert rules == {"PDFUA1-LI-KIDS-001", "PDFUA1-LINK-LINK-TAG-001"}
    assert marked_outside_tree(path)  # the running header and footer
    assert languages(path) == set()
    with pikepdf.open(path) as pdf:
        assert not [e for e in elements(pdf) if e.S == "/Note"]
    assert "\u2010" in "".join(p.extract_text() for p in PdfReader(path).pages)
    assert pdf_failures(structures / "brief.restricted.fr.pdf") == []


def test_a_structure_tree_briefgen_does_not_know_fails_the_document() -> None:
    other = weasyprint.HTML(string="<html lang=en><title>T</title><p>One</p>").render(
        pdf_variant="pdf/ua-1"
    )

    def finisher(document: weasyprint.Document, pdf: object) -> None:
        pdf_tags.repair(other, pdf)  # type: ignore[arg-type]

    html = "<html lang=en><title>T</title><h1>Title</h1><p>One <em>two</em></p>"
    document = weasyprint.HTML(string=html).render(pdf_variant="pdf/ua-1")
    with pytest.raises(RenderError) as raised:
        document.write_pdf(finisher=finisher, pdf_variant="pdf/ua-1")
    assert str(raised.value) == (
        f"PDF/UA: the structure tree WeasyPrint {weasyprint.__version__} wrote is not the one "
        "briefgen knows how to repair (6 structure elements for 2 boxes); use WeasyPrint 70"
    )


def test_the_repairs_keep_outputs_reproducible(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert build([STRUCTURES], tmp_path / name, formats=("pdf",), jobs=1).ok
    for path in (tmp_path / "a").rglob("*.pdf"):
        twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert path.read_bytes() == twin.read_bytes(), path


# -- link descriptions, one rule at a time ------------------------------------------------


class Html:
    """A parsed HTML fragment with what describe_link needs: parents and ids."""

    def __init__(self, markup: str) -> None:
        self.root = ElementTree.fromstring(f"<body>{markup}</body>")
        self.parents = {child: parent for parent in self.root.iter() for child in parent}
        self.ids = {e.get("id"): e for e in self.root.iter() if e.get("id")}

    def describe(self, href: str) -> str:
        return describe_link(next(a for a in self.root.iter("a") if a.get("href") == href), self)


@pytest.mark.parametrize(
    ("markup", "href", "description"),
    [
        (
            '<p>See <a href="https://x.org/r" aria-label="Annual report, 2023">here</a></p>',
            "https://x.org/r",
            "Annual report, 2023",
        ),
        (
            '<p><a href="https://x.org/r">the <em>annual</em>  report</a></p>',
            "https://x.org/r",
            "the annual report",
        ),
        (
            '<section><h2>Annex</h2><article id="case-1"><h3>A. Person</h3><p>x</p></article>'
            '</section><p><a href="#case-1">A. Person</a></p>',
            "#case-1",
            "A. Person (Annex)",
        ),
        (
            '<section><h2>Sources</h2><ol><li id="s-2">Court, <em>Case</em>, 2020, '
            '<a href="https://c.int/1">https://c.int/1</a>.</li></ol></section>'
            '<p><a href="#s-2">[2]</a></p>',
            "#s-2",
            "[2]: Court, Case, 2020 (Sources)",
        ),
        (
            '<p>Text<span class="footnote">Body, <em>Report</em>, 2021, '
            '<a href="https://a.org/1">https://a.org/1</a>; Other, <em>Note</em>, 2022, '
            '<a href="https://b.org/2">https://b.org/2</a>.</span></p>',
            "https://b.org/2",
            "Other, Note, 2022",
        ),
        (
            '<ul><li>Read <a href="https://www.b.org/Path/">https://www.b.org/Path/</a></li></ul>',
            "https://www.b.org/Path/",
            "b.org/Path",
        ),
        (
            '<ul><li><a href="https://b.org/x">https://b.org/x</a> the full text</li></ul>',
            "https://b.org/x",
            "the full text",
        ),
        (
            f'<p><a href="#t">x</a></p><p id="t">{"word " * 60}</p>',
            "#t",
            "x: " + ("word " * 31).strip() + "…",
        ),
    ],
)
def test_link_descriptions(markup: str, href: str, description: str) -> None:
    assert Html(markup).describe(href) == description
    assert len(description) <= pdf_links.LIMIT


def test_a_source_language_must_be_a_language_code(
    cli: Callable[..., tuple[int, str, str]], campaign: Callable[..., Path]
) -> None:
    path = campaign(
        [
            (
                "sources: []\n",
                "sources:\n  - id: r\n    title: Report\n    date: 2024-01-01\n"
                "    language: English\n",
            )
        ]
    )
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:33:15: error: sources[0].language: 'English' is not a language code: write "
        "one such as 'en', 'fr', 'az', 'ru' or 'en-US'"
    ]


# -- stream ends PDF/A validators misread ------------------------------------------------


def ending_in_cr(seed: bytes) -> bytes:
    """Content whose zlib data ends with a carriage return (Adler-32's low byte is 0x0D)."""
    extra = 0
    while zlib.adler32(seed + b" " * extra) & 0xFF != 0x0D:
        extra += 1
    return seed + b" " * extra


def test_a_stream_whose_compressed_data_would_end_with_cr_stays_plain() -> None:
    def pdf_with(fix: bool) -> bytes:
        pdf = pydyf.PDF()
        risky = pydyf.Stream([ending_in_cr(b"BT ET")], compress=True)
        safe = pydyf.Stream([b"BT ET"], compress=True)
        for stream in (risky, safe):
            pdf.add_object(stream)
        pdf.add_page(
            pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "Contents": pydyf.Array([risky.reference, safe.reference]),
                }
            )
        )
        if fix:
            pdf_fixes.unambiguous_stream_ends(pdf)
            assert (risky.compress, safe.compress) == (False, True)
        output = io.BytesIO()
        pdf.write(output)
        return output.getvalue()

    assert pdf_fixes.AMBIGUOUS_END in pdf_with(fix=False)
    assert pdf_fixes.AMBIGUOUS_END not in pdf_with(fix=True)


def test_an_archival_pdf_whose_stream_ends_ambiguously_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend every attempt ends ambiguously: each one states one more viewer default.
    monkeypatch.setattr(pdf_fixes, "AMBIGUOUS_END", b"%PDF-")
    minimal = [DATA / "minimal.yaml"]
    assert build(minimal, tmp_path, formats=("pdf",), pdf_variant="pdf/a-3b", jobs=1).ok
    for path in (tmp_path / "minimal").rglob("*.pdf"):
        assert pdf_failures(path) == [], path
        with pikepdf.open(path) as pdf:
            assert (pdf.Root.PageLayout, pdf.Root.PageMode) == ("/SinglePage", "/UseNone")
    restricted = tmp_path / "minimal" / "brief.restricted.en.pdf"
    with pikepdf.open(restricted) as pdf:  # an attachment is made anew for each attempt
        assert list(pdf.attachments) == ["minimal.yaml"]


def test_an_untranslated_passage_carries_its_language(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    path = campaign([("  language: en\n", "  language: en\n  languages: [en, fr]\n")])
    report = build([path], tmp_path, formats=("pdf",), only="brief", jobs=1)
    assert not report.failures, report.failures
    french = tmp_path / "minimal" / "brief.public.fr.pdf"
    assert languages(french) == {"en-GB"}  # the summary and the demand, written in English
    assert pdf_failures(french) == []
    with pikepdf.open(french) as pdf:
        tagged = [e for e in elements(pdf) if "/Lang" in e]
        assert {str(e.S) for e in tagged} <= {"/Div", "/Span", "/NonStruct"}
