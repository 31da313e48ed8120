"""Low-level WordprocessingML pieces python-docx has no API for.

Numbering definitions, footnotes, hyperlinks, fields, bookmarks, the document language, and
a reproducible package. Kept apart from the HTML walk in :mod:`briefgen.write.docx` so each reads
on its own.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, cast

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.text.paragraph import Paragraph

LIST_INDENT_TWIPS = 425  # 7.5 mm per level
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str, **attributes: str) -> Any:
    """A WordprocessingML element ``tag`` with ``w:`` attributes."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


# -- runs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunFormat:
    """How a run of text looks: the HTML elements around it (``<strong>``, ``<sup>``...)
    and the character style a ``data-docx-style`` gives it."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    superscript: bool = False
    subscript: bool = False
    code: bool = False
    char_style: str | None = None


def run(fmt: RunFormat, style_id: str | None, language: str) -> Any:
    """A ``w:r`` with the properties of ``fmt`` (character style ``style_id``) in
    ``language``, in the schema's order (rStyle, rFonts, b, i, strike, u, vertAlign, lang)
    as python-docx's font setters would place them."""
    element = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    if style_id:
        properties.append(w("w:rStyle", val=style_id))
    if fmt.code:
        properties.append(w("w:rFonts", ascii="Consolas", hAnsi="Consolas"))
    if fmt.bold:
        properties.append(w("w:b"))
    if fmt.italic:
        properties.append(w("w:i"))
    if fmt.strike:
        properties.append(w("w:strike"))
    if fmt.underline:
        properties.append(w("w:u", val="single"))
    if fmt.superscript or fmt.subscript:
        properties.append(w("w:vertAlign", val="subscript" if fmt.subscript else "superscript"))
    properties.append(w("w:lang", val=language))
    element.append(properties)
    return element


def text(value: str) -> Any:
    """One ``w:t`` holding ``value`` (no tab or line break), as python-docx's ``run.text``
    would make it, without its character-by-character walk."""
    element = OxmlElement("w:t")
    element.text = value
    if value != value.strip():  # as python-docx: no-break spaces at the ends count too
        element.set(_XML_SPACE, "preserve")
    return element


def tab() -> Any:
    """A ``w:tab`` for a run."""
    return OxmlElement("w:tab")


# -- paragraphs and tables ---------------------------------------------------------------------


def set_paragraph_style(paragraph_element: Any, style_id: str) -> None:
    """Give a new (empty) paragraph the style ``style_id``: its pPr with the pStyle first."""
    properties = paragraph_element.pPr
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph_element.insert(0, properties)
    properties.insert(0, w("w:pStyle", val=style_id))


def rule_below(paragraph_element: Any) -> None:
    """A thin line under the paragraph (an HTML ``<hr>``)."""
    border = OxmlElement("w:pBdr")
    border.append(w("w:bottom", val="single", sz="4", space="1", color="C9D4DD"))
    paragraph_element.get_or_add_pPr().append(border)


def repeat_as_header(row_element: Any) -> None:
    """Make a table row a header row, repeated at the top of each page."""
    row_element.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def ensure_paragraph(cell_element: Any) -> None:
    """Give a table cell the paragraph every cell needs, if it has none."""
    if not cell_element.findall(qn("w:p")):
        cell_element.append(OxmlElement("w:p"))


# -- numbering -------------------------------------------------------------------------------


def _numbering_element(document: Document) -> Any:
    part = document.part
    try:
        return cast(NumberingPart, part.part_related_by(RT.NUMBERING)).element
    except KeyError:
        element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        numbering = NumberingPart(
            PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, part.package
        )
        part.relate_to(numbering, RT.NUMBERING)
        return element


def _abstract_num(abstract_id: int, kind: str) -> Any:
    levels = []
    for level in range(9):
        indent = LIST_INDENT_TWIPS * (level + 1)
        if kind == "decimal":
            fmt, text = "decimal", f"%{level + 1}."
            font = ""
        else:
            fmt, text = "bullet", ("\u2022", "\u2013", "\u25e6")[level % 3]
            font = '<w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/></w:rPr>'
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="{LIST_INDENT_TWIPS}"/></w:pPr>'
            f"{font}</w:lvl>"
        )
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )


def new_list(document: Document, kind: str) -> int:
    """Add a list numbering that starts at 1 (``kind`` "decimal" or "bullet"); return numId."""
    numbering = _numbering_element(document)
    ids = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    abstract_id = max(ids, default=-1) + 1
    abstract = _abstract_num(abstract_id, kind)
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    num_ids = [int(v) for v in numbering.xpath("./w:num/@w:numId")]
    num_id = max(num_ids, default=0) + 1
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            "</w:num>"
        )
    )
    return num_id


def set_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Make ``paragraph`` an item of list ``num_id`` at ``level`` (0-based)."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.get_or_add_numPr().get_or_add_ilvl().val = level
    ppr.get_or_add_numPr().get_or_add_numId().val = num_id


def indent(paragraph: Paragraph, level: int) -> None:
    """Indent ``paragraph`` to the text of a list item at ``level`` (a continuation)."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(LIST_INDENT_TWIPS * (level + 1)))
    ppr.append(ind)


# -- paragraph properties: keeping, hyphenation, boxes, tabs --------------------------------

PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
"""The children of ``w:pPr`` in the order the schema (CT_PPr) requires."""


def set_property(paragraph_element: Any, element: Any) -> None:
    """Put ``element`` into the paragraph's ``w:pPr`` at its place in the schema's order,
    replacing one of the same name."""
    ppr = paragraph_element.get_or_add_pPr()
    tag = element.tag
    for old in ppr.findall(tag):
        ppr.remove(old)
    name = f"w:{tag.split('}')[1]}"
    successors = PPR_ORDER[PPR_ORDER.index(name) + 1 :] if name in PPR_ORDER else ()
    ppr.insert_element_before(element, *successors)


def keep_together(paragraphs: list[Any]) -> None:
    """Keep ``paragraphs`` (``w:p`` elements) on one page: each with its lines together, and
    each but the last with the next one (Word's "Keep with next" and "Keep lines together")."""
    for index, p in enumerate(paragraphs):
        if index < len(paragraphs) - 1:
            set_property(p, OxmlElement("w:keepNext"))
        set_property(p, OxmlElement("w:keepLines"))


def suppress_hyphenation(paragraph_element: Any) -> None:
    """Word's "Don't hyphenate" on a paragraph (Word and LibreOffice honour it)."""
    set_property(paragraph_element, OxmlElement("w:suppressAutoHyphens"))


def box_of(style_element: Any) -> list[Any]:
    """Copies of the border and shading (``w:pBdr``, ``w:shd``) a paragraph style defines."""
    ppr = style_element.find(qn("w:pPr")) if style_element is not None else None
    if ppr is None:
        return []
    return [
        copy.deepcopy(e) for e in (ppr.find(qn("w:pBdr")), ppr.find(qn("w:shd"))) if e is not None
    ]


def right_tab(paragraph_element: Any, position_twips: int) -> None:
    """A right-aligned tab stop at ``position_twips`` on a paragraph (clearing none)."""
    ppr = paragraph_element.get_or_add_pPr()
    tabs = ppr.find(qn("w:tabs"))
    if tabs is None:
        tabs = OxmlElement("w:tabs")
        set_property(paragraph_element, tabs)
    stop = OxmlElement("w:tab")
    stop.set(qn("w:val"), "right")
    stop.set(qn("w:pos"), str(int(position_twips)))
    tabs.append(stop)


# -- footnotes -------------------------------------------------------------------------------

_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class Footnotes:
    """The document's footnotes part (created if the reference document has none)."""

    def __init__(self, document: Document) -> None:
        part = document.part
        partname = PackURI("/word/footnotes.xml")
        self.element = parse_xml(_FOOTNOTES_XML)
        for r_id, rel in list(part.rels.items()):
            if rel.reltype != RT.FOOTNOTES:
                continue
            # python-docx loads a reference's footnotes as an opaque part: parse it, and
            # keep its separators but not the notes of the reference's own (discarded) body.
            old = rel.target_part
            partname = old.partname
            self.element = old.element if isinstance(old, XmlPart) else parse_xml(old.blob)
            for note in self.element.findall(qn("w:footnote")):
                if int(note.get(qn("w:id"))) > 0:
                    self.element.remove(note)
            del part.rels[r_id]
        self.part = XmlPart(partname, CT.WML_FOOTNOTES, self.element, part.package)
        part.relate_to(self.part, RT.FOOTNOTES)
        self.next_id = 1

    def add(self, reference_style: str, text_style: str) -> tuple[Any, Any]:
        """Add an empty footnote; return (reference run for the text, footnote paragraph)."""
        note_id = self.next_id
        self.next_id += 1
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr>'
            f'<w:pStyle w:val="{text_style}"/></w:pPr><w:r><w:rPr>'
            f'<w:rStyle w:val="{reference_style}"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        self.element.append(note)
        reference = parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="{reference_style}"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>'
        )
        return reference, note.find(qn("w:p"))


# -- hyperlinks, fields, bookmarks -----------------------------------------------------------


def hyperlink(paragraph: Paragraph, href: str) -> Any:
    """Append an empty ``w:hyperlink`` to ``paragraph`` (external URL or ``#anchor``)."""
    link = OxmlElement("w:hyperlink")
    if href.startswith("#"):
        link.set(qn("w:anchor"), bookmark_name(href[1:]))
    else:
        r_id = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
        link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def bookmark_name(element_id: str) -> str:
    """A Word bookmark name for HTML id ``element_id`` (letters, digits, _; at most 40)."""
    clean = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in element_id)
    return f"bg_{clean}"[:40]


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Put bookmark ``name`` around the start of ``paragraph``."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    start.addnext(end)


def field_char(kind: str) -> Any:
    """A ``w:fldChar`` of ``kind`` (begin, separate, end)."""
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return char


def instr_text(instruction: str) -> Any:
    """A field's ``w:instrText``."""
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    return instr


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a Word field (``PAGE``, ``NUMPAGES``...) showing ``placeholder`` until updated."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            run._r.append(instr_text(str(text)))
        elif kind == "text":
            run.text = str(text)
        else:
            run._r.append(field_char(kind))
