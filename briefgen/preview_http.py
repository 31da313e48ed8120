"""The HTTP side of ``briefgen preview``: pages, files, downloads and server-sent events.

Bound to 127.0.0.1, and answering only requests addressed to that host or ``localhost``.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from .preview import Preview

log = logging.getLogger("briefgen.preview")

# The script of every page (``%s``: what the page shows, as JSON): it shows the progress and
# reloads the page when what it shows has changed.
RELOAD = """<script>
(() => {
  const shown = %s;
  const banner = document.getElementById("building");
  const status = document.getElementById("progress");
  const query = shown.doc ? "?doc=" + encodeURIComponent(shown.doc) : "";
  const events = new EventSource("/events" + query);
  events.onmessage = (event) => {
    const now = JSON.parse(event.data);
    if (status) status.textContent = now.status;
    if (banner) banner.hidden = !now.stale;
    if (now.plan !== shown.plan || now.version !== shown.version) location.reload();
  };
})();
</script>"""

STYLE = """<style>
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
.waiting { padding: 2rem 1rem; font-size: 17px; }
iframe { border: 0; width: 100%; height: calc(100vh - 3rem); display: block; }
.status { opacity: .85; font-size: 13px; }
</style>"""

DOWNLOADS = {
    "pdf": "application/pdf",
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


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
        try:
            self._get()
        except (BrokenPipeError, ConnectionResetError):  # the page went away meanwhile
            log.debug("preview: %s: connection closed by the browser", self.path)

    def _get(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in {"127.0.0.1", "localhost"}:
            self._send(HTTPStatus.FORBIDDEN, "text/plain", b"preview is for this computer only")
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == "/":
            self._page(self.preview.index_page())
        elif path == "/events":
            doc = parse_qs(url.query).get("doc", [""])[0]
            campaign, _, relative = doc.partition("/")
            self._events((campaign, relative) if relative else None)
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

    def _events(self, doc: tuple[str, str] | None) -> None:
        """The state a page watches (JSON), each time it changes; while a document page
        listens, its document counts as open (rendered first)."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        if doc is not None:
            preview.open_document(*doc, watching=True)
        sent: dict[str, Any] | None = None
        try:
            while not preview.stop.is_set():
                state = preview.state(doc)
                if state != sent:
                    self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                    sent = state
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                with preview.changed:
                    if preview.state(doc) == sent:
                        preview.changed.wait(timeout=15)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            if doc is not None:
                preview.closed_document(*doc)

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
