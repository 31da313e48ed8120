"""Text fields: links and citations in Markdown, no citation in plain text (see textcheck)."""

from __future__ import annotations

from typing import Any

from .. import textcheck
from ..errors import Problem
from ..loader import Loaded, PathKey, format_path
from . import Found, Subject, found


def text_fields(subject: Subject) -> Found:
    """Every text value of the campaign file, by the rules of its field."""
    loaded = subject.loaded
    source_ids = {s.id for s in subject.written.sources}
    problems: list[Problem] = []

    def walk(data: Any, path: PathKey) -> None:
        if isinstance(data, dict):
            for k, v in data.items():
                walk(v, (*path, k))
        elif isinstance(data, list):
            for j, v in enumerate(data):
                walk(v, (*path, j))
        elif isinstance(data, str) and (field := textcheck.field_name(path)):
            for offset, message in textcheck.text_problems(field, data, source_ids):
                if offset is None:
                    problems.append(subject.problem(path, message))
                    continue
                line, col = _offset_position(loaded, path, data, offset)
                problems.append(Problem(loaded.path, message, line, col, format_path(path)))

    walk(loaded.data, ())
    return found(problems)


def imported_texts(subject: Subject) -> Found:
    """Text read from import files (and every copy): the rules the campaign file's text
    meets."""
    sources = {s.id for s in subject.written.sources}
    return found(
        textcheck.imported_problems(subject.people, subject.origins, subject.loaded, sources)
    )


def _offset_position(
    loaded: Loaded, path: PathKey, text: str, offset: int
) -> tuple[int | None, int | None]:
    """The file position of character ``offset`` of the text value at ``path``.

    The citation starting there is looked for in the value as written (whatever its style:
    plain, quoted, or a block after ``|`` or ``>`` whose text starts on the next line).
    Failing that, a multi-line value is taken to be a block indented two spaces more than
    its key.
    """
    line, col = loaded.where(path)
    if line is None:
        return None, None
    if path in loaded.spans:
        start, end, _style = loaded.spans[path]
        close = text.find("]", offset)
        needle = text[offset : close + 1] if close >= 0 else text[offset:]
        found = start - 1
        for _ in range(text.count(needle, 0, offset) + 1):  # the same occurrence as written
            found = loaded.text.find(needle, found + 1, end)
            if found < 0:
                break
        if found >= 0:
            before = loaded.text[:found]
            return before.count("\n") + 1, found - (before.rfind("\n") + 1) + 1
    if "\n" not in text.rstrip("\n"):
        return line, (col or 1) + offset + _quote(loaded, line, col or 1)
    key_line, key_col = loaded.where(path, key=True)
    before = text[:offset]
    row = before.count("\n")
    return line + 1 + row, (key_col or 1) + 2 + len(before) - (before.rfind("\n") + 1)


def _quote(loaded: Loaded, line: int, column: int) -> int:
    """1 if the value written at ``line``, ``column`` starts with a quote, else 0."""
    try:
        written = loaded.path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return 0
    return 1 if written[column - 1 : column] in ("'", '"') else 0
