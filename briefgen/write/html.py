"""HTML writer: the rendered HTML made self-contained (every file it uses embedded as data:)."""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Mapping

from ..fetcher import SafeFetcher
from ..render import Rendered
from .font_usage import characters_by_url
from .fonts import characters, features, subset_woff

# file: URLs in attributes (src="...", href="...") and in CSS url(...).
_ATTR_URL = re.compile(r'(?P<attr>\b(?:src|href)=")(?P<url>file:[^"]+)"')
_CSS_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<url>file:[^'\")]+)(?P=quote)\)")


_FONT_TYPES = {"font/ttf", "font/otf", "font/sfnt", "application/font-sfnt"}


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
    # Each face is cut down to the characters the page sets in it (and what CSS may generate
    # in any face), with the OpenType features the page uses, and packed as WOFF: a letter's
    # six faces come to ~85 kB of base64 instead of 3.4 MB, in a few milliseconds (HarfBuzz).
    used = characters_by_url(rendered.html, rendered.base_url, rendered.roots)
    wanted = features(rendered.html)
    everything = "".join(sorted(set(rendered.html)))

    def embed(url: str) -> str:
        if url not in cache:
            path = fetcher.resolve(url)  # raises RenderError if it may not be read
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if media_type in _FONT_TYPES:
                text = characters(rendered.html, used.get(url, everything))
                body = subset_woff(path, path.stat().st_mtime_ns, text, wanted)
                media_type = "font/woff"
            else:  # pictures as every writer embeds them (without their metadata)
                body, media_type = fetcher.read(url)
            cache[url] = f"data:{media_type};base64,{base64.b64encode(body).decode('ascii')}"
        return cache[url]

    # A letter the PDF writer fitted onto one page (in this build) carries the same fit
    # class here, so that this file prints to the same pages. Without a PDF, nothing is laid
    # out just for this (the preview builds HTML alone, for every letter).
    source = with_class(rendered.html, str(rendered.notes.get("fit", "")))
    html = _CSS_URL.sub(lambda m: f'url("{embed(m["url"])}")', source)
    html = _ATTR_URL.sub(lambda m: f'{m["attr"]}{embed(m["url"])}"', html)
    return html.encode("utf-8")
