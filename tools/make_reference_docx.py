"""Regenerate templates/reference.docx, the default Word reference document.

Run: python tools/make_reference_docx.py
It starts from python-docx's blank document and applies briefgen's style definitions
(briefgen/write/docx_styles.py): A4, the margins of the PDF, Cambria body text, Calibri
headings, and the named styles the DOCX writer uses. No header or footer: briefgen adds its
own unless a campaign's reference document brings them.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles import BabelFish

from briefgen import reference
from briefgen.write import docx_package, docx_styles

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"


def make() -> bytes:
    """Build the reference document and return its bytes."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(24)
    section.left_margin, section.right_margin = Mm(22), Mm(22)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = docx_styles.BODY_FONT
    normal.font.size = Pt(10.5)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), docx_styles.BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    for name, spec in docx_styles.STYLES.items():
        if docx_styles.has_style(document, name):
            docx_styles.apply(document.styles[name], spec)
        else:
            docx_styles.ensure(document, name)
    # Only the styles briefgen uses, Word's defaults and a few for users who restyle: a
    # small styles part loads faster for each of hundreds of documents.
    keep = {
        *docx_styles.STYLES,
        "Normal",
        "Default Paragraph Font",
        "Normal Table",
        "No List",
        "Table Grid",
        "Caption",
        "Quote",
        "List Paragraph",
        "TOC Heading",
        "Heading 5",
        "Heading 6",
        "Strong",
        "Emphasis",
    }
    root = document.styles.element
    for style in list(root.findall(qn("w:style"))):
        name = style.find(qn("w:name"))
        label = name.get(qn("w:val")) if name is not None else ""
        ui_name = BabelFish.internal2ui(label)
        if ui_name not in keep and ui_name.removesuffix(" Char") not in keep:
            root.remove(style)
    for latent in root.findall(qn("w:latentStyles")):
        root.remove(latent)
    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    props = document.core_properties
    moment = dt.datetime(2026, 1, 1)
    props.author = props.last_modified_by = props.title = props.subject = ""
    props.keywords = props.comments = props.category = ""
    props.created = props.modified = props.last_printed = moment
    props.revision = 1
    # Kept as a build keeps a reference document: only the parts that shape the look.
    saved = io.BytesIO()
    document.save(saved)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reference.docx"
        path.write_bytes(saved.getvalue())
        cleaned = docx.Document(io.BytesIO(reference.prepare(path).package))
    return docx_package.save_reproducible(cleaned, (2026, 1, 1, 0, 0, 0))


if __name__ == "__main__":
    TARGET.write_bytes(make())
    print(f"wrote {TARGET}")  # noqa: T201
