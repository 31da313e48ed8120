"""Pictures: check opens them as the build does; what check accepts renders in PDF and DOCX
alike, what it refuses fails its document with the same words; never a traceback."""

from __future__ import annotations

import base64
import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from briefgen import build
from briefgen.errors import PictureError
from briefgen.pictures import docx_picture, open_picture, read_picture
from tests.conftest import DATA, MINIMAL

Cli = Callable[..., tuple[int, str, str]]
PICTURES = DATA / "pictures"


# -- pictures made here (binary files are generated, not committed) --------------------------


def _png_chunks(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in chunks
    )


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    found, i = [], 8
    while i < len(png):
        size = int.from_bytes(png[i : i + 4], "big")
        found.append((png[i + 4 : i + 8], png[i + 8 : i + 8 + size]))
        i += 12 + size
    return found


def _blank_png(width: int, height: int) -> bytes:
    """A 1-bit black PNG of any size in a few kilobytes (it compresses to nothing)."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return _png_chunks([(b"IHDR", header), (b"IDAT", data), (b"IEND", b"")])


def _apng(damage: str) -> bytes:
    """A red-then-blue APNG whose first frame (``damage="first"``) or second frame
    (``"later"``) is damaged."""
    out = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), c) for c in ((200, 0, 0), (0, 0, 200))]
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
    chunks, controls = [], 0
    for kind, data in _chunks(out.getvalue()):
        if kind == b"IDAT" and damage == "first":
            data = data[:2] + b"\xff" * (len(data) - 2)
        if kind == b"fcTL":
            controls += 1
            if controls == 2 and damage == "later":
                data = struct.pack(">I", 99) + data[4:]  # frame sequence broken
        chunks.append((kind, data))
    return _png_chunks(chunks)


def _jpeg(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def _exif_only_jpeg(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """A camera-style JPEG: an EXIF block with these IFD entries and no JFIF header."""
    ifd = struct.pack(">H", len(entries))
    ifd += b"".join(struct.pack(">HHI", t, k, n) + v for t, k, n, v in entries) + bytes(4)
    app1 = b"Exif\x00\x00MM\x00\x2a" + struct.pack(">I", 8) + ifd
    data = _jpeg(Image.new("RGB", (40, 20), (255, 128, 0)))
    skip = 4 + int.from_bytes(data[4:6], "big")  # the JFIF header Pillow wrote
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[skip:]


def _zero_density_jfif() -> bytes:
    data = bytearray(_jpeg(Image.new("RGB", (40, 20), (255, 128, 0))))
    at = data.find(b"JFIF\x00")
    data[at + 7 : at + 12] = b"\x01\x00\x00\x00\x00"  # dots per inch, 0 × 0
    return bytes(data)


def _rotated_jpeg() -> bytes:
    """40 × 20 pixels, blue on the left, shown turned a quarter (EXIF orientation 6), with
    an EXIF artist that must not reach any output."""
    image = Image.new("RGB", (40, 20), (255, 160, 0))
    image.paste((0, 0, 255), (0, 0, 10, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x013B] = "Canary Photographer"
    return _jpeg(image, exif=exif.tobytes(), quality=95)


def _sixteen_bit_grey() -> bytes:
    image = Image.new("I;16", (64, 8))
    image.putdata([x * 65535 // 63 for x in range(64)] * 8)  # 0 ... 65535
    out = io.BytesIO()
    image.save(out, "PNG")
    assert Image.open(io.BytesIO(out.getvalue())).mode == "I;16"
    return out.getvalue()


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _palette_alpha() -> bytes:
    image = Image.new("P", (20, 20), 1)
    image.putpalette([0, 0, 0, 0, 120, 0])
    return _save(image, "PNG", transparency=0)


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (20, 20), c) for c in ((0, 120, 0), (200, 0, 0))]
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:])


def _huge_picture_inside_svg() -> bytes:
    png = base64.b64encode(_blank_png(7100, 7100)).decode()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image href="data:image/png;base64,{png}" width="10" height="10"/></svg>'
    ).encode()


MADE: dict[str, Callable[[], bytes]] = {
    "huge-inside.svg": _huge_picture_inside_svg,
    "bomb.png": lambda: _blank_png(60_000, 60_000),
    "damaged-first-frame.png": lambda: _apng("first"),
    "not-a-picture.png": lambda: b"Dear colleagues, ...",
    "logo.webp": lambda: _save(Image.new("RGB", (40, 20), (0, 160, 0)), "WEBP", lossless=True),
    "grey16.png": _sixteen_bit_grey,
    "zero-density.jpg": _zero_density_jfif,
    "exif-zero-resolution.jpg": lambda: _exif_only_jpeg(
        [(282, 3, 1, bytes(4)), (283, 3, 1, bytes(4)), (296, 3, 1, b"\x00\x02\x00\x00")]
    ),
    "exif-two-resolutions.jpg": lambda: _exif_only_jpeg(
        [(282, 3, 2, b"\x01\x2c\x00\x01"), (283, 3, 2, b"\x01\x2c\x00\x01")]
        + [(296, 3, 1, b"\x00\x03\x00\x00")]
    ),
    "rotated.jpg": _rotated_jpeg,
    "cmyk.jpg": lambda: _jpeg(Image.new("CMYK", (40, 20), (0, 100, 200, 0))),
    "palette-alpha.png": _palette_alpha,
    "later-frame-damaged.png": lambda: _apng("later"),
    "animated.gif": _animated_gif,
}


def _picture(name: str, folder: Path) -> Path:
    """Put picture ``name`` (from tests/data/pictures, or made here) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if name in MADE:
        target.write_bytes(MADE[name]())
    else:
        shutil.copy(PICTURES / name, target)
    return target


def _with_logo(folder: Path, name: str, campaign_id: str = "minimal") -> Path:
    _picture(name, folder)
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("  id: minimal\n", f"  id: {campaign_id}\n", 1)
    text = text.replace("  address: [Main", f"  logo: {name}\n  logo_alt: Logo\n  address: [Main")
    path = folder / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- refused: check and build say the same, in words -----------------------------------------

REFUSED = {
    "no-size.svg": "the SVG has no width or height; give it a viewBox",
    "not-xml.svg": "the SVG is not well-formed XML: expected '>' (line 1, column 75 of the SVG)",
    "empty.svg": "the file is empty",
    "recursive-use.svg": "the SVG refers to '#a' from inside '#a', an endless loop",
    "use-bomb.svg": "the SVG draws more than 50,000 shapes (counting each repeat of a <use>); "
    "simplify it",
    "outside-absolute.svg": "the SVG refers to a file outside the campaign folder: "
    "'file:///etc/hostname'",
    "http.svg": "the SVG refers to 'http://127.0.0.1:9/logo.png'; a picture may use only files "
    "from the campaign folder (embed it in the SVG, or save it next to the campaign file)",
    "external-entity.svg": "the SVG declares an external entity ('secret'), which would read "
    "another file; remove it",
    "use-other-file.svg": "the SVG uses 'shapes.svg#star' from another file; briefgen draws only "
    "SVGs that hold everything they draw",
    "tref-other-file.svg": "the SVG uses 'words.svg#greeting' from another file; briefgen draws "
    "only SVGs that hold everything they draw",
    "huge-inside.svg": "the SVG shows a picture that cannot be used (data:image/png;base64,"
    "iVBORw0K…): the picture is 50.4 million pixels (7100 × 7100); at most 40 million",
    "bomb.png": "the picture is 3600 million pixels (60000 × 60000); at most 40 million",
    "damaged-first-frame.png": "the PNG file is damaged or incomplete (broken data stream when "
    "reading image file)",
    "not-a-picture.png": "the file is not a picture briefgen can use (PNG, JPEG, GIF, WebP or SVG)",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_check_refuses_at_the_logo_line(name: str, tmp_path: Path, cli: Cli) -> None:
    path = _with_logo(tmp_path, name)
    code, out, err = cli("check", path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"{path}:11:9: error: organisation.logo: {REFUSED[name]}"]


def test_an_svg_may_not_reach_outside_the_campaign_folder(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "secret.png").write_bytes(_save(Image.new("RGB", (2, 2)), "PNG"))
    path = _with_logo(tmp_path / "campaign", "outside.svg")
    code, _out, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:11:9: error: organisation.logo: the SVG refers to a file outside the "
        "campaign folder: '../secret.png'"
    ]


def test_build_fails_each_document_with_the_words_check_uses(tmp_path: Path) -> None:
    # Pictures a template shows are not named in the campaign, so check cannot see them:
    # the build opens them the same way and fails the document that shows one.
    names = sorted(REFUSED)
    recipients = "".join(
        f"  - id: r{i}\n    name: {name}\n    role: other\n    address: [Street {i}]\n"
        for i, name in enumerate(names)
    )
    source = MINIMAL.read_text(encoding="utf-8")
    start, end = source.index("recipients:\n"), source.index("signatories:")
    text = f"{source[:start]}recipients:\n{recipients}{source[end:]}"
    text = text.replace("  language: en\n", "  language: en\n  templates: my-templates\n", 1)
    path = tmp_path / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    for name in names:
        _picture(name, tmp_path / "my-templates")
    (tmp_path / "my-templates" / "letter.html").write_text(
        '{% extends "base.html" %}{% block body %}'
        '<p><img src="{{ asset(recipient.name) }}" alt="Logo"></p>{% endblock %}',
        encoding="utf-8",
    )
    report = build([path], tmp_path / "out", formats=("pdf", "docx"), only="letters", jobs=2)
    assert not report.problems
    failures = {f.document: f.message for f in report.failures}
    assert failures == {
        f"letter to r{i}": f"picture 'my-templates/{name}': {REFUSED[name]}"
        for i, name in enumerate(names)
    }
    assert not list((tmp_path / "out").rglob("*.pdf"))


# -- accepted: the same picture in the PDF and the DOCX ----------------------------------------

ACCEPTED = [
    "illustrator-entities.svg",
    "opacity-percent.svg",
    "width-5000.svg",
    "logo.webp",
    "grey16.png",
    "zero-density.jpg",
    "exif-zero-resolution.jpg",
    "exif-two-resolutions.jpg",
    "rotated.jpg",
    "cmyk.jpg",
    "palette-alpha.png",
    "later-frame-damaged.png",
    "animated.gif",
]


def _pdf_image(pdf: Path) -> Image.Image | None:
    """The raster picture on the PDF's first page, as a reader decodes it."""
    with pikepdf.open(pdf) as document:
        for raw in document.pages[0].get_images().values():
            return pikepdf.PdfImage(raw).as_pil_image()
    return None


def _docx_picture(docx: Path) -> tuple[Image.Image, bytes, int, int]:
    """The picture in the DOCX, its bytes, and its size on the page (EMU)."""
    with zipfile.ZipFile(docx) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 1, media
        data = archive.read(media[0])
        body = archive.read("word/document.xml").decode()
    extent = re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', body)
    assert extent, body[:200]
    return Image.open(io.BytesIO(data)), data, int(extent[1]), int(extent[2])


def _page_colours(pdf: Path, tmp: Path) -> set[tuple[int, int, int]]:
    """The colours of the logo's corner of page 1, as poppler draws it (36 dpi)."""
    subprocess.run(
        ["pdftoppm", "-r", "36", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp / "page")],
        check=True,
        timeout=60,
    )
    page = Image.open(next(tmp.glob("page*.png"))).convert("RGB")
    return {c for _n, c in page.crop((0, 0, page.width // 2, page.height // 4)).getcolors(99999)}


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """Every accepted picture as the logo of its own campaign, all built in one go."""
    root = tmp_path_factory.mktemp("accepted")
    files = {name: _with_logo(root / f"c{i}", name, f"logo-{i}") for i, name in enumerate(ACCEPTED)}
    report = build(
        list(files.values()), root / "out", formats=("pdf", "docx"), recipients=["hr"], jobs=2
    )
    assert report.ok, (report.failures, report.problems)
    return root, {name: root / "out" / f"logo-{i}" / "letters" for i, name in enumerate(ACCEPTED)}


def test_check_accepts_the_common_formats(accepted: tuple[Path, dict[str, Path]], cli: Cli) -> None:
    root, _ = accepted
    code, _out, err = cli("check", *sorted(root.glob("c*/campaign.yaml")))
    assert (code, err) == (0, "ok: no problems found\n")


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_picture_is_in_the_pdf_and_the_docx(
    name: str, accepted: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    letters = accepted[1][name]
    pdf, docx = letters / "hr.pdf", letters / "hr.docx"
    picture, data, cx, cy = _docx_picture(docx)
    assert b"Exif" not in data
    assert b"Canary Photographer" not in pdf.read_bytes()
    assert cy == 504_000  # the letter template's 14 mm
    shown = _pdf_image(pdf)
    if name.endswith(".svg"):
        assert shown is None  # drawn as vectors in the PDF...
        assert picture.format == "PNG"  # ...and as a PNG at 300 dpi for 14 mm in Word
        assert picture.height == 166
        assert abs(picture.height - picture.width * cy / cx) <= 1
        colours = _page_colours(pdf, tmp_path)
        expected = {
            "illustrator-entities.svg": (204, 0, 0),
            "opacity-percent.svg": (128, 128, 230),
            "width-5000.svg": (0, 160, 0),
        }[name]
        assert any(all(abs(a - b) <= 12 for a, b in zip(c, expected, strict=True)) for c in colours)
        return
    assert shown is not None
    assert shown.size == picture.size
    assert cx == round(cy * picture.width / picture.height)
    if name == "grey16.png":  # 16-bit grey, scaled to 8 bits (not clipped to white)
        assert shown.mode == picture.mode == "L"
        assert shown.getpixel((0, 0)) == 0
        assert shown.getpixel((63, 0)) == 255
        assert shown.getpixel((32, 0)) == picture.getpixel((32, 0)) == 130  # 33288 / 257
    if name == "rotated.jpg":  # turned as EXIF says, in both
        assert shown.size == (20, 40)
        for image in (shown.convert("RGB"), picture.convert("RGB")):
            top, bottom = image.getpixel((10, 2)), image.getpixel((10, 37))
            assert top[2] > 200 > top[0]
            assert bottom[0] > 200 > bottom[2]
    if name == "cmyk.jpg":
        for image in (shown.convert("RGB"), picture.convert("RGB")):
            red, green, blue = image.getpixel((5, 5))
            assert (red > 240, 130 < green < 170, 30 < blue < 80) == (True, True, True)
    if name in ("later-frame-damaged.png", "animated.gif"):  # the first frame, in both
        assert getattr(picture, "n_frames", 1) == 1
        assert shown.convert("RGB").getpixel((5, 5)) == picture.convert("RGB").getpixel((5, 5))


def test_pictures_are_made_the_same_way_every_time(tmp_path: Path) -> None:
    for name in ACCEPTED:
        path = _picture(name, tmp_path)
        first = open_picture(path, [tmp_path]).data
        path.write_bytes(path.read_bytes())  # a new time: opened again, not from memory
        assert open_picture(path, [tmp_path]).data == first
        assert read_picture(path.read_bytes(), [tmp_path]).data == first


def test_rasterising_an_svg_for_word_is_bounded(tmp_path: Path) -> None:
    picture = open_picture(_picture("width-5000.svg", tmp_path), [tmp_path])
    data, width, height = docx_picture(picture, 14.0)
    assert Image.open(io.BytesIO(data)).size == (166, 166)
    assert (width, height) == (504_000, 504_000)
    # A picture as tall as the page: 300 dpi, but never past 4,000 pixels a side.
    data, _w, _h = docx_picture(picture, 1000.0)
    assert Image.open(io.BytesIO(data)).size == (4000, 4000)
    # Natural size (5,000 CSS pixels = 52 inches): Word's 22 inches at most.
    data, width, height = docx_picture(picture, None)
    assert (width, height) == (22 * 914_400, 22 * 914_400)
    assert Image.open(io.BytesIO(data)).size == (4000, 4000)


def test_svg_is_normalised_for_every_renderer(tmp_path: Path) -> None:
    svg = open_picture(_picture("illustrator-entities.svg", tmp_path), [tmp_path]).data
    assert b"<!DOCTYPE" not in svg
    assert b"&ns_svg;" not in svg
    assert b'xmlns="http://www.w3.org/2000/svg"' in svg
    assert b"adobe_illustrator_pgf" not in svg  # the editor's notes and metadata go
    opacity = open_picture(_picture("opacity-percent.svg", tmp_path), [tmp_path]).data
    assert b'fill-opacity="0.5"' in opacity


def test_an_svg_embeds_a_picture_next_to_it(tmp_path: Path, cli: Cli) -> None:
    # A linked picture (as editors save "linked" images) is checked like the logo itself and
    # embedded, so every renderer draws the same; a change to it renders the logo again.
    (tmp_path / "photo.png").write_bytes(_sixteen_bit_grey())
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="8">'
        '<image href="photo.png" width="64" height="8"/></svg>',
        encoding="utf-8",
    )
    picture = open_picture(tmp_path / "logo.svg", [tmp_path])
    assert picture.files == (tmp_path / "logo.svg", tmp_path / "photo.png")
    assert b"data:image/png;base64," in picture.data
    (tmp_path / "photo.png").write_bytes(b"")
    with pytest.raises(PictureError) as refused:
        open_picture(tmp_path / "logo.svg", [tmp_path])
    assert str(refused.value) == (
        "picture 'logo.svg': the SVG shows a picture that cannot be used (photo.png): "
        "the file is empty"
    )


def test_a_changed_picture_is_shown_by_the_next_build_in_this_process(tmp_path: Path) -> None:
    # build --watch builds again in the same process; the logo an SVG embeds changes.
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
        '<image href="photo.png" width="8" height="8"/></svg>',
        encoding="utf-8",
    )
    path = _with_logo(tmp_path, "logo.webp")
    out = tmp_path / "out"
    for colour in ((200, 0, 0), (0, 0, 200)):
        (tmp_path / "logo.webp").write_bytes(
            _save(Image.new("RGB", (8, 8), colour), "WEBP", lossless=True)
        )
        report = build([path], out, formats=("pdf", "docx"), recipients=["hr"], jobs=1)
        assert report.rendered == 1
        shown = _pdf_image(out / "minimal" / "letters" / "hr.pdf")
        assert shown is not None
        assert shown.convert("RGB").getpixel((1, 1)) == colour
        picture = _docx_picture(out / "minimal" / "letters" / "hr.docx")[0]
        assert picture.convert("RGB").getpixel((1, 1)) == colour
    path.write_text(
        path.read_text(encoding="utf-8").replace("logo: logo.webp", "logo: logo.svg"),
        encoding="utf-8",
    )
    for colour in ((0, 150, 0), (150, 0, 150)):
        (tmp_path / "photo.png").write_bytes(_save(Image.new("RGB", (8, 8), colour), "PNG"))
        report = build([path], out, formats=("docx",), recipients=["hr"], jobs=1)
        assert report.rendered == 1  # the picture inside the SVG is part of the cache key
        picture = _docx_picture(out / "minimal" / "letters" / "hr.docx")[0]
        assert picture.convert("RGB").getpixel((80, 80)) == colour


def test_what_weasyprint_only_logs_fails_the_document(tmp_path: Path) -> None:
    # WeasyPrint logs an SVG it cannot draw and prints the page without it.
    import logging

    from briefgen.errors import RenderError
    from briefgen.write.pdf import weasyprint_errors

    url = (tmp_path / "logo.svg").as_uri()
    with pytest.raises(RenderError) as failed, weasyprint_errors([tmp_path]):
        logging.getLogger("weasyprint").error("Failed to render SVG image %s", url)
    assert str(failed.value) == "picture 'logo.svg' cannot be drawn in the PDF"
    with pytest.raises(RenderError) as failed, weasyprint_errors([tmp_path]):
        logging.getLogger("weasyprint").error("Failed to load image at %r: %s", url, "broken")
    assert str(failed.value) == "picture 'logo.svg' cannot be loaded (broken)"
