"""PyYAML's scanner brought closer to YAML 1.2, for campaign files.

PyYAML implements YAML 1.1 and refuses some valid YAML 1.2: tabs that separate (after
``key:``, before a comment, at the end of a line), anchors named with other characters than
ASCII letters and digits, ``?`` inside a plain value in brackets. :class:`Yaml12Scanner`
accepts those; tabs used for indentation stay an error, as in YAML 1.2.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.scanner import ScannerError
from yaml.tokens import ScalarToken, Token

_BREAKS = "\r\n\x85\u2028\u2029"
_ENDS = "\0" + _BREAKS


def _starts_entry(rest: str) -> bool:
    """Whether the text ``rest`` of a line starts a list item, an explicit key or a
    ``key: value`` entry."""
    if rest in ("-", "?") or rest.startswith(("- ", "? ", "-\t", "?\t")):
        return True
    if rest[:1] in ("'", '"'):
        close = rest.find(rest[0], 1)
        return close > 0 and rest[close + 1 :].lstrip(" \t").startswith(":")
    text = rest.split(" #")[0].rstrip(" \t")
    return ": " in text or ":\t" in text or text.endswith(":")


class Yaml12Scanner(yaml.scanner.Scanner):
    """PyYAML's scanner, accepting what YAML 1.2 allows and campaign files may contain.

    A mixin placed before ``yaml.SafeLoader`` (or any loader) in the bases.
    """

    # Attributes the Reader and Scanner of a loader provide.
    buffer: str
    pointer: int
    column: int
    indent: int
    flow_level: int
    index: int
    allow_simple_key: bool
    peek: Any
    forward: Any
    prefix: Any
    get_mark: Any
    scan_line_break: Any

    def _tab_separates(self) -> bool:
        """Whether the tab at the reading position separates (YAML 1.2) rather than indents."""
        end = self.pointer
        while self.buffer[end] in " \t":
            end += 1
        if self.buffer[end] in _ENDS or self.buffer[end] == "#":
            return True  # trailing whitespace, or a line that holds only a comment
        before = self.buffer[self.pointer - self.column : self.pointer]
        if self.flow_level:
            return True
        if before.strip(" "):
            # After something on the line (`key:<TAB>value`, `-<TAB>item`), unless it puts a
            # nested list or mapping after '- ', '? ' or ': ' (`-<TAB>name: x`): then the tab
            # would set that entry's indentation.
            indicator = before.rstrip(" \t")
            nested = indicator.endswith(("-", "?")) or indicator.strip() == ":"
            line_end = end
            while self.buffer[line_end] not in _ENDS:
                line_end += 1
            return not (nested and _starts_entry(self.buffer[end:line_end]))
        # After the indentation: separation only where no new entry may start.
        return len(before) > self.indent

    def scan_to_next_token(self) -> None:
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            while self.peek() == " " or (self.peek() == "\t" and self._tab_separates()):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in _ENDS:
                    self.forward()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                return

    def scan_plain(self) -> ScalarToken:
        # PyYAML's, except that '?' may appear inside a plain value in brackets (YAML 1.2).
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] | None = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (
                    ch in "\0 \t" + _BREAKS
                    or (
                        ch == ":"
                        and self.peek(length + 1)
                        in "\0 \t" + _BREAKS + (",[]{}" if self.flow_level else "")
                    )
                    or (self.flow_level and ch in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or [])
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str] | None:
        # PyYAML's, except that tabs are white space too (YAML 1.2's s-white).
        chunks: list[str] = []
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        ch = self.peek()
        if ch in _BREAKS:
            line_break = self.scan_line_break()
            self.allow_simple_key = True
            if self._document_marker():
                return None
            breaks = []
            while self.peek() in " \t" + _BREAKS:
                if self.peek() in " \t":
                    self.forward()
                else:
                    breaks.append(self.scan_line_break())
                    if self._document_marker():
                        return None
            if line_break != "\n":
                chunks.append(line_break)
            elif not breaks:
                chunks.append(" ")
            chunks.extend(breaks)
        elif whitespaces:
            chunks.append(whitespaces)
        return chunks

    def _document_marker(self) -> bool:
        return self.prefix(3) in ("---", "...") and self.peek(3) in "\0 \t" + _BREAKS

    def scan_anchor(self, TokenClass: Any) -> Token:  # noqa: N803 - PyYAML's signature
        # YAML 1.2: an anchor name is any run of characters but white space and ,[]{}.
        start_mark = self.get_mark()
        name = "alias" if self.peek() == "*" else "anchor"
        self.forward()
        length = 0
        while self.peek(length) not in "\0 \t" + _BREAKS + ",[]{}":
            length += 1
        if not length:
            raise ScannerError(
                f"while scanning an {name}",
                start_mark,
                f"expected alphabetic or numeric character, but found {self.peek()!r}",
                self.get_mark(),
            )
        value = self.prefix(length)
        self.forward(length)
        return TokenClass(value, start_mark, self.get_mark())
