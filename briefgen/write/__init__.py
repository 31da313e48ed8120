"""Write stage: turn a rendered document into the bytes of one output format."""

from __future__ import annotations

from collections.abc import Callable

from ..render import Rendered
from .docx import write_docx
from .html import write_html
from .pdf import write_pdf

Writer = Callable[[Rendered], bytes]

WRITERS: dict[str, Writer] = {"pdf": write_pdf, "docx": write_docx, "html": write_html}
"""Writers by format name; each returns the whole file's bytes (the caller writes them)."""

__all__ = ["WRITERS", "Writer", "write_docx", "write_html", "write_pdf"]
