"""The example campaign's PDFs, read back as a reader sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from briefgen import load_campaign
from briefgen.plan import letters
from tests.conftest import (
    EXAMPLE,
    docx_text,
    en,
    height_of,
    pdf_pages,
    pdf_text,
    text_heights,
)

CAMPAIGN = load_campaign(EXAMPLE)
LETTERS = letters(CAMPAIGN)
PUBLIC_CASES = [en(c.name) for c in CAMPAIGN.cases if c.visibility == "public"]
RESTRICTED_CASES = [en(c.name) for c in CAMPAIGN.cases if c.visibility == "restricted"]
MARKING = "Restricted — not for publication"


def test_example_has_what_the_issue_asks_for() -> None:
    roles = {r.role for r in CAMPAIGN.recipients}
    assert {"high-representative", "special-representative", "mep", "head-of-delegation"} <= roles
    assert len(CAMPAIGN.demands) == 3
    assert RESTRICTED_CASES, "the example must show the restricted mechanism"
    restricted = next(c for c in CAMPAIGN.cases if c.visibility == "restricted")
    assert "not a real person" in en(restricted.summary)


@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_brief_shows_every_demand_and_visible_case(example_output: Path, edition: str) -> None:
    text = pdf_text(example_output / f"brief.{edition}.en.pdf")
    assert en(CAMPAIGN.brief.title) in text
    for demand in CAMPAIGN.demands:
        assert en(demand.title) in text
    for name in PUBLIC_CASES:
        assert name in text
    for source in CAMPAIGN.sources:
        assert en(source.publisher)
        assert en(source.publisher) in text
    assert "4 March 2020" in text  # the campaign date, printed for the reader
    assert "Recommendations" in text
    assert "Annex: cases" in text
    assert "Sources" in text


def test_public_brief_never_names_a_restricted_case(example_output: Path) -> None:
    pdf = example_output / "brief.public.en.pdf"
    text = pdf_text(pdf)
    for name in RESTRICTED_CASES:
        assert name not in text
        assert name.split()[0] not in text
    # One case restricted in this file, and one that the 2021 round (beside it) restricted.
    assert len(RESTRICTED_CASES) == 2
    assert "2 further cases were shared with officials in confidence" in text
    raw = pikepdf.open(pdf)
    assert all(name not in str(raw.docinfo.get("/Title")) for name in RESTRICTED_CASES)


def test_restricted_brief_names_the_restricted_case_and_is_marked(example_output: Path) -> None:
    pages = pdf_pages(example_output / "brief.restricted.en.pdf")
    assert len(pages) >= 2
    for name in RESTRICTED_CASES:
        assert name in " ".join(pages)
    for number, page in enumerate(pages, 1):
        assert MARKING.upper() in page.upper(), f"page {number} lacks the marking"
    public_pages = pdf_pages(example_output / "brief.public.en.pdf")
    assert all(MARKING.upper() not in page.upper() for page in public_pages)


@pytest.mark.parametrize(
    ("letter", "salutation", "demands"),
    [
        ("high-representative", "Dear High Representative,", "all"),
        ("eusr-human-rights", "Dear Special Representative,", "all"),
        (
            "european-parliament-droi",
            "Dear Chair, dear Ms Neumann,",
            ["release-detained", "free-civil-society"],
        ),
        ("head-of-delegation-baku", "Dear Ambassador,", ["lift-travel-bans", "free-civil-society"]),
        ("commissioner-neighbourhood", "Dear Commissioner,", ["free-civil-society"]),  # by tag
    ],
)
def test_letter_salutation_and_content(
    example_output: Path, letter: str, salutation: str, demands: str | list[str]
) -> None:
    planned = next(item for item in LETTERS if item.id == letter)
    text = pdf_text(example_output / "letters" / f"{letter}.pdf")
    word = docx_text(example_output / "letters" / f"{letter}.docx")
    for seen in (text, word):  # what a reader sees in the PDF and in Word
        assert salutation in seen
        for person in planned.to:
            assert en(person.name) in seen
            for line in person.address:
                assert en(line) in seen
    assert "EU–Azerbaijan Human Rights Dialogue, Brussels, 5 March 2020" in text  # subject
    assert "Brussels, 4 March 2020" in text  # place and date
    wanted = [d.id for d in CAMPAIGN.demands] if demands == "all" else demands
    for demand in CAMPAIGN.demands:
        assert (en(demand.title) in text) == (demand.id in wanted), demand.id
    for signatory in CAMPAIGN.signatories:
        assert en(signatory.name) in text
    assert "Yours sincerely," in text
    assert "We, the undersigned organisations," in text
    for organisation in CAMPAIGN.co_signers:
        assert en(organisation) in text
    for name in RESTRICTED_CASES:
        assert (name in text) == (planned.edition == "restricted")


def test_reason_and_cc_are_printed(example_output: Path) -> None:
    text = pdf_text(example_output / "letters" / "commissioner-neighbourhood.pdf")
    assert (
        "We, the undersigned organisations, are writing to you as the Commissioner "
        "responsible for EU funding to civil society in the Eastern Partnership."
    ) in text
    text = pdf_text(example_output / "letters" / "high-representative.pdf")
    assert "cc: Managing Director for Europe and Central Asia, EEAS" in text
    assert "md-europe@example.org" not in text


def test_letter_note_only_in_its_own_letter(example_output: Path) -> None:
    note_start = "We would be grateful if you raised these cases"
    assert note_start in pdf_text(example_output / "letters" / "european-parliament-droi.pdf")
    assert note_start not in pdf_text(example_output / "letters" / "high-representative.pdf")


def test_letters_fit_and_brief_pages(example_output: Path) -> None:
    # Four pages since the example gained two public cases for its next round (issue 23).
    assert len(PdfReader(example_output / "brief.public.en.pdf").pages) == 4
    letter = example_output / "letters" / "commissioner-neighbourhood.pdf"
    assert len(PdfReader(letter).pages) == 1
    assert "Page 1 of 1" in pdf_pages(letter)[0]


def test_page_numbers_on_every_page(example_output: Path) -> None:
    pages = pdf_pages(example_output / "brief.public.en.pdf")
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page


def test_pdf_metadata_and_page_size(example_output: Path) -> None:
    pdf = pikepdf.open(example_output / "brief.public.en.pdf")
    assert str(pdf.docinfo["/Title"]) == en(CAMPAIGN.brief.title)
    assert str(pdf.docinfo["/Author"]) == "Rights Dialogue Europe"
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo["/CreationDate"]).startswith("D:20200304")
    width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    letter = pikepdf.open(example_output / "letters" / "european-parliament-droi.pdf")
    assert "Hannah Neumann" in str(letter.docinfo["/Title"])


def test_fonts_are_the_bundled_ones_and_embedded(example_output: Path) -> None:
    pdf = pikepdf.open(example_output / "brief.restricted.en.pdf")
    fonts = set()
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            fonts.add(str(font.BaseFont).split("+")[-1])
            assert "/FontFile2" in descendant.FontDescriptor
    assert fonts <= {
        "Noto-Serif",
        "Noto-Serif-Bold",
        "Noto-Serif-Italic",
        "Noto-Serif-BoldItalic",
        "Noto-Sans",
        "Noto-Sans-Bold",
    }, fonts
    # ə in the restricted case name must be drawn, not dropped.
    assert "Nəsibova" in pdf_text(Path(pdf.filename))


def test_manifest_lists_every_file_with_hash(example_output: Path) -> None:
    import hashlib

    manifest = json.loads((example_output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["campaign"] == "eu-azerbaijan-2020"
    paths = {f["path"] for f in manifest["files"]}
    formats = ("pdf", "docx", "html")
    expected = {
        f"brief.{e}.{lang}.{x}"
        for e in ("public", "restricted")
        for lang in ("en", "fr", "az")
        for x in formats
    }
    expected |= {f"letters/{item.id}.{x}" for item in LETTERS for x in formats}
    # E-mail drafts for the letters whose recipients have an address.
    expected |= {f"letters/{item.id}.eml" for item in LETTERS if any(r.email for r in item.to)}
    assert paths == expected
    on_disk = {p.relative_to(example_output).as_posix() for p in example_output.rglob("*.*")}
    assert on_disk == expected | {"manifest.json", ".briefgen-cache.json"}
    for entry in manifest["files"]:
        data = (example_output / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert entry["format"] == entry["path"].rsplit(".", 1)[1]
        if entry["kind"] == "letter":
            letter = next(item for item in LETTERS if item.id == entry["recipient"])
            assert entry["edition"] == letter.edition
            assert entry["language"] == letter.language
        else:
            assert entry["kind"] == "brief"
            assert entry["recipient"] is None
            assert entry["path"].startswith(f"brief.{entry['edition']}.{entry['language']}.")


def test_letter_and_cover_blocks_do_not_overlap(example_output: Path) -> None:
    """The letterhead, the address blocks and the subject line follow each other downwards."""
    chunks = text_heights(example_output / "letters" / "european-parliament-droi.pdf")
    order = [
        "https://",  # the website: a URL, in pieces that break only at its boundaries
        "Maria Arena",
        "Hannah Neumann",
        "Re: EU–Azerbaijan",
        "Dear Chair, dear Ms",  # the name itself is a chunk of its own (never hyphenated)
    ]
    heights = [height_of(chunks, needle) for needle in order]
    assert heights == sorted(heights, reverse=True), heights
    assert height_of(chunks, "4\u00a0March\u00a02020") > height_of(chunks, "Hannah Neumann")
    cover = text_heights(example_output / "brief.public.en.pdf")
    assert height_of(cover, "POLICY BRIEF") > height_of(cover, "EU Should Press Azerbaijan")
