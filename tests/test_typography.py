"""Typography and page fit on the typography stress campaign (issue 17), read from the PDFs
as a reader sees them, from the DOCX as python-docx and LibreOffice read them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
import weasyprint
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefgen import typography
from briefgen.citations import short_title
from briefgen.localise import Footnotes, Localiser
from briefgen.model import LocalText, Source
from briefgen.plan import plan
from briefgen.render import Renderer
from briefgen.validate import load_campaign
from tests.conftest import (
    EXAMPLE,
    TYPOGRAPHY,
    docx_paragraphs,
    pdf_pages,
    text_heights,
)

CAMPAIGN = load_campaign(TYPOGRAPHY)
LETTERS = sorted(p.stem for p in (TYPOGRAPHY.parent).glob("*.yaml"))  # (not used: see below)
HYPHENS = "\u2010\u00ad-"
CLOSINGS = ("Yours sincerely,", "Nous vous prions d’agréer")
LAST_PARAGRAPHS = ("We would welcome the opportunity", "Nous serions heureux de vous présenter")


def page_texts(pdf: Path) -> list[str]:
    """The text of each page as extracted, line breaks kept."""
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def pdfs(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.pdf"), *(folder / "letters").glob("*.pdf")])


def broken_inside(text: str, word: str) -> bool:
    """Whether ``word`` is broken across two lines somewhere inside it, with or without a
    hyphen added at the break."""
    for cut in range(2, len(word) - 1):
        pattern = rf"{re.escape(word[:cut])}[{HYPHENS}]?[ \t]*\n[ \t]*{re.escape(word[cut:])}"
        if re.search(pattern, text):
            return True
    return False


def name_words() -> set[str]:
    """Every word (of four letters or more) of the names of people the campaign marks as
    names: cases, signatories, recipients (protected wherever they occur)."""
    names = [str(c.name).split(" (")[0] for c in CAMPAIGN.cases]
    names += [str(s.name) for s in CAMPAIGN.signatories]
    names += [str(r.name) for r in CAMPAIGN.people]
    return {w for n in names for w in re.split(r"[\s\-–]+", n) if len(w) >= 4}


ORGANISATIONS = [str(CAMPAIGN.organisation.name), *map(str, CAMPAIGN.co_signers)]
"""Names of organisations (protected whole, where the whole name occurs)."""


def broken_phrase(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` with one of its words broken across lines."""
    words = phrase.split()
    for number, word in enumerate(words):
        for cut in range(2, len(word) - 1):
            split = f"{re.escape(word[:cut])}[{HYPHENS}]?[ \t]*\n[ \t]*{re.escape(word[cut:])}"
            parts = [*map(re.escape, words[:number]), split, *map(re.escape, words[number + 1 :])]
            if re.search(r"\s+".join(parts), text):
                return True
    return False


def flat(text: str) -> str:
    """``text`` with hyphenated words joined again and its other line breaks made spaces
    (no-break spaces kept)."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", re.sub("[\u2010\u00ad]\n", "", text))


def url_breaks(text: str, url: str) -> Iterator[list[int]]:
    """For each occurrence of ``url`` in ``text`` (line breaks allowed between its characters,
    nothing else), the positions in the URL where a line breaks."""
    pattern = "(?:[ \\t]*\\n[ \\t]*)?".join(re.escape(char) for char in url)
    for match in re.finditer(pattern, text):
        breaks, index = [], 0
        for char in match.group(0):
            if char == "\n":
                breaks.append(index)
            elif not char.isspace():
                index += 1
        yield breaks


BREAK_BEFORE = "/.-_?&=#~"


def allowed_break(url: str, index: int) -> bool:
    """A URL may break after "//" or before "/", ".", "-", "_", "?", "&", "=", "#" or "~"
    (the Chicago Manual's rule), and inside a run of more than 20 characters that has none
    of them (a document key), but not inside a "%XX" escape."""
    if url[index - 2 : index] == "//" or (
        url[index] in BREAK_BEFORE and url[index - 1] not in BREAK_BEFORE
    ):
        return True
    start = max(url.rfind(c, 0, index) for c in BREAK_BEFORE + "/")
    ends = [e for e in (url.find(c, index) for c in BREAK_BEFORE) if e != -1]
    run = url[start + 1 : min(ends, default=len(url))]
    return len(run) > 20 and "%" not in url[max(index - 2, 0) : index]


# -- words that never break ----------------------------------------------------------------


def test_urls_break_only_at_their_boundaries_and_never_take_a_hyphen(
    typography_output: Path,
) -> None:
    urls = [s.url for s in CAMPAIGN.sources if s.url]
    urls += [CAMPAIGN.organisation.website, CAMPAIGN.organisation.email]
    found: dict[str, int] = {}
    breaks_seen = []
    in_key: list[int] = []
    for pdf in pdfs(typography_output):
        html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        for text in page_texts(pdf):
            # Nothing invisible copied (a soft hyphen is how the text layer shows a word
            # hyphenated at the end of a line, and only there).
            assert not re.search("[\u200b\u2060]|\u00ad(?!\n)", text), pdf
            for url in urls:
                assert url is not None
                for breaks in url_breaks(text, url):
                    found[url] = found.get(url, 0) + 1
                    for index in breaks:
                        assert allowed_break(url, index), (pdf.name, url[:index], url[index:])
                    breaks_seen.extend(url[index] for index in breaks)
                    if "docstore" in url:
                        key = url.index("enc=") + 4
                        in_key.extend(i for i in breaks if key < i < url.index("&"))
        if pdf.name == "brief.public.en.pdf":
            listed = [u for u in urls if f'href="{u.replace("&", "&amp;")}"' in html]
            assert len(listed) >= 14
            for url in listed:
                assert found.get(url), f"{url} is not in {pdf.name} as it is written"
    # The stress campaign's URLs do break across lines, at several kinds of boundary, and
    # inside the long key of a query (docstore.ohchr.org's).
    assert {"/", ".", "-"} <= set(breaks_seen), breaks_seen
    assert in_key, "the key of the docstore URL never breaks"


def test_no_text_runs_off_the_page(typography_output: Path) -> None:
    """Every word of every page, long URLs in footnotes and the list of sources included,
    lies inside the page's margins (as poppler lays the text out)."""
    for pdf in pdfs(typography_output):
        layout = subprocess.run(
            ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', layout, re.S)
        assert pages, pdf
        for number, (width, words) in enumerate(pages, 1):
            for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', words):
                # The right margin is 18 mm (51 pt): a word may reach into it, not past
                # half of it.
                assert float(x_max) < float(width) - 25, (pdf.name, number, word)


def test_links_in_the_pdf_and_docx_are_the_urls(typography_output: Path) -> None:
    import pikepdf

    url = next(s.url for s in CAMPAIGN.sources if s.id == "hrw-2023-pamiri")
    with pikepdf.open(typography_output / "brief.public.en.pdf") as pdf:
        targets = {
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        }
    assert url in targets
    with zipfile.ZipFile(typography_output / "brief.public.en.docx") as archive:
        rels = archive.read("word/_rels/footnotes.xml.rels").decode()
    assert f'Target="{url}"' in rels


def test_dates_of_the_cover_line_and_the_date_line_do_not_break(typography_output: Path) -> None:
    """The brief's cover line ("… Prepared for: …, Dushanbe, 14 June 2024") and a letter's
    date line keep each date whole: no-break spaces in the HTML, the PDF and Word."""
    brief = (typography_output / "brief.public.en.html").read_text(encoding="utf-8")
    cover = re.search(r'<p class="meta names"[^>]*>(.*?)</p>', brief, re.S)
    assert cover is not None
    assert "10\u00a0June\u00a02024" in cover.group(1)  # the brief's date
    assert "14\u00a0June\u00a02024" in cover.group(1)  # the event's
    meta = next(p.text for p in docx_paragraphs(typography_output / "brief.public.en.docx")
                if "Prepared for" in p.text)  # fmt: skip
    assert "14\u00a0June\u00a02024" in meta
    letter = next((typography_output / "letters").glob("*.en.html"), None) or next(
        (typography_output / "letters").glob("*.html")
    )
    dateline = re.search(r'<p class="dateline names"[^>]*>(.*?)</p>', letter.read_text("utf-8"))
    assert dateline is not None
    assert re.search(r"\d+\u00a0\S+\u00a0\d{4}", dateline.group(1)), dateline.group(1)


def test_names_and_headings_are_never_hyphenated(typography_output: Path) -> None:
    words = name_words()
    compounds = {
        w
        for n in [
            *map(str, (s.name for s in CAMPAIGN.signatories)),
            *(str(r.name) for r in CAMPAIGN.people),
        ]
        for w in n.split()
        if "-" in w
    }
    hyphenated = 0
    for pdf in pdfs(typography_output):
        for text in page_texts(pdf):
            for word in words:
                assert not broken_inside(text, word), (pdf.name, word)
            for name in ORGANISATIONS:
                assert not broken_phrase(text, name), (pdf.name, name)
            for word in compounds:  # a double name does not break at its hyphen either
                first, _, rest = word.partition("-")
                assert not re.search(rf"{first}-[ \t]*\n[ \t]*{rest}", text), (pdf.name, word)
            hyphenated += len(re.findall(r"\w[\u2010\u00ad]\n\w", text))
    # Headings (the title, sections, demands) are found whole, their words separated only by
    # spaces or line breaks: no word of theirs was hyphenated.
    for language in ("en", "fr"):
        text = "\n".join(page_texts(typography_output / f"brief.public.{language}.pdf"))
        headings = [CAMPAIGN.brief.title, *(s.title for s in CAMPAIGN.brief.sections)]
        headings += [d.title for d in CAMPAIGN.demands]
        for heading in headings:
            words_of = heading.resolve(language, "en")[0].split()
            pattern = r"\s+".join(re.escape(word) for word in words_of)
            assert re.search(pattern, text), (language, words_of)
    # Hyphenation is on for the rest of the text: the rule is not met by hyphenating nothing.
    assert hyphenated > 5


CALL_CSS = """
@font-face { font-family: S; src: url(%s); }
body { font-family: S; font-size: 10.5pt; line-height: 1.45; hyphens: auto; }
.footnote { float: footnote; font-size: 8pt; }
::footnote-call { content: counter(footnote); font-size: 70%%; vertical-align: super;
  line-height: 0; }
"""


def calls_starting_lines(html: str, widths: range) -> list[int]:
    """The paragraph widths (mm) at which a line of ``html`` starts with a footnote call."""
    font = Path(__file__).resolve().parent.parent / "templates" / "fonts" / "NotoSerif-Regular.ttf"
    bad = []
    for width in widths:
        page = weasyprint.HTML(
            string=f"<html lang=en><head><style>{CALL_CSS % font.as_uri()} p {{ width: {width}mm }}"
            f"</style></head><body>{html}</body></html>"
        ).render()
        for line in line_boxes(page.pages[0]._page_box):
            leaves = list(text_leaves(line))
            if leaves and leaves[0].strip().isdigit():
                bad.append(width)
    return bad


def line_boxes(box: object) -> Iterator[object]:
    if type(box).__name__ == "LineBox":
        yield box
        return
    for child in getattr(box, "children", []):
        yield from line_boxes(child)


def text_leaves(box: object) -> Iterator[str]:
    if type(box).__name__ == "TextBox":
        yield box.text  # type: ignore[attr-defined]
    for child in getattr(box, "children", []):
        yield from text_leaves(child)


def test_a_footnote_call_sticks_to_the_word_before_it() -> None:
    loc = Localiser("en", "en")
    # Authors often type a space before the citation.
    paragraph = loc.markdown(
        LocalText(plain="in arbitrary detention. [@osce-2023]\nThe UN Working Group said so."),
        "test",
    )
    html = Footnotes(CAMPAIGN, "en", loc.citations).fill(str(paragraph))
    assert "detention.\u2060<span" in html
    assert calls_starting_lines(html, range(24, 80)) == []
    # Without the glue the same text puts the call at the start of a line at some width.
    loose = html.replace("\u2060", " ")
    assert calls_starting_lines(loose, range(24, 80))


def starts_with_call(line: object) -> bool:
    """Whether the first box of a line box (followed down) is a footnote call."""
    box = line
    while getattr(box, "children", None):
        box = box.children[0]  # type: ignore[attr-defined]
        if str(getattr(box, "element_tag", "")).endswith("::footnote-call"):
            return True
    return False


def tags_in(box: object) -> str:
    """The element tags of a box and its descendants."""
    own = str(getattr(box, "element_tag", ""))
    return own + "".join(tags_in(c) for c in getattr(box, "children", []))


def boxes(box: object) -> Iterator[object]:
    """``box`` and its descendants, the footnote area of a page included."""
    yield box
    for child in getattr(box, "children", []):
        yield from boxes(child)
    area = getattr(box, "footnote_area", None)
    if area is not None:
        yield from boxes(area)


def numbers(page: object, pseudo: str) -> set[str]:
    """The numbers of the footnote calls or markers (``pseudo``) laid out on ``page``."""
    return {
        "".join(leaf for leaf in text_leaves(box)).strip(" .")
        for box in boxes(page)
        if str(getattr(box, "element_tag", "")).endswith(pseudo)
    }


@pytest.mark.slow
def test_a_footnote_is_on_the_page_of_its_call() -> None:
    """A footnote that does not fit under its call's line takes the line with it to the next
    page (found in the second campaign's letter to the High Representative: call 3 on page
    1, its note on page 2, printed above note 2)."""
    path = EXAMPLE.parent / "eu-tajikistan-2025.yaml"
    campaign = load_campaign(path)
    renderer = Renderer(campaign, path.parent)
    pages = 0
    for doc in plan(campaign, recipients=["high-representative"]):
        rendered = renderer.render(doc)
        document = weasyprint.HTML(string=rendered.html, base_url=rendered.base_url).render()
        for page in document.pages:
            calls = numbers(page._page_box, "::footnote-call")
            assert calls == numbers(page._page_box, "::footnote-marker"), doc.name
            pages += bool(calls)
    assert pages >= 2  # notes on more than one page: the rule was put to the test


def test_no_line_of_the_documents_starts_with_a_footnote_call() -> None:
    renderer = Renderer(CAMPAIGN, TYPOGRAPHY)
    calls = 0
    for doc in plan(CAMPAIGN, recipients=["high-representative", "fr-deputy"]):
        if doc.edition != "public":
            continue
        rendered = renderer.render(doc)
        document = weasyprint.HTML(string=rendered.html, base_url=rendered.base_url).render()
        for page in document.pages:
            for line in line_boxes(page._page_box):
                assert not starts_with_call(line), doc.name
                calls += tags_in(line).count("::footnote-call")
    assert calls > 10


# -- letters that fit ----------------------------------------------------------------------


def letter_pdfs(folder: Path) -> list[Path]:
    return sorted((folder / "letters").glob("*.pdf"))


def test_the_sign_off_stays_with_the_last_paragraph(typography_output: Path) -> None:
    names = [str(s.name) for s in CAMPAIGN.signatories]
    for pdf in letter_pdfs(typography_output):
        pages = pdf_pages(pdf)
        closing = next(i for i, p in enumerate(pages) if any(c in p for c in CLOSINGS))
        page = pages[closing]
        for name in names:
            assert name in page, (pdf.name, name)
        assert "Nota Bene Central Asian Human Rights Bureau" in page, pdf.name
        assert ("Enclosure:" in page) or ("Pièce jointe" in page), pdf.name
        assert any(p in page for p in LAST_PARAGRAPHS), pdf.name
        # No page holds only the tail: the last page carries the last paragraph too.
        assert any(p in pages[-1] for p in LAST_PARAGRAPHS), pdf.name
        if "cc:" in "".join(pages):
            assert "cc:" in page, pdf.name


def test_a_letter_that_would_spill_a_little_is_fitted_onto_one_page(
    typography_output: Path,
) -> None:
    fitted = {}
    for pdf in letter_pdfs(typography_output):
        html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        match = re.search(r'<body class="[^"]*\b(fit-\d)\b', html)
        pages = len(PdfReader(pdf).pages)
        if match:
            fitted[pdf.stem] = match.group(1)
            assert pages == 1, pdf.name
            # The HTML output carries the same layout: it prints to the same single page.
            assert len(weasyprint.HTML(string=html).render().pages) == 1
            # Without the tighter layout the letter would have spilled onto a second page.
            plain = html.replace(f" {match.group(1)}", "")
            assert len(weasyprint.HTML(string=plain).render().pages) == 2, pdf.name
    # The notes grow a sentence at a time: the first letter fits as it is, the next ones
    # once fitted, one step tighter at a time, the longest spill a real block (tested above).
    assert len(PdfReader(typography_output / "letters" / "mep-note-1.pdf").pages) == 1
    assert "mep-note-1" not in fitted
    assert {"mep-note-2", "mep-note-3", "mep-note-5"} <= set(fitted), fitted
    assert set(fitted.values()) == {"fit-1", "fit-2", "fit-3"}, fitted
    assert len(PdfReader(typography_output / "letters" / "mep-note-7.pdf").pages) == 2


def test_a_fitted_letter_keeps_room_for_a_handwritten_signature(typography_output: Path) -> None:
    for pdf in letter_pdfs(typography_output):
        chunks = text_heights(pdf, len(PdfReader(pdf).pages) - 1)
        closing = next((y for y, t in chunks if any(c in t for c in CLOSINGS)), None)
        if closing is None:
            continue
        name = max(y for y, t in chunks if "Gulchehra" in t)
        assert closing - name >= 28, (pdf.name, closing - name)  # points: about 10 mm


def test_example_letters_fit_on_one_page(example_output: Path) -> None:
    for pdf in letter_pdfs(example_output):
        assert len(PdfReader(pdf).pages) == 1, pdf.name


def fragments(document: weasyprint.Document) -> dict[int, list[int]]:
    """For each block of text, the number of its lines on each page it is on."""
    found: dict[int, list[int]] = {}

    def walk(box: object, page: int, seen: set[int]) -> None:
        children = getattr(box, "children", [])
        lines = [c for c in children if type(c).__name__ == "LineBox"]
        element = getattr(box, "element", None)
        if lines and element is not None and id(element) not in seen:
            seen.add(id(element))
            found.setdefault(id(element), []).append(len(lines))
            return
        for child in children:
            walk(child, page, seen)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number, set())
    return found


def test_widows_and_orphans_have_two_lines_at_least() -> None:
    renderer = Renderer(CAMPAIGN, TYPOGRAPHY)
    split = 0
    for doc in plan(CAMPAIGN):
        if doc.edition != "public":
            continue
        rendered = renderer.render(doc)
        document = weasyprint.HTML(string=rendered.html, base_url=rendered.base_url).render()
        for counts in fragments(document).values():
            if len(counts) > 1:
                split += 1
                assert min(counts) >= 2, (doc.name, counts)
    assert split  # paragraphs do run from one page to the next in the stress campaign


# -- one numbering, short titles -----------------------------------------------------------


def test_a_document_uses_one_numbering(typography_output: Path) -> None:
    for language in ("en", "fr"):
        pdf = typography_output / f"brief.public.{language}.pdf"
        text = " ".join(pdf_pages(pdf))
        assert not re.search(r"\[\d+\]", text)
        assert "Sources:" not in text
        assert "Sources :" not in text
        # The footnotes run 1, 2, 3... to the last call, once.
        html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        calls = html[html.index("<body") :].count('<span class="footnote">')
        assert calls >= 15
        starts = set(re.findall(r"(?:^|\n)(\d+)\. ", "\n".join(page_texts(pdf))))
        assert {str(n) for n in range(1, calls + 1)} <= starts
        assert str(calls + 1) not in starts
        # The case of Buzurgmehr Yorov cites no source in its text: its source is a footnote.
        case = html[html.index("Buzurgmehr Yorov</h3>") :]
        case = case[: case.index("</article>")]
        assert case.count('class="footnote"') == 1
        assert "Amnesty International" in case
        # Two calls never stand side by side ("¹⁹²⁰" would read as a number).
        assert not re.search(r"\.</span>\u2060?<span class=\"footnote\"", html)
        # The list of sources is not numbered, and is in alphabetical order.
        listed = re.findall(r'<p class="source">(.*?)</p>', html, re.DOTALL)
        assert len(listed) == 15
        firsts = [re.sub(r"<[^>]+>", "", entry).split(",")[0] for entry in listed]
        assert firsts == sorted(firsts, key=str.casefold), firsts


def test_short_titles_tell_the_sources_apart(typography_output: Path) -> None:
    text = re.sub(r"-\s+", "-", " ".join(pdf_pages(typography_output / "brief.public.en.pdf")))
    assert "Human Rights Watch, Tajikistan." not in text
    for repeated in (
        "Human Rights Watch, Violent Crackdown in Gorno-Badakhshan Autonomous Region; Security "
        "Forces Killed and Detained Protesters",
        "Human Rights Watch, Lawyers Sentenced to Long Prison Terms in Closed Trials after "
        "Defending Pamiri Protesters",
    ):
        assert repeated in text


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Tajikistan: Free Jailed Pamiri Activists", "Free Jailed Pamiri Activists"),
        ("Tadjikistan : libérez les militants", "libérez les militants"),
        ("Central Asia: Lawyers Jailed: Appeals Rejected", "Lawyers Jailed"),
        ("Tajikistan – Events of 2023", "Events of 2023"),
        ("World Report 2024: Tajikistan", "World Report 2024"),
        ("United Arab Emirates: Court Rules", "Court Rules"),
        ("A Title without a Colon", "A Title without a Colon"),
    ],
)
def test_default_short_title(title: str, short: str) -> None:
    source = Source.model_validate({"id": "s", "date": "2024-01-01", "title": title})
    assert short_title(source, "en", "en") == short


def test_check_warns_when_two_sources_would_read_the_same(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    text = TYPOGRAPHY.read_text(encoding="utf-8").replace(
        'title: "Tajikistan: Critics Abroad Targeted through Interpol Notices and Forced Returns"',
        'title: "Tajikistan: Violent Crackdown in Gorno-Badakhshan Autonomous Region; Security '
        'Forces Killed and Detained Protesters"',
    )
    path = tmp_path / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("check", path)
    assert code == 0
    line = text[: text.index("title:", text.index("id: hrw-2023-transnational"))].count("\n") + 1
    assert err.splitlines() == [
        f"{path}:{line}:12: warning: sources[3].title: cited again, this "
        'source and sources[0] would both read "Human Rights Watch, Violent Crackdown in '
        'Gorno-Badakhshan Autonomous Region; Security Forces Killed and Detained Protesters" '
        "(en); give one of them a short_title that tells them apart"
    ]
    assert cli("check", TYPOGRAPHY) == (0, "", "ok: no problems found\n")


# -- French and Azerbaijani ----------------------------------------------------------------


def test_french_documents_use_french_quotation_marks_and_spaces(typography_output: Path) -> None:
    brief = flat(" ".join(page_texts(typography_output / "brief.public.fr.pdf")))
    deputy = flat(" ".join(page_texts(typography_output / "letters" / "fr-deputy.pdf")))
    word = flat(
        " ".join(p.text for p in docx_paragraphs(typography_output / "letters" / "fr-deputy.docx"))
    )
    assert "«\u00a0trahison\u00a0»" in brief
    assert "depuis 2015\u202f; sa peine" in brief
    assert "progrès mesurables\u00a0:" in brief
    assert "Parlement européen\u202f!" in brief
    assert "d’Interpol\u202f?" in brief
    assert '"' not in brief
    for text in (deputy, word):
        assert "Objet\u00a0: Dialogue UE–Tadjikistan" in text
        assert "Douchanbé\u202f; un suivi" in text
        assert "est pendant\u00a0: une déclaration" in text
    # The title of an English source keeps its own punctuation in a French note.
    assert "Tajikistan: Violent Crackdown" in brief
    # URLs and references are left as they are written.
    assert "https://" in brief
    assert "https\u00a0:" not in brief
    assert "CCPR/C/TJK/CO/3, par.\u00a032" in brief
    english = flat(" ".join(page_texts(typography_output / "brief.public.en.pdf")))
    assert "“treason”" in english
    assert '"' not in english


def test_typography_of_each_language_in_the_html() -> None:
    def refine(body: str, language: str) -> str:
        html = typography.refine(f"<html><body>{body}</body></html>", language)
        return html[len("<html><body>") : -len("</body></html>")]

    assert refine('<p>Il a dit "non" : voilà ; bien ! 50 % ? 10:30</p>', "fr") == (
        "<p>Il a dit «\u00a0non\u00a0»\u00a0: voilà\u202f; bien\u202f! 50\u202f%\u202f? 10:30</p>"
    )
    assert refine("<p>« Bonjour », dit-il: oui!</p>", "fr") == (
        "<p>«\u00a0Bonjour\u00a0», dit-il\u00a0: oui\u202f!</p>"
    )
    assert refine('<p>Bu, «Azadlıq» və "Meydan TV" dedi.</p>', "az") == (
        "<p>Bu, “Azadlıq” və “Meydan TV” dedi.</p>"
    )
    assert refine('<p>He said "no" (see "the report").</p>', "en") == (
        "<p>He said “no” (see “the report”).</p>"
    )
    code = '<p><code>x = "a: b"</code> <span lang="en">Note: "this"</span></p>'
    assert (
        refine(code, "fr") == '<p><code>x = "a: b"</code> <span lang="en">Note: “this”</span></p>'
    )
    once = refine("<p>Objet : « Dialogue » ; https://a.example/x?y=1 n° 42</p>", "fr")
    assert refine(once, "fr") == once  # idempotent


def test_a_url_is_cut_into_pieces_that_keep_its_text() -> None:
    url = "https://www.hrw.org/news/2023/05/12/tajikistan-free_jailed.activists"
    html = typography.refine(f'<html><body><p><a href="{url}">{url}</a></p></body></html>', "en")
    assert re.sub(r"<[^>]+>", "", html) == url
    pieces = re.findall(r'<span class="nowrap">([^<]*)</span>', html)
    assert pieces == [
        "https://", "www", ".hrw", ".org", "/news", "/2023", "/05", "/12", "/tajikistan",
        "-free", "_jailed", ".activists",
    ]  # fmt: skip
    assert '<span class="url">' in html
    assert html.count("<wbr>") == len(pieces) - 1
    key = "6QkG1d%2fPPRiCAqhKb7yhstnmplSEIbm%2bRnl3Df%2bMS"
    url = f"https://docstore.ohchr.org/SelfServices/FilesHandler.ashx?enc={key}"
    html = typography.refine(f'<html><body><p><a href="{url}">{url}</a></p></body></html>', "en")
    assert re.sub(r"<[^>]+>", "", html) == url
    pieces = re.findall(r'<span class="nowrap">([^<]*)</span>', html)
    assert pieces[-5:] == [
        "?enc", "=6QkG1d%2fPP", "RiCAqhKb7yhs", "tnmplSEIbm", "%2bRnl3Df%2bMS",
    ]  # fmt: skip


# -- Word output ---------------------------------------------------------------------------


W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def w(element: object, path: str) -> list[object]:
    """The WordprocessingML elements at ``path`` under ``element``."""
    return element.findall(path, W)  # type: ignore[attr-defined]


def test_docx_cover_keeps_its_structure_and_the_summary_its_box(typography_output: Path) -> None:
    path = typography_output / "brief.public.en.docx"
    paragraphs = docx_paragraphs(path)
    cover = paragraphs[0]
    assert cover.text == "Pamir–Brussels Rights Network\tPOLICY BRIEF"
    stops = w(cover._p, "./w:pPr/w:tabs/w:tab")
    assert [stop.get(qn("w:val")) for stop in stops] == ["right"]  # type: ignore[attr-defined]
    document = docx.Document(str(path))
    summary_style = document.styles["Summary"].element
    assert w(summary_style, "./w:pPr/w:shd")
    assert w(summary_style, "./w:pPr/w:pBdr/w:left")
    start = next(i for i, p in enumerate(paragraphs) if p.text == "SUMMARY")
    boxed = paragraphs[start : start + 3]
    for paragraph in boxed:  # the heading and the paragraphs of the summary: one box
        shaded = paragraph.style.name == "Summary" or w(paragraph._p, "./w:pPr/w:shd")
        assert shaded, paragraph.text
    assert paragraphs[start].style.name == "Heading 2"  # still a heading for navigation
    assert document.styles["Cover Meta"].element is not None


def test_docx_letter_keeps_its_ending_together(typography_output: Path) -> None:
    paragraphs = docx_paragraphs(typography_output / "letters" / "mep-note-5.docx")
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith(LAST_PARAGRAPHS[0]))
    ending = paragraphs[start:]
    assert ending[-1].text.startswith("Enclosure:")
    for paragraph in ending:
        keep = w(paragraph._p, "./w:pPr/w:keepLines")
        assert keep, paragraph.text
    for paragraph in ending[:-1]:
        assert w(paragraph._p, "./w:pPr/w:keepNext"), paragraph.text
    # Signatures side by side, as in the PDF.
    document = docx.Document(str(typography_output / "letters" / "mep-note-5.docx"))
    table = next(t for t in document.tables if "Gulchehra" in t.cell(0, 0).text)
    assert "Parvizjon Khudoyorbekov" in table.cell(0, 1).text
    # Names and headings are never hyphenated, widows and orphans are controlled.
    for paragraph in paragraphs:
        if "Gulchehra" in paragraph.text:
            assert w(paragraph._p, "./w:pPr/w:suppressAutoHyphens") or w(
                paragraph.style.element, "./w:pPr/w:suppressAutoHyphens"
            )
    assert w(document.styles["Heading 2"].element, "./w:pPr/w:suppressAutoHyphens")
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert w(defaults, "./w:pPrDefault/w:pPr/w:widowControl")


# -- LibreOffice, an independent reader of the DOCX -----------------------------------------


def libreoffice_pdf(sources: list[Path], folder: Path) -> None:
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr


def hyphenating_reference(target: Path) -> None:
    """briefgen's reference document with Word's automatic hyphenation turned on."""
    source = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/settings.xml":
                data = data.replace(b"<w:zoom ", b"<w:autoHyphenation/><w:zoom ", 1)
            new.writestr(item, data)


@pytest.mark.slow
def test_libreoffice_reads_the_docx_with_the_same_rules(tmp_path: Path) -> None:
    from briefgen import build

    folder = tmp_path / "campaign"
    folder.mkdir()
    hyphenating_reference(folder / "hyphenating.docx")
    text = TYPOGRAPHY.read_text(encoding="utf-8").replace(
        "  languages: [en, fr]\n", "  languages: [en, fr]\n  reference_docx: hyphenating.docx\n"
    )
    path = folder / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    report = build([path], tmp_path / "out", formats=("docx",))
    assert report.ok, report.failures
    out = tmp_path / "out" / "typography-stress"
    sources = [out / "brief.public.en.docx", out / "brief.public.fr.docx"]
    sources += sorted((out / "letters").glob("*.docx"))
    libreoffice_pdf(sources, tmp_path)
    words = name_words()
    urls = [s.url for s in CAMPAIGN.sources if s.url]
    written = TYPOGRAPHY.read_text(encoding="utf-8")
    hyphenated = 0
    found = 0
    for source in sources:
        pdf = tmp_path / f"{source.stem}.pdf"
        pages = page_texts(pdf)
        for text in pages:
            for word in words:
                assert not broken_inside(text, word), (pdf.name, word)
            for url in urls:
                assert url is not None
                found += sum(1 for _ in url_breaks(text, url))
            for left, right in re.findall(r"(\w+)-\n(\w+)", text):
                # A word LibreOffice hyphenated (not a compound broken at its own hyphen).
                hyphenated += f"{left}{right}" in written and f"{left}-{right}" not in written
        if source.parent.name == "letters":
            flat = [re.sub(r"\s+", " ", p) for p in pages]
            closing = next(i for i, p in enumerate(flat) if any(c in p for c in CLOSINGS))
            assert "Gulchehra" in flat[closing], pdf.name
            assert "Parvizjon" in flat[closing], pdf.name
            assert any(p in flat[closing] for p in LAST_PARAGRAPHS), pdf.name
            assert any(p in flat[-1] for p in LAST_PARAGRAPHS), pdf.name
    assert found >= 20  # the URLs are there, never with a hyphen added
    # LibreOffice did hyphenate (hyphen-en-gb and hyphen-fr installed): the names and URLs
    # above were spared, not the whole text.
    assert hyphenated > 3, "LibreOffice hyphenated nothing: install hyphen-en-gb and hyphen-fr"


@pytest.mark.slow
def test_libreoffice_shows_the_cover_and_summary_box_and_fits_the_letters(
    typography_output: Path, example_output: Path, tmp_path: Path
) -> None:
    brief = typography_output / "brief.public.en.docx"
    letters = sorted((example_output / "letters").glob("*.docx"))
    fitted = [
        typography_output / "letters" / f"mep-note-{n}.docx" for n in (1, 2, 3)
    ]  # as is, fit-1, fit-2
    libreoffice_pdf([brief, *letters, *fitted], tmp_path)
    cover = text_heights(tmp_path / "brief.public.en.pdf")
    org = next(y for y, t in cover if "Pamir–Brussels Rights Network" in t)
    kind = next(y for y, t in cover if "POLICY BRIEF" in t)
    assert abs(org - kind) < 12  # on one line...
    page = PdfReader(tmp_path / "brief.public.en.pdf").pages[0]
    positions: list[float] = []
    page.extract_text(
        visitor_text=lambda t, cm, tm, *_: (
            positions.append(tm[4] * cm[0] + cm[4]) if "POLICY BRIEF" in t else None
        )
    )
    assert positions
    assert positions[0] > float(page.mediabox.width) / 2
    # The summary's shaded box: its colour fills a good part of the first page.
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(tmp_path / "brief.public.en.pdf"),
            str(tmp_path / "cover"),
        ],
        check=True,
        timeout=120,
    )
    from PIL import Image

    image = Image.open(next(tmp_path.glob("cover*.png"))).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    shaded = sum(
        count
        for count, (red, green, blue) in colours
        if abs(red - 0xEE) + abs(green - 0xF3) + abs(blue - 0xF7) < 12
    )
    assert shaded > image.width * image.height * 0.05
    # The example's letters and the fitted stress letters are one page in Word too.
    for source in [*letters, *fitted]:
        assert len(PdfReader(tmp_path / f"{source.stem}.pdf").pages) == 1, source.name


def test_builds_are_byte_reproducible_with_fitting(tmp_path: Path) -> None:
    from briefgen import build

    for target in ("a", "b"):
        report = build(
            [TYPOGRAPHY],
            tmp_path / target,
            formats=("pdf", "docx", "html"),
            recipients=["mep-note-2", "fr-deputy"],
        )
        assert report.ok, report.failures
    for file in sorted((tmp_path / "a").rglob("*.*")):
        if file.name == ".briefgen-cache.json":
            continue
        twin = tmp_path / "b" / file.relative_to(tmp_path / "a")
        assert file.read_bytes() == twin.read_bytes(), file.name


_ = (shutil, EXAMPLE, LETTERS)


def test_bookmarks_list_the_summary_as_written_not_in_capitals(typography_output: Path) -> None:
    """The summary's heading is printed in capitals; the PDF's bookmarks say "Summary"."""
    for language, label in (("en", "Summary"), ("fr", "Résumé")):
        outline = PdfReader(typography_output / f"brief.public.{language}.pdf").outline
        titles = [item.title for item in outline[1] if not isinstance(item, list)]
        assert titles[0] == label, titles
        assert all(title != title.upper() for title in titles), titles
    page_text = page_texts(typography_output / "brief.public.en.pdf")[0]
    assert "SUMMARY" in page_text  # still printed in capitals
