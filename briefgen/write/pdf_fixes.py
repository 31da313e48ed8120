"""Repairs of what WeasyPrint writes outside the structure tree: the text layer's hyphens,
the XMP stream, and stream ends that PDF/A validators misread.

Like ``pdf_tags``, they work on the pydyf objects in WeasyPrint's ``finisher`` hook, before
anything is compressed or written.
"""

from __future__ import annotations

import zlib

import pydyf

AMBIGUOUS_END = b"\r\nendstream"
"""What a written PDF holds where a stream's data ends with a carriage return: pydyf puts a
line feed before ``endstream``, so the CR reads as half of a CRLF end of line, and PDF/A
validators find the stream one byte shorter than its ``/Length`` (PDFA*-STREAM-LENGTH)."""


def soft_hyphens(pdf: pydyf.PDF) -> None:
    """Map the hyphen of hyphenated words (U+2010, WeasyPrint's hyphenate-character) to the
    soft hyphen U+00AD in every font's ToUnicode map (ISO 32000-1, 14.8.2.2.3), so that text
    readers, search and copy get "February", not "Feb‐ruary".

    Exact because the PDF writer replaces any U+2010 of the text by U+002D (the same glyph
    in briefgen's fonts), so the U+2010 glyph is only ever an inserted hyphen.
    """
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.stream[:1] == [
            b"/CIDInit /ProcSet findresource begin"
        ]:
            obj.stream = [
                line[:-6] + b"<00ad>" if line[-7:] == b" <2010>" else line for line in obj.stream
            ]


def plain_metadata(pdf: pydyf.PDF) -> None:
    """Leave the XMP metadata stream uncompressed (PDF/A validators ask for it)."""
    reference = pdf.catalog.get("Metadata")
    if reference is not None:
        pdf.objects[int(bytes(reference).split()[0])].compress = False


def unambiguous_stream_ends(pdf: pydyf.PDF) -> None:
    """Leave uncompressed each stream whose compressed data would end with a carriage return.

    The last byte of zlib data is the low byte of the Adler-32 checksum of what it
    compresses, so it is known before compressing. The object stream and cross-reference
    stream pydyf makes while writing cannot be seen here; :data:`AMBIGUOUS_END` finds them
    in the written file.
    """
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            data = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            if zlib.adler32(data) & 0xFF == 0x0D and data[-1:] != b"\r":
                obj.compress = False


def no_interpolation(pdf: pydyf.PDF) -> None:
    """Ask no viewer to smooth a picture (``/Interpolate false``): PDF/A forbids it
    (PDFA*-IMAGE-INTERPOLATE-001). WeasyPrint asks for it for every raster picture (a photo,
    a figure, a PNG logo); briefgen makes them at print resolution, which needs none."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Interpolate") == "true":
            obj.extra["Interpolate"] = "false"


VARIATIONS = (("PageLayout", "/SinglePage"), ("PageMode", "/UseNone"))
"""Catalog entries that state viewer defaults: they change a file's bytes, not what it shows."""


def vary(pdf: pydyf.PDF, attempt: int) -> None:
    """State the first ``attempt`` :data:`VARIATIONS` in the catalog (to write again a file
    whose object stream or cross-reference stream ended ambiguously)."""
    for key, value in VARIATIONS[:attempt]:
        pdf.catalog[key] = value
