"""Pictures: every image a document shows, opened once, the same way for check and build.

:func:`open_picture` reads a picture (the logo, a template's image, one inside an SVG) the
way every writer will use it and returns a :class:`Picture`: the bytes all formats embed
(PDF, DOCX, HTML) and its size. Raster pictures are decoded in full under the pixel limit
and re-encoded where a writer needs it (:mod:`briefgen.raster`); SVGs are checked and made
self-contained (:mod:`briefgen.svg`). :func:`briefgen.checks.pictures.check_picture` draws it as the
PDF and DOCX writers will, so that what ``check`` accepts, ``build`` renders. Whatever
cannot be used raises :class:`PictureError` saying why in words.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from . import raster, svg
from .errors import PictureError
from .raster import CSS_DPI, MAX_PIXELS

MAX_BYTES = 20 * 1024 * 1024
"""Largest picture file (or ``data:`` URL) a document may use."""
MAX_NESTING = 3
"""Pictures inside an SVG inside an SVG..."""
DOCX_DPI = 300
"""Resolution of the PNG an SVG becomes in a Word document, at its size on the page."""
PRINT_DPI = 300
"""The most pixels per inch a photo keeps at the width it is printed at (a figure, a
cover): a 12-megapixel photo in a 17 cm column keeps 2,000 pixels of its 4,000."""
_PRINT_WIDTH = re.compile(r"(?:^|&)print-width=(\d+(?:\.\d+)?)mm(?:&|$)")
MAX_RASTER_SIDE = 4000
"""Longest side of that PNG, whatever the size on the page."""


@dataclass(frozen=True)
class Picture:
    """A picture ready for every writer."""

    data: bytes
    """The file to embed: PNG, JPEG or SVG, with no metadata a writer could trip on."""
    media_type: str
    width: float
    height: float
    """Its natural size in CSS pixels (1/96 inch)."""
    files: tuple[Path, ...] = ()
    """Every file read to make it (the picture and those an SVG embeds)."""

    @property
    def data_url(self) -> str:
        """The picture as a ``data:`` URL."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def describe(path: Path, roots: Sequence[Path]) -> str:
    """How messages name ``path``: relative to the first of ``roots`` that holds it."""
    for root in roots:
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return str(path)


# -- opening ----------------------------------------------------------------------------------


_CACHE: dict[
    tuple[str, tuple[str, ...], int | None], tuple[Picture, tuple[tuple[str, int, int], ...]]
] = {}
_CACHE_LOCK = threading.Lock()


def _stamp(paths: Sequence[Path]) -> tuple[tuple[str, int, int], ...] | None:
    try:
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    except OSError:
        return None


def print_pixels(width_mm: float) -> int:
    """The most pixels a picture printed ``width_mm`` wide keeps (:data:`PRINT_DPI`)."""
    return max(1, math.ceil(width_mm / 25.4 * PRINT_DPI))


def print_url(path: Path, width_mm: float) -> str:
    """The ``file:`` URL of the picture at ``path`` made for printing ``width_mm`` wide:
    what a template shows for a figure or a cover (see :func:`print_width`)."""
    return f"{Path(path).resolve().as_uri()}?print-width={width_mm:.1f}mm"


def print_width(query: str) -> float | None:
    """The printed width (mm) a picture URL's ``query`` asks for, if any."""
    match = _PRINT_WIDTH.search(query)
    return float(match.group(1)) if match else None


def open_picture(
    path: Path, roots: Sequence[Path], *, width_mm: float | None = None, _depth: int = 0
) -> Picture:
    """Open the picture file at ``path`` (inside one of ``roots``) as every writer uses it.

    ``width_mm`` is the width it is printed at: a raster picture with more pixels than
    :data:`PRINT_DPI` needs there is made smaller (``None``: it keeps its pixels). Pictures
    an SVG refers to must be inside ``roots`` too. The result is kept for the life of the
    process, until one of its files changes. Raises :class:`PictureError` naming the
    picture relative to the first root.
    """
    path = Path(path).resolve()
    roots = [Path(r).resolve() for r in roots]
    max_width = print_pixels(width_mm) if width_mm else None
    key = (str(path), tuple(str(r) for r in roots), max_width)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is not None and _stamp([Path(p) for p, _m, _s in cached[1]]) == cached[1]:
        return cached[0]
    name = describe(path, roots)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise PictureError(f"the file is larger than {MAX_BYTES // 1048576} MB")
        data = path.read_bytes()
        picture = _read(data, roots, path.parent, _depth, max_width)
    except PictureError as exc:
        raise PictureError(exc.reason, name) from None
    except OSError as exc:
        raise PictureError(f"cannot be read ({exc.strerror or exc})", name) from None
    picture = Picture(
        picture.data,
        picture.media_type,
        picture.width,
        picture.height,
        (path, *picture.files),
    )
    stamp = _stamp(list(picture.files))
    if stamp is not None:
        with _CACHE_LOCK:
            if len(_CACHE) >= 64:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = (picture, stamp)
    return picture


def data_url_bytes(url: str) -> tuple[bytes, str]:
    """The bytes and media type of a ``data:`` URL; :class:`PictureError` if malformed or
    larger than :data:`MAX_BYTES`."""
    header, comma, payload = url.partition(",")
    if not comma or not header.startswith("data:"):
        raise PictureError("the data: URL is malformed")
    if len(payload) > MAX_BYTES * 4 // 3 + 4:
        raise PictureError(f"the data: URL is larger than {MAX_BYTES // 1048576} MB")
    try:
        data = (
            base64.b64decode(unquote_to_bytes(payload), validate=False)
            if header.endswith(";base64")
            else unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError):
        raise PictureError("the data: URL's base64 text is damaged") from None
    return data, (header[5:].split(";")[0].strip().lower() or "text/plain")


def read_picture(data: bytes, roots: Sequence[Path], name: str = "data: URL") -> Picture:
    """The picture in ``data`` (from a ``data:`` URL): as :func:`open_picture`, but it may
    refer to no file."""
    try:
        return _read_cached(data, tuple(Path(r).resolve() for r in roots))
    except PictureError as exc:
        raise PictureError(exc.reason, name) from None


_DATA_CACHE: dict[tuple[bytes, tuple[Path, ...]], Picture] = {}


def _read_cached(data: bytes, roots: tuple[Path, ...], depth: int = 0) -> Picture:
    key = (hashlib.sha256(data).digest(), roots)
    with _CACHE_LOCK:
        found = _DATA_CACHE.get(key)
    if found is None:
        found = _read(data, roots, None, depth)
        with _CACHE_LOCK:
            if len(_DATA_CACHE) >= 64:
                _DATA_CACHE.pop(next(iter(_DATA_CACHE)))
            _DATA_CACHE[key] = found
    return found


def _read(
    data: bytes,
    roots: Sequence[Path],
    folder: Path | None,
    depth: int,
    max_width: int | None = None,
) -> Picture:
    """The picture in ``data``; ``folder`` is where an SVG's references start; a raster
    picture is made at most ``max_width`` pixels wide."""
    if len(data) > MAX_BYTES:
        raise PictureError(f"the file is larger than {MAX_BYTES // 1048576} MB")
    if not data.strip():
        raise PictureError("the file is empty")
    if data.lstrip()[:2] == b"\x1f\x8b":
        raise PictureError("the SVG is compressed (.svgz); save it as a plain .svg")
    if _is_svg(data):
        return _read_svg(data, roots, folder, depth)
    out, media_type, width, height = raster.decode(data, max_width)
    return Picture(out, media_type, float(width), float(height))


def _is_svg(data: bytes) -> bool:
    head = data.lstrip()[:512]
    return head.startswith((b"<", b"\xef\xbb\xbf<")) or b"<svg" in head


def picture_size(path: Path, roots: Sequence[Path]) -> tuple[float, float]:
    """The width and height at which the picture file at ``path`` is shown, in pixels (a
    raster picture's, upright) or CSS pixels (an SVG's), read without decoding a raster
    picture: what a layout needs before the picture is made for its place."""
    path = Path(path).resolve()
    roots = [Path(r).resolve() for r in roots]
    try:
        if path.stat().st_size > MAX_BYTES:
            raise PictureError(f"the file is larger than {MAX_BYTES // 1048576} MB")
        with path.open("rb") as file:
            head = file.read(512)
        if not _is_svg(head) and head.lstrip()[:2] != b"\x1f\x8b":
            return raster.probe(path.read_bytes())
    except PictureError as exc:
        raise PictureError(exc.reason, describe(path, roots)) from None
    except OSError as exc:
        name = describe(path, roots)
        raise PictureError(f"cannot be read ({exc.strerror or exc})", name) from None
    picture = open_picture(path, roots)
    return picture.width, picture.height


def picture_files(path: Path, roots: Sequence[Path]) -> tuple[Path, ...]:
    """Every file the picture at ``path`` is made from: itself, and for an SVG the
    pictures it embeds (a raster picture is not decoded for this)."""
    path = Path(path).resolve()
    try:
        with path.open("rb") as file:
            if not _is_svg(file.read(512)):
                return (path,)
        return open_picture(path, roots).files
    except (OSError, PictureError):
        return (path,)


def _read_svg(data: bytes, roots: Sequence[Path], folder: Path | None, depth: int) -> Picture:
    if depth >= MAX_NESTING:
        raise PictureError(f"the SVG holds pictures nested more than {MAX_NESTING} deep")

    def open_file(path: Path) -> tuple[str, Path | None]:
        inner = _nested(lambda: open_picture(path, roots, _depth=depth + 1), describe(path, roots))
        return inner.data_url, path

    def open_data(url: str) -> str:
        inner = _nested(
            lambda: _read_cached(data_url_bytes(url)[0], tuple(roots), depth + 1),
            f"{url[:30]}…",
        )
        return inner.data_url

    files: list[Path] = []

    def embed(reference: str, base: Path | None) -> tuple[str, Path | None]:
        url, read = svg.embed_reference(reference, base, roots, open_file, open_data)
        if read is not None:
            files.append(read)
        return url, read

    made = svg.normalise(data, folder, embed)
    return Picture(made.data, "image/svg+xml", made.width, made.height, tuple(files))


def _nested(make: Any, name: str) -> Picture:
    try:
        picture: Picture = make()
    except PictureError as exc:
        raise PictureError(
            f"the SVG shows a picture that cannot be used ({name}): {exc.reason}"
        ) from None
    return picture


# -- Word ---------------------------------------------------------------------------------------

EMU_PER_INCH = 914_400
MAX_DOCX_INCHES = 22.0
"""The longest side of a picture Word shows (larger ones are made smaller)."""


def docx_picture(picture: Picture, height_mm: float | None) -> tuple[bytes, int, int]:
    """The bytes Word shows for ``picture`` and its width and height in EMU.

    ``height_mm`` is its height on the page (``None``: its natural size). An SVG becomes a
    PNG at :data:`DOCX_DPI` for that size, at most :data:`MAX_RASTER_SIDE` pixels a side.
    """
    ratio = picture.width / picture.height
    height = height_mm / 25.4 if height_mm else picture.height / CSS_DPI
    width = height * ratio
    if max(width, height) > MAX_DOCX_INCHES:  # Word refuses larger pictures
        shrink = MAX_DOCX_INCHES / max(width, height)
        width, height = width * shrink, height * shrink
    data = picture.data
    if picture.media_type == "image/svg+xml":
        scale = min(
            DOCX_DPI,
            MAX_RASTER_SIDE / max(width, height),
            math.sqrt(MAX_PIXELS / (width * height)),
        )
        data = _rasterise(
            picture.data, max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))
        )
    else:
        _docx_header(data)
    return data, max(1, round(width * EMU_PER_INCH)), max(1, round(height * EMU_PER_INCH))


def _docx_header(data: bytes) -> None:
    from docx.image.image import Image as DocxImage

    try:
        DocxImage.from_blob(data)
    except Exception as exc:  # python-docx could not read the header we wrote: a bug
        raise PictureError(f"the picture cannot be placed in Word ({raster.reason(exc)})") from None


def _data_only(url: str, _resource_type: str) -> bytes:
    """cairosvg's fetcher: the SVGs given to it hold everything they draw."""
    if url.startswith("data:"):
        return data_url_bytes(url)[0]
    raise PictureError(f"the SVG refers to '{url[:100]}', which is not embedded")


_RASTERS: dict[tuple[bytes, int, int], bytes] = {}


def _rasterise(data: bytes, width: int, height: int) -> bytes:
    """The SVG in ``data`` drawn on ``width`` × ``height`` pixels, as PNG (kept per
    process: the logo of every letter is drawn once)."""
    key = (hashlib.sha256(data).digest(), width, height)
    with _CACHE_LOCK:
        found = _RASTERS.get(key)
    if found is not None:
        return found
    from cairosvg.surface import PNGSurface

    try:
        png = PNGSurface.convert(
            bytestring=data,
            output_width=width,
            output_height=height,
            unsafe=False,
            url_fetcher=_data_only,
        )
    except PictureError:
        raise
    except RecursionError:
        raise PictureError("the SVG nests too deeply to be drawn for Word") from None
    except Exception as exc:  # cairosvg fails in many ways on SVGs it cannot draw
        raise PictureError(f"the SVG cannot be drawn for Word ({_cairo_reason(exc)})") from None
    assert isinstance(png, bytes)
    with _CACHE_LOCK:
        if len(_RASTERS) >= 16:
            _RASTERS.pop(next(iter(_RASTERS)))
        _RASTERS[key] = png
    return png


_CAIRO_REASONS = (
    (re.compile(r"could not convert string to float: (.*)"), r"\1 is not a number"),
    (re.compile(r"invalid literal for int\(\) with base 10: (.*)"), r"\1 is not a whole number"),
    (re.compile(r".*INVALID_MATRIX.*"), "a transform or a size of zero squashes a part to nothing"),
    (re.compile(r".*INVALID_DASH.*"), "a stroke-dasharray has negative values"),
    (re.compile(r"The SVG size is undefined"), "a size it needs is undefined"),
)


def _cairo_reason(exc: BaseException) -> str:
    """What cairosvg's exception means, in words where it is known."""
    text = raster.reason(exc)
    for pattern, meaning in _CAIRO_REASONS:
        if pattern.fullmatch(text):
            return pattern.sub(meaning, text)
    if isinstance(exc, (TypeError, AttributeError, IndexError, KeyError)):
        return f"an element it cannot handle: {type(exc).__name__}: {text}"
    return text


# -- the pictures a campaign names ----------------------------------------------------------


def campaign_pictures(campaign: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """The pictures ``campaign`` names: (where in the campaign, the path written there): the
    logo, the cover photo and every figure, in the order the brief shows them."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    if campaign.organisation.logo:
        found.append((("organisation", "logo"), campaign.organisation.logo))
    brief = campaign.brief
    if brief.cover is not None:
        found.append((("brief", "cover", "file"), brief.cover.file))
    for i, section in enumerate(brief.sections):
        for j, figure in enumerate(section.figures):
            found.append((("brief", "sections", i, "figures", j, "file"), figure.file))
    for i, case in enumerate(campaign.cases):
        for j, figure in enumerate(case.figures):
            found.append((("cases", i, "figures", j, "file"), figure.file))
    return found
