"""Words of a text and of a name, folded to one spelling for every way it can be typed.

Case-folded for every language, accent-folded (ə, ı, İ, ł, ø...; the Cyrillic schwa ә as the
Latin ə; Cyrillic look-alike letters as Latin ones), across soft hyphens and words split by a
hyphen at a line end: what :mod:`briefgen.names_guard` compares.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# --- Folding: one spelling for every way a name can be typed -------------------------------

_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
)
_STRIP_MARKS = re.compile(f"[{_MARKS}]+")
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Special letters spelt in Latin; the Cyrillic schwa (U+04D9), which some sources type for
# the Latin ə; Cyrillic letters that look like Latin ones (a word typed with the wrong
# keyboard); apostrophes written as letters or accents; invisible characters dropped.
_ONE = ("ıłøđðħŧŀәаеорсухіјѕһԁӏʼʻʹ’‘`´", "iloddhtləaeopcyxijshdl" + "'" * 7)
_LETTERS = {
    **dict(zip(*_ONE, strict=True)),
    **{"æ": "ae", "œ": "oe", "þ": "th"},
    **{ch: "" for ch in _INVISIBLE},
}
_TABLES = {schwa: {**_LETTERS, "ə": schwa, "ә": schwa} for schwa in ("e", "a")}


def fold(text: str, schwa: str = "e") -> str:
    """``text`` lower-cased for every language (İ, I, ı all become i), without accents or
    invisible characters, special letters spelt in Latin; ə becomes ``schwa`` ("e", as in
    Veliyev, or "a", as in Mammadov)."""
    if text.isascii():
        return text.lower().replace("`", "'")
    folded = _STRIP_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    # One replace per special letter present (str.translate looks up every character).
    for char, spelt in _TABLES[schwa].items():
        if char in folded:
            folded = folded.replace(char, spelt)
    return unicodedata.normalize("NFC", folded)


def schwas(text: str) -> tuple[str, ...]:
    """The folds of ``text`` to compare: ə as "e", and also as "a" when it has an ə."""
    return ("e", "a") if ("ə" in text or "Ə" in text or "ә" in text or "Ә" in text) else ("e",)


_SQUASH = re.compile(r"[\W_]+")


def squash(text: str, schwa: str = "e") -> str:
    """:func:`fold` with everything but letters and digits removed (spaces, hyphens, tags'
    leftovers): how a full name is searched, whatever splits it."""
    return _SQUASH.sub("", fold(text, schwa))


# --- Words of a text ----------------------------------------------------------------------

_WORD = re.compile(f"(?:[^\\W_\u02b9\u02bb\u02bc]|[{_INVISIBLE}{_MARKS}])+")
_GLUE = re.compile(r"[-\u2010\u2011]\s*")


@dataclass(frozen=True)
class Token:
    """A word of a text, folded, with where it is in the original text. ``glued``: only a
    hyphen (and a line break) separates it from the word before, as in "Qodi-\\nrov"."""

    text: str
    start: int
    end: int
    glued: bool
    initial: bool  # one letter followed by a full stop ("A.")


@dataclass
class Words:
    """A text as words, and the same words squashed into one string with each word's offset."""

    source: str
    tokens: list[Token]
    squashed: str = ""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        offset = 0
        for token in self.tokens:
            self.starts.append(offset)
            offset += len(token.text)
        self.squashed = "".join(t.text for t in self.tokens)


def words(text: str, schwa: str = "e") -> Words:
    """The words of ``text`` folded with ``schwa`` (see :func:`fold`)."""
    tokens: list[Token] = []
    end = 0
    for match in _WORD.finditer(text):
        folded = _SQUASH.sub("", fold(match.group(), schwa))
        if not folded:
            continue
        glued = bool(tokens) and _GLUE.fullmatch(text, end, match.start()) is not None
        initial = len(folded) == 1 and text[match.end() : match.end() + 1] == "."
        tokens.append(Token(folded, match.start(), match.end(), glued, initial))
        end = match.end()
    return Words(text, tokens)
