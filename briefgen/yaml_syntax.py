"""YAML syntax errors explained where the mistake is, in words a campaign officer can act on.

PyYAML's messages ("mapping values are not allowed here", an unclosed quote reported at the
end of the file) are turned by :func:`explain` into a message at the line and column of the
mistake, with the field it is in when that is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.tokens import (
    BlockEndToken,
    BlockEntryToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowEntryToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
    KeyToken,
    ScalarToken,
    Token,
    ValueToken,
)

from .yaml12 import Yaml12Scanner

TAB_INDENTATION = "tab character used for indentation; indent with spaces"


class _Tokens(Yaml12Scanner, yaml.SafeLoader):
    """Scans tokens only, to see what came before a syntax error."""


@dataclass
class _Scanned:
    token: Token
    path: tuple[str | int, ...]


def _scan(text: str) -> list[_Scanned]:
    """The tokens of ``text`` up to its first error, each with the path of its value."""
    scanner = _Tokens(text)
    tokens: list[Token] = []
    try:
        while not scanner.check_token(yaml.StreamEndToken):
            tokens.append(scanner.get_token())
    except yaml.YAMLError:
        tokens.extend(scanner.tokens)
    finally:
        scanner.dispose()
    # frames: [kind, key or index, a key is expected next]
    frames: list[list[Any]] = []
    out = []
    for token in tokens:
        top = frames[-1] if frames else None
        if isinstance(token, BlockMappingStartToken | FlowMappingStartToken):
            frames.append(["map", None, False])
        elif isinstance(token, BlockSequenceStartToken):
            frames.append(["seq", -1, False])
        elif isinstance(token, FlowSequenceStartToken):
            frames.append(["flow", 0, False])
        elif isinstance(token, BlockEntryToken):
            if top is not None and top[0] == "map":
                frames.append(["indentless", -1, False])
            if frames:
                frames[-1][1] += 1
        elif isinstance(token, BlockEndToken | FlowMappingEndToken | FlowSequenceEndToken):
            if top is not None and top[0] == "indentless":
                frames.pop()
            if frames:
                frames.pop()
        elif isinstance(token, KeyToken):
            if top is not None and top[0] == "indentless":
                frames.pop()
            if frames and frames[-1][0] == "map":
                frames[-1][2] = True
        elif isinstance(token, FlowEntryToken):
            if top is not None and top[0] == "flow":
                top[1] += 1
        elif isinstance(token, ValueToken) and top is not None and top[0] == "map":
            top[2] = False
        path = tuple(f[1] for f in frames if f[1] is not None)
        if isinstance(token, ScalarToken) and top is not None and top[0] == "map" and top[2]:
            top[1], top[2] = token.value, False
            parents = tuple(f[1] for f in frames[:-1] if f[1] is not None)
            out.append(_Scanned(token, ("key", *parents, token.value)))
            continue
        out.append(_Scanned(token, path))
    return out


@dataclass
class Explained:
    """A syntax error as a user reads it: 0-based line and column, message, value's path."""

    line: int
    column: int
    message: str
    path: tuple[str | int, ...] | None = None


def _line(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line] if 0 <= line < len(lines) else ""


def _shorten(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def _quoted(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _entry(text: str, line: int, column: int) -> tuple[str, str]:
    """(key, value) of the ``key: value`` line whose value starts at ``line``/``column``."""
    row = _line(text, line)
    value = row[column:]
    key = row[:column].rstrip().removesuffix(":").strip()
    key = key.removeprefix("- ").strip()
    if "#" in value and " #" in value:
        value = value[: value.index(" #")]
    return key, value.strip()


def must_quote(text: str, line: int, column: int, what: str) -> str:
    """``a value {what} must be quoted: key: "value"`` for the value at ``line``/``column``
    (0-based) of ``text``; inside brackets, where a line is no ``key: value``, without the
    example."""
    key, value = _entry(text, line, column)
    if any(char in key for char in "[]{},"):
        return f"a value {what} must be quoted"
    shown = _quoted(_shorten(value))
    suggestion = f"{key}: {shown}" if key else shown
    return f"a value {what} must be quoted: {suggestion}"


def _last_scalar(scanned: list[_Scanned], before: Any) -> _Scanned | None:
    for item in reversed(scanned):
        if isinstance(item.token, ScalarToken) and item.token.start_mark.index < before.index:
            return item
    return None


def _previous(scanned: list[_Scanned], mark: Any) -> _Scanned | None:
    """The last token that starts before ``mark``."""
    previous = None
    for item in scanned:
        if item.token.start_mark.index < mark.index:
            previous = item
    return previous


def _value_path(item: _Scanned | None) -> tuple[str | int, ...] | None:
    if item is None or not item.path or item.path[0] == "key":
        return None
    return item.path


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained:
    """Where and what the syntax error ``exc`` raised on ``text`` is, in plain words."""
    scanned = _scan(text)
    explained = _explain(exc, text, scanned)
    if explained.path is None:
        # A mistake in a value: its field is the key written before it on its line.
        for item in reversed(scanned):
            token = item.token
            if (
                isinstance(token, ScalarToken)
                and item.path[:1] == ("key",)
                and token.start_mark.line == explained.line
                and token.start_mark.column < explained.column
            ):
                explained.path = item.path[1:]
                break
    return explained


def _explain(exc: yaml.MarkedYAMLError, text: str, scanned: list[_Scanned]) -> Explained:
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    assert mark is not None
    start = exc.context_mark

    # A quoted text never closed: found where its quote opens, not at the end of the file
    # (or, if another quote closes it lines later, not where the parser then stumbles).
    if context.startswith("while scanning a quoted scalar") and start is not None:
        return _unclosed_quote(text, start, scanned)
    previous = _previous(scanned, mark)
    if previous is not None and isinstance(previous.token, ScalarToken):
        token = previous.token
        if (
            token.style in ("'", '"')
            and token.start_mark.line != token.end_mark.line
            and mark.line == token.end_mark.line
        ):
            return _unclosed_quote(text, token.start_mark, scanned)

    row = _line(text, mark.line)
    indentation = row[: len(row) - len(row.lstrip(" \t"))]
    if "\t" in indentation:
        return Explained(mark.line, indentation.index("\t"), TAB_INDENTATION)
    if row.strip().startswith(": ") or row.strip() == ":":
        return Explained(
            mark.line,
            len(indentation),
            "':' with no field name before it; write 'field: value'",
        )

    if problem == "mapping values are not allowed here":
        value = _last_scalar(scanned, mark)
        if value is not None and value.token.start_mark.line == mark.line:
            at = value.token.start_mark
            return Explained(
                at.line,
                at.column,
                must_quote(text, at.line, at.column, "containing ': '"),
                _value_path(value),
            )
        row = _line(text, mark.line)
        column = len(row) - len(row.lstrip(" "))
        name = row.strip().split(":")[0]
        above = _value_path(value)
        field = f"'{above[-1]}'" if above else "the line above"
        return Explained(
            mark.line,
            column,
            f"'{name}:' is indented more than {field}, so it is read as part of that value; "
            "indent it like the lines above it (or, if it is part of the text, put the whole "
            "text in quotes)",
        )
    if problem.startswith("found character '\\t'"):
        return Explained(mark.line, mark.column, TAB_INDENTATION)
    if problem.startswith("found character") and "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else "?"
        return Explained(
            mark.line,
            mark.column,
            must_quote(text, mark.line, mark.column, f"starting with '{char}'"),
            _value_path(_last_scalar(scanned, mark)),
        )
    if context.startswith(
        ("while scanning an alias", "while scanning an anchor", "while scanning a tag")
    ):
        assert start is not None
        char = _line(text, start.line)[start.column : start.column + 1]
        return Explained(
            start.line,
            start.column,
            must_quote(text, start.line, start.column, f"starting with '{char}'"),
        )
    if context.startswith("while scanning a block scalar") and start is not None:
        char = _line(text, start.line)[start.column : start.column + 1]
        return Explained(
            start.line,
            start.column,
            must_quote(text, start.line, start.column, f"starting with '{char}'")
            + f"; for a block of text, write '{char}' alone and the text on the lines below it",
        )
    if context.startswith("while scanning a double-quoted scalar"):
        column = row.rfind("\\", 0, mark.column + 1)
        column = column if column >= 0 else mark.column
        message = (
            f"a backslash in double quotes starts an escape code ('{row[column : column + 2]}' "
            "here); write \\\\ for a backslash, or put the text in single quotes"
        )
        if start is not None and start.line == mark.line:
            key, written = _entry(text, start.line, start.column)
            if written.endswith('"') and "'" not in written:
                single = "'" + _shorten(written[1:-1]) + "'"
                message += f": {key}: {single}" if key else f": {single}"
        return Explained(mark.line, column, message)
    if problem == "sequence entries are not allowed here":
        return Explained(
            mark.line,
            mark.column,
            "a list item ('- ') cannot start on the line of its key; put it on the next line, "
            "indented, or put the value in quotes",
        )
    if context.startswith("while scanning a simple key") and start is not None:
        name = _shorten(_line(text, start.line)[start.column :].strip(), 30)
        return Explained(
            start.line,
            start.column,
            f"'{name}' has no ':' after it; write 'field: value' (or, if it continues the "
            "text above, indent it more than that text's field)",
        )
    if context.startswith(("while parsing a flow sequence", "while parsing a flow mapping")):
        assert start is not None
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        kind = "list" if opening == "[" else "mapping"
        return Explained(
            start.line,
            start.column,
            f"the {kind} that opens here with '{opening}' is not closed with '{closing}' "
            f"(or its items are not separated by commas); put the value in quotes if "
            f"'{opening}' is part of the text",
        )
    if problem.startswith(("expected <block end>", "expected the node content")):
        return _misplaced(text, exc, scanned)
    if context.startswith("while scanning a directive") or "YAML directive" in problem:
        at = start if start is not None else mark
        return Explained(
            at.line,
            0,
            "a line starting with '%' is a YAML directive, which campaign files do not use; "
            "remove it (or, if it is text, indent it under its field)",
        )
    if problem.startswith("expected '<document start>'"):
        return Explained(
            mark.line,
            mark.column,
            "this comes after the end of the YAML document (a '...' line, or an extra closing "
            "bracket before it); remove it or what ends the document early",
        )
    if "expected a single document" in context:
        return Explained(
            mark.line,
            mark.column,
            "several YAML documents ('---') in one file; keep one campaign per file",
        )
    return Explained(
        mark.line, mark.column, f"the YAML layout is broken here ({problem or context})"
    )


def _unclosed_quote(text: str, start: Any, scanned: list[_Scanned]) -> Explained:
    quote = _line(text, start.line)[start.column : start.column + 1] or '"'
    path = None
    for item in scanned:
        if isinstance(item.token, ScalarToken) and item.token.start_mark.index == start.index:
            path = _value_path(item)
    if path is None:
        before = _last_scalar(scanned, start)
        if before is not None and before.path and before.path[0] == "key":
            path = before.path[1:]
    return Explained(
        start.line,
        start.column,
        f"this text starts with a quotation mark ({quote}) that is not closed on its line; "
        f"end the text with {quote}",
        path,
    )


def _misplaced(text: str, exc: yaml.MarkedYAMLError, scanned: list[_Scanned]) -> Explained:
    """A token where the parser expected another: text after a closing quote or bracket, a
    line indented differently from its neighbours, a value starting with an indicator."""
    mark = exc.problem_mark
    assert mark is not None
    found = (exc.problem or "").rsplit("found ", 1)[-1].strip("'")
    previous = _previous(scanned, mark)
    if previous is not None and previous.token.end_mark.line == mark.line:
        token = previous.token
        if isinstance(token, ScalarToken) and token.style in ("'", '"'):
            at = token.start_mark
            return Explained(
                at.line,
                at.column,
                must_quote(text, at.line, at.column, f"starting with {token.style}").replace(
                    "must be quoted", f"must end with {token.style} or be quoted as a whole"
                ),
                _value_path(previous),
            )
        if isinstance(token, FlowSequenceEndToken | FlowMappingEndToken):
            opening = "[" if isinstance(token, FlowSequenceEndToken) else "{"
            row = _line(text, mark.line)
            column = row.find(opening)
            column = column if column >= 0 else mark.column
            return Explained(
                mark.line,
                column,
                must_quote(text, mark.line, column, f"starting with '{opening}'"),
            )
    if exc.problem and exc.problem.startswith("expected the node content"):
        char = _line(text, mark.line)[mark.column : mark.column + 1]
        return Explained(
            mark.line,
            mark.column,
            must_quote(text, mark.line, mark.column, f"starting with '{char}'"),
        )
    row = _line(text, mark.line)
    column = len(row) - len(row.lstrip(" "))
    if found != "<stream end>":
        message = (
            f"this line starts at column {column + 1}, which lines up with none of the "
            "entries above it; entries of one mapping or list start in the same column"
        )
        above = _entry_above(text, mark.line)
        if above is not None:
            line, at, key = above
            message += f" (the entry above, '{key}' on line {line + 1}, is at column {at + 1})"
        return Explained(mark.line, column, message)
    return Explained(mark.line, column, "the YAML layout is broken here")


def _entry_above(text: str, line: int) -> tuple[int, int, str] | None:
    """(line, column, key) of the nearest entry written above ``line``."""
    for above in range(line - 1, -1, -1):
        row = _line(text, above)
        content = row.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        column = len(row) - len(content)
        while content.startswith("- "):
            content = content[2:]
            column += 2 + len(content) - len(content.lstrip(" "))
            content = content.lstrip(" ")
        return above, column, _shorten(content.split(":")[0], 30)
    return None
