"""``briefgen preview``: a local web page showing the campaign's documents, live.

The page lists every document as soon as the campaigns are checked and planned (a second or
two); their HTML is rendered afterwards, in the background, the document someone opens first
(it jumps the queue). Pages show "rendering n of m" while that goes on, and the terminal says
what is being done. Each save of a campaign file, asset or template renders again what it
changed (with the build cache), the documents open in a browser first; a save in the middle
of a build drops the rest of that build and starts over. Pages listen on ``/events``
(server-sent events) and reload themselves when what they show has changed. If a campaign
has errors, every page shows them (file, line, column) and that campaign's documents are
hidden instead of shown stale; other campaigns stay visible. PDF and Word files are rendered
when their download link is first clicked.

The server listens on 127.0.0.1 only and answers only requests addressed to that host
(a web page elsewhere cannot read the previews through DNS rebinding): previews include
restricted editions.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import pipeline
from .errors import Problem, errors_in
from .options import BuildOptions
from .plan import DocumentKey, DocumentPlan
from .pool import Outcome, Task
from .preview_http import DOWNLOADS, RELOAD, STYLE, make_server
from .report import BuildReport, Failure, Progress
from .schedule import TaskQueue

if TYPE_CHECKING:
    from .watch import Watcher

log = logging.getLogger(__name__)


_SAY_EVERY = 2.0
"""Seconds between the terminal's progress lines while documents render."""


def _html_path(key: DocumentKey) -> str:
    _kind, edition, language, letter = key
    return f"letters/{letter}.html" if letter is not None else f"brief.{edition}.{language}.html"


def _entry(campaign: str, doc: DocumentPlan) -> dict[str, Any]:
    """What the pages show of one document."""
    if doc.letter is not None:
        names = [r.name.resolve(doc.language, doc.language)[0] for r in doc.letter.to]
        label = "Letter to " + ", ".join(names)
    else:
        label = f"Brief, {doc.edition} edition"
    return {
        "campaign": campaign,
        "path": _html_path(doc.key),
        "kind": doc.kind,
        "letter": doc.letter.id if doc.letter else PurePosixPath(_html_path(doc.key)).stem,
        "label": label,
        "edition": doc.edition,
        "language": doc.language,
    }


class Preview:
    """The documents of the campaigns at ``paths``, rendered lazily and again on every save.

    ``say`` receives one line of text about what is being done (the CLI prints it);
    ``output`` is where the HTML goes (default: a temporary folder, removed by :meth:`close`);
    ``jobs`` the worker processes of each build (``None``: one per CPU).
    """

    def __init__(
        self,
        paths: list[Path],
        output: Path | None = None,
        say: Callable[[str], None] | None = None,
        jobs: int | None = None,
    ) -> None:
        self.paths = paths
        self.jobs = jobs
        self.options = BuildOptions(formats=("html",), jobs=jobs)
        """What the pages show is built as HTML; downloads change the format."""
        self._own_output = output is None
        self.output = output or Path(tempfile.mkdtemp(prefix="briefgen-preview-"))
        self.say = say or (lambda _line: None)
        self.plan_generation = 0
        """Changes when the list of documents or the problems change (pages reload)."""
        self.phase = "starting"  # then "checking", "rendering", "idle"
        self.problems: list[Problem] = []
        self.failures: dict[tuple[str, str], Failure] = {}
        self.valid: set[str] = set()
        """Ids of the campaigns that were valid when last checked: only their documents
        are shown (another campaign's files are from before its errors)."""
        self.entries: list[dict[str, Any]] = []
        self.files: dict[str, Path] = {}
        """The file of each valid campaign, by id."""
        self.versions: dict[tuple[str, str], int] = {}
        """How many times each document's HTML was written by this preview."""
        self.total = 0
        self.count = 0
        self.built_at = ""
        self.seconds = 0.0
        self.queue: TaskQueue[Task] | None = None
        self.pending: set[tuple[str, str]] = set()
        """Documents the current build has still to render."""
        self.opened: dict[tuple[str, str], float] = {}
        """Documents asked for, with the time they last were."""
        self.watchers: dict[tuple[str, str], int] = {}
        """Pages listening for changes, per document they show."""
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.wanted = threading.Event()
        """Set when the documents need rendering again (start, a save)."""
        self._build_lock = threading.Lock()

    # -- building ----------------------------------------------------------------------

    def start(self) -> None:
        """Render in the background from now on: at once, then after every save."""
        listening = self.listen()  # before the first build: a save made during it counts
        self.wanted.set()
        threading.Thread(target=self._builder, name="briefgen-preview", daemon=True).start()
        threading.Thread(
            target=listening.run, args=(self.saved,), name="briefgen-watch", daemon=True
        ).start()

    def _builder(self) -> None:
        while not self.stop.is_set():
            if self.wanted.wait(timeout=0.5):
                self.wanted.clear()
                self.rebuild()

    def saved(self, changed: list[Path]) -> None:
        """Files were saved: drop what is left of the current build and start again."""
        shown = [p for p in changed if p.exists()] or changed
        names = ", ".join(p.name for p in shown[:3]) + (" ..." if len(shown) > 3 else "")
        with self.changed:
            dropped = self.queue.clear() if self.queue is not None else []
        self.say(
            f"changed: {names}; rendering again"
            + (" (rest of the build dropped)" if dropped else "")
        )
        self.wanted.set()

    def rebuild(self, _changed: list[Path] | None = None) -> None:
        """Check and plan every campaign, then render the HTML of what is out of date (the
        documents open in a browser first). Returns when all are rendered."""
        if self.stop.is_set():  # closed: its folder is gone
            return
        started = time.monotonic()
        with self.changed:
            self.phase = "checking"
            self.total = self.count = 0
            self.changed.notify_all()
        self.say(f"checking {', '.join(str(p) for p in self.paths)}")
        with self._build_lock:
            try:
                report = pipeline.build(
                    self.paths, self.output, self.options, progress=_Progress(self)
                )
                problems = report.problems
            except Exception as exc:  # a broken template must not end the preview
                log.exception("preview build failed")
                report = None
                problems = [Problem(file=Path(self.paths[0]), message=f"build failed: {exc}")]
        with self.changed:
            if report is None:
                self._publish(problems, set(), [])
            self.queue = None
            self.pending.clear()
            self.seconds = time.monotonic() - started
            self.built_at = time.strftime("%H:%M:%S")
            self.phase = "idle"
            self.changed.notify_all()
        failed = len(self.failures)
        errors = errors_in(problems)
        if report is not None and not self.wanted.is_set():
            self.say(
                f"rendered {self.count} of {self.total} documents in {self.seconds:.1f} s"
                + (f"; {failed} failed (shown on the page)" if failed else "")
                + ("; the campaign has errors (shown on the page)" if errors else "")
            )

    def _publish(
        self, problems: list[Problem], valid: set[str], entries: list[dict[str, Any]]
    ) -> None:
        """New problems and documents (call with ``self.changed`` held)."""
        before = ([str(p) for p in self.problems], self.valid, self.entries)
        self.problems, self.valid, self.entries = problems, valid, entries
        self.failures = {k: f for k, f in self.failures.items() if k[0] in valid}
        if ([str(p) for p in problems], valid, entries) != before:
            self.plan_generation += 1

    def open_document(self, campaign: str, relative: str, *, watching: bool = False) -> None:
        """Someone opened this document (``watching``: a page showing it listens for
        changes): render it next if it is waiting, and first in later builds while open."""
        key = (campaign, relative)
        with self.changed:
            self.opened[key] = time.monotonic()
            if watching:
                self.watchers[key] = self.watchers.get(key, 0) + 1
            queue = self.queue
        if queue is None:
            return
        upcoming = queue.peek()
        if upcoming is not None and _task_document(upcoming) == key:
            return  # already next
        if queue.prioritise(functools.partial(_is_document, key)):
            self.say(f"rendering {campaign}/{relative} next (opened in the browser)")

    def closed_document(self, campaign: str, relative: str) -> None:
        """A page showing this document stopped listening (closed, or reloading)."""
        with self.changed:
            key = (campaign, relative)
            self.watchers[key] = self.watchers.get(key, 1) - 1
            if self.watchers[key] <= 0:
                del self.watchers[key]

    def open_documents(self) -> list[tuple[str, str]]:
        """The documents open in a browser, most recently opened first: those a page is
        showing, and those asked for in the last seconds (a page being loaded)."""
        now = time.monotonic()
        with self.changed:
            return sorted(
                (k for k, t in self.opened.items() if k in self.watchers or now - t < 10),
                key=self.opened.__getitem__,
                reverse=True,
            )

    def watch(self) -> None:
        """Render again after every save until :meth:`close`."""
        self.listen().run(self.saved)

    def listen(self) -> Watcher:
        """A watcher of what the previewed campaigns depend on, listening from now until
        :meth:`close`; ``listen().run(self.saved)`` keeps the preview up to date."""
        from .watch import Watcher

        return Watcher(self.paths, self.output, stop=self.stop)

    def download(self, campaign: str, relative: str, fmt: str) -> Path | None:
        """Render (if needed) the ``fmt`` file of the document whose HTML is ``relative``."""
        doc = self.document(campaign, relative)
        if doc is None:
            return None
        target = self.output / campaign / PurePosixPath(relative).with_suffix(f".{fmt}")
        with self._build_lock:
            options = self.options.but(formats=(fmt,))
            if doc["kind"] == "letter":
                options = options.but(recipients=(doc["letter"],))
            else:
                options = options.but(only="brief")
            pipeline.build(self.paths, self.output, options)
        return target if target.is_file() else None

    def close(self) -> None:
        self.stop.set()
        with self.changed:
            if self.queue is not None:
                self.queue.clear()
            self.changed.notify_all()
        with self._build_lock:  # let a build in progress end before its folder goes
            if self._own_output:
                shutil.rmtree(self.output, ignore_errors=True)

    # -- what the pages show -----------------------------------------------------------

    def errors(self) -> list[Problem]:
        return errors_in(self.problems)

    def documents(self) -> list[dict[str, Any]]:
        """Every document of the valid campaigns, rendered or not, with a label for each."""
        with self.changed:
            return [e for e in self.entries if e["campaign"] in self.valid]

    def document(self, campaign: str, relative: str) -> dict[str, Any] | None:
        return next(
            (d for d in self.documents() if (d["campaign"], d["path"]) == (campaign, relative)),
            None,
        )

    def ready(self, campaign: str, relative: str) -> bool:
        """Whether the document's HTML is there to show (perhaps from before a save)."""
        if (campaign, relative) in self.failures:
            return False
        return (self.output / campaign / relative).is_file()

    def status(self) -> str:
        """What the preview is doing, in a few words ("rendering 3 of 13")."""
        with self.changed:
            if self.phase in ("starting", "checking"):
                return "checking the campaign…"
            if self.phase == "rendering" and self.total:
                return f"rendering {self.count} of {self.total}"
            return f"built {self.built_at} in {self.seconds:.1f} s" if self.built_at else ""

    def state(self, doc: tuple[str, str] | None) -> dict[str, Any]:
        """What a page watches: the plan, its document's version, whether what it shows is
        about to be replaced (``stale``: a save is being checked, or the document waits to
        be rendered again), and the progress."""
        with self.changed:
            stale = (
                doc is not None
                and (self.phase == "checking" or doc in self.pending)
                and self.ready(*doc)
            )
            return {
                "plan": self.plan_generation,
                "version": self.versions.get(doc, 0) if doc else 0,
                "stale": stale,
                "status": self.status(),
            }

    def _frame(self, title: str, body: str, doc: tuple[str, str] | None = None) -> str:
        shown = self.state(doc)
        stale = shown["stale"]
        script = json.dumps(
            {"plan": shown["plan"], "version": shown["version"], "doc": "/".join(doc or ())}
        ).replace("<", "\\u003c")
        problems = self._problems_html()
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>{STYLE}</head><body>"
            f"<header><strong>briefgen preview</strong><a href='/'>All documents</a>"
            f"<span class='status' id='progress' role='status'>{html.escape(shown['status'])}"
            "</span></header>"
            f"<div id='building' role='status' {'' if stale else 'hidden'}>"
            "Rebuilding after your change…</div>"
            f"{problems}{body}{RELOAD % script}</body></html>"
        )

    def _problems_html(self) -> str:
        errors = self.errors()
        with self.changed:
            failures = list(self.failures.values())
        lines = [str(p) for p in errors] + [
            f"{f.campaign}: error: {f.document}: {f.message}" for f in failures
        ]
        if not lines:
            return ""
        heading = (
            "The campaign has errors: fix them and save; its documents come back by themselves."
            if errors
            else "Some documents could not be rendered:"
        )
        items = "".join(f"<pre>{html.escape(line)}</pre>" for line in lines)
        return (
            f"<main><section id='problems' role='alert'><h2>{heading}</h2>{items}</section></main>"
        )

    def index_page(self) -> str:
        rows = []
        for doc in self.documents():
            view = f"/doc/{doc['campaign']}/{doc['path']}"
            links = " ".join(
                f"<a href='/download/{doc['campaign']}/{doc['path']}?format={fmt}'>"
                f"{'PDF' if fmt == 'pdf' else 'Word'}</a>"
                for fmt in DOWNLOADS
            )
            rows.append(
                f"<tr><td>{html.escape(doc['campaign'])}</td>"
                f"<td><a href='{html.escape(view)}'>{html.escape(doc['label'])}</a></td>"
                f"<td>{doc['language']}</td><td>{links}</td></tr>"
            )
        if rows:
            body = (
                "<table><thead><tr><th>Campaign</th><th>Document</th><th>Language</th>"
                f"<th>Download</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
        elif self.phase in ("starting", "checking"):
            body = "<p class='waiting'>Checking the campaign…</p>"
        else:
            body = "<p>No documents yet.</p>"
        return self._frame("briefgen preview", f"<main><h1>Documents</h1>{body}</main>")

    def document_page(self, campaign: str, relative: str) -> str | None:
        doc = self.document(campaign, relative)
        if doc is None:
            if self.phase in ("starting", "checking"):  # not planned yet: wait for it
                return self._frame(
                    f"{relative} — briefgen preview",
                    "<p class='waiting'>Checking the campaign…</p>",
                )
            # A campaign with errors: its page shows them, not its document from before.
            return self._frame(f"{relative} — briefgen preview", "") if self.errors() else None
        self.open_document(campaign, relative)
        label = doc["label"]
        links = " ".join(
            f"<a href='/download/{campaign}/{relative}?format={fmt}'>"
            f"Download {'PDF' if fmt == 'pdf' else 'Word'}</a>"
            for fmt in DOWNLOADS
        )
        head = (
            f"<div class='status' style='padding:.3rem 1rem'>{html.escape(label)} · {links}</div>"
        )
        if self.ready(campaign, relative):
            view = (
                f"<iframe title='{html.escape(label)}' src='/files/{campaign}/{relative}'></iframe>"
            )
        elif (campaign, relative) in self.failures:
            view = "<p class='waiting'>This document could not be rendered (see above).</p>"
        else:
            view = "<p class='waiting' id='waiting'>Rendering this document first…</p>"
        return self._frame(f"{label} — briefgen preview", head + view, (campaign, relative))


def _task_document(task: Task) -> tuple[str, str]:
    return (task.folder.name, _html_path(task.key))


def _is_document(key: tuple[str, str], task: Task) -> bool:
    return _task_document(task) == key


class _Progress(Progress):
    """Tells the preview (and so the pages and the terminal) how its build goes."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.last_said = time.monotonic()

    def planned(
        self,
        report: BuildReport,
        documents: dict[str, list[DocumentPlan]],
        queue: TaskQueue[Task],
    ) -> None:
        preview = self.preview
        entries = [_entry(cid, doc) for cid, docs in documents.items() for doc in docs]
        with preview.changed:
            preview._publish(report.problems, set(report.campaigns), entries)  # noqa: SLF001
            preview.queue = queue
            queue.steered = True  # a document opened in the browser is rendered next
            preview.pending = {_task_document(t) for t in queue.snapshot()}
            preview.files = dict(report.campaigns)
            preview.total, preview.count = len(queue), 0
            preview.phase = "rendering"
            preview.changed.notify_all()
        opened = preview.open_documents()
        for key in reversed(opened):  # the most recently opened ends up first
            queue.prioritise(functools.partial(_is_document, key))
        for problem in errors_in(report.problems):
            preview.say(str(problem))
        first = [
            f"{c}/{p}" for c, p in map(_task_document, queue.snapshot()[:1]) if (c, p) in opened
        ]
        preview.say(
            f"{len(entries)} documents; rendering {len(queue)}"
            + (f", {first[0]} first (open in the browser)" if first else "")
            + (f"; {report.unchanged} up to date" if report.unchanged else "")
        )

    def finished(self, outcome: Outcome) -> None:
        preview = self.preview
        key = _task_document(outcome.task)
        with preview.changed:
            preview.count += 1
            preview.pending.discard(key)
            if outcome.error is not None:
                file = preview.files.get(key[0], preview.paths[0])
                preview.failures[key] = Failure(file, outcome.name, outcome.error)
            else:
                preview.failures.pop(key, None)
                preview.versions[key] = preview.versions.get(key, 0) + 1
            count, total = preview.count, preview.total
            preview.changed.notify_all()
        opened = key in preview.open_documents()
        now = time.monotonic()
        if opened:
            preview.say(f"rendered {key[0]}/{key[1]} (open in the browser)")
        elif now - self.last_said > _SAY_EVERY and count < total:
            preview.say(f"rendering: {count} of {total} done")
            self.last_said = now


__all__ = ["Preview", "make_server"]
