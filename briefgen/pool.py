"""Where documents render: this process, or a pool of worker processes that keep their state.

A worker keeps the campaigns, their renderers (compiled templates, font configuration,
reference document) and planned documents between documents. Each document runs with the
garbage collector held back until it ends, on a roomy frame stack, under a time limit (an
alarm in this process; in the pool, its worker is ended) and, in a worker, a memory limit.
A worker that crashes fails only its own document. The public interface: :class:`Task` and
:class:`Outcome`, :func:`run` (which chooses where), :func:`run_here`,
:func:`run_in_workers`, :func:`documents` (a worker's renderer and plans),
:func:`time_limit_here` and :func:`on_roomy_stack`.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import math
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import workers
from .model import Campaign
from .plan import DocumentKey, DocumentPlan, plan
from .render import Renderer
from .schedule import TaskQueue


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


Work = Callable[[Task], Outcome]
"""What is done with each task (a module-level function, so that workers can be sent it)."""

Campaigns = list[tuple[Path, Campaign]]

WORKER_MEMORY = 4 * 1024**3
"""Address space a worker process may use: a template that produces gigabytes fails its
document instead of exhausting the machine."""

CRASHED = "the worker process rendering this document crashed"

_WORKER: dict[str, Any] = {}
"""This process's worker state: campaigns, renderers and plans by campaign, time limit."""


def too_long(timeout: float | None) -> str:
    """Why a document stopped after ``timeout`` seconds."""
    return f"took longer than {timeout or 0:g} s and was stopped"


def documents(index: int) -> tuple[Renderer, dict[DocumentKey, DocumentPlan]]:
    """In a worker (or this process while :func:`run_here` runs): the renderer of campaign
    ``index`` and its documents by key, made on first use and kept."""
    if index not in _WORKER["renderers"]:
        file, campaign = _WORKER["campaigns"][index]
        _WORKER["renderers"][index] = Renderer(campaign, file)
        _WORKER["docs"][index] = {d.key: d for d in plan(campaign)}
    return _WORKER["renderers"][index], _WORKER["docs"][index]


def time_limit_here() -> float | None:
    """Seconds a document may take when it renders in this process (``None``: no alarm;
    in a pool worker, the pool ends the worker instead)."""
    limit: float | None = _WORKER.get("time_limit")
    return limit


def _limit_memory() -> None:
    with contextlib.suppress(ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))


def start_worker(campaigns: Campaigns, parent: int) -> None:
    """What a worker process runs first: end with the build ``parent``, limit its memory,
    take the campaigns."""
    workers.die_with_parent(parent)
    _limit_memory()
    _init(campaigns)


def _init(campaigns: Campaigns) -> None:
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


on_roomy_stack: Callable[[Callable[[Any], Any], Any], Any] = types.FunctionType(
    _call.__code__.replace(co_stacksize=33_000), {}
)
"""``on_roomy_stack(function, argument)`` calls ``function(argument)`` with a 256 KiB frame,
so that everything it calls runs in one 512 KiB chunk of the interpreter's frame stack.

CPython 3.11+ keeps Python frames in 16 KiB chunks, mapped when the call depth crosses a
chunk's end and unmapped when it returns below it. WeasyPrint's deeply recursive layout
crosses such a boundary hundreds of times per letter: one ``mmap``/``munmap`` pair plus
page faults each time (measured: ~450 pairs per letter in a worker). The chunk holding
this large frame is allocated once per document instead. Interpreters that size frames
differently just reserve a little more stack."""


def _perform(work: Work, task: Task) -> Outcome:
    """Do ``work`` on one task, as every document is done: garbage collected after it, on a
    roomy frame stack."""
    with _collect_after():
        outcome: Outcome = on_roomy_stack(work, task)
        return outcome


def run(
    tasks: TaskQueue[Task],
    campaigns: Campaigns,
    work: Work,
    *,
    jobs: int,
    timeout: float | None,
    isolate: bool,
) -> Iterator[Outcome]:
    """Do ``work`` on every task of the queue, where it fits, and yield each outcome.

    With ``isolate`` (a campaign's own templates: untrusted code) always in worker
    processes, under their time and memory limits, even for a single document. Otherwise
    ``jobs=1`` or a single document runs in this process under an alarm for the time limit;
    where there can be none (a thread, as in the preview), in one worker process.
    """
    serial = not isolate and (jobs == 1 or len(tasks) < 2)
    if serial and (timeout is None or workers.can_limit_time()):
        return run_here(tasks, campaigns, work, timeout)
    # Load the writers (WeasyPrint, python-docx) before the workers fork: they inherit
    # them instead of each importing them again.
    import briefgen.write  # noqa: F401

    limit = math.inf if timeout is None else timeout
    return run_in_workers(tasks, campaigns, work, max(1, min(jobs, len(tasks))), limit)


def run_here(
    tasks: TaskQueue[Task] | list[Task],
    campaigns: Campaigns,
    work: Work,
    timeout: float | None,
) -> Iterator[Outcome]:
    """Do ``work`` on ``tasks`` in this process, each stopped after ``timeout`` seconds
    (``None``: no limit; a limit needs the main thread, see :func:`workers.can_limit_time`)."""
    queue = tasks if isinstance(tasks, TaskQueue) else TaskQueue(tasks)
    _init(campaigns)
    _WORKER["time_limit"] = timeout
    try:
        while (task := queue.pop()) is not None:
            yield _perform(work, task)
    finally:
        if _WORKER.pop("frozen", False):  # this process goes on (build --watch, preview)
            gc.unfreeze()
        free_garbage()  # before workers fork in the next phase


def run_in_workers(
    tasks: TaskQueue[Task] | list[Task],
    campaigns: Campaigns,
    work: Work,
    jobs: int,
    timeout: float,
) -> Iterator[Outcome]:
    """Do ``work`` on ``tasks`` in ``jobs`` worker processes, one document per worker at a
    time.

    One more document than there are workers is handed to the pool, so that a worker that
    finishes starts the next document at once instead of waiting for this process to hear
    of it (unless the queue is steered, as by the preview: then the next document is chosen
    when a worker is free). If a worker dies (a crash in a library), the documents that were
    in flight are retried one by one in a fresh worker, so the one that crashes is reported
    as failed and the others are written. A document that takes longer than ``timeout``
    seconds (a runaway template) is stopped and reported as failed. The pool then carries
    on with the rest. ``tasks`` are taken from the front of the queue, whose order may change
    meanwhile.
    """
    queue = tasks if isinstance(tasks, TaskQueue) else TaskQueue(tasks)
    while queue:
        ahead = 0 if queue.steered else 1
        suspects: list[Task] = []
        with _pool(jobs, campaigns) as pool:
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
                        future = pool.submit(_perform, work, task)
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
                            yield Outcome(task, task.name, error=too_long(timeout))
                        queue.put_back(task for task, _started in running.values())
                        running.clear()
                        _end_workers(pool)
                        break
            except BrokenProcessPool:
                suspects = [task for task, _started in running.values()]
                if not suspects and queue:  # the pool broke before taking any document:
                    suspects = [t for t in [queue.pop()] if t]  # one by one, so it ends
        for task in suspects:  # isolate the crash
            with _pool(1, campaigns) as single:
                try:
                    yield single.submit(_perform, work, task).result()
                except BrokenProcessPool:
                    yield Outcome(task, task.name, error=CRASHED)


def free_garbage() -> None:
    """Free now, in this thread, the garbage that holds Pango objects (pictures drawn by
    check, documents rendered in this process). Freed by a collection in another thread
    while a worker process forks, it could leave GLib's allocator locked in the worker,
    which would then hang in its first layout."""
    gc.collect()


def _pool(jobs: int, campaigns: Campaigns) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(jobs, initializer=start_worker, initargs=(campaigns, os.getpid()))


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """The only way to stop a running document: end its worker process."""
    for process in list(pool._processes.values()):  # noqa: SLF001
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
