"""Citations: pandoc's ``[@id]`` syntax in Markdown, and how each kind of source is cited.

The citation style (documented in the README) is a notes style: the first citation of a
source in a document gives it in full, later ones in short form, each in a footnote.

- report:   Publisher, *Title*, date, URL.
- news:     Author, “Title”, *Publisher*, date, URL.
- judgment: Court, *Case name*, application no. N, judgment of date, URL.
- law:      *Title*, no. N, Issuer, date, URL.
- document: Body, *Title*, symbol, date, URL.  (UN, Council of Europe documents...)
- other:    Publisher, *Title*, date, URL.

Short forms: the short title in italics (with the publisher for reports, news, documents);
a locator ("para. 45") follows either form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from babel import Locale
from markupsafe import Markup, escape

from .i18n import BABEL_LOCALES
from .model import LocalText, Source

# [@id], [@a; @b], [@id, para. 45], [see @id, p. 3] is not supported: a group is only @-keys.
CITATION = re.compile(
    r"\[\s*(@[a-z0-9]+(?:-[a-z0-9]+)*(?:\s*,[^;\[\]]*)?(?:\s*;\s*@[a-z0-9]+(?:-[a-z0-9]+)*"
    r"(?:\s*,[^;\[\]]*)?)*)\s*\]"
)
_KEY = re.compile(r"@([a-z0-9]+(?:-[a-z0-9]+)*)\s*(?:,\s*([^;]*?))?\s*(?:;|$)")


@dataclass(frozen=True)
class Cite:
    """One cited source in a citation group, with its optional locator."""

    source: str
    locator: str | None


def parse(group: str) -> list[Cite]:
    """The cites of one ``[@a, para. 4; @b]`` group (its text inside the brackets)."""
    return [Cite(m.group(1), (m.group(2) or "").strip() or None) for m in _KEY.finditer(group)]


def find(text: str) -> list[tuple[int, list[Cite]]]:
    """(offset, cites) of every citation group in Markdown ``text``."""
    return [(m.start(), parse(m.group(1))) for m in CITATION.finditer(text)]


def sources_cited(text: LocalText) -> set[str]:
    """The ids of the sources ``text`` cites, in any of its languages."""
    return {cite.source for value in text.texts() for _at, group in find(value) for cite in group}


_TITLE_PARTS = re.compile(r":\s+|\s+[—–]\s+")


@functools.cache
def _countries() -> frozenset[str]:
    """Country and territory names in every language briefgen writes (case-folded)."""
    names: set[str] = set()
    for language in BABEL_LOCALES.values():
        names.update(n.casefold() for n in Locale.parse(language).territories.values())
    return frozenset(names)


def _is_label(part: str) -> bool:
    """Whether a title's leading ``part`` only labels it (a country, or one or two words):
    "Tajikistan: Free Jailed Activists", "Central Asia: ..."."""
    part = part.strip()
    return part.casefold() in _countries() or len(part.split()) <= 2


def short_title(source: Source, language: str, fallback: str) -> str:
    """The title used for a repeated citation: ``short_title``, else the title up to its
    first colon or dash ("World Report 2020: Azerbaijan" → "World Report 2020"); when that
    part only labels the title — a country or one or two words — the part after it
    ("Tajikistan: Free Jailed Pamiri Activists" → "Free Jailed Pamiri Activists")."""
    if source.short_title:
        return source.short_title.resolve(language, fallback)[0]
    title = source.title.resolve(language, fallback)[0]
    parts = [p for p in _TITLE_PARTS.split(title) if p.strip()]
    if not parts:
        return title
    return parts[1] if len(parts) > 1 and _is_label(parts[0]) else parts[0]


def short_form(source: Source, language: str, fallback: str) -> str:
    """A repeated citation of ``source`` as plain text ("Human Rights Watch, Free ...")."""
    html = format_source(source, language, fallback, "", _NoTranslation(), short=True)
    return re.sub(r"<[^>]+>", "", str(html))


class _NoTranslation:
    @staticmethod
    def gettext(message: str) -> str:
        return message


def short_form_clashes(
    sources: list[Source], languages: list[str], fallback: str
) -> list[tuple[int, int, str, str]]:
    """(index, earlier index, language, short form) for each source whose repeated citation
    reads the same as an earlier one's: a reader could not tell them apart."""
    clashes = []
    pairs: set[tuple[int, int]] = set()
    for language in languages:
        seen: dict[str, int] = {}
        for index, source in enumerate(sources):
            form = short_form(source, language, fallback)
            key = " ".join(form.casefold().split())
            if key not in seen:
                seen[key] = index
            elif (index, seen[key]) not in pairs:  # one report a pair, in its first language
                pairs.add((index, seen[key]))
                clashes.append((index, seen[key], language, form))
    return clashes


def title_language(source: Source, language: str, fallback: str, *, short: bool = False) -> str:
    """The language of ``source``'s (``short``) title as a document in ``language`` shows it.

    A title written once is in the source's ``language``, else in the campaign's
    (``fallback``); a title written per language is in the language it is shown in.
    """
    field = source.short_title if short and source.short_title else source.title
    if field.plain is not None:
        return source.language or fallback
    return field.resolve(language, fallback)[1] or language


def _in_language(title: str, lang: str, language: str, tag: str | None) -> Markup:
    """``title`` in a ``tag`` element (a ``span`` if it needs one), with a ``lang``
    attribute if ``lang`` is not the document's ``language``."""
    if lang.split("-")[0].lower() != language:
        return Markup('<{0} class="title" lang="{1}">{2}</{0}>').format(tag or "span", lang, title)
    return Markup('<{0} class="title">{1}</{0}>').format(tag or "span", title)


def format_source(
    source: Source,
    language: str,
    fallback: str,
    date: str,
    gettext: object,
    *,
    short: bool = False,
    locator: str | None = None,
) -> Markup:
    """``source`` cited in full (or ``short``), in ``language``, with its ``locator``."""

    def text(value: LocalText | None) -> str:
        return value.resolve(language, fallback)[0] if value else ""

    def _(message: str) -> str:
        return str(gettext.gettext(message))  # type: ignore[attr-defined]

    lang = title_language(source, language, fallback, short=short)

    def titled(title: str, tag: str | None = "em") -> Markup:
        return _in_language(title, lang, language, tag)

    title = text(source.title)
    publisher = text(source.publisher)
    em = Markup('<em class="title">{}</em>')
    parts: list[Markup | str] = []
    kind = source.kind
    if short:
        shortened = short_title(source, language, fallback)
        if kind in ("report", "news", "document", "other") and publisher:
            parts.append(publisher)
        if kind == "news":
            parts.append(Markup("“{}”").format(titled(shortened, None)))
        else:
            parts.append(titled(shortened))
    elif kind == "news":
        parts += [p for p in (text(source.author),) if p]
        parts.append(Markup("“{}”").format(titled(title, None)))
        if publisher:
            parts.append(em.format(publisher))
        parts.append(date)
    elif kind == "judgment":
        if publisher:
            parts.append(publisher)
        parts.append(titled(title))
        if source.application:
            parts.append(_("application no. %(number)s") % {"number": source.application})
        parts.append(_("judgment of %(date)s") % {"date": date})
    elif kind == "law":
        parts.append(titled(title))
        if source.number:
            parts.append(source.number)
        if publisher:
            parts.append(publisher)
        parts.append(date)
    else:  # report, document, other
        if publisher:
            parts.append(publisher)
        parts.append(titled(title))
        if source.number:
            parts.append(source.number)
        parts.append(date)
    if locator:
        parts.append(locator)
    if source.url and not short:
        parts.append(Markup('<a href="{0}">{0}</a>').format(source.url))
    return Markup(", ").join(escape(p) for p in parts)


MESSAGES = ["application no. %(number)s", "judgment of %(date)s", "as of %(date)s"]
"""Messages this module looks up (added to the catalogs by tools/i18n.py)."""
