"""Keeping confidential case names out of documents that may not carry them.

The template context of a public document never contains restricted or withheld cases (see
:mod:`briefgen.context`). What the filter cannot see is a name typed into free text: a
section that mentions a restricted person, a note that copies a case summary. Two guards
close that gap: :func:`campaign_leaks` reports such text at ``check`` time, with its line, and
:func:`document_leaks` refuses to write a rendered document that names a case its edition
may not name. Neither ever prints the name it found.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from .model import Campaign, Case, LocalText, visible
from .names import ascii_fold

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SQUASH = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212_'’.,]+")


def normalise(text: str) -> str:
    """NFKC, case-folded, without soft hyphens or zero-width characters, spaces collapsed."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(text.split())


def squash(text: str) -> str:
    """:func:`normalise` without spaces, hyphens and apostrophes: line breaks, hyphenation
    and spacing no longer matter ("Gizli-\\nCanary" and "Gizli Canary" are the same)."""
    return _SQUASH.sub("", normalise(text))


def forms(text: str) -> set[str]:
    """The forms a name is searched in: squashed, and squashed ASCII-folded."""
    squashed = squash(text)
    return {squashed, ascii_fold(squashed)} - {""}


_WORD_BREAK = re.compile(r"[\W_]+")
SHORT = 4
"""Names whose squashed form is shorter than this are searched as whole words ("Ali" is not
found in "Alibek"); longer ones anywhere, across spaces, hyphens and line breaks."""


def words(text: str) -> str:
    """:func:`normalise` with every run of non-word characters made one space, padded."""
    return f" {_WORD_BREAK.sub(' ', normalise(text)).strip()} "


class Haystack:
    """Texts prepared for searching: their squashed forms, and their words (plain and
    folded), each made when first needed."""

    def __init__(self, *texts: str) -> None:
        self.texts = texts

    @functools.cached_property
    def squashed(self) -> frozenset[str]:
        return frozenset(form for text in self.texts for form in forms(text))

    @functools.cached_property
    def words(self) -> frozenset[str]:
        spaced = [words(text) for text in self.texts]
        return frozenset(spaced + [ascii_fold(text) for text in spaced])


def haystack(*texts: str) -> Haystack:
    """``texts`` prepared for :func:`contains`."""
    return Haystack(*texts)


@functools.lru_cache(maxsize=4096)
def _needle(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(forms searched anywhere, word spellings searched as whole words) of a name."""
    anywhere: list[str] = []
    whole: list[str] = []
    for form in sorted(forms(name)):
        if len(form) >= SHORT or _ideographic(form):
            anywhere.append(form)
        elif len(form) >= 2:
            whole.extend(s for s in {words(name), ascii_fold(words(name))} if s.strip())
    return tuple(anywhere), tuple(dict.fromkeys(whole))


def _ideographic(text: str) -> bool:
    # Scripts written without spaces between words (CJK, kana, hangul): a name of two or
    # three characters is a whole name, and it sits inside other text with no word break.
    return any("\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7af" for ch in text)


def contains(hay: Haystack, needle: str) -> bool:
    """Whether ``needle`` occurs in the text prepared as ``hay``."""
    anywhere, whole = _needle(needle)
    if any(form in text for form in anywhere for text in hay.squashed):
        return True
    return any(spelling in text for spelling in whole for text in hay.words)


@dataclass(frozen=True)
class Secret:
    """A name a document may not carry: of which case, and what it is."""

    case_index: int
    visibility: str
    text: str


def case_names(case: Case) -> list[str]:
    """Every spelling of a case's name: all languages, aliases, and without "(...)" notes."""
    names: list[str] = []
    for value in (case.name, *case.aliases):
        for text in value.texts():
            names.append(text)
            bare = re.sub(r"\s*\([^)]*\)", "", text).strip()
            if bare and bare != text:
                names.append(bare)
    return list(dict.fromkeys(names))


def secrets(campaign: Campaign, edition: str) -> list[Secret]:
    """The names a document of ``edition`` may not carry (withheld ones: no document may)."""
    found: list[Secret] = []
    for index, case in enumerate(campaign.cases):
        if not visible(case.visibility, edition):
            found.extend(Secret(index, case.visibility, name) for name in case_names(case))
    return found


_TAG = re.compile(r"<[^>]*>")


def document_haystack(text: str) -> Haystack:
    """A rendered document prepared for searching: its text with the tags taken out (so
    "Na<br>me" is "Name"), and its markup as written (attributes, link targets)."""
    return haystack(html.unescape(_TAG.sub("", text)), html.unescape(text))


def document_leaks(rendered_html: str, campaign: Campaign, edition: str) -> list[Secret]:
    """The secrets a rendered document of ``edition`` would reveal (empty: none)."""
    found = secrets(campaign, edition)
    if not found:
        return []
    hay = document_haystack(rendered_html)
    return [s for s in found if contains(hay, s.text)]


def describe(secret: Secret) -> str:
    """A message about a leak that does not repeat the name."""
    return (
        f"would name the {secret.visibility} case cases[{secret.case_index}]; remove that "
        "name from the text this document uses (sections, demands, summaries, notes)"
    )


def public_texts(campaign: Campaign) -> list[tuple[tuple[str | int, ...], LocalText, str]]:
    """(path, text, the edition it may reach) of every text field of the campaign.

    The edition is "public" for text that can reach a public document, "restricted" for text
    only restricted documents print.
    """
    from .textcheck import printed_strings, with_source_reach
    from .validate import iter_texts  # a model walk shared with the translation checks

    found = []
    # Translatable texts, and the printed texts that are not (copies, addresses, numbers).
    for path, text in [*iter_texts(campaign), *printed_strings(campaign)]:
        edition = "public"
        head = path[0]
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        if path[-1] == "restricted_note":
            edition = "restricted"
        elif head == "cases" and index is not None:
            if campaign.cases[index].visibility != "public":
                edition = (
                    "restricted" if campaign.cases[index].visibility == "restricted" else "withheld"
                )
        elif head == "brief" and len(path) > 2 and path[1] == "sections":
            edition = campaign.brief.sections[int(path[2])].visibility
        elif head == "demands" and index is not None:
            edition = campaign.demands[index].visibility
        elif head == "recipients" and index is not None:
            entry = campaign.recipients[index]
            # An import entry's defaults reach the letters of the defaults' edition.
            given = getattr(entry, "defaults", entry)
            edition = getattr(given, "edition", None) or "public"
        elif head == "joint_letters" and index is not None:
            edition = joint_edition(campaign, index)
        found.append((path, text, edition))
    return with_source_reach(campaign, found)


def joint_edition(campaign: Campaign, index: int) -> str:
    """The edition of joint letter ``index``: its own, else restricted only if every
    recipient is (one not found, imported and not yet expanded, counts as public)."""
    joint = campaign.joint_letters[index]
    if joint.edition:
        return joint.edition
    people = {p.id: p for p in campaign.people}
    to = [people.get(ref) for ref in joint.to]
    return "restricted" if all(p and p.edition == "restricted" for p in to) else "public"


def campaign_leaks(campaign: Campaign) -> list[tuple[tuple[str | int, ...], Secret]]:
    """(path, secret) for every text field that names a case a document of its edition may
    not name. The case's own fields are not counted against itself."""
    leaks = []
    by_edition: dict[str, list[Secret]] = {}
    for path, text, edition in public_texts(campaign):
        if edition == "withheld":
            edition = "restricted"  # a withheld case's own text is never printed
        if edition not in by_edition:
            by_edition[edition] = secrets(campaign, edition)
        hay = None
        for secret in by_edition[edition]:
            if path[:2] == ("cases", secret.case_index):
                continue
            hay = hay or haystack(*text.texts())
            if contains(hay, secret.text):
                leaks.append((path, secret))
    return leaks


def entirely_public(campaign: Campaign) -> bool:
    """Whether nothing in the campaign is restricted or withheld: the whole campaign file may
    then travel with a public document (as a PDF/A-3 attachment)."""
    if any(case.visibility != "public" for case in campaign.cases):
        return False
    if any(r.edition != "public" for r in campaign.people):
        return False
    return all(level == "public" for _path, _text, level in public_texts(campaign))
