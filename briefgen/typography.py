"""Typography of a rendered document: words that must not break, and each language's marks.

One pass over the text of a rendered document's ``<body>`` (never its markup, styles or
head), after the footnotes are filled and before the leak guard reads it:

- URLs, e-mail addresses and case references (application numbers, UN document symbols)
  are wrapped in ``<span class="url">`` / ``<span class="ref">``: never hyphenated, and cut
  into unbreakable pieces with ``<wbr>`` between them, so a line breaks only after ``//`` or
  before ``/ . - _`` (as the Chicago Manual of Style advises: the continuation line starts
  with the mark, and no hyphen is ever added). ``<wbr>`` adds no character: a URL copied
  from the PDF is the URL.
- The names of people, organisations and places the campaign marks as such (cases,
  recipients, signatories, co-signers, the organisation, the event's place) are wrapped in
  ``<span class="proper-name">``: never hyphenated.
- "no. 30778/15", "§ 4", "Article 46" keep the number with its label (no-break space).
- French: « guillemets » with no-break spaces inside, a no-break space before ``:`` and a
  narrow no-break space before ``; ! ?`` and ``%`` (Imprimerie nationale); straight and
  English quotation marks become guillemets (English ones stay as the second level).
  Azerbaijani and English: “…” (CLDR), straight quotes made curly; Azerbaijani « » too.

The pass is deterministic and idempotent: running it on its own output changes nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

NBSP = "\u00a0"
"""No-break space: French before ``:`` and inside « », and between a label and its number."""
NNBSP = "\u202f"
"""Narrow no-break space: French before ``; ! ?`` and ``%``."""
WORD_JOINER = "\u2060"
"""Joins a footnote call to the word before it (no break, no width, no text)."""

_TAG = re.compile(r"(<[^>]*>)")
_BODY = re.compile(r"(<body\b[^>]*>)(.*)(</body>)", re.DOTALL | re.IGNORECASE)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
_CLASS = re.compile(r'\bclass="([^"]*)"')
# Elements whose text is left exactly as written.
_VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}
_VERBATIM_CLASSES = {"url", "ref", "proper-name", "nowrap"}
# Elements never hyphenated (CSS): the names in them need no span of their own.
_UNHYPHENATED = {"h1", "h2", "h3", "h4", "h5", "h6", "address"}
_VOID = {"br", "wbr", "img", "hr", "meta", "link", "input", "col", "area", "source"}
_LANG = re.compile(r'\blang="([a-zA-Z]+)')
# Block elements: quotation marks do not pair across them.
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr",
    "table", "section", "article", "header", "footer", "address", "blockquote", "br",
}  # fmt: skip

_URL = re.compile(
    r"(?:https?://|mailto:|www\.)[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?'’)\]]"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
_REF = re.compile(
    r"(?<![\w/])(?:"
    r"\d{1,6}/\d{2}(?!\d)"  # ECHR application numbers: 30778/15
    r"|[A-Z]{1,6}(?:/[A-Z0-9][A-Za-z0-9.()-]*)+"  # UN symbols: A/HRC/WGAD/2023/15
    r"|[A-Z]{2,}-[A-Z]{2,}\(\d{4}\)\d{3}"  # Council of Europe: CDL-AD(2014)043
    r")(?![\w/])"
)
_COMPOUND = re.compile(r"\w+(?:[-\u2010]\w+)+")
_SHORT_REF = 16
"""References up to this length never break at all (an application number)."""
_NUMBER_LABEL = re.compile(
    r"(?<![\w.])(no\.|nos\.|No\.|Nos\.|n°|nº|№|para\.|paras\.|par\.|p\.|pp\.|§§|§|[Aa]rt\.|"
    r"[Aa]rticles?)[ \t]+(?=\d)"
)


_BREAK_BEFORE = "/.-_?&=#~"
"""A URL may break before these (and after ``//``), as the Chicago Manual of Style says."""
_LONG_RUN = 20
"""A run of more characters than this between two boundaries (a document key, base64 in a
query) also breaks every :data:`_RUN_STEP` characters, so that it cannot run off the page."""
_RUN_STEP = 12


def _split_run(piece: str) -> list[str]:
    """``piece`` cut every :data:`_RUN_STEP` characters if it is longer than
    :data:`_LONG_RUN`, never inside a ``%XX`` escape."""
    if len(piece) <= _LONG_RUN:
        return [piece]
    chunks: list[str] = []
    start = 0
    while len(piece) - start > _LONG_RUN:
        cut = start + _RUN_STEP
        escape = piece.rfind("%", cut - 2, cut)
        if escape > start:
            cut = escape  # "…%2" | "f…" would split an escape: cut before its "%"
        chunks.append(piece[start:cut])
        start = cut
    chunks.append(piece[start:])
    return chunks


def _pieces(token: str) -> list[str]:
    """``token`` cut where a line may break: after ``//``, before ``/ . - _ ? & = # ~``,
    and inside a long run without any of them."""
    pieces: list[str] = []
    current = ""
    index = 0
    while index < len(token):
        if token.startswith("//", index):
            pieces.append(current + "//")
            current = ""
            index += 2
            continue
        char = token[index]
        if char in _BREAK_BEFORE and current and current[-1] not in _BREAK_BEFORE:
            pieces.append(current)
            current = ""
        current += char
        index += 1
    if current:
        pieces.append(current)
    return [chunk for p in pieces if p for chunk in _split_run(p)]


def _breakable(token: str, kind: str) -> str:
    """The HTML of an unhyphenated ``token`` that breaks only at its boundaries."""
    if kind == "ref" and len(token) <= _SHORT_REF:
        return f'<span class="{kind} nowrap">{_escape(token)}</span>'
    inner = "<wbr>".join(f'<span class="nowrap">{_escape(p)}</span>' for p in _pieces(token))
    return f'<span class="{kind}">{inner}</span>'


def _escape(text: str) -> str:
    """Text as HTML character data (quotation marks need no escaping there)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern finding any of ``names`` as whole words (longest first)."""
    unique = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    if not unique:
        return None
    alternatives = "|".join(re.escape(n) for n in unique)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def protected_names(context: dict[str, object]) -> list[str]:
    """The names a document's template context marks as names of people, organisations and
    places: the organisation, signatories, recipients, co-signers, cases, the event's place.

    A person's name is protected whole and word by word ("Mamadshoeva" alone, too); an
    organisation's or a place's name only whole.
    """
    people: list[str] = []
    whole: list[str] = []

    def get(mapping: object, key: str) -> str:
        value = mapping.get(key) if isinstance(mapping, dict) else getattr(mapping, key, None)
        return str(value) if value else ""

    organisation = context.get("organisation")
    whole.append(get(organisation, "name"))
    for signatory in context.get("signatories") or []:  # type: ignore[attr-defined]
        people.append(get(signatory, "name"))
        whole.append(get(signatory, "organisation"))
    for person in context.get("recipients") or []:  # type: ignore[attr-defined]
        people.append(get(person, "name"))
        whole.append(get(person, "organisation"))
    for case in context.get("cases") or []:  # type: ignore[attr-defined]
        people.append(re.sub(r"\s*\([^)]*\)", "", get(case, "name")))
    whole.extend(str(org) for org in context.get("co_signers") or [])  # type: ignore[attr-defined]
    whole.append(get(context.get("event"), "place"))
    if context.get("place"):
        whole.append(str(context["place"]))
    words = [w for name in people for w in re.split(r"[\s,]+", name) if len(w) >= 4]
    return [n for n in (*people, *whole, *words) if n]


_OPENING_CONTEXT = set(" \t\n\u00a0\u202f([{—–-/\u2060") | {""}
_SPACES = " \t\n\u00a0\u202f"
_QUOTES = re.compile('["«»“”]')
# French: the space before a double mark (made no-break), after a word or a closing mark.
_FR_MARK = re.compile(
    r"(?<=[^\s\u00a0\u202f(\[«/])[ \t\n\u00a0\u202f]*([;!?:]+)(?=[\s»)\]\u2060]|$)"
)
_SPACED_MARK = re.compile(r"[ \t]+([;!?:»])")
_FR_PERCENT = re.compile(r"(?<=\d)[ \t\u00a0\u202f]?%")


def _space_before(mark: str) -> str:
    """The no-break space French puts before ``mark``: a full one before ``:`` and ``»``, a
    narrow one before ``; ! ?`` (Imprimerie nationale)."""
    return NBSP if mark[0] in ":»" else NNBSP


class _Refiner:
    """Rewrites the text nodes of one document's body."""

    def __init__(self, language: str, names: Iterable[str]) -> None:
        self.language = language
        self.names = name_pattern(names)
        # Open elements: name, language, and how their text is treated: "prose", "names"
        # (text that is never hyphenated, as headings and address blocks: names need no
        # span of their own there), "title" (a cited title: kept as written, its spaces
        # before marks only made no-break) or "verbatim" (URLs, code: left alone).
        self.stack: list[tuple[str, str, str]] = []
        self.depth = 0  # quotation marks open in the current block
        self.previous = ""  # the last character of text written, across inline tags

    @property
    def current(self) -> tuple[str, str]:
        """(language, mode) of the text being read."""
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (self.language, "prose")

    def body(self, body: str) -> str:
        out: list[str] = []
        for token in _TAG.split(body):
            if not token:
                continue
            if token.startswith("<"):
                self.tag(token)
                out.append(token)
            elif token.isspace():  # between tags: nothing to refine
                out.append(token)
                self.previous = " "
            elif self.current[1] == "verbatim":
                out.append(token)
                self.previous = html.unescape(token)[-1:]
            else:
                out.append(self.text(token))
        return "".join(out)

    def tag(self, token: str) -> None:
        match = _TAG_NAME.match(token)
        if not match:
            return
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name in _BLOCKS:
            self.previous = ""
            self.depth = 0
        if closing:
            names = [entry[0] for entry in self.stack]
            if name in names:
                del self.stack[len(names) - 1 - names[::-1].index(name) :]
            return
        if token.endswith("/>") or name in _VOID:
            return
        language, mode = self.current
        lang = _LANG.search(token)
        if lang:
            language = lang.group(1).lower()
        found = _CLASS.search(token)
        classes = set(found.group(1).split()) if found else set()
        if mode == "verbatim" or name in _VERBATIM or classes & _VERBATIM_CLASSES:
            mode = "verbatim"
        elif "title" in classes:
            mode = "title"
        elif name in _UNHYPHENATED or "names" in classes:
            mode = "names"
        self.stack.append((name, language, mode))

    def text(self, raw: str) -> str:
        original = html.unescape(raw)
        text = _NUMBER_LABEL.sub(lambda m: m.group(1) + NBSP, original)
        pieces: list[str] = []
        position = 0
        for match in _tokens(text):
            pieces.append(self.prose(text[position : match.start()]))
            kind = "ref" if match.re is _REF else "url"
            pieces.append(_breakable(match.group(0), kind))
            self.previous = match.group(0)[-1]
            position = match.end()
        pieces.append(self.prose(text[position:]))
        result = "".join(pieces)
        return raw if result == _escape(original) else result

    def prose(self, text: str) -> str:
        """Plain text (no URL in it) with its language's marks, names protected."""
        if not text:
            return ""
        text = self.punctuate(text)
        if self.names is None:
            return _escape(text)
        out, position = [], 0
        unhyphenated = self.current[1] == "names"
        for match in self.names.finditer(text):
            out.append(_escape(text[position : match.start()]))
            # A double name ("Mirzoshoeva-Davlatmamadova") does not break at its hyphen.
            name = _COMPOUND.sub(r'<span class="nowrap">\g<0></span>', _escape(match.group(0)))
            out.append(name if unhyphenated else f'<span class="proper-name">{name}</span>')
            position = match.end()
        out.append(_escape(text[position:]))
        return "".join(out)

    def punctuate(self, text: str) -> str:
        """Quotation marks and spaces of the current language."""
        language, mode = self.current
        before_text = self.previous
        if mode == "title":
            # A cited title keeps its own punctuation (an English title in a French note
            # too); only a space typed before a mark no longer lets the line break there.
            if language == "fr" or self.language == "fr":
                text = _SPACED_MARK.sub(lambda m: _space_before(m.group(1)) + m.group(1), text)
            out = text
        elif not _QUOTES.search(text):  # the common case: no quotation mark to place
            out = text
        else:
            out = self._quotes(text, language)
        if language == "fr" and mode == "prose":
            if out[:1] in (";", "!", "?", ":") and before_text and before_text not in _SPACES:
                out = _space_before(out[0]) + out
            out = _FR_MARK.sub(lambda m: _space_before(m.group(1)) + m.group(1), out)
            out = _FR_PERCENT.sub(NNBSP + "%", out)
        if out:
            self.previous = out[-1]
        return out

    def _quotes(self, text: str, language: str) -> str:
        chars: list[str] = []
        for char in text:
            before = chars[-1] if chars else self.previous
            if char == '"':
                char = "“" if before in _OPENING_CONTEXT else "”"
            if language == "fr" and char in "«“":
                self.depth += 1
                chars.extend(("«", NBSP) if self.depth == 1 else ("“",))
            elif language == "fr" and char in "»”":
                if self.depth <= 1:
                    while chars and chars[-1] in _SPACES:
                        chars.pop()
                    chars.extend((NBSP, "»"))
                else:
                    chars.append("”")
                self.depth = max(0, self.depth - 1)
            elif language == "fr" and char in _SPACES and chars[-2:] == ["«", NBSP]:
                continue  # the space typed after « is the no-break space written
            elif language == "az" and char in "«»":
                chars.append("“" if char == "«" else "”")
            else:
                chars.append(char)
        return "".join(chars)


def _tokens(text: str) -> list[re.Match[str]]:
    """URLs, e-mail addresses and references in ``text``, in order, never overlapping."""
    if "/" not in text and "@" not in text and "www." not in text and "(" not in text:
        return []  # most text: nothing to look for
    found = sorted([*_URL.finditer(text), *_REF.finditer(text)], key=lambda m: m.start())
    kept: list[re.Match[str]] = []
    for match in found:
        if kept and match.start() < kept[-1].end():
            continue
        kept.append(match)
    return kept


def refine(document: str, language: str, names: Iterable[str] = ()) -> str:
    """``document`` (a whole rendered HTML page) with the typography of ``language``.

    ``names`` are protected from hyphenation wherever they occur in the text.
    """
    match = _BODY.search(document)
    if not match:
        return document
    body = _Refiner(language, names).body(match.group(2))
    return document[: match.start(2)] + body + document[match.end(2) :]


__all__ = ["NBSP", "NNBSP", "WORD_JOINER", "protected_names", "refine"]
