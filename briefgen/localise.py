"""A document's language: texts of the campaign in it, Markdown, dates, and footnotes.

:class:`Localiser` gives each translatable field the text of the document's language (or
its original, marked and listed as untranslated) and renders Markdown with citations;
:class:`Footnotes` numbers the citations of a document once it is rendered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from babel.dates import format_date
from markupsafe import Markup, escape

from . import citations, i18n, markdown
from .errors import RenderError
from .model import Campaign, LocalText


def long_date(value: dt.date, language: str) -> str:
    """``value`` as a long date in ``language``: "2 March 2020", "2 mars 2020", "2 mart 2020"."""
    return format_date(value, "long", locale=i18n.BABEL_LOCALES.get(language, language))


_SPACE_BEFORE_CALL = re.compile(r"(?<=\S)[ \t]*(?:\n[ \t]*)?(?=\ue000)")
_LIST_MARKER = re.compile(r"(?:^|\n)[ \t]*(?:[-*+>]|\d{1,9}[.)])$")


def _glue_calls(text: str) -> str:
    """``text`` without the spaces before its citation placeholders (but a citation that
    starts a list item stays where it is)."""

    def glue(match: re.Match[str]) -> str:
        return match.group(0) if _LIST_MARKER.search(text, 0, match.start()) else ""

    return _SPACE_BEFORE_CALL.sub(glue, text)


@dataclass
class Localiser:
    """Resolves translatable fields for one document language, noting what is untranslated.

    ``fallback`` is the language a field written once is taken to be in.
    """

    language: str
    fallback: str
    untranslated: list[str] = field(default_factory=list)
    citations: list[list[citations.Cite]] = field(default_factory=list)
    """Citation groups met so far, in order; the footnote markers in the HTML index them."""

    def _render(self, text: str) -> Markup:
        """Markdown to HTML; each ``[@id]`` becomes a footnote marker for :class:`Footnotes`."""
        found = citations.find(text)
        if not found:
            return markdown.render(text)
        # Placeholders from the private use area survive Markdown untouched.
        pieces = citations.CITATION.split(text)
        out, groups = [], []
        for index, piece in enumerate(pieces):
            if index % 2:
                groups.append(citations.parse(piece))
                out.append(f"\ue000{len(groups) - 1}\ue001")
            else:
                out.append(piece)
        # A footnote call sticks to the word before it: no space between them (as pandoc
        # does for note styles), and a word joiner in the HTML (see Footnotes.fill).
        source = _glue_calls("".join(out))
        html = str(markdown.render(source))
        for number, group in enumerate(groups):
            self.citations.append(group)
            marker = f'<span class="footnote" data-cite="{len(self.citations) - 1}"></span>'
            html = html.replace(f"\ue000{number}\ue001", marker)
        return Markup(html)

    def cite(self, source: str) -> Markup:
        """A footnote marker citing ``source``, filled in by :class:`Footnotes`."""
        self.citations.append([citations.Cite(source, None)])
        marker = '<span class="footnote" data-cite="{}"></span>'
        return Markup(marker).format(len(self.citations) - 1)

    def text(self, value: LocalText | None, label: str, fallback: str | None = None) -> str:
        """Plain text of ``value`` (``label`` names the field in the untranslated list)."""
        if value is None:
            return ""
        text, source = value.resolve(self.language, fallback or self.fallback)
        if source is not None:
            self.untranslated.append(label)
        return text

    def markdown(
        self,
        value: LocalText | None,
        label: str,
        fallback: str | None = None,
        cite: list[str] | None = None,
    ) -> Markup:
        """Markdown ``value`` as HTML; untranslated text is wrapped with its own ``lang``.

        ``cite`` (source ids) are cited at the end of the text, those it does not cite itself.
        """
        if value is None:
            return Markup("")
        text, source = value.resolve(self.language, fallback or self.fallback)
        found = list(citations.CITATION.finditer(text))
        cited = {c.source for m in found for c in citations.parse(m.group(1))}
        extra = "; ".join(f"@{s}" for s in cite or [] if s not in cited)
        if extra:
            text = text.rstrip()
            last = found[-1] if found else None
            if last and not text[last.end() :].strip(" .,;:!?"):
                # The text ends with a citation: one footnote for both, not two calls
                # side by side ("¹⁹²⁰" reads as a number).
                end = last.end() - 1
                text = f"{text[:end].rstrip()}; {extra}{text[end:]}"
            else:
                text = f"{text}[{extra}]"
        html = self._render(text)
        if source is None:
            return html
        self.untranslated.append(label)
        return Markup('<div class="untranslated" lang="{}" data-language="{}">{}</div>').format(
            i18n.HTML_LANG.get(source, source), i18n.upper(source, "en"), html
        )

    def inline(self, value: LocalText | None, label: str) -> Markup:
        """Inline text of ``value`` for the body; untranslated text is wrapped in a ``span``."""
        if value is None:
            return Markup("")
        text, source = value.resolve(self.language, self.fallback)
        if source is None:
            return escape(text)
        self.untranslated.append(label)
        return Markup('<span class="untranslated" lang="{}">{}</span>').format(
            i18n.HTML_LANG.get(source, source), text
        )


@dataclass
class Footnotes:
    """Fills the footnote markers of a rendered document, in reading order: a source's first
    citation in full, later ones in short form."""

    campaign: Campaign
    language: str
    groups: list[list[citations.Cite]]

    MARKER = re.compile(r'<span class="footnote" data-cite="(\d+)"></span>')

    def fill(self, html: str) -> str:
        seen: set[str] = set()
        gettext = i18n.translations(self.language)
        fallback = self.campaign.campaign.language

        def note(match: re.Match[str]) -> str:
            parts = []
            for cite in self.groups[int(match.group(1))]:
                if not any(s.id == cite.source for s in self.campaign.sources):
                    # check reports it at its place; never a bare StopIteration here.
                    raise RenderError(
                        f"citation of unknown source '{cite.source}' (briefgen check says where)"
                    )
                source = self.campaign.source(cite.source)
                parts.append(
                    citations.format_source(
                        source,
                        self.language,
                        fallback,
                        long_date(source.date, self.language),
                        gettext,
                        short=cite.source in seen,
                        locator=cite.locator,
                    )
                )
                seen.add(cite.source)
            return str(
                Markup('\u2060<span class="footnote">{}.</span>').format(Markup("; ").join(parts))
            )

        return self.MARKER.sub(note, html)
