"""The only way a document may read a resource: local files under allowed folders, or data:."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_RESOURCE_BYTES = 20 * 1024 * 1024


MAX_PIXELS = 40_000_000
"""Largest raster image a document may use (a small file can decode to gigabytes)."""
_RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"}


def _check_pixels(path: Path) -> None:
    from PIL import Image

    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # we judge the size below
    try:
        with Image.open(path) as image:  # reads the header only
            width, height = image.size
    except Exception as exc:  # not an image Pillow can read
        raise ResourceRefused(f"'{path}' is not a readable image ({exc})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    if width * height > MAX_PIXELS:
        raise ResourceRefused(
            f"'{path}' is {width} × {height} pixels; images are limited to "
            f"{MAX_PIXELS // 1_000_000} million pixels"
        )


class ResourceRefused(Exception):
    """A resource URL points somewhere a document may not read."""


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that never touches the network.

    It serves ``file:`` URLs only for regular files inside ``roots`` (symbolic links are
    resolved first, so they cannot lead outside) and ``data:`` URLs; every other URL is
    refused. Failures are fatal to the document (``fail_on_errors``), so a missing logo fails
    the document instead of leaving an empty box. ``refusals`` keeps the reasons.
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
        if path.suffix.lower() in _RASTER:
            _check_pixels(path)
        return path

    def read(self, url: str) -> tuple[bytes, str]:
        """Return the bytes and media type of an allowed ``file:`` URL."""
        path = self.resolve(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return path.read_bytes(), media_type

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            body, media_type = self.read(url)
        except ResourceRefused as exc:
            self.refusals.append(str(exc))
            raise
        return URLFetcherResponse(url, body, {"Content-Type": media_type})
