"""``briefgen preview``: a local web page showing the campaign's documents, live.

A background thread builds the HTML of every document (with the build cache, so a save
re-renders only what it changed) each time a campaign file, asset or template is saved; the
pages listen on ``/events`` (server-sent events) and reload themselves after each build. If
a campaign has errors, every page shows them (file, line, column) and that campaign's
documents are hidden instead of shown stale; other campaigns stay visible. PDF and Word
files are rendered when their download link is first clicked.

The server listens on 127.0.0.1 only and answers only requests addressed to that host
(a web page elsewhere cannot read the previews through DNS rebinding): previews include
restricted editions.
"""

from __future__ import annotations

import html
import logging
import shutil
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from . import pipeline
from .errors import Problem
from .manifest import MANIFEST
from .manifest import read as read_manifest

if TYPE_CHECKING:
    from .watch import Watcher

log = logging.getLogger(__name__)

DOWNLOADS = {
    "pdf": "application/pdf",
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}

_RELOAD = """<script>
(() => {
  const generation = "%s";
  const banner = document.getElementById("building");
  const events = new EventSource("/events");
  events.addEventListener("building", () => { if (banner) banner.hidden = false; });
  events.onmessage = (event) => { if (event.data !== generation) location.reload(); };
})();
</script>"""

_STYLE = """<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d1d1f; }
header { background: #1f3a5f; color: #fff; padding: .6rem 1rem; display: flex; gap: 1rem;
         align-items: center; flex-wrap: wrap; }
header a { color: #fff; }
main { padding: 1rem; }
table { border-collapse: collapse; }
td, th { text-align: left; padding: .3rem .8rem .3rem 0; border-bottom: 1px solid #ddd; }
#problems { background: #fdecea; border: 1px solid #c62828; padding: .6rem 1rem; }
#problems pre { white-space: pre-wrap; margin: .2rem 0; font-size: 14px; }
#building { background: #fff4ce; padding: .4rem 1rem; }
iframe { border: 0; width: 100%; height: calc(100vh - 3rem); display: block; }
.status { opacity: .85; font-size: 13px; }
</style>"""


class Preview:
    """The documents of the campaigns at ``paths``, rebuilt on every save."""

    def __init__(self, paths: list[Path], output: Path | None = None) -> None:
        self.paths = paths
        self._own_output = output is None
        self.output = output or Path(tempfile.mkdtemp(prefix="briefgen-preview-"))
        self.generation = 0
        self.building = False
        self.problems: list[Problem] = []
        self.failures: list[pipeline.Failure] = []
        self.valid: set[str] = set()
        """Ids of the campaigns that were valid in the last build: only their documents
        are shown (another campaign's files are from before its errors)."""
        self.built_at = ""
        self.seconds = 0.0
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self._build_lock = threading.Lock()

    # -- building ----------------------------------------------------------------------

    def rebuild(self, _changed: list[Path] | None = None) -> None:
        """Build every document's HTML, then tell the pages to reload."""
        with self.changed:
            self.building = True
            self.changed.notify_all()
        started = time.monotonic()
        with self._build_lock:
            try:
                report = pipeline.build(self.paths, self.output, formats=("html",))
                problems, failures = report.problems, report.failures
                valid = set(report.campaigns)
            except Exception as exc:  # a broken template must not end the preview
                log.exception("preview build failed")
                problems = [Problem(file=Path(self.paths[0]), message=f"build failed: {exc}")]
                failures, valid = [], set()
        with self.changed:
            self.problems = problems
            self.failures = failures
            self.valid = valid
            self.seconds = time.monotonic() - started
            self.built_at = time.strftime("%H:%M:%S")
            self.building = False
            self.generation += 1
            self.changed.notify_all()

    def watch(self) -> None:
        """Rebuild after every save until :meth:`close`."""
        self.listen().run(self.rebuild)

    def listen(self) -> Watcher:
        """A watcher of what the previewed campaigns depend on, listening from now until
        :meth:`close`; ``listen().run(self.rebuild)`` keeps the preview up to date."""
        from .watch import Watcher

        return Watcher(self.paths, self.output, stop=self.stop)

    def download(self, campaign: str, relative: str, fmt: str) -> Path | None:
        """Render (if needed) the ``fmt`` file of the document whose HTML is ``relative``."""
        doc = self.document(campaign, relative)
        if doc is None:
            return None
        target = self.output / campaign / PurePosixPath(relative).with_suffix(f".{fmt}")
        with self._build_lock:
            options: dict[str, Any] = (
                {"recipients": [doc["letter"]]} if doc["kind"] == "letter" else {"only": "brief"}
            )
            pipeline.build(self.paths, self.output, formats=(fmt,), **options)
        return target if target.is_file() else None

    def close(self) -> None:
        self.stop.set()
        with self.changed:
            self.changed.notify_all()
        if self._own_output:
            shutil.rmtree(self.output, ignore_errors=True)

    # -- what the pages show -----------------------------------------------------------

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def documents(self) -> list[dict[str, Any]]:
        """The HTML documents built, per campaign, with a label for each."""
        found = []
        for manifest_file in sorted(self.output.glob(f"*/{MANIFEST}")):
            manifest = read_manifest(manifest_file.parent)
            if manifest.get("campaign") not in self.valid:
                continue
            names: dict[str, list[str]] = {}
            for person in manifest.get("recipients", {}).values():
                names.setdefault(person["letter"], []).append(person["name"])
            for entry in manifest.get("files", []):
                if entry.get("format") != "html":
                    continue
                letter = PurePosixPath(entry["path"]).stem
                if entry["kind"] == "letter":
                    label = "Letter to " + ", ".join(names.get(letter, [letter]))
                else:
                    label = f"Brief, {entry['edition']} edition"
                found.append(
                    {
                        "campaign": manifest["campaign"],
                        "path": entry["path"],
                        "kind": entry["kind"],
                        "letter": letter,
                        "label": label,
                        "edition": entry["edition"],
                        "language": entry["language"],
                    }
                )
        return found

    def document(self, campaign: str, relative: str) -> dict[str, Any] | None:
        return next(
            (d for d in self.documents() if (d["campaign"], d["path"]) == (campaign, relative)),
            None,
        )

    def _frame(self, title: str, body: str) -> str:
        with self.changed:
            generation, building = self.generation, self.building
        status = f"built {self.built_at} in {self.seconds:.1f} s" if self.built_at else ""
        problems = self._problems_html()
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>{_STYLE}</head><body>"
            f"<header><strong>briefgen preview</strong><a href='/'>All documents</a>"
            f"<span class='status'>{html.escape(status)}</span></header>"
            f"<div id='building' role='status' {'' if building else 'hidden'}>"
            "Rebuilding after your change…</div>"
            f"{problems}{body}{_RELOAD % generation}</body></html>"
        )

    def _problems_html(self) -> str:
        errors = self.errors()
        lines = [str(p) for p in errors] + [
            f"{f.campaign}: error: {f.document}: {f.message}" for f in self.failures
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
        table = (
            "<table><thead><tr><th>Campaign</th><th>Document</th><th>Language</th>"
            f"<th>Download</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            if rows
            else "<p>No documents yet.</p>"
        )
        return self._frame("briefgen preview", f"<main><h1>Documents</h1>{table}</main>")

    def document_page(self, campaign: str, relative: str) -> str | None:
        doc = self.document(campaign, relative)
        if doc is None:
            # A campaign with errors: its page shows them, not its document from before.
            return self._frame(f"{relative} — briefgen preview", "") if self.errors() else None
        label = doc["label"]
        links = " ".join(
            f"<a href='/download/{campaign}/{relative}?format={fmt}'>"
            f"Download {'PDF' if fmt == 'pdf' else 'Word'}</a>"
            for fmt in DOWNLOADS
        )
        body = (
            f"<div class='status' style='padding:.3rem 1rem'>{html.escape(label)} · {links}</div>"
            f"<iframe title='{html.escape(label)}' src='/files/{campaign}/{relative}'></iframe>"
        )
        return self._frame(f"{label} — briefgen preview", body)


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    """A server for ``preview`` bound to 127.0.0.1:``port`` (0: any free port)."""

    class Handler(_Handler):
        pass

    Handler.preview = preview
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    server_version = "briefgen-preview"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("preview: " + format, *args)

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in {"127.0.0.1", "localhost"}:
            self._send(HTTPStatus.FORBIDDEN, "text/plain", b"preview is for this computer only")
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == "/":
            self._page(self.preview.index_page())
        elif path == "/events":
            self._events()
        elif path.startswith("/doc/"):
            campaign, _, relative = path.removeprefix("/doc/").partition("/")
            self._page(self.preview.document_page(campaign, relative))
        elif path.startswith("/files/"):
            self._file(path.removeprefix("/files/"))
        elif path.startswith("/download/"):
            fmt = url.query.removeprefix("format=")
            campaign, _, relative = path.removeprefix("/download/").partition("/")
            self._download(campaign, relative, fmt)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found")

    def _page(self, page: str | None) -> None:
        if page is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"no such document")
        else:
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"))

    def _file(self, relative: str) -> None:
        # Only the HTML of campaigns valid in the last build (not files from before an error).
        campaign = relative.split("/", 1)[0]
        root = (self.preview.output / campaign).resolve()
        target = (root / relative.partition("/")[2]).resolve()
        if (
            campaign not in self.preview.valid
            or not target.is_relative_to(root)
            or target.suffix != ".html"
            or not target.is_file()
        ):
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found")
            return
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", target.read_bytes())

    def _download(self, campaign: str, relative: str, fmt: str) -> None:
        if fmt not in DOWNLOADS:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain", b"format must be pdf or docx")
            return
        target = self.preview.download(campaign, relative, fmt)
        if target is None:
            self._send(
                HTTPStatus.CONFLICT,
                "text/plain; charset=utf-8",
                b"This document cannot be rendered now: see the errors on the preview page.",
            )
            return
        name = f"{campaign}-{target.name}"
        self._send(
            HTTPStatus.OK,
            DOWNLOADS[fmt],
            target.read_bytes(),
            {"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        sent, building_sent = -1, False
        try:
            while not preview.stop.is_set():
                with preview.changed:
                    if preview.generation == sent and preview.building == building_sent:
                        preview.changed.wait(timeout=15)
                    generation, building = preview.generation, preview.building
                if building and not building_sent:
                    self.wfile.write(b"event: building\ndata: 1\n\n")
                if generation != sent:
                    self.wfile.write(f"data: {generation}\n\n".encode())
                elif not building:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                sent, building_sent = generation, building
        except (BrokenPipeError, ConnectionResetError):
            return

    def _send(
        self,
        status: HTTPStatus,
        content_type: str,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
