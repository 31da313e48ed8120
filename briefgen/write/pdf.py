"""PDF writer: WeasyPrint prints the rendered HTML, reading resources only through SafeFetcher."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import FatalURLFetchingError

from ..errors import RenderError
from ..fetcher import SafeFetcher
from ..pictures import describe
from ..render import Rendered
from . import pdf_fixes, pdf_tags
from .fonts import font_config
from .html import with_class

logger = logging.getLogger(__name__)


class _Errors(logging.Filter):
    """Keeps the errors WeasyPrint logs from this thread, instead of letting them through."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.thread == self.thread:
            self.messages.append(record.getMessage())
            return False
        return True


def _name(url: str, roots: Sequence[Path]) -> str:
    if url.startswith("data:"):
        return url[:40] + "…"
    parts = urlsplit(url)
    if parts.scheme == "file":
        return describe(Path(unquote(parts.path)), roots)
    return url[:100]


_FAILED_SVG = re.compile(r"Failed to render SVG image (?P<url>\S+)")
_FAILED_IMAGE = re.compile(r"Failed to load image at '(?P<url>[^']*)': (?P<why>.*)", re.DOTALL)


@contextlib.contextmanager
def weasyprint_errors(roots: Sequence[Path] = ()) -> Iterator[None]:
    """Turn what WeasyPrint only logs as an error (an SVG it failed to draw, an image it
    failed to load: it goes on without them) into a :class:`RenderError`."""
    errors = _Errors()
    log = logging.getLogger("weasyprint")
    log.addFilter(errors)
    try:
        yield
    finally:
        log.removeFilter(errors)
    if errors.messages:
        message = errors.messages[0]
        svg = _FAILED_SVG.match(message)
        image = _FAILED_IMAGE.match(message)
        if svg:
            raise RenderError(f"picture '{_name(svg['url'], roots)}' cannot be drawn in the PDF")
        if image:
            raise RenderError(
                f"picture '{_name(image['url'], roots)}' cannot be loaded ({image['why'][:200]})"
            )
        raise RenderError(f"the PDF cannot be made as written: {message[:300]}")


_STYLES = re.compile(r'<style id="briefgen-styles">(.*?)</style>', re.DOTALL)
_IMAGES: dict[str, Any] = {}
"""Images (the logo) decoded once per build, shared by all its documents."""


def forget_images() -> None:
    """Forget the images of earlier builds in this process (the logo may have changed)."""
    _IMAGES.clear()


@functools.lru_cache(maxsize=64)
def _stylesheet(css: str, base_url: str, roots: tuple[Path, ...]) -> weasyprint.CSS:
    """The document stylesheet, parsed once per distinct text (its fonts loaded once)."""
    fetcher = SafeFetcher(list(roots))
    try:
        return weasyprint.CSS(
            string=css, base_url=base_url, url_fetcher=fetcher, font_config=font_config()
        )
    except FatalURLFetchingError as exc:
        raise fetcher.error(exc) from None


def _finish(document: weasyprint.Document, pdf: Any, *, archival: bool, attempt: int) -> None:
    """WeasyPrint's finisher: repair the structure tree and the text layer, remove software
    names; for PDF/A, keep stream ends unambiguous (``attempt`` > 0: vary the bytes)."""
    pdf_tags.repair(document, pdf)
    pdf_fixes.soft_hyphens(pdf)
    pdf_fixes.plain_metadata(pdf)
    if archival:
        pdf_fixes.no_interpolation(pdf)
        pdf_fixes.unambiguous_stream_ends(pdf)
        pdf_fixes.vary(pdf, attempt)
    _scrub(pdf)


def _scrub(pdf: Any) -> None:
    """Leave no software name or version in the PDF's document information or XMP."""
    pdf.info.pop("Producer", None)
    pdf.info.pop("Creator", None)
    reference = pdf.catalog.get("Metadata")
    for obj in pdf.objects if reference is not None else ():
        if getattr(obj, "reference", None) == reference and hasattr(obj, "stream"):
            xml = b"".join(
                part if isinstance(part, bytes) else str(part).encode() for part in obj.stream
            )
            obj.stream = [_PRODUCER.sub(b"", xml)]


_PRODUCER = re.compile(rb'\s*pdf:Producer="[^"]*"')
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def _check_accessible(rendered: Rendered, html: str) -> None:
    """Refuse what a tagged PDF cannot carry: no title, no language, an image without alt."""
    if not rendered.meta.title.strip():
        raise RenderError(f"{rendered.meta.variant_name}: the document has no title")
    if not re.search(r'<html[^>]*\blang="[^"]+"', html):
        raise RenderError(
            f"{rendered.meta.variant_name}: the document has no language (<html lang>)"
        )
    for image in _IMAGE.findall(html):
        if not re.search(r'\balt="', image):
            raise RenderError(
                f"{rendered.meta.variant_name}: an image has no alt text ({image[:80]})"
            )


def _attachments(rendered: Rendered) -> list[weasyprint.Attachment]:
    """The files a PDF embeds: an archived PDF carries the campaign file it was built from."""
    source = rendered.meta.source_file
    if not rendered.meta.pdf_variant.startswith("pdf/a-3") or source is None:
        return []
    moment = dt.datetime.combine(rendered.meta.date, dt.time(), tzinfo=dt.UTC)
    return [
        weasyprint.Attachment(
            string=source.read_bytes(),
            name=source.name,
            description="Campaign source file (briefgen YAML)",
            created=moment,
            modified=moment,
            relationship="Source",
        )
    ]


FIT_CLASSES = ("fit-1", "fit-2", "fit-3")
"""Tighter layouts a letter is tried in, in this order, when it spills onto a second page;
``letter.css`` defines them (spacing, line height and margins within set limits)."""
FIT_SPILL = 0.45
"""A letter whose second page is filled beyond this share is not squeezed: no fit can save it."""


def _layout(
    rendered: Rendered, html: str, fetcher: SafeFetcher, styles: list[weasyprint.CSS]
) -> Any:
    return weasyprint.HTML(string=html, base_url=rendered.base_url, url_fetcher=fetcher).render(
        font_config=font_config(),
        stylesheets=styles,
        cache=_IMAGES,
        pdf_variant=rendered.meta.pdf_variant,
    )


def _fit(rendered: Rendered, html: str, fetcher: SafeFetcher, styles: list[weasyprint.CSS]) -> Any:
    """The laid-out document: a letter that spills a little onto a second page is laid out
    again in the tighter layouts of :data:`FIT_CLASSES` until one fits on one page (the
    first that does is kept; if none does, the letter keeps its normal layout)."""
    document = _layout(rendered, html, fetcher, styles)
    chosen = ""
    if rendered.plan.kind == "letter" and len(document.pages) == 2:
        last = document.pages[-1]._page_box  # noqa: SLF001 - WeasyPrint's page layout
        used = last.children[0].margin_height() if last.children else last.height
        if used <= FIT_SPILL * last.height:
            for name in FIT_CLASSES:
                tighter = _layout(rendered, with_class(html, name), fetcher, styles)
                if len(tighter.pages) == 1:
                    document, chosen = tighter, name
                    break
    rendered.notes["fit"] = chosen
    return document


def fit_class(rendered: Rendered) -> str:
    """The fit class of ``rendered`` (laid out to find it, unless its PDF was written)."""
    if "fit" not in rendered.notes and rendered.plan.kind == "letter":
        fetcher = SafeFetcher(list(rendered.roots))
        html, styles = _split_styles(rendered)
        try:
            _fit(rendered, html, fetcher, styles)
        except FatalURLFetchingError as exc:
            raise fetcher.error(exc) from None
    return str(rendered.notes.get("fit", ""))


def _split_styles(rendered: Rendered) -> tuple[str, list[weasyprint.CSS]]:
    """The document's HTML without its stylesheet, and the stylesheet parsed (cached)."""
    html = rendered.html
    match = _STYLES.search(html)
    if not match:
        return html, []
    html = html[: match.start()] + html[match.end() :]
    return html, [_stylesheet(match.group(1), rendered.base_url, rendered.roots)]


def write_pdf(rendered: Rendered, produced: Mapping[str, bytes] | None = None) -> bytes:
    """Print ``rendered`` to PDF and return the file's bytes.

    Raises :class:`RenderError` when a resource is refused or missing.
    """
    fetcher = SafeFetcher(list(rendered.roots))
    # The same stylesheet for many documents: parsed once, fonts loaded once.
    html, styles = _split_styles(rendered)
    variant = rendered.meta.pdf_variant
    _check_accessible(rendered, html)
    # U+2010 is the hyphen WeasyPrint adds to hyphenated words; a text's own U+2010 becomes
    # U+002D (the same glyph in briefgen's fonts), so that the text layer can tell the added
    # hyphens apart and map them to soft hyphens (pdf_fixes.soft_hyphens).
    body = max(html.find("<body"), 0)
    html = html[:body] + html[body:].replace("\u2010", "-")
    try:
        with weasyprint_errors(rendered.roots):
            document = _fit(rendered, html, fetcher, styles)
            archival = variant.startswith("pdf/a")
            for attempt in range(len(pdf_fixes.VARIATIONS) + 1 if archival else 1):
                finisher = functools.partial(_finish, archival=archival, attempt=attempt)
                data = document.write_pdf(
                    uncompressed_pdf=False,
                    finisher=finisher,
                    pdf_variant=variant,
                    attachments=_attachments(rendered),  # an attachment is read once
                )
                if pdf_fixes.AMBIGUOUS_END not in data:
                    break
    except FatalURLFetchingError as exc:
        raise fetcher.error(exc) from None
    except RenderError:
        for url in [url for url, image in _IMAGES.items() if image is None]:
            del _IMAGES[url]  # WeasyPrint keeps a failed image as None: fail next time too
        if fetcher.refusals:  # the reason WeasyPrint did not pass on
            raise RenderError(fetcher.refusals[0]) from None
        raise
    if fetcher.refusals:  # refused where WeasyPrint goes on without it
        raise RenderError(fetcher.refusals[0])
    assert isinstance(data, bytes)
    return data
