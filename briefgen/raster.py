"""Raster pictures (PNG, JPEG, GIF, WebP): decoded in full under the pixel limit, and made
into files every writer takes.

A JPEG keeps its compressed data, with its metadata segments replaced by a plain JFIF
header; other pictures become PNG (the first frame of an animation, 16-bit grey scaled to
8 bits, palette and transparency kept). An EXIF orientation is applied, then dropped with
the rest of the metadata. The same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import threading
import warnings
from typing import Any

from .errors import PictureError

MAX_PIXELS = 40_000_000
"""Largest raster picture, and largest rasterisation of an SVG (a small file can decode to
gigabytes)."""
CSS_DPI = 96
"""The resolution written into pictures: one pixel is one CSS pixel, as in the PDF."""
_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "GIF": "GIF", "WEBP": "WebP"}
_PLAIN_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}
_SIXTEEN_BIT = {"I;16", "I;16B", "I;16L", "I;16N", "I"}
_DECODE_LOCK = threading.Lock()


def _megapixels(pixels: int) -> str:
    value = f"{pixels / 1_000_000:.1f}".removesuffix(".0")
    return f"{value} million"


@contextlib.contextmanager
def _strict_decoding() -> Any:
    """Decode whole files only: WeasyPrint lets Pillow accept truncated ones, which would
    print a grey band instead of failing."""
    from PIL import ImageFile

    with _DECODE_LOCK:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def decode(data: bytes) -> tuple[bytes, str, int, int]:
    from PIL import Image, UnidentifiedImageError

    signature = _signature(data)
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of damage it works around
            guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # judged below
            try:
                image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "GIF", "WEBP"])
            finally:
                Image.MAX_IMAGE_PIXELS = guard
    except UnidentifiedImageError:
        if signature:  # the start of a picture, then nothing Pillow can make sense of
            raise PictureError(f"the {signature} file is damaged or incomplete") from None
        raise PictureError(
            "the file is not a picture briefgen can use (PNG, JPEG, GIF, WebP or SVG)"
        ) from None
    except Exception as exc:  # a header Pillow cannot parse
        raise PictureError(
            f"the {signature or 'picture'} file is damaged or incomplete ({reason(exc)})"
        ) from None
    kind = _NAMES[image.format or "PNG"]
    width, height = image.size
    if width <= 0 or height <= 0:
        raise PictureError(f"the {kind} picture has no pixels ({width} × {height})")
    if width * height > MAX_PIXELS:
        raise PictureError(
            f"the picture is {_megapixels(width * height)} pixels ({width} × {height}); at "
            f"most {_megapixels(MAX_PIXELS)}"
        )
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.seek(0)
            image.load()
    except Exception as exc:  # any failure to decode the first frame: the file is damaged
        raise PictureError(f"the {kind} file is damaged or incomplete ({reason(exc)})") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of odd EXIF tags; they are dropped
            if image.format in ("JPEG", "MPO"):
                out, media_type = _jpeg(image, data)
            else:
                out, media_type = _png(image), "image/png"
            width, height = _dimensions(out)
    except Exception as exc:  # a mode or layout Pillow decodes but cannot write again
        raise PictureError(f"the {kind} picture cannot be converted ({reason(exc)})") from None
    return out, media_type, width, height


def _signature(data: bytes) -> str | None:
    """The format whose signature ``data`` starts with, if any."""
    if data.startswith(b"\x89PNG"):
        return "PNG"
    if data.startswith(b"\xff\xd8"):
        return "JPEG"
    if data.startswith(b"GIF8"):
        return "GIF"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP"
    return None


def reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


def _dimensions(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _orientation(image: Any) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # an EXIF block Pillow cannot read: no orientation to apply
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _png(image: Any) -> bytes:
    """``image`` (its first frame) as a PNG without metadata, in a mode every writer reads."""
    from PIL import ImageOps

    if _orientation(image) != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode in _SIXTEEN_BIT:
        # 16-bit grey: scaled to 8 bits (a plain conversion would clip everything above 255).
        image = image.convert("I").point(lambda v: v * (1 / 257) + 0.5).convert("L")
    elif image.mode not in _PLAIN_MODES:
        alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
    options: dict[str, Any] = {"dpi": (CSS_DPI, CSS_DPI), "compress_level": 6}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if image.mode in ("P", "L", "RGB", "1") and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def _jpeg(image: Any, data: bytes) -> tuple[bytes, str]:
    """A JPEG as JPEG: its own compressed data when possible (only the metadata segments
    are replaced by a plain JFIF header), else re-encoded."""
    if image.format == "JPEG" and image.mode in ("L", "RGB") and _orientation(image) == 1:
        cleaned = _clean_jpeg(data)
        if cleaned is not None and _decodes_to(cleaned, image.size):
            return cleaned, "image/jpeg"
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image) if _orientation(image) != 1 else image
    image = image.convert("L" if image.mode in ("L", "1") else "RGB")
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 95, "dpi": (CSS_DPI, CSS_DPI)}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    image.save(out, "JPEG", **options)
    return out.getvalue(), "image/jpeg"


def _decodes_to(data: bytes, size: tuple[int, int]) -> bool:
    """Whether ``data`` decodes in full to a picture of ``size`` (a JPEG cleaned of its
    metadata must still be the same picture)."""
    from PIL import Image

    try:
        with _strict_decoding(), Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
            image.load()
            return bool(image.size == size)
    except Exception:  # not a whole picture any more: re-encode instead
        return False


_JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x01" + CSS_DPI.to_bytes(2, "big") * 2 + b"\x00\x00"


def _clean_jpeg(data: bytes) -> bytes | None:
    """``data`` with EXIF, XMP, comments and other application segments left out and a
    JFIF header at 96 dpi; ``None`` if the file is laid out in a way this does not handle
    (Adobe colour transforms, say), to be re-encoded instead."""
    if not data.startswith(b"\xff\xd8"):
        return None
    kept = [b"\xff\xd8", _JFIF]
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        segment = data[i : i + 2 + length]
        if marker == 0xDA:  # start of scan: the image data, up to the end-of-image marker
            end = data.find(b"\xff\xd9", i)
            if end < 0:
                return None
            kept.append(data[i : end + 2])
            return b"".join(kept)
        if marker == 0xEE:  # Adobe: a colour transform a JFIF header would contradict
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # frame header
            components = segment[10 : 10 + 3 * segment[9]] if len(segment) > 9 else b""
            if components[0::3] == b"RGB":  # RGB samples, which JFIF would call YCbCr
                return None
        icc = marker == 0xE2 and segment[4:16] == b"ICC_PROFILE\x00"
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or icc:
            kept.append(segment)
        i += 2 + length
    return None
