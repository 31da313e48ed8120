"""DOCX writer: the rendered HTML walked into Word paragraphs, on a reference document.

Like pandoc's ``--reference-doc``, the output starts as a copy of the reference document
(its styles, page setup, header and footer) with the body replaced. The HTML subset this
writer understands is documented in the README ("HTML for DOCX"); any other element is an
error naming the template, never silently dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import html as lxml_html

from .. import i18n, reference
from ..errors import RenderError
from ..fetcher import ResourceRefused, SafeFetcher
from ..pictures import docx_picture
from ..render import Rendered, default_templates
from . import docx_parts as parts
from . import docx_styles as styles
from .docx_layout import LayoutMixin

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
CONTAINERS = {
    "body",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "address",
    "blockquote",
    "figure",
    "figcaption",
}
INLINE = {
    "a",
    "abbr",
    "b",
    "br",
    "cite",
    "code",
    "em",
    "i",
    "img",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "mark",
    "wbr",
}
NO_HYPHENS = {"proper-name", "name", "names", "url", "ref"}
"""Classes of elements whose words never take a hyphen: their paragraph gets Word's "Don't
hyphenate" (Word cannot turn hyphenation off for a run)."""
SKIPPED = {"head", "title", "meta", "style", "link"}
BLOCKS = {"p", "ol", "ul", "li", "table", "hr", *HEADINGS, *CONTAINERS}
SUPPORTED = sorted(BLOCKS | INLINE | {"thead", "tbody", "tfoot", "tr", "th", "td", "caption"})

_RUN_FLAGS = {
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "cite": "italic",
    "u": "underline",
    "s": "strike",
    "sup": "superscript",
    "sub": "subscript",
    "code": "code",
}
"""Inline elements that only change the look of their runs."""
_SPACE = re.compile(r"[ \t\n\r\f]+")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_W_VAL = qn("w:val")


def _w(tag: str, **attributes: str) -> Any:
    """A WordprocessingML element ``tag`` with ``w:`` attributes."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s*$")


@dataclass(frozen=True)
class _Format:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    superscript: bool = False
    subscript: bool = False
    code: bool = False
    char_style: str | None = None


def write_docx(rendered: Rendered, produced: Mapping[str, bytes] | None = None) -> bytes:
    """Write ``rendered`` as a DOCX file on its reference document; return the file's bytes.

    Raises :class:`RenderError` for an unreadable reference document, an HTML element outside
    the supported subset, or a refused resource.
    """
    document = open_reference(rendered.meta.reference_docx)
    builder = _Builder(document, rendered)
    builder.build()
    date = rendered.meta.date
    return parts.save_reproducible(document, (date.year, date.month, date.day, 0, 0, 0))


def open_reference(path: Path) -> Document:
    """Open the reference document at ``path``, keeping only what shapes the look.

    Raises :class:`RenderError` if it cannot be used (see :func:`briefgen.reference.prepare`).
    The kept package is prepared once per process and file version; each document starts
    from a fresh copy.
    """
    try:
        prepared = reference.prepare(path)
    except reference.ReferenceRefused as exc:
        raise RenderError(f"reference document '{path}' {exc.reason}") from None
    return docx.Document(io.BytesIO(prepared.package))


class _FootnoteParent:
    """Gives a footnote paragraph the footnotes part (for its hyperlink relationships)."""

    def __init__(self, part: Any) -> None:
        self.part = part


class _Builder(LayoutMixin):
    def __init__(self, document: Document, rendered: Rendered) -> None:
        self.doc = document
        self.rendered = rendered
        self.meta = rendered.meta
        self.lang = self.meta.tag
        self.fetcher = SafeFetcher(list(rendered.roots))
        self.body = document.element.body
        self.section = document.sections[-1]
        self.headers = (
            self.section.header,
            self.section.first_page_header,
            self.section.even_page_header,
        )
        # A letterhead on the first page only is a header of the reference's own too.
        self.has_header = any(not header.is_linked_to_previous for header in self.headers)
        self.footnotes: parts.Footnotes | None = None
        self.paragraph: Paragraph | None = None
        self.link: Any = None
        self.last_text: Any = None  # the w:t of the last text run, to trim a trailing space
        self.ends_with_space = True
        self.lists: list[tuple[int, int]] = []  # (numId, level) of the open lists
        self.numbered: set[int] = set()  # numIds of numbered (not bulleted) lists
        self.item_started = False
        self.pending_ids: list[str] = []  # element ids to bookmark at the next paragraph
        self.lead: list[Any] = []  # a run-in heading waiting for its paragraph
        self.style_ids: dict[str, str] | None = None  # by internal name, made on first use
        self.bookmarks = 0

    # -- document -------------------------------------------------------------------------

    def build(self) -> None:
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        root = lxml_html.document_fromstring(self.rendered.html)
        body = root.find("body")
        parts.set_language(self.doc, self.lang)
        parts.set_widow_control(self.doc)
        if self.rendered.plan.kind == "letter" and self.meta.reference_docx == (
            default_templates() / "reference.docx"
        ):
            # briefgen's own reference has the brief's margins; a letter on it gets the
            # letter's, as in the PDF (letter.css). A user's reference keeps its own.
            top, bottom = styles.LETTER_MARGINS_MM
            self.section.top_margin, self.section.bottom_margin = Mm(top), Mm(bottom)
        if self.rendered.plan.kind == "letter":
            # A letter the PDF fits onto one page is tightened in Word as well.
            from .pdf import fit_class  # lays the letter out if its PDF was not written

            styles.tighten(self.doc, fit_class(self.rendered))
        self.container(body, "Body Text")
        self.header_and_footer()
        self.properties()

    def header_and_footer(self) -> None:
        if self.meta.restricted:
            self.mark_headers()
        elif not self.has_header:
            self.section.header.is_linked_to_previous = False  # an empty header of its own
        # Each footer a page of the section shows (first-page and even-page ones only if the
        # reference turns them on) is the reference's own, or else briefgen's.
        section = self.section
        shown = [section.footer]
        if section.different_first_page_header_footer:
            shown.append(section.first_page_footer)
        if self.doc.settings.odd_and_even_pages_header_footer:
            shown.append(section.even_page_footer)
        for footer in shown:
            if footer.is_linked_to_previous:
                self.page_footer(footer)

    def page_footer(self, footer: Any) -> None:
        """Make ``footer`` briefgen's: the organisation's name, and "Page X of Y" at the right."""
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph._p.style = self._style_id("Footer")
        paragraph.add_run(f"{self.meta.author}\t")
        for text, field in i18n.split_label(self.meta.page_label):
            if text:
                paragraph.add_run(text)
            if field:
                parts.add_field(paragraph, {"page": "PAGE", "pages": "NUMPAGES"}[field], "1")
        width = self.text_width()
        stops = paragraph.paragraph_format.tab_stops
        # The style's own tab stops (Word's Footer style has a centre one) would catch
        # the tab first: clear them for this paragraph, then align right at the margin.
        for stop in paragraph.style.paragraph_format.tab_stops:
            stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)

    def mark_headers(self) -> None:
        """Put the restricted marking at the top of every header a page can show: the
        default, first-page and even-page headers, each made if the reference has none (so
        that turning on "different first page" in Word shows it too)."""
        marked: set[int] = set()
        for header in self.headers:
            if header.is_linked_to_previous:
                header.is_linked_to_previous = False  # a new header, with an empty paragraph
                paragraph = header.paragraphs[0]
                paragraph._p.style = self._style_id("Restricted Marking")
                paragraph.add_run(self.meta.marking)
            elif id(header.part) not in marked:  # a part two kinds share is marked once
                first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
                new = first.insert_paragraph_before(self.meta.marking)
                new._p.style = self._style_id("Restricted Marking")
            marked.add(id(header.part))

    def properties(self) -> None:
        props = self.doc.core_properties
        props.title = self.meta.title
        props.subject = self.meta.subject
        props.author = self.meta.author
        props.last_modified_by = self.meta.author
        props.language = self.lang
        props.keywords = self.meta.marking if self.meta.restricted else ""
        props.comments = ""
        props.category = ""
        props.content_status = ""
        props.identifier = ""
        props.version = ""
        props.revision = 1
        moment = dt.datetime.combine(self.meta.date, dt.time())
        props.created = moment
        props.modified = moment
        props.last_printed = moment

    # -- blocks ---------------------------------------------------------------------------

    def _style_id(self, name: str) -> str:
        """The style id of style ``name`` (added if missing), from an index of the
        document's styles: python-docx's lookup by name walks every style each time."""
        if self.style_ids is None:
            self.style_ids = styles.style_ids(self.doc)
        internal = styles.internal_name(name)
        if internal not in self.style_ids:
            self.style_ids[internal] = styles.ensure(self.doc, name)
        return self.style_ids[internal]

    def _set_style(self, paragraph: Paragraph, name: str) -> None:
        """Give a new (empty) paragraph style ``name``: its pPr with the pStyle first."""
        p = paragraph._p
        properties = p.pPr
        if properties is None:
            properties = OxmlElement("w:pPr")
            p.insert(0, properties)
        style = OxmlElement("w:pStyle")
        style.set(_W_VAL, self._style_id(name))
        properties.insert(0, style)

    def unsupported(self, element: Any, why: str = "") -> RenderError:
        reason = why or "is not supported in DOCX output"
        return RenderError(
            f"{self.meta.template}: <{element.tag}> (line {element.sourceline} of the rendered "
            f"HTML) {reason}; supported elements: {', '.join(SUPPORTED)}"
        )

    def _place(self, element: Any) -> None:
        """Append a block element to the current story (before the body's section settings)."""
        sect_pr = self.body.find(qn("w:sectPr"))
        if sect_pr is not None:
            sect_pr.addprevious(element)
        else:
            self.body.append(element)

    def new_paragraph(self, style: str, element: Any = None) -> Paragraph:
        """Start a paragraph in ``style``; list items and bookmarks are applied here."""
        paragraph = Paragraph(OxmlElement("w:p"), self.doc._body)
        self._place(paragraph._p)
        if self.lists:
            num_id, level = self.lists[-1]
            if not self.item_started:
                if style in ("Body Text", "Summary"):
                    style = "List Number" if self._is_numbered(num_id) else "List Bullet"
                self._set_style(paragraph, style)
                parts.set_numbering(paragraph, num_id, level)
                self.item_started = True
            else:
                if style in ("Body Text", "Summary"):
                    style = "List Continue"
                self._set_style(paragraph, style)
                parts.indent(paragraph, level)
        else:
            self._set_style(paragraph, style)
        self.start(paragraph)
        if element is not None and element.get("id"):
            self.pending_ids.append(element.get("id"))
        for element_id in self.pending_ids:
            self.bookmarks += 1
            parts.add_bookmark(paragraph, parts.bookmark_name(element_id), self.bookmarks)
        self.pending_ids.clear()
        return paragraph

    def _is_numbered(self, num_id: int) -> bool:
        return num_id in self.numbered

    def start(self, paragraph: Paragraph) -> None:
        self.paragraph = paragraph
        self.last_text = None
        self.ends_with_space = True

    def finish(self) -> None:
        if self.last_text is not None and self.last_text.text:
            self.last_text.text = self.last_text.text.rstrip(" ")
        self.paragraph = None
        self.last_text = None

    def block(self, element: Any, style: str) -> None:
        with self.language_of(element):
            self._block(element, style)

    @contextlib.contextmanager
    def language_of(self, element: Any) -> Iterator[None]:
        """Tag the runs inside ``element`` with its ``lang`` attribute, if it has one."""
        lang = element.get("lang") if isinstance(element.tag, str) else None
        if not lang:
            yield
            return
        saved = self.lang
        primary = lang.split("-")[0].lower()
        self.lang = lang if "-" in lang else i18n.TAGS.get(primary, lang)
        try:
            yield
        finally:
            self.lang = saved

    def _block(self, element: Any, style: str) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            return
        layout = set((element.get("data-docx") or "").split())
        if "letterhead" in layout and self.has_header:
            return  # the reference document's own letterhead takes its place
        own_style = element.get("data-docx-style")
        if tag in HEADINGS:
            self.new_paragraph(own_style or f"Heading {HEADINGS[tag]}", element)
            self.inline_content(element, _Format())
            self.finish()
        elif tag == "p":
            paragraph = self.new_paragraph(own_style or style, element)
            if NO_HYPHENS & set((element.get("class") or "").split()):
                parts.suppress_hyphenation(paragraph._p)
            lead, self.lead = self.lead, []
            self.emit(lead)  # a run-in heading before the paragraph's own text
            self.inline_content(element, _Format())
            self.finish()
        elif tag in ("ol", "ul"):
            self.list(element, own_style or style)
        elif tag == "table":
            self.table(element)
        elif tag == "hr":
            paragraph = self.new_paragraph(own_style or style, element)
            border = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            for key, value in (("val", "single"), ("sz", "4"), ("space", "1"), ("color", "C9D4DD")):
                bottom.set(qn(f"w:{key}"), value)
            border.append(bottom)
            paragraph._p.get_or_add_pPr().append(border)
            self.finish()
        elif "columns" in layout:
            with self.layout_of(element):
                self.columns(element, own_style or style)
        elif tag in CONTAINERS:
            if tag == "blockquote" and not own_style:
                own_style = "Quote"
            with self.layout_of(element):
                self.container(element, own_style or style)
        elif tag in INLINE:
            self.new_paragraph(own_style or style, element)
            self.inline(element, _Format())
            self.finish()
        elif tag == "li":
            raise self.unsupported(element, "must be inside <ol> or <ul>")
        else:
            raise self.unsupported(element)

    def container(self, element: Any, style: str) -> None:
        """Blocks in order; runs of inline content between them become paragraphs."""
        pending: list[Any] = []
        if element.get("id"):
            self.pending_ids.append(element.get("id"))

        # data-docx="run-in": the inline content before the first paragraph (a demand's
        # title) starts that paragraph, as the PDF shows it, instead of a paragraph of its own.
        run_in = "run-in" in (element.get("data-docx") or "").split()

        def flush() -> None:
            if any(_has_content(node) for node in pending):
                self.new_paragraph(style)
                self.emit(pending)
                self.finish()
            pending.clear()

        if element.text:
            pending.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                if child.tail:
                    pending.append(child.tail)
                continue
            if child.tag in INLINE:
                pending.append(child)  # its tail is emitted right after it
                continue
            if run_in and child.tag == "p" and any(_has_content(n) for n in pending):
                self.lead, pending = list(pending), []
            run_in = False
            flush()
            self.block(child, style)
            if child.tail and child.tail.strip():
                pending.append(child.tail)
        flush()

    def emit(self, nodes: list[Any]) -> None:
        """Inline ``nodes`` (text, or elements followed by their tail) into the paragraph."""
        for node in nodes:
            if isinstance(node, str):
                self.text(node, _Format())
            else:
                self.inline(node, _Format())
                if node.tail:
                    self.text(node.tail, _Format())

    def list(self, element: Any, style: str) -> None:
        kind = "decimal" if element.tag == "ol" else "bullet"
        num_id = parts.new_list(self.doc, kind)
        if kind == "decimal":
            self.numbered.add(num_id)
        level = len(self.lists)
        for item in element:
            if not isinstance(item.tag, str):
                continue
            if item.tag != "li":
                raise self.unsupported(item, f"cannot be a child of <{element.tag}>")
            self.lists.append((num_id, min(level, 8)))
            self.item_started = False
            self.container(item, item.get("data-docx-style") or style)
            if not self.item_started:  # an empty item still shows its number
                self.new_paragraph(style)
                self.finish()
            self.lists.pop()
        self.item_started = True

    def text_width(self) -> int:
        """The width between the page margins, in EMU."""
        # Every prepared reference has a page size and margins (briefgen's if it had
        # none); the defaults here only guard against a section python-docx cannot read.
        section = self.section
        return int(
            (section.page_width or Mm(210))
            - (section.left_margin or Inches(1))
            - (section.right_margin or Inches(1))
        )

    def column_widths(self, table: Table, element: Any) -> None:
        """Give ``table`` the column widths its ``data-docx-widths`` asks for (shares of the
        text width, such as "28 13 48 11"); Word otherwise makes every column as wide."""
        value = element.get("data-docx-widths") or ""
        given = value.replace(",", " ").split()
        if not given:
            return
        try:
            shares = [float(share) for share in given]
        except ValueError:
            shares = []
        if len(shares) != len(table.columns) or min(shares) <= 0:
            raise RenderError(
                f"{self.meta.template}: <table> (line {element.sourceline} of the rendered "
                f'HTML): data-docx-widths="{value}" must give {len(table.columns)} positive '
                "numbers, one for each column"
            )
        table.autofit = False
        for column, share in zip(table.columns, shares, strict=True):
            width = Emu(int(self.text_width() * share / sum(shares)))
            column.width = width
            for cell in column.cells:
                cell.width = width

    def table(self, element: Any) -> None:
        rows: list[tuple[bool, Any]] = []
        for part in element:
            if not isinstance(part.tag, str):
                continue
            if part.tag == "caption":
                self.new_paragraph(
                    "Caption" if styles.has_style(self.doc, "Caption") else "Body Text"
                )
                self.inline_content(part, _Format())
                self.finish()
            elif part.tag in ("thead", "tbody", "tfoot"):
                rows.extend((part.tag == "thead", row) for row in part if row.tag == "tr")
            elif part.tag == "tr":
                rows.append((False, part))
            else:
                raise self.unsupported(part, "cannot be a child of <table>")
        if not rows:
            return
        width = max(len([c for c in row if c.tag in ("td", "th")]) for _, row in rows)
        table: Table = self.doc.add_table(rows=len(rows), cols=width)
        self._place(table._tbl)
        if styles.has_style(self.doc, "Table Grid"):
            table.style = self.doc.styles["Table Grid"]
        saved_lists, self.lists = self.lists, []
        for r, (in_head, row) in enumerate(rows):
            cells = [c for c in row if isinstance(c.tag, str)]
            header_row = in_head or (cells and all(c.tag == "th" for c in cells))
            if header_row:
                tr_pr = table.rows[r]._tr.get_or_add_trPr()
                mark = OxmlElement("w:tblHeader")
                tr_pr.append(mark)
            for c, cell in enumerate(cells):
                if cell.tag not in ("td", "th"):
                    raise self.unsupported(cell, "cannot be a child of <tr>")
                if int(cell.get("colspan", "1")) != 1 or int(cell.get("rowspan", "1")) != 1:
                    raise self.unsupported(cell, "with colspan or rowspan is not supported")
                target = table.cell(r, c)
                target._tc.remove(target.paragraphs[0]._p)
                style = "Table Header" if cell.tag == "th" or header_row else "Table Text"
                self._into_cell(target, cell, style)
        self.lists = saved_lists
        self.column_widths(table, element)

    def _into_cell(self, target: Any, cell: Any, style: str) -> None:
        saved_body = self.body
        self.body = target._tc
        try:
            self.container(cell, style)
            if not target._tc.findall(qn("w:p")):
                target._tc.append(OxmlElement("w:p"))
        finally:
            self.body = saved_body

    # -- inline ---------------------------------------------------------------------------

    def inline_content(self, element: Any, fmt: _Format) -> None:
        if element.text:
            self.text(element.text, fmt)
        for child in element:
            if isinstance(child.tag, str):
                if child.tag not in INLINE:
                    raise self.unsupported(child, f"cannot be inside <{element.tag}>")
                self.inline(child, fmt)
            if child.tail:
                self.text(child.tail, fmt)

    def inline(self, element: Any, fmt: _Format) -> None:
        with self.language_of(element):
            self._inline(element, fmt)

    def _inline(self, element: Any, fmt: _Format) -> None:
        tag = element.tag
        if tag in _RUN_FLAGS:
            fmt = replace(fmt, **{_RUN_FLAGS[tag]: True})  # type: ignore[arg-type]
        elif tag == "br":
            self._run(fmt).add_break(WD_BREAK.LINE)
            self.ends_with_space = True
            self.last_text = None
            return
        elif tag == "img":
            self.image(element)
            return
        elif tag == "wbr":
            # Word finds its own line breaks in a URL (a character here would be copied with
            # it). lxml's HTML parser may nest what follows <wbr> inside it: keep that text.
            self.inline_content(element, fmt)
            return
        elif tag == "a":
            self.anchor(element, fmt)
            return
        elif tag == "span" and "footnote" in (element.get("class") or "").split():
            self.footnote(element, fmt)
            return
        if element.get("data-docx-style"):
            fmt = replace(fmt, char_style=element.get("data-docx-style"))
        if NO_HYPHENS & set((element.get("class") or "").split()) and self.paragraph is not None:
            parts.suppress_hyphenation(self.paragraph._p)
        if element.get("data-docx-tab") == "right" and self.paragraph is not None:
            # Set to the right margin, as the PDF floats it (the cover's "POLICY BRIEF").
            parts.right_tab(self.paragraph._p, self.text_width() // 635)  # EMU to twips
            if self.last_text is not None and self.last_text.text:
                self.last_text.text = self.last_text.text.rstrip(" ")
            self._run(fmt)._r.append(OxmlElement("w:tab"))
            self.ends_with_space = True
            self.last_text = None
        self.inline_content(element, fmt)

    def _run(self, fmt: _Format) -> Any:
        assert self.paragraph is not None
        element = OxmlElement("w:r")
        (self.link if self.link is not None else self.paragraph._p).append(element)
        # Run properties in the schema's order (rStyle, rFonts, b, i, strike, u, vertAlign,
        # lang), as python-docx's font setters would place them.
        properties = OxmlElement("w:rPr")
        if fmt.char_style:
            # By id on the run itself: runs in footnotes belong to a part without style lookup.
            properties.append(_w("w:rStyle", val=self._style_id(fmt.char_style)))
        if fmt.code:
            properties.append(_w("w:rFonts", ascii="Consolas", hAnsi="Consolas"))
        if fmt.bold:
            properties.append(_w("w:b"))
        if fmt.italic:
            properties.append(_w("w:i"))
        if fmt.strike:
            properties.append(_w("w:strike"))
        if fmt.underline:
            properties.append(_w("w:u", val="single"))
        if fmt.superscript or fmt.subscript:
            properties.append(
                _w("w:vertAlign", val="subscript" if fmt.subscript else "superscript")
            )
        properties.append(_w("w:lang", val=self.lang))
        element.append(properties)
        return Run(element, self.paragraph)

    def text(self, text: str, fmt: _Format) -> None:
        # The word joiner gluing a footnote call to its word: Word never breaks there.
        text = _SPACE.sub(" ", text).replace("\u2060", "")
        if self.ends_with_space:
            text = text.lstrip(" ")
        if not text:
            return
        # The text holds no tab or line break (collapsed above): one w:t, as python-docx's
        # run.text would make, without its character-by-character walk.
        element = OxmlElement("w:t")
        element.text = text
        if text != text.strip():  # as python-docx: no-break spaces at the ends count too
            element.set(_XML_SPACE, "preserve")
        self._run(fmt)._r.append(element)
        self.last_text = element
        self.ends_with_space = text.endswith(" ")

    def anchor(self, element: Any, fmt: _Format) -> None:
        href = element.get("href") or ""
        if not href:
            self.inline_content(element, fmt)
            return
        assert self.paragraph is not None
        outer = self.link
        self.link = parts.hyperlink(self.paragraph, href)
        if outer is not None:  # nested links: keep the inner one inside the outer's place
            outer.append(self.link)
        try:
            self.inline_content(element, replace(fmt, char_style="Hyperlink"))
        finally:
            self.link = outer

    def footnote(self, element: Any, fmt: _Format) -> None:
        if self.footnotes is None:
            self.footnotes = parts.Footnotes(self.doc)
        reference, note_p = self.footnotes.add(
            self._style_id("Footnote Reference"), self._style_id("Footnote Text")
        )
        assert self.paragraph is not None
        (self.link if self.link is not None else self.paragraph._p).append(reference)
        saved = (self.paragraph, self.link, self.last_text, self.ends_with_space)
        self.start(Paragraph(note_p, _FootnoteParent(self.footnotes.part)))
        self.link = None
        self.ends_with_space = False  # a space follows the footnote mark
        try:
            self.inline_content(element, _Format())
            self.finish()
        finally:
            self.paragraph, self.link, self.last_text, self.ends_with_space = saved
            self.last_text = None

    def image(self, element: Any) -> None:
        src = element.get("src") or ""
        alt = element.get("alt")
        if alt is None:
            raise self.unsupported(element, "needs an alt attribute (its text alternative)")
        try:
            picture = self.fetcher.picture(src)
        except ResourceRefused as exc:
            raise RenderError(str(exc)) from None
        height = _MM.match(element.get("data-docx-height") or "")
        data, width_emu, height_emu = docx_picture(
            picture, float(height.group(1)) if height else None
        )
        run = self._run(_Format())
        shape = run.add_picture(io.BytesIO(data), width=Emu(width_emu), height=Emu(height_emu))
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("name", alt[:64] or "image")
        self.ends_with_space = False
        self.last_text = None


def _has_content(node: Any) -> bool:
    """Whether inline ``node`` (text or element) would show anything."""
    if isinstance(node, str):
        return bool(node.strip())
    if node.tag in ("img", "br") or node.find(".//img") is not None:
        return True
    return bool((node.text_content() or "").strip())
