"""DOCX output: Word structure, styles, reference documents, and parity with the PDF."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefgen import build, load_campaign
from briefgen.model import LocalText
from briefgen.plan import letters
from tests.conftest import (
    EXAMPLE,
    docx_paragraphs,
    docx_text,
    en,
    pandoc_text,
    pdf_text,
    with_templates,
)

CAMPAIGN = load_campaign(EXAMPLE)
Cli = Callable[..., tuple[int, str, str]]
MARKING = "Restricted — not for publication"


def styled(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, in table cells too."""
    return [(p.style.name, p.text) for p in docx_paragraphs(path)]


def style_of(path: Path, text: str) -> str:
    return next(style for style, t in styled(path) if text in t)


def test_brief_structure_uses_word_styles(example_output: Path) -> None:
    path = example_output / "brief.public.en.docx"
    paragraphs = styled(path)
    assert style_of(path, en(CAMPAIGN.brief.title)) == "Heading 1"
    assert style_of(path, "Recommendations") == "Heading 2"
    for section in CAMPAIGN.brief.sections:
        assert (("Heading 2", en(section.title))) in paragraphs
    assert style_of(path, "Leading opposition figures were barred") == "Body Text"
    assert style_of(path, "Khadija Ismayilova") == "Case Details"  # "Cases: ..." line
    # Demands are a real numbered list: their headings carry one numbering, in order.
    document = docx.Document(str(path))
    demand_paragraphs = [
        p for p in document.paragraphs if p.text in [en(d.title) for d in CAMPAIGN.demands]
    ]
    assert [p.text for p in demand_paragraphs] == [en(d.title) for d in CAMPAIGN.demands]
    num_ids = {p._p.pPr.numPr.numId.val for p in demand_paragraphs}
    assert len(num_ids) == 1
    numbering = document.part.numbering_part.element
    num = numbering.num_having_numId(num_ids.pop())
    abstract_id = num.abstractNumId.val
    fmt = numbering.xpath(
        f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="0"]/w:numFmt/@w:val'
    )
    assert fmt == ["decimal"]


def test_brief_links_and_emphasis_are_real_runs(example_output: Path) -> None:
    path = example_output / "brief.public.en.docx"
    document = docx.Document(str(path))
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert (
        "https://www.hrw.org/news/2020/03/04/eu-should-press-azerbaijan-deliver-rights" in targets
    )
    body = document.element.body
    external = body.xpath(".//w:hyperlink[@r:id]")
    assert external
    internal = body.xpath(".//w:hyperlink[@w:anchor]")
    bookmarks = set(body.xpath(".//w:bookmarkStart/@w:name"))
    assert internal
    assert {h.get(qn("w:anchor")) for h in internal} <= bookmarks
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "concrete, time-bound commitments" in bold


def test_letter_uses_named_styles(example_output: Path) -> None:
    path = example_output / "letters" / "european-parliament-droi.docx"
    assert style_of(path, "Hannah Neumann") == "Recipient Address"
    assert style_of(path, "Rue Wiertz 60") == "Recipient Address"
    assert style_of(path, "Dear Chair, dear Ms Neumann,") == "Salutation"
    assert style_of(path, "Brussels, 4\u00a0March\u00a02020") == "Date"  # kept on one line
    assert style_of(path, "Re: EU–Azerbaijan Human Rights Dialogue") == "Subject"
    assert style_of(path, "Yours sincerely,") == "Closing"
    for signatory in CAMPAIGN.signatories:
        assert style_of(path, en(signatory.name)) == "Signature"
    assert style_of(path, "We would be grateful if you raised") == "Note"
    # The asks: numbered list items in the order of the recipient's demands, each title
    # run in at the start of its paragraph (bold), as in the PDF.
    document = docx.Document(str(path))
    numbered = [
        p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert [p.text.split(".")[0] for p in numbered] == [
        "Release everyone unjustly and arbitrarily detained",
        "Let independent groups operate and receive foreign funding",
    ]
    assert numbered[0].text.startswith(
        "Release everyone unjustly and arbitrarily detained. Press for the immediate"
    )
    assert numbered[0].runs[0].bold


def test_logo_is_embedded_with_alt_text(example_output: Path) -> None:
    document = docx.Document(str(example_output / "letters" / "high-representative.docx"))
    shapes = document.inline_shapes
    assert len(shapes) == 1
    assert shapes[0]._inline.docPr.get("descr") == "Rights Dialogue Europe"
    assert round(shapes[0].height.mm) == 14


def test_page_numbers_are_word_fields(example_output: Path) -> None:
    document = docx.Document(str(example_output / "brief.public.en.docx"))
    footer = document.sections[0].footer._element
    instructions = [t.strip() for t in footer.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Page" in footer.xpath("string(.)")


@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_restricted_marking_in_header(example_output: Path, edition: str) -> None:
    document = docx.Document(str(example_output / f"brief.{edition}.en.docx"))
    header = document.sections[0].header
    text = " ".join(p.text for p in header.paragraphs)
    assert (MARKING in text) == (edition == "restricted")
    props = document.core_properties
    assert (props.keywords == MARKING) == (edition == "restricted")


def test_properties_language_and_nothing_identifying(example_output: Path) -> None:
    path = example_output / "letters" / "high-representative.docx"
    document = docx.Document(str(path))
    props = document.core_properties
    assert props.title.startswith("EU–Azerbaijan Human Rights Dialogue")
    assert "Josep Borrell Fontelles" in props.title
    assert props.subject == "EU–Azerbaijan Human Rights Dialogue, Brussels, 5 March 2020"
    assert props.author == "Rights Dialogue Europe"
    assert props.last_modified_by == "Rights Dialogue Europe"
    assert props.language == "en-GB"
    assert props.created.date().isoformat() == "2020-03-04"
    styles = document.styles.element
    assert styles.xpath("string(./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val)") == "en-GB"
    run_langs = set(document.element.body.xpath(".//w:r/w:rPr/w:lang/@w:val"))
    assert run_langs == {"en-GB"}
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        everything = b" ".join(archive.read(n) for n in names)
    assert "docProps/app.xml" not in names
    assert not any(n.startswith(("customXml/", "docProps/thumbnail")) for n in names)
    for needle in (
        b"python-docx",
        b"/root",
        b"/tmp",
        b"/work",
        b"w:rsid",
        b"<Application>",
        b"proofState",
        b"attachedTemplate",
    ):
        assert needle not in everything, needle


# The salutation of each example letter, as the protocol rules give it.
GREETINGS = {
    "european-parliament-droi": "Dear Chair, dear Ms Neumann,",
    "high-representative": "Dear High Representative,",
    "eusr-human-rights": "Dear Special Representative,",
    "president-european-council": "Monsieur le Président,",
    "commissioner-neighbourhood": "Dear Commissioner,",
    "head-of-delegation-baku": "Dear Ambassador,",
    "be-foreign-minister": "Monsieur le Ministre,",
}


def _ordered(text: str, needles: list[str]) -> list[int]:
    positions = [text.find(n) for n in needles]
    assert -1 not in positions, [n for n, p in zip(needles, positions, strict=True) if p < 0]
    return sorted(range(len(needles)), key=lambda i: positions[i])


@pytest.mark.parametrize(
    "name",
    [
        *[f"brief.{e}.{lang}" for e in ("public", "restricted") for lang in ("en", "fr", "az")],
        *[f"letters/{item.id}" for item in letters(CAMPAIGN)],
    ],
)
def test_pdf_and_docx_say_the_same_in_the_same_order(example_output: Path, name: str) -> None:
    pdf = pdf_text(example_output / f"{name}.pdf")
    word = docx_text(example_output / f"{name}.docx")
    recipient = next((item for item in letters(CAMPAIGN) if name.endswith(f"/{item.id}")), None)
    language = recipient.language if recipient else name.split(".")[2]

    def say(value: LocalText) -> str:
        return value.resolve(language, CAMPAIGN.campaign.language)[0]

    wanted = recipient.demands if recipient else None
    demands = [say(d.title) for d in CAMPAIGN.demands if wanted is None or d.id in wanted]
    restricted = "restricted" in name or (recipient and recipient.edition == "restricted")
    cases = [say(c.name) for c in CAMPAIGN.cases if restricted or c.visibility == "public"]
    if recipient:
        # A letter names the cases its demands cite that its edition may show.
        cited = {c for d in CAMPAIGN.demands if d.id in recipient.demands for c in d.cases}
        cases = [say(c.name) for c in CAMPAIGN.cases if c.id in cited and say(c.name) in cases]
        greeting = GREETINGS[recipient.id]
        needles = [greeting, *demands, *cases, *[say(s.name) for s in CAMPAIGN.signatories]]
    else:
        needles = [*demands, *cases]
    for needle in needles:
        assert needle in pdf, needle
        assert needle in word, needle
    assert _ordered(pdf, needles) == _ordered(word, needles)
    hidden = [say(c.name) for c in CAMPAIGN.cases if c.visibility == "restricted"]
    for secret in hidden:
        assert (secret in word) == bool(restricted and (not recipient or secret in cases))
        assert (secret in pdf) == bool(restricted and (not recipient or secret in cases))


def test_pandoc_reads_every_docx(example_output: Path) -> None:
    for path in sorted(example_output.rglob("*.docx")):
        text = pandoc_text(path)  # raises if pandoc cannot read the file
        titles = CAMPAIGN.demands[-1].title.values.values()
        assert any(" ".join(t.split()[:3]) in " ".join(text.split()) for t in titles), path


@pytest.mark.slow
def test_libreoffice_opens_brief_and_letter(example_output: Path, tmp_path: Path) -> None:
    sources = [
        example_output / "brief.restricted.en.docx",
        example_output / "letters" / "european-parliament-droi.docx",
    ]
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    brief = pdf_text(tmp_path / "brief.restricted.en.pdf")
    letter = pdf_text(tmp_path / "european-parliament-droi.pdf")
    assert "RESTRICTED — NOT FOR PUBLICATION" in brief.upper()
    assert "Page 1 of" in brief
    assert all(en(d.title) in brief for d in CAMPAIGN.demands)
    assert "Dear Chair, dear Ms Neumann," in letter
    assert "Farida Nəsibova" in brief


def test_docx_is_byte_identical_across_builds(tmp_path: Path) -> None:
    first = build([EXAMPLE], tmp_path / "a", formats=("docx",), only="brief")
    second = build([EXAMPLE], tmp_path / "b", formats=("docx",), only="brief")
    assert first.ok
    assert second.ok
    for name in ("brief.public.en.docx", "brief.restricted.en.docx"):
        a = (tmp_path / "a" / "eu-azerbaijan-2020" / name).read_bytes()
        b = (tmp_path / "b" / "eu-azerbaijan-2020" / name).read_bytes()
        assert a == b


# -- templates, footnotes, unsupported HTML ---------------------------------------------------


@pytest.mark.parametrize("reference", ["default", "pandoc"])
def test_footnotes_are_real_in_pdf_and_word(
    tmp_path: Path, campaign: Callable[..., Path], reference: str
) -> None:
    extra = []
    if reference == "pandoc":  # pandoc's reference document has a footnotes part of its own
        subprocess.run(
            [
                "pandoc",
                "-o",
                str(tmp_path / "ref.docx"),
                "--print-default-data-file",
                "reference.docx",
            ],
            check=True,
            timeout=60,
        )
        extra = [("  date: 2024-05-06\n", "  date: 2024-05-06\n  reference_docx: ref.docx\n")]
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}<p>The court ruled in 2020.'
            '<span class="footnote">ECtHR, judgment of 27 February 2020, '
            '<a href="https://example.org/j">link</a>.</span> More text.</p>{% endblock %}'
        },
        extra,
    )
    report = build([path], tmp_path / "out", formats=("pdf", "docx"), only="letters")
    assert report.ok, report.failures
    word = tmp_path / "out" / "minimal" / "letters" / "hr.docx"
    document = docx.Document(str(word))
    body = document.element.body
    assert len(body.xpath(".//w:footnoteReference")) == 1
    assert "judgment of 27 February 2020" not in docx_text(word)
    with zipfile.ZipFile(word) as archive:
        notes = archive.read("word/footnotes.xml").decode()
        rels = archive.read("word/_rels/footnotes.xml.rels").decode()
    text = re.sub(r"<[^>]+>", "", notes)
    assert "ECtHR, judgment of 27 February 2020, link." in text
    assert "https://example.org/j" in rels
    assert "The court ruled in 2020. More text." in docx_text(word)
    # In the PDF the note sits at the bottom of the page, after the body text.
    page = pdf_text(tmp_path / "out" / "minimal" / "letters" / "hr.pdf")
    assert page.index("More text.") < page.index("ECtHR, judgment of 27 February 2020")


def test_unsupported_element_fails_the_document_naming_template(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}\n<p>Hello</p>\n'
            "<video>clip</video>\n{% endblock %}"
        },
    )
    code, _, err = cli("build", path, "-o", tmp_path / "out")
    assert code == 1
    assert re.search(
        r"error: letter to hr: letter\.html: <video> \(line \d+ of the rendered "
        r"HTML\) is not supported in DOCX output; supported elements: a, abbr, ",
        err,
    ), err
    assert not (tmp_path / "out" / "minimal" / "letters").exists()  # not even the PDF
    assert (tmp_path / "out" / "minimal" / "brief.public.en.docx").is_file()


def test_table_becomes_word_table_with_header_row(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}<table><thead><tr>'
            "<th>Name</th><th>Status</th></tr></thead><tbody><tr><td>A</td><td><em>Detained</em></td></tr></tbody>"
            "</table><ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>{% endblock %}"
        },
    )
    assert build([path], tmp_path / "out", formats=("docx",), only="letters").ok
    document = docx.Document(str(tmp_path / "out" / "minimal" / "letters" / "hr.docx"))
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Name", "Status"],
        ["A", "Detained"],
    ]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    items = [
        (p.text, p._p.pPr.numPr.ilvl.val)
        for p in document.paragraphs
        if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert items == [("one", 0), ("two", 0), ("nested", 1)]


# -- reference documents ----------------------------------------------------------------------


def _reference_campaign(campaign: Callable[..., Path], name: str) -> Path:
    return campaign([("  language: en\n", f"  language: en\n  reference_docx: {name}\n")])


def test_pandoc_reference_document_works(tmp_path: Path, campaign: Callable[..., Path]) -> None:
    reference = tmp_path / "pandoc-ref.docx"
    subprocess.run(
        ["pandoc", "-o", str(reference), "--print-default-data-file", "reference.docx"],
        check=True,
        timeout=60,
    )
    path = _reference_campaign(campaign, "pandoc-ref.docx")
    report = build([path], tmp_path / "out", formats=("docx",))
    assert report.ok, report.failures
    letter = tmp_path / "out" / "minimal" / "letters" / "insider.docx"
    assert style_of(letter, "Dear Mr Roe,") == "Salutation"
    # pandoc's own "Body Text" style is used as it is, not replaced by briefgen's.
    document = docx.Document(str(letter))
    pandoc_styles = {s.name for s in docx.Document(str(reference)).styles}
    assert "Body Text" in pandoc_styles
    assert MARKING in " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "Dear Mr Roe," in pandoc_text(letter)


@pytest.mark.slow
def test_libreoffice_reference_document_works(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    source = tmp_path / "letterhead.html"
    source.write_text(
        "<html><body><h1>Letterhead</h1><p>Made in LibreOffice</p></body></html>", encoding="utf-8"
    )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=240,
    )
    path = _reference_campaign(campaign, "letterhead.docx")
    report = build([path], tmp_path / "out", formats=("docx",))
    assert report.ok, (report.failures, report.problems)
    letter = tmp_path / "out" / "minimal" / "letters" / "hr.docx"
    assert style_of(letter, "Dear High Representative,") == "Salutation"
    assert "Made in LibreOffice" not in docx_text(letter)
    assert "Dear High Representative," in pandoc_text(letter)


def test_letterhead_reference_document_replaces_body_letterhead(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    reference = docx.Document()
    section = reference.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "ACME HUMAN RIGHTS — Letterhead"
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = "ACME footer"
    reference.styles["Normal"].font.name = "Georgia"
    reference.save(str(tmp_path / "letterhead.docx"))
    path = _reference_campaign(campaign, "letterhead.docx")
    assert build([path], tmp_path / "out", formats=("docx",)).ok
    out = tmp_path / "out" / "minimal" / "letters"
    for name, restricted in (("hr.docx", False), ("insider.docx", True)):
        document = docx.Document(str(out / name))
        header = [p.text for p in document.sections[0].header.paragraphs]
        footer = [p.text for p in document.sections[0].footer.paragraphs]
        assert header == ([MARKING] if restricted else []) + ["ACME HUMAN RIGHTS — Letterhead"]
        assert footer == ["ACME footer"]
        assert document.styles["Normal"].font.name == "Georgia"
        assert "Main Street 1" not in docx_text(out / name)  # body letterhead left out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"this is not a zip",
            "'ref.docx' is not a valid .docx file (save it from Word or "
            "LibreOffice as 'Word Document (.docx)')",
        ),
        (None, "file 'ref.docx' does not exist (paths are relative to the campaign file)"),
    ],
)
def test_bad_reference_document_is_a_located_error(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli, content: bytes | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "ref.docx").write_bytes(content)
    path = _reference_campaign(campaign, "ref.docx")
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [f"{path}:4:19: error: campaign.reference_docx: {message}"]


def test_broken_reference_at_render_time_names_the_file(tmp_path: Path) -> None:
    from briefgen.errors import RenderError
    from briefgen.write.docx_package import open_reference

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<not-word/>")
    with pytest.raises(RenderError, match=f"reference document '{broken}'"):
        open_reference(broken)


def test_text_runs_keep_their_edge_spaces(campaign: Callable[..., Path], tmp_path: Path) -> None:
    # French typography puts a no-break space before ":" — here at the start of a run, after
    # bold text. Word drops edge whitespace of a w:t unless it says xml:space="preserve".
    path = campaign([("    body: Release them now.", '    body: "**Now**\u00a0: release them. "')])
    assert build([path], tmp_path, formats=("docx",), only="brief").ok
    with zipfile.ZipFile(tmp_path / "minimal" / "brief.public.en.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    texts = re.findall(r"<w:t( [^>]*)?>([^<]*)</w:t>", xml)
    assert ("\u00a0: release them.") in [t for _, t in texts]
    for attributes, text in texts:
        if text != text.strip():
            assert 'xml:space="preserve"' in attributes, repr(text)


def test_docx_package_is_the_same_if_python_docx_renames_its_writer_steps(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # save_reproducible uses python-docx's package-writer steps; without them it saves and
    # re-packs, and the file must come out the same.
    from briefgen.write import docx_package

    build([EXAMPLE], tmp_path / "a", formats=("docx",), recipients=["high-representative"])
    monkeypatch.setattr(docx_package, "_WRITER_STEPS", ("_write_parts_renamed",))
    build([EXAMPLE], tmp_path / "b", formats=("docx",), recipients=["high-representative"])
    name = "eu-azerbaijan-2020/letters/high-representative.docx"
    first, second = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
    assert first == second
    assert docx.Document(str(tmp_path / "b" / name)).paragraphs
