"""Write stage: turn a rendered document into the bytes of one output format."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..render import Rendered
from .docx import write_docx
from .eml import NoEmailAddress, write_eml
from .html import write_html
from .pdf import write_pdf

Writer = Callable[[Rendered, Mapping[str, bytes]], bytes]

WRITERS: dict[str, Writer] = {
    "pdf": write_pdf,
    "docx": write_docx,
    "html": write_html,
    "eml": write_eml,
}
"""Writers by format name; each gets the rendered document and the formats already written
for it (an e-mail draft attaches them), and returns the whole file's bytes."""

__all__ = [
    "WRITERS",
    "NoEmailAddress",
    "Writer",
    "write_docx",
    "write_eml",
    "write_html",
    "write_pdf",
]
