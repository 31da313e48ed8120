"""The DOCX package around the walked body: its reference document, page furniture,
settings and properties, and the file saved byte for byte the same each time.

The page furniture is what a page shows outside the body: the restricted marking at the top
of every header a page can show, and briefgen's footer (the organisation, "Page X of Y")
wherever the reference has none of its own.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .. import i18n, reference
from ..errors import RenderError
from . import docx_parts as parts


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


def furnish(builder: Any) -> None:
    """Headers and footers for the document ``builder`` walked (see :mod:`briefgen.write.docx`):
    the marking in every header of a restricted document, else an empty header of its own
    where the reference has none; briefgen's footer wherever the reference has none."""
    if builder.meta.restricted:
        _mark_headers(builder)
    elif not builder.has_header:
        builder.section.header.is_linked_to_previous = False  # an empty header of its own
    # Each footer a page of the section shows (first-page and even-page ones only if the
    # reference turns them on) is the reference's own, or else briefgen's.
    section = builder.section
    shown = [section.footer]
    if section.different_first_page_header_footer:
        shown.append(section.first_page_footer)
    if builder.doc.settings.odd_and_even_pages_header_footer:
        shown.append(section.even_page_footer)
    for footer in shown:
        if footer.is_linked_to_previous:
            _page_footer(builder, footer)


def _page_footer(builder: Any, footer: Any) -> None:
    """Make ``footer`` briefgen's: the organisation's name, and "Page X of Y" at the right."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph._p.style = builder._style_id("Footer")
    paragraph.add_run(f"{builder.meta.author}\t")
    for text, field in i18n.split_label(builder.meta.page_label):
        if text:
            paragraph.add_run(text)
        if field:
            parts.add_field(paragraph, {"page": "PAGE", "pages": "NUMPAGES"}[field], "1")
    width = builder.text_width()
    stops = paragraph.paragraph_format.tab_stops
    # The style's own tab stops (Word's Footer style has a centre one) would catch
    # the tab first: clear them for this paragraph, then align right at the margin.
    for stop in paragraph.style.paragraph_format.tab_stops:
        stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def _mark_headers(builder: Any) -> None:
    """Put the restricted marking at the top of every header a page can show: the
    default, first-page and even-page headers, each made if the reference has none (so
    that turning on "different first page" in Word shows it too)."""
    marked: set[int] = set()
    for header in builder.headers:
        if header.is_linked_to_previous:
            header.is_linked_to_previous = False  # a new header, with an empty paragraph
            paragraph = header.paragraphs[0]
            paragraph._p.style = builder._style_id("Restricted Marking")
            paragraph.add_run(builder.meta.marking)
        elif id(header.part) not in marked:  # a part two kinds share is marked once
            first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            new = first.insert_paragraph_before(builder.meta.marking)
            new._p.style = builder._style_id("Restricted Marking")
        marked.add(id(header.part))


def set_properties(document: Document, meta: Any, language: str) -> None:
    """The document's core properties: title, subject, author, language, marking as
    keywords, and the document's date as every time (nothing of the machine or the moment)."""
    props = document.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = meta.author
    props.last_modified_by = meta.author
    props.language = language
    props.keywords = meta.marking if meta.restricted else ""
    props.comments = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = ""
    props.revision = 1
    moment = dt.datetime.combine(meta.date, dt.time())
    props.created = moment
    props.modified = moment
    props.last_printed = moment


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    """``parent``'s ``tag`` element, added (first or last) if it has none."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        if first:
            parent.insert(0, child)
        else:
            parent.append(child)
    return child


def set_language(document: Document, tag: str) -> None:
    """Set the proofing language of the document's default run properties to ``tag``."""
    defaults = _child(document.styles.element, "w:docDefaults", first=True)
    rpr = _child(_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), tag)


def set_widow_control(document: Document) -> None:
    """Widow and orphan control (two lines at least) for every paragraph whose style does
    not say otherwise: in the document's default paragraph properties."""
    defaults = _child(document.styles.element, "w:docDefaults", first=True)
    ppr = _child(_child(defaults, "w:pPrDefault"), "w:pPr")
    if ppr.find(qn("w:widowControl")) is None:
        successors = [qn(t) for t in parts.PPR_ORDER[parts.PPR_ORDER.index("w:widowControl") + 1 :]]
        later = [child for child in ppr if child.tag in successors]
        element = OxmlElement("w:widowControl")
        if later:
            later[0].addprevious(element)
        else:
            ppr.append(element)


class _FixedZip:
    """Where python-docx's package writer puts the parts: zip entries with a fixed date and
    permissions, in the order written, compressed once."""

    def __init__(self, date_time: tuple[int, int, int, int, int, int]) -> None:
        self.date_time = date_time
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=self.date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.create_system = 3
        self.zip.writestr(entry, blob)

    def close(self) -> None:
        self.zip.close()


_WRITER_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


def save_reproducible(document: Document, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The DOCX file of ``document`` with fixed timestamps and permissions, entries in order.

    The same steps as python-docx's ``Document.save`` (content types, package relationships,
    then each part and its relationships), written straight into a zip with fixed entry
    dates. Those steps are python-docx internals: should a release rename them, the document
    is saved as usual and re-packed instead (same bytes, one more compression).
    """
    package = document.part.package
    if not all(hasattr(PackageWriter, step) for step in _WRITER_STEPS):
        saved = io.BytesIO()
        document.save(saved)
        return _repack(saved.getvalue(), date_time)
    package_parts = list(package.iter_parts())
    for part in package_parts:
        part.before_marshal()
    target = _FixedZip(date_time)
    writer: Any = PackageWriter  # its steps take any object with write() and close()
    writer._write_content_types_stream(target, package_parts)  # noqa: SLF001
    writer._write_pkg_rels(target, package.rels)  # noqa: SLF001
    writer._write_parts(target, package_parts)  # noqa: SLF001
    target.close()
    return target.buffer.getvalue()


def _repack(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The zip ``data`` again, its entries in order with a fixed date and permissions."""
    target = _FixedZip(date_time)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            target.write(PackURI("/" + info.filename), source.read(info.filename))
    target.close()
    return target.buffer.getvalue()
