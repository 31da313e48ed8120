"""The HTML output: self-contained, small, its fonts complete, and WeasyPrint prints it alone
to the same pages as briefgen's PDF."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import weasyprint
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefgen import build
from briefgen.write import fonts
from briefgen.write.font_usage import Face, match
from tests.conftest import DATA, pdf_pages

SCRIPTS = DATA / "many-scripts.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
LIMIT = 120_000
"""Bytes an HTML letter may weigh (issue 22)."""


@pytest.fixture(scope="module")
def scripts_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/many-scripts.yaml (Latin, Cyrillic, Greek; three languages) in HTML and
    PDF; returns its campaign folder."""
    out = tmp_path_factory.mktemp("scripts")
    report = build([SCRIPTS], out, formats=("pdf", "html"), jobs=1)
    assert report.ok, (report.failures, report.problems)
    return out / "many-scripts"


def _faces(html: str) -> list[TTFont]:
    return [
        TTFont(io.BytesIO(base64.b64decode(data)))
        for data in re.findall(r'url\("data:font/woff;base64,([^"]+)"\)', html)
    ]


def test_html_is_self_contained(example_output: Path) -> None:
    html = (example_output / "brief.restricted.en.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert "file:" not in html
    assert "<link" not in html  # styles are inlined
    assert len(_faces(html)) == 6
    assert 'src="data:image/svg+xml;base64,' in html  # the logo


def test_html_letters_stay_small_and_carry_every_glyph(scripts_output: Path) -> None:
    letters = sorted((scripts_output / "letters").glob("*.html"))
    assert [p.name for p in letters] == ["gulnara.html", "ilqar.html", "jean.html"]
    for path in letters:
        assert path.stat().st_size < LIMIT, (path.name, path.stat().st_size)
    html = (scripts_output / "letters" / "gulnara.html").read_text(encoding="utf-8")
    faces = {
        (font["name"].getDebugName(1), font["name"].getDebugName(2)): font for font in _faces(html)
    }
    assert sorted(faces) == [
        ("Noto Sans", "Bold"),
        ("Noto Sans", "Regular"),
        ("Noto Serif", "Bold"),
        ("Noto Serif", "Bold Italic"),
        ("Noto Serif", "Italic"),
        ("Noto Serif", "Regular"),
    ]
    for font in faces.values():
        assert font.flavor == "woff"
        assert "fpgm" not in font  # no hinting: WeasyPrint lays out without it too
        assert font["name"].getDebugName(13).startswith("This Font Software is licensed")
    regular = faces["Noto Serif", "Regular"].getBestCmap()
    # Body text: Kazakh and Greek case names, Azerbaijani, the rarer signs of the note.
    for char in "ҚұӘΠαδəĞŒŽ½№‰†":
        assert ord(char) in regular, char
    # Bold serif sets the recipient's name; italic faces carry no Cyrillic they never show.
    assert ord("Ğ") in faces["Noto Serif", "Bold"].getBestCmap()
    assert ord("Қ") not in faces["Noto Serif", "Bold Italic"].getBestCmap()
    # What CSS prints in the page margins (the organisation's name) is in every face.
    for font in faces.values():
        assert ord("Ō") in font.getBestCmap()


def test_html_builds_are_byte_identical(scripts_output: Path, tmp_path: Path) -> None:
    again = build([SCRIPTS], tmp_path, formats=("html",), jobs=1)
    assert again.ok
    for path in sorted(scripts_output.rglob("*.html")):
        relative = path.relative_to(scripts_output)
        assert (tmp_path / "many-scripts" / relative).read_bytes() == path.read_bytes()


def _pixels(pdf: Path, prefix: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True)
    return [p.read_bytes() for p in sorted(prefix.parent.glob(f"{prefix.name}-*.png"))]


@pytest.mark.slow
def test_weasyprint_prints_the_html_alone_to_the_same_pages(
    example_output: Path, scripts_output: Path, tmp_path: Path
) -> None:
    cases = [
        (example_output, "brief.public.en"),
        (example_output, "letters/eusr-human-rights"),
        (scripts_output, "letters/gulnara"),
        (scripts_output, "brief.restricted.az"),
    ]
    for number, (folder, name) in enumerate(cases):
        moved = tmp_path / f"elsewhere{number}.html"  # away from the campaign and templates
        moved.write_bytes((folder / f"{name}.html").read_bytes())
        pdf = tmp_path / f"alone{number}.pdf"
        weasyprint.HTML(filename=moved).write_pdf(pdf)
        # briefgen's PDF maps the hyphens WeasyPrint adds at line ends to soft hyphens.
        alone = [page.replace("\u2010", "\u00ad") for page in pdf_pages(pdf)]
        assert alone == pdf_pages(folder / f"{name}.pdf")
        assert len(PdfReader(pdf).pages) == len(PdfReader(folder / f"{name}.pdf").pages)
        # The same glyphs in the same places: the pages are identical pixel for pixel.
        alone_pixels = _pixels(pdf, tmp_path / f"alone{number}")
        built = _pixels(folder / f"{name}.pdf", tmp_path / f"built{number}")
        assert alone_pixels == built, name


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("BRIEFGEN_REQUIRE_BROWSER"),
    reason="no chromium here (CI installs it and sets BRIEFGEN_REQUIRE_BROWSER)",
)
def test_a_letter_opened_from_its_folder_shows_its_own_fonts(scripts_output: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "BRIEFGEN_REQUIRE_BROWSER is set but chromium is not installed"
    letter = scripts_output / "letters" / "gulnara.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            requests: list[str] = []
            failed: list[str] = []
            page.on("request", lambda request: requests.append(request.url[:60]))
            page.on("requestfailed", lambda request: failed.append(request.url[:60]))
            page.goto(letter.as_uri())
            statuses = page.evaluate(
                "document.fonts.ready.then(() => Array.from(document.fonts)"
                ".map(f => `${f.family} ${f.weight} ${f.style}: ${f.status}`))"
            )
            assert not failed
            assert all(url.startswith(("file:", "data:")) for url in requests), requests
            assert len(statuses) == 6
            assert not [s for s in statuses if s.endswith("error")], statuses
            assert "Noto Serif 400 normal: loaded" in statuses
            # Every element's text is drawn with the embedded faces: a character missing
            # from a subset would be drawn with a system font instead.
            cdp = page.context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": -1})["root"]
            nodes = cdp.send(
                "DOM.querySelectorAll", {"nodeId": root["nodeId"], "selector": "body *"}
            )["nodeIds"]
            drawn: dict[tuple[str, bool], int] = {}
            for node in nodes:
                for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                    key = (font["familyName"], font["isCustomFont"])
                    drawn[key] = drawn.get(key, 0) + font["glyphCount"]
            assert set(drawn) == {("Noto Serif", True), ("Noto Sans", True)}, drawn
            assert drawn["Noto Serif", True] > 1000
            text = page.inner_text("body")
            assert "Қайрат Жұмабекұлы Нұрсұлтанов-Әбішев" in text
            assert "Αλέξανδρος Παπαδόπουλος-Χατζηδάκης" in text
        finally:
            browser.close()


def test_css_features_are_kept_in_the_subsets() -> None:
    html = (
        '<style>p { font-variant: small-caps } .n { font-feature-settings: "onum" 1 }</style>'
        '<p style="font-variant-numeric: proportional-nums">Text 123</p>'
    )
    assert fonts.features(html) == {"smcp", "onum", "pnum"}
    assert fonts.features("<style>p { font: 700 9pt serif }</style>") == frozenset()
    # Small capitals (or text-transform) may show the other case of every letter.
    assert "ğ" in fonts.characters(html, "Ğ")
    assert "ğ" not in fonts.characters("<p>Ğ</p>", "Ğ")
    text = fonts.characters(html, "Text 123")
    woff = fonts.subset_woff(FONTS / "NotoSerif-Regular.ttf", 0, text, fonts.features(html))
    font = TTFont(io.BytesIO(woff))
    tags = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"smcp", "onum", "pnum", "liga"} <= tags
    plain = TTFont(
        io.BytesIO(fonts.subset_woff(FONTS / "NotoSerif-Regular.ttf", 0, text, frozenset()))
    )
    assert "smcp" not in {r.FeatureTag for r in plain["GSUB"].table.FeatureList.FeatureRecord}


def test_woff_holds_the_same_tables() -> None:
    sfnt = (FONTS / "NotoSans-Bold.ttf").read_bytes()
    packed = fonts.woff(sfnt)
    assert packed[:4] == b"wOFF"
    assert fonts.woff(sfnt) == packed  # reproducible
    original, unpacked = TTFont(io.BytesIO(sfnt)), TTFont(io.BytesIO(packed))
    assert unpacked.flavor == "woff"
    assert sorted(unpacked.keys()) == sorted(original.keys())
    for tag in ("glyf", "GPOS", "cmap", "name"):
        assert unpacked.reader[tag] == original.reader[tag], tag
    assert len(packed) < len(sfnt) * 0.7


def test_without_harfbuzz_fonttools_makes_the_same_kind_of_subset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fonts, "harfbuzz_available", lambda: False)
    fonts.subset_woff.cache_clear()
    try:
        woff = fonts.subset_woff(FONTS / "NotoSerif-Italic.ttf", 1, "Əliyev İlqar ş", frozenset())
    finally:
        fonts.subset_woff.cache_clear()
    font = TTFont(io.BytesIO(woff))
    assert font.flavor == "woff"
    assert {ord(c) for c in "Əliyev İlqar ş"} <= set(font.getBestCmap())
    assert "fpgm" not in font
    assert len(font.getGlyphOrder()) < 60


def test_a_damaged_font_is_a_render_error(tmp_path: Path) -> None:
    from briefgen.errors import RenderError

    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\0\1\0\0 not a font")
    with pytest.raises(RenderError, match="is not a font briefgen can"):
        fonts.subset_woff(broken, 0, "abc", frozenset())


def test_face_matching_follows_css() -> None:
    regular = Face("noto sans", (400, 400), "normal", ("r",))
    bold = Face("noto sans", (700, 700), "normal", ("b",))
    italic = Face("noto sans", (400, 400), "italic", ("i",))
    faces = [regular, bold, italic]
    assert match(faces, 400, "normal") is regular
    assert match(faces, 600, "normal") is bold
    assert match(faces, 500, "normal") is regular
    assert match(faces, 300, "normal") is regular
    assert match(faces, 900, "normal") is bold
    assert match(faces, 400, "italic") is italic
    assert match(faces, 700, "italic") is italic  # style first, then weight
    assert match([regular, bold], 700, "italic") is bold  # synthetic slant of the bold


def test_working_out_the_fonts_reads_no_remote_stylesheet(
    campaign: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    from tests.conftest import with_templates

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network connection attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}'
            '<link rel="stylesheet" href="https://example.org/remote.css"><p>Hi</p>'
            "{% endblock %}"
        },
    )
    report = build([path], tmp_path / "out", formats=("html",), recipients=["hr"], jobs=1)
    assert [(f.document, f.message) for f in report.failures] == [
        (
            "letter to hr",
            "refused to load 'https://example.org/remote.css': documents may only use files "
            "from the campaign folder and the templates",
        )
    ]
