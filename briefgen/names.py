"""People's names: the European Parliament's capitals made readable, and file-safe ids."""

from __future__ import annotations

import re
import unicodedata

# Lower-case particles of family names, by the country whose convention applies. Belgian
# "Van Brempt" and Italian "Di Rupo" keep their capitals; Dutch "van Brug", German
# "von der Schulenburg", Spanish "del Castillo Vera" and Portuguese "de Sá" do not.
PARTICLES: dict[str, set[str]] = {
    "Spain": {"de", "del", "la", "las", "los", "y", "i"},
    "Portugal": {"de", "da", "das", "do", "dos", "e"},
    "Netherlands": {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t"},
    "Germany": {"von", "der", "zu", "vom", "zum", "zur"},
    "Austria": {"von", "der", "zu"},
    "Luxembourg": {"von", "de"},
    "France": {"de", "d'", "du", "des"},
    "Sweden": {"von", "af", "de"},
    "Denmark": {"von", "af", "de"},
}

# Italian names written with a final apostrophe for an accented vowel ("PEDULLA'").
_ACCENTED = {"A": "à", "E": "è", "I": "ì", "O": "ò", "U": "ù"}
_FOLD = {
    "ł": "l",
    "Ł": "L",
    "ø": "o",
    "Ø": "O",
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "ı": "i",
    "ə": "e",
    "Ə": "E",
}


def _cap(word: str) -> str:
    """One word in capitals made title case: "AUŠTREVIČIUS" → "Auštrevičius"."""
    if not word:
        return word
    if word.endswith("'") and len(word) > 1 and word[-2] in _ACCENTED:
        return _cap(word[:-2]) + _ACCENTED[word[-2]]
    if "'" in word.strip("'"):  # O'SULLIVAN, D'AMATO
        head, _, tail = word.partition("'")
        return f"{_cap(head)}'{_cap(tail)}"
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + word[2:3] + word[3:].lower()
    return word[:1].upper() + word[1:].lower()


def family_case(family: str, country: str | None = None) -> str:
    """A family name written in capitals, properly cased for ``country``.

    Each word and each part of a hyphenated word gets a capital; the particles of the
    country's convention are lower case ("DEL CASTILLO VERA" → "del Castillo Vera" for Spain).
    """
    particles = PARTICLES.get(country or "", set())
    words = []
    for word in family.split():
        parts = [_cap(part) for part in word.split("-")]
        parts = [p.lower() if p.lower() in particles else p for p in parts]
        words.append("-".join(parts))
    return " ".join(words)


def split_ep_name(full_name: str) -> tuple[str, str]:
    """(given names, family name in capitals) of a Parliament "Petras AUŠTREVIČIUS" name."""
    tokens = full_name.split()
    index = len(tokens)
    while index > 0 and tokens[index - 1] == tokens[index - 1].upper():
        index -= 1
    if index == 0:  # all capitals: take the last word as the family name
        index = max(len(tokens) - 1, 0)
    return " ".join(tokens[:index]), " ".join(tokens[index:])


def ep_name(full_name: str, country: str | None = None) -> tuple[str, str]:
    """(full name, family name) properly cased from the Parliament's ``full_name``."""
    given, family = split_ep_name(" ".join(full_name.split()))
    family = family_case(family, country)
    return (f"{given} {family}".strip(), family)


_FOLD_TABLE = str.maketrans(_FOLD)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return text.encode("ascii", "ignore").decode("ascii")


def ascii_fold(text: str) -> str:
    """``text`` with accents removed and special letters spelt out in ASCII.

    Only the runs of non-ASCII characters are folded (a whole document's text is mostly
    ASCII; the result is the same, since ASCII is left as it is and decomposition never
    joins characters).
    """
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda match: _fold(match.group()), text)


def slug(text: str, max_length: int = 60) -> str:
    """A stable, file-name-safe id: "Pilar del Castillo Vera" → "pilar-del-castillo-vera"."""
    value = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    return value[:max_length].rstrip("-") or "recipient"
