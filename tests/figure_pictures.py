"""Pictures for the figure tests, made here (binary files are not committed): a camera JPEG
carrying everything a phone or a photo desk writes into one, and plainer ones."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageDraw

CANARIES = (
    b"CanaryCam",  # EXIF Make
    b"EOS-Canary-5",  # EXIF Model
    b"Artist-Canary",  # EXIF Artist
    b"Copyright-Canary",  # EXIF Copyright
    b"Comment-Canary",  # JPEG comment
    b"XMP-Canary",  # XMP creator
    b"IPTC-Canary",  # IPTC by-line
    b"ICC-Canary",  # ICC profile description
    b"Exif\x00\x00",  # an EXIF block (a PDF's own XMP names the XMP namespace: not here)
    b"Photoshop 3.0",  # an IPTC block
)
"""Strings that must be found in no output (the GPS position is looked for as EXIF)."""

GPS_LATITUDE = (42.0, 52.0, 30.0)
"""Where the camera says it was (Bishkek, 42° 52′ 30″ N)."""


def scene(width: int, height: int) -> Image.Image:
    """A photo-like picture: sky, a building, people, and noise (so it does not compress to
    nothing, as a real photo does not)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    sky = Image.new("RGB", (width, height), (110, 150, 200))
    image = Image.blend(image, sky, 0.6)
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 6, height // 3, width * 5 // 6, height), fill=(170, 160, 140))
    for i in range(7):
        x = width // 8 + i * width // 9
        draw.ellipse(
            (x, height * 3 // 5, x + width // 20, height * 3 // 5 + width // 20), fill=(60, 40, 30)
        )
        draw.rectangle(
            (x - width // 80, height * 2 // 3, x + width // 16, height), fill=(40, 50, 80)
        )
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    return Image.blend(image, noise, 0.15)


def _exif(thumbnail: bytes, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"
    exif[0x0110] = "EOS-Canary-5"
    exif[0x013B] = "Artist-Canary Photographer"
    exif[0x8298] = "Copyright-Canary 2024"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = (74.0, 36.0, 0.0)
    data = exif.tobytes()
    # The thumbnail a camera stores in IFD1 (a second JPEG inside the EXIF block).
    return data + thumbnail


def _segment(marker: int, body: bytes) -> bytes:
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body


def _icc() -> bytes:
    from PIL import ImageCms

    profile = ImageCms.createProfile("sRGB")
    ImageCms.ImageCmsProfile(profile)  # built in memory
    data = ImageCms.ImageCmsProfile(profile).tobytes()
    return data + b"ICC-Canary"  # a profile names its maker: a name appended is still read


def camera_jpeg(width: int, height: int, orientation: int = 1) -> bytes:
    """A JPEG as a camera and a photo desk leave it: EXIF with camera, artist, copyright, GPS
    position and a thumbnail, XMP, IPTC, a comment, an ICC profile."""
    picture = scene(width, height)
    small = io.BytesIO()
    picture.resize((160, 120)).save(small, "JPEG")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=_exif(b"", orientation), icc_profile=_icc())
    data = out.getvalue()
    xmp = _segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        b"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
        b"xmlns:dc='http://purl.org/dc/elements/1.1/' dc:creator='XMP-Canary'/></rdf:RDF>"
        b"</x:xmpmeta>",
    )
    iptc_record = b"\x1c\x02\x50" + struct.pack(">H", 11) + b"IPTC-Canary"
    iptc = _segment(
        0xED,
        b"Photoshop 3.0\x008BIM\x04\x04\x00\x00"
        + struct.pack(">I", len(iptc_record))
        + iptc_record,
    )
    thumb = _segment(0xE1, b"Exif\x00\x00" + b"thumbnail:" + small.getvalue())
    comment = _segment(0xFE, b"Comment-Canary: taken near the court")
    # After the camera's own segments (JFIF, EXIF, ICC), before the picture's tables.
    at = data.index(b"\xff\xdb")
    return data[:at] + xmp + iptc + thumb + comment + data[at:]


def chart_png(width: int = 1200, height: int = 600) -> bytes:
    """A bar chart PNG with text chunks naming its author and software."""
    from PIL.PngImagePlugin import PngInfo

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i, value in enumerate((2, 3, 5, 8, 11)):
        left = 80 + i * (width - 160) // 5
        draw.rectangle((left, height - 40 - value * 45, left + 120, height - 40), fill=(29, 61, 92))
    info = PngInfo()
    info.add_text("Author", "Artist-Canary Photographer")
    info.add_text("Comment", "Comment-Canary")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def make(folder: Path) -> None:
    """The pictures ``tests/data/figures/campaign.yaml`` names, in ``folder``."""
    (folder / "photo.jpg").write_bytes(camera_jpeg(4000, 3000))
    # Stored 1500 wide and 1000 high, shown a quarter turned: 1000 wide and 1500 high.
    (folder / "tall.jpg").write_bytes(camera_jpeg(1500, 1000, orientation=6))
    (folder / "chart.png").write_bytes(chart_png())
