"""People's names: family names for salutations, the European Parliament's capitals made
readable, names folded for comparison, and file-safe ids."""

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

# Particles in lower case whatever the country (used when it is not known): "VON DER LEYEN"
# is "von der Leyen", but "DE CROO" may be Belgian "De Croo" or Dutch "de Croo".
_LOWER_ANYWHERE = {"von", "vom", "zu", "zum", "zur", "y", "bin", "ibn", "bint", "ap"}

_JOINED = {"der", "den", "de", "het", "'t", "la", "las", "los", "le", "da", "do", "dos"}
"""Particles that stay in lower case after a lower-case particle ("von der", "de la")."""

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
    particles = PARTICLES.get(country, set()) if country else _LOWER_ANYWHERE
    words: list[str] = []
    for word in family.split():
        parts = [_cap(part) for part in word.split("-")]
        parts = [p.lower() if p.lower() in particles else p for p in parts]
        after_particle = bool(words) and words[-1].islower()
        if after_particle and parts[0].lower() in _JOINED:  # "von der", "de la"
            parts[0] = parts[0].lower()
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


# -- family names for salutations ---------------------------------------------------------------

# Words that begin a family name when they follow a given name: "Seán Ó Briain", "Ursula von
# der Leyen", "Pilar del Castillo Vera", "Mohammed bin Salman", "Rhys ap Gruffydd". Everything
# from the first of them to the end is the family name.
FAMILY_PARTICLES = frozenset(
    {
        # Irish and Scottish Gaelic
        "ó", "o", "ní", "nic", "uí", "ua", "mac", "mic", "mhic", "mc",
        # Dutch, Flemish, German, Scandinavian
        "van", "von", "vom", "zu", "zum", "zur", "ter", "ten", "te", "af", "av", "'t",
        # French, Italian, Spanish, Portuguese
        "de", "d'", "du", "des", "del", "della", "delle", "dei", "degli", "dalla", "di", "da",
        "das", "do", "dos", "le", "la", "lo", "les", "san", "santa", "st", "st.", "saint",
        # Arabic, Hebrew, Welsh
        "al", "el", "bin", "ibn", "bint", "ben", "abu", "ap", "ab", "verch", "ferch",
    }
)  # fmt: skip
_ARTICLES = frozenset({"al", "el", "āl"})
"""Arabic family articles: "Mohammed bin Rashid Al Maktoum" is of the family Al Maktoum."""
_CONJUNCTIONS = frozenset({"y", "i", "e"})
"""Spanish, Catalan and Portuguese "and" between two surnames: "Ortega y Gasset"."""
_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord",
        "lady", "h.e.", "he", "hon", "rt", "m.", "mme", "mlle", "madame", "monsieur", "herr",
        "frau", "señor", "señora", "sr", "sra", "dott", "dott.ssa", "ing", "mag",
    }
)  # fmt: skip
_SUFFIXES = frozenset(
    {"jr", "jr.", "sr.", "junior", "senior", "ii", "iii", "iv", "kc", "qc", "mep", "mp", "phd"}
)
# The most common Chinese family names in pinyin: "Xi Jinping", "Wang Yi" are written family
# name first.
_CHINESE_FAMILIES = frozenset(
    """li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo
    zheng liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang
    yu du ye cheng wei su lü lv ding ren lu yao shen zhong cui tan fan jin shi liao jia xia
    wen fang bai zou meng xiong qin qiu hou yin xue yan duan lei long shao wan qian dai mao
    kong gu xi qi""".split()  # noqa: SIM905
)
_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uai|iao|ian|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|"
    r"ua|uo|ui|un|ue|a|o|e|i|u|v)'?){1,3}"
)
_KOREAN_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")
"""A Korean given name as the West writes it: "Jong-un", "Ki-moon", "Jae-in"."""


def _bare(word: str) -> str:
    return word.casefold().strip(",")


def _is_capitals(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _east_asian_first(words: list[str]) -> bool:
    """Whether ``words`` are a Chinese or Korean name written family name first."""
    if len(words) != 2 or not words[0][:1].isupper():
        return False
    family, given = words
    if _KOREAN_GIVEN.fullmatch(given) and len(family) <= 5:
        return True
    plain = ascii_fold(given)
    return (
        ascii_fold(family).casefold() in _CHINESE_FAMILIES
        and plain[:1].isupper()
        and plain[1:].islower()
        and _PINYIN.fullmatch(plain.casefold()) is not None
    )


def _strip_titles(words: list[str]) -> list[str]:
    while len(words) > 1 and _bare(words[0]).rstrip(".") in _TITLES | {"h.e"}:
        words = words[1:]
    while len(words) > 1 and _bare(words[-1]) in _SUFFIXES | {s + "." for s in _SUFFIXES}:
        words = words[:-1]
    return words


def family_name(name: str, country: str | None = None) -> str:
    """The family name of ``name``, as used after an honorific ("Dear Ms ...").

    Understood: a family name in capitals ("Pilar DEL CASTILLO VERA", "XI Jinping"), the
    form "Family, Given", particles and compounds ("Seán Ó Briain" → "Ó Briain", "Ursula von
    der Leyen" → "von der Leyen", "Mohammed bin Rashid Al Maktoum" → "Al Maktoum", "José
    Ortega y Gasset" → "Ortega y Gasset"), Chinese and Korean names written family name
    first ("Xi Jinping", "Moon Jae-in"). Otherwise the last word: a double surname without a
    particle ("Josep Borrell Fontelles") needs the recipient's ``family_name`` field.
    ``country`` chooses the particles written in lower case when the name is in capitals.
    """
    text = " ".join(name.split())
    if "," in text:
        head, _, tail = text.partition(",")
        tail_words = tail.split()
        family = " ".join(_strip_titles(head.split()))
        if family and tail_words and not all(_bare(w) in _SUFFIXES for w in tail_words):
            return family_case(family, country) if _is_capitals(family) else family
        text = head
    words = _strip_titles(text.split())
    if not words:
        return name.strip()
    capitals = [_is_capitals(w) for w in words]
    if any(capitals) and not all(capitals):
        # The Parliament's convention, used in many lists: the family name in capitals.
        start = capitals.index(True)
        end = start
        while end < len(words) and (capitals[end] or _bare(words[end]) in _CONJUNCTIONS):
            end += 1
        return family_case(" ".join(words[start:end]), country)
    if all(capitals):
        words = [_cap(w) for w in words]
    if len(words) == 1:
        return words[0]
    if _east_asian_first(words):
        return words[0]
    folded = [_bare(w) for w in words]
    for i in range(len(words) - 2, 0, -1):  # the last Arabic article: "... Al Maktoum"
        if folded[i] in _ARTICLES:
            return " ".join(words[i:])
    for i in range(1, len(words) - 1):
        if folded[i] in FAMILY_PARTICLES:
            return " ".join(words[i:])
        if folded[i] in _CONJUNCTIONS and i >= 2 and words[i + 1][:1].isupper():
            return " ".join(words[i - 1 :])
    return words[-1]


def name_key(name: str) -> tuple[str, ...]:
    """``name`` folded for comparison: accents, case, titles, punctuation and word order do not
    count ("Maria ARENA", "Arena, Maria" and "Dr María Arena" give the same key)."""
    words = _strip_titles(name.replace(",", " , ").split())
    text = " ".join(w for w in words if w != ",")
    folded = re.sub(r"[^a-z0-9]+", " ", ascii_fold(text).casefold())
    return tuple(sorted(folded.split()))


def readable(name: str) -> tuple[str, str | None]:
    """``name`` as a letter prints it, and its family name when the way it was written says
    so: "Borrell Fontelles, Josep" (a contact database's order) is "Josep Borrell Fontelles",
    "Pilar DEL CASTILLO VERA" (the Parliament's capitals) is "Pilar Del Castillo Vera".
    Other names are returned as they are, with ``None``."""
    text = " ".join(name.split())
    head, comma, tail = text.partition(",")
    suffix = all(_bare(w) in _SUFFIXES for w in tail.split())
    if comma and head.strip() and tail.strip() and "," not in tail and not suffix:
        family = family_name(text)
        return f"{tail.strip()} {family}", family
    words = text.split()
    capitals = [_is_capitals(w) for w in words]
    if any(capitals) and not all(capitals):
        family = family_name(text)
        start = capitals.index(True)
        end = start + len(family.split())
        return " ".join([*words[:start], family, *words[end:]]), family
    return name, None
