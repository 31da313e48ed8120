"""Layout the DOCX writer gives what the PDF lays out with CSS: blocks side by side, blocks
kept on one page, boxed blocks, and the width they share.

A mixin of the HTML walk in :mod:`briefgen.write.docx` (kept apart so that module does not
grow): the hints are the ``data-docx``, ``data-docx-keep`` and ``data-docx-box`` attributes
documented in the README ("HTML for DOCX").
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from typing import Any

from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Mm
from docx.table import Table

from ..errors import RenderError
from . import docx_parts as parts

_SKIPPED = {"head", "title", "meta", "style", "link"}
"""Elements that are not part of the Word body (as in the HTML walk)."""


class LayoutMixin:
    """Layout hints for the HTML walk (``_Builder``): its document, story and walk."""

    doc: Document
    body: Any
    section: Any
    lists: list[tuple[int, int]]
    _style_id: Callable[[str], str]
    _place: Callable[[Any], None]
    block: Callable[[Any, str], None]
    meta: Any

    def text_width(self) -> int:
        """The width between the page margins, in EMU."""
        section = self.section
        # A reference without page settings (pandoc's) gets Word's defaults: A4, 1 inch.
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

    @contextlib.contextmanager
    def layout_of(self, element: Any) -> Iterator[None]:
        """Apply a container's ``data-docx-keep="together"`` (its paragraphs on one page) and
        ``data-docx-box="STYLE"`` (its paragraphs in the border and shading of STYLE) to the
        paragraphs made inside it."""
        keep = element.get("data-docx-keep") == "together"
        box = element.get("data-docx-box")
        if not keep and not box:
            yield
            return
        before = set(self.body)
        yield
        made = [e for e in self.body if e not in before]
        paragraphs = [p for e in made for p in e.iter(qn("w:p"))]
        if box:
            style_id = self._style_id(box)
            look = parts.box_of(self.doc.styles.element.get_by_id(style_id))
            for p in paragraphs:
                if p.style != style_id:
                    for piece in look:
                        parts.set_property(p, copy.deepcopy(piece))
        if keep:
            parts.keep_together(paragraphs)

    def columns(self, element: Any, style: str) -> None:
        """The child blocks of ``element`` side by side: a borderless table, two a row (as
        the PDF's signatures and letterhead). ``data-docx-widths="35,65"`` shares the width
        between the columns in these proportions (default: equally)."""
        blocks = [c for c in element if isinstance(c.tag, str) and c.tag not in _SKIPPED]
        if not blocks:
            return
        per_row = min(2, len(blocks))
        rows = [blocks[i : i + per_row] for i in range(0, len(blocks), per_row)]
        table: Table = self.doc.add_table(rows=len(rows), cols=per_row)
        self._place(table._tbl)
        shares = _shares(element.get("data-docx-widths"), per_row)
        widths = [Emu(self.text_width() * share // sum(shares)) for share in shares]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        saved_lists, self.lists = self.lists, []
        for r, row in enumerate(rows):
            for c in range(per_row):
                table.cell(r, c).width = widths[c]
            for c, block in enumerate(row):
                target = table.cell(r, c)
                target._tc.remove(target.paragraphs[0]._p)
                saved_body = self.body
                self.body = target._tc
                try:
                    self.block(block, style)
                finally:
                    self.body = saved_body
        self.lists = saved_lists


def _shares(value: str | None, count: int) -> list[int]:
    """Column proportions from ``data-docx-widths`` ("35,65"); equal ones if absent or bad."""
    parts_ = (value or "").replace(" ", "").split(",")
    if len(parts_) == count and all(p.isdigit() and int(p) > 0 for p in parts_):
        return [int(p) for p in parts_]
    return [1] * count
