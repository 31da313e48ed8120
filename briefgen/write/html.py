"""HTML writer: the rendered HTML made self-contained (every file it uses embedded as data:)."""

from __future__ import annotations

import base64
import io
import re
import string
from collections.abc import Mapping
from functools import lru_cache

from fontTools import subset
from fontTools.ttLib import TTFont

from ..errors import RenderError
from ..fetcher import ResourceRefused, SafeFetcher
from ..render import Rendered

# file: URLs in attributes (src="...", href="...") and in CSS url(...).
_ATTR_URL = re.compile(r'(?P<attr>\b(?:src|href)=")(?P<url>file:[^"]+)"')
_CSS_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<url>file:[^'\")]+)(?P=quote)\)")


_FONT_TYPES = {"font/ttf", "font/otf", "font/sfnt", "application/font-sfnt"}


@lru_cache(maxsize=64)
def _subset_font(body: bytes, text: str) -> bytes:
    """``body`` (a TrueType/OpenType font) cut down to the glyphs ``text`` needs.

    Layout features are kept, so WeasyPrint lays the text out exactly as with the full font.
    """
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(io.BytesIO(body), recalcTimestamp=False)  # reproducible output
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


_BODY_CLASS = re.compile(r'(<body\b[^>]*?\bclass=")([^"]*)(")|(<body\b)', re.IGNORECASE)


def with_class(html: str, name: str) -> str:
    """``html`` with ``name`` added to the classes of its ``<body>``."""
    if not name:
        return html

    def add(match: re.Match[str]) -> str:
        if match.group(4):
            return f'{match.group(4)} class="{name}"'
        return f"{match.group(1)}{match.group(2)} {name}{match.group(3)}"

    return _BODY_CLASS.sub(add, html, count=1)


def write_html(rendered: Rendered, produced: Mapping[str, bytes] | None = None) -> bytes:
    """Return ``rendered`` as one UTF-8 HTML file that opens styled on its own.

    Fonts, images and other local files the document uses are embedded as ``data:`` URLs,
    read through the same :class:`SafeFetcher` as the PDF writer, so WeasyPrint renders this
    file alone to the same pages as briefgen's PDF.
    """
    fetcher = SafeFetcher(list(rendered.roots))
    cache: dict[str, str] = {}
    # Every character the page can show: its own text plus what CSS may generate (page
    # numbers, labels, hyphens). Fonts are cut down to these, which keeps the file small.
    text = "".join(sorted(set(rendered.html) | set(string.printable) | {"\u2010", "\u00ad"}))

    def embed(url: str) -> str:
        if url not in cache:
            try:
                body, media_type = fetcher.read(url)
            except ResourceRefused as exc:
                raise RenderError(str(exc)) from None
            if media_type in _FONT_TYPES:
                body = _subset_font(body, text)
            cache[url] = f"data:{media_type};base64,{base64.b64encode(body).decode('ascii')}"
        return cache[url]

    # A letter the PDF writer fitted onto one page (in this build) carries the same fit
    # class here, so that this file prints to the same pages. Without a PDF, nothing is laid
    # out just for this (the preview builds HTML alone, for every letter).
    source = with_class(rendered.html, str(rendered.notes.get("fit", "")))
    html = _CSS_URL.sub(lambda m: f'url("{embed(m["url"])}")', source)
    html = _ATTR_URL.sub(lambda m: f'{m["attr"]}{embed(m["url"])}"', html)
    return html.encode("utf-8")
