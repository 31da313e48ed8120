"""Recipients CSV files: every cell with its line and column, every problem of the file at once.

A contact database's export is messy: header names in any case, values such as ``EN``,
``MEP`` or `` a@b.org ``, extra columns (a phone number, a CRM id). Values are trimmed and
matched case-insensitively, unknown columns are a warning and ignored, and every problem is
reported at its row and column, so one run of ``check`` lists them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, did_you_mean, errors_in

CSV_COLUMNS = {
    "id": "recipient id (default: made from the name)",
    "name": "full name (required)",
    "family_name": "family name used after an honorific",
    "honorific": "Ms, Mr, Madame, Monsieur, Dr...",
    "salutation": "the whole greeting line, overriding the role's",
    "role": "one of the roles (default: the import's defaults, else 'other')",
    "title": "position, e.g. 'Commissioner for Neighbourhood and Enlargement'",
    "organisation": "institution",
    "address": "postal address, lines separated by line breaks in the cell or by ';'",
    "email": "e-mail address (needed for e-mail drafts)",
    "cc": "copies, separated by ';' (e.g. 'Office <office@example.org>')",
    "language": "en, fr or az",
    "edition": "public or restricted",
    "demands": "demand ids, separated by spaces, commas or ';'",
    "demand_tags": "demand tags, separated by spaces, commas or ';'",
    "reason": "why this person is written to ('as Chair of ...')",
    "note": "a personal paragraph (Markdown)",
    "also_receives": "letters this same person is meant to get as well (ids)",
}
"""The columns a recipients CSV file may have (header names are case-insensitive)."""


def _key(header: str) -> str:
    """A header name as compared: "E-mail", "EMAIL" and "e_mail" are all "email"."""
    return re.sub(r"[^a-z0-9]+", "", header.casefold())


_COLUMN_KEYS = {_key(name): name for name in CSV_COLUMNS}

_LOWER = {"id", "language", "edition", "role", "demands", "demand_tags", "also_receives"}
"""Columns whose values are matched case-insensitively (kept in lower case)."""
_LIST_SPLIT = re.compile(r"[\s,;]+")
_UNQUOTED = {d: re.compile(f"[^{re.escape(d)}\r\n]*") for d in ",;\t"}
_QUOTED_PART = re.compile(r'[^"]*')


class CsvSyntaxError(Exception):
    """The file cannot be read as CSV past this point (a quote never closed)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Cell:
    """One value of the file, trimmed, with the line and column where it starts."""

    text: str
    line: int
    column: int


@dataclass
class CsvRow:
    """One data row: its spreadsheet row number (the header is row 1) and line in the file,
    its recipient fields (the values given), and each known column's cell."""

    number: int
    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)


def _records(text: str, delimiter: str) -> Iterator[list[Cell]]:
    """The records of ``text``, each a list of cells (RFC 4180, lenient like Excel)."""
    unquoted = _UNQUOTED[delimiter]
    i, line, column, end = 0, 1, 1, len(text)
    while i < end:
        cells: list[Cell] = []
        while True:
            start_line, start_column = line, column
            if text.startswith('"', i):
                parts = []
                i += 1
                column += 1
                while True:
                    chunk = _QUOTED_PART.match(text, i)
                    assert chunk is not None
                    value = chunk.group()
                    parts.append(value)
                    newlines = value.count("\n") + value.count("\r") - value.count("\r\n")
                    if newlines:
                        line += newlines
                        column = len(value) - max(value.rfind("\n"), value.rfind("\r"))
                    else:
                        column += len(value)
                    i = chunk.end()
                    if i >= end:
                        raise CsvSyntaxError(
                            start_line,
                            start_column,
                            "a quoted value starts here and is never closed (a '\"' missing); "
                            "the rest of the file cannot be read",
                        )
                    if text.startswith('""', i):
                        parts.append('"')
                        i += 2
                        column += 2
                        continue
                    i += 1  # the closing quote
                    column += 1
                    break
                rest = unquoted.match(text, i)  # text after the closing quote: kept, as Excel
                assert rest is not None
                parts.append(rest.group())
                column += len(rest.group())
                i = rest.end()
                value = "".join(parts).replace("\r\n", "\n").replace("\r", "\n")
            else:
                match = unquoted.match(text, i)
                assert match is not None
                value = match.group()
                column += len(value)
                i = match.end()
            cells.append(Cell(value.strip(), start_line, start_column))
            if text.startswith(delimiter, i):
                i += 1
                column += 1
                continue
            if text.startswith("\r\n", i):
                i += 2
            elif i < end:
                i += 1
            line += 1
            column = 1
            break
        yield cells


def _last_line(record: list[Cell]) -> int:
    """The line a record ends on: where its last value starts, plus the line breaks inside
    that value (a quoted value may hold several lines)."""
    last = record[-1]
    return last.line + last.text.count("\n")


def _column_letter(index: int) -> str:
    """The spreadsheet name of column ``index`` (0 → A, 26 → AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _value(column: str, text: str) -> Any:
    if column not in ("address", "note"):  # one line: a line break in a name is a space
        text = " ".join(text.split())
    if column in _LOWER:
        text = text.casefold()
    if column == "role":
        text = re.sub(r"[\s_]+", "-", text)
    if column == "address":
        return [p.strip() for p in re.split(r"[\n;]", text) if p.strip()]
    if column in ("demands", "demand_tags", "also_receives"):
        return [p for p in _LIST_SPLIT.split(text) if p]
    if column == "cc":
        return [p.strip() for p in text.split(";") if p.strip()]
    return text


def read_csv(path: Path, text: str) -> tuple[list[CsvRow], list[Problem]]:
    """The rows of a recipients CSV file (comma, semicolon or tab separated), and every
    problem found in it: unknown columns (warnings), malformed rows (errors)."""
    problems: list[Problem] = []

    def report(cell: Cell | tuple[int, int] | None, message: str, severity: str = "error") -> None:
        line, column = (cell.line, cell.column) if isinstance(cell, Cell) else cell or (None, None)
        problems.append(Problem(path, message, line, column, severity=severity))

    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    records = _records(text, delimiter)
    try:
        header = next(records)
        header_names = [_COLUMN_KEYS.get(_key(c.text), _key(c.text)) for c in header]
        columns: dict[int, str] = {}
        seen: dict[str, int] = {}
        for index, (cell, name) in enumerate(zip(header, header_names, strict=True)):
            if not name:
                continue
            if name not in CSV_COLUMNS:
                report(
                    cell,
                    f"unknown column '{cell.text}' (column {_column_letter(index)}) is "
                    f"ignored{did_you_mean(name, CSV_COLUMNS)}",
                    "warning",
                )
            elif name in seen:
                report(
                    cell,
                    f"column '{name}' appears twice (columns {_column_letter(seen[name])} "
                    f"and {_column_letter(index)}); keep one",
                )
            else:
                seen[name] = index
                columns[index] = name
        if "name" not in seen:
            report(header[0], "the header has no 'name' column")
        rows: list[CsvRow] = []
        unnamed: set[int] = set()
        for number, record in enumerate(records, 2):
            if not any(cell.text for cell in record):
                continue
            row = CsvRow(number, record[0].line)
            extra = [c for c in record[len(header) :] if c.text]
            if extra or len(record) < len(header):
                # Too many values: at the first one too many; too few: where the row starts
                # (a row of several lines is named with them).
                at = extra[0] if extra else record[0]
                last = _last_line(record)
                lines = f" (lines {row.line} to {last})" if last > row.line else ""
                report(
                    at,
                    f"row {number}{lines} has {len(record)} values, the header has "
                    f"{len(header)} (a '{delimiter}' too many or too few, or a line break "
                    "outside quotes?)",
                )
                continue
            for index, cell in enumerate(record[: len(header)]):
                if index not in columns:
                    if cell.text and not header_names[index]:
                        unnamed.add(index)
                    continue
                row.cells[columns[index]] = cell
                if cell.text:
                    row.fields[columns[index]] = _value(columns[index], cell.text)
            rows.append(row)
    except CsvSyntaxError as exc:
        report((exc.line, exc.column), exc.message)
        return [], problems
    except StopIteration:  # pragma: no cover - the file is not empty (checked before)
        return [], problems
    for index in sorted(unnamed):
        report(
            header[index],
            f"column {_column_letter(index)} has values but no header; they are ignored",
            "warning",
        )
    if not rows and not errors_in(problems):
        report(None, "file has a header but no rows")
    return rows, problems
