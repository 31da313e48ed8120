"""Photos and figures in the brief: cover, figures of sections and cases, their alt text,
captions and credits in every format, restricted figures only in restricted editions, and no
hidden metadata (camera, artist, GPS, thumbnail, XMP, IPTC, comments) in any output."""

from __future__ import annotations

import base64
import contextlib
import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from PIL import Image

from briefgen import build, raster
from briefgen.pictures import open_picture, print_pixels
from tests.conftest import DATA
from tests.figure_pictures import CANARIES, GPS_LATITUDE, camera_jpeg, chart_png, make
from tests.validators import docx_errors, elements, missing_styles, pdf_failures

Cli = Callable[..., tuple[int, str, str]]
FIGURES = DATA / "figures" / "campaign.yaml"
ALTS = {
    "cover": "A crowd of journalists holding up their press cards in front of a court building.",
    "chart": "Bar chart of journalists detained each year, rising from 2 in 2020 to 11 in 2024.",
    "tall": "A portrait photo of the newsroom door, sealed by the police.",
    "safe": "Photo of the safe house where Zəhra Gizli-Canary is hiding.",
    "case": "Timeline of the case of Makhabat Tazhibek kyzy from arrest to sentence.",
    "secret": "Letter from the prison of the restricted-case-figure.",
}
PUBLIC_ALTS = [ALTS[k] for k in ("cover", "chart", "tall", "case")]
RESTRICTED_ALTS = [ALTS[k] for k in ("cover", "chart", "tall", "safe", "case", "secret")]
COVER_CAPTION = (
    "Journalists of Kloop and Temirov Live protest outside the Pervomaisky District Court in "
    "Bishkek after the verdict against their colleagues, 10 October 2024. "
    "© 2024 Aigerim Tursunbaeva-Kydyrmyshova"
)
PUBLIC_CAPTIONS = [
    COVER_CAPTION,
    "Figure 1. Journalists detained each year, 2020–2024. "
    "Source: Central Asia Rights Watch monitoring",
    "Figure 2. The sealed newsroom of Temirov Live. © 2024 Central Asia Rights Watch (CC BY 4.0)",
    "Figure 3. From arrest to sentence in nine months.",
]
RESTRICTED_CAPTIONS = [
    *PUBLIC_CAPTIONS[:3],
    "Figure 3. Restricted-only caption: the safe house. © 2024 Secret Photographer",
    "Figure 4. From arrest to sentence in nine months.",
    "Figure 5. Restricted case figure caption.",
]
RESTRICTED_ONLY = ("safe house", "Secret Photographer", "restricted-case-figure", "Restricted case")
NEVER = ("Withheld-case-figure", "Withheld case figure", "Xylo")


def figures_campaign(folder: Path, extra: str = "") -> Path:
    """The figures campaign and its pictures in ``folder`` (``extra``: lines added under
    ``campaign:``)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = FIGURES.read_text(encoding="utf-8")
    if extra:
        text = text.replace("campaign:\n", f"campaign:\n{extra}", 1)
    path = folder / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    make(folder)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("figures")
    path = figures_campaign(folder / "campaign")
    report = build([path], folder / "out", formats=("pdf", "docx", "html"), only="brief", jobs=1)
    assert not report.failures
    assert not report.problems
    return folder / "out" / "figures"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", "-")).strip()


def pdf_captions(path: Path) -> list[str]:
    """The captions the PDF's structure tree holds, in reading order, as a reader hears them."""
    text = _normal(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    found = []
    for caption in {*PUBLIC_CAPTIONS, *RESTRICTED_CAPTIONS}:
        at = text.find(caption)
        if at >= 0:
            found.append((at, caption))
    return [caption for _at, caption in sorted(found)]


def docx_captions(path: Path) -> list[str]:
    return [_normal(p.text) for p in Document(str(path)).paragraphs if p.style.name == "Caption"]


def docx_alts(path: Path) -> list[str]:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)


def pdf_figures(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [str(e.Alt) for e in elements(pdf) if e.S == "/Figure"]


# -- what a reader sees ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_captions_credits_and_alt_text_in_pdf_docx_and_html(built: Path, edition: str) -> None:
    captions = PUBLIC_CAPTIONS if edition == "public" else RESTRICTED_CAPTIONS
    alts = PUBLIC_ALTS if edition == "public" else RESTRICTED_ALTS
    pdf, docx, html = (built / f"brief.{edition}.en.{ext}" for ext in ("pdf", "docx", "html"))
    # The same figures in the same order: caption and credit printed as written, numbered.
    assert pdf_captions(pdf) == captions
    assert docx_captions(docx) == captions
    # In Word the number is a SEQ Figure field (what "Insert Table of Figures" and
    # cross-references count), showing the number until Word updates it.
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    numbered = [c for c in captions if re.match(r"Figure \d+\.", c)]
    assert numbered
    assert xml.count('<w:instrText xml:space="preserve"> SEQ Figure \\* ARABIC </w:instrText>') == (
        len(numbered)
    )
    # Alt text: PDF structure tree (Figure elements), Word's descr, HTML alt.
    assert pdf_figures(pdf) == alts
    assert docx_alts(docx) == alts
    page = html.read_text(encoding="utf-8")
    assert re.findall(r'<img src="data:image/[^"]+" alt="([^"]*)"', page) == alts
    figcaptions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S)
    assert [_normal(re.sub(r"<[^>]+>", "", c)) for c in figcaptions] == captions


@pytest.mark.slow
def test_restricted_figures_only_in_restricted_editions(built: Path) -> None:
    for path in sorted(built.glob("brief.*")):
        if path.suffix == ".pdf":
            text = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout + " ".join(pdf_figures(path))
        elif path.suffix == ".docx":
            text = " ".join(docx_captions(path) + docx_alts(path))
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
        else:
            continue
        text = _normal(text)
        for words in NEVER:
            assert words not in text, path.name
        for words in RESTRICTED_ONLY:
            assert (words in text) == (".restricted." in path.name), (path.name, words)


@pytest.mark.slow
def test_figures_pass_pdf_ua_and_openxml_validators(built: Path) -> None:
    for edition in ("public", "restricted"):
        assert pdf_failures(built / f"brief.{edition}.en.pdf") == []
        docx = built / f"brief.{edition}.en.docx"
        assert docx_errors(docx) + missing_styles(docx) == []


# -- no hidden metadata ---------------------------------------------------------------------


def pdf_streams(path: Path) -> list[bytes]:
    """Every stream of the PDF, decompressed where it can be (pictures as stored)."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                with contextlib.suppress(pikepdf.PdfError):  # DCT: the JPEG file itself
                    found.append(obj.read_bytes())
                found.append(obj.read_raw_bytes())
    return found


def embedded_pictures(path: Path) -> list[bytes]:
    """The picture files an output carries."""
    if path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            return [
                obj.read_raw_bytes()
                for obj in pdf.objects
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
            ]
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            return [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    page = path.read_text(encoding="utf-8")
    return [base64.b64decode(m) for m in re.findall(r"data:image/[a-z+]+;base64,([^\"')]+)", page)]


def leftovers(data: bytes) -> list[bytes]:
    return [canary for canary in CANARIES if canary in data]


@pytest.mark.slow
def test_no_camera_artist_gps_or_other_metadata_in_any_output(built: Path) -> None:
    source = (built.parent.parent / "campaign" / "photo.jpg").read_bytes()
    assert leftovers(source) == list(CANARIES)  # the test picture carries every kind
    with Image.open(built.parent.parent / "campaign" / "photo.jpg") as photo:
        assert photo.getexif().get_ifd(0x8825)[2] == GPS_LATITUDE  # and the GPS position
    for path in sorted(built.glob("brief.*")):
        if path.suffix not in (".pdf", ".docx", ".html"):
            continue
        parts = [path.read_bytes()]
        if path.suffix == ".pdf":
            parts += pdf_streams(path)
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                parts += [package.read(n) for n in package.namelist()]
        pictures = embedded_pictures(path)
        assert len(pictures) >= 3, path.name
        parts += pictures
        assert [leftovers(p) for p in parts if leftovers(p)] == [], path.name
        for picture in pictures:
            if picture.startswith(b"\xff\xd8"):  # one JPEG: no thumbnail inside it
                assert picture.count(b"\xff\xd8\xff") == 1, path.name
            elif not picture.startswith(b"\x89PNG"):
                continue  # a PDF's own image stream (pixels only)
            with Image.open(io.BytesIO(picture)) as image:
                assert not image.getexif(), path.name
                assert not {"exif", "xmp", "photoshop", "comment", "icc_profile"} & set(
                    image.info
                ), path.name


@pytest.mark.slow
def test_an_archival_pdf_and_its_attachment_carry_no_picture_metadata(tmp_path: Path) -> None:
    path = figures_campaign(tmp_path / "campaign", "  pdf_variant: pdf/a-3b\n")
    report = build([path], tmp_path / "out", formats=("pdf",), only="brief", jobs=1)
    assert not report.failures
    for pdf in sorted((tmp_path / "out" / "figures").glob("*.pdf")):
        with pikepdf.open(pdf) as document:
            attached = [f.get_file().read_bytes() for f in document.attachments.values()]
        if ".restricted." in pdf.name:
            assert len(attached) == 1  # the campaign file
        assert pdf_failures(pdf) == [], pdf.name  # no picture asks to be smoothed
        parts = [pdf.read_bytes(), *pdf_streams(pdf), *attached]
        assert [leftovers(p) for p in parts if leftovers(p)] == [], pdf.name


# -- made for print ---------------------------------------------------------------------


@pytest.mark.slow
def test_photos_are_made_for_their_printed_size_and_turned_upright(built: Path) -> None:
    source = built.parent.parent / "campaign"
    with pikepdf.open(built / "brief.public.en.pdf") as pdf:
        sizes = {
            (int(obj.Width), int(obj.Height)): len(obj.read_raw_bytes())
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        }
    # The 4000 × 3000 cover, printed 120 mm wide (90 mm high), keeps 300 dpi: 1418 pixels.
    assert (print_pixels(120.0), 1064) in sizes
    assert sizes[(1418, 1064)] < (source / "photo.jpg").stat().st_size / 10
    # Stored 1500 × 1000 with EXIF orientation 6: shown 1000 wide, 1500 high, printed
    # 76.7 mm wide (115 mm high): 906 × 1359.
    assert (906, 1359) in sizes
    assert (1500, 1000) not in sizes
    assert (4000, 3000) not in sizes
    with zipfile.ZipFile(built / "brief.public.en.docx") as package:
        media = [package.read(n) for n in sorted(package.namelist()) if "media/" in n]
    assert sorted(Image.open(io.BytesIO(m)).size for m in media) == sorted(sizes)


def test_decoding_a_camera_jpeg_keeps_the_picture_and_nothing_else() -> None:
    data = camera_jpeg(800, 600, orientation=8)
    out, media_type, width, height = raster.decode(data, max_width=300)
    assert (media_type, width, height) == ("image/jpeg", 300, 400)  # turned, then made smaller
    assert leftovers(out) == []
    assert out.count(b"\xff\xd8\xff") == 1
    # At its own size and upright, a JPEG keeps its compressed picture; only metadata goes.
    plain = camera_jpeg(640, 480)
    kept, _type, *size = raster.decode(plain)
    assert size == [640, 480]
    assert leftovers(kept) == []
    png, png_type, *_size = raster.decode(chart_png())
    assert png_type == "image/png"
    assert leftovers(png) == []


def test_a_picture_printed_narrow_is_opened_smaller(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(camera_jpeg(2000, 1000))
    assert open_picture(path, [tmp_path]).width == 2000
    assert open_picture(path, [tmp_path], width_mm=50.8).width == 600  # 2 inches at 300 dpi


# -- check ---------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_treats_a_public_caption_and_alt_text_as_public_text(
    tmp_path: Path, cli: Cli
) -> None:
    path = figures_campaign(tmp_path)
    assert cli("check", path)[0] == 0  # the restricted figure may name the restricted case
    _edit(
        path,
        "caption: The sealed newsroom of Temirov Live.",
        "caption: The sealed newsroom, where Zəhra Gizli-Canary worked.",
    )
    _edit(
        path, "alt: Bar chart of journalists", "alt: Zəhra Gizli-Canary's bar chart of journalists"
    )
    code, out, err = cli("check", path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:31:16: error: brief.sections[0].figures[0].alt: this text would name the "
        "restricted case cases[1]; remove that name from the text",
        f"{path}:36:47: error: brief.sections[0].figures[1].caption: this text would name "
        "the restricted case cases[1]; remove that name from the text",
    ]


def test_check_requires_alt_text_and_a_usable_picture(tmp_path: Path, cli: Cli) -> None:
    path = figures_campaign(tmp_path)
    text = path.read_text(encoding="utf-8")
    alt = "          alt: A portrait photo of the newsroom door, sealed by the police.\n"
    path.write_text(text.replace(alt, ""), encoding="utf-8")
    assert cli("check", path) == (
        1,
        "",
        f"{path}:34:11: error: brief.sections[0].figures[1].alt: required field missing\n",
    )
    path.write_text(text, encoding="utf-8")
    (tmp_path / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    damaged = "the PNG file is damaged or incomplete"
    assert cli("check", path) == (
        1,
        "",
        f"{path}:30:17: error: brief.sections[0].figures[0].file: {damaged}\n"
        f"{path}:54:15: error: cases[0].figures[0].file: {damaged}\n"
        f"{path}:62:15: error: cases[1].figures[0].file: {damaged}\n"
        f"{path}:70:15: error: cases[2].figures[0].file: {damaged}\n",
    )
