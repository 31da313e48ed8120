"""HTML writer: the rendered HTML made self-contained (every file it uses embedded as data:)."""

from __future__ import annotations

import base64
import re

from ..errors import RenderError
from ..fetcher import ResourceRefused, SafeFetcher
from ..render import Rendered

# file: URLs in attributes (src="...", href="...") and in CSS url(...).
_ATTR_URL = re.compile(r'(?P<attr>\b(?:src|href)=")(?P<url>file:[^"]+)"')
_CSS_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<url>file:[^'\")]+)(?P=quote)\)")


def write_html(rendered: Rendered) -> bytes:
    """Return ``rendered`` as one UTF-8 HTML file that opens styled on its own.

    Fonts, images and other local files the document uses are embedded as ``data:`` URLs,
    read through the same :class:`SafeFetcher` as the PDF writer, so WeasyPrint renders this
    file alone to the same pages as briefgen's PDF.
    """
    fetcher = SafeFetcher(list(rendered.roots))
    cache: dict[str, str] = {}

    def embed(url: str) -> str:
        if url not in cache:
            try:
                body, media_type = fetcher.read(url)
            except ResourceRefused as exc:
                raise RenderError(str(exc)) from None
            cache[url] = f"data:{media_type};base64,{base64.b64encode(body).decode('ascii')}"
        return cache[url]

    html = _CSS_URL.sub(lambda m: f'url("{embed(m["url"])}")', rendered.html)
    html = _ATTR_URL.sub(lambda m: f'{m["attr"]}{embed(m["url"])}"', html)
    return html.encode("utf-8")
