"""Recipient imports: a CSV file, or the European Parliament's MEP "full list" XML export.

A campaign's ``recipients`` may hold entries such as ``- from: meps.xml`` with ``defaults``
and a ``filter``; validation expands them into ordinary recipients. Every problem names the
import file and its line (row).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import ValidationError

from . import names
from .errors import Problem, did_you_mean
from .loader import NotUtf8, decode
from .model import Recipient, RecipientImport

MAX_IMPORT_BYTES = 20 * 1024 * 1024

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
}
"""The columns a recipients CSV file may have (header names are case-insensitive)."""

EP_GROUPS = {
    "epp": "Group of the European People's Party (Christian Democrats)",
    "s&d": "Group of the Progressive Alliance of Socialists and Democrats in the European "
    "Parliament",
    "ecr": "European Conservatives and Reformists Group",
    "renew": "Renew Europe Group",
    "greens/efa": "Group of the Greens/European Free Alliance",
    "the left": "The Left group in the European Parliament - GUE/NGL",
    "gue/ngl": "The Left group in the European Parliament - GUE/NGL",
    "pfe": "Patriots for Europe Group",
    "esn": "Europe of Sovereign Nations Group",
    "ni": "Non-attached Members",
}
"""Short names of the Parliament's political groups (10th term), usable in filters."""

EP_DEFAULTS = {
    "en": (
        "Member of the European Parliament",
        "European Parliament",
        ["Rue Wiertz 60", "1047 Brussels", "Belgium"],
    ),
    "fr": (
        "Membre du Parlement européen",
        "Parlement européen",
        ["Rue Wiertz 60", "1047 Bruxelles", "Belgique"],
    ),
    "az": (
        "Avropa Parlamentinin üzvü",
        "Avropa Parlamenti",
        ["Rue Wiertz 60", "1047 Brüssel", "Belçika"],
    ),
}
"""Title, institution and postal address of an imported Member, by letter language."""

_LIST_SPLIT = re.compile(r"[\s,;]+")


class ImportError_(Exception):  # noqa: N801 - not the builtin ImportError
    """A located problem in an import file."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Row:
    """One record of an import file: where it is, its recipient fields, its filter values."""

    line: int
    number: int  # the row's (or Member's) number in the file, from 1
    fields: dict[str, Any]
    country: str | None = None
    group: str | None = None
    key: str | None = None  # a stable number from the source (the Parliament's MEP id)


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise ImportError_(None, f"file is larger than {MAX_IMPORT_BYTES // 1048576} MB")
    try:
        text = decode(path.read_bytes())
    except NotUtf8 as exc:
        raise ImportError_(exc.line, "file is not UTF-8 text; save it as 'CSV UTF-8'") from None
    if not text.strip():
        raise ImportError_(None, "file is empty")
    return text


def read_csv(path: Path) -> list[Row]:
    """The rows of a recipients CSV file (comma, semicolon or tab separated)."""
    text = _read_text(path)
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in next(reader)]
    for column in header:
        if column not in CSV_COLUMNS:
            hint = did_you_mean(column, CSV_COLUMNS)
            expected = f" (expected: {', '.join(CSV_COLUMNS)})"
            raise ImportError_(1, f"unknown column '{column}'" + (hint or expected))
    if "name" not in header:
        raise ImportError_(1, "the header has no 'name' column")
    rows: list[Row] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise ImportError_(
                line,
                f"row {len(rows) + 1} has {len(record)} fields, the header "
                f"has {len(header)} (a '{delimiter}' too many or too few?)",
            )
        fields: dict[str, Any] = {}
        for column, cell in zip(header, record, strict=True):
            value = cell.strip()
            if not value:
                continue
            if column == "address":
                fields[column] = [p.strip() for p in re.split(r"[\n;]", value) if p.strip()]
            elif column in ("demands", "demand_tags"):
                fields[column] = [p for p in _LIST_SPLIT.split(value) if p]
            elif column == "cc":
                fields[column] = [p.strip() for p in value.split(";") if p.strip()]
            else:
                fields[column] = value
        rows.append(Row(line, len(rows) + 1, fields))
    if not rows:
        raise ImportError_(None, "file has a header but no rows")
    return rows


def read_ep_xml(path: Path) -> list[Row]:
    """The Members in the Parliament's MEP "full list" XML export."""
    _read_text(path)  # size, encoding and emptiness, with the same messages as CSV
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise ImportError_(exc.lineno, f"not well-formed XML: {exc.msg}") from None
    if root.tag != "meps":
        raise ImportError_(
            root.sourceline,
            f"not the Parliament's MEP list: the root element is <{root.tag}>, expected <meps>",
        )
    rows: list[Row] = []
    for number, mep in enumerate(root.iter("mep"), 1):
        full = (mep.findtext("fullName") or "").strip()
        key = (mep.findtext("id") or "").strip()
        if not full or not key:
            missing = "fullName" if not full else "id"
            raise ImportError_(mep.sourceline, f"<mep> number {number} has no <{missing}>")
        country = (mep.findtext("country") or "").strip() or None
        name, family = names.ep_name(full, country)
        rows.append(
            Row(
                mep.sourceline,
                number,
                {"name": name, "family_name": family, "role": "mep"},
                country=country,
                group=(mep.findtext("politicalGroup") or "").strip(),
                key=key,
            )
        )
    if not rows:
        raise ImportError_(root.sourceline, "the list has no <mep> elements")
    return rows


def _filter(entry: RecipientImport, rows: list[Row]) -> list[Row]:
    wanted_countries = {c.casefold() for c in entry.filter.country}
    wanted_groups = {
        EP_GROUPS.get(g.casefold(), g).casefold() for g in entry.filter.political_group
    }
    countries = {r.country.casefold(): r.country for r in rows if r.country}
    groups = {r.group.casefold(): r.group for r in rows if r.group}
    for value in entry.filter.country:
        if value.casefold() not in countries:
            raise ImportError_(
                None,
                f"filter: no recipient from country '{value}'"
                + did_you_mean(value, countries.values()),
            )
    for value in entry.filter.political_group:
        if EP_GROUPS.get(value.casefold(), value).casefold() not in groups:
            raise ImportError_(
                None,
                f"filter: unknown political group '{value}' (expected a "
                f"group name from the file or one of: "
                f"{', '.join(k.upper() if len(k) < 5 else k for k in EP_GROUPS)})",
            )
    return [
        r
        for r in rows
        if (not wanted_countries or (r.country or "").casefold() in wanted_countries)
        and (not wanted_groups or (r.group or "").casefold() in wanted_groups)
    ]


def load_import(
    entry: RecipientImport, base: Path, language: str
) -> tuple[Path, list[tuple[Row, Recipient]]]:
    """Read, filter and validate the recipients of one import entry.

    Raises :class:`ImportError_` for the first problem, located in the import file.
    """
    path = (base / entry.source).resolve()
    kind = entry.format or ("ep-xml" if path.suffix.lower() == ".xml" else "csv")
    rows = read_ep_xml(path) if kind == "ep-xml" else read_csv(path)
    rows = _filter(entry, rows)
    given = entry.defaults
    defaults: dict[str, Any] = {
        name: getattr(given, name)
        for name in type(given).model_fields
        if getattr(given, name) not in (None, [])
    }
    language = defaults.get("language") or language
    if kind == "ep-xml":
        title, organisation, address = EP_DEFAULTS.get(str(language), EP_DEFAULTS["en"])
        defaults = {"title": title, "organisation": organisation, "address": address, **defaults}
    defaults.setdefault("role", "other")
    ids = Counter(r.fields.get("id") or names.slug(r.fields["name"]) for r in rows)
    people = []
    for row in rows:
        fields = {**defaults, **row.fields}
        if kind == "ep-xml" and given.role:
            fields["role"] = given.role
        if "id" not in row.fields:
            base_id = names.slug(row.fields["name"])
            fields["id"] = f"{base_id}-{row.key or row.line}" if ids[base_id] > 1 else base_id
        try:
            people.append((row, Recipient.model_validate(fields)))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            message = str(err["ctx"]["error"]) if err["type"] == "value_error" else err["msg"]
            what = f"<mep> number {row.number}" if kind == "ep-xml" else f"row {row.number}"
            raise ImportError_(row.line, f"{what}: {field}: {message}") from None
    return path, people


def expand(
    recipients: list[Any], base: Path, campaign_file: Path, language: str
) -> tuple[list[Recipient], list[tuple[int, Path, int | None]], list[Problem]]:
    """Replace import entries by the recipients they read.

    Returns the recipients, for each the origin (index of the campaign entry, file, line or
    ``None`` for a recipient written in the campaign), and the problems found.
    """
    people: list[Recipient] = []
    origins: list[tuple[int, Path, int | None]] = []
    problems: list[Problem] = []
    for index, entry in enumerate(recipients):
        if isinstance(entry, Recipient):
            people.append(entry)
            origins.append((index, campaign_file, None))
            continue
        path = (base / entry.source).resolve()
        try:
            path, imported = load_import(entry, base, language)
        except ImportError_ as exc:
            problems.append(
                Problem(path, exc.message, exc.line, 1 if exc.line else None, severity="error")
            )
            continue
        except OSError as exc:
            problems.append(Problem(path, f"cannot read file: {exc.strerror}"))
            continue
        for row, person in imported:
            people.append(person)
            origins.append((index, path, row.line))
    return people, origins, problems
