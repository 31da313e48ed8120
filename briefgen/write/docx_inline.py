"""Inline content of the DOCX writer's HTML walk: runs, their look and language, links,
footnotes and pictures.

A mixin of the walk in :mod:`briefgen.write.docx` (kept apart so that module does not
grow); the XML of runs and text is made in :mod:`briefgen.write.docx_parts`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.shared import Emu
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..errors import RenderError
from ..fetcher import SafeFetcher
from ..pictures import docx_picture
from . import docx_parts as parts
from .docx_parts import RunFormat

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
_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s*$")


class _FootnoteParent:
    """Gives a footnote paragraph the footnotes part (for its hyperlink relationships)."""

    def __init__(self, part: Any) -> None:
        self.part = part


class InlineMixin:
    """Inline content for the HTML walk (``_Builder``): its paragraph, link and language."""

    doc: Document
    lang: str
    fetcher: SafeFetcher
    paragraph: Paragraph | None
    link: Any
    last_text: Any
    ends_with_space: bool
    footnotes: parts.Footnotes | None
    _style_id: Callable[[str], str]
    start: Callable[[Paragraph], None]
    finish: Callable[[], None]
    text_width: Callable[[], int]
    unsupported: Callable[..., RenderError]
    language_of: Callable[[Any], Any]

    def inline_content(self, element: Any, fmt: RunFormat) -> None:
        if element.text:
            self.text(element.text, fmt)
        for child in element:
            if isinstance(child.tag, str):
                if child.tag not in INLINE:
                    raise self.unsupported(child, f"cannot be inside <{element.tag}>")
                self.inline(child, fmt)
            if child.tail:
                self.text(child.tail, fmt)

    def inline(self, element: Any, fmt: RunFormat) -> None:
        with self.language_of(element):
            self._inline(element, fmt)

    def _inline(self, element: Any, fmt: RunFormat) -> None:
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
        elif element.get("data-docx-field"):
            self.field(element.get("data-docx-field"), "".join(element.itertext()), fmt)
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
            self._run(fmt)._r.append(parts.tab())
            self.ends_with_space = True
            self.last_text = None
        self.inline_content(element, fmt)

    def _run(self, fmt: RunFormat) -> Any:
        assert self.paragraph is not None
        # By id on the run itself: runs in footnotes belong to a part without style lookup.
        style_id = self._style_id(fmt.char_style) if fmt.char_style else None
        element = parts.run(fmt, style_id, self.lang)
        (self.link if self.link is not None else self.paragraph._p).append(element)
        return Run(element, self.paragraph)

    def text(self, text: str, fmt: RunFormat) -> None:
        # The word joiner gluing a footnote call to its word: Word never breaks there.
        text = _SPACE.sub(" ", text).replace("\u2060", "")
        if self.ends_with_space:
            text = text.lstrip(" ")
        if not text:
            return
        element = parts.text(text)  # no tab or line break: collapsed above
        self._run(fmt)._r.append(element)
        self.last_text = element
        self.ends_with_space = text.endswith(" ")

    def field(self, instruction: str, shown: str, fmt: RunFormat) -> None:
        """A Word field (a caption's ``SEQ Figure``) showing ``shown`` until Word updates it,
        in the runs' format."""
        self._run(fmt)._r.append(parts.field_char("begin"))
        self._run(fmt)._r.append(parts.instr_text(instruction))
        self._run(fmt)._r.append(parts.field_char("separate"))
        self.text(shown, fmt)
        self._run(fmt)._r.append(parts.field_char("end"))
        self.last_text = None

    def anchor(self, element: Any, fmt: RunFormat) -> None:
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

    def footnote(self, element: Any, fmt: RunFormat) -> None:
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
            self.inline_content(element, RunFormat())
            self.finish()
        finally:
            self.paragraph, self.link, self.last_text, self.ends_with_space = saved
            self.last_text = None

    def image(self, element: Any) -> None:
        src = element.get("src") or ""
        alt = element.get("alt")
        if alt is None:
            raise self.unsupported(element, "needs an alt attribute (its text alternative)")
        picture = self.fetcher.picture(src)  # raises RenderError if it may not be read
        height = _MM.match(element.get("data-docx-height") or "")
        data, width_emu, height_emu = docx_picture(
            picture, float(height.group(1)) if height else None
        )
        run = self._run(RunFormat())
        shape = run.add_picture(io.BytesIO(data), width=Emu(width_emu), height=Emu(height_emu))
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("name", alt[:64] or "image")
        self.ends_with_space = False
        self.last_text = None
