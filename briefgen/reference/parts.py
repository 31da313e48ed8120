"""The XML of a reference document's kept parts, cleaned of all but what shapes the look.

Used by :mod:`briefgen.reference.package`, which decides which parts are kept. Here: revision data,
comments, custom XML markup and content-control bindings taken out of headers, footers and
styles; the settings cut down to those that shape the page; notes cut down to their
separators; the page setup of the last section, with briefgen's where the reference has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
VML = "urn:schemas-microsoft-com:vml"


def w(name: str) -> str:
    """The Clark name of WordprocessingML element or attribute ``name``."""
    return f"{{{W}}}{name}"


# -- content: headers, footers, notes, styles ------------------------------------------------

_REMOVED = {
    w(name)
    for name in (
        # revisions: deleted and moved-away text, formatting changes with their authors
        "del",
        "moveFrom",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
        "customXmlInsRangeStart",
        "customXmlInsRangeEnd",
        "customXmlDelRangeStart",
        "customXmlDelRangeEnd",
        "customXmlMoveFromRangeStart",
        "customXmlMoveFromRangeEnd",
        "customXmlMoveToRangeStart",
        "customXmlMoveToRangeEnd",
        "delText",
        "delInstrText",
        "rsid",  # a style's revision-save id
        # comments, editing permissions (with editors' names), proofing marks, bookmarks
        "commentRangeStart",
        "commentRangeEnd",
        "permStart",
        "permEnd",
        "proofErr",
        "bookmarkStart",
        "bookmarkEnd",
    )
}
_UNWRAPPED = {w("ins"), w("moveTo"), w("customXml"), w("smartTag")}
"""Kept as their content: inserted text (the revision accepted), custom XML markup."""
_RUN_MARKERS = {w("commentReference"), w("annotationRef")}
"""Runs holding one of these are removed whole."""
_CONTENT_TAGS = (*_REMOVED, *_UNWRAPPED, *_RUN_MARKERS, w("sdt"))
_REVISION_ATTRIBUTES = (w("rsid"), f"{{{W14}}}paraId", f"{{{W14}}}textId")
_OFFICE = "urn:schemas-microsoft-com:office:office"
_RELATIONSHIP_ATTRIBUTES = (f"{{{R}}}", f"{{{_OFFICE}}}relid")
"""Attributes that hold a relationship id (VML's ``o:relid`` included)."""
_RELATIONSHIP_HOLDERS = etree.XPath(
    "descendant-or-self::*[@*[namespace-uri() = $r] or @*[namespace-uri() = $o "
    "and local-name() = 'relid']]"
)
_REVISION_ATTRIBUTE_HOLDERS = etree.XPath(
    "descendant-or-self::*[@*[namespace-uri() = $w and starts-with(local-name(), 'rsid')] "
    "or @*[namespace-uri() = $w14 and (local-name() = 'paraId' or local-name() = 'textId')]]"
)


class Cleaner:
    """Cleans the XML of kept parts; ``changed`` tells whether anything was taken out."""

    def __init__(self) -> None:
        self.changed = False

    def content(self, root: Any) -> None:
        """Take revision data, comments, permissions, custom XML and content-control
        bindings out of the story ``root`` (a header, footer, note or styles part)."""
        for element in _REVISION_ATTRIBUTE_HOLDERS(root, w=W, w14=W14):
            self._attributes(element)
        for element in list(root.iter(*_CONTENT_TAGS)):
            if not _attached(element, root):
                continue  # inside a subtree already removed
            tag = element.tag
            if tag in _REMOVED:
                self.remove(element)
            elif tag in _RUN_MARKERS:
                run = _ancestor(element, w("r"))
                self.remove(run if run is not None else element)
            elif tag in _UNWRAPPED:
                self.unwrap(element)
            elif tag == w("sdt"):
                # A content control: its text stays, its data binding (to custom XML that is
                # dropped) and placeholder (in the dropped glossary) go.
                content = element.find(w("sdtContent"))
                if content is not None:
                    element.addprevious(content)
                    self.unwrap(content)
                self.remove(element)

    def _attributes(self, element: Any) -> None:
        for name in [a for a in element.attrib if a.startswith(_REVISION_ATTRIBUTES)]:
            del element.attrib[name]
            self.changed = True

    def remove(self, element: Any) -> None:
        parent = element.getparent()
        if parent is not None:
            _keep_tail(element)
            parent.remove(element)
            self.changed = True

    def unwrap(self, element: Any) -> None:
        """Replace ``element`` by its children."""
        parent = element.getparent()
        if parent is None:
            return
        for child in list(element):
            if child.tag == w("customXmlPr") or child.tag == w("smartTagPr"):
                continue
            element.addprevious(child)
        self.remove(element)

    def references(self, root: Any, keep: Iterable[str]) -> set[str]:
        """Take out what refers to a relationship not in ``keep`` (a dropped picture, an
        embedded object, a linked file); return the relationship ids still referred to."""
        kept = set(keep)
        used: set[str] = set()
        for element in _RELATIONSHIP_HOLDERS(root, r=R, o=_OFFICE):
            if not _attached(element, root):
                continue
            ids = [v for k, v in element.attrib.items() if k.startswith(_RELATIONSHIP_ATTRIBUTES)]
            if all(value in kept for value in ids):
                used.update(ids)
            elif element.tag == w("hyperlink"):
                self.unwrap(element)  # the link text stays, the link goes
            elif etree.QName(element).localname in ("hlinkClick", "hlinkHover"):
                self.remove(element)  # a picture's link: the picture stays
            else:
                run = _ancestor(element, w("r"))
                self.remove(run if run is not None else element)
        return used

    def notes(self, root: Any, tag: str) -> set[str]:
        """Keep only the separator notes of a footnotes or endnotes part; return their ids."""
        ids: set[str] = set()
        for note in root.findall(w(tag)):
            if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                ids.add(note.get(w("id")) or "")
            else:
                self.remove(note)
        self.content(root)
        return ids

    def settings(self, root: Any, notes: dict[str, set[str]]) -> None:
        """Keep only the settings that shape the look (``notes``: the separator ids kept,
        by "footnote"/"endnote")."""
        for element in list(root):
            if not isinstance(element.tag, str) or element.tag not in KEPT_SETTINGS:
                self.remove(element)
        for kind in ("footnote", "endnote"):
            for properties in root.findall(w(f"{kind}Pr")):
                for note in properties.findall(w(kind)):
                    if note.get(w("id")) not in notes.get(kind, set()):
                        self.remove(note)
        self.content(root)

    def markup(self, root: Any) -> None:
        """Take out XML comments and processing instructions (a tool's notes, never the
        look); a part with a document type declaration is written again without it."""
        for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
            if node is root:
                continue
            parent, tail = node.getparent(), node.tail or ""
            previous = node.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            elif parent is not None:
                parent.text = (parent.text or "") + tail
            if parent is not None:
                parent.remove(node)
            self.changed = True
        if root.getroottree().docinfo.doctype:
            self.changed = True

    def core(self, root: Any) -> None:
        """Keep the standard core properties (the writer sets each of them) and no others."""
        for element in list(root):
            name = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if name not in CORE:
                self.remove(element)
            elif name not in ("created", "modified", "lastPrinted", "revision") and element.text:
                element.text = None
                self.changed = True


def _attached(element: Any, root: Any) -> bool:
    while element is not None:
        if element is root:
            return True
        element = element.getparent()
    return False


def _ancestor(element: Any, tag: str) -> Any:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == tag:
            return parent
        parent = parent.getparent()
    return None


def _keep_tail(element: Any) -> None:
    """Whitespace between elements is all a WordprocessingML tail can be; keep none."""
    element.tail = None


_SETTINGS = (
    "view zoom removePersonalInformation removeDateAndTime mirrorMargins "
    "alignBordersAndEdges bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop "
    "embedTrueTypeFonts embedSystemFonts saveSubsetFonts defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps defaultTableStyle "
    "evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets "
    "drawingGridHorizontalSpacing drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin noPunctuationKerning "
    "characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter "
    "noLineBreaksBefore hdrShapeDefaults footnotePr endnotePr compat themeFontLang "
    "clrSchemeMapping doNotAutoCompressPictures shapeDefaults decimalSymbol listSeparator "
    "displayBackgroundShape"
)
KEPT_SETTINGS = {w(name) for name in _SETTINGS.split()} | {
    f"{{{M}}}mathPr",
    f"{{{W14}}}defaultImageDpi",
}
"""Settings that shape the page, the text or the notes, or keep personal data out of later
saves. Everything else is dropped: revision ids, the attached template's path, document
protection (its password hash), mail merge and its data source, document variables, smart
tags, tracked-changes mode, proofing state, the document's id, the thumbnail option."""

CORE = {
    "title",
    "subject",
    "creator",
    "keywords",
    "description",
    "lastModifiedBy",
    "revision",
    "created",
    "modified",
    "category",
    "lastPrinted",
    "contentStatus",
    "identifier",
    "language",
    "version",
}


# -- the page setup ----------------------------------------------------------------------------

PAGE_SIZE = {"w": "11906", "h": "16838"}
PAGE_MARGINS = {
    "top": "1247",
    "right": "1247",
    "bottom": "1361",
    "left": "1247",
    "header": "567",
    "footer": "567",
    "gutter": "0",
}
"""briefgen's page setup, as in ``templates/reference.docx``: A4, the PDF's margins (22 mm,
24 mm at the bottom), header and footer 10 mm from the edge."""

HEADER_TYPES = ("default", "first", "even")
_BEFORE_PAGE_SIZE = {w(n) for n in ("headerReference", "footerReference", "footnotePr")} | {
    w("endnotePr"),
    w("type"),
}


def sections(body: Any) -> list[Any]:
    """The section properties of a document body, in order (the body's own last)."""
    found = list(body.iterfind(f".//{w('p')}/{w('pPr')}/{w('sectPr')}"))
    own = body.find(w("sectPr"))
    return [*found, *([own] if own is not None else [])]


def last_section(body: Any) -> Any:
    """The last section's properties, with the headers and footers each page of it shows.

    A section without a header (or footer) of a kind shows the previous section's; only
    the last section is kept, so it gets the references it inherits. Without any section
    properties, briefgen's page setup.
    """
    found = sections(body)
    if not found:
        return etree.fromstring(
            f'<w:sectPr xmlns:w="{W}"><w:pgSz w:w="{PAGE_SIZE["w"]}" w:h="{PAGE_SIZE["h"]}"/>'
            "<w:pgMar "
            + " ".join(f'w:{k}="{v}"' for k, v in PAGE_MARGINS.items())
            + '/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>'
        )
    last = found[-1]
    inherited: dict[tuple[str, str], Any] = {}
    for section in found:
        for reference in section.iterchildren(w("headerReference"), w("footerReference")):
            inherited[(reference.tag, reference.get(w("type")) or "default")] = reference
    for reference in list(last.iterchildren(w("headerReference"), w("footerReference"))):
        last.remove(reference)
    references = [
        inherited[(tag, kind)]
        for tag in (w("headerReference"), w("footerReference"))
        for kind in HEADER_TYPES
        if (tag, kind) in inherited
    ]
    for position, reference in enumerate(references):
        copy = etree.fromstring(etree.tostring(reference))
        copy.tail = None
        last.insert(position, copy)
    for element in list(last.iterchildren(w("printerSettings"), w("sectPrChange"))):
        last.remove(element)
    _fill_page_setup(last)
    return last


_MEASURE = re.compile(r"^(-?\d+|-?\d+(\.\d+)?(mm|cm|in|pt|pc|pi))$")
_MEASURES = {
    "pgSz": {"w": "page width", "h": "page height"},
    "pgMar": {
        "top": "top margin",
        "right": "right margin",
        "bottom": "bottom margin",
        "left": "left margin",
        "header": "header distance",
        "footer": "footer distance",
        "gutter": "gutter",
    },
}


def _check_page_setup(section: Any) -> None:
    """Raise ``ValueError`` naming a page size or margin that is not a measure."""
    for tag, names in _MEASURES.items():
        element = section.find(w(tag))
        for key, name in names.items():
            value = None if element is None else element.get(w(key))
            if value is not None and not _MEASURE.match(value):
                raise ValueError(f"its {name} ({value!r}) is not a measure")


def _fill_page_setup(section: Any) -> None:
    """Give a section without a page size or margins briefgen's."""
    _check_page_setup(section)
    size = section.find(w("pgSz"))
    if size is None:
        position = sum(1 for child in section if child.tag in _BEFORE_PAGE_SIZE)
        size = etree.SubElement(section, w("pgSz"))
        section.remove(size)
        section.insert(position, size)
    for key, value in PAGE_SIZE.items():
        if size.get(w(key)) is None:
            size.set(w(key), value)
    margins = section.find(w("pgMar"))
    if margins is None:
        margins = etree.Element(w("pgMar"))
        size.addnext(margins)
    for key, value in PAGE_MARGINS.items():
        if margins.get(w(key)) is None:
            margins.set(w(key), value)


# -- text, for the leak guard ------------------------------------------------------------------

_TEXT_ELEMENTS = {w("t"), w("instrText")}
_TEXT_ATTRIBUTES = {
    f"{{{WP}}}docPr": ("descr", "title", "name"),
    w("fldSimple"): (w("instr"),),
    f"{{{VML}}}textpath": ("string",),
    f"{{{VML}}}shape": ("alt", "title"),
    w("name"): (w("val"),),
    w("aliases"): (w("val"),),
    w("lvlText"): (w("val"),),
}


def texts(root: Any) -> Iterator[str]:
    """The text a reader can see or find in a part: its paragraphs' text (one string per
    paragraph, runs joined), alt texts, watermark text, field codes, style names."""
    for paragraph in root.iter(w("p")):
        if _ancestor(paragraph, w("p")) is None:
            text = "".join(t.text or "" for t in paragraph.iter(*_TEXT_ELEMENTS))
            if text.strip():
                yield text
    for tag, names in _TEXT_ATTRIBUTES.items():
        for element in root.iter(tag):
            for name in names:
                value = element.get(name)
                if value and value.strip():
                    yield value
