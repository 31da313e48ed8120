"""Pipeline: load → validate → plan → render → write → manifest, for one or many campaigns.

A single letter and a whole campaign go through the same functions; one failing document is
recorded and the others are still written.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest
from .errors import BriefgenError, OptionError, Problem
from .model import Campaign
from .output import write_atomic
from .plan import FORMATS, DocumentPlan, plan
from .render import Renderer
from .validate import check_file
from .write import WRITERS, NoEmailAddress

logger = logging.getLogger(__name__)

CAMPAIGN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Failure:
    """A document that could not be written, and why."""

    campaign: Path
    document: str
    message: str

    def __str__(self) -> str:
        return f"{self.campaign}: {self.document}: {self.message}"


@dataclass
class BuildReport:
    """What a build did: files written, documents that failed, campaigns that were invalid."""

    written: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every campaign was valid and every document was written."""
        return not self.failures and not any(p.severity == "error" for p in self.problems)


def find_campaigns(paths: list[Path]) -> list[Path]:
    """Campaign files named by ``paths``: files as given, folders searched for ``*.yaml``."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in CAMPAIGN_SUFFIXES and p.is_file() and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def load_all(
    paths: list[Path], report: BuildReport, *, strict: bool = False
) -> list[tuple[Path, Campaign]]:
    """Load and validate every campaign; problems go to ``report``, valid ones are returned.

    With ``strict``, a missing translation is an error that makes the campaign invalid.
    """
    campaigns = []
    for file in find_campaigns(paths):
        campaign, problems = check_file(file, strict=strict)
        report.problems.extend(problems)
        if campaign is not None and not any(p.severity == "error" for p in problems):
            campaigns.append((file, campaign))
    return campaigns


def check(paths: list[Path], *, strict: bool = False) -> list[Problem]:
    """Validate the campaigns at ``paths`` and return every problem found (empty if none).

    Missing translations are warnings, or errors with ``strict``.
    """
    report = BuildReport()
    load_all(paths, report, strict=strict)
    return report.problems


def build(
    paths: list[Path],
    output: Path = Path("output"),
    *,
    formats: tuple[str, ...] = ("pdf", "docx"),
    only: str | None = None,
    recipients: list[str] | None = None,
) -> BuildReport:
    """Render the campaigns at ``paths`` into ``output/<campaign-id>/``.

    ``formats`` are names from :data:`briefgen.plan.FORMATS`; ``only`` is ``"brief"``,
    ``"letters"`` or ``None`` (both); ``recipients`` limits letters to these ids (``None``:
    all). Raises :class:`OptionError` if a requested recipient is in none of the campaigns;
    every other problem is recorded in the returned report.
    """
    unknown = [f for f in formats if f not in WRITERS]
    if unknown:
        raise OptionError(f"unknown format '{unknown[0]}' (expected: {', '.join(FORMATS)})")
    report = BuildReport()
    campaigns = load_all(paths, report)
    if recipients:
        known = {r.id for _, c in campaigns for r in c.people}
        known |= {j.id for _, c in campaigns for j in c.joint_letters}
        missing = [r for r in recipients if r not in known]
        if missing and campaigns:
            raise OptionError(
                f"unknown recipient '{missing[0]}' (known: {', '.join(sorted(known)) or 'none'})"
            )
    for file, campaign in campaigns:
        build_campaign(
            campaign, file, output, report, formats=formats, only=only, recipients=recipients
        )
    return report


def build_campaign(
    campaign: Campaign,
    file: Path,
    output: Path,
    report: BuildReport,
    *,
    formats: tuple[str, ...],
    only: str | None,
    recipients: list[str] | None,
) -> None:
    """Render one validated campaign's documents; results are added to ``report``."""
    folder = output / campaign.campaign.id
    renderer = Renderer(campaign, file)
    for doc in plan(campaign, only=only, recipients=recipients):
        try:
            files, notes = render_document(renderer, doc, formats)
            report.notices.extend(f"{file}: {doc.name}: {note}" for note in notes)
        except BriefgenError as exc:
            _fail(report, file, doc, folder, str(exc))
            continue
        except Exception as exc:  # a bug: report it against this document, keep going
            logger.exception("internal error while rendering %s", doc.name)
            _fail(report, file, doc, folder, f"internal error: {type(exc).__name__}: {exc}")
            continue
        for relative, data in files:
            write_atomic(folder / relative, data)
            report.written.append(folder / relative)
            logger.info("wrote %s", folder / relative)
    manifest.update(folder, campaign.campaign.id, plan(campaign))


def render_document(
    renderer: Renderer, doc: DocumentPlan, formats: tuple[str, ...]
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Render ``doc`` once and write it in every format it has.

    Returns (relative path, bytes) pairs and notes on formats left out (an e-mail draft for
    a letter without an e-mail address). Nothing is written to disk here, so a failure in any
    format leaves no file behind.
    """
    rendered = renderer.render(doc)
    produced: dict[str, bytes] = {}
    notes = []
    for fmt in doc.formats(formats):
        try:
            produced[fmt] = WRITERS[fmt](rendered, produced)
        except NoEmailAddress as exc:
            notes.append(f"{fmt} draft not written: {exc}")
    return [(doc.path(fmt).as_posix(), data) for fmt, data in produced.items()], notes


def _fail(report: BuildReport, file: Path, doc: DocumentPlan, folder: Path, message: str) -> None:
    report.failures.append(Failure(file, doc.name, message))
    # An old copy would no longer match the campaign: remove it rather than leave it around.
    for fmt in FORMATS:
        with contextlib.suppress(OSError):
            (folder / doc.path(fmt)).unlink()
