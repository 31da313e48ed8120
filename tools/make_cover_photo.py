"""Draw briefs/assets/cover-courthouse.jpg, the example campaign's cover photo.

Run: python tools/make_cover_photo.py
The picture is drawn here, from nothing but this code (no photograph, no person's likeness):
supporters with placards before a courthouse at dusk, with the grain of a photo. It is
released with briefgen under CC BY 4.0 (see briefs/assets/README.md). The same code gives
the same file.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

TARGET = Path(__file__).resolve().parent.parent / "briefs" / "assets" / "cover-courthouse.jpg"
WIDTH, HEIGHT = 2400, 1000
DRAWN_HEIGHT = 1350
"""The scene is drawn this high, then framed wide (2.4:1, a banner across the page)."""


def _sky(draw: ImageDraw.ImageDraw) -> None:
    for y in range(DRAWN_HEIGHT):
        t = y / DRAWN_HEIGHT
        colour = (int(70 + 150 * t), int(95 + 105 * t), int(140 + 60 * t))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _courthouse(draw: ImageDraw.ImageDraw) -> None:
    stone, shade = (196, 186, 166), (150, 140, 124)
    left, right, base = 380, 2020, 1020
    draw.polygon([(left - 60, 420), (WIDTH // 2, 250), (right + 60, 420)], fill=stone)
    draw.rectangle((left - 60, 420, right + 60, 470), fill=shade)
    draw.rectangle((left, 470, right, base), fill=(172, 162, 144))
    for i in range(9):  # columns
        x = left + 60 + i * (right - left - 120) // 8
        draw.rectangle((x - 34, 470, x + 34, base), fill=stone)
        draw.rectangle((x - 34, 470, x - 20, base), fill=shade)
    for step in range(5):  # the steps
        y = base + step * 22
        draw.rectangle(
            (left - 120 - step * 40, y, right + 120 + step * 40, y + 22),
            fill=(184 - step * 6, 176 - step * 6, 160 - step * 6),
        )
    draw.rectangle((WIDTH // 2 - 90, 760, WIDTH // 2 + 90, base), fill=(70, 62, 56))


def _crowd(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    coats = [(38, 44, 62), (62, 40, 42), (44, 58, 48), (70, 66, 60), (30, 30, 36)]
    for row, (top, scale) in enumerate(((1010, 0.8), (1080, 0.95), (1150, 1.1))):
        x = rng.randint(-40, 40)
        while x < WIDTH + 60:
            size = scale * rng.uniform(0.9, 1.1)
            head = int(34 * size)
            body_top = top + head * 2
            draw.rounded_rectangle(
                (x - int(46 * size), body_top, x + int(46 * size), DRAWN_HEIGHT + 20),
                radius=int(30 * size),
                fill=rng.choice(coats),
            )
            draw.ellipse((x - head, top, x + head, top + 2 * head), fill=(88, 64, 50))
            if rng.random() < 0.35 and row < 2:  # a placard held up
                w, h = int(120 * size), int(80 * size)
                y = top - h - int(30 * size)
                draw.line([(x, y + h), (x, body_top)], fill=(90, 70, 50), width=int(8 * size))
                draw.rectangle((x - w // 2, y, x + w // 2, y + h), fill=(238, 234, 222))
                for line in range(3):
                    ly = y + int(h * (0.25 + 0.25 * line))
                    draw.line(
                        [(x - w // 3, ly), (x + w // 3, ly)],
                        fill=(160, 30, 30),
                        width=max(2, int(6 * size)),
                    )
            x += int(rng.uniform(95, 130) * scale)


def make() -> bytes:
    rng = random.Random(2020)
    image = Image.new("RGB", (WIDTH, DRAWN_HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw)
    _courthouse(draw)
    _crowd(draw, rng)
    image = image.crop((0, DRAWN_HEIGHT - HEIGHT - 60, WIDTH, DRAWN_HEIGHT - 60))  # a wide frame
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.effect_noise((WIDTH, HEIGHT), 18).convert("RGB")
    image = Image.blend(image, grain, 0.06)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True, dpi=(300, 300))
    return out.getvalue()


if __name__ == "__main__":
    TARGET.write_bytes(make())
    print(f"wrote {TARGET}")
