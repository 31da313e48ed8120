"""The HTML output: self-contained, and WeasyPrint prints it alone to the same pages."""

from __future__ import annotations

import re
from pathlib import Path

import weasyprint
from pypdf import PdfReader

from tests.conftest import pdf_pages


def test_html_is_self_contained(example_output: Path) -> None:
    html = (example_output / "brief.restricted.en.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert "file:" not in html
    assert "<link" not in html  # styles are inlined
    fonts = re.findall(r'url\("data:font/ttf;base64,', html)
    assert len(fonts) == 6
    assert 'src="data:image/svg+xml;base64,' in html  # the logo
    # Fonts are cut down to what the page uses: far below the 3.4 MB of the full fonts.
    assert len(html) < 600_000


def test_weasyprint_prints_the_html_alone_to_the_same_pages(
    example_output: Path, tmp_path: Path
) -> None:
    for name in ("brief.public.en", "letters/eusr-human-rights"):
        moved = tmp_path / "elsewhere.html"  # away from the campaign and the templates
        moved.write_bytes((example_output / f"{name}.html").read_bytes())
        pdf = tmp_path / "alone.pdf"
        weasyprint.HTML(filename=moved).write_pdf(pdf)
        # briefgen's PDF maps the hyphens WeasyPrint adds at line ends to soft hyphens.
        alone = [page.replace("\u2010", "\u00ad") for page in pdf_pages(pdf)]
        assert alone == pdf_pages(example_output / f"{name}.pdf")
        assert len(PdfReader(pdf).pages) == len(PdfReader(example_output / f"{name}.pdf").pages)
