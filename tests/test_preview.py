"""Issue 11: ``briefgen preview`` end to end in headless Chromium, and its HTTP contract."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from briefgen import document
from briefgen.preview import Preview, make_server
from briefgen.scaffold import new_campaign
from tests.conftest import DATA

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A campaign just created by ``briefgen new``."""
    return new_campaign("live", tmp_path / "briefs")[0]


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, text in enumerate(lines, 1) if text.startswith(start))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def server(fresh: Path) -> Iterator[str]:
    """``briefgen preview`` running in a subprocess on a free port; yields its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "preview", str(fresh), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=fresh.parent.parent,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.match(r"preview: (http://127\.0\.0\.1:\d+/)", line)
        assert match, (line, process.stderr.read() if process.poll() is not None else "")
        yield match.group(1)
    finally:
        process.terminate()
        process.communicate(timeout=20)  # also closes the pipes


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("BRIEFGEN_REQUIRE_BROWSER"),
    reason="no chromium here (CI installs it and sets BRIEFGEN_REQUIRE_BROWSER)",
)
def test_preview_in_a_browser_follows_edits_and_shows_errors(server: str, fresh: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM, "BRIEFGEN_REQUIRE_BROWSER is set but chromium is not installed"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            page.goto(server)
            page.get_by_role("link", name="Letter to First Last").click()
            frame = page.frame_locator("iframe")
            expect(frame.get_by_text("Release everyone detained")).to_be_visible()
            expect(page.get_by_role("link", name="Download PDF")).to_be_visible()

            # Saving the YAML re-renders; the page reloads itself with the new text.
            _edit(
                fresh,
                "Release everyone detained for their peaceful activism",
                "Free every peaceful critic held today",
            )
            expect(frame.get_by_text("Free every peaceful critic held today")).to_be_visible(
                timeout=30_000
            )

            # An error replaces the document with the problem, file and line.
            line = _line(fresh, "    role: mep")
            _edit(fresh, "    role: mep ", "    role: king")
            problems = page.locator("#problems")
            expect(problems).to_contain_text(f"live.yaml:{line}:11", timeout=30_000)
            expect(problems).to_contain_text("recipients[0].role")
            expect(page.locator("iframe")).to_have_count(0)

            # Fixing it brings the document back, without touching the browser.
            _edit(fresh, "    role: king", "    role: mep ")
            expect(frame.get_by_text("Free every peaceful critic held today")).to_be_visible(
                timeout=30_000
            )
            expect(page.locator("#problems")).to_have_count(0)
        finally:
            browser.close()


@pytest.fixture
def in_thread(fresh: Path) -> Iterator[tuple[str, Preview]]:
    """A preview served from a thread (no watcher): for the HTTP contract."""
    preview = Preview([fresh])
    preview.rebuild()
    http = make_server(preview, 0)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_address[1]}", preview
    finally:
        http.shutdown()
        http.server_close()
        preview.close()


def _get(url: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_preview_downloads_render_pdf_and_word(in_thread: tuple[str, Preview]) -> None:
    base, _preview = in_thread
    status, headers, body = _get(f"{base}/download/live/letters/example-recipient.html?format=pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert 'filename="live-example-recipient.pdf"' in headers["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
    assert "Release everyone detained" in re.sub(r"\s+", " ", text)
    status, headers, body = _get(f"{base}/download/live/brief.public.en.html?format=docx")
    assert status == 200
    assert body[:2] == b"PK"


def test_preview_refuses_other_hosts_and_paths_outside(in_thread: tuple[str, Preview]) -> None:
    base, _preview = in_thread
    assert _get(f"{base}/", host="attacker.example")[0] == 403
    assert _get(f"{base}/files/live/../../../../etc/passwd")[0] == 404
    assert _get(f"{base}/files/live/.briefgen-cache.json")[0] == 404
    assert _get(f"{base}/doc/live/letters/nobody.html")[0] == 404
    assert _get(f"{base}/download/live/brief.public.en.html?format=exe")[0] == 400


def test_preview_shows_errors_instead_of_documents(
    in_thread: tuple[str, Preview], fresh: Path
) -> None:
    base, preview = in_thread
    line = _line(fresh, "  id: live")
    _edit(fresh, "  id: live", "  id: Live Campaign")
    preview.rebuild()
    status, _headers, body = _get(f"{base}/doc/live/letters/example-recipient.html")
    page = body.decode("utf-8")
    assert status == 200
    assert f"live.yaml:{line}:7: error: campaign.id: &#x27;Live Campaign&#x27; is not" in page
    assert "<iframe" not in page
    assert _get(f"{base}/download/live/brief.public.en.html?format=pdf")[0] == 409


def test_an_error_in_one_campaign_leaves_the_others_documents(tmp_path: Path) -> None:
    good = new_campaign("live", tmp_path / "briefs")[0]
    bad = new_campaign("other", tmp_path / "briefs")[0]
    preview = Preview([good, bad])
    preview.rebuild()
    assert {d["campaign"] for d in preview.documents()} == {"live", "other"}
    line = _line(bad, "    role:")
    _edit(bad, "    role: mep", "    role: deputy")
    preview.rebuild()
    http = make_server(preview, 0)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{http.server_address[1]}"
        index = _get(f"{base}/")[2].decode("utf-8")
        assert f"other.yaml:{line}:11: error: recipients[0].role" in index
        assert "/doc/live/letters/example-recipient.html" in index
        assert "/doc/other/" not in index  # its files are from before the error
        page = _get(f"{base}/doc/live/letters/example-recipient.html")[2].decode("utf-8")
        assert "<iframe" in page
        assert "recipients[0].role" in page
        page = _get(f"{base}/doc/other/letters/example-recipient.html")[2].decode("utf-8")
        assert "<iframe" not in page
        assert "recipients[0].role" in page
        assert _get(f"{base}/files/other/letters/example-recipient.html")[0] == 404
        assert _get(f"{base}/files/live/letters/example-recipient.html")[0] == 200
        assert _get(f"{base}/download/other/brief.public.en.html?format=pdf")[0] == 409
    finally:
        http.shutdown()
        http.server_close()
        preview.close()


# -- issue 22: the index at once, the opened document first, progress --------------------


Gate = tuple[Any, Any, Any]


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """Documents wait at a gate before they render; yields (the order in which they were
    rendered, the gate, documents after which the gate closes again). The test opens it.

    The preview renders in a worker process (a thread cannot stop a runaway template), so the
    gate and its lists are shared across processes: a forked worker inherits the patched
    ``render_document`` and reaches them through a manager."""
    context = multiprocessing.get_context("fork")
    manager = context.Manager()
    order = manager.list()
    opened = context.Event()
    close_after = manager.list()
    real = document.render_document

    def gated(renderer: Any, doc: Any, formats: tuple[str, ...], *args: Any) -> Any:
        assert opened.wait(timeout=120)
        path = doc.path("html").as_posix()
        order.append(path)
        result = real(renderer, doc, formats, *args)
        if path in close_after:
            close_after.remove(path)
            opened.clear()
        return result

    monkeypatch.setattr(document, "render_document", gated)
    try:
        yield order, opened, close_after
    finally:
        opened.set()
        manager.shutdown()


@pytest.fixture
def scripts_campaign(tmp_path: Path) -> Path:
    """A copy of tests/data/many-scripts.yaml (6 briefs, 3 letters) that a test may edit."""
    target = tmp_path / "briefs" / "many-scripts.yaml"
    target.parent.mkdir()
    shutil.copy(DATA / "many-scripts.yaml", target)
    return target


def test_preview_lists_documents_before_rendering_and_renders_the_opened_one_first(
    gate: Gate, scripts_campaign: Path
) -> None:
    order, opened, close_after = gate
    lines: list[str] = []
    preview = Preview([scripts_campaign], say=lines.append, jobs=1)
    worker = threading.Thread(target=preview.rebuild, daemon=True)
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while not preview.documents() and time.monotonic() < deadline:
            time.sleep(0.05)
        # Every document is listed while none is rendered yet.
        assert len(preview.documents()) == 9
        assert list(preview.output.rglob("*.html")) == []
        assert preview.status() == "rendering 0 of 9"
        assert "letters/ilqar.html" in preview.index_page()
        page = preview.document_page("many-scripts", "letters/ilqar.html")
        assert page is not None
        assert "Rendering this document first…" in page
        assert "rendering 0 of 9" in page
        close_after.append("letters/ilqar.html")
        opened.set()
        deadline = time.monotonic() + 120
        while (
            preview.state(("many-scripts", "letters/ilqar.html"))["version"] == 0
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        # Rendered while the rest of the build waits: shown, and not marked out of date.
        # The opened letter is rendered first, or second when the build had already handed
        # its first document to the worker (waiting at the gate) before the page was opened.
        rank = list(order).index("letters/ilqar.html") + 1
        assert rank <= 2, list(order)
        assert preview.status() == f"rendering {rank} of 9"
        page = preview.document_page("many-scripts", "letters/ilqar.html")
        assert page is not None
        assert "<iframe" in page
        assert "<div id='building' role='status' hidden>" in page
        opened.set()
        worker.join(timeout=120)
        # No other document was rendered before the opened one but the one already taken.
        assert list(order).index("letters/ilqar.html") == rank - 1, list(order)
        assert len(order) == 9
        assert preview.status().startswith("built ")
        page = preview.document_page("many-scripts", "letters/ilqar.html")
        assert page is not None
        assert "<iframe" in page
        assert "<div id='building' role='status' hidden>" in page  # nothing to re-render
        assert lines[0] == f"checking {scripts_campaign}"
        assert lines[1] == "9 documents; rendering 9"
        assert "rendering many-scripts/letters/ilqar.html next (opened in the browser)" in lines
        assert "rendered many-scripts/letters/ilqar.html (open in the browser)" in lines
        assert re.fullmatch(r"rendered 9 of 9 documents in \d+\.\d s", lines[-1]), lines

        # After a save, the letter shown until its new version is there is marked as such.
        opened.clear()
        _edit(scripts_campaign, "az: Saxlanılanları azad edin", "az: Hamını azad edin")
        worker = threading.Thread(target=preview.rebuild, daemon=True)
        worker.start()
        deadline = time.monotonic() + 60
        while not preview.status().startswith("rendering 0 of") and time.monotonic() < deadline:
            time.sleep(0.05)
        page = preview.document_page("many-scripts", "letters/ilqar.html")
        assert page is not None
        assert "<div id='building' role='status' >Rebuilding after your change…" in page
        assert "<iframe" in page  # the version from before the save, until the new one
        assert preview.state(("many-scripts", "letters/ilqar.html"))["stale"]
        opened.set()
        worker.join(timeout=120)
        assert not preview.state(("many-scripts", "letters/ilqar.html"))["stale"]
        assert "Hamını azad edin" in (preview.output / "many-scripts/letters/ilqar.html").read_text(
            encoding="utf-8"
        )
    finally:
        opened.set()
        preview.close()


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("BRIEFGEN_REQUIRE_BROWSER"),
    reason="no chromium here (CI installs it and sets BRIEFGEN_REQUIRE_BROWSER)",
)
def test_preview_in_a_browser_answers_at_once_and_renders_what_is_open_first(
    gate: Gate, scripts_campaign: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM, "BRIEFGEN_REQUIRE_BROWSER is set but chromium is not installed"
    order, opened, close_after = gate
    preview = Preview([scripts_campaign], jobs=1)
    http = make_server(preview, 0)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    preview.start()
    base = f"http://127.0.0.1:{http.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                page = browser.new_page()
                page.goto(base)
                # The index lists every document and the progress before any is rendered.
                link = page.get_by_role("link", name="Letter to İlqar Şükürov-Çələbiyev")
                expect(link).to_be_visible(timeout=60_000)
                expect(page.get_by_role("row")).to_have_count(10)
                expect(page.locator("#progress")).to_have_text("rendering 0 of 9")
                assert list(preview.output.rglob("*.html")) == []
                link.click()
                expect(page.get_by_text("Rendering this document first…")).to_be_visible()
                opened.set()
                frame = page.frame_locator("iframe")
                expect(frame.get_by_text("Hörmətli")).to_be_visible(timeout=60_000)
                assert "letters/ilqar.html" in list(order)[:2], list(order)
                expect(page.locator("#progress")).to_contain_text("built ", timeout=60_000)
                assert len(order) == 9

                # A save renders the open document first, then the others.
                first_build = len(order)
                _edit(scripts_campaign, "az: Mərkəzi Asiya dialoqu", "az: Xəzər dialoqu")
                expect(frame.get_by_text("Xəzər dialoqu").first).to_be_visible(timeout=60_000)
                expect(page.locator("#progress")).to_contain_text("built ", timeout=60_000)
                again = order[first_build:]
                assert again[0] == "letters/ilqar.html", again
                assert len(again) > 1  # the az brief editions, after the open letter
            finally:
                browser.close()
    finally:
        opened.set()
        http.shutdown()
        http.server_close()
        preview.close()


def test_task_queue_moves_the_wanted_tasks_to_the_front() -> None:
    from briefgen.schedule import TaskQueue

    queue = TaskQueue(["a", "b", "c", "d"])
    assert queue.prioritise(lambda t: t in {"c", "d"})
    assert queue.snapshot() == ["c", "d", "a", "b"]
    assert not queue.prioritise(lambda t: t == "x")
    assert queue.peek() == "c"
    queue.take("c")
    queue.take("a")  # taken from the middle: a worker got it after a reorder
    assert queue.pop() == "d"
    queue.put_back(["z"])
    assert queue.snapshot() == ["z", "b"]
    assert queue.clear() == ["z", "b"]
    assert queue.pop() is None
    assert not queue


def test_a_stopped_preview_leaves_no_temporary_folder(fresh: Path, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "preview", str(fresh), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("preview: http://127.0.0.1:")
    assert [p.name[:17] for p in temporary.iterdir()] == ["briefgen-preview-"]
    process.terminate()  # as a service manager or a closed terminal stops it
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert list(temporary.iterdir()) == []
