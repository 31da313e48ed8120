"""Validate stage: turn loaded data into a :class:`~briefgen.model.Campaign`, or say why not.

The checks (:mod:`briefgen.checks`) run in passes: the campaign format first, then the
campaign as written (references, text, evidence, files), then, once its imports are read,
its recipients; ``briefgen check`` adds the warnings of a last pass. Every problem is
reported with file, line, column and field; all problems are collected and raised together
in one :class:`~briefgen.errors.CampaignError`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import imports, later_rounds, rounds_check
from .checks import (
    Check,
    Found,
    Subject,
    catalogs,
    evidence,
    files,
    found,
    references,
    run,
    schema,
    texts,
)
from .checks import recipients as recipient_checks
from .errors import CampaignError, Problem, split
from .loader import Loaded, load
from .model import Campaign
from .project import campaign_dir
from .translations import translation_problems

WRITTEN: tuple[Check, ...] = (
    references.duplicate_ids,
    references.references,
    texts.text_fields,
    evidence.dates_and_sources,
    files.pictures,
    files.reference_docx,
    files.templates,
)
"""The main pass on the campaign as written (its imports not read)."""

RECIPIENTS: tuple[Check, ...] = (
    texts.imported_texts,
    recipient_checks.recipients,
    recipient_checks.one_letter_each,
)
"""The main pass once the imports are read, before the leak guard."""


def _rounds(subject: Subject) -> Found:
    """The rounds before this one: read, attached to the campaign, and checked against it."""
    assert subject.expanded is not None
    return found(
        rounds_check.link(subject.written, subject.expanded, subject.loaded, _earlier_round)
    )


ROUNDS: tuple[Check, ...] = (_rounds,)
"""Before the leak guard: it knows the names of every round (see :mod:`briefgen.rounds`)."""

GUARD: tuple[Check, ...] = (recipient_checks.leaks,)
"""Last of the main pass: the leak guard, which knows every name the campaign prints."""


def _translations(subject: Subject) -> Found:
    return found(translation_problems(subject.written, subject.campaign, subject.loaded))


AFTER: tuple[Check, ...] = (_translations, catalogs.catalogs, evidence.warnings)
"""Warnings ``briefgen check`` adds (errors too with ``--strict``)."""


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
    return _validate(loaded)[0].campaign


def _earlier_round(loaded: Loaded) -> Campaign:
    """An earlier round, validated as a campaign of its own (without its own rounds: the
    chain is read from the latest). Raises :class:`CampaignError`."""
    return _validate(loaded, rounds=False)[0].campaign


def _validate(loaded: Loaded, *, rounds: bool = True) -> tuple[Subject, list[Problem]]:
    """The checked campaign (as written, and with its imports expanded) and the warnings
    found on the way (unknown columns of an import file, possible duplicates, the leak
    guard's); raises :class:`CampaignError` with every error and warning if it is invalid.

    With ``rounds``, the earlier rounds the campaign names are read and attached to it (see
    :mod:`briefgen.rounds`); without, they are not (an earlier round is read so)."""
    written, problems = schema.campaign(loaded)
    if written is None:
        raise CampaignError(_sorted(problems, loaded.path))
    later: list[Problem] = []
    if rounds:  # an earlier round read from a later one: that round decides visibility
        written, later = _later_rounds(loaded, written)
    subject = Subject(loaded, written, campaign_dir(loaded.path))
    errors, warnings = run(WRITTEN, subject)
    warnings = later + warnings
    more_errors, more_warnings = _read_imports(subject)
    errors += more_errors
    warnings += more_warnings
    for checks in (RECIPIENTS, ROUNDS if rounds else (), GUARD):
        more_errors, more_warnings = run(checks, subject)
        errors += more_errors
        warnings += more_warnings
    if errors:
        raise CampaignError(_sorted(errors + warnings, loaded.path))
    return subject, warnings


def _later_rounds(loaded: Loaded, written: Campaign) -> tuple[Campaign, list[Problem]]:
    """``written`` with each case as strict as a later round beside it makes it (see
    :mod:`briefgen.later_rounds`), and a warning at each case made stricter."""
    later = later_rounds.later_visibility(loaded.path)
    stricter, raised = later_rounds.apply(written, later)
    warnings = []
    for i in raised:
        case = written.cases[i]
        now = later[case.id]
        line, column = loaded.where(("cases", i, "visibility"))
        warnings.append(
            Problem(
                loaded.path,
                f"this case is {now.visibility} in the later round '{now.file.name}' "
                f"(visibility is today's): this round's documents treat it as {now.visibility}",
                line,
                column,
                f"cases[{i}].visibility",
                severity="warning",
            )
        )
    return stricter, warnings


def _read_imports(subject: Subject) -> Found:
    """Read the recipients' import files: ``subject`` gets every recipient."""
    entries, problems = files.import_files(subject)
    language = subject.written.campaign.language
    people, origins, read = imports.expand(entries, subject.loaded, language)
    subject.people, subject.origins = people, origins
    subject.expanded = subject.written.model_copy(update={"recipients": people})
    errors, warnings = split(read)
    subject.errors += len(problems) + len(errors)
    return problems + errors, warnings


def check_file(path: Path, *, strict: bool = False) -> tuple[Campaign | None, list[Problem]]:
    """Validate the campaign at ``path`` as ``briefgen check`` does.

    Returns the campaign (``None`` if it is invalid) and every problem: errors, and warnings
    for missing translations (errors too when ``strict``).
    """
    try:
        loaded = load(Path(path))
        subject, warnings = _validate(loaded)
    except CampaignError as exc:
        return None, exc.problems
    warnings += run(AFTER, subject)[1]
    if strict:
        warnings = [replace(w, severity="error") for w in warnings]
    return subject.campaign, _sorted(warnings, loaded.path)


def _sorted(problems: list[Problem], first: Path | None = None) -> list[Problem]:
    """Each problem once, file by file (``first``, then in the order met), by line and
    column."""
    unique = list(dict.fromkeys(problems))
    files = {p.file: n for n, p in reversed(list(enumerate(unique)))}
    files[first or Path()] = -1
    return sorted(unique, key=lambda p: (files[p.file], p.line or 0, p.column or 0))
