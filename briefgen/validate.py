"""Validate stage: turn loaded data into a :class:`~briefgen.model.Campaign`, or say why not.

Every problem is reported with file, line, column and field; all problems are collected and
raised together in one :class:`~briefgen.errors.CampaignError`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from . import citations, duplicates, figures, i18n, imports, leak_check, pictures, textcheck
from . import context as _context
from . import reference as _reference
from .errors import CampaignError, PictureError, Problem, did_you_mean
from .loader import Loaded, PathKey, format_path, load
from .model import Campaign, LocalText, Recipient, RecipientImport
from .translations import translation_problems

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
REFERENCE_SUFFIXES = {".docx", ".dotx"}
"""A Word document or a Word template (a letterhead is often saved as one)."""


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


def _validate(loaded: Loaded) -> tuple[Campaign, Campaign, list[Problem]]:
    """(the campaign as written, the campaign with its imports expanded, warnings found on
    the way: unknown columns of an import file, possible duplicates, the leak guard's)."""
    try:
        written = Campaign.model_validate(loaded.data)
    except ValidationError as exc:
        problems = [_translate(err, loaded) for err in exc.errors()]
        raise CampaignError(_sorted(problems, loaded.path)) from None
    problems = _cross_check(written, loaded)
    base = campaign_dir(loaded.path)
    entries = []
    for i, entry in enumerate(written.recipients):
        if isinstance(entry, RecipientImport):
            trouble = check_local_file(base, entry.source, {".csv", ".xml"}, "a CSV or XML file")
            if trouble:
                line, col = loaded.where(("recipients", i, "from"))
                problems.append(Problem(loaded.path, trouble, line, col, f"recipients[{i}].from"))
                continue
        entries.append((i, entry))
    people, origins, found = imports.expand(entries, loaded, written.campaign.language)
    problems += [p for p in found if p.severity == "error"]
    warnings = [p for p in found if p.severity != "error"]
    # Text read from import files (and every copy): the rules the campaign file's text meets.
    problems += textcheck.imported_problems(
        people, origins, loaded, {s.id for s in written.sources}
    )
    # Letters that would ask for nothing are looked for only once every reference resolves.
    problems += _recipient_checks(written, people, origins, loaded, letters=not problems)
    found = duplicates.one_letter_each(written, people, origins, loaded)
    problems += [p for p in found if p.severity == "error"]
    warnings += [p for p in found if p.severity != "error"]
    expanded = written.model_copy(update={"recipients": people})
    found = leak_check.leak_problems(written, expanded, origins, loaded)
    problems += [p for p in found if p.severity == "error"]
    warnings += [p for p in found if p.severity != "error"]
    if problems:
        raise CampaignError(_sorted(problems + warnings, loaded.path))
    return written, expanded, warnings


def check_file(path: Path, *, strict: bool = False) -> tuple[Campaign | None, list[Problem]]:
    """Validate the campaign at ``path`` as ``briefgen check`` does.

    Returns the campaign (``None`` if it is invalid) and every problem: errors, and warnings
    for missing translations (errors too when ``strict``).
    """
    try:
        loaded = load(Path(path))
        written, campaign, found = _validate(loaded)
    except CampaignError as exc:
        return None, exc.problems
    warnings = (
        found
        + translation_problems(written, campaign, loaded)
        + catalog_problems(campaign, loaded.path)
        + evidence_warnings(written, loaded)
    )
    if strict:
        warnings = [replace(w, severity="error") for w in warnings]
    return campaign, _sorted(warnings, loaded.path)


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


def catalog_problems(campaign: Campaign, campaign_file: Path) -> list[Problem]:
    """A warning for every template message with no translation in a language in use.

    Covers briefgen's catalogs and the messages of the campaign's own template folder.
    """
    from .plan import letters

    languages = sorted(
        set(campaign.brief_languages) | {letter.language for letter in letters(campaign)}
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


def _sorted(problems: list[Problem], first: Path | None = None) -> list[Problem]:
    """Each problem once, file by file (``first``, then in the order met), by line and
    column."""
    unique = list(dict.fromkeys(problems))
    files = {p.file: n for n, p in reversed(list(enumerate(unique)))}
    files[first or Path()] = -1
    return sorted(unique, key=lambda p: (files[p.file], p.line or 0, p.column or 0))


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
    keyed = False  # the part before was a mapping of ids ("overrides"): this part is an id
    for k, part in enumerate(path):
        if isinstance(part, int) or keyed:
            keyed = False
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
        keyed = getattr(annotation, "__origin__", None) is dict
        for _ in range(3):
            args = getattr(annotation, "__args__", None)
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                break
            annotation = next((a for a in reversed(args or ()) if a is not type(None)), None)
        model = annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _location(loc: tuple[Any, ...], data: Any) -> PathKey:
    """The path of pydantic's error location ``loc`` in the campaign ``data``.

    pydantic puts the names of its validators and union members in the location
    (``function-after[...]``, ``recipient`` / ``import`` after a recipients index); a key of
    the file is kept as written, brackets and all (``notes[1]``, ``web[site]``).
    """
    parts: list[str | int] = []
    for p in loc:
        is_key = isinstance(data, dict) and p in data
        if not is_key and isinstance(p, str):
            if "[" in p:
                continue
            if p in ("recipient", "import") and parts and isinstance(parts[-1], int):
                continue
        parts.append(p)
        if is_key or (isinstance(data, list) and isinstance(p, int) and 0 <= p < len(data)):
            data = data[p]
        else:
            data = None
    return tuple(parts)


def _translate(err: Any, loaded: Loaded) -> Problem:
    loc: PathKey = _location(tuple(err["loc"]), loaded.data)
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
            given: list[tuple[PathKey, Any]] = [(("defaults",), entry.defaults)]
            given += [(("overrides", key), fix) for key, fix in entry.overrides.items()]
            for where, values in given:
                at = ("recipients", i, *where)
                refs((*at, "demands"), values.demands, demand_ids, "demand")
                refs((*at, "demand_tags"), values.demand_tags, tags, "demand tag")

    # Text fields: links and citations in Markdown, no citation in plain text (see textcheck).
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
                    add(path, message)
                    continue
                line, col = _offset_position(loaded, path, data, offset)
                problems.append(Problem(loaded.path, message, line, col, format_path(path)))

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
                add(
                    ("cases", i, "history", j, "source"),
                    f"unknown source id '{change.source}'"
                    + did_you_mean(change.source, source_ids),
                )

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
        problem = check_local_file(base, reference, REFERENCE_SUFFIXES, "a Word document")
        if problem:
            add(("campaign", "reference_docx"), problem)
        else:  # opened as the DOCX writer opens it: check refuses what a build would
            for message in _reference.problems((base / reference).resolve(), reference, campaign):
                add(("campaign", "reference_docx"), message)
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
    languages = [*campaign.brief_languages, *map(campaign.recipient_language, campaign.people)]
    languages = list(dict.fromkeys(languages))
    for i, j, language, form in citations.short_form_clashes(
        campaign.sources, languages, campaign.campaign.language
    ):
        warn(
            ("sources", i, "title"),
            f'cited again, this source and sources[{j}] would both read "{form}" '
            f"({language}); give one of them a short_title that tells them apart",
        )
    return problems


def _recipient_checks(
    campaign: Campaign,
    people: list[Recipient],
    origins: list[imports.Origin],
    loaded: Loaded,
    *,
    letters: bool = True,
) -> list[Problem]:
    """Ids, demand references and joint letters, once imports are expanded; with
    ``letters``, also letters that would ask for nothing."""
    problems: list[Problem] = []
    demand_ids = {d.id for d in campaign.demands}
    tags = {t for d in campaign.demands for t in d.tags}

    first: dict[str, int] = {}
    for k, person in enumerate(people):
        origin = origins[k]
        if person.id in first:
            file, line, col, field = origin.where(loaded, "id")
            other = origins[first[person.id]].describe(loaded)
            if other.startswith(f"{file.name} line "):
                other = other[len(file.name) + 1 :]
            problems.append(
                Problem(
                    file,
                    f"duplicate recipient id '{person.id}' (first used on {other})",
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
            entry = campaign.recipients[origin.index]
            # An imported recipient's defaults and overrides are checked once, on the import
            # entry.
            given = getattr(entry.defaults, key) or [] if isinstance(entry, RecipientImport) else []
            if key in origin.overridden:
                continue
            for j, ref in enumerate(getattr(person, key) or []):
                if ref not in known and ref not in given:
                    file, line, col, field = origin.where(loaded, key, j)
                    extra = did_you_mean(ref, known)
                    problems.append(
                        Problem(file, f"unknown {what} '{ref}'{extra}", line, col, field)
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
        languages: dict[str, list[str]] = {}
        editions: dict[str, list[str]] = {}
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
            languages.setdefault(campaign.recipient_language(by_id[ref]), []).append(ref)
            editions.setdefault(by_id[ref].edition, []).append(ref)
        problems.extend(_joint_mix(joint, i, languages, editions, loaded))
    if letters and not problems:
        problems += _empty_letters(campaign, people, origins, loaded)
    return problems


def _joint_mix(
    joint: Any,
    index: int,
    languages: dict[str, list[str]],
    editions: dict[str, list[str]],
    loaded: Loaded,
) -> list[Problem]:
    """A joint letter whose recipients read different languages, or are some restricted and
    some public, must say which language and edition it is: nothing is chosen silently."""
    problems = []
    path: PathKey = ("joint_letters", index, "to")
    line, col = loaded.where(path)

    def who(groups: dict[str, list[str]]) -> str:
        return "; ".join(f"{key}: {', '.join(refs)}" for key, refs in sorted(groups.items()))

    if joint.language is None and len(languages) > 1:
        choices = " or ".join(f"'language: {lang}'" for lang in sorted(languages))
        problems.append(
            Problem(
                loaded.path,
                f"the recipients of this joint letter read different languages ({who(languages)}"
                f"); add {choices} to the joint letter: one letter is written in one language",
                line,
                col,
                format_path(path),
            )
        )
    if joint.edition is None and len(editions) > 1:
        problems.append(
            Problem(
                loaded.path,
                f"this joint letter goes to restricted and public recipients ({who(editions)}); "
                "add 'edition: public' to the joint letter (all of them get the public letter, "
                "without restricted material) or 'edition: restricted' (all of them, the public "
                "recipients too, get the restricted material), or write them separate letters",
                line,
                col,
                format_path(path),
            )
        )
    return problems


def _empty_letters(
    campaign: Campaign, people: list[Recipient], origins: list[imports.Origin], loaded: Loaded
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
        file, line, col, field = origins[person[letter.id]].where(loaded, field_name)
        problems.append(Problem(file, f"this letter {why}", line, col, field))
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
                width = figures.print_width_at(where, base / relative, roots)
                pictures.check_picture(base / relative, roots, width_mm=width)
            except PictureError as exc:
                problem = exc.reason
        if problem:
            problems.append((where, problem))
    return problems


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
