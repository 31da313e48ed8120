"""Figures and the cover photo of the brief: which document shows each, at what size, and
with what number.

A figure belongs to a section of the brief or to a case, and is shown only where both it and
what it belongs to may be shown: a restricted figure, or any figure of a restricted case (or
of a restricted section), only in restricted documents; a figure of a withheld case never.
The cover is shown in every edition. Each is printed as wide as the text (at most
:data:`MAX_HEIGHT_MM` high), and made for that width (:func:`briefgen.pictures.open_picture`:
at most 300 dpi, without metadata), the same file in the PDF, the DOCX and the HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .model import Campaign, Cover, Figure, visible
from .pictures import picture_size, print_url

if TYPE_CHECKING:
    from .localise import Localiser

PathKey = tuple[str | int, ...]

TEXT_WIDTH_MM = 166.0
"""The width of the brief's text: A4 less its 22 mm margins (``style.css``)."""
MAX_HEIGHT_MM = 115.0
"""The tallest a figure is printed (a portrait photo is narrower)."""
COVER_HEIGHT_MM = 90.0
"""The tallest the cover photo is printed (the summary starts on the first page)."""


# -- which figure, where ---------------------------------------------------------------------


def in_restricted_figure(campaign: Campaign, path: PathKey) -> bool:
    """Whether the campaign text at ``path`` belongs to a figure marked restricted (the
    edition of the section or case holding the figure is decided by the caller)."""
    if "figures" not in path[:4]:
        return False
    at = path.index("figures")
    index = path[at + 1] if at + 1 < len(path) else None
    if not isinstance(index, int):
        return False
    owner: Any = None
    if path[:2] == ("brief", "sections") and isinstance(path[2], int):
        owner = campaign.brief.sections[path[2]]
    elif path[0] == "cases" and isinstance(path[1], int):
        owner = campaign.cases[path[1]]
    figures = owner.figures if owner is not None else []
    return index < len(figures) and figures[index].visibility == "restricted"


def shown(figures: Sequence[Figure], edition: str) -> list[Figure]:
    """The figures of a shown section or case that a document of ``edition`` shows."""
    return [f for f in figures if visible(f.visibility, edition)]


# -- size on the page ------------------------------------------------------------------------


def size_on_page(
    width: float, height: float, max_height: float = MAX_HEIGHT_MM
) -> tuple[float, float]:
    """The printed width and height (mm) of a picture of ``width`` × ``height`` pixels: as
    wide as the text, at most ``max_height`` high."""
    ratio = width / height
    printed = min(TEXT_WIDTH_MM, max_height * ratio)
    return round(printed, 1), round(printed / ratio, 1)


def print_width_at(where: PathKey, path: Path, roots: Sequence[Path]) -> float | None:
    """The width (mm) the picture at ``path``, named at ``where`` in the campaign, is
    printed at, if it is the cover or a figure (its header is read, not the picture).
    Raises :class:`~briefgen.errors.PictureError`."""
    if where[-1:] != ("file",):
        return None
    tallest = COVER_HEIGHT_MM if where[:2] == ("brief", "cover") else MAX_HEIGHT_MM
    return size_on_page(*picture_size(path, roots), tallest)[0]


# -- what a template receives ----------------------------------------------------------------


@dataclass(frozen=True)
class FigureView:
    """A figure as a template shows it."""

    src: str
    """The picture's URL, made for its printed width."""
    alt: str
    caption: Markup
    credit: Markup
    width: str
    """Its printed width and height, as CSS lengths ("166.0mm")."""
    height: str
    number: int | None = None
    """Its number ("Figure 2."), when the document shows more than one figure."""


Place = Callable[[str, float], tuple[str, float, float]]
"""Gives the URL and printed width and height (mm) of a picture file named in the campaign,
printed at most so high (mm)."""


def placer(base: Path, roots: Sequence[Path]) -> Place:
    """The :data:`Place` of a campaign whose files are relative to ``base``; pictures are
    read from ``roots``."""

    def place(file: str, max_height: float) -> tuple[str, float, float]:
        path = (base / file).resolve()
        width, height = size_on_page(*picture_size(path, roots), max_height)
        return print_url(path, width), width, height

    return place


def view(
    picture: Cover, loc: Localiser, place: Place, label: str, max_height: float = MAX_HEIGHT_MM
) -> FigureView:
    """``picture`` in the document's language (``label`` names it in the list of
    untranslated passages)."""
    src, width, height = place(picture.file, max_height)
    return FigureView(
        src=src,
        alt=loc.text(picture.alt, label),
        caption=loc.inline(picture.caption, label),
        credit=loc.inline(picture.credit, label),
        width=f"{width:.1f}mm",
        height=f"{height:.1f}mm",
    )


def numbered(groups: Sequence[list[FigureView]]) -> None:
    """Number the figures of ``groups`` (lists of :class:`FigureView`, in the order the
    document shows them) in place, when there is more than one."""
    if sum(len(group) for group in groups) < 2:
        return
    number = 0
    for group in groups:
        for i, figure in enumerate(group):
            number += 1
            group[i] = replace(figure, number=number)


@dataclass(frozen=True)
class BriefFigures:
    """The pictures one edition of the brief shows, in its language."""

    cover: FigureView | None
    sections: list[list[FigureView]]
    """The figures of each section the edition shows, in order."""
    cases: dict[str, list[FigureView]]
    """The figures of each case the edition shows, by the case's anchor in the annex."""


def brief_figures(campaign: Campaign, edition: str, loc: Localiser, place: Place) -> BriefFigures:
    """The cover and figures of the brief in ``edition``, numbered in the order the brief
    shows them: sections first, then the annex of cases."""
    brief = campaign.brief
    cover = view(brief.cover, loc, place, "cover", COVER_HEIGHT_MM) if brief.cover else None
    sections = [
        [view(f, loc, place, f"section {i} figure") for f in shown(s.figures, edition)]
        for i, s in enumerate((s for s in brief.sections if visible(s.visibility, edition)), 1)
    ]
    cases: dict[str, list[FigureView]] = {}
    shown_cases = [c for c in campaign.cases if visible(c.visibility, edition)]
    for i, case in enumerate(shown_cases, 1):  # anchors as in the annex (context.py)
        views = [view(f, loc, place, f"case {i} figure") for f in shown(case.figures, edition)]
        if views:
            cases[f"case-{i}"] = views
    numbered([*sections, *cases.values()])
    return BriefFigures(cover, sections, cases)
