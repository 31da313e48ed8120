"""The only way a document may read a resource: local files under allowed folders, or data:."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import RenderError
from .pictures import Picture, data_url_bytes, open_picture, print_width, read_picture

MAX_RESOURCE_BYTES = 20 * 1024 * 1024

PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff"}
"""Files opened as pictures (checked, and re-encoded where a writer needs it)."""


class ResourceRefused(RenderError):
    """A resource URL points somewhere a document may not read (the document fails)."""


class _Served(URLFetcherResponse):
    """What the fetcher serves: WeasyPrint must use these bytes, not read the file again
    (it would for an image with a ``path``, and print the original instead of the picture
    made for it)."""

    @property
    def path(self) -> None:
        return None


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that never touches the network.

    It serves ``file:`` URLs only for regular files inside ``roots`` (symbolic links are
    resolved first, so they cannot lead outside) and ``data:`` URLs; every other URL is
    refused. Pictures are served as :func:`briefgen.pictures.open_picture` makes them, for
    every writer alike. Failures are fatal to the document (``fail_on_errors``), so a
    missing logo fails the document instead of leaving an empty box. ``refusals`` keeps the
    reasons, also of refusals WeasyPrint does not pass on (inside an SVG).
    """

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(
            allowed_protocols={"file", "data"},
            allow_redirects=False,
            fail_on_errors=True,
            timeout=1,
        )
        self.roots = [Path(r).resolve() for r in roots]
        self.refusals: list[str] = []

    def resolve(self, url: str) -> Path:
        """Return the local file ``url`` names, or raise :class:`ResourceRefused`."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ResourceRefused(
                f"refused to load '{url}': documents may only use files "
                "from the campaign folder and the templates"
            )
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ResourceRefused(
                f"refused to load '{path}': it is outside the campaign folder and the templates"
            )
        if not path.is_file():
            raise ResourceRefused(f"file not found: '{path}'")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise ResourceRefused(f"'{path}' is larger than {MAX_RESOURCE_BYTES // 1048576} MB")
        return path

    def picture(self, url: str) -> Picture:
        """The picture at ``url`` (a ``file:`` or ``data:`` URL), ready for every writer.

        Raises :class:`ResourceRefused` or :class:`briefgen.errors.PictureError`.
        """
        if url.startswith("data:"):
            return read_picture(data_url_bytes(url)[0], self.roots)
        return self._open(url)

    def _open(self, url: str) -> Picture:
        """The picture file at ``url``, made for the width its URL asks for (a figure's, a
        cover's: :func:`briefgen.pictures.print_url`)."""
        width = print_width(urlsplit(url).query)
        return open_picture(self.resolve(url), self.roots, width_mm=width)

    def read(self, url: str) -> tuple[bytes, str]:
        """Return the bytes and media type of an allowed ``file:`` or ``data:`` URL."""
        if url.startswith("data:"):
            data, media_type = data_url_bytes(url)
            if media_type.startswith("image/"):
                picture = read_picture(data, self.roots)
                return picture.data, picture.media_type
            return data, media_type
        path = self.resolve(url)
        if path.suffix.lower() in PICTURE_SUFFIXES:
            picture = self._open(url)
            return picture.data, picture.media_type
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return path.read_bytes(), media_type

    def error(self, exc: FatalURLFetchingError) -> RenderError:
        """The error for a resource WeasyPrint could not load: the reason this fetcher
        refused it, if it did."""
        return RenderError(self.refusals[-1] if self.refusals else str(exc.__cause__ or exc))

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            body, media_type = self.read(url)
        except Exception as exc:  # WeasyPrint may swallow it (inside an SVG): keep why
            self.refusals.append(str(exc))
            raise
        return _Served(url, body, {"Content-Type": media_type})
