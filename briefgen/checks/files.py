"""Files the campaign names: pictures, the reference document, templates, import files."""

from __future__ import annotations

from pathlib import Path

from .. import reference
from ..errors import PictureError, Problem
from ..loader import PathKey
from ..model import Campaign, RecipientImport
from ..project import check_local_file, default_templates
from . import Found, Subject, found
from .pictures import check_picture

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
REFERENCE_SUFFIXES = {".docx", ".dotx"}
"""A Word document or a Word template (a letterhead is often saved as one)."""
IMPORT_SUFFIXES = {".csv", ".xml"}


def picture_problems(campaign: Campaign, base: Path) -> list[tuple[PathKey, str]]:
    """Why each picture the campaign names cannot be used, opened as the build will."""
    from ..figures import print_width_at
    from ..pictures import campaign_pictures

    roots = [base, default_templates()]
    if campaign.campaign.templates:
        roots.insert(1, (base / campaign.campaign.templates).resolve())
    problems: list[tuple[PathKey, str]] = []
    for where, relative in campaign_pictures(campaign):
        problem: str | None = check_local_file(base, relative, IMAGE_SUFFIXES)
        if problem is None:
            try:
                width = print_width_at(where, base / relative, roots)
                check_picture(base / relative, roots, width_mm=width)
            except PictureError as exc:
                problem = exc.reason
        if problem:
            problems.append((where, problem))
    return problems


def pictures(subject: Subject) -> Found:
    """Every picture the campaign names, opened and drawn as the build will; a logo has
    its text alternative."""
    campaign = subject.written
    problems = [subject.problem(w, t) for w, t in picture_problems(campaign, subject.base)]
    if campaign.organisation.logo is not None and campaign.organisation.logo_alt is None:
        problems.append(
            subject.problem(
                ("organisation", "logo"),
                "a logo needs 'logo_alt', its text alternative for "
                "screen readers (for example the organisation's name)",
            )
        )
    return found(problems)


def reference_docx(subject: Subject) -> Found:
    """The reference document: a Word document in the campaign folder, opened as the DOCX
    writer opens it (check refuses what a build would)."""
    campaign = subject.written
    name = campaign.campaign.reference_docx
    if name is None:
        return found([])
    where = ("campaign", "reference_docx")
    problem = check_local_file(subject.base, name, REFERENCE_SUFFIXES, "a Word document")
    if problem:
        return found([subject.problem(where, problem)])
    path = (subject.base / name).resolve()
    return found([subject.problem(where, m) for m in reference.problems(path, name, campaign)])


def templates(subject: Subject) -> Found:
    """The campaign's own templates folder exists."""
    name = subject.written.campaign.templates
    if name is not None and not (subject.base / name).resolve().is_dir():
        where = ("campaign", "templates")
        return found([subject.problem(where, f"templates folder '{name}' does not exist")])
    return found([])


def import_files(subject: Subject) -> tuple[list[tuple[int, object]], list[Problem]]:
    """The recipients entries whose import file can be read (index, entry), and the
    errors of the others."""
    entries: list[tuple[int, object]] = []
    problems: list[Problem] = []
    for i, entry in enumerate(subject.written.recipients):
        if isinstance(entry, RecipientImport):
            trouble = check_local_file(
                subject.base, entry.source, IMPORT_SUFFIXES, "a CSV or XML file"
            )
            if trouble:
                line, col = subject.loaded.where(("recipients", i, "from"))
                problems.append(
                    Problem(subject.loaded.path, trouble, line, col, f"recipients[{i}].from")
                )
                continue
        entries.append((i, entry))
    return entries, problems
