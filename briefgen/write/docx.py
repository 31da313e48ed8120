"""DOCX writer: the rendered HTML walked into Word paragraphs, on a reference document.

Like pandoc's ``--reference-doc``, the output starts as a copy of the reference document
(its styles, page setup, header and footer) with the body replaced. The HTML subset this
writer understands is documented in the README ("HTML for DOCX"); any other element is an
error naming the template, never silently dropped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

from .. import i18n
from ..errors import RenderError
from ..fetcher import SafeFetcher
from ..project import default_templates
from ..render import Rendered
from . import docx_package as package
from . import docx_parts as parts
from . import docx_styles as styles
from .docx_inline import INLINE, NO_HYPHENS, InlineMixin
from .docx_layout import LayoutMixin
from .docx_parts import RunFormat

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
SKIPPED = {"head", "title", "meta", "style", "link"}
BLOCKS = {"p", "ol", "ul", "li", "table", "hr", *HEADINGS, *CONTAINERS}
SUPPORTED = sorted(BLOCKS | INLINE | {"thead", "tbody", "tfoot", "tr", "th", "td", "caption"})


def write_docx(rendered: Rendered, produced: Mapping[str, bytes] | None = None) -> bytes:
    """Write ``rendered`` as a DOCX file on its reference document; return the file's bytes.

    Raises :class:`RenderError` for an unreadable reference document, an HTML element outside
    the supported subset, or a refused resource.
    """
    document = package.open_reference(rendered.meta.reference_docx)
    builder = _Builder(document, rendered)
    builder.build()
    date = rendered.meta.date
    return package.save_reproducible(document, (date.year, date.month, date.day, 0, 0, 0))


class _Builder(LayoutMixin, InlineMixin):
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
        package.set_language(self.doc, self.lang)
        package.set_widow_control(self.doc)
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
        package.furnish(self)
        package.set_properties(self.doc, self.meta, self.lang)

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
        parts.set_paragraph_style(paragraph._p, self._style_id(name))

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
            self.inline_content(element, RunFormat())
            self.finish()
        elif tag == "p":
            paragraph = self.new_paragraph(own_style or style, element)
            if NO_HYPHENS & set((element.get("class") or "").split()):
                parts.suppress_hyphenation(paragraph._p)
            lead, self.lead = self.lead, []
            self.emit(lead)  # a run-in heading before the paragraph's own text
            self.inline_content(element, RunFormat())
            self.finish()
        elif tag in ("ol", "ul"):
            self.list(element, own_style or style)
        elif tag == "table":
            self.table(element)
        elif tag == "hr":
            paragraph = self.new_paragraph(own_style or style, element)
            parts.rule_below(paragraph._p)
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
            self.inline(element, RunFormat())
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
                self.text(node, RunFormat())
            else:
                self.inline(node, RunFormat())
                if node.tail:
                    self.text(node.tail, RunFormat())

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

    def table(self, element: Any) -> None:
        rows: list[tuple[bool, Any]] = []
        for part in element:
            if not isinstance(part.tag, str):
                continue
            if part.tag == "caption":
                self.new_paragraph(
                    "Caption" if styles.has_style(self.doc, "Caption") else "Body Text"
                )
                self.inline_content(part, RunFormat())
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
                parts.repeat_as_header(table.rows[r]._tr)
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
            parts.ensure_paragraph(target._tc)
        finally:
            self.body = saved_body


def _has_content(node: Any) -> bool:
    """Whether inline ``node`` (text or element) would show anything."""
    if isinstance(node, str):
        return bool(node.strip())
    if node.tag in ("img", "br") or node.find(".//img") is not None:
        return True
    return bool((node.text_content() or "").strip())
