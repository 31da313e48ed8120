"""One document: rendered once, written in every format asked, its files stored atomically.

The same functions run in the build's process and in pool workers (:mod:`briefgen.pool`);
nothing reaches the disk unless every format of the document was written.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from pathlib import Path

from . import pool, sendpack, workers
from .errors import BriefgenError
from .output import write_atomic, write_error
from .plan import DocumentPlan
from .pool import Outcome, Task
from .render import Renderer

logger = logging.getLogger(__name__)


def run_task(task: Task) -> Outcome:
    """Render one document in every format asked and write its files atomically; a failure
    (an error, the time limit, memory, a bug) is the outcome's ``error``."""
    workers.exit_if_orphaned()
    renderer, docs = pool.documents(task.campaign)
    doc = docs[task.key]
    limit = pool.time_limit_here()
    timer = workers.Timer()
    try:
        with workers.time_limit(limit, timer):
            files, notes = render_document(renderer, doc, task.formats, task.folder, task.attach)
    except workers.TimeLimit:
        return Outcome(task, doc.name, error=pool.too_long(limit))
    except BriefgenError as exc:  # a picture WeasyPrint stopped drawing when time ran out
        return Outcome(task, doc.name, error=pool.too_long(limit) if timer.expired else str(exc))
    except MemoryError:
        return Outcome(
            task,
            doc.name,
            error="ran out of memory (a worker may use "
            f"{pool.WORKER_MEMORY // 1024**3} GiB); check the templates for runaway output",
        )
    except Exception as exc:  # a bug: report it against this document, keep going
        logger.error("internal error while rendering %s:\n%s", doc.name, traceback.format_exc())
        return Outcome(task, doc.name, error=f"internal error: {type(exc).__name__}: {exc}")
    if timer.expired:  # the alarm was swallowed and the document went on without a part
        return Outcome(task, doc.name, error=pool.too_long(limit))
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
    # The writers load WeasyPrint: only if needed.
    from .write import WRITERS, NoEmailAddress
    from .write.eml import BRIEF

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
            if BRIEF in attachments and "pdf" not in attachments:  # attached, not written
                attachments["pdf"] = WRITERS["pdf"](rendered, produced)
            inputs = attachments
        try:
            produced[fmt] = WRITERS[fmt](rendered, inputs)
        except NoEmailAddress as exc:
            notes.append(f"{fmt} draft not written: {exc}")
    return [(doc.path(fmt).as_posix(), data) for fmt, data in produced.items()], notes
