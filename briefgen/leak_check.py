"""The leak guard at ``check`` time: located problems for text that names a confidential case.

Each mention is reported at the line and column where it stands: in the campaign file, or
in the row and column of an imported CSV file. ``campaign.leak_allow`` entries are checked
too: an entry must point at a confidential case and give a reason; one that allows nothing
is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import leaks
from . import names_guard as ng
from .errors import Problem, did_you_mean
from .imports import Origin
from .loader import Loaded, PathKey, decode, format_path
from .model import Campaign, Recipient, RecipientImport


def position(source: str, begin: int, value: str, offset: int) -> int:
    """The offset in ``source`` of character ``offset`` of ``value``, a value written at or
    after ``begin`` (as a plain, quoted or block scalar, or a CSV cell)."""
    exact = source.find(value, begin, begin + len(value) + 400)
    if exact >= 0:
        return exact + offset
    at = begin
    for index, char in enumerate(value[: offset + 1]):
        if char.isspace():
            continue
        found = source.find(char, at, at + 40)  # past indentation, quotes and escapes
        if found >= 0:
            at = found + (0 if index == offset else 1)
    return at


def line_column(source: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``source``."""
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, offset) + 1, offset - line_start + 1


def _yaml_place(
    loaded: Loaded, path: PathKey, value: str, offset: int
) -> tuple[int | None, int | None]:
    line, column = loaded.where(path)
    source = loaded.text
    if line is None or not source:
        return line, column
    begin = 0
    for _ in range(line - 1):
        begin = source.find("\n", begin) + 1
        if begin == 0:
            return line, column
    return line_column(source, position(source, begin + (column or 1) - 1, value, offset))


@dataclass(frozen=True)
class _Record:
    first: int  # first and last line of the record
    last: int
    cells: list[tuple[int, int]]  # (start, end) offsets of each cell in the file's text


def _csv_records(text: str) -> list[_Record]:
    """Every record of a CSV text with where its cells are (the delimiter is found as
    :func:`briefgen.imports.read_csv` finds it)."""
    delimiter = max(",;\t", key=text.splitlines()[0].count) if text.strip() else ","
    records: list[_Record] = []
    i, line = 0, 1
    while i < len(text):
        first, cells, start, quoted = line, [], i, False
        while i < len(text):
            char = text[i]
            if quoted:
                if char == '"' and text[i + 1 : i + 2] == '"':
                    i += 1
                elif char == '"':
                    quoted = False
                elif char == "\n":
                    line += 1
            elif char == '"':
                quoted = True
            elif char == delimiter:
                cells.append((start, i))
                start = i + 1
            elif char in "\r\n":
                break
            i += 1
        cells.append((start, i))
        records.append(_Record(first, line, cells))
        if text[i : i + 2] == "\r\n":
            i += 1
        i += 1
        line += 1
    return records


def _csv_place(
    file: Path, row_line: int, column: str, value: str, offset: int
) -> tuple[int, int] | None:
    """The (line, column) of character ``offset`` of ``value`` in the cell of ``column`` of
    the record that starts (or ends) at line ``row_line`` of CSV ``file`` (None if it is not
    found)."""
    try:
        text = decode(file.read_bytes())
        records = _csv_records(text)
    except (OSError, ValueError):
        return None
    header = [
        text[a:b].strip().strip('"').strip().lower().replace(" ", "_").replace("-", "_")
        for a, b in records[0].cells
    ]
    for record in records[1:]:
        if row_line in (record.first, record.last) and column in header:
            begin, _end = record.cells[header.index(column)]
            return line_column(text, position(text, begin, value, offset))
    return None


def _message(mention: ng.Mention) -> str:
    who = mention.person
    if mention.warning:
        return (
            f"this text has the given name of the {who.visibility} case {leaks.label(who)}, "
            "a common name: if it means that person, remove it; if not, declare it in "
            "campaign.leak_allow (text, case, reason)"
        )
    return f"this text {leaks.describe(mention)}; {leaks.remedy(mention)}"


def leak_problems(
    written: Campaign, expanded: Campaign, origins: list[Origin], loaded: Loaded
) -> list[Problem]:
    """Errors and warnings (common given names, allow entries) about confidential names in
    the campaign's text; ``expanded`` has its recipient imports read (``origins`` says where
    each recipient comes from)."""
    problems = _allow_problems(written, loaded)
    used: set[tuple[int, str]] = set()
    for finding in leaks.campaign_findings(expanded):
        mention, text = finding.mention, finding.text
        if mention.allowed is not None:
            used.add((mention.person.index, mention.allowed))
        if mention.other or mention.allowed is not None:
            continue
        severity = "warning" if mention.warning else "error"
        path = text.path
        if path[0] == "recipients":
            problems.append(
                _recipient_problem(written, expanded, origins, loaded, finding, severity)
            )
            continue
        line, column = _yaml_place(loaded, path, text.value, mention.first)
        problems.append(
            Problem(
                loaded.path,
                _message(mention),
                line,
                column,
                format_path(path),
                severity=severity,
            )
        )
    refused = {p.field.split("]")[0] for p in problems if p.field}  # "campaign.leak_allow[3"
    problems += [
        p for p in _unused(written, loaded, used) if (p.field or "").split("]")[0] not in refused
    ]
    return problems


def _recipient_problem(
    written: Campaign,
    expanded: Campaign,
    origins: list[Origin],
    loaded: Loaded,
    finding: leaks.Finding,
    severity: str,
) -> Problem:
    mention, text = finding.mention, finding.text
    origin = origins[int(text.path[1])]
    rest = text.path[2:]
    field = str(rest[0]) if rest else ""

    def in_campaign(path: PathKey) -> Problem:
        line, column = _yaml_place(loaded, path, text.value, mention.first)
        return Problem(
            loaded.path, _message(mention), line, column, format_path(path), severity=severity
        )

    if not origin.imported:
        return in_campaign(("recipients", origin.index, *rest))
    if field in origin.overridden:
        return in_campaign(("recipients", origin.index, "overrides", str(origin.override), *rest))
    entry = written.recipients[origin.index]
    assert isinstance(entry, RecipientImport)
    person = expanded.recipients[int(text.path[1])]
    assert isinstance(person, Recipient)
    default = getattr(entry.defaults, field, None)
    if default is not None and default == getattr(person, field):
        return in_campaign(("recipients", origin.index, "defaults", *rest))
    file, line, column, what = origin.where(loaded, *rest)
    if origin.line is not None and (
        entry.format == "csv" or (entry.format is None and file.suffix.lower() == ".csv")
    ):  # at the mention itself, inside its cell
        line, column = _csv_place(file, origin.line, field, text.value, mention.first) or (
            line,
            column,
        )
    return Problem(file, f"{what}: {_message(mention)}", line, column, severity=severity)


def _allow_problems(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []
    cases = {case.id: case for case in leaks.guarded(campaign)}  # earlier rounds' too

    def add(path: PathKey, message: str) -> None:
        line, column = loaded.where(path)
        problems.append(Problem(loaded.path, message, line, column, format_path(path)))

    for i, entry in enumerate(campaign.campaign.leak_allow):
        where = ("campaign", "leak_allow", i)
        if entry.case not in cases:
            add(
                (*where, "case"), f"unknown case id '{entry.case}'{did_you_mean(entry.case, cases)}"
            )
            continue
        case = cases[entry.case]
        if case.visibility == "public":
            add(
                (*where, "case"),
                f"case '{entry.case}' is public: its name may be printed anywhere; remove "
                "this entry",
            )
            continue
        who = ng.person(case.index, case.visibility, case.names)
        tokens = ng.words(entry.text).tokens
        named = {t.text for t in tokens if t.text in who.words}
        if len(named) > 1 and all(
            t.text in who.words or t.text in ng.TITLES or t.initial for t in tokens
        ):
            add(
                (*where, "text"),
                f"this is the name of {case.label} itself, which no allow entry "
                "can excuse; quote the words around it that show who or what is meant",
            )
    return problems


def _unused(campaign: Campaign, loaded: Loaded, used: set[tuple[int, str]]) -> list[Problem]:
    problems = []
    cases = {case.id: case for case in leaks.guarded(campaign)}
    for i, entry in enumerate(campaign.campaign.leak_allow):
        case = cases.get(entry.case)
        if case is None or case.visibility == "public":
            continue
        index = case.index
        forms = {
            " ".join(t.text for t in ng.words(entry.text, schwa).tokens)
            for schwa in ng.schwas(entry.text)
        }
        if not any((index, form) in used for form in forms):
            line, column = loaded.where(("campaign", "leak_allow", i))
            problems.append(
                Problem(
                    loaded.path,
                    f"this entry allows nothing: no text of the campaign names {case.label} "
                    "with these words; remove it (or keep it if a template prints them)",
                    line,
                    column,
                    f"campaign.leak_allow[{i}]",
                    severity="warning",
                )
            )
    return problems


__all__ = ["leak_problems", "line_column", "position"]
