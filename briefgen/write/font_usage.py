"""Which characters each ``@font-face`` of a document shows, from the computed styles.

Each face of the HTML output is cut down to the characters set in it, so a name in Cyrillic
in the body text adds its glyphs to the regular serif face only, not to all six. The styles
are WeasyPrint's own cascade (the one that lays out the PDF), computed without loading any
font and without layout; what CSS can generate (``content`` strings, ``attr()``, counters)
is given to every face by the caller.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..fetcher import SafeFetcher
from .fonts import font_config

_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.I)
_DESCRIPTOR = re.compile(r"([\w-]+)\s*:\s*([^;]*)")
_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.DOTALL)
_WEIGHTS = {"normal": 400, "bold": 700}


@dataclass(frozen=True)
class Face:
    """One ``@font-face`` rule: family, weight range, style, and its source URLs."""

    family: str
    weights: tuple[int, int]
    style: str
    urls: tuple[str, ...]


def faces(css: str) -> list[Face]:
    """The ``@font-face`` rules of ``css``."""
    found = []
    for body in _FONT_FACE.findall(css):
        descriptors = {k.lower(): v.strip() for k, v in _DESCRIPTOR.findall(body)}
        family = descriptors.get("font-family", "").strip("\"' ").lower()
        weight = [
            _WEIGHTS.get(w) or _number(w) for w in descriptors.get("font-weight", "normal").split()
        ]
        style = descriptors.get("font-style", "normal").split()[0].lower()
        urls = tuple(_URL.findall(descriptors.get("src", "")))
        if family and urls and weight:
            found.append(Face(family, (min(weight), max(weight)), style, urls))
    return found


def _number(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 400


def _weight_order(wanted: int, face: Face) -> tuple[int, int]:
    """Sort key of CSS Fonts 4 weight matching (smaller is better)."""
    low, high = face.weights
    if low <= wanted <= high:
        return (0, 0)
    if 400 <= wanted <= 500:
        if wanted < low <= 500:
            return (1, low - wanted)
        if high < wanted:
            return (2, wanted - high)
        return (3, low - wanted)
    if wanted < 400:
        return (1, wanted - high) if high < wanted else (2, low - wanted)
    return (1, low - wanted) if low > wanted else (2, wanted - high)


_STYLE_ORDER = {
    "italic": ("italic", "oblique", "normal"),
    "oblique": ("oblique", "italic", "normal"),
    "normal": ("normal", "oblique", "italic"),
}


def match(candidates: list[Face], weight: int, style: str) -> Face:
    """The face a browser picks among one family's ``candidates`` (CSS Fonts 4, §5.2)."""
    order = _STYLE_ORDER.get(style, _STYLE_ORDER["normal"])
    by_style = next(
        (group for s in order if (group := [f for f in candidates if f.style == s])),
        candidates,
    )
    return min(by_style, key=lambda face: _weight_order(weight, face))


@functools.lru_cache(maxsize=32)
def _stylesheet(css: str, base_url: str, roots: tuple[Path, ...]) -> object:
    """The document's stylesheet without its ``@font-face`` rules (no font is loaded), parsed
    once per distinct text; ``@import`` reads only what :class:`SafeFetcher` allows."""
    import weasyprint

    return weasyprint.CSS(
        string=_FONT_FACE.sub("", css),
        base_url=base_url,
        url_fetcher=SafeFetcher(list(roots)),
        font_config=font_config(),
    )


def characters_by_url(html: str, base_url: str, roots: tuple[Path, ...]) -> dict[str, set[str]]:
    """For each font URL of the document's ``@font-face`` rules, the characters of the text
    that the document's styles set in that face (text in families without a face of their
    own is left out: it is not set in an embedded font). Stylesheets are read only from
    ``roots``, as for the PDF; raises :class:`RenderError` if one is refused."""
    from weasyprint.urls import FatalURLFetchingError

    fetcher = SafeFetcher(list(roots))
    try:
        return _characters_by_url(html, base_url, roots, fetcher)
    except FatalURLFetchingError as exc:
        raise fetcher.error(exc) from None


def _characters_by_url(
    html: str, base_url: str, roots: tuple[Path, ...], fetcher: SafeFetcher
) -> dict[str, set[str]]:
    import weasyprint
    from weasyprint.css import get_all_computed_styles

    css = "\n".join(_STYLE.findall(html))
    declared = faces(css)
    if not declared:
        return {}
    by_family: dict[str, list[Face]] = {}
    for face in declared:
        by_family.setdefault(face.family, []).append(face)
    document = weasyprint.HTML(string=_STYLE.sub("", html), base_url=base_url, url_fetcher=fetcher)
    style_for = get_all_computed_styles(
        document, user_stylesheets=[_stylesheet(css, base_url, roots)], font_config=font_config()
    )
    found: dict[str, set[str]] = {url: set() for face in declared for url in face.urls}
    chosen: dict[tuple[tuple[str, ...], int, str], Face | None] = {}
    for element in document.etree_element.iter():
        style = style_for(element)
        if style is None or not isinstance(element.tag, str):
            continue
        text = _own_text(element)
        if not text:
            continue
        key = (tuple(style["font_family"]), int(style["font_weight"]), str(style["font_style"]))
        if key not in chosen:
            family = next((f.lower() for f in key[0] if f.lower() in by_family), None)
            chosen[key] = match(by_family[family], key[1], key[2]) if family else None
        shown_in = chosen[key]
        for url in shown_in.urls if shown_in is not None else ():
            found[url].update(text)
    return found


def _own_text(element: object) -> str:
    """The text directly inside ``element``: before its first child and after each child."""
    parts: Iterable[str | None] = (
        getattr(element, "text", None),
        *(getattr(child, "tail", None) for child in element),  # type: ignore[attr-defined]
    )
    return "".join(p for p in parts if p)


__all__ = ["Face", "characters_by_url", "faces", "match"]
