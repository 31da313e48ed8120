"""Validate stage: turn loaded data into a :class:`~briefgen.model.Campaign`, or say why not.

Every problem is reported with file, line, column and field; all problems are collected and
raised together in one :class:`~briefgen.errors.CampaignError`.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from . import citations, i18n, imports, leaks, markdown, pictures
from . import context as _context
from .errors import CampaignError, PictureError, Problem, did_you_mean
from .loader import Loaded, PathKey, format_path, load
from .model import LANGUAGES, Campaign, LocalText, Recipient, RecipientImport

_MARKDOWN_FIELDS = {"summary", "body", "note", "opening", "closing"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def load_campaign(path: Path) -> Campaign:
    """Load and validate the campaign file at ``path``.

    Raises :class:`CampaignError` listing every problem found.
    """
    loaded = load(Path(path))
    return validate(loaded)


def validate(loaded: Loaded) -> Campaign:
    """Validate ``loaded`` data against the campaign format and its cross-references.

    Recipient imports are read and expanded: the campaign returned lists every recipient.
    """
    return _validate(loaded)[1]


def _validate(loaded: Loaded) -> tuple[Campaign, Campaign]:
    """(the campaign as written, the campaign with its imports expanded)."""
    try:
        written = Campaign.model_validate(loaded.data)
    except ValidationError as exc:
        problems = [_translate(err, loaded) for err in exc.errors()]
        raise CampaignError(_sorted(problems)) from None
    problems = _cross_check(written, loaded)
    base = campaign_dir(loaded.path)
    entries = []
    positions = []  # the index in recipients: of each entry expanded
    for i, entry in enumerate(written.recipients):
        if isinstance(entry, RecipientImport):
            trouble = check_local_file(base, entry.source, {".csv", ".xml"}, "a CSV or XML file")
            if trouble:
                line, col = loaded.where(("recipients", i, "from"))
                problems.append(Problem(loaded.path, trouble, line, col, f"recipients[{i}].from"))
                continue
        entries.append(entry)
        positions.append(i)
    people, origins, import_problems = imports.expand(
        entries, base, loaded.path, written.campaign.language
    )
    problems += import_problems
    origins = [(positions[i], f, line) for i, f, line in origins]
    # Letters that would ask for nothing are looked for only once every reference resolves.
    problems += _recipient_checks(written, people, origins, loaded, letters=not problems)
    for path, secret in leaks.campaign_leaks(written):
        line, col = loaded.where(path)
        problems.append(
            Problem(
                loaded.path, f"this text {leaks.describe(secret)}", line, col, format_path(path)
            )
        )
    # Recipients imported from a file: their text (a note, say) is checked the same way,
    # and reported at their row of that file.
    imported = {k for k, (_index, _file, line) in enumerate(origins) if line is not None}
    if imported:
        expanded = written.model_copy(update={"recipients": people})
        for path, secret in leaks.campaign_leaks(expanded):
            if path[0] == "recipients" and path[1] in imported:
                _index, file, line = origins[int(path[1])]
                field = format_path(path[2:])
                problems.append(
                    Problem(
                        file,
                        f"recipient '{people[int(path[1])].id}': {field}: this text "
                        f"{leaks.describe(secret)}",
                        line,
                        1,
                    )
                )
    if problems:
        raise CampaignError(_sorted(problems))
    return written, written.model_copy(update={"recipients": people})


def check_file(path: Path, *, strict: bool = False) -> tuple[Campaign | None, list[Problem]]:
    """Validate the campaign at ``path`` as ``briefgen check`` does.

    Returns the campaign (``None`` if it is invalid) and every problem: errors, and warnings
    for missing translations (errors too when ``strict``).
    """
    try:
        loaded = load(Path(path))
        written, campaign = _validate(loaded)
    except CampaignError as exc:
        return None, exc.problems
    warnings = (
        translation_problems(written, campaign, loaded)
        + catalog_problems(campaign, loaded.path)
        + evidence_warnings(written, loaded)
    )
    if strict:
        warnings = [replace(w, severity="error") for w in warnings]
    return campaign, _sorted(warnings)


def iter_texts(model: BaseModel) -> list[tuple[PathKey, LocalText]]:
    """(path, text) of every translatable text field of ``model``, nested models included."""
    return _texts(model, ())


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


def translation_problems(written: Campaign, campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """A warning for every text field missing a language some document needs.

    The brief's own content needs every brief language; what letters print needs every
    letter language; a recipient's own fields need that letter's language (written once,
    they are taken to be in it).
    """
    brief = campaign.brief_languages
    letters = sorted({campaign.recipient_language(r) for r in campaign.people})
    both = sorted(set(brief) | set(letters))
    fallback = campaign.campaign.language
    problems = []
    for path, text in _texts(written, ()):
        head = path[0]
        if head in ("recipients", "joint_letters"):
            if head == "joint_letters":
                first = next(
                    r for r in campaign.people if r.id == campaign.joint_letters[int(path[1])].to[0]
                )
                own = first.language
            else:
                entry = written.recipients[int(path[1])]
                own = (
                    entry.defaults.language
                    if isinstance(entry, RecipientImport)
                    else entry.language
                )
            needed: list[str] = [own or fallback]
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
            state = (
                f"written once, in {fallback}"
                if text.plain is not None
                else f"translated into {', '.join(text.values)}"
            )
            problems.append(
                Problem(
                    loaded.path,
                    f"no translation into {', '.join(missing)} ({state}); "
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
        set(campaign.brief_languages) | {campaign.recipient_language(r) for r in campaign.people}
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


def _model_at(path: PathKey, data: Any) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path`` of ``data``."""
    model: Any = Campaign
    for k, part in enumerate(path):
        if isinstance(part, int):
            continue
        if path[: k + 2] and part == "recipients" and k + 1 < len(path):
            # A recipients entry is a recipient, or an import when it has "from".
            entry = _lookup(data, path[: k + 2])
            model = RecipientImport if isinstance(entry, dict) and "from" in entry else Recipient
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
    raw = [p for p in err["loc"] if not (isinstance(p, str) and "[" in p)]
    # Drop the union tag pydantic puts after a recipients index ("recipient" / "import").
    parts: list[str | int] = []
    for p in raw:
        if p in ("recipient", "import") and parts and isinstance(parts[-1], int):
            continue
        parts.append(p)
    loc: PathKey = tuple(parts)
    kind = err["type"]
    field = format_path(loc)
    value = _lookup(loaded.data, loc)
    if kind == "missing":
        line, col = loaded.where(loc[:-1])
        message = "required field missing"
        model = _model_at(loc[:-1], loaded.data)
        annotation = model.model_fields[str(loc[-1])].annotation if model else None
        if getattr(annotation, "__origin__", None) is Literal:
            message += f" (one of: {', '.join(annotation.__args__)})"  # type: ignore[union-attr]
        return Problem(loaded.path, message, line, col, field)
    if kind == "extra_forbidden":
        line, col = loaded.where(loc, key=True)
        model = _model_at(loc[:-1], loaded.data)
        known = sorted(model.model_fields) if model else []
        hint = did_you_mean(str(loc[-1]), known)
        message = "unknown field" + hint
        if known and not hint:
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

    for key in ("demands", "cases", "sources", "joint_letters"):
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
                add((*path, j), f"unknown {what} id '{ref}'{did_you_mean(ref, known)}")

    for i, demand in enumerate(campaign.demands):
        refs(("demands", i, "cases"), demand.cases, case_ids, "case")
    for i, case in enumerate(campaign.cases):
        refs(("cases", i, "sources"), case.sources, source_ids, "source")
    tags = {t for d in campaign.demands for t in d.tags}
    for i, joint in enumerate(campaign.joint_letters):
        refs(("joint_letters", i, "demands"), joint.demands, demand_ids, "demand")
        refs(("joint_letters", i, "demand_tags"), joint.demand_tags, tags, "demand tag")
    for i, entry in enumerate(campaign.recipients):
        if isinstance(entry, RecipientImport):
            refs(
                ("recipients", i, "defaults", "demands"),
                entry.defaults.demands,
                demand_ids,
                "demand",
            )
            refs(
                ("recipients", i, "defaults", "demand_tags"),
                entry.defaults.demand_tags,
                tags,
                "demand tag",
            )

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
            for offset, group in citations.find(data):
                for cite in group:
                    if cite.source not in source_ids:
                        line, col = _offset_position(loaded, path, data, offset)
                        problems.append(
                            Problem(
                                loaded.path,
                                f"citation of unknown source '{cite.source}'"
                                + did_you_mean(cite.source, source_ids),
                                line,
                                col,
                                format_path(path),
                            )
                        )

    walk(loaded.data, ())

    # Evidence: dates not after the campaign's, every status change sourced.
    today = campaign.campaign.date
    for i, source in enumerate(campaign.sources):
        if source.date > today:
            add(("sources", i, "date"), f"{source.date} is after the campaign date ({today})")
    for i, case in enumerate(campaign.cases):
        if case.last_verified and case.last_verified > today:
            add(
                ("cases", i, "last_verified"),
                f"{case.last_verified} is after the campaign date ({today})",
            )
        for j, change in enumerate(case.history):
            if change.date > today:
                add(
                    ("cases", i, "history", j, "date"),
                    f"{change.date} is after the campaign date ({today})",
                )
            if change.source is None:
                add(
                    ("cases", i, "history", j),
                    "status entry has no source; add "
                    "'source: <source id>' (a status change must be sourced)",
                )
            elif change.source not in source_ids:
                add(("cases", i, "history", j, "source"), f"unknown source id '{change.source}'")

    base = campaign_dir(loaded.path)
    for where, trouble in _picture_problems(campaign, base):
        add(where, trouble)
    if campaign.organisation.logo is not None and campaign.organisation.logo_alt is None:
        add(
            ("organisation", "logo"),
            "a logo needs 'logo_alt', its text alternative for "
            "screen readers (for example the organisation's name)",
        )
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


def _offset_position(
    loaded: Loaded, path: PathKey, text: str, offset: int
) -> tuple[int | None, int | None]:
    """The file position of character ``offset`` of the text value at ``path``.

    A multi-line value is a block scalar (``|``) whose text starts on the next line,
    indented two spaces more than its key.
    """
    line, col = loaded.where(path)
    if line is None:
        return None, None
    if "\n" not in text.rstrip("\n"):
        return line, (col or 1) + offset
    key_line, key_col = loaded.where(path, key=True)
    before = text[:offset]
    row = before.count("\n")
    return line + 1 + row, (key_col or 1) + 2 + len(before) - (before.rfind("\n") + 1)


def evidence_warnings(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """Warnings about sources and case status: stale or unverified status, sources never
    cited, two sources with one URL."""
    problems: list[Problem] = []

    def warn(path: PathKey, message: str) -> None:
        line, col = loaded.where(path)
        problems.append(
            Problem(loaded.path, message, line, col, format_path(path), severity="warning")
        )

    event = campaign.campaign.event.date
    limit = campaign.campaign.freshness_days
    for i, case in enumerate(campaign.cases):
        status, _as_of = case.current_status()
        if status is None or case.visibility == "withheld":
            continue
        if case.last_verified is None:
            warn(
                ("cases", i),
                "the status has no last_verified date; record when it was last checked",
            )
        elif (event - case.last_verified).days > limit:
            warn(
                ("cases", i, "last_verified"),
                f"status last verified on {case.last_verified}, "
                f"{(event - case.last_verified).days} days before the event ({event}); "
                f"verify it again (limit: {limit} days, campaign.freshness_days)",
            )
    _shown, referenced = _context.source_references(campaign, "restricted")
    seen_urls: dict[str, int] = {}
    for i, source in enumerate(campaign.sources):
        if source.id not in referenced:
            warn(("sources", i, "id"), f"source '{source.id}' is never cited")
        if source.url:
            if source.url in seen_urls:
                warn(("sources", i, "url"), f"same URL as sources[{seen_urls[source.url]}]")
            else:
                seen_urls[source.url] = i
    return problems


def _recipient_checks(
    campaign: Campaign,
    people: list[Recipient],
    origins: list[tuple[int, Path, int | None]],
    loaded: Loaded,
    *,
    letters: bool = True,
) -> list[Problem]:
    """Ids, demand references and joint letters, once imports are expanded; with
    ``letters``, also letters that would ask for nothing."""
    problems: list[Problem] = []
    demand_ids = {d.id for d in campaign.demands}
    tags = {t for d in campaign.demands for t in d.tags}

    def place(k: int, *field: str | int) -> tuple[Path, int | None, int | None, str | None]:
        index, file, line = origins[k]
        if line is None:
            where = loaded.where(("recipients", index, *field))
            return loaded.path, where[0], where[1], format_path(("recipients", index, *field))
        return file, line, 1, None

    first: dict[str, int] = {}
    for k, person in enumerate(people):
        if person.id in first:
            file, line, col, field = place(k, "id")
            other_file, other_line, _, _ = place(first[person.id], "id")
            other = "line " if other_file == file else f"{other_file.name} line "
            problems.append(
                Problem(
                    file,
                    f"duplicate recipient id '{person.id}' (first used on {other}{other_line})",
                    line,
                    col,
                    field,
                )
            )
        else:
            first[person.id] = k
        for key, known, what in (
            ("demands", demand_ids, "demand"),
            ("demand_tags", tags, "demand tag"),
        ):
            entry = campaign.recipients[origins[k][0]]
            # An imported recipient's defaults are checked once, on the import entry.
            given = getattr(entry.defaults, key) or [] if isinstance(entry, RecipientImport) else []
            for j, ref in enumerate(getattr(person, key) or []):
                if ref not in known and ref not in given:
                    file, line, col, field = place(k, key, j)
                    extra = did_you_mean(ref, known)
                    who = "" if field else f"recipient '{person.id}': "
                    problems.append(
                        Problem(file, f"{who}unknown {what} '{ref}'{extra}", line, col, field)
                    )
    by_id = {p.id: p for p in people}
    in_joint: dict[str, str] = {}
    for i, joint in enumerate(campaign.joint_letters):

        def add(path: PathKey, message: str) -> None:
            line, col = loaded.where(path)
            problems.append(Problem(loaded.path, message, line, col, format_path(path)))

        if joint.id in by_id:
            add(
                ("joint_letters", i, "id"),
                f"'{joint.id}' is also a recipient id; a joint "
                "letter needs an id of its own (it names the file)",
            )
        languages = set()
        for j, ref in enumerate(joint.to):
            if ref not in by_id:
                add(
                    ("joint_letters", i, "to", j),
                    f"unknown recipient id '{ref}'{did_you_mean(ref, by_id)}",
                )
                continue
            if ref in in_joint:
                add(
                    ("joint_letters", i, "to", j),
                    f"recipient '{ref}' is already in joint letter '{in_joint[ref]}'",
                )
            in_joint[ref] = joint.id
            languages.add(campaign.recipient_language(by_id[ref]))
        if len(languages) > 1:
            add(
                ("joint_letters", i, "to"),
                "the recipients of a joint letter must share a "
                f"language (here: {', '.join(sorted(languages))})",
            )
    if letters and not problems:
        problems += _empty_letters(campaign, people, place, loaded)
    return problems


def _empty_letters(
    campaign: Campaign, people: list[Recipient], place: Any, loaded: Loaded
) -> list[Problem]:
    """Letters that would ask for nothing: no demand chosen, or only restricted demands
    in a public letter."""
    from .plan import letters

    problems = []
    public = {d.id for d in campaign.demands if d.visibility == "public"}
    person = {p.id: k for k, p in enumerate(people)}
    joint = {j.id: i for i, j in enumerate(campaign.joint_letters)}
    for letter in letters(campaign.model_copy(update={"recipients": people})):
        if not letter.demands:
            why = "chooses no demand: it would ask for nothing"
        elif letter.edition == "public" and not public & set(letter.demands):
            why = (
                "is public but all its demands are restricted: it would ask for nothing "
                "(give it a public demand, or make its edition restricted)"
            )
        else:
            continue
        if letter.id in joint:
            path: PathKey = ("joint_letters", joint[letter.id], "demands")
            line, col = loaded.where(path)
            problems.append(
                Problem(loaded.path, f"this letter {why}", line, col, format_path(path))
            )
            continue
        source = letter.to[0]
        field_name = "demand_tags" if source.demand_tags and not source.demands else "demands"
        file, line, col, field = place(person[letter.id], field_name)
        who = "this letter" if field else f"the letter to '{letter.id}'"
        problems.append(Problem(file, f"{who} {why}", line, col, field))
    return problems


def _picture_problems(campaign: Campaign, base: Path) -> list[tuple[PathKey, str]]:
    """Why each picture the campaign names cannot be used, opened as the build will."""
    from .render import default_templates

    roots = [base, default_templates()]
    if campaign.campaign.templates:
        roots.insert(1, (base / campaign.campaign.templates).resolve())
    problems: list[tuple[PathKey, str]] = []
    for where, relative in pictures.campaign_pictures(campaign):
        problem: str | None = check_local_file(base, relative, IMAGE_SUFFIXES)
        if problem is None:
            try:
                pictures.check_picture(base / relative, roots)
            except PictureError as exc:
                problem = exc.reason
        if problem:
            problems.append((where, problem))
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
