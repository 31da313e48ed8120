"""Reference documents: only their look reaches the outputs, the restricted marking is on
every page whatever headers they define, and ``check`` refuses what ``build`` would."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from briefgen import build, cache, load_campaign
from briefgen.errors import RenderError
from briefgen.plan import plan
from briefgen.reference.parts import PAGE_MARGINS
from briefgen.render import Renderer
from briefgen.write.docx_package import open_reference
from tests import refdocs
from tests.conftest import MINIMAL, docx_text, pandoc_text
from tests.leakscan import scan

Cli = Callable[..., tuple[int, str, str]]
MARKING = "Restricted — not for publication"
SECRET = "Zəhra Gizli-Canary"  # the restricted case of tests/data/minimal.yaml (cases[1])
PUBLIC = ("brief.public.en.docx", "letters/hr.docx")
RESTRICTED = ("brief.restricted.en.docx", "letters/insider.docx")


def _campaign(campaign: Callable[..., Path], name: str = "ref.docx") -> Path:
    """The minimal campaign with ``reference_docx: NAME`` on line 4 (its value at column 19)."""
    return campaign([("  language: en\n", f"  language: en\n  reference_docx: {name}\n")])


def _build(path: Path, out: Path) -> Path:
    report = build([path], out, formats=("docx",))
    assert report.ok, (report.failures, report.problems)
    return out / "minimal"


def _parts(path: Path) -> dict[str, str]:
    """Every part of a DOCX by name; XML parts as text, others decoded loosely."""
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}


def _headers(path: Path) -> dict[str, list[str]]:
    """The paragraphs of the default, first-page and even-page headers of the last section."""
    section = docx.Document(str(path)).sections[-1]
    return {
        "default": [p.text for p in section.header.paragraphs],
        "first": [p.text for p in section.first_page_header.paragraphs],
        "even": [p.text for p in section.even_page_header.paragraphs],
    }


# -- only the look is taken ---------------------------------------------------------------------


def test_reference_document_passes_on_its_look_and_nothing_else(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    refdocs.kitchen_sink(tmp_path / "ref.docx", SECRET)
    path = _campaign(campaign)
    # The restricted name is only in the reference's body, which no output takes.
    code, out, err = cli("check", path)
    assert (code, out, err) == (0, "", "ok: no problems found\n")
    folder = _build(path, tmp_path / "out")
    for name in PUBLIC + RESTRICTED:
        output = folder / name
        parts = _parts(output)
        assert not set(refdocs.DROPPED_PARTS) & set(parts), name
        assert not [n for n in parts if n.startswith(("customXml/", "word/glossary/"))]
        assert scan(output, folder, refdocs.CANARIES) == set(), name
        xml = "\n".join(parts.values())
        # No revision data, comment or author anywhere, in kept parts included.
        marks = ("w:rsid", "<w:ins ", "<w:del ", "w:author", "commentReference", "w:ed=")
        assert [mark for mark in marks if mark in xml] == [], name
        # Notes: only the separators Word needs (and briefgen's own, if any).
        notes = re.findall(r'<w:endnote [^>]*w:id="(-?\d+)"', parts["word/endnotes.xml"])
        assert sorted(notes) == ["-1", "0"]
        # The look is kept: the letterhead (its accepted insertion too), its logo and web
        # link, the first-page and even-page headers, the footer, the page setup.
        headers = _headers(output)
        assert f"{refdocs.LETTERHEAD} {refdocs.INSERTED}" in headers["default"]
        assert "acme.example.org our files" in headers["default"]
        assert "Registered charity 12345" in headers["default"]
        assert refdocs.FIRST_PAGE in headers["first"]
        assert refdocs.EVEN_PAGE in headers["even"]
        document = docx.Document(str(output))
        section = document.sections[-1]
        assert [p.text for p in section.footer.paragraphs] == [refdocs.FOOTER]
        assert section.different_first_page_header_footer
        assert document.settings.odd_and_even_pages_header_footer
        header_part = section.header.part
        pictures = [r for r in header_part.rels.values() if r.reltype.endswith("/image")]
        assert [r.target_part.blob[:4] for r in pictures] == [b"\x89PNG"]
        links = [r.target_ref for r in header_part.rels.values() if r.is_external]
        assert links == ["https://acme.example.org/"]
        # The logo and the first-page photo, without their metadata; no body picture.
        with zipfile.ZipFile(output) as archive:
            media = {n: archive.read(n) for n in archive.namelist() if n.startswith("word/media/")}
        assert sorted(n.rsplit(".", 1)[1] for n in media) == ["jpeg", "png"]
        for canary in (b"PngTextCanary", b"ExifCanary", b"BodyPictureCanary"):
            assert not [n for n, data in media.items() if canary in data], canary
        # Every drawing has its own id across the parts (Word reports duplicates as damage).
        drawing_ids = re.findall(r"<wp:docPr id=\"(\d+)\"", xml)
        assert len(drawing_ids) == len(set(drawing_ids)) == 2, drawing_ids
    for name in PUBLIC:
        assert scan(folder / name, folder, [SECRET]) == set(), name


def test_settings_keep_the_look_and_drop_paths_hashes_and_history(tmp_path: Path) -> None:
    reference = refdocs.kitchen_sink(tmp_path / "ref.docx", SECRET)
    settings = open_reference(reference).settings.element
    kept = [re.sub(r"\{[^}]*\}", "", child.tag) for child in settings]
    assert {"evenAndOddHeaders", "defaultTabStop", "compat"} <= set(kept)
    assert "removePersonalInformation" in kept  # protects later saves of an output
    for dropped in (
        "rsids",
        "attachedTemplate",
        "documentProtection",
        "mailMerge",
        "docVars",
        "trackRevisions",
        "docId",
        "savePreviewPicture",
    ):
        assert dropped not in kept, dropped
    assert not open_reference(reference).part._settings_part.rels


def test_pandoc_reference_document_leaves_its_sample_content_behind(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    subprocess.run(
        ["pandoc", "-o", str(tmp_path / "ref.docx"), "--print-default-data-file", "reference.docx"],
        check=True,
        timeout=60,
    )
    with zipfile.ZipFile(tmp_path / "ref.docx") as archive:  # what pandoc's file carries
        assert {"word/comments.xml", "docProps/custom.xml", "docProps/app.xml"} <= set(
            archive.namelist()
        )
        assert b"Footnote Text." in archive.read("word/footnotes.xml")
    folder = _build(_campaign(campaign), tmp_path / "out")
    for name in PUBLIC + RESTRICTED:
        parts = _parts(folder / name)
        assert not {"word/comments.xml", "docProps/custom.xml", "docProps/app.xml"} & set(parts)
        assert "Footnote Text." not in parts["word/footnotes.xml"]
        assert not [n for n, xml in parts.items() if "example.com" in xml]  # the body's link
        text = docx_text(folder / name)
        for sample in ("Subtitle", "Abstract", "Heading 6", "Block Text", "Definition"):
            assert sample not in text
        # pandoc's reference has no page size: briefgen's A4 and margins.
        section = docx.Document(str(folder / name)).sections[-1]
        assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)


def test_reference_made_from_a_restricted_output_does_not_mark_public_documents(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    # A user takes last week's restricted letter as the letterhead for this one.
    refdocs.letterhead(tmp_path / "letterhead.docx")
    first = _build(_campaign(campaign, "letterhead.docx"), tmp_path / "first")
    (tmp_path / "ref.docx").write_bytes((first / "letters" / "insider.docx").read_bytes())
    folder = _build(_campaign(campaign), tmp_path / "out")
    assert _headers(folder / "letters" / "hr.docx")["default"] == [refdocs.LETTERHEAD]
    assert _headers(folder / "letters" / "insider.docx")["default"] == [
        MARKING,
        refdocs.LETTERHEAD,
    ]
    assert "Dear Mr Roe," not in docx_text(folder / "letters" / "hr.docx")  # its old body


def test_outputs_on_a_reference_document_are_reproducible(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    refdocs.kitchen_sink(tmp_path / "ref.docx", SECRET)
    path = _campaign(campaign)
    a, b = _build(path, tmp_path / "a"), _build(path, tmp_path / "b")
    for name in PUBLIC + RESTRICTED:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_outputs_are_rendered_again_when_the_reference_rules_change(
    tmp_path: Path, campaign: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Outputs built before a fix of what a reference passes on must not stay "up to date".
    path = _campaign(campaign, "letterhead.docx")
    refdocs.letterhead(tmp_path / "letterhead.docx")
    assert build([path], tmp_path / "out", formats=("docx",)).rendered == 4
    assert build([path], tmp_path / "out", formats=("docx",)).rendered == 0
    monkeypatch.setattr(cache, "_code_digest", lambda *names: "the rules, changed")
    assert build([path], tmp_path / "out", formats=("docx",)).rendered == 4


def test_word_template_can_be_the_reference(tmp_path: Path, campaign: Callable[..., Path]) -> None:
    def as_template(parts: dict[str, bytes]) -> None:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
        )

    refdocs.edit(refdocs.letterhead(tmp_path / "x.docx"), as_template, tmp_path / "ref.dotx")
    folder = _build(_campaign(campaign, "ref.dotx"), tmp_path / "out")
    assert _headers(folder / "letters" / "hr.docx")["default"] == [refdocs.LETTERHEAD]
    assert "Dear High Representative," in pandoc_text(folder / "letters" / "hr.docx")


# -- the restricted marking ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "own"),
    [
        ("none", {}),
        ("letterhead", {"default": refdocs.LETTERHEAD}),
        ("first page only", {"first": refdocs.FIRST_PAGE}),
        ("even pages", {"default": refdocs.LETTERHEAD, "even": refdocs.EVEN_PAGE}),
        (
            "all three",
            {"default": refdocs.LETTERHEAD, "first": refdocs.FIRST_PAGE, "even": refdocs.EVEN_PAGE},
        ),
    ],
)
def test_restricted_marking_heads_every_kind_of_header(
    tmp_path: Path, campaign: Callable[..., Path], kind: str, own: dict[str, str]
) -> None:
    refdocs.letterhead(
        tmp_path / "ref.docx",
        header=own.get("default"),
        first=own.get("first"),
        even=own.get("even"),
        footer=None,
    )
    folder = _build(_campaign(campaign), tmp_path / "out")
    for name in RESTRICTED:
        headers = _headers(folder / name)
        for header, paragraphs in headers.items():
            assert paragraphs[0] == MARKING, (name, header, paragraphs)
            if header in own:
                assert own[header] in paragraphs, (name, header)
        section = docx.Document(str(folder / name)).sections[-1]
        first = section.first_page_header.paragraphs[0]
        assert first.style.name == "Restricted Marking"
    # The reference has no footer: briefgen's page footer on every kind of page it shows.
    for name in PUBLIC + RESTRICTED:
        section = docx.Document(str(folder / name)).sections[-1]
        shown = [section.footer]
        shown += [section.first_page_footer] if "first" in own else []
        shown += [section.even_page_footer] if "even" in own else []
        for footer in shown:
            assert footer.paragraphs[0].text == "Test Rights Group\tPage 1 of 1", (name, kind)
    for name in PUBLIC:
        for header, paragraphs in _headers(folder / name).items():
            assert MARKING not in paragraphs, (name, header)
            assert (own.get(header) in paragraphs) if header in own else True
    # A reference whose only header is on the first page still replaces the body letterhead.
    assert ("Main Street 1" in docx_text(folder / "letters" / "hr.docx")) == (kind == "none")


@pytest.mark.slow
def test_restricted_marking_is_printed_on_every_page(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    refdocs.letterhead(
        tmp_path / "ref.docx", first=refdocs.FIRST_PAGE, even=refdocs.EVEN_PAGE, footer=None
    )
    long_note = " ".join(f"Paragraph {n} of a long note about the hearing." for n in range(400))
    path = campaign(
        [
            ("  language: en\n", "  language: en\n  reference_docx: ref.docx\n"),
            ("    edition: restricted\n", f"    edition: restricted\n    note: {long_note}\n"),
        ]
    )
    report = build([path], tmp_path / "out", formats=("docx",), recipients=["insider"])
    assert report.ok, report.failures
    pdf = _libreoffice_pdf(tmp_path / "out" / "minimal" / "letters" / "insider.docx", tmp_path)
    pages = _pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert MARKING.upper() in page.upper(), number
        assert f"Page {number} of {len(pages)}" in page, number  # briefgen's footer
    # Each page shows the reference's header for its kind, under the marking.
    assert refdocs.FIRST_PAGE in pages[0]
    assert refdocs.EVEN_PAGE in pages[1]
    assert refdocs.LETTERHEAD in pages[2]
    # The public letter on the same reference: no page carries the marking.
    report = build([path], tmp_path / "out", formats=("docx",), recipients=["hr"])
    public = _pdf_pages(
        _libreoffice_pdf(tmp_path / "out" / "minimal" / "letters" / "hr.docx", tmp_path)
    )
    assert not [page for page in public if MARKING.upper() in page.upper()]
    assert refdocs.FIRST_PAGE in public[0]


def _libreoffice_pdf(path: Path, tmp_path: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(path),
        ],
        capture_output=True,
        check=True,
        timeout=240,
    )
    return tmp_path / "pdf" / f"{path.stem}.pdf"


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f") if page.strip()]


# -- the leak guard reads the kept header and footer text -----------------------------------------


@pytest.mark.parametrize(
    ("where", "make"),
    [
        ("header", {"header": f"ACME — on the case of {SECRET.upper()}"}),
        ("first-page header", {"first": "Re: Zehra Gizli-Canary (accents folded)"}),
        ("even-page header", {"even": "Zəhra Gizli-\nCanary"}),
        ("footer", {"footer": f"File: {SECRET}"}),
    ],
)
def test_reference_header_naming_a_restricted_case_is_refused(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli, where: str, make: dict[str, str]
) -> None:
    refdocs.letterhead(tmp_path / "ref.docx", **make)  # type: ignore[arg-type]
    path = _campaign(campaign)
    message = (
        f"{path}:4:19: error: campaign.reference_docx: 'ref.docx' would name the restricted "
        f"case cases[1] in every document (its {where}); remove that name from the reference "
        "document"
    )
    code, _, err = cli("check", path)
    assert (code, err.splitlines()) == (1, [message])
    assert "Gizli" not in err
    code, _, err = cli("build", path, "-o", tmp_path / "out")
    assert code == 1
    assert message in err.splitlines()
    assert not (tmp_path / "out" / "minimal").exists()


def test_render_guard_refuses_a_reference_changed_after_check(tmp_path: Path) -> None:
    campaign_file = tmp_path / "campaign.yaml"
    campaign_file.write_text(
        MINIMAL.read_text(encoding="utf-8").replace(
            "  language: en\n", "  language: en\n  reference_docx: ref.docx\n", 1
        ),
        encoding="utf-8",
    )
    refdocs.letterhead(tmp_path / "ref.docx")
    campaign = load_campaign(campaign_file)
    refdocs.letterhead(tmp_path / "ref.docx", footer=f"File: {SECRET}")  # edited meanwhile
    renderer = Renderer(campaign, campaign_file)
    docs = {doc.key: doc for doc in plan(campaign)}
    public = docs[("letter", "public", "en", "hr")]
    with pytest.raises(RenderError) as caught:
        renderer.render(public)
    assert str(caught.value) == (
        "this public document would name the restricted case cases[1] in the footer of its "
        f"reference document '{tmp_path / 'ref.docx'}'; remove that name from the reference "
        "document"
    )
    renderer.render(docs[("letter", "restricted", "en", "insider")])  # may name it


def test_reference_carrying_the_marking_is_refused(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    refdocs.letterhead(tmp_path / "ref.docx", header="ACME · Restricted — not for publication")
    path = _campaign(campaign)
    code, _, err = cli("check", path)
    assert (code, err.splitlines()) == (
        1,
        [
            f"{path}:4:19: error: campaign.reference_docx: 'ref.docx' carries the restricted "
            "marking (its header); briefgen marks restricted documents itself, so remove it "
            "from the reference document, or every public document would be marked restricted"
        ],
    )


# -- page setup, and what check refuses ------------------------------------------------------------


def test_reference_without_a_section_gets_briefgen_page_setup(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    letterhead = refdocs.letterhead(tmp_path / "letterhead.docx")
    refdocs.without_section(letterhead, tmp_path / "ref.docx")
    path = _campaign(campaign)
    assert cli("check", path)[0] == 0
    folder = _build(path, tmp_path / "out")
    for name in PUBLIC + RESTRICTED:
        section = docx.Document(str(folder / name)).sections[-1]
        assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
        margins = (section.top_margin, section.right_margin, section.bottom_margin)
        assert [m.twips for m in margins] == [
            int(PAGE_MARGINS[k]) for k in ("top", "right", "bottom")
        ]
        # With no section, no header is shown: briefgen's own footer takes the place.
        assert "Test Rights Group" in section.footer.paragraphs[0].text
    assert "Dear High Representative," in pandoc_text(folder / "letters" / "hr.docx")


def test_reference_without_styles_gets_briefgen_styles(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    def drop_styles(parts: dict[str, bytes]) -> None:
        del parts["word/styles.xml"]

    refdocs.edit(refdocs.letterhead(tmp_path / "x.docx"), drop_styles, tmp_path / "ref.docx")
    folder = _build(_campaign(campaign), tmp_path / "out")
    document = docx.Document(str(folder / "letters" / "hr.docx"))
    assert document.styles["Normal"].font.name == "Cambria"
    assert document.paragraphs[0].style.name != "Normal"
    assert _headers(folder / "letters" / "hr.docx")["default"] == [refdocs.LETTERHEAD]


def _not_a_zip(tmp: Path) -> None:
    (tmp / "ref.docx").write_bytes(b"this is not a zip")


def _strict(tmp: Path) -> None:
    refdocs.strict(refdocs.letterhead(tmp / "x.docx"), tmp / "ref.docx")


def _encrypted(tmp: Path) -> None:
    refdocs.encrypted(refdocs.letterhead(tmp / "x.docx"), tmp / "ref.docx")


def _macros(tmp: Path) -> None:
    refdocs.macro_enabled(refdocs.letterhead(tmp / "x.docx"), tmp / "ref.docx")


def _odt(tmp: Path) -> None:
    with zipfile.ZipFile(tmp / "ref.docx", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")


def _workbook(tmp: Path) -> None:
    with zipfile.ZipFile(tmp / "ref.docx", "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{refdocs.RT}officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")


def _too_big(tmp: Path) -> None:
    refdocs.letterhead(tmp / "ref.docx")
    with zipfile.ZipFile(tmp / "ref.docx", "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/photo.bin", os.urandom(21 * 1024 * 1024))


def _bomb(tmp: Path) -> None:
    def bomb(parts: dict[str, bytes]) -> None:
        parts["word/media/zeros.bin"] = bytes(101 * 1024 * 1024)

    refdocs.edit(refdocs.letterhead(tmp / "x.docx"), bomb, tmp / "ref.docx")


def _damaged_styles(tmp: Path) -> None:
    def truncate(parts: dict[str, bytes]) -> None:
        parts["word/styles.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<w:styles xmlns:w="{refdocs.W_NS}">\n'
            '  <w:style w:type="paragraph"></w:styel>\n</w:styles>'
        ).encode()

    refdocs.edit(refdocs.letterhead(tmp / "x.docx"), truncate, tmp / "ref.docx")


def _damaged_page_size(tmp: Path) -> None:
    def damage(parts: dict[str, bytes]) -> None:
        parts["word/document.xml"] = re.sub(
            rb'<w:pgSz w:w="\d+"', b'<w:pgSz w:w="wide"', parts["word/document.xml"]
        )

    refdocs.edit(refdocs.letterhead(tmp / "x.docx"), damage, tmp / "ref.docx")


REPAIR = "open it in Word or LibreOffice and save it again"
REFUSED = [
    (
        _not_a_zip,
        "is not a valid .docx file (save it from Word or LibreOffice as 'Word Document (.docx)')",
    ),
    (
        _strict,
        "is a Strict Open XML document, which briefgen cannot read; save it as "
        "'Word Document (.docx)', not 'Strict Open XML Document'",
    ),
    (
        _encrypted,
        "is protected with a password; save a copy without one (in Word: File > Info > "
        "Protect Document > Encrypt with Password, and clear the password)",
    ),
    (
        _macros,
        "is a macro-enabled Word file; save it as 'Word Document (.docx)' (briefgen takes no "
        "macros from a reference document)",
    ),
    (
        _odt,
        "is an OpenDocument file (.odt), not a Word document; save it from Word or LibreOffice "
        "as 'Word Document (.docx)'",
    ),
    (
        _workbook,
        "is not a Word document; save it from Word or LibreOffice as 'Word Document (.docx)'",
    ),
    (
        _too_big,
        "is too big (21.0 MB; a reference document may be at most 20 MB): remove large "
        "pictures or embedded fonts",
    ),
    (
        _bomb,
        "is too big once unpacked (more than 100 MB); save it from Word or LibreOffice as "
        "'Word Document (.docx)' without large pictures or embedded fonts",
    ),
    (
        _damaged_styles,
        f"is damaged: word/styles.xml is not well-formed XML (line 3, column 41); {REPAIR}",
    ),
    (
        _damaged_page_size,
        f"is damaged: its page width ('wide') is not a measure; {REPAIR}",
    ),
]


@pytest.mark.parametrize(("make", "reason"), REFUSED, ids=[m.__name__[1:] for m, _ in REFUSED])
def test_check_refuses_what_build_would(
    tmp_path: Path,
    campaign: Callable[..., Path],
    cli: Cli,
    make: Callable[[Path], None],
    reason: str,
) -> None:
    make(tmp_path)
    path = _campaign(campaign)
    expected = f"{path}:4:19: error: campaign.reference_docx: 'ref.docx' {reason}"
    code, _, err = cli("check", path)
    assert (code, err.splitlines()) == (1, [expected])
    code, _, err = cli("build", path, "-o", tmp_path / "out")
    assert (code, expected in err.splitlines()) == (1, True), err
    assert not (tmp_path / "out" / "minimal").exists()
    # The DOCX writer refuses it for the same reason (had check been skipped).
    with pytest.raises(RenderError) as caught:
        open_reference(tmp_path / "ref.docx")
    assert str(caught.value) == f"reference document '{tmp_path / 'ref.docx'}' {reason}"


@pytest.mark.slow
def test_word_97_document_is_refused(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    source = tmp_path / "letterhead.html"
    source.write_text("<html><body><p>Letterhead</p></body></html>", encoding="utf-8")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=240,
    )
    (tmp_path / "letterhead.doc").rename(tmp_path / "ref.docx")  # renamed by hand
    path = _campaign(campaign)
    code, _, err = cli("check", path)
    assert (code, err.splitlines()) == (
        1,
        [
            f"{path}:4:19: error: campaign.reference_docx: 'ref.docx' is a Word 97-2003 "
            "document (.doc); save it from Word or LibreOffice as 'Word Document (.docx)'"
        ],
    )


@pytest.mark.slow
def test_reference_saved_by_libreoffice(tmp_path: Path, campaign: Callable[..., Path]) -> None:
    # LibreOffice writes its own package (its names, its settings, comments and notes its
    # way): the same rules hold for it.
    (tmp_path / "source").mkdir()
    source = refdocs.kitchen_sink(tmp_path / "source" / "letterhead.docx", SECRET)
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
    (tmp_path / "letterhead.docx").rename(tmp_path / "ref.docx")
    with zipfile.ZipFile(tmp_path / "ref.docx") as archive:  # LibreOffice kept them
        saved = {n: archive.read(n) for n in archive.namelist()}
    assert "word/comments.xml" in saved
    assert b"BodyCanary" in saved["word/document.xml"]
    folder = _build(_campaign(campaign), tmp_path / "out")
    for name in PUBLIC + RESTRICTED:
        assert scan(folder / name, folder, refdocs.CANARIES) == set(), name
        headers = _headers(folder / name)
        assert refdocs.LETTERHEAD in " ".join(headers["default"]), name
        assert refdocs.FIRST_PAGE in headers["first"], name
        assert refdocs.EVEN_PAGE in headers["even"], name
        restricted = name in RESTRICTED
        for header, paragraphs in headers.items():
            assert (paragraphs[0] == MARKING) == restricted, (name, header)
    for name in PUBLIC:
        assert scan(folder / name, folder, [SECRET]) == set(), name
