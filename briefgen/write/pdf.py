"""PDF writer: WeasyPrint prints the rendered HTML, reading resources only through SafeFetcher."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import logging
import re
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from ..errors import RenderError
from ..fetcher import SafeFetcher
from ..pictures import describe
from ..render import Rendered

logger = logging.getLogger(__name__)

_font_config: FontConfiguration | None = None


def _fonts() -> FontConfiguration:
    # One font configuration per process: building it is costly and it is reusable.
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
        atexit.register(_close_fonts)
    return _font_config


def _close_fonts() -> None:
    """Remove the font configuration's temporary folder (WeasyPrint leaves it to ``__del__``,
    which may not run at interpreter exit)."""
    global _font_config
    folder = getattr(_font_config, "_folder", None)
    _font_config = None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _refused(fetcher: SafeFetcher, exc: FatalURLFetchingError) -> RenderError:
    """The error for a resource WeasyPrint could not load: the fetcher's reason if it
    refused one."""
    return RenderError(fetcher.refusals[-1] if fetcher.refusals else str(exc.__cause__ or exc))


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
            string=css, base_url=base_url, url_fetcher=fetcher, font_config=_fonts()
        )
    except FatalURLFetchingError as exc:
        raise _refused(fetcher, exc) from None


def _scrub(document: object, pdf: Any) -> None:
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


def write_pdf(rendered: Rendered, produced: Mapping[str, bytes] | None = None) -> bytes:
    """Print ``rendered`` to PDF and return the file's bytes.

    Raises :class:`RenderError` when a resource is refused or missing.
    """
    fetcher = SafeFetcher(list(rendered.roots))
    html, styles = rendered.html, []
    match = _STYLES.search(html)
    if match:  # the same stylesheet for many documents: parsed once, fonts loaded once
        html = html[: match.start()] + html[match.end() :]
        styles = [_stylesheet(match.group(1), rendered.base_url, rendered.roots)]
    variant = rendered.meta.pdf_variant
    _check_accessible(rendered, html)
    attachments = []
    source = rendered.meta.source_file
    if variant.startswith("pdf/a-3") and source is not None:
        # An archived PDF carries the campaign file it was built from.
        moment = dt.datetime.combine(rendered.meta.date, dt.time(), tzinfo=dt.UTC)
        attachments.append(
            weasyprint.Attachment(
                string=source.read_bytes(),
                name=source.name,
                description="Campaign source file (briefgen YAML)",
                created=moment,
                modified=moment,
                relationship="Source",
            )
        )
    try:
        with weasyprint_errors(rendered.roots):
            document = weasyprint.HTML(
                string=html, base_url=rendered.base_url, url_fetcher=fetcher
            ).render(font_config=_fonts(), stylesheets=styles, cache=_IMAGES, pdf_variant=variant)
            data = document.write_pdf(
                uncompressed_pdf=False,
                finisher=_scrub,
                pdf_variant=variant,
                attachments=attachments,
            )
    except FatalURLFetchingError as exc:
        raise _refused(fetcher, exc) from None
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
