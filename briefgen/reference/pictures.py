"""Pictures a reference document's headers and footers show, without their metadata.

A letterhead's logo can carry its author, the camera, a place or editing software in EXIF,
XMP, IPTC or PNG text chunks. These are taken out byte for byte; the pixels are not decoded
or re-encoded, so the picture looks exactly the same.
"""

from __future__ import annotations

import struct

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
"""Text, EXIF and modification time; colour (iCCP, gAMA, sRGB) and resolution stay."""
_JPEG_DROPPED = {0xE1, 0xED, 0xFE}
"""APP1 (EXIF, XMP), APP13 (IPTC, Photoshop), comments; JFIF, ICC profile and Adobe stay."""


def without_metadata(data: bytes, content_type: str) -> bytes:
    """``data`` (a PNG or JPEG picture) without its metadata; other formats, and pictures
    that cannot be walked, as they are."""
    try:
        if content_type == "image/png" and data.startswith(_PNG):
            return _png(data)
        if content_type == "image/jpeg" and data.startswith(b"\xff\xd8"):
            return _jpeg(data)
    except (struct.error, ValueError):
        pass
    return data


def _png(data: bytes) -> bytes:
    out = [_PNG]
    position = len(_PNG)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise ValueError("truncated chunk")
        if kind not in _PNG_DROPPED:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            break
    return b"".join(out)


def _jpeg(data: bytes) -> bytes:
    out = [data[:2]]
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            raise ValueError("not a marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan, end of image: the rest as is
            out.append(data[position:])
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(data[position : position + 2])
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("truncated segment")
        if marker not in _JPEG_DROPPED:
            out.append(data[position:end])
        position = end
    return b"".join(out)
