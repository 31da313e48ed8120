"""Pictures opened and drawn as the build will: in a PDF page and in a Word document."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path

from .. import raster
from ..errors import PictureError
from ..fetcher import SafeFetcher
from ..pictures import Picture, describe, docx_picture, open_picture


def check_picture(path: Path, roots: Sequence[Path], *, width_mm: float | None = None) -> Picture:
    """Open the picture at ``path`` and draw it as the PDF and DOCX writers will
    (``width_mm``: made for that printed width, as a figure or the cover is).

    Raises :class:`PictureError` with what the build would refuse. A picture drawn once is
    not drawn again by this process (the preview checks on every save).
    """
    picture = open_picture(path, roots, width_mm=width_mm)
    name = describe(Path(path).resolve(), [Path(r).resolve() for r in roots])
    digest = hashlib.sha256(picture.data).digest()
    if digest in _DRAWN:
        return picture
    try:
        docx_picture(picture, None)
        pdf_trial(picture)
    except PictureError as exc:
        raise PictureError(exc.reason, name) from None
    with _LOCK:
        _DRAWN.add(digest)
    return picture


_DRAWN: set[bytes] = set()
"""Pictures (their SHA-256) that :func:`check_picture` has drawn without a problem."""
_LOCK = threading.Lock()


def pdf_trial(picture: Picture) -> None:
    """Print ``picture`` on a page with WeasyPrint, as the PDF writer will; raise
    :class:`PictureError` if it cannot be drawn (WeasyPrint only logs that)."""
    import weasyprint  # loaded only when a picture is checked

    from ..write.pdf import weasyprint_errors

    html = (
        f'<img src="{picture.data_url}" alt="" '
        f'style="width: {picture.width:.3f}px; height: {picture.height:.3f}px">'
    )
    fetcher = SafeFetcher([])
    try:
        with weasyprint_errors():
            weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    except BaseException as exc:  # WeasyPrint failed on it: the build would too
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        reason = fetcher.refusals[0] if fetcher.refusals else raster.reason(exc)
        raise PictureError(f"the picture cannot be drawn in a PDF ({reason})") from None
    if fetcher.refusals:  # refused inside the SVG, where WeasyPrint goes on without it
        raise PictureError(f"the picture cannot be drawn in a PDF ({fetcher.refusals[0]})")
