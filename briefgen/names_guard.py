"""Which parts of a person's name identify them, and where a text names someone by them.

A confidential case is named not only by its full name: campaign staff write "Qodirov",
"Mr Qodirov", "A. Qodirov", "QODIROV", "Qodirov's", "Qodirovun". This module splits a name into
its parts (given names, patronymic, family name), decides which parts identify the person
(see :func:`name_parts`), and finds them in any text (:class:`Guard`): case-folded,
accent-folded (ə, ı, İ, ł, ø...; the Cyrillic schwa ә as the Latin ə; Cyrillic look-alike
letters as Latin ones), across soft hyphens and words split by a hyphen at a line end, with
inflections and possessives that keep the name as the start of a word. A found part is a
:class:`Mention`, with where it is in the text and the words around it that belong to it
(a title, an initial, the other parts of the name), so that an allowed phrase, or the name
of another person the campaign names in public, can be told from it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .name_lexicon import (
    AFTER_TITLES,
    COMMON_GIVEN_NAMES,
    ENDINGS,
    FAMILY_SUFFIXES,
    GENDER_ENDINGS,
    PARTICLES,
    PATRONYMIC_BEFORE,
    PATRONYMIC_SUFFIXES,
    PATRONYMIC_WORDS,
    TITLES,
)
from .name_words import Token, Words, fold, schwas, squash, words  # noqa: F401 (used as ng.*)

# --- The parts of a name ------------------------------------------------------------------

PREFIX = 5
"""Name parts of at least this many letters are found at the start of any word (Qodirov,
Qodirov's, Qodirovun, Qodirova); shorter ones as whole words or with one of :data:`ENDINGS`."""
SHORTEST = 3
"""Name parts shorter than this are searched only after a title, an initial or a given name
of the same person ("Mr Li", "W. Li", "Wei Li"), never alone."""


@dataclass(frozen=True)
class Part:
    """A part of a name searched on its own.

    ``kind`` is "name" (the whole name), "family", "patronymic" or "given"; ``common``: a
    common given name, only worth a warning; ``anywhere``: a whole name found anywhere in
    the squashed text (as :func:`squash` makes it); ``prefix``: the last word may begin a
    longer word; ``context``: only after a title, an initial or another name of the person.
    """

    words: tuple[str, ...]
    kind: str
    common: bool = False
    anywhere: bool = False
    prefix: bool = False
    context: bool = False

    @property
    def key(self) -> str:
        return "".join(self.words)


def _ideographic(text: str) -> bool:
    # Scripts written without spaces between words (CJK, kana, hangul): a name of two or
    # three characters is a whole name, and it sits inside other text with no word break.
    return any("\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7af" for ch in text)


def _has(word: str, suffixes: Iterable[str]) -> bool:
    return any(word.endswith(s) and len(word) > len(s) + 1 for s in suffixes)


def _single(word: str, kind: str) -> list[Part]:
    """The part(s) for one folded word of a name (a family name also by its stem)."""
    if len(word) < SHORTEST:
        return [Part((word,), kind, context=True)] if kind == "family" else []
    # Common as written, or with its e read as a (an ə: Nərgiz is Nargiz, Fəridə Farida).
    common = kind == "given" and (
        word in COMMON_GIVEN_NAMES or word.replace("e", "a") in COMMON_GIVEN_NAMES
    )
    # A given name begins other names ("Anvarov"): it is found whole, or with an ending.
    found = [Part((word,), kind, common=common, prefix=kind != "given" and len(word) >= PREFIX)]
    if kind == "family":
        for ending, stem in GENDER_ENDINGS:
            short = word[: -len(ending)] + stem
            if word.endswith(ending) and short != word and len(short) >= PREFIX:
                found.append(Part((short,), kind, prefix=True))
                break
    return found


def name_parts(name: str) -> list[Part]:
    """The parts of one spelling of a name that identify the person, and how to find them.

    - the whole name, squashed, anywhere (whole words if shorter than four letters);
    - patronymics: a word ending in -ovich, -ovna, -oğlu, -qızı... or a word before
      "oğlu"/"qızı" or after "bin"/"ibn" (searched with it);
    - given names: the first word (the word before a patronymic; the second word when the
      first ends like a family name, as in "Qodirov Anvar"), and middle words that are
      common given names;
    - family names: every other word (always the last one), and each part of a hyphenated
      one, with the stem shared by its forms for women and men;
    - particles (van, de, al...) and initials are not searched on their own.
    """
    parts: list[Part] = []
    name = re.sub(r"\s*\([^)]*\)", " ", name).strip()  # "(illustrative example)": a note
    whole = squash(name)
    if not whole:
        return parts
    tokens = tuple(t.text for t in words(name).tokens)
    if _ideographic(whole) or (len(tokens) > 1 and len(whole) >= 4):
        parts.append(Part((whole,), "name", anywhere=True))
    else:
        parts.append(Part(tokens, "name", prefix=len(whole) >= PREFIX))
    if _ideographic(whole):
        return parts
    raw = [w for w in re.split(r"\s+", name.strip()) if w]
    pieces = [[t.text for t in words(w).tokens] for w in raw]
    kept: list[tuple[int, list[str]]] = []  # (word index, its folded pieces)
    patronymic: set[int] = set()
    for i, folded in enumerate(pieces):
        joined = "".join(folded)
        if not folded or joined in PARTICLES or (len(joined) == 1):
            continue
        if joined in PATRONYMIC_WORDS and kept and kept[-1][0] == i - 1:
            parts.append(Part((*kept[-1][1], joined), "patronymic"))
            patronymic.add(kept.pop()[0])
            continue
        if i > 0 and "".join(pieces[i - 1]) in PATRONYMIC_BEFORE:
            parts.append(Part(("".join(pieces[i - 1]), joined), "patronymic"))
            patronymic.add(i)
            continue
        if _has(joined, PATRONYMIC_SUFFIXES):
            parts.extend(_single(joined, "patronymic"))
            patronymic.add(i)
            continue
        kept.append((i, folded))
    if not kept:
        return parts
    given: set[int] = set()
    single_patronymic = [i for i in patronymic if i > 0]
    first, last = kept[0][0], kept[-1][0]
    if len(kept) == 1:
        if patronymic:
            given.add(first)  # "Həsən Kərim oğlu": a given name and a patronymic
    elif single_patronymic and any(k == min(single_patronymic) - 1 for k, _ in kept):
        given.add(min(single_patronymic) - 1)
    elif _has("".join(kept[0][1]), FAMILY_SUFFIXES) and not _has(
        "".join(kept[-1][1]), FAMILY_SUFFIXES
    ):
        given.add(kept[1][0])  # family name first: "Qodirov Anvar"
    else:
        given.add(first)
    for i, folded in kept:
        joined = "".join(folded)
        if i not in given and i != last and not _has(joined, FAMILY_SUFFIXES):
            given.update([i] if joined in COMMON_GIVEN_NAMES else [])
    for i, folded in kept:
        kind = "given" if i in given else "family"
        if len(folded) > 1:  # hyphenated: each part, and the whole
            for piece in folded:
                if piece not in PARTICLES:
                    parts.extend(_single(piece, kind))
        parts.extend(_single("".join(folded), kind))
    unique: dict[tuple[tuple[str, ...], str], Part] = {}
    for part in parts:
        unique.setdefault((part.words, part.kind), part)
    return list(unique.values())


def spellings(name: str) -> list[str]:
    """``name`` as written, and with ə as "a" if it has one (Məmmədov, Mammadov)."""
    return [name] if schwas(name) == ("e",) else [name, name.replace("ə", "a").replace("Ə", "A")]


# --- Finding names in a text --------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone whose name a text may not carry: a case, by its index in ``cases``."""

    index: int
    visibility: str
    parts: tuple[Part, ...]
    words: frozenset[str]  # every folded word of the person's names (to widen a mention)
    given: frozenset[str]  # given names and initials that may stand before a short family name
    label: str = ""  # how messages name the case, when not "cases[index]" (an earlier round's)


@dataclass(frozen=True)
class Mention:
    """Where a text names a person: ``start``/``end`` in the original text of the words
    found, ``first``/``last`` the same widened to a title, initial or other name words."""

    person: Person
    part: Part
    start: int
    end: int
    first: int
    last: int
    allowed: str | None = None  # the allowed phrase it stands in (folded words)
    other: bool = False  # it stands in the name of someone else the campaign names

    @property
    def excused(self) -> bool:
        """Whether an allowed phrase or another person's name explains it."""
        return self.allowed is not None or self.other

    @property
    def warning(self) -> bool:
        """Only a common given name: a warning, not an error."""
        return self.part.common


def person(index: int, visibility: str, names: Iterable[str], label: str = "") -> Person:
    """A :class:`Person` for the case at ``index`` with these spellings of its name
    (``label``: how messages name it, when it is not ``cases[index]``)."""
    parts: dict[tuple[tuple[str, ...], str], Part] = {}
    all_words: set[str] = set()
    given: set[str] = set()
    for name in names:
        for spelling in spellings(name):
            for part in name_parts(spelling):
                if part.key:
                    parts.setdefault((part.words, part.kind), part)
            for token in words(spelling).tokens:
                all_words.add(token.text)
            given.update(
                p.words[0] for p in name_parts(spelling) if p.kind in ("given", "patronymic")
            )
    # A name part that is also the whole name (a one-word name) is searched once, as a name.
    whole = {p.key for p in parts.values() if p.kind == "name"}
    kept = [p for p in parts.values() if p.kind == "name" or p.key not in whole or p.context]
    kept.sort(key=lambda p: (p.kind != "name", p.common, -len(p.key)))
    return Person(index, visibility, tuple(kept), frozenset(all_words), frozenset(given), label)


def _found_at(text: Words, offset: int, part: Part) -> tuple[int, int] | None:
    """The token range (first, last) where ``part`` is found at squashed ``offset``."""
    starts, tokens = text.starts, text.tokens
    if part.anywhere:
        first = bisect.bisect_right(starts, offset) - 1
        if starts[first] != offset and not _ideographic(part.key):
            return None  # a whole name begins a word ("zahra-gizli" in a link, not "xzahra")
        last = bisect.bisect_right(starts, offset + len(part.key) - 1) - 1
        return first, last
    position = offset
    first = bisect.bisect_left(starts, position)
    if first >= len(starts) or starts[first] != position:
        return None  # not at the start of a word
    k = first
    for number, word in enumerate(part.words):
        if k >= len(tokens) or starts[k] != position:
            return None
        end = position + len(word)
        m = k
        while m + 1 < len(tokens) and starts[m + 1] < end:
            if not tokens[m + 1].glued:
                return None  # runs into the next word: "has an" is not "Hasan"
            m += 1
        token_end = starts[m] + len(tokens[m].text)
        if number < len(part.words) - 1:
            if end != token_end:
                return None
        elif not part.prefix and end != token_end and text.squashed[end:token_end] not in ENDINGS:
            return None
        position, k = token_end, m + 1
    return first, k - 1


def _widen(text: Words, first: int, last: int, who: Person) -> tuple[int, int]:
    tokens = text.tokens
    while first > 0:
        before = tokens[first - 1]
        if before.text in TITLES or before.initial or before.text in who.words:
            first -= 1
        else:
            break
    while last + 1 < len(tokens):
        after = tokens[last + 1]
        if after.text in AFTER_TITLES or after.text in who.words or after.text in PATRONYMIC_WORDS:
            last += 1
        else:
            break
    return first, last


def _context_ok(text: Words, first: int, who: Person) -> bool:
    if first == 0:
        return False
    before = text.tokens[first - 1]
    return before.text in TITLES or before.initial or before.text in who.given


class Phrases:
    """Phrases a mention may stand inside without naming the person: allowed texts, and the
    names of other people the campaign names in public."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.texts: list[str] = []
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        """Add the phrase ``text`` (in all its folds)."""
        self.texts.append(text)
        for schwa in schwas(text):
            phrase = tuple(t.text for t in words(text, schwa).tokens)
            if phrase and phrase not in self.by_first.get(phrase[0], []):
                self.by_first.setdefault(phrase[0], []).append(phrase)

    def covers(self, text: Words, first: int, last: int) -> tuple[str, ...] | None:
        """The phrase whose occurrence in ``text`` holds tokens ``first``..``last``."""
        tokens = text.tokens
        for start in range(first, max(-1, first - 12), -1):
            for phrase in self.by_first.get(tokens[start].text, ()):
                end = start + len(phrase) - 1
                if end < last or end >= len(tokens):
                    continue
                if all(tokens[start + i].text == w for i, w in enumerate(phrase[:-1])):
                    tail, word = tokens[end].text, phrase[-1]
                    if tail == word or (
                        tail.startswith(word)
                        and (len(word) >= PREFIX or tail[len(word) :] in ENDINGS)
                    ):
                        return phrase
        return None


def prefilter(squashed_texts: Iterable[str], people: Iterable[Person]) -> list[Person]:
    """The people some part of whose name occurs in one of ``squashed_texts`` (a quick test
    with no word boundaries: a person not returned is certainly not named)."""
    texts = list(squashed_texts)
    return [who for who in people if any(p.key in text for p in who.parts for text in texts)]


def mentions(
    text: str,
    people: Iterable[Person],
    allowed: dict[int, Phrases] | None = None,
    others: Iterable[Phrases] = (),
) -> list[Mention]:
    """Every place ``text`` names one of ``people``, in order (overlaps merged per person).

    ``allowed`` holds, by case index, the phrases declared not to name that person;
    ``others`` the names of other people (a part of the name inside one of them is not a
    mention; a whole name always is, unless allowed).
    """
    folds, other_names = schwas(text), list(others)
    candidates = prefilter([squash(text, schwa) for schwa in folds], people)
    if not candidates:
        return []
    found: list[Mention] = []
    for schwa in folds:
        prepared = words(text, schwa)
        squashed = prepared.squashed
        for who in prefilter([squashed], candidates):
            mine = (allowed or {}).get(who.index)
            for part in who.parts:
                offset = squashed.find(part.key)
                while offset >= 0:
                    at = _found_at(prepared, offset, part)
                    if at is not None and (not part.context or _context_ok(prepared, at[0], who)):
                        found.append(_mention(prepared, at, who, part, mine, other_names))
                    offset = squashed.find(part.key, offset + 1)
    return _merge(found)


def _mention(
    text: Words,
    at: tuple[int, int],
    who: Person,
    part: Part,
    allowed: Phrases | None,
    others: list[Phrases],
) -> Mention:
    first, last = _widen(text, *at, who)
    tokens = text.tokens
    by = allowed.covers(text, first, last) if allowed else None
    other = (
        by is None
        and part.kind != "name"
        and any(o.covers(text, first, last) is not None for o in others)
    )
    return Mention(
        who,
        part,
        tokens[at[0]].start,
        tokens[at[1]].end,
        tokens[first].start,
        tokens[last].end,
        " ".join(by) if by else None,
        other,
    )


def _merge(found: list[Mention]) -> list[Mention]:
    """One mention per person and place: where mentions overlap, the one that counts most
    wins (not excused before excused, an error before a warning, a whole name first)."""

    def weight(m: Mention) -> tuple[bool, bool, bool]:
        return (m.excused, m.part.common, m.part.kind != "name")

    found.sort(key=lambda m: (m.person.index, m.start, weight(m)))
    merged: list[Mention] = []
    for mention in found:
        last = merged[-1] if merged else None
        if last and last.person.index == mention.person.index and mention.start < last.end:
            if weight(mention) < weight(last):
                merged[-1] = mention
            continue
        merged.append(mention)
    return sorted(merged, key=lambda m: (m.start, m.person.index))
