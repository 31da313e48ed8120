"""Accessible and archival PDFs: PDF/UA-1 by default, PDF/A-3 with the campaign embedded."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from briefgen import build
from tests.conftest import DATA, EXAMPLE, with_templates
from tests.leakscan import scan

Cli = Callable[..., tuple[int, str, str]]


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in reading order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_every_example_pdf_is_tagged_pdf_ua(example_output: Path) -> None:
    pdfs = sorted(example_output.rglob("*.pdf"))
    assert len(pdfs) == 13
    for path in pdfs:
        pdf = pikepdf.open(path)
        root = pdf.Root
        assert "/StructTreeRoot" in root, path
        assert bool(root.MarkInfo.Marked), path
        assert str(root.Lang) in ("en-GB", "fr", "az"), path
        assert bool(root.ViewerPreferences.DisplayDocTitle), path
        xmp = root.Metadata.read_bytes().decode("utf-8")
        assert 'pdfuaid:part="1"' in xmp, path
        title = re.search(r"<dc:title><rdf:Alt><rdf:li[^>]*>(.*?)</rdf:li>", xmp)
        assert title, path
        assert title.group(1) == str(pdf.docinfo["/Title"]), path
        assert "Producer" not in xmp
        elements = structure(pdf)
        figures = [e for e in elements if e.S == "/Figure"]
        assert figures, path  # the logo
        assert all(str(e.get("/Alt", "")).strip() for e in figures), path
        levels = [int(str(e.S)[2:]) for e in elements if re.fullmatch(r"/H\d", str(e.S))]
        if levels:
            assert levels[0] == 1 if "brief" in path.name else levels[0] >= 1
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)
        tags = {str(e.S) for e in elements}
        assert {"/P", "/L", "/LI"} <= tags, path  # paragraphs and the demands as a list
        if "brief" in path.name:
            assert {"/H1", "/H2", "/Link"} <= tags, path


def test_archival_pdf_embeds_the_campaign_only_where_it_may(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out"
    code, _, err = cli(
        "build", EXAMPLE, "-o", out, "-f", "pdf", "--pdf-variant", "pdf/a-3b", "--only", "brief"
    )
    assert code == 0, err
    source = EXAMPLE.read_bytes()
    restricted = pikepdf.open(out / "eu-azerbaijan-2020" / "brief.restricted.en.pdf")
    xmp = restricted.Root.Metadata.read_bytes().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    attached = restricted.attachments["eu-azerbaijan-2020.yaml"].get_file().read_bytes()
    assert attached == source
    # The example holds restricted cases: its public brief cannot carry the campaign file.
    public = pikepdf.open(out / "eu-azerbaijan-2020" / "brief.public.en.pdf")
    assert list(public.attachments) == []


def test_archival_pdf_of_an_entirely_public_campaign_embeds_it(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    path = campaign(
        [
            ("    visibility: restricted\n", "    visibility: public\n"),
            ("    edition: restricted\n", ""),
        ]
    )
    report = build([path], tmp_path, formats=("pdf",), only="brief", pdf_variant="pdf/a-3u")
    assert report.ok, report.failures
    pdf = pikepdf.open(tmp_path / "minimal" / "brief.public.en.pdf")
    assert pdf.attachments["campaign.yaml"].get_file().read_bytes() == path.read_bytes()


def test_archival_public_outputs_carry_no_canary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([DATA / "canary.yaml"], out, formats=("pdf",), pdf_variant="pdf/a-3b").ok
    canaries = ["Zəhra Gizli-Kanarya", "Ömər Şahbazlı-Heçyerdə", "Qırmızı Bölmə-Kanarya"]
    public = [
        p
        for p in (out / "canary").rglob("*.pdf")
        if "restricted" not in p.name and "trusted-official" not in p.name
    ]
    assert public
    for path in public:
        assert scan(path, out / "canary", canaries) == set(), path


def test_logo_needs_alt_text(cli: Cli, campaign: Callable[..., Path], tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (2, 2)).save(tmp_path / "logo.png")
    path = campaign([("  address: [Main", "  logo: logo.png\n  address: [Main")])
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:11:9: error: organisation.logo: a logo needs 'logo_alt', its text alternative "
        "for screen readers (for example the organisation's name)"
    ]


def test_image_without_alt_fails_the_document(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}<p>Hi</p>'
            '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg'
            '%22/%3E">{% endblock %}'
        },
    )
    report = build([path], tmp_path / "out", formats=("pdf",), only="letters")
    messages = {f.document: f.message for f in report.failures}
    assert messages["letter to hr"].startswith("PDF/UA-1: an image has no alt text")


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3b"])
def test_variants_are_reproducible(tmp_path: Path, variant: str) -> None:
    for name in ("a", "b"):
        report = build(
            [EXAMPLE], tmp_path / name, formats=("pdf",), only="brief", pdf_variant=variant, jobs=1
        )
        assert report.ok
    pdfs = list((tmp_path / "a").rglob("*.pdf"))
    assert len(pdfs) == 6  # 3 languages x 2 editions
    for pdf in pdfs:
        twin = tmp_path / "b" / pdf.relative_to(tmp_path / "a")
        assert pdf.read_bytes() == twin.read_bytes(), pdf
