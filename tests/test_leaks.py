"""Confidentiality: nothing restricted reaches a public document, nothing withheld any."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import build, load_campaign
from briefgen.plan import letters
from tests.conftest import DATA, EXAMPLE, pdf_text, with_recipients, with_templates
from tests.leakscan import scan, scan_parts

Cli = Callable[..., tuple[int, str, str]]
CANARY = DATA / "canary.yaml"
FORMATS = ("pdf", "docx", "html", "eml")

# Printed only in restricted documents (each must be found there: proof the scanner works).
RESTRICTED = [
    "Zəhra Gizli-Kanarya",
    "Şəbnəm İzləmə-Kanarya",
    "Qırmızı Bölmə-Kanarya",
    "Sirli Mətn-Kanarya",
    "Məxfi Tələb-Kanarya",
    "Gizli Qeyd-Kanarya",
    "Mənbə Gizli-Kanarya",
]
LETTER_ONLY = ["Etibarlı Məktub-Kanarya"]  # the restricted recipient's own note
# Printed nowhere.
NEVER = ["Ömər Şahbazlı-Heçyerdə", "Tağı Heçvaxt-Kanarya", "Açıq Deyil-Kanarya"]
ALIASES = ["Zahra Gizli"]  # another spelling of the restricted case: guarded, never printed
ALL = RESTRICTED + LETTER_ONLY + NEVER + ALIASES
# The confidential people themselves: not even their family name may reach a public document.
PEOPLE = ["Zəhra Gizli-Kanarya", "Zahra Gizli", "Ömər Şahbazlı-Heçyerdə"]


def _outputs(folder: Path) -> dict[str, list[Path]]:
    """Output files by edition, from the manifest (and every file on disk)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    editions: dict[str, list[Path]] = {"public": [], "restricted": []}
    for entry in manifest["files"]:
        editions[entry["edition"]].append(folder / entry["path"])
    listed = {p for files in editions.values() for p in files}
    bookkeeping = {"manifest.json", ".briefgen-cache.json"}
    on_disk = {p for p in folder.rglob("*") if p.is_file() and p.name not in bookkeeping}
    assert on_disk == listed  # nothing unlisted that could leak
    return editions


@pytest.fixture(scope="module")
def canary_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("canary")
    report = build([CANARY], out, formats=FORMATS)
    assert report.ok, (report.failures, report.problems)
    return out / "canary"


def test_public_outputs_carry_no_canary(canary_output: Path) -> None:
    public = _outputs(canary_output)["public"]
    assert {p.suffix for p in public} == {".pdf", ".docx", ".html", ".eml"}
    for path in [*public, canary_output / "manifest.json", canary_output / ".briefgen-cache.json"]:
        assert scan(path, canary_output, ALL) == set(), path
        assert scan_parts(path, canary_output, PEOPLE) == set(), path


def test_restricted_outputs_carry_every_restricted_canary(canary_output: Path) -> None:
    for language in ("en", "fr"):
        for fmt in ("pdf", "docx", "html"):
            path = canary_output / f"brief.restricted.{language}.{fmt}"
            found = scan(path, canary_output, ALL)
            assert found == set(RESTRICTED), (
                path,
                set(RESTRICTED) - found,
                found - set(RESTRICTED),
            )
            # The scanner of family names finds the restricted person there (and only her).
            assert scan_parts(path, canary_output, PEOPLE) == set(PEOPLE[:2]), path
    for fmt in ("pdf", "docx", "html", "eml"):
        path = canary_output / "letters" / f"trusted-official.{fmt}"
        found = scan(path, canary_output, ALL)
        assert set(LETTER_ONLY) <= found, (path, found)
        assert "Zəhra Gizli-Kanarya" in found
        assert not found & set(NEVER)


def test_withheld_and_counts(canary_output: Path) -> None:
    public = pdf_text(canary_output / "brief.public.en.pdf")
    assert "1 further case was shared with officials in confidence" in public
    assert "1 further case is known to us but is not named in any document" in public
    restricted = pdf_text(canary_output / "brief.restricted.en.pdf")
    assert "shared with officials in confidence" not in restricted
    assert "1 further case is known to us but is not named in any document" in restricted
    french = pdf_text(canary_output / "brief.public.fr.pdf")
    assert "1 autre cas a été communiqué aux responsables à titre confidentiel" in french


def test_example_campaign_public_outputs_are_clean(example_output: Path) -> None:
    campaign = load_campaign(EXAMPLE)
    secrets = [
        text for case in campaign.cases if case.visibility != "public" for text in case.name.texts()
    ]
    secrets += ["Nəsibova", "Nasibova"]
    public = _outputs(example_output)["public"]
    assert public
    for path in public:
        assert scan(path, example_output, secrets) == set(), path
        assert scan_parts(path, example_output, secrets) == set(), path
    restricted = example_output / "brief.restricted.en.pdf"
    assert "Nəsibova" in scan(restricted, example_output, secrets)
    assert scan_parts(restricted, example_output, secrets) == set(secrets)


PLANTED = (
    '{% extends "base.html" %}{% block body %}<p id="z">Dear reader, Zəh&shy;ra '
    'Gizli-<br>Canary.</p><a href="https://example.org/zahra-gizli-canary">x</a>'
    "{% endblock %}"
)


def test_a_leak_planted_in_a_template_is_caught(
    tmp_path: Path, campaign: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = with_templates(campaign, tmp_path, {"letter.html": PLANTED})
    # First the build's own guard: the public letter is refused, without naming the case.
    report = build([path], tmp_path / "guarded", formats=("pdf", "docx", "html"), only="letters")
    failed = {f.document: f.message for f in report.failures}
    assert set(failed) == {"letter to hr"}
    assert "would name the restricted case cases[1]" in failed["letter to hr"]
    assert "Gizli" not in failed["letter to hr"]
    assert not (tmp_path / "guarded" / "minimal" / "letters" / "hr.pdf").exists()
    # Then the scanner, with the guard switched off: it finds the leak in every format.
    monkeypatch.setattr("briefgen.render.leaks.Guard.document_leaks", lambda *args: [])
    build([path], tmp_path / "leaky", formats=("pdf", "docx", "html"), only="letters")
    folder = tmp_path / "leaky" / "minimal"
    for fmt in ("pdf", "docx", "html"):
        found = scan(folder / "letters" / f"hr.{fmt}", folder, ["Zəhra Gizli-Canary"])
        assert found == {"Zəhra Gizli-Canary"}, fmt


def test_check_refuses_a_confidential_name_in_public_text(
    cli: Cli, campaign: Callable[..., Path]
) -> None:
    path = campaign(
        [("  summary: A short summary.", "  summary: We met ZƏHRA GIZLI-CANARY's family.")]
    )
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:14:19: error: brief.summary: this text would name the restricted case "
        "cases[1]; remove that name from the text"
    ]


@pytest.mark.parametrize(
    ("name", "summary", "leaks"),
    [
        ("王伟", "We raise the case of 王伟.", True),  # a whole name in two characters
        ("王伟", "我们关注王伟的案件。", True),  # inside text written without spaces
        ("Ali", "We met Ali's lawyer.", True),  # a short Latin name, as a word
        ("Ali", "We met ALI in Baku.", True),
        ("Ali", "We met Alibek Karimli.", False),  # not inside another name
        ("Şən", "We met Sen yesterday.", True),  # and without its accents
    ],
)
def test_short_confidential_names_are_guarded(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path, name: str, summary: str, leaks: bool
) -> None:
    path = campaign(
        [
            ("    name: Zəhra Gizli-Canary", f"    name: {name}"),
            ("  summary: A short summary.", f"  summary: {summary}"),
        ]
    )
    code, _, err = cli("check", path)
    assert code == (1 if leaks else 0), err
    if leaks:
        assert "brief.summary: this text would name the restricted case cases[1]" in err
    # The guard on rendered documents finds it too (the check is not the only line).
    from briefgen import leaks as guard

    clean = campaign([("    name: Zəhra Gizli-Canary", f"    name: {name}")], name="clean.yaml")
    found = guard.guard(load_campaign(clean), "public").document_leaks([f"<p>{summary}</p>"])
    assert bool(found) is leaks


def test_no_software_or_machine_in_metadata(canary_output: Path) -> None:
    import pikepdf

    for path in canary_output.rglob("*.pdf"):
        with pikepdf.open(path) as pdf:
            info = {str(k): str(pdf.docinfo[k]) for k in pdf.docinfo.keys()}  # noqa: SIM118
        assert set(info) <= {"/Title", "/Author", "/Keywords", "/CreationDate", "/ModDate"}
        assert info["/Author"] == "Canary Watch"
    for path in canary_output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in (b"WeasyPrint", b"python-docx", b"/root", b"/tmp/", b"/home/"):
                assert needle not in data, (path, needle)


def test_letters_are_planned_per_edition() -> None:
    planned = {item.id: item.edition for item in letters(load_campaign(CANARY))}
    assert planned == {"public-official": "public", "trusted-official": "restricted"}


def test_check_reads_the_notes_of_imported_recipients(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "people.csv").write_text(
        "name,address,note,edition\n"
        "Anna Berg,Somewhere,We raise Zəhra Gizli-Canary here.,public\n"
        "Olav Dahl,Elsewhere,We raise Zəhra Gizli-Canary here.,restricted\n",
        encoding="utf-8",
    )
    path = with_recipients(campaign, "  - from: people.csv\n    defaults: {role: mep}\n")
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{tmp_path / 'people.csv'}:2:30: error: row 2: note: this text would "
        "name the restricted case cases[1]; remove that name from the text"
    ]
