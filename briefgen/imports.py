"""Recipient imports: a CSV file, or the European Parliament's MEP "full list" XML export.

A campaign's ``recipients`` may hold entries such as ``- from: meps.xml`` with ``defaults``,
a ``filter``, ``exclude`` and ``overrides``; validation expands them into ordinary recipients.
Every problem is reported, each where it can be fixed: a cell of the import file (line and
column), or the campaign's import entry (an unknown id in ``exclude``, a bad override).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import ValidationError

from . import names
from .csvimport import CSV_COLUMNS, read_csv
from .errors import Problem, did_you_mean
from .loader import Loaded, NotUtf8, PathKey, decode, format_path
from .model import Recipient, RecipientImport

__all__ = ["CSV_COLUMNS", "EP_GROUPS", "Origin", "expand"]

MAX_IMPORT_BYTES = 20 * 1024 * 1024

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
EP_GROUP_NAMES = [
    "EPP",
    "S&D",
    "ECR",
    "Renew",
    "Greens/EFA",
    "The Left",
    "GUE/NGL",
    "PfE",
    "ESN",
    "NI",
]
"""The short names as people write them (in :data:`EP_GROUPS`' order)."""

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

REQUIRED = ("name", "address")
"""Fields every recipient needs that an import cannot make up (ids and roles have defaults)."""


class ImportError_(Exception):  # noqa: N801 - not the builtin ImportError
    """A problem that stops the reading of an import file."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Row:
    """One record of an import file: where it is, its recipient fields, its filter values."""

    line: int
    label: str  # how messages name it: "row 5", "<mep> number 12"
    fields: dict[str, Any]
    cells: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Where the value of each field is (line, column); empty for XML."""
    raw: Mapping[str, str] = field(default_factory=dict)
    """Each field's value as written (before trimming lists and lower-casing)."""
    country: str | None = None
    group: str | None = None
    key: str | None = None  # a stable number from the source (the Parliament's MEP id)


@dataclass(frozen=True)
class Origin:
    """Where a recipient was written: an entry of the campaign's ``recipients``, or a row of
    an import file (with the fields its import entry's ``overrides`` replaced)."""

    index: int
    """The entry of the campaign's ``recipients`` list."""
    file: Path
    line: int | None = None
    """The row's line in the import file; ``None`` for a recipient written in the campaign."""
    label: str = ""
    cells: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    override: str | None = None
    """The key of this recipient in its import entry's ``overrides``, if it has one."""
    overridden: frozenset[str] = frozenset()
    key: str | None = None
    """The source's own number for the person (the Parliament's MEP id)."""
    defaulted: frozenset[str] = frozenset()
    """The fields whose value is the import entry's ``defaults`` (written in the campaign)."""

    @property
    def imported(self) -> bool:
        """Whether the recipient comes from an import file."""
        return self.line is not None

    def where(self, loaded: Loaded, *path: str | int) -> tuple[Path, int | None, int | None, str]:
        """(file, line, column, what) of the recipient's field at ``path`` (nothing: the
        recipient itself); ``what`` names it in a message: ``recipients[2].email`` or
        ``row 5: email``. A value from the import's ``overrides`` or ``defaults`` is where
        the campaign file gives it."""
        if not self.imported:
            full: PathKey = ("recipients", self.index, *path)
            return (loaded.path, *loaded.where(full), format_path(full))
        if path and path[0] in self.overridden:
            full = ("recipients", self.index, "overrides", str(self.override), *path)
            return (loaded.path, *loaded.where(full), format_path(full))
        if path and path[0] in self.defaulted:
            full = ("recipients", self.index, "defaults", *path)
            return (loaded.path, *loaded.where(full), format_path(full))
        line, column = self.cells.get(str(path[0]), (self.line, 1)) if path else (self.line, 1)
        what = f"{self.label}: {path[0]}" if path else self.label
        return self.file, line, column, what

    def describe(self, loaded: Loaded) -> str:
        """The place in a few words, for a message about another recipient:
        ``campaign.yaml line 40``, ``people.csv row 5``, ``meps.xml <mep> number 12``."""
        file, line, _column, _what = self.where(loaded)
        if not self.imported:
            return f"{file.name} line {line}"
        return f"{file.name} {self.label}"


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


def _csv_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    rows, problems = read_csv(path, _read_text(path))
    found = []
    for r in rows:
        if "name" in r.fields:
            # A contact database's "Family, Given", the Parliament's "Given FAMILY".
            r.fields["name"], family = names.readable(r.fields["name"])
            if family and "family_name" not in r.fields:
                r.fields["family_name"] = family
        found.append(
            Row(
                r.line,
                f"row {r.number}",
                r.fields,
                {name: (cell.line, cell.column) for name, cell in r.cells.items()},
                {name: cell.text for name, cell in r.cells.items()},
            )
        )
    return found, problems


def read_ep_xml(path: Path) -> tuple[list[Row], list[Problem]]:
    """The Members in the Parliament's MEP "full list" XML export, and the problems found."""
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
    problems: list[Problem] = []
    for number, mep in enumerate(root.iter("mep"), 1):
        full = (mep.findtext("fullName") or "").strip()
        key = (mep.findtext("id") or "").strip()
        if not full or not key:
            missing = "fullName" if not full else "id"
            problems.append(
                Problem(path, f"<mep> number {number} has no <{missing}>", mep.sourceline, 1)
            )
            continue
        country = (mep.findtext("country") or "").strip() or None
        name, family = names.ep_name(full, country)
        rows.append(
            Row(
                mep.sourceline or 1,
                f"<mep> number {number} ({name})",
                {"name": name, "family_name": family, "role": "mep"},
                country=country,
                group=(mep.findtext("politicalGroup") or "").strip(),
                key=key,
            )
        )
    if not rows and not problems:
        raise ImportError_(root.sourceline, "the list has no <mep> elements")
    return rows, problems


def _filter(
    entry: RecipientImport, rows: list[Row], at: PathKey, loaded: Loaded, path: Path
) -> tuple[list[Row], list[Problem]]:
    """The rows ``entry.filter`` keeps, and a problem for each filter value that matches no
    row (at that value in the campaign file, the import entry ``at``)."""
    wanted_countries = {c.casefold() for c in entry.filter.country}
    wanted_groups = {
        EP_GROUPS.get(g.casefold(), g).casefold() for g in entry.filter.political_group
    }
    countries = {r.country.casefold(): r.country for r in rows if r.country}
    groups = {r.group.casefold(): r.group for r in rows if r.group}
    problems = []

    def unknown(key: str, j: int, message: str) -> None:
        where = (*at, "filter", key, j)
        line, column = loaded.where(where)
        problems.append(Problem(loaded.path, message, line, column, format_path(where)))

    for j, value in enumerate(entry.filter.country):
        if value.casefold() not in countries:
            known = sorted(countries.values())
            unknown(
                "country",
                j,
                f"no recipient in {path.name} is from '{value}'"
                + (
                    did_you_mean(value, known)
                    or (f" (its countries: {', '.join(known)})" if known else "")
                ),
            )
    for j, value in enumerate(entry.filter.political_group):
        if EP_GROUPS.get(value.casefold(), value).casefold() not in groups:
            hint = did_you_mean(value, [*EP_GROUP_NAMES, *groups.values()])
            unknown(
                "political_group",
                j,
                f"unknown political group '{value}'{hint} (expected a group name from "
                f"{path.name} or one of: {', '.join(EP_GROUP_NAMES)})",
            )
    kept = [
        r
        for r in rows
        if (not wanted_countries or (r.country or "").casefold() in wanted_countries)
        and (not wanted_groups or (r.group or "").casefold() in wanted_groups)
    ]
    return kept, problems


def _message(err: Any, raw: Any) -> str:
    """What is wrong with a value, in the words ``check`` uses for the campaign file."""
    kind = err["type"]
    name = str(err["loc"][0])
    shown = f"'{raw}'" if isinstance(raw, str) else "this value"
    if kind == "literal_error":
        expected = err["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        hint = did_you_mean(str(raw), expected.split(", ")) if isinstance(raw, str) else ""
        return f"unknown {name} {shown}{hint} (expected one of: {expected})"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if kind == "missing":
        if raw == "":  # an empty cell
            return f"empty: every recipient needs {'an' if name[0] in 'aeiou' else 'a'} {name}"
        return "required field missing"
    if kind == "too_short":
        return "must list at least one item"
    return str(err["msg"])


def _ids(rows: list[Row]) -> list[str]:
    """Each row's recipient id: its own, or a slug of its name (with the source's key or
    the line when two names give the same slug)."""
    made = Counter(names.slug(r.fields["name"]) for r in rows if "id" not in r.fields)
    found = []
    for row in rows:
        if "id" in row.fields:
            found.append(str(row.fields["id"]))
            continue
        base_id = names.slug(row.fields["name"])
        found.append(f"{base_id}-{row.key or row.line}" if made[base_id] > 1 else base_id)
    return found


def load_import(
    entry: RecipientImport, index: int, base: Path, language: str, loaded: Loaded
) -> tuple[Path, list[tuple[Recipient, Origin]], list[Problem]]:
    """Read, filter, correct and validate the recipients of the import entry ``index``.

    Returns the file, its recipients with their origins, and every problem found (in the
    file, or in the entry's ``exclude`` and ``overrides``). Raises :class:`ImportError_` for
    a problem that stops the reading of the file.
    """
    path = (base / entry.source).resolve()
    kind = entry.format or ("ep-xml" if path.suffix.lower() == ".xml" else "csv")
    rows, problems = read_ep_xml(path) if kind == "ep-xml" else _csv_rows(path)
    unnamed = [r for r in rows if not r.fields.get("name")]
    rows, mistaken = _filter(
        entry, [r for r in rows if r.fields.get("name")], ("recipients", index), loaded, path
    )
    problems += mistaken
    given = entry.defaults
    defaults: dict[str, Any] = {
        name: getattr(given, name)
        for name in type(given).model_fields
        if getattr(given, name) not in (None, [])
    }
    defaults.setdefault("role", "other")
    # A required field no row has and no default gives: said once, not once per row.
    absent = {
        f
        for f in REQUIRED
        if f not in defaults
        and not any(f in r.fields for r in rows)
        and not (kind == "ep-xml" and f == "address")
    }
    if rows or unnamed:
        for name in sorted(absent - {"name"}):
            problems.append(
                Problem(
                    path,
                    f"no '{name}' column, and the import gives no defaults.{name}: every "
                    f"recipient needs one (add the column, or '{name}' to the import's defaults)",
                    1,
                    1,
                )
            )
    for row in unnamed:
        if "name" not in row.cells:
            continue  # no name column: said once, at the header
        at_line, at_column = row.cells["name"]
        problems.append(
            Problem(
                path,
                "empty: every recipient needs a name",
                at_line,
                at_column,
                f"{row.label}: name",
            )
        )
    ids = _ids(rows)
    entry_path: PathKey = ("recipients", index)
    # An id left out by a mistaken filter is that mistake, not another one.
    for j, excluded in enumerate([] if mistaken else entry.exclude):
        if excluded not in ids:
            problems.append(_unknown(loaded, (*entry_path, "exclude", j), excluded, ids, path))
    for key in [] if mistaken else entry.overrides:
        if key not in ids:
            problems.append(_unknown(loaded, (*entry_path, "overrides", key), key, ids, path))
    people = []
    for row, recipient_id in zip(rows, ids, strict=True):
        if recipient_id in entry.exclude:
            continue
        override = entry.overrides.get(recipient_id)
        changes = {k: getattr(override, k) for k in override.model_fields_set} if override else {}
        fields = {**defaults, **row.fields, "id": recipient_id}
        if kind == "ep-xml" and given.role:
            fields["role"] = given.role
        fields.update(changes)
        defaulted = {
            name
            for name in type(given).model_fields
            if getattr(given, name) not in (None, [])
            and name not in changes
            and (name not in row.fields or (kind == "ep-xml" and name == "role"))
        }
        fields = {k: v for k, v in fields.items() if v is not None}  # "field: ~" removes it
        if kind == "ep-xml":  # the Parliament's title and address, in the letter's language
            ep = EP_DEFAULTS.get(str(fields.get("language") or language), EP_DEFAULTS["en"])
            for key, value in zip(("title", "organisation", "address"), ep, strict=True):
                fields.setdefault(key, value)
        origin = Origin(
            index,
            path,
            row.line,
            row.label,
            row.cells,
            recipient_id if override else None,
            frozenset(changes),
            row.key,
            frozenset(defaulted),
        )
        try:
            people.append((Recipient.model_validate(fields), origin))
        except ValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0])
                if err["type"] == "missing" and name in absent and name not in changes:
                    continue  # said once, at the header
                file, line, column, what = origin.where(loaded, *err["loc"][:2])
                raw = row.raw.get(name) if name not in changes else None
                if len(err["loc"]) > 1 and isinstance(row.fields.get(name), list):
                    raw = row.fields[name][int(err["loc"][1])]
                problems.append(Problem(file, _message(err, raw), line, column, what))
    return path, people, problems


def _unknown(loaded: Loaded, at: PathKey, value: str, ids: list[str], path: Path) -> Problem:
    """An id in ``exclude`` or ``overrides`` that the import does not give."""
    line, column = loaded.where(at, key=at[-2] == "overrides")
    return Problem(
        loaded.path,
        f"no recipient '{value}' among those {path.name} gives"
        + (
            did_you_mean(value, ids)
            or f" (its ids: {', '.join(ids[:6])}{', ...' if len(ids) > 6 else ''})"
        ),
        line,
        column,
        format_path(at),
    )


def expand(
    recipients: list[Any], loaded: Loaded, language: str
) -> tuple[list[Recipient], list[Origin], list[Problem]]:
    """Replace import entries by the recipients they read.

    ``recipients`` are the campaign's entries, each with its index in the campaign's list.
    Returns the recipients, where each was written, and the problems found.
    """
    base = loaded.path.resolve().parent
    people: list[Recipient] = []
    origins: list[Origin] = []
    problems: list[Problem] = []
    for index, entry in recipients:
        if isinstance(entry, Recipient):
            people.append(entry)
            origins.append(Origin(index, loaded.path))
            continue
        path = (base / entry.source).resolve()
        try:
            path, imported, found = load_import(entry, index, base, language, loaded)
        except ImportError_ as exc:
            problems.append(
                Problem(path, exc.message, exc.line, 1 if exc.line else None, severity="error")
            )
            continue
        except OSError as exc:
            problems.append(Problem(path, f"cannot read file: {exc.strerror}"))
            continue
        problems += found
        for person, origin in imported:
            people.append(person)
            origins.append(origin)
    return people, origins, problems
