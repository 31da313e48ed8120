"""Pipeline: load → validate → plan → render → write → manifest, for one or many campaigns.

A single letter and a whole campaign go through the same functions (:func:`run_task`),
in this process or in a pool of worker processes that keep their compiled templates, font
configuration and reference document between documents. One failing document is recorded
and the others are still written; outputs whose inputs did not change are not rendered again.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import math
import os
import sys
import threading
import time
import traceback
import types
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache, i18n, lock, manifest, sendpack, workers
from .errors import BriefgenError, OptionError, Problem
from .loader import load
from .model import Campaign
from .output import write_atomic, write_error
from .plan import FORMATS, DocumentKey, DocumentPlan, plan
from .render import Renderer
from .schedule import TaskQueue
from .validate import check_file

logger = logging.getLogger(__name__)

CAMPAIGN_SUFFIXES = (".yaml", ".yml")
DOCUMENT_TIMEOUT = 300.0
"""Seconds a document may take in a worker before it is stopped (a runaway template)."""


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
    rendered: int = 0
    """Documents rendered in this build."""
    unchanged: int = 0
    """Documents whose outputs were up to date, so not rendered again."""
    campaigns: dict[str, Path] = field(default_factory=dict)
    """The valid campaigns built: their id and file."""

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
    unique: dict[Path, Path] = {}  # the same file named twice (say relative and absolute)
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def load_all(
    paths: list[Path], report: BuildReport, *, strict: bool = False
) -> list[tuple[Path, Campaign]]:
    """Load and validate every campaign; problems go to ``report``, valid ones are returned.

    With ``strict``, a missing translation is an error that makes the campaign invalid.
    """
    campaigns = []
    for path in paths:
        if path.is_dir() and not find_campaigns([path]):
            report.problems.append(
                Problem(path, "no campaign file (*.yaml or *.yml) in this folder")
            )
    for file in find_campaigns(paths):
        campaign, problems = check_file(file, strict=strict)
        report.problems.extend(problems)
        if campaign is not None and not any(p.severity == "error" for p in problems):
            campaigns.append((file, campaign))
    # Two campaigns with one id would write into one output folder, each over the other's
    # letters: neither is built until one of them is renamed.
    by_id: dict[str, list[Path]] = {}
    for file, campaign in campaigns:
        by_id.setdefault(campaign.campaign.id, []).append(file)
    for campaign_id, files in by_id.items():
        if len(files) < 2:
            continue
        for file in files:
            line, column = load(file).where(("campaign", "id"))
            others = ", ".join(str(f) for f in files if f != file)
            report.problems.append(
                Problem(
                    file,
                    f"'{campaign_id}' is also the id of {others}: each campaign needs its own "
                    "id (it names the output folder)",
                    line,
                    column,
                    "campaign.id",
                )
            )
    return [(file, c) for file, c in campaigns if len(by_id[c.campaign.id]) == 1]


def check(paths: list[Path], *, strict: bool = False) -> list[Problem]:
    """Validate the campaigns at ``paths`` and return every problem found (empty if none).

    Missing translations are warnings, or errors with ``strict``.
    """
    report = BuildReport()
    load_all(paths, report, strict=strict)
    return report.problems


class Progress:
    """What a build reports while it runs (the CLI shows a bar or log lines; default: nothing)."""

    def start(self, total: int, unchanged: int) -> None:
        """``total`` documents to render; ``unchanged`` were up to date."""

    def planned(
        self,
        report: BuildReport,
        documents: dict[str, list[DocumentPlan]],
        queue: TaskQueue[Task],
    ) -> None:
        """The campaigns are checked and planned; no document is rendered yet. ``report``
        holds the problems and the valid campaigns, ``documents`` every document of each
        valid campaign (by id), ``queue`` the documents to render, first first: its order
        may be changed, or the queue emptied, while the build runs."""

    def finished(self, outcome: Outcome) -> None:
        """A document was rendered (``outcome.files``) or failed (``outcome.error``)."""

    def done(self, document: str, ok: bool, reason: str | None = None) -> None:
        """One document finished (``ok``) or failed (and why)."""

    def close(self) -> None:
        """The build is over (a bar stops drawing)."""


@dataclass(frozen=True)
class Task:
    """One document to render: which campaign, which document, which formats, where."""

    campaign: int
    key: DocumentKey
    name: str
    formats: tuple[str, ...]
    folder: Path
    keys: tuple[tuple[str, str], ...]
    """The cache key of each file to write (relative path, key)."""
    outputs: tuple[str, ...]
    """Every file this document can have (removed if it fails)."""
    attach: tuple[str, ...] = ("pdf",)
    """The letter's formats its e-mail draft attaches."""


@dataclass(frozen=True)
class Outcome:
    """What rendering a task produced: files (relative path, sha256), notes, or an error."""

    task: Task
    name: str
    files: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None


# -- worker side: the same in this process and in pool workers ------------------------------

_WORKER: dict[str, Any] = {}


WORKER_MEMORY = 4 * 1024**3
"""Address space a worker process may use: a template that produces gigabytes fails its
document instead of exhausting the machine."""


def _limit_worker() -> None:
    with contextlib.suppress(ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))


def _init_pool_worker(campaigns: list[tuple[Path, Campaign]], parent: int) -> None:
    workers.die_with_parent(parent)
    _limit_worker()
    _init_worker(campaigns)


def _init_worker(campaigns: list[tuple[Path, Campaign]]) -> None:
    """Give this process the campaigns; renderers and documents are made on first use."""
    _WORKER.clear()
    _WORKER["campaigns"] = campaigns
    _WORKER["renderers"] = {}
    _WORKER["docs"] = {}
    # Freeze after the first document, unless the process froze objects of its own (they
    # would be thawed with ours at the end of a build in this process).
    _WORKER["freeze"] = gc.get_freeze_count() == 0
    logging.getLogger("weasyprint").addFilter(_quiet_font_fallback)
    pdf = sys.modules.get("briefgen.write.pdf")
    if pdf is not None:  # a build before this one in this process (build --watch)
        pdf.forget_images()


def _quiet_font_fallback(record: logging.LogRecord) -> bool:
    # WeasyPrint says this once per font per document; briefgen says it once per build.
    return "instead of HarfBuzz-Subset" not in record.getMessage()


def _renderer(index: int) -> tuple[Renderer, dict[Any, DocumentPlan]]:
    if index not in _WORKER["renderers"]:
        file, campaign = _WORKER["campaigns"][index]
        _WORKER["renderers"][index] = Renderer(campaign, file)
        _WORKER["docs"][index] = {d.key: d for d in plan(campaign)}
    return _WORKER["renderers"][index], _WORKER["docs"][index]


DOCUMENT_GC_THRESHOLD = 100_000
"""Allocations between automatic garbage collections while a document renders."""


_GC_LOCK = threading.Lock()
_GC_STATE: dict[str, Any] = {"depth": 0, "threshold": None}
"""Documents being rendered in this process (threads) and the threshold to give back."""


@contextlib.contextmanager
def _collect_after() -> Iterator[None]:
    """Collect cyclic garbage once after a document instead of many times during it.

    WeasyPrint's layout allocates millions of short-lived objects; with Python's default
    thresholds the collector runs hundreds of times per letter and takes ~15 % of the PDF
    time (benchmarks/RESULTS.md). A high threshold still bounds the memory of a huge
    document; the process's own threshold is given back when its last document ends (builds
    may run in threads). What outlives the first document (fonts, stylesheet, templates,
    campaign) is frozen so that later collections do not walk it again.
    """
    with _GC_LOCK:
        if _GC_STATE["depth"] == 0:
            _GC_STATE["threshold"] = gc.get_threshold()
            gc.set_threshold(DOCUMENT_GC_THRESHOLD, *_GC_STATE["threshold"][1:])
        _GC_STATE["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["depth"] -= 1
            if _GC_STATE["depth"] == 0:
                gc.set_threshold(*_GC_STATE["threshold"])
        gc.collect()
        if _WORKER.pop("freeze", False):
            gc.freeze()
            _WORKER["frozen"] = True


def _call(function: Any, argument: Any) -> Any:
    return function(argument)


_on_roomy_stack = types.FunctionType(_call.__code__.replace(co_stacksize=33_000), {})
"""``_call`` with a 256 KiB frame, so that everything it calls runs in one 512 KiB chunk
of the interpreter's frame stack.

CPython 3.11+ keeps Python frames in 16 KiB chunks, mapped when the call depth crosses a
chunk's end and unmapped when it returns below it. WeasyPrint's deeply recursive layout
crosses such a boundary hundreds of times per letter: one ``mmap``/``munmap`` pair plus
page faults each time (measured: ~450 pairs per letter in a worker). The chunk holding
this large frame is allocated once per document instead. Interpreters that size frames
differently just reserve a little more stack."""


def run_task(task: Task) -> Outcome:
    """Render one document in every format asked and write its files atomically."""
    with _collect_after():
        outcome: Outcome = _on_roomy_stack(_run_task, task)
        return outcome


def _run_task(task: Task) -> Outcome:
    workers.exit_if_orphaned()
    renderer, docs = _renderer(task.campaign)
    doc = docs[task.key]
    limit = _WORKER.get("time_limit")  # set when documents render in the build's process
    timer = workers.Timer()
    try:
        with workers.time_limit(limit, timer):
            files, notes = render_document(renderer, doc, task.formats, task.folder, task.attach)
    except workers.TimeLimit:
        return Outcome(task, doc.name, error=_too_long(limit))
    except BriefgenError as exc:  # a picture WeasyPrint stopped drawing when time ran out
        return Outcome(task, doc.name, error=_too_long(limit) if timer.expired else str(exc))
    except MemoryError:
        return Outcome(
            task,
            doc.name,
            error="ran out of memory (a worker may use "
            f"{WORKER_MEMORY // 1024**3} GiB); check the templates for runaway output",
        )
    except Exception as exc:  # a bug: report it against this document, keep going
        logger.error("internal error while rendering %s:\n%s", doc.name, traceback.format_exc())
        return Outcome(task, doc.name, error=f"internal error: {type(exc).__name__}: {exc}")
    if timer.expired:  # the alarm was swallowed and the document went on without a part
        return Outcome(task, doc.name, error=_too_long(limit))
    workers.exit_if_orphaned()  # the build is gone: write nothing
    for relative, data in files:
        try:
            write_atomic(task.folder / relative, data)
        except OSError as exc:  # disk full, a file where a folder should be...
            # The files of this document already written are removed with the failure.
            return Outcome(task, doc.name, error=write_error(exc, task.folder / relative))
    written = tuple((relative, hashlib.sha256(data).hexdigest()) for relative, data in files)
    return Outcome(task, doc.name, written, tuple(notes))


def render_document(
    renderer: Renderer,
    doc: DocumentPlan,
    formats: tuple[str, ...],
    folder: Path | None = None,
    attach: tuple[str, ...] = ("pdf",),
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Render ``doc`` once and write it in every format it has.

    An e-mail draft attaches the letter in the ``attach`` formats and the brief the letter
    encloses, read from the campaign's output ``folder`` (``None``: no draft is written).
    Returns (relative path, bytes) pairs and notes on formats left out (an e-mail draft for
    a letter without an e-mail address). Nothing is written to disk here, so a failure in any
    format leaves no file behind.
    """
    from .write import WRITERS, NoEmailAddress  # the writers load WeasyPrint: only if needed

    rendered = renderer.render(doc)
    produced: dict[str, bytes] = {}
    notes = []
    for fmt in doc.formats(formats):
        inputs: dict[str, bytes] = produced
        if fmt == "eml":
            letter_files = dict(produced)
            if "docx" in attach and "docx" not in produced:  # attached, not written
                letter_files["docx"] = WRITERS["docx"](rendered, produced)
            attachments, found = sendpack.draft_files(
                renderer.campaign, doc, folder or Path(), letter_files, attach
            )
            notes += found
            if attachments is None:
                continue
            inputs = attachments
        try:
            produced[fmt] = WRITERS[fmt](rendered, inputs)
        except NoEmailAddress as exc:
            notes.append(f"{fmt} draft not written: {exc}")
    return [(doc.path(fmt).as_posix(), data) for fmt, data in produced.items()], notes


# -- running tasks -----------------------------------------------------------------------------


def _run_serial(
    tasks: TaskQueue[Task] | list[Task],
    campaigns: list[tuple[Path, Campaign]],
    timeout: float | None,
) -> Iterator[Outcome]:
    """Render ``tasks`` in this process, each stopped after ``timeout`` seconds (``None``:
    no limit; a limit needs the main thread, see :func:`workers.can_limit_time`)."""
    queue = tasks if isinstance(tasks, TaskQueue) else TaskQueue(tasks)
    _init_worker(campaigns)
    _WORKER["time_limit"] = timeout
    try:
        while (task := queue.pop()) is not None:
            yield run_task(task)
    finally:
        if _WORKER.pop("frozen", False):  # this process goes on (build --watch, preview)
            gc.unfreeze()


def _too_long(timeout: float | None) -> str:
    return f"took longer than {timeout or 0:g} s and was stopped"


def _run_pool(
    tasks: TaskQueue[Task] | list[Task],
    campaigns: list[tuple[Path, Campaign]],
    jobs: int,
    timeout: float,
) -> Iterator[Outcome]:
    """Run ``tasks`` in ``jobs`` worker processes, one document per worker at a time.

    One more document than there are workers is handed to the pool, so that a worker that
    finishes starts the next document at once instead of waiting for this process to hear
    of it (unless the queue is steered, as by the preview: then the next document is chosen
    when a worker is free). If a worker dies (a crash in a library), the documents that were
    in flight are retried one by one in a fresh worker, so the one that crashes is reported
    as failed and the others are written. A document that takes longer than ``timeout`` seconds (a
    runaway template) is stopped and reported as failed. The pool then carries on with the
    rest. ``tasks`` are taken from the front of the queue, whose order may change meanwhile.
    """
    queue = tasks if isinstance(tasks, TaskQueue) else TaskQueue(tasks)
    while queue:
        ahead = 0 if queue.steered else 1
        suspects: list[Task] = []
        with ProcessPoolExecutor(
            jobs, initializer=_init_pool_worker, initargs=(campaigns, os.getpid())
        ) as pool:
            # Each document in the pool, with the time it started (None: waiting for a worker).
            running: dict[Future[Outcome], tuple[Task, float | None]] = {}
            try:
                while queue or running:
                    while queue and len(running) < jobs + ahead:
                        # Submitted before it leaves the queue: if a worker died meanwhile,
                        # submit raises and the document waits for the next pool.
                        task = queue.peek()
                        if task is None:  # emptied meanwhile (the preview after a save)
                            break
                        future = pool.submit(run_task, task)
                        queue.take(task)
                        started = time.monotonic() if len(running) < jobs else None
                        running[future] = (task, started)
                    finished, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
                    for future in finished:
                        outcome = future.result()  # raises if the worker died
                        del running[future]
                        yield outcome
                    now = time.monotonic()
                    free = jobs - sum(1 for _t, s in running.values() if s is not None)
                    for future, (task, started) in running.items():  # the pool's order
                        if started is None and free > 0:
                            running[future] = (task, now)
                            free -= 1
                    late = [
                        f
                        for f, (_t, started) in running.items()
                        if started is not None and now - started > timeout
                    ]
                    if late:
                        for future in late:
                            task, _started = running.pop(future)
                            yield Outcome(task, task.name, error=_too_long(timeout))
                        queue.put_back(task for task, _started in running.values())
                        running.clear()
                        # The only way to stop a running document: end its worker process.
                        for process in list(pool._processes.values()):  # noqa: SLF001
                            process.terminate()
                        pool.shutdown(wait=False, cancel_futures=True)
                        break
            except BrokenProcessPool:
                suspects = [task for task, _started in running.values()]
                if not suspects and queue:  # the pool broke before taking any document:
                    suspects = [t for t in [queue.pop()] if t]  # one by one, so it ends
        for task in suspects:  # isolate the crash
            with ProcessPoolExecutor(
                1, initializer=_init_pool_worker, initargs=(campaigns, os.getpid())
            ) as single:
                try:
                    yield single.submit(run_task, task).result()
                except BrokenProcessPool:
                    yield Outcome(
                        task, task.name, error="the worker process rendering this document crashed"
                    )


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint can subset fonts with HarfBuzz (else it uses the slow fontTools)."""
    from weasyprint.pdf import fonts

    return bool(fonts.harfbuzz_subset) and bool(fonts.harfbuzz.hb_version_atleast(4, 1, 0))


HARFBUZZ_FIX = (
    "the HarfBuzz subset library is missing, so fonts are subset with the "
    "slower fontTools; install it: sudo apt-get install libharfbuzz-subset0"
)


def build(
    paths: list[Path],
    output: Path = Path("output"),
    *,
    formats: tuple[str, ...] = ("pdf", "docx"),
    only: str | None = None,
    recipients: list[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    pdf_variant: str | None = None,
    timeout: float | None = DOCUMENT_TIMEOUT,
    progress: Progress | None = None,
    attach_docx: bool = False,
) -> BuildReport:
    """Render the campaigns at ``paths`` into ``output/<campaign-id>/``.

    ``formats`` are names from :data:`briefgen.plan.FORMATS`; ``only`` is ``"brief"``,
    ``"letters"`` or ``None`` (both); ``recipients`` limits letters to these ids (``None``:
    all). ``jobs`` is the number of worker processes (``None``: one per CPU). ``force``
    renders documents whose outputs are up to date. ``pdf_variant`` overrides the campaigns'
    ``campaign.pdf_variant`` ("pdf/ua-1", "pdf/a-3b"...). A document taking longer than
    ``timeout`` seconds (``None``: no limit) is stopped and fails, in worker processes and
    in this one (``jobs=1`` or a single document: by an alarm in the main thread; called
    from another thread, such documents render in a worker process). E-mail drafts attach
    the letter's PDF and the brief it encloses (built first, even with ``only="letters"`` or
    ``recipients``), and with ``attach_docx`` its DOCX. A build waits for another one writing
    the same campaign folders to finish. Raises :class:`OptionError` if a requested recipient
    is in none of the campaigns; every other problem is recorded in the returned report.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise OptionError(f"unknown format '{unknown[0]}' (expected: {', '.join(FORMATS)})")
    if recipients and only == "brief":
        raise OptionError("--recipient chooses letters; it cannot go with --only brief")
    progress = progress or Progress()
    report = BuildReport()
    campaigns = load_all(paths, report)
    report.campaigns = {campaign.campaign.id: file for file, campaign in campaigns}
    if pdf_variant is not None:
        campaigns = [
            (
                file,
                campaign.model_copy(
                    update={
                        "campaign": campaign.campaign.model_copy(
                            update={"pdf_variant": pdf_variant}
                        )
                    }
                ),
            )
            for file, campaign in campaigns
        ]
    if recipients:
        known = {r.id for _, c in campaigns for r in c.people}
        known |= {j.id for _, c in campaigns for j in c.joint_letters}
        missing = [r for r in recipients if r not in known]
        if missing and campaigns:
            raise OptionError(
                f"unknown recipient '{missing[0]}' (known: {', '.join(sorted(known)) or 'none'})"
            )
    # Another build writing the same campaign folders is waited for: each reads the build
    # cache and the manifest only once the other has written them.
    with lock.locked([output / campaign.campaign.id for _, campaign in campaigns]):
        _build(
            campaigns,
            output,
            report,
            formats,
            only,
            recipients,
            jobs,
            force,
            timeout,
            progress,
            attach_docx,
        )
    return report


def _build(
    campaigns: list[tuple[Path, Campaign]],
    output: Path,
    report: BuildReport,
    formats: tuple[str, ...],
    only: str | None,
    recipients: list[str] | None,
    jobs: int | None,
    force: bool,
    timeout: float | None,
    progress: Progress,
    attach_docx: bool,
) -> None:
    """Plan, render and record the valid ``campaigns`` (their output folders locked)."""
    tasks: list[Task] = []
    first: list[Task] = []  # the briefs e-mail drafts attach: written before the letters
    states: list[_State] = []
    attached = sendpack.attached(attach_docx)  # what an e-mail draft attaches
    for index, (file, campaign) in enumerate(campaigns):
        folder = output / campaign.campaign.id
        cache.clean_partial(folder)
        renderer = Renderer(campaign, file)
        keys = cache.Keys(
            campaign, renderer.folders, renderer.reference_docx, i18n.LOCALE_DIR, file
        )
        state = _State(file, campaign, folder, cache.read(folder), keys, attached)
        documents = plan(campaign, only=only, recipients=recipients)
        letter_tasks = [
            _task(state, index, d, formats, force, report) for d in documents if d.letter
        ]
        drafts = [t for t in letter_tasks if t and "eml" in t.formats]
        briefs = sendpack.enclosures(campaign, (state.plans[t.key] for t in drafts))
        for doc in documents:
            if doc.letter is not None:
                continue
            needed = doc.key in briefs
            found = _task(
                state, index, doc, (*formats, "pdf") if needed else formats, force, report
            )
            if found is not None:
                (first if needed else tasks).append(found)
        for key, brief in briefs.items():
            if key in state.plans:
                continue
            found = _task(state, index, brief, ("pdf",), force, report)
            if found is not None:
                first.append(found)
                report.notices.append(
                    f"{file}: {brief.name}: built too, for the e-mail drafts that attach "
                    f"{brief.path('pdf')}"
                )
        tasks += [t for t in letter_tasks if t is not None]
        states.append(state)
    if (tasks or first) and {"pdf", "html"} & set(formats) and not harfbuzz_subset_available():
        logger.warning(HARFBUZZ_FIX)
    queue = TaskQueue(tasks)
    progress.planned(
        report, {state.campaign.campaign.id: plan(state.campaign) for state in states}, queue
    )
    progress.start(len(first) + len(tasks), report.unchanged)
    jobs = jobs or os.cpu_count() or 1
    # A campaign's own templates are untrusted code: they always run in a worker process,
    # under its time and memory limits, even for a single document. Otherwise -j 1 or a
    # single document renders in this process, under an alarm for the time limit; where
    # there can be none (a thread, as in the preview), in one worker process.
    own_templates = any(c.campaign.templates for _, c in campaigns)
    last_save = time.monotonic()
    try:
        # The briefs that e-mail drafts attach, then the rest (in the queue's order, which
        # the preview may change while the build runs).
        for phase in (TaskQueue(first), queue):
            if not phase:
                continue
            serial = not own_templates and (jobs == 1 or len(phase) < 2)
            if serial and (timeout is None or workers.can_limit_time()):
                runner = _run_serial(phase, campaigns, timeout)
            else:
                # Load the writers (WeasyPrint, python-docx) before the workers fork: they
                # inherit them instead of each importing them again.
                import briefgen.write  # noqa: F401

                limit = math.inf if timeout is None else timeout
                runner = _run_pool(phase, campaigns, max(1, min(jobs, len(phase))), limit)
            for outcome in runner:
                _record(outcome, states, report)
                progress.finished(outcome)
                progress.done(outcome.name, outcome.error is None, outcome.error)
                if time.monotonic() - last_save > 5:  # so an interrupted build resumes
                    _save_caches(states, report)
                    last_save = time.monotonic()
    except BaseException:
        _save_caches(states, report)  # what was written is recorded: a re-run carries on
        raise
    for state in states:
        documents = plan(state.campaign)
        current = _settle(state, documents, report)
        if _save_caches([state], report):
            try:
                manifest.update(state.folder, state.campaign.campaign.id, documents, current)
            except OSError as exc:
                where = state.folder / manifest.MANIFEST
                report.failures.append(Failure(state.file, "manifest", write_error(exc, where)))


def _task(
    state: _State,
    index: int,
    doc: DocumentPlan,
    formats: tuple[str, ...],
    force: bool,
    report: BuildReport,
) -> Task | None:
    """The task rendering ``doc`` of campaign ``index`` in ``formats``, or ``None`` if its
    files are up to date (or it has none in these formats: a brief, with -f eml)."""
    state.selected.add(doc.key)
    state.plans[doc.key] = doc
    folder = state.folder
    formats = tuple(f for f in FORMATS if f in formats)
    wanted = {
        doc.path(fmt).as_posix(): state.keys.file(doc, fmt, state.attached)
        for fmt in doc.formats(formats)
    }
    if not wanted:
        return None
    untouched = {p: cache.unchanged(state.recorded.get(p), folder / p) for p in wanted}
    if not force and all(state.key_of(p) == key and untouched[p] for p, key in wanted.items()):
        report.unchanged += 1
        return None
    for relative in wanted:
        # A file someone changed after briefgen wrote it (edited in Word, say) is kept under
        # another name before the document is rendered again.
        edited = relative in state.recorded and not untouched[relative]
        if edited and (folder / relative).is_file():
            kept = cache.keep_aside(folder / relative)
            state.recorded.pop(relative, None)
            report.notices.append(
                f"{state.file}: {doc.name}: {relative} was changed outside briefgen; "
                f"kept as {kept.relative_to(folder).as_posix()}, and rendered again"
            )
    outputs = tuple(doc.path(fmt).as_posix() for fmt in doc.formats(FORMATS))
    attach = tuple(f for f in state.attached if f in sendpack.ATTACHABLE)
    return Task(index, doc.key, doc.name, formats, folder, tuple(wanted.items()), outputs, attach)


@dataclass
class _State:
    """One campaign in a build: where it goes, what its cache recorded, its keys."""

    file: Path
    campaign: Campaign
    folder: Path
    recorded: dict[str, dict[str, Any]]
    keys: cache.Keys
    attached: list[str]
    """The formats an e-mail draft of this build attaches."""
    selected: set[DocumentKey] = field(default_factory=set)
    """The documents this build was asked for (all, or those of --only/--recipient), and the
    briefs their e-mail drafts attach."""
    plans: dict[DocumentKey, DocumentPlan] = field(default_factory=dict)
    """Those documents by key."""

    def key_of(self, relative: str) -> str | None:
        entry = self.recorded.get(relative)
        return entry.get("key") if entry else None


def _settle(
    state: _State, documents: list[DocumentPlan], report: BuildReport
) -> dict[str, dict[str, Any]]:
    """Sort the campaign's files after a build; return the current ones with their cache
    entries (size, SHA-256).

    A file is current if its key is that of the campaign as it is now and it was not changed
    since briefgen wrote it. A document built now loses its older files in other formats
    (the restricted DOCX of a letter that is now public, say); other files that are not
    current are left in place, out of the manifest, and counted in a notice.
    """
    current: dict[str, dict[str, Any]] = {}
    stale = 0
    for doc in documents:
        for fmt in doc.formats(FORMATS):
            relative = doc.path(fmt).as_posix()
            path = state.folder / relative
            entry = state.recorded.get(relative)
            if not path.is_file():
                state.recorded.pop(relative, None)
                continue
            if entry is None:
                stale += 1
                continue
            key = state.keys.file(doc, fmt, entry.get("attached"))
            untouched = cache.unchanged(entry, path)
            if entry["key"] == key and untouched:
                current[relative] = entry
            elif untouched and doc.key in state.selected:
                with contextlib.suppress(OSError):
                    path.unlink()
                state.recorded.pop(relative, None)
            else:
                stale += 1
    if stale:
        report.notices.append(
            f"{state.file}: {stale} files in {state.folder} are out of date or were changed "
            "outside briefgen; they are not in manifest.json (build all documents to renew them)"
        )
    return current


def _record(outcome: Outcome, states: list[_State], report: BuildReport) -> None:
    state = states[outcome.task.campaign]
    task = outcome.task
    if outcome.error is not None:
        report.failures.append(Failure(state.file, outcome.name, outcome.error))
        # An old copy would no longer match the campaign: remove it rather than leave it.
        for relative in task.outputs:
            state.recorded.pop(relative, None)
            with contextlib.suppress(OSError):
                (state.folder / relative).unlink()
        return
    report.rendered += 1
    report.notices.extend(f"{state.file}: {outcome.name}: {note}" for note in outcome.notes)
    keys = dict(task.keys)
    for relative, sha256 in outcome.files:
        path = state.folder / relative
        attached = state.attached if relative.endswith(".eml") else None
        state.recorded[relative] = cache.entry(keys[relative], path, sha256, attached)
        report.written.append(path)
        logger.info("wrote %s", path)


def _save_caches(states: list[_State], report: BuildReport) -> bool:
    """Record what each campaign's folder holds; a cache that cannot be written is a
    failure of the build (reported once). Returns whether every cache was written."""
    saved = True
    for state in states:
        if state.recorded or state.folder.is_dir():
            try:
                cache.write(state.folder, state.recorded)
            except OSError as exc:
                saved = False
                where = state.folder / cache.CACHE_FILE
                failure = Failure(state.file, "build cache", write_error(exc, where))
                if failure not in report.failures:
                    report.failures.append(failure)
    return saved
