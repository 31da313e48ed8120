"""Shared fixtures: the example campaign built once, helpers to read PDFs and run the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from briefgen import build
from briefgen.cli import main
from briefgen.model import LocalText

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "briefs" / "eu-azerbaijan-2020.yaml"
DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal.yaml"
# The Parliament's own list of its Members, shipped with its source and terms (README beside it).
EP_MEPS = ROOT / "briefs" / "data" / "ep-meps" / "ep-meps-10th-term.xml"
TYPOGRAPHY = DATA / "typography" / "campaign.yaml"
"""The typography stress campaign: long URLs and names, 16 sources, French letters, letters
whose body ends near the foot of the page."""


def pdf_pages(path: Path) -> list[str]:
    """The text a reader sees on each page, whitespace collapsed."""
    reader = PdfReader(path)
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def en(value: LocalText | None) -> str:
    """The English text of a campaign field (names and untranslated text as written)."""
    assert value is not None
    return value.resolve("en", "en")[0]


def docx_paragraphs(path: Path) -> list[Paragraph]:
    """Every paragraph of the DOCX body at ``path`` in reading order, those in table cells
    (signatures side by side, the letterhead) included."""
    document = docx.Document(str(path))
    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def docx_text(path: Path) -> str:
    """The body text of the DOCX at ``path`` as python-docx reads it, whitespace collapsed."""
    return re.sub(r"\s+", " ", " ".join(p.text for p in docx_paragraphs(path)))


def pandoc_text(path: Path) -> str:
    """The plain text pandoc, an independent DOCX reader, finds in ``path`` (fails if none)."""
    result = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def with_recipients(campaign_factory: Callable[..., Path], recipients: str) -> Path:
    """A minimal campaign whose ``recipients:`` section is ``recipients`` (YAML lines)."""
    source = MINIMAL.read_text(encoding="utf-8")
    start, end = source.index("recipients:\n"), source.index("signatories:")
    return campaign_factory(text=f"{source[:start]}recipients:\n{recipients}{source[end:]}")


def with_templates(
    campaign_factory: Callable[..., Path],
    folder: Path,
    files: dict[str, str],
    replace: list[tuple[str, str]] | None = None,
) -> Path:
    """A minimal campaign whose ``campaign.templates`` folder holds ``files`` (name: text)."""
    templates = folder / "my-templates"
    templates.mkdir(exist_ok=True)
    for name, text in files.items():
        (templates / name).write_text(text, encoding="utf-8")
    return campaign_factory(
        [("  language: en\n", "  language: en\n  templates: my-templates\n"), *(replace or [])]
    )


def text_heights(pdf: Path, page_number: int = 0) -> list[tuple[float, str]]:
    """(height from the page bottom, text) of every text chunk of a page of ``pdf``."""
    chunks: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            chunks.append((cm[5] + tm[5] * cm[3], text))

    PdfReader(pdf).pages[page_number].extract_text(visitor_text=visit)
    return chunks


def height_of(chunks: list[tuple[float, str]], needle: str) -> float:
    """The height of the first chunk containing ``needle``."""
    return next(y for y, text in chunks if needle in text)


def pdf_text(path: Path) -> str:
    """All the text of the PDF at ``path``, whitespace collapsed."""
    return " ".join(pdf_pages(path))


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example campaign built once in every format; returns its campaign folder."""
    out = tmp_path_factory.mktemp("example")
    report = build([EXAMPLE], out, formats=("pdf", "docx", "html", "eml"))
    assert report.ok, (report.failures, report.problems)
    return out / "eu-azerbaijan-2020"


@pytest.fixture(scope="session")
def typography_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The typography stress campaign built once in PDF, DOCX and HTML; returns its folder."""
    out = tmp_path_factory.mktemp("typography")
    report = build([TYPOGRAPHY], out, formats=("pdf", "docx", "html"))
    assert report.ok, (report.failures, report.problems)
    return out / "typography-stress"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``briefgen`` with arguments; return (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def campaign(tmp_path: Path) -> Callable[..., Path]:
    """Write a variant of the minimal campaign into ``tmp_path``; return its path.

    ``replace`` is a list of (old, new) text replacements applied once each (each ``old``
    must occur); ``text`` replaces the whole file.
    """

    def make(
        replace: list[tuple[str, str]] | None = None,
        text: str | bytes | None = None,
        name: str = "campaign.yaml",
    ) -> Path:
        path = tmp_path / name
        if text is None:
            source = MINIMAL.read_text(encoding="utf-8")
            for old, new in replace or []:
                assert old in source, old
                source = source.replace(old, new, 1)
            text = source
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A copy of the example campaign folder (YAML and assets) that a test may edit."""
    target = tmp_path / "briefs"
    shutil.copytree(EXAMPLE.parent, target)
    return target / EXAMPLE.name


PAMIR = DATA / "pamir" / "campaign.yaml"
"""A campaign whose recipients are listed, imported from a CSV file and from the Parliament's
list (a slice of it), in three languages, with a restricted letter."""


def pamir_copy(folder: Path, replace: list[tuple[str, str]] | None = None) -> Path:
    """A copy of the Pamir campaign (YAML, CSV and XML) in ``folder``, with the text
    replacements ``replace`` (each ``old`` must occur) applied to the campaign file."""
    target = folder / "pamir"
    shutil.copytree(PAMIR.parent, target)
    path = target / PAMIR.name
    text = path.read_text(encoding="utf-8")
    for old, new in replace or []:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path
