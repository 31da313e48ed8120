"""A small grouped bar chart as SVG text: the same input always gives the same bytes.

Documents show it as a picture with a text alternative, beside a table of the same figures
(see :mod:`briefgen.rounds_view`); it carries no script, link or external reference.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 480
HEIGHT = 220
_TOP, _BOTTOM, _LEFT, _RIGHT = 42, 34, 12, 12
_FONT = "Noto Sans, DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class Series:
    """One kind of bar: its legend label, colour, and a value per group (``None``: no bar)."""

    label: str
    colour: str
    values: tuple[int | None, ...]


def _text(x: float, y: float, text: str, size: float, anchor: str = "middle", **extra: str) -> str:
    attributes = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
        f"{attributes}>{escape(text)}</text>"
    )


def bar_chart(groups: list[str], series: list[Series]) -> str:
    """An SVG chart with one group of bars per entry of ``groups`` (their labels below),
    one bar per series in each, the value above each bar and a legend on top."""
    top = max([v for s in series for v in s.values if v is not None] + [1])
    plot_height = HEIGHT - _TOP - _BOTTOM
    group_width = (WIDTH - _LEFT - _RIGHT) / max(len(groups), 1)
    bar = min(36.0, group_width * 0.7 / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{_FONT}" fill="#1f2a33">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Legend: a swatch and a label per series, left to right.
    x = float(_LEFT)
    for s in series:
        parts.append(f'<rect x="{x:.1f}" y="6" width="10" height="10" fill="{s.colour}"/>')
        parts.append(_text(x + 14, 15, s.label, 10, "start"))
        x += 24 + 6.2 * len(s.label)
    baseline = HEIGHT - _BOTTOM
    parts.append(
        f'<line x1="{_LEFT}" y1="{baseline}" x2="{WIDTH - _RIGHT}" y2="{baseline}" '
        'stroke="#5b6b78" stroke-width="1"/>'
    )
    for g, label in enumerate(groups):
        start = _LEFT + g * group_width + (group_width - bar * len(series)) / 2
        for k, s in enumerate(series):
            value = s.values[g]
            if value is None:
                continue
            height = plot_height * value / top
            left = start + k * bar
            parts.append(
                f'<rect x="{left + 1:.1f}" y="{baseline - height:.1f}" width="{bar - 2:.1f}" '
                f'height="{height:.1f}" fill="{s.colour}"/>'
            )
            parts.append(_text(left + bar / 2, baseline - height - 3, str(value), 10))
        parts.append(_text(_LEFT + (g + 0.5) * group_width, baseline + 16, label, 10))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def data_url(svg: str) -> str:
    """``svg`` as a ``data:`` URL, for an ``<img src>`` that needs no file."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
