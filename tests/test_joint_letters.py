"""Joint letters: one salutation that greets everyone as diplomatic letters do, in English,
French and Azerbaijani; a language and an edition that are said, never guessed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import build, i18n, load_campaign
from briefgen.model import Recipient
from briefgen.plan import letters
from briefgen.protocol import joint_salutation
from tests.conftest import docx_text, pdf_text
from tests.khujand import KHUJAND, PHONE_WARNING, at, check, khujand_copy

Cli = Callable[..., tuple[int, str, str]]


def _people(*people: tuple[str, str | None, str]) -> list[tuple[Recipient, str, None, None]]:
    """(recipient, name, no salutation, no family name) for (role, honorific, name) triples."""
    return [
        (
            Recipient(id=f"p{k}", name=name, role=role, honorific=honorific, address=["x"]),
            name,
            None,
            None,
        )
        for k, (role, honorific, name) in enumerate(people)
    ]


@pytest.mark.parametrize(
    ("language", "people", "expected"),
    [
        (
            "en",
            [("committee-chair", "Mr", "Mounir Satouri"), ("committee-chair", "Mr", "D. Roe")],
            "Dear Chairs,",
        ),
        (
            "fr",
            [("committee-chair", "Madame", "A. Roe"), ("committee-chair", "Monsieur", "B. Roe")],
            "Madame la Présidente, Monsieur le Président,",
        ),
        (
            "fr",
            [("committee-chair", "M.", "A. Roe"), ("working-party-chair", "Monsieur", "B. Roe")],
            "Messieurs les Présidents,",
        ),
        (
            "fr",
            [
                ("committee-chair", "Mme", "A. Roe"),
                ("committee-chair", "Ms", "B. Roe"),
                ("committee-chair", "Mr", "C. Roe"),
            ],
            "Mesdames les Présidentes, Monsieur le Président,",
        ),
        (
            "fr",
            [("commissioner", None, "A. Roe"), ("commissioner", "Dr", "B. Roe")],
            "Mesdames, Messieurs,",
        ),
        ("fr", [("minister", None, "A. Roe"), ("minister", None, "B. Roe")], "Excellences,"),
        (
            "fr",
            [("mep", "Madame", "Anna Roe"), ("mep", "Madame", "Berta Doe")],
            "Mesdames les Députées,",
        ),
        (
            "az",
            [("minister", "Cənab", "A. Roe"), ("minister", "Xanım", "B. Roe")],
            "Hörmətli cənab Nazir, hörmətli xanım Nazir,",
        ),
        (
            "az",
            [("minister", "Cənab", "A. Roe"), ("minister", "Cənab", "B. Roe")],
            "Hörmətli Nazirlər,",
        ),
        (
            "en",
            [
                ("mep", "Ms", "Anna Neumann"),
                ("mep", "Ms", "Lisa Neumann"),
                ("commissioner", None, "X"),
            ],
            "Dear Anna Neumann and Lisa Neumann, dear Commissioner,",
        ),
        (
            "en",
            [
                ("head-of-delegation", None, "A"),
                ("high-representative", "Ms", "B"),
                ("head-of-delegation", "Mr", "C"),
            ],
            "Dear Ambassadors, dear High Representative,",
        ),
    ],
    ids=[
        "en two chairs",
        "fr a woman and a man",
        "fr two men, two kinds of chair",
        "fr two women and a man",
        "fr neutral",
        "fr ministers without honorific",
        "fr two women Members",
        "az a man and a woman",
        "az two men",
        "en one family name twice",
        "en plural then another",
    ],
)
def test_people_greeted_alike_are_greeted_together(
    language: str, people: list[tuple[str, str | None, str]], expected: str
) -> None:
    assert joint_salutation(_people(*people), i18n.translations(language), language) == expected


def test_the_joint_letters_greet_everyone_in_pdf_and_docx(tmp_path: Path) -> None:
    wanted = {
        "parliament-chairs": ("Dear Chairs,", "Yours sincerely,"),
        "presidentes": (
            "Madame la Présidente, Monsieur le Président,",
            "Nous vous prions d’agréer, Madame la Présidente, Monsieur le Président, "
            "l’expression de notre haute considération.",
        ),
        "council-chairs": (
            "Messieurs les Présidents,",
            "Nous vous prions d’agréer, Messieurs les Présidents, l’expression de notre haute "
            "considération.",
        ),
        "ministers": ("Hörmətli Nazirlər,", "Hörmətlə,"),
    }
    report = build([KHUJAND], tmp_path, formats=("pdf", "docx"), recipients=list(wanted))
    assert report.ok, (report.failures, report.problems)
    folder = tmp_path / "khujand-2025" / "letters"
    for letter, (salutation, closing) in wanted.items():
        pdf = re.sub("[\u2010\u00ad] ", "", pdf_text(folder / f"{letter}.pdf"))  # hyphenations
        for text in (pdf, docx_text(folder / f"{letter}.docx")):
            assert salutation in text, letter
            assert closing in text, letter
    # Each person once, never the singular alone.
    assert "Dear Chair," not in pdf_text(folder / "parliament-chairs.pdf")
    assert "Monsieur le Président, Monsieur" not in pdf_text(folder / "council-chairs.pdf")


AFET_IN_FRENCH = (
    "    email: afet-chair@europarl.example.org\n",
    "    email: afet-chair@europarl.example.org\n    language: fr\n",
)
CHAIRS = "    to: [droi-chair, afet-chair]\n"


def test_a_joint_letter_to_people_of_two_languages_must_say_its_language(
    cli: Cli, tmp_path: Path
) -> None:
    path = khujand_copy(tmp_path / "a", [AFET_IN_FRENCH])
    assert check(cli, path) == (
        1,
        [
            f"{at(path, '[droi-chair, afet-chair]')}: error: joint_letters[0].to: the recipients "
            "of this joint letter read different languages (en: droi-chair; fr: afet-chair); "
            "add 'language: en' or 'language: fr' to the joint letter: one letter is written in "
            "one language",
            PHONE_WARNING,
        ],
    )
    # Said, it is written in that language, to both.
    fixed = khujand_copy(tmp_path / "b", [AFET_IN_FRENCH, (CHAIRS, CHAIRS + "    language: fr\n")])
    assert check(cli, fixed) == (0, [PHONE_WARNING])
    letter = next(item for item in letters(load_campaign(fixed)) if item.id == "parliament-chairs")
    assert letter.language == "fr"
    report = build([fixed], tmp_path / "out", formats=("pdf",), recipients=["parliament-chairs"])
    assert report.ok, report.failures
    pdf = tmp_path / "out" / "khujand-2025" / "letters" / "parliament-chairs.pdf"
    assert "Messieurs les Présidents," in pdf_text(pdf)
    assert str(PdfReader(pdf).trailer["/Root"]["/Lang"]) == "fr"


def test_a_joint_letter_to_restricted_and_public_people_must_say_its_edition(
    cli: Cli, tmp_path: Path
) -> None:
    restricted = (
        "    email: droi-chair@europarl.example.org\n",
        "    email: droi-chair@europarl.example.org\n    edition: restricted\n",
    )
    path = khujand_copy(tmp_path / "a", [restricted])
    assert check(cli, path) == (
        1,
        [
            f"{at(path, '[droi-chair, afet-chair]')}: error: joint_letters[0].to: this joint "
            "letter goes to restricted and public recipients (public: afet-chair; restricted: "
            "droi-chair); add 'edition: public' to the joint letter (all of them get the public "
            "letter, without restricted material) or 'edition: restricted' (all of them, the "
            "public recipients too, get the restricted material), or write them separate "
            "letters",
            PHONE_WARNING,
        ],
    )
    out = tmp_path / "out"
    for edition in ("public", "restricted"):
        said = (CHAIRS, f"{CHAIRS}    edition: {edition}\n")
        fixed = khujand_copy(tmp_path / edition, [restricted, said])
        assert check(cli, fixed) == (0, [PHONE_WARNING])
        report = build([fixed], out, formats=("pdf",), recipients=["parliament-chairs"])
        assert report.ok, report.failures
        manifest = json.loads((out / "khujand-2025" / "manifest.json").read_text("utf-8"))
        for person in ("droi-chair", "afet-chair"):
            assert manifest["recipients"][person]["edition"] == edition
        text = pdf_text(out / "khujand-2025" / "letters" / "parliament-chairs.pdf")
        # The restricted demand's note shows only in the restricted letter.
        assert ("two families have asked" in text) == (edition == "restricted")
        assert ("RESTRICTED — NOT FOR PUBLICATION" in text) == (edition == "restricted")


def test_briefgen_recipients_never_lists_a_restricted_demand_for_a_public_letter(
    cli: Cli, tmp_path: Path
) -> None:
    code, out, _err = cli("recipients", KHUJAND, "-o", tmp_path)
    assert code == 0
    rows = {re.split(r"\s{2,}", line)[0]: line for line in out.splitlines()[2:]}
    # The CSV's desk officer gets every demand tagged 'detention', one of them restricted.
    assert rows["letters/nilufar-sharipova-davlatzoda"].endswith("  release")
    assert rows["letters/special-representative"].endswith("  release,access,confidential")
    public = [line for line in out.splitlines()[2:] if "  public  " in line]
    assert len(public) == 15
    for line in public:
        assert "confidential" not in line
        assert "Qurbonalieva" not in line
