"""Languages: translated labels, localised dates, metadata, casing, fonts, and check."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from briefgen import build, load_campaign
from briefgen.i18n import upper
from tests.conftest import EXAMPLE, ROOT, docx_text, pdf_pages, pdf_text, with_templates

Cli = Callable[..., tuple[int, str, str]]
CAMPAIGN = load_campaign(EXAMPLE)
NB = "\u00a0"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Labels a reader sees in each language's brief (restricted edition), page 1 first.
LABELS = {
    "en": [
        "POLICY BRIEF",
        "SUMMARY",
        "Recommendations",
        "Annex: cases",
        "Sources",
        "RESTRICTED — NOT FOR PUBLICATION",
        "Page 1 of",
        "4 March 2020",
    ],
    "fr": [
        "NOTE DE PLAIDOYER",
        "RÉSUMÉ",
        "Recommandations",
        f"Annexe{NB}: cas",
        "Sources",
        "DIFFUSION RESTREINTE — NE PAS PUBLIER",
        "Page 1 sur",
        "4 mars 2020",
    ],
    "az": [
        "SİYASƏT ARAYIŞI",
        "XÜLASƏ",
        "Tövsiyələr",
        "Əlavə: işlər",
        "Mənbələr",
        "MƏHDUD İSTİFADƏ ÜÇÜN — DƏRC OLUNMAMALIDIR",
        "Səhifə 1 /",
        "4 mart 2020",
    ],
}


def norm(text: str) -> str:
    return " ".join(text.replace(NB, " ").split())


@pytest.mark.parametrize("language", ["en", "fr", "az"])
def test_brief_labels_dates_and_content_in_each_language(
    example_output: Path, language: str
) -> None:
    pages = pdf_pages(example_output / f"brief.restricted.{language}.pdf")
    text = norm(" ".join(pages))
    for label in LABELS[language]:
        assert norm(label) in text, label
    for demand in CAMPAIGN.demands:
        assert norm(demand.title.values[language]) in text
    assert norm(CAMPAIGN.brief.title.values[language]) in text
    word = norm(docx_text(example_output / f"brief.restricted.{language}.docx"))
    for label in LABELS[language][:5]:
        assert norm(label) in word, label
    other = {"en", "fr", "az"} - {language}
    for lang in other:  # no passage of another language's text slipped in
        assert norm(CAMPAIGN.demands[0].body.values[lang])[:60] not in text


def test_azerbaijani_spellings_and_casing(example_output: Path) -> None:
    text = pdf_text(example_output / "brief.public.az.pdf")
    assert "Xədicə İsmayılova" in text
    assert "İlqar Məmmədov" in text
    assert upper("istifadə", "az") == "İSTİFADƏ"
    assert upper("istifadə", "en") == "ISTIFADƏ"
    assert "MƏHDUD ISTIFADƏ" not in pdf_text(example_output / "brief.restricted.az.pdf")


@pytest.mark.parametrize(
    ("name", "pdf_lang", "docx_lang"),
    [
        ("brief.public.en", "en-GB", "en-GB"),
        ("brief.public.fr", "fr", "fr-FR"),
        ("brief.public.az", "az", "az-Latn-AZ"),
        ("letters/be-foreign-minister", "fr", "fr-FR"),
    ],
)
def test_language_metadata_in_pdf_and_docx(
    example_output: Path, name: str, pdf_lang: str, docx_lang: str
) -> None:
    pdf = pikepdf.open(example_output / f"{name}.pdf")
    assert str(pdf.Root.Lang) == pdf_lang
    document = docx.Document(str(example_output / f"{name}.docx"))
    assert document.core_properties.language == docx_lang
    styles = document.styles.element
    assert styles.xpath("string(./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val)") == docx_lang
    # Every run is in the document's language but the English titles of sources, which
    # carry their own (the example's sources are English, the campaign's language).
    titles = {str(t) for s in CAMPAIGN.sources for t in (s.title, s.short_title) if t}
    other: dict[str, list[str]] = {}
    with zipfile.ZipFile(example_output / f"{name}.docx") as package:
        for part in ("word/document.xml", "word/footnotes.xml"):
            for run in etree.fromstring(package.read(part)).iter(f"{W}r"):
                lang = run.find(f"{W}rPr/{W}lang")
                if lang is not None and lang.get(f"{W}val") != docx_lang:
                    text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                    other.setdefault(lang.get(f"{W}val"), []).append(text)
    if docx_lang == "en-GB":
        assert other == {}
    else:
        assert set(other) == {"en-GB"}, other
        # (Typography may tie "no. 2" with a no-break space and set a name apart in a run.)
        spaced = [" ".join(title.split()) for title in titles]
        found = [" ".join(text.split()) for text in other["en-GB"]]
        assert all(any(text in title for title in spaced) for text in found), other


def test_french_letter(example_output: Path) -> None:
    for text in (
        pdf_text(example_output / "letters" / "be-foreign-minister.pdf"),
        docx_text(example_output / "letters" / "be-foreign-minister.docx"),
    ):
        text = norm(text)
        assert "Monsieur le Ministre," in text
        assert (
            "Nous vous prions d’agréer, Monsieur le Ministre, l’expression de notre haute "
            "considération."
        ) in text
        assert (
            "Objet : Dialogue UE–Azerbaïdjan sur les droits de l’homme, Bruxelles, 5 mars "
            "2020" in text
        )
        assert "Bruxelles, 4 mars 2020" in text
        assert "Directrice du plaidoyer" in text
        assert "Lever les interdictions de voyager arbitraires" in text
        assert "Dear" not in text
        assert "Yours sincerely" not in text


def test_manifest_records_each_language(example_output: Path) -> None:
    import json

    manifest = json.loads((example_output / "manifest.json").read_text(encoding="utf-8"))
    briefs = {(f["edition"], f["language"]) for f in manifest["files"] if f["kind"] == "brief"}
    assert briefs == {(e, lang) for e in ("public", "restricted") for lang in ("en", "fr", "az")}
    letter = next(f for f in manifest["files"] if f["path"] == "letters/be-foreign-minister.pdf")
    assert letter["language"] == "fr"


BUNDLED = ROOT / "templates" / "fonts"


def test_every_character_has_a_glyph_in_the_embedded_fonts(example_output: Path) -> None:
    cmaps = [set(TTFont(path).getBestCmap()) for path in BUNDLED.glob("*.ttf")]
    covered = set.intersection(*cmaps)  # every bundled face has it
    names = {
        "Noto-Serif",
        "Noto-Serif-Bold",
        "Noto-Serif-Italic",
        "Noto-Serif-BoldItalic",
        "Noto-Sans",
        "Noto-Sans-Bold",
    }
    seen = set()
    for pdf_path in example_output.rglob("*.pdf"):
        pdf = pikepdf.open(pdf_path)
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                assert str(font.BaseFont).split("+")[-1] in names, (pdf_path, font.BaseFont)
        seen |= set(pdf_text(pdf_path))
    missing = {ch for ch in seen if not ch.isspace() and ord(ch) not in covered}
    assert not missing, sorted(missing)
    assert {"ə", "İ", "ı", "ş", "ğ", "é", "’"} <= seen


def test_catalogs_are_complete_and_current() -> None:
    result = subprocess.run(
        [sys.executable, "tools/i18n.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _i18n_tool() -> Any:
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_extract_update_with_nothing_new_leaves_catalogs_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Catalogs are in every document's cache key: a rewrite with a new POT-Creation-Date
    # would make the next build render everything again.
    from briefgen import i18n

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    before = {p: p.read_bytes() for p in sorted(locale.rglob("*.po*"))}
    tool = _i18n_tool()
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(tool, "POT", locale / "briefgen.pot")
    tool.extract()
    tool.update()
    assert {p: p.read_bytes() for p in sorted(locale.rglob("*.po*"))} == before

    # A new message is still extracted, and reaches every catalog.
    templates = tmp_path / "templates"
    shutil.copytree(tool.TEMPLATES, templates)
    with (templates / "letter.html").open("a", encoding="utf-8") as handle:
        handle.write('{{ _("A message added by the test") }}\n')
    monkeypatch.setattr(tool, "TEMPLATES", templates)
    tool.extract()
    tool.update()
    for path in sorted(locale.rglob("*.po*")):
        assert b'msgid "A message added by the test"' in path.read_bytes(), path


# -- translations in campaign text ------------------------------------------------------------

FRENCH = [
    ("  language: en\n", "  language: en\n  languages: [en, fr]\n"),
    ("  title: Minimal brief", "  title: {en: Minimal brief, fr: Note minimale}"),
    ("  summary: A short summary.", "  summary: {en: A short summary., fr: Un résumé.}"),
    (
        "    title: Release the detained",
        "    title: {en: Release the detained, fr: Libérer les détenus}",
    ),
    ("    name: Test Dialogue", "    name: {en: Test Dialogue, fr: Dialogue test}"),
    ("    summary: A public case.", "    summary: {en: A public case., fr: Un cas public.}"),
    (
        "    summary: A restricted case that must never appear in a public document.",
        "    summary: {en: A restricted case., fr: Un cas restreint.}",
    ),
    ("    title: Director", "    title: {en: Director, fr: Directeur}"),
]


def test_check_reports_a_missing_translation_with_its_line(
    cli: Cli, campaign: Callable[..., Path]
) -> None:
    path = campaign(FRENCH)  # the demand body stays English only
    code, _, err = cli("check", path)
    assert code == 0
    assert err.splitlines() == [
        f"{path}:19:11: warning: demands[0].body: no translation into fr (written once, in "
        "en); write it as a mapping such as 'fr: ...'"
    ]
    code, _, err = cli("check", "--strict", path)
    assert code == 1
    assert err.startswith(f"{path}:19:11: error: demands[0].body: no translation into fr")


def test_untranslated_passages_are_marked_not_mixed_silently(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign(FRENCH)
    report = build([path], tmp_path, formats=("pdf", "docx", "html"), only="brief")
    assert report.ok
    folder = tmp_path / "minimal"
    text = norm(pdf_text(folder / "brief.public.fr.pdf"))
    assert (
        "Certains passages n’ont pas encore été traduits en français ; ils figurent en anglais."
    ) in text
    assert "Release them now." in text
    assert "Certains passages" not in pdf_text(folder / "brief.public.en.pdf")
    html = (folder / "brief.public.fr.html").read_text(encoding="utf-8")
    assert '<div class="untranslated" lang="en-GB" data-language="EN"><p>Release them now.' in html
    document = docx.Document(str(folder / "brief.public.fr.docx"))
    runs = [
        (r.text, r._r.xpath("string(./w:rPr/w:lang/@w:val)"))
        for p in document.paragraphs
        for r in p.runs
    ]
    assert ("Release them now.", "en-GB") in runs
    assert ("Libérer les détenus", "fr-FR") in runs


def test_a_letter_reports_only_its_own_untranslated_passages(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    # The public case's summary has no French, but the French letter's demand cites no case:
    # nothing it prints is untranslated, so it must not say that something is.
    replace = [
        *(r for r in FRENCH if not r[0].startswith("    summary: A public")),
        ("    body: Release them now.", "    body: {en: Release them now., fr: Libérez-les.}"),
        (
            "cases:\n",
            "  - id: travel\n"
            "    title: {en: Lift travel bans, fr: Levez les interdictions}\n"
            "    body: {en: Let them travel., fr: Laissez-les voyager.}\n"
            "    cases: []\n"
            "cases:\n",
        ),
        (
            "    role: high-representative\n",
            "    role: high-representative\n    language: fr\n    demands: [travel]\n",
        ),
    ]
    path = campaign(replace)
    report = build([path], tmp_path, formats=("pdf",), only="letters", recipients=["hr"])
    assert report.ok, report.failures
    text = norm(pdf_text(tmp_path / "minimal" / "letters" / "hr.pdf"))
    assert "Levez les interdictions" in text
    assert "Certains passages" not in text
    assert "A public case" not in text


def test_campaign_template_strings_without_translation_are_reported(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}\n<p>{{ _("Hello there") }}'
            "</p>{% endblock %}"
        },
        [("  language: en\n", "  language: en\n  languages: [en, fr]\n")] + FRENCH[1:],
    )
    code, _, err = cli("check", path)
    template = tmp_path / "my-templates" / "letter.html"
    assert (
        f"{template}:2:1: warning: no fr translation for 'Hello there' (briefgen's catalogs "
        "do not have it)" in err.splitlines()
    )


def test_translation_mapping_errors(cli: Cli, campaign: Callable[..., Path]) -> None:
    path = campaign([("  title: Minimal brief", "  title: {en: Minimal brief, de: Kurz}")])
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:13:10: error: brief.title: unknown language 'de' in translations (expected "
        "one of: en, fr, az)"
    ]


def test_text_is_nfc_normalised(campaign: Callable[..., Path], tmp_path: Path) -> None:
    decomposed = "Re\u0301seau"
    path = campaign([("  name: Public Person", f"  name: {decomposed} Person")])
    case = load_campaign(path).cases[0]
    assert str(case.name) == unicodedata.normalize("NFC", decomposed) + " Person"
