"""Forms of address: salutations and closings by role, honorific, override and language."""

from __future__ import annotations

import pytest

from briefgen import i18n
from briefgen.model import Recipient
from briefgen.protocol import closing, combine, salutation


def person(**fields: object) -> Recipient:
    return Recipient.model_validate(
        {
            "id": "x",
            "name": "Maria Example Name",
            "role": "other",
            "address": ["A street"],
            **fields,
        }
    )


def greet(language: str, **fields: object) -> str:
    recipient = person(**fields)
    override = str(recipient.salutation) if recipient.salutation else None
    family = str(recipient.family_name) if recipient.family_name else None
    return salutation(
        recipient, "Maria Example Name", i18n.translations(language), override, family=family
    )


@pytest.mark.parametrize(
    ("fields", "en", "fr", "az"),
    [
        (
            {"role": "high-representative"},
            "Dear High Representative,",
            "Madame, Monsieur,",
            "Hörmətli Ali Nümayəndə,",
        ),
        (
            {"role": "high-representative", "honorific": "Madame"},
            "Dear High Representative,",
            "Madame la Haute Représentante,",
            "Hörmətli xanım Ali Nümayəndə,",
        ),
        (
            {"role": "high-representative", "honorific": "Mr"},
            "Dear High Representative,",
            "Monsieur le Haut Représentant,",
            "Hörmətli cənab Ali Nümayəndə,",
        ),
        (
            {"role": "special-representative", "honorific": "Mr"},
            "Dear Special Representative,",
            "Monsieur le Représentant spécial,",
            "Hörmətli cənab Xüsusi Nümayəndə,",
        ),
        (
            {"role": "commissioner", "honorific": "Ms"},
            "Dear Commissioner,",
            "Madame la Commissaire,",
            "Hörmətli xanım Komissar,",
        ),
        ({"role": "head-of-delegation"}, "Dear Ambassador,", "Excellence,", "Hörmətli Səfir,"),
        (
            {"role": "president-european-council", "honorific": "Mr"},
            "Dear President,",
            "Monsieur le Président,",
            "Hörmətli cənab Prezident,",
        ),
        (
            {"role": "president-european-council"},
            "Dear President,",
            "Madame, Monsieur,",
            "Hörmətli Prezident,",
        ),
        (
            {"role": "committee-chair", "honorific": "Ms"},
            "Dear Chair,",
            "Madame la Présidente,",
            "Hörmətli xanım Sədr,",
        ),
        ({"role": "working-party-chair"}, "Dear Chair,", "Madame, Monsieur,", "Hörmətli Sədr,"),
        (
            {"role": "mep", "honorific": "Ms", "family_name": "del Castillo Vera"},
            "Dear Ms del Castillo Vera,",
            "Madame la Députée,",
            "Hörmətli xanım del Castillo Vera,",
        ),
        (
            {"role": "minister", "honorific": "Monsieur"},
            "Dear Minister,",
            "Monsieur le Ministre,",
            "Hörmətli cənab Nazir,",
        ),
        (
            {"role": "mep"},
            "Dear Maria Example Name,",
            "Madame, Monsieur,",
            "Hörmətli Maria Example Name,",
        ),
        (
            {"role": "mep", "honorific": "Ms"},
            "Dear Ms Name,",
            "Madame la Députée,",
            "Hörmətli xanım Name,",
        ),
        (
            {"role": "other", "honorific": "Dr"},
            "Dear Dr Name,",
            "Madame, Monsieur,",
            "Hörmətli Dr Name,",
        ),
        (
            {"role": "other"},
            "Dear Maria Example Name,",
            "Madame, Monsieur,",
            "Hörmətli Maria Example Name,",
        ),
        (
            {"role": "commissioner", "salutation": "Dear Commissioner Example,"},
            "Dear Commissioner Example,",
            "Dear Commissioner Example,",
            "Dear Commissioner Example,",
        ),
    ],
)
def test_salutation(fields: dict[str, str], en: str, fr: str, az: str) -> None:
    assert greet("en", **fields) == en
    assert greet("fr", **fields) == fr
    assert greet("az", **fields) == az


def test_french_closing_repeats_the_salutation() -> None:
    assert closing("Dear Commissioner,", i18n.translations("en")) == "Yours sincerely,"
    assert closing("Madame la Commissaire,", i18n.translations("fr")) == (
        "Nous vous prions d’agréer, Madame la Commissaire, l’expression de notre haute "
        "considération."
    )
    assert closing("Hörmətli Komissar,", i18n.translations("az")) == "Hörmətlə,"


@pytest.mark.parametrize(
    ("language", "greetings", "expected"),
    [
        ("en", ["Dear Chair,", "Dear Ms Neumann,"], "Dear Chair, dear Ms Neumann,"),
        (
            "fr",
            ["Madame la Présidente,", "Monsieur le Député,"],
            "Madame la Présidente, Monsieur le Député,",
        ),
        (
            "az",
            ["Hörmətli Sədr,", "Hörmətli xanım Neumann,"],
            "Hörmətli Sədr, hörmətli xanım Neumann,",
        ),
        ("fr", ["Madame, Monsieur,", "Madame, Monsieur,"], "Madame, Monsieur,"),
    ],
)
def test_combined_salutation(language: str, greetings: list[str], expected: str) -> None:
    assert combine(greetings, language) == expected
