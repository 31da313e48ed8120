"""Word styles briefgen's DOCX writer uses, and how to add any a reference document lacks.

The default ``templates/reference.docx`` is made from these definitions
(``tools/make_reference_docx.py``); a user's reference document keeps its own look for every
style it defines, and gets these defaults only for the ones it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles import BabelFish

ACCENT = RGBColor(0x1D, 0x3D, 0x5C)
ACCENT_SOFT = "EEF3F7"
RULE = "C9D4DD"
MUTED = RGBColor(0x5B, 0x6B, 0x78)
ALERT = RGBColor(0xA4, 0x16, 0x1A)
LETTER_MARGINS_MM = (15, 18)
"""Top and bottom page margins of a letter, as in ``letter.css`` (the brief's are 22 and 24)."""
BODY_FONT = "Cambria"
HEADING_FONT = "Calibri"


@dataclass(frozen=True)
class StyleDef:
    """A style's defaults: type, base style and the few properties that give it its look."""

    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH
    base: str | None = "Normal"
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: RGBColor | None = None
    font: str | None = None
    align: WD_ALIGN_PARAGRAPH | None = None
    space_before: float | None = None
    space_after: float | None = None
    left_indent: float | None = None  # mm
    first_line_indent: float | None = None  # mm; negative: a hanging indent
    keep_with_next: bool | None = None
    caps: bool | None = None
    superscript: bool | None = None
    underline: bool | None = None
    outline_level: int | None = None
    keep_lines: bool | None = None
    no_hyphens: bool | None = None
    """Word's "Don't hyphenate": headings, and paragraphs that are names."""
    borders: tuple[tuple[str, float, str, float], ...] = ()
    """Paragraph borders as (side, width in points, colour, space in points)."""
    shading: str | None = None
    """Paragraph background colour (hex), as the PDF's shaded blocks."""


P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER

STYLES: dict[str, StyleDef] = {
    "Body Text": StyleDef(space_after=6),
    "Title": StyleDef(
        base="Normal",
        size=22,
        bold=True,
        color=ACCENT,
        font=HEADING_FONT,
        space_after=4,
        keep_with_next=True,
    ),
    "Subtitle": StyleDef(size=13, color=MUTED, font=HEADING_FONT, space_after=8, no_hyphens=True),
    "Heading 1": StyleDef(
        size=20,
        bold=True,
        color=ACCENT,
        font=HEADING_FONT,
        space_before=6,
        space_after=6,
        keep_with_next=True,
        outline_level=0,
        no_hyphens=True,
    ),
    "Heading 2": StyleDef(
        size=14,
        bold=True,
        color=ACCENT,
        font=HEADING_FONT,
        space_before=14,
        space_after=4,
        keep_with_next=True,
        outline_level=1,
        no_hyphens=True,
        borders=(("bottom", 0.6, RULE, 1),),
    ),
    "Heading 3": StyleDef(
        size=11.5,
        bold=True,
        color=ACCENT,
        font=HEADING_FONT,
        space_before=8,
        space_after=2,
        keep_with_next=True,
        outline_level=2,
        no_hyphens=True,
    ),
    "Heading 4": StyleDef(
        size=10.5,
        bold=True,
        color=ACCENT,
        font=HEADING_FONT,
        space_before=6,
        space_after=2,
        keep_with_next=True,
        outline_level=3,
        no_hyphens=True,
    ),
    "Document Meta": StyleDef(size=8.5, color=MUTED, font=HEADING_FONT, space_after=10),
    "Cover Meta": StyleDef(
        base="Document Meta", space_before=4, borders=(("top", 2, "1D3D5C", 4),)
    ),
    "Restricted Marking": StyleDef(
        size=9,
        bold=True,
        caps=True,
        color=ALERT,
        font=HEADING_FONT,
        space_after=6,
        borders=tuple((side, 1, "A4161A", 3) for side in ("top", "left", "bottom", "right")),
    ),
    "Letterhead": StyleDef(
        size=8, color=MUTED, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0
    ),
    "Recipient Address": StyleDef(space_after=8, keep_lines=True, no_hyphens=True),
    "Date": StyleDef(align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=6, space_after=12),
    "Subject": StyleDef(
        bold=True, color=ACCENT, font=HEADING_FONT, space_before=6, space_after=10, no_hyphens=True
    ),
    "Salutation": StyleDef(base="Body Text", space_after=6),
    # Room for a handwritten signature below the closing (about 13 mm, as in the PDF).
    "Closing": StyleDef(
        base="Body Text", space_before=6, space_after=36, keep_with_next=True, keep_lines=True
    ),
    "Signature": StyleDef(space_after=8, keep_lines=True, no_hyphens=True),
    "Note": StyleDef(
        base="Body Text", left_indent=6, italic=True, borders=(("left", 2, "1D3D5C", 6),)
    ),
    "Restricted Note": StyleDef(
        base="Body Text", left_indent=3, borders=(("left", 2, "A4161A", 6),)
    ),
    "Case Details": StyleDef(base="Body Text", size=8.5, color=MUTED),
    # A figure's picture, kept on the page of its caption (Word's own "Caption" style).
    "Figure": StyleDef(space_before=6, space_after=3, keep_with_next=True, keep_lines=True),
    "Caption": StyleDef(size=8.5, bold=False, color=MUTED, space_after=10),
    "Enclosure": StyleDef(size=8.5, color=MUTED, space_before=12),
    # The shaded box of the PDF's summary: its paragraphs (and the heading and list items
    # inside it, which take this look from the writer) form one box in Word.
    "Summary": StyleDef(
        base="Body Text",
        shading=ACCENT_SOFT,
        borders=(
            ("top", 4, ACCENT_SOFT, 8),
            ("left", 3, "1D3D5C", 10),
            ("bottom", 4, ACCENT_SOFT, 4),
            ("right", 4, ACCENT_SOFT, 10),
        ),
    ),
    "List Number": StyleDef(base="Body Text", space_after=4),
    "List Bullet": StyleDef(base="Body Text", space_after=4),
    # Word's numbering definitions (numbering.xml) link list levels to these styles.
    "List Number 2": StyleDef(base="Body Text", space_after=4),
    "List Number 3": StyleDef(base="Body Text", space_after=4),
    "List Bullet 2": StyleDef(base="Body Text", space_after=4),
    "List Bullet 3": StyleDef(base="Body Text", space_after=4),
    "List Continue": StyleDef(base="Body Text", space_after=4),
    "Footnote Text": StyleDef(size=8.5, space_after=0),
    "Bibliography": StyleDef(
        base="Body Text", size=8.5, space_after=3, left_indent=6, first_line_indent=-6
    ),
    "Table Header": StyleDef(bold=True, space_after=0),
    "Table Text": StyleDef(space_after=0),
    "Header": StyleDef(size=8, color=MUTED, font=HEADING_FONT, space_after=0),
    "Footer": StyleDef(size=8, color=MUTED, font=HEADING_FONT, space_after=0),
    "Footnote Reference": StyleDef(kind=C, base=None, superscript=True),
    "Hyperlink": StyleDef(kind=C, base=None, color=ACCENT, underline=True),
    "Letterhead Name": StyleDef(
        kind=C, base=None, size=12, bold=True, color=ACCENT, font=HEADING_FONT
    ),
}


def apply(style: object, spec: StyleDef) -> None:
    """Give ``style`` (a python-docx style) the properties of ``spec``."""
    font = style.font  # type: ignore[attr-defined]
    if spec.size is not None:
        font.size = Pt(spec.size)
    for attr in ("bold", "italic", "underline", "superscript"):
        value = getattr(spec, attr)
        if value is not None:
            setattr(font, attr, value)
    if spec.caps is not None:
        font.all_caps = spec.caps
    if spec.color is not None:
        font.color.rgb = spec.color
    if spec.font is not None:
        font.name = spec.font
    if spec.kind != WD_STYLE_TYPE.PARAGRAPH:
        return
    fmt = style.paragraph_format  # type: ignore[attr-defined]
    if spec.align is not None:
        fmt.alignment = spec.align
    if spec.space_before is not None:
        fmt.space_before = Pt(spec.space_before)
    if spec.space_after is not None:
        fmt.space_after = Pt(spec.space_after)
    if spec.left_indent is not None:
        fmt.left_indent = Mm(spec.left_indent)
    if spec.first_line_indent is not None:
        fmt.first_line_indent = Mm(spec.first_line_indent)
    if spec.keep_with_next is not None:
        fmt.keep_with_next = spec.keep_with_next
    if spec.keep_lines is not None:
        fmt.keep_together = spec.keep_lines
    element = style.element  # type: ignore[attr-defined]
    if spec.no_hyphens:
        from .docx_parts import suppress_hyphenation

        suppress_hyphenation(element)
    if spec.borders:
        from .docx_parts import set_property

        set_property(element, paragraph_borders(spec.borders))
    if spec.shading:
        from .docx_parts import set_property

        set_property(element, shading(spec.shading))
    if spec.outline_level is not None:
        ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
        level = ppr.find(qn("w:outlineLvl"))
        if level is None:
            level = OxmlElement("w:outlineLvl")
            ppr.append(level)
        level.set(qn("w:val"), str(spec.outline_level))


def has_style(document: Document, name: str) -> bool:
    """Whether ``document`` defines a style named ``name`` (latent styles do not count)."""
    # Looked up by name only: python-docx's styles[name] falls back to style ids.
    return document.styles.element.get_by_name(BabelFish.ui2internal(name)) is not None


def style_ids(document: Document) -> dict[str, str]:
    """The style id of each style ``document`` defines, by its internal name (the first
    of two styles with the same name, as python-docx's lookup by name finds)."""
    ids: dict[str, str] = {}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        style_id = style.get(qn("w:styleId"))
        if name is not None and name.get(qn("w:val")) and style_id:
            ids.setdefault(name.get(qn("w:val")), style_id)
    return ids


def internal_name(name: str) -> str:
    """The name Word stores for the style a user interface calls ``name``."""
    return str(BabelFish.ui2internal(name))


def ensure(document: Document, name: str) -> str:
    """Make sure ``document`` has style ``name``; return its style id.

    A style the reference document defines is used as it is; a missing one is added with
    briefgen's defaults (its base style first).
    """
    if not has_style(document, name):
        spec = STYLES.get(name, StyleDef())
        if spec.base and spec.base != name:
            ensure(document, spec.base)
        style = document.styles.add_style(name, spec.kind)
        if spec.base:
            style.base_style = document.styles[spec.base]
        style.quick_style = True
        apply(style, spec)
    return str(document.styles[name].style_id)


def paragraph_borders(borders: tuple[tuple[str, float, str, float], ...]) -> object:
    """A ``w:pBdr`` with ``borders`` ((side, width pt, colour, space pt), in schema order)."""
    element = OxmlElement("w:pBdr")
    order = ("top", "left", "bottom", "right", "between", "bar")
    for side, width, colour, space in sorted(borders, key=lambda b: order.index(b[0])):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(max(2, round(width * 8))))  # eighths of a point
        edge.set(qn("w:space"), str(round(space)))
        edge.set(qn("w:color"), colour)
        element.append(edge)
    return element


def shading(fill: str) -> object:
    """A ``w:shd`` filling a paragraph with colour ``fill`` (hex)."""
    element = OxmlElement("w:shd")
    element.set(qn("w:val"), "clear")
    element.set(qn("w:color"), "auto")
    element.set(qn("w:fill"), fill)
    return element


FIT_LEVELS = {"fit-1": (0.7, 1.0), "fit-2": (0.55, 0.95), "fit-3": (0.45, 0.9)}
"""The Word counterpart of the PDF's fit classes (``letter.css``): for a letter the PDF had
to fit onto one page, the space before and after paragraphs and the line spacing are scaled
by these factors (spacing, line)."""
SIGNATURE_ROOM_PT = 28
"""Space kept below the closing for a handwritten signature, however tight the fit."""


def tighten(document: Document, level: str) -> None:
    """Scale the paragraph spacing of ``document``'s styles for fit ``level`` (this document
    only: its copy of the reference document's styles)."""
    if level not in FIT_LEVELS:
        return
    spacing_factor, line_factor = FIT_LEVELS[level]
    root = document.styles.element
    closing = style_ids(document).get(internal_name("Closing"))
    holders = [root.find(qn("w:docDefaults")), *root.findall(qn("w:style"))]
    for holder in holders:
        if holder is None or holder.get(qn("w:type"), "paragraph") != "paragraph":
            continue
        spacing = holder.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is None:
            spacing = holder.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is None:
            continue
        for attr in ("w:before", "w:after"):
            value = spacing.get(qn(attr))
            if value and value.isdigit():
                scaled = int(int(value) * spacing_factor)
                if attr == "w:after" and holder.get(qn("w:styleId")) == closing:
                    scaled = max(scaled, SIGNATURE_ROOM_PT * 20)
                spacing.set(qn(attr), str(scaled))
        line = spacing.get(qn("w:line"))
        if line and line.isdigit() and spacing.get(qn("w:lineRule"), "auto") == "auto":
            spacing.set(qn("w:line"), str(max(240, int(int(line) * line_factor))))
