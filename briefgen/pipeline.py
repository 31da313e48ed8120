"""The build: load → validate → plan → render → write → record, for one or many campaigns.

A single letter and a whole campaign go through the same functions
(:func:`briefgen.document.run_task`), in this process or in a pool of worker processes
(:mod:`briefgen.pool`). One failing document is recorded and the others are still written;
outputs whose inputs did not change are not rendered again (:class:`briefgen.cache.OutputFolder`
decides).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from . import cache, document, i18n, lock, pool, sendpack
from .campaigns import load_all
from .errors import OptionError
from .manifest import MANIFEST
from .model import Campaign
from .options import DOCUMENT_TIMEOUT, FORMATS, BuildOptions
from .output import write_error
from .plan import DocumentPlan, document_files, plan
from .pool import Task
from .render import Renderer
from .report import BuildReport, Failure, Progress
from .schedule import TaskQueue

logger = logging.getLogger(__name__)

__all__ = ["DOCUMENT_TIMEOUT", "BuildOptions", "BuildReport", "Failure", "Progress", "build"]

HARFBUZZ_FIX = (
    "the HarfBuzz subset library is missing, so fonts are subset with the "
    "slower fontTools; install it: sudo apt-get install libharfbuzz-subset0"
)

Campaigns = list[tuple[Path, Campaign]]


def build(
    paths: list[Path],
    output: Path = Path("output"),
    options: BuildOptions | None = None,
    *,
    progress: Progress | None = None,
    **changes: Any,
) -> BuildReport:
    """Render the campaigns at ``paths`` into ``output/<campaign-id>/``.

    ``options`` say what to write and how (:class:`BuildOptions`; ``None``: the defaults);
    ``changes`` change some of them (``formats=("pdf",)``, ``jobs=1``...). In this process
    (``jobs=1`` or a single document) a document is stopped after its timeout by an alarm
    in the main thread; called from another thread, such documents render in a worker
    process. E-mail drafts attach the brief the letter encloses: it is built first, even
    with ``only="letters"`` or ``recipients``. A build waits for another one writing the
    same campaign folders to finish. Raises :class:`OptionError` if an option cannot be used
    or a requested recipient is in none of the campaigns; every other problem is recorded in
    the returned report.
    """
    options = (options or BuildOptions()).but(**changes)
    progress = progress or Progress()
    report = BuildReport()
    campaigns, report.problems = load_all(paths)
    pool.free_garbage()  # what check drew, before any worker forks
    report.campaigns = {campaign.campaign.id: file for file, campaign in campaigns}
    campaigns = _with_variant(campaigns, options.pdf_variant)
    _check_recipients(campaigns, options.recipients)
    # Another build writing the same campaign folders is waited for: each reads the build
    # cache and the manifest only once the other has written them.
    with lock.locked([output / campaign.campaign.id for _, campaign in campaigns]):
        folders = [_open_folder(output, file, c, options) for file, c in campaigns]
        first, tasks = _plan(folders, options, report)
        _warn_without_harfbuzz(first + tasks, options)
        queue = TaskQueue(tasks)
        progress.planned(report, {f.campaign.campaign.id: plan(f.campaign) for f in folders}, queue)
        progress.start(len(first) + len(tasks), report.unchanged)
        try:
            # The briefs that e-mail drafts attach, then the rest (in the queue's order,
            # which the preview may change while the build runs).
            for phase in (TaskQueue(first), queue):
                _render(phase, campaigns, folders, options, report, progress)
        except BaseException:
            _save(folders, report)  # what was written is recorded: a re-run carries on
            raise
        for folder in folders:
            _finish(folder, report)
    return report


def _with_variant(campaigns: Campaigns, variant: str | None) -> Campaigns:
    """The campaigns with ``variant`` as their PDF standard (``None``: their own)."""
    if variant is None:
        return campaigns
    update = {"pdf_variant": variant}
    return [
        (file, c.model_copy(update={"campaign": c.campaign.model_copy(update=update)}))
        for file, c in campaigns
    ]


def _check_recipients(campaigns: Campaigns, recipients: tuple[str, ...]) -> None:
    if not recipients:
        return
    known = {r.id for _, c in campaigns for r in c.people}
    known |= {j.id for _, c in campaigns for j in c.joint_letters}
    missing = [r for r in recipients if r not in known]
    if missing and campaigns:
        raise OptionError(
            f"unknown recipient '{missing[0]}' (known: {', '.join(sorted(known)) or 'none'})"
        )


def _open_folder(
    output: Path, file: Path, campaign: Campaign, options: BuildOptions
) -> cache.OutputFolder:
    renderer = Renderer(campaign, file)
    keys = cache.Keys(campaign, renderer.folders, renderer.reference_docx, i18n.LOCALE_DIR, file)
    attached = sendpack.attached(options.attach_docx)  # what an e-mail draft attaches
    return cache.OutputFolder.open(output, file, campaign, keys, attached)


def _plan(
    folders: list[cache.OutputFolder], options: BuildOptions, report: BuildReport
) -> tuple[list[Task], list[Task]]:
    """The documents to render: the briefs e-mail drafts attach (written first), the rest."""
    first: list[Task] = []
    tasks: list[Task] = []
    formats = options.formats
    for index, folder in enumerate(folders):
        documents = plan(folder.campaign, only=options.only, recipients=list(options.recipients))
        letters = [_task(folder, index, d, formats, options, report) for d in documents if d.letter]
        drafts = [t for t in letters if t and "eml" in t.formats]
        briefs = sendpack.enclosures(folder.campaign, (folder.plans[t.key] for t in drafts))
        for doc in documents:
            if doc.letter is not None:
                continue
            needed = doc.key in briefs
            asked = (*formats, "pdf") if needed else formats
            found = _task(folder, index, doc, asked, options, report)
            if found is not None:
                (first if needed else tasks).append(found)
        for key, brief in briefs.items():
            if key in folder.plans:
                continue
            found = _task(folder, index, brief, ("pdf",), options, report)
            if found is not None:
                first.append(found)
                report.notices.append(
                    f"{folder.file}: {brief.name}: built too, for the e-mail drafts that "
                    f"attach {brief.path('pdf')}"
                )
        tasks += [t for t in letters if t is not None]
    return first, tasks


def _task(
    folder: cache.OutputFolder,
    index: int,
    doc: DocumentPlan,
    formats: tuple[str, ...],
    options: BuildOptions,
    report: BuildReport,
) -> Task | None:
    """The task rendering ``doc`` of campaign ``index`` in ``formats``, or ``None`` if its
    files are up to date (or it has none in these formats: a brief, with -f eml)."""
    decision = folder.decide(doc, formats, options.force)
    report.notices.extend(decision.notices)
    report.unchanged += decision.up_to_date
    if not decision.files:
        return None
    ordered = tuple(f for f in FORMATS if f in formats)
    outputs = tuple(relative for _doc, _fmt, relative in document_files([doc]))
    attach = tuple(f for f in folder.attached if f in sendpack.ATTACHABLE)
    return Task(index, doc.key, doc.name, ordered, folder.folder, decision.files, outputs, attach)


def _warn_without_harfbuzz(tasks: list[Task], options: BuildOptions) -> None:
    if tasks and {"pdf", "html"} & set(options.formats) and not harfbuzz_subset_available():
        logger.warning(HARFBUZZ_FIX)


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint can subset fonts with HarfBuzz (else it uses the slow fontTools)."""
    from weasyprint.pdf import fonts

    return bool(fonts.harfbuzz_subset) and bool(fonts.harfbuzz.hb_version_atleast(4, 1, 0))


def _render(
    phase: TaskQueue[Task],
    campaigns: Campaigns,
    folders: list[cache.OutputFolder],
    options: BuildOptions,
    report: BuildReport,
    progress: Progress,
) -> None:
    """Render the documents of ``phase`` and record each outcome as it comes."""
    if not phase:
        return
    jobs = options.jobs or os.cpu_count() or 1
    # A campaign's own templates are untrusted code: they always run in worker processes.
    isolate = any(c.campaign.templates for _, c in campaigns)
    outcomes = pool.run(
        phase, campaigns, document.run_task, jobs=jobs, timeout=options.timeout, isolate=isolate
    )
    last_save = time.monotonic()
    for outcome in outcomes:
        folder = folders[outcome.task.campaign]
        if outcome.error is not None:
            report.failures.append(Failure(folder.file, outcome.name, outcome.error))
            folder.remove(outcome.task.outputs)
        else:
            report.rendered += 1
            report.notices.extend(f"{folder.file}: {outcome.name}: {n}" for n in outcome.notes)
            for path in folder.record(outcome.task.keys, outcome.files):
                report.written.append(path)
                logger.info("wrote %s", path)
        progress.finished(outcome)
        progress.done(outcome.name, outcome.error is None, outcome.error)
        if time.monotonic() - last_save > 5:  # so an interrupted build resumes
            _save(folders, report)
            last_save = time.monotonic()


def _finish(folder: cache.OutputFolder, report: BuildReport) -> None:
    """Sort the folder's files, record them, and write its manifest."""
    documents = plan(folder.campaign)
    current, stale = folder.settle(documents)
    if stale:
        report.notices.append(
            f"{folder.file}: {stale} files in {folder.folder} are out of date or were changed "
            "outside briefgen; they are not in manifest.json (build all documents to renew them)"
        )
    if _save([folder], report):
        try:
            folder.write_manifest(documents, current)
        except OSError as exc:
            where = folder.folder / MANIFEST
            report.failures.append(Failure(folder.file, "manifest", write_error(exc, where)))


def _save(folders: list[cache.OutputFolder], report: BuildReport) -> bool:
    """Record what each campaign's folder holds; a cache that cannot be written is a
    failure of the build (reported once). Returns whether every cache was written."""
    saved = True
    for folder in folders:
        try:
            folder.save()
        except OSError as exc:
            saved = False
            where = folder.folder / cache.CACHE_FILE
            report.fail(Failure(folder.file, "build cache", write_error(exc, where)))
    return saved
