"""Validate stage: turn loaded data into a :class:`~briefgen.model.Campaign`, or say why not.

Every problem is reported with file, line, column and field; all problems are collected and
raised together in one :class:`~briefgen.errors.CampaignError`.
"""

from __future__ import annotations

import difflib
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from . import i18n, markdown
from .errors import CampaignError, Problem
from .loader import Loaded, PathKey, format_path, load
from .model import LANGUAGES, Campaign, LocalText

_MARKDOWN_FIELDS = {"summary", "body", "note", "opening", "closing"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def load_campaign(path: Path) -> Campaign:
    """Load and validate the campaign file at ``path``.

    Raises :class:`CampaignError` listing every problem found.
    """
    loaded = load(Path(path))
    return validate(loaded)


def validate(loaded: Loaded) -> Campaign:
    """Validate ``loaded`` data against the campaign format and its cross-references."""
    try:
        campaign = Campaign.model_validate(loaded.data)
    except ValidationError as exc:
        problems = [_translate(err, loaded) for err in exc.errors()]
        raise CampaignError(_sorted(problems)) from None
    problems = _cross_check(campaign, loaded)
    if problems:
        raise CampaignError(_sorted(problems))
    return campaign


def check_file(path: Path, *, strict: bool = False) -> tuple[Campaign | None, list[Problem]]:
    """Validate the campaign at ``path`` as ``briefgen check`` does.

    Returns the campaign (``None`` if it is invalid) and every problem: errors, and warnings
    for missing translations (errors too when ``strict``).
    """
    try:
        loaded = load(Path(path))
        campaign = validate(loaded)
    except CampaignError as exc:
        return None, exc.problems
    warnings = translation_problems(campaign, loaded) + catalog_problems(campaign, loaded.path)
    if strict:
        warnings = [replace(w, severity="error") for w in warnings]
    return campaign, _sorted(warnings)


def _texts(model: BaseModel, path: PathKey) -> list[tuple[PathKey, LocalText]]:
    found: list[tuple[PathKey, LocalText]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, LocalText):
                found.append((where, item))
            elif isinstance(item, BaseModel):
                found.extend(_texts(item, where))
    return found


def translation_problems(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """A warning for every text field missing a language some document needs.

    The brief's own content needs every brief language; what letters print needs every
    letter language; a recipient's own fields need that letter's language (written once,
    they are taken to be in it).
    """
    brief = campaign.brief_languages
    letters = sorted({campaign.recipient_language(r) for r in campaign.recipients})
    both = sorted(set(brief) | set(letters))
    fallback = campaign.campaign.language
    problems = []
    for path, text in _texts(campaign, ()):
        head = path[0]
        if head == "recipients":
            recipient = campaign.recipients[int(path[1])]
            needed = [campaign.recipient_language(recipient)]
            missing = [lang for lang in needed if text.plain is None and lang not in text.values]
        else:
            if head in ("brief", "sources") or (head == "cases" and path[-1] != "name"):
                needed = brief
            elif head == "letter":
                needed = letters
            else:
                needed = both
            missing = text.missing(needed, fallback)
        if missing:
            line, col = loaded.where(path)
            written = (
                f"written once, in {fallback}"
                if text.plain is not None
                else f"translated into {', '.join(text.values)}"
            )
            problems.append(
                Problem(
                    loaded.path,
                    f"no translation into {', '.join(missing)} ({written}); "
                    f"write it as a mapping such as '{missing[0]}: ...'",
                    line,
                    col,
                    format_path(path),
                    severity="warning",
                )
            )
    return problems


def catalog_problems(campaign: Campaign, campaign_file: Path) -> list[Problem]:
    """A warning for every template message with no translation in a language in use.

    Covers briefgen's catalogs and the messages of the campaign's own template folder.
    """
    languages = sorted(
        set(campaign.brief_languages)
        | {campaign.recipient_language(r) for r in campaign.recipients}
    )
    own: dict[str, list[tuple[str, int]]] = {}
    if campaign.campaign.templates:
        folder = (campaign_dir(campaign_file) / campaign.campaign.templates).resolve()
        own = i18n.template_messages(folder)
    problems = []
    for language in languages:
        catalog = i18n.catalog_path(language)
        for line, msgid in i18n.missing_messages(language, set(own)):
            if msgid in own:
                filename, at = own[msgid][0]
                folder = campaign_dir(campaign_file) / str(campaign.campaign.templates)
                problems.append(
                    Problem(
                        folder / filename,
                        f"no {language} translation for "
                        f"{msgid!r} (briefgen's catalogs do not have it)",
                        at,
                        1,
                        severity="warning",
                    )
                )
            else:
                problems.append(
                    Problem(
                        catalog,
                        f"message {msgid!r} is not translated",
                        line or None,
                        1 if line else None,
                        severity="warning",
                    )
                )
    return problems


def campaign_dir(campaign_file: Path) -> Path:
    """The folder that relative paths in ``campaign_file`` are resolved against."""
    return Path(campaign_file).resolve().parent


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line or 0, p.column or 0))


def _lookup(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'" if len(str(value)) < 40 else "a text value"


def _model_at(path: PathKey) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path``."""
    model: Any = Campaign
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        for _ in range(3):
            args = getattr(annotation, "__args__", None)
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                break
            annotation = next((a for a in args or () if a is not type(None)), None)
        model = annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _translate(err: Any, loaded: Loaded) -> Problem:
    loc: PathKey = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
    kind = err["type"]
    field = format_path(loc)
    value = _lookup(loaded.data, loc)
    if kind == "missing":
        line, col = loaded.where(loc[:-1])
        message = "required field missing"
        model = _model_at(loc[:-1])
        annotation = model.model_fields[str(loc[-1])].annotation if model else None
        if getattr(annotation, "__origin__", None) is Literal:
            message += f" (one of: {', '.join(annotation.__args__)})"  # type: ignore[union-attr]
        return Problem(loaded.path, message, line, col, field)
    if kind == "extra_forbidden":
        line, col = loaded.where(loc, key=True)
        model = _model_at(loc[:-1])
        known = sorted(model.model_fields) if model else []
        hint = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        message = "unknown field"
        if hint:
            message += f" (did you mean '{hint[0]}'?)"
        elif known:
            message += f" (expected one of: {', '.join(known)})"
        return Problem(loaded.path, message, line, col, field)
    line, col = loaded.where(loc)
    if kind == "literal_error":
        expected = err["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        name = str(loc[-1])
        return Problem(
            loaded.path,
            f"unknown {name} {_describe(value)} (expected one of: {expected})",
            line,
            col,
            field,
        )
    if kind in ("string_type", "date_type", "date_from_datetime_parsing"):
        return Problem(
            loaded.path, f"expected a text value, got {_describe(value)}", line, col, field
        )
    if kind == "list_type":
        return Problem(
            loaded.path,
            f"expected a list ('- item' lines), got {_describe(value)}",
            line,
            col,
            field,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(
            loaded.path,
            f"expected a mapping (key: value lines), got {_describe(value)}",
            line,
            col,
            field,
        )
    if kind == "too_short":
        return Problem(loaded.path, "must list at least one item", line, col, field)
    if kind == "value_error":
        message = str(err["ctx"]["error"])
        return Problem(loaded.path, message, line, col, field)
    return Problem(loaded.path, err["msg"], line, col, field)  # pragma: no cover


def _cross_check(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: PathKey, message: str) -> None:
        line, col = loaded.where(path)
        problems.append(Problem(loaded.path, message, line, col, format_path(path)))

    for key in ("demands", "cases", "sources", "recipients"):
        first: dict[str, int] = {}
        for i, item in enumerate(getattr(campaign, key)):
            if item.id in first:
                line, _ = loaded.where((key, first[item.id], "id"))
                add((key, i, "id"), f"duplicate id '{item.id}' (first used on line {line})")
            else:
                first[item.id] = i

    case_ids = {c.id for c in campaign.cases}
    source_ids = {s.id for s in campaign.sources}
    demand_ids = {d.id for d in campaign.demands}

    def refs(path: PathKey, ids: list[str] | None, known: set[str], what: str) -> None:
        for j, ref in enumerate(ids or []):
            if ref not in known:
                hint = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
                extra = f" (did you mean '{hint[0]}'?)" if hint else ""
                add((*path, j), f"unknown {what} id '{ref}'{extra}")

    for i, demand in enumerate(campaign.demands):
        refs(("demands", i, "cases"), demand.cases, case_ids, "case")
    for i, case in enumerate(campaign.cases):
        refs(("cases", i, "sources"), case.sources, source_ids, "source")
    for i, recipient in enumerate(campaign.recipients):
        refs(("recipients", i, "demands"), recipient.demands, demand_ids, "demand")

    # Markdown fields: links must be absolute web or mail links.
    def walk(data: Any, path: PathKey) -> None:
        if isinstance(data, dict):
            for k, v in data.items():
                walk(v, (*path, k))
        elif isinstance(data, list):
            for j, v in enumerate(data):
                walk(v, (*path, j))
        elif (
            isinstance(data, str)
            and path
            and (
                path[-1] in _MARKDOWN_FIELDS
                or (len(path) > 1 and path[-1] in LANGUAGES and path[-2] in _MARKDOWN_FIELDS)
            )
        ):
            for message in markdown.link_problems(data):
                add(path, message)

    walk(loaded.data, ())

    base = campaign_dir(loaded.path)
    logo = campaign.organisation.logo
    if logo is not None:
        problem = check_local_file(base, logo, IMAGE_SUFFIXES)
        if problem:
            add(("organisation", "logo"), problem)
    reference = campaign.campaign.reference_docx
    if reference is not None:
        problem = check_local_file(base, reference, {".docx"}, "a Word document")
        if problem is None and not _is_docx(base / reference):
            problem = (
                f"'{reference}' is not a valid .docx file (save it from Word or "
                "LibreOffice as 'Word Document (.docx)')"
            )
        if problem:
            add(("campaign", "reference_docx"), problem)
    templates = campaign.campaign.templates
    if templates is not None:
        folder = (base / templates).resolve()
        if not folder.is_dir():
            add(("campaign", "templates"), f"templates folder '{templates}' does not exist")
    return problems


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return {"[Content_Types].xml", "word/document.xml"} <= names


def check_local_file(
    base: Path, relative: str, suffixes: set[str], kind: str = "an image"
) -> str | None:
    """Return why ``relative`` (a path written in the campaign) is unusable, or ``None``."""
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        return f"'{relative}' is outside the campaign folder"
    if not target.is_file():
        return f"file '{relative}' does not exist (paths are relative to the campaign file)"
    if target.suffix.lower() not in suffixes:
        return f"'{relative}' is not {kind} ({', '.join(sorted(suffixes))})"
    return None
