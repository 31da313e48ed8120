"""Raster pictures (PNG, JPEG, GIF, WebP): decoded in full under the pixel limit, and made
into files every writer takes, carrying nothing but the picture.

:func:`decode` is the one way a raster picture reaches a document. An EXIF orientation is
applied, colours in another profile are converted to sRGB, then every kind of metadata is
left out: EXIF (camera, artist, GPS position, thumbnail), XMP, IPTC, ICC profiles, comments,
text chunks, times. A picture wider than the width it is printed at needs (300 dpi, see
:mod:`briefgen.pictures`) is made smaller. A JPEG keeps its compressed data when nothing
else had to change (only its metadata segments are replaced by a plain JFIF header); other
pictures become PNG (the first frame of an animation, 16-bit grey scaled to 8 bits, palette
and transparency kept). The same input gives the same bytes.
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


PHOTO_QUALITY = 85
"""JPEG quality of a photo made smaller for print (what photo editors export for print)."""
KEPT_QUALITY = 95
"""JPEG quality of a JPEG that must be encoded again at its own size (turned upright, or
its colours converted to sRGB)."""
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
"""The formats a document may show."""


def _open(data: bytes, formats: tuple[str, ...]) -> Any:
    """``data`` opened (its header read, nothing decoded) and its size judged, or
    :class:`PictureError` saying why not."""
    from PIL import Image, UnidentifiedImageError

    signature = _signature(data)
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of damage it works around
            guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # judged below
            try:
                image = Image.open(io.BytesIO(data), formats=list(formats))
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
    kind = _NAMES.get(image.format or "PNG", image.format or "picture")
    width, height = image.size
    if width <= 0 or height <= 0:
        raise PictureError(f"the {kind} picture has no pixels ({width} × {height})")
    if width * height > MAX_PIXELS:
        raise PictureError(
            f"the picture is {_megapixels(width * height)} pixels ({width} × {height}); at "
            f"most {_megapixels(MAX_PIXELS)}"
        )
    return image


def probe(data: bytes) -> tuple[int, int]:
    """The width and height in pixels of the raster picture in ``data`` as it is shown
    (turned by its EXIF orientation), read from its header without decoding it.

    Raises :class:`PictureError` for what the header already shows to be unusable.
    """
    image = _open(data, FORMATS)
    width, height = image.size
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            turned = _orientation(image) in _QUARTER_TURNS  # a PNG is read to its EXIF
    except Exception as exc:
        kind = _NAMES.get(image.format or "PNG", image.format or "picture")
        raise PictureError(f"the {kind} file is damaged or incomplete ({reason(exc)})") from None
    return (height, width) if turned else (width, height)


def decode(
    data: bytes, max_width: int | None = None, *, formats: tuple[str, ...] = FORMATS
) -> tuple[bytes, str, int, int]:
    """The raster picture in ``data`` as every writer takes it, with its media type and size
    in pixels.

    Decoded in full (a damaged file is an error), turned upright, in sRGB, without any
    metadata, and no wider than ``max_width`` pixels (``None``: its own size). A JPEG stays
    a JPEG (its own compressed data when nothing had to change), anything else becomes a
    PNG. Raises :class:`PictureError`.
    """
    image = _open(data, formats)
    kind = _NAMES.get(image.format or "PNG", image.format or "picture")
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.seek(0)
            if image.format != "JPEG":
                # Decoded first: reading a PNG's EXIF (its orientation) decodes it, and
                # would swallow the error of a damaged one.
                image.load()
            target = _target(image, max_width)
            if target is not None and image.format == "JPEG":
                # Decoded at a fraction of its size where the JPEG allows (DCT scaling):
                # a 12-megapixel photo for a 17 cm column never exists in full in memory.
                stored = target[::-1] if _orientation(image) in _QUARTER_TURNS else target
                image.draft(image.mode if image.mode in ("L", "RGB") else None, stored)
            image.load()
    except Exception as exc:  # any failure to decode the first frame: the file is damaged
        raise PictureError(f"the {kind} file is damaged or incomplete ({reason(exc)})") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of odd EXIF tags; they are dropped
            out, media_type = _encode(image, data, target)
            width, height = _dimensions(out)
    except Exception as exc:  # a mode or layout Pillow decodes but cannot write again
        raise PictureError(f"the {kind} picture cannot be converted ({reason(exc)})") from None
    return out, media_type, width, height


_QUARTER_TURNS = {5, 6, 7, 8}
"""EXIF orientations that turn the picture a quarter: its width is its stored height."""


def _target(image: Any, max_width: int | None) -> tuple[int, int] | None:
    """The size ``image`` is made smaller to (upright), or ``None`` if it is not."""
    width, height = image.size
    if _orientation(image) in _QUARTER_TURNS:
        width, height = height, width
    if max_width is None or width <= max_width:
        return None
    return max_width, max(1, round(height * max_width / width))


def _encode(image: Any, data: bytes, target: tuple[int, int] | None) -> tuple[bytes, str]:
    """``image`` (decoded from ``data``) as the file every writer embeds."""
    from PIL import Image

    jpeg = image.format in ("JPEG", "MPO")
    if (
        image.format == "JPEG"
        and image.mode in ("L", "RGB")
        and target is None
        and _orientation(image) == 1
        and not image.info.get("icc_profile")
    ):
        cleaned = clean_jpeg(data)
        if cleaned is not None and _decodes_to(cleaned, image.size):
            return cleaned, "image/jpeg"
    image = _eight_bit(_in_srgb(_upright(image)))
    if target is not None and image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS)
    if jpeg:
        image = image.convert("L" if image.mode in ("L", "1") else "RGB")
        out = io.BytesIO()
        quality = PHOTO_QUALITY if target is not None else KEPT_QUALITY
        image.save(out, "JPEG", quality=quality, optimize=True, dpi=(CSS_DPI, CSS_DPI))
        return out.getvalue(), "image/jpeg"
    return _png(image), "image/png"


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


def _upright(image: Any) -> Any:
    """``image`` turned as its EXIF orientation says (before the EXIF data is dropped)."""
    from PIL import ImageOps

    if _orientation(image) == 1:
        return image
    icc = image.info.get("icc_profile")
    turned = ImageOps.exif_transpose(image)
    if icc:
        turned.info["icc_profile"] = icc
    return turned


def _eight_bit(image: Any) -> Any:
    """``image`` in a mode every writer reads (16-bit grey scaled to 8 bits: a plain
    conversion would clip everything above 255)."""
    if image.mode in _SIXTEEN_BIT:
        grey = image.convert("I").point(lambda v: v * (1 / 257) + 0.5).convert("L")
        grey.info = dict(image.info)
        return grey
    if image.mode not in _PLAIN_MODES:
        alpha = "A" in image.getbands() or "transparency" in image.info
        return image.convert("RGBA" if alpha else "RGB")
    return image


def _in_srgb(image: Any) -> Any:
    """``image`` without a colour profile: its colours converted to sRGB, the colours every
    viewer assumes, when it has one. A profile names the device and its maker, sometimes
    the person who calibrated it; none is carried into a document."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    from PIL import ImageCms

    bare = image.copy()
    bare.info.pop("icc_profile", None)
    if image.mode in ("1", "L", "LA", "I", "F"):
        return bare  # a grey profile: the grey stays as it is
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode == "P" or "transparency" in image.info:
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except Exception:  # a profile littleCMS cannot use: the colours as they are
        return bare
    assert converted is not None
    converted.info = {k: v for k, v in image.info.items() if k == "transparency"}
    return converted


def _png(image: Any) -> bytes:
    """``image`` (upright, 8-bit, sRGB) as a PNG without metadata."""
    options: dict[str, Any] = {"dpi": (CSS_DPI, CSS_DPI), "compress_level": 6}
    if image.mode in ("P", "L", "RGB", "1") and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


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


def clean_jpeg(data: bytes) -> bytes | None:
    """``data`` (a JPEG) with every application segment (EXIF and its thumbnail, XMP,
    IPTC, ICC profiles, maker notes...) and comment left out, between scans too, and
    nothing after its end; a plain JFIF header at 96 dpi in their place. The compressed
    picture is kept byte for byte. ``None`` if the file is laid out in a way this does not
    handle (Adobe colour transforms, RGB samples, damage), to be encoded again instead."""
    if not data.startswith(b"\xff\xd8"):
        return None
    kept = [b"\xff\xd8", _JFIF]
    i, size = 2, len(data)
    while i + 2 <= size:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # end of image: whatever follows (a trailer, a second picture) stays out
            kept.append(b"\xff\xd9")
            return b"".join(kept)
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > size:
            return None
        segment = data[i : i + 2 + length]
        i += 2 + length
        if marker == 0xEE:  # Adobe: a colour transform a JFIF header would contradict
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # frame header
            components = segment[10 : 10 + 3 * segment[9]] if len(segment) > 9 else b""
            if components[0::3] == b"RGB":  # RGB samples, which JFIF would call YCbCr
                return None
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            continue  # APP0-APP15 and comments
        kept.append(segment)
        if marker == 0xDA:  # start of scan: its data runs to the next marker (not a restart)
            end = _scan_end(data, i)
            if end is None:
                return None
            kept.append(data[i:end])
            i = end
    return None


def _scan_end(data: bytes, start: int) -> int | None:
    """Where the entropy-coded data starting at ``start`` ends: at the first marker that is
    not a stuffed byte (FF 00) or a restart (FF D0-D7)."""
    j = start
    while True:
        j = data.find(b"\xff", j)
        if j < 0 or j + 1 >= len(data):
            return None
        following = data[j + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            j += 2
        elif following == 0xFF:
            j += 1
        else:
            return j
