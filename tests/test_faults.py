"""Builds under faults: killed, too slow, run twice at once, on read-only and full disks."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen import build
from briefgen.workers import TimeLimit, time_limit
from tests.conftest import ROOT, with_recipients

Cli = Callable[..., tuple[int, str, str]]


def _briefgen(log: Path, *args: str | Path) -> subprocess.Popen[bytes]:
    """``briefgen ARGS`` in a process of its own (this worktree's code), its messages going
    to ``log`` (not a pipe: a worker that outlived it would hold the pipe open)."""
    with log.open("wb") as messages:
        return subprocess.Popen(
            [sys.executable, "-m", "briefgen", *map(str, args)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=messages,
        )


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def _wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


def _letters(count: int) -> str:
    return "".join(
        f"  - id: r{i:02}\n    name: Person {i}\n    role: other\n    address: [Street {i}]\n"
        for i in range(count)
    )


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc (Linux)")
def test_killed_build_leaves_no_worker_and_nothing_is_written_after(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = with_recipients(campaign, _letters(30))
    out = tmp_path / "out"
    letters = out / "minimal" / "letters"
    process = _briefgen(tmp_path / "log", "build", path, "-o", out, "-j", "2", "-f", "pdf,docx")
    workers: set[int] = set()
    try:
        _wait_for(lambda: letters.is_dir() and any(letters.glob("*.docx")))
        workers = _children(process.pid)
        assert workers  # the build renders in worker processes, busy with letters
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        before = _snapshot(out)
        time.sleep(3)  # a worker that outlived the build would finish its letter by now
        assert [w for w in workers if _alive(w)] == []
        assert _snapshot(out) == before
    finally:
        process.kill()
        process.wait()
        for worker in workers:  # if the test failed: no stray processes
            with contextlib.suppress(OSError):
                os.kill(worker, signal.SIGKILL)
    # The next build cleans up after it and writes everything.
    report = build([path], out, formats=("pdf", "docx"), jobs=2)
    assert report.ok, report.failures
    assert not list(out.rglob("*.tmp"))


def _slow_letter(monkeypatch: pytest.MonkeyPatch, seconds: float = 120) -> None:
    """Make the PDF of the letter to Jane Doe take ``seconds`` of busy work."""
    from briefgen.write import WRITERS

    pdf = WRITERS["pdf"]

    def slow(rendered, produced):  # type: ignore[no-untyped-def]
        if "Jane Doe" in rendered.html:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                pass
        return pdf(rendered, produced)

    monkeypatch.setitem(WRITERS, "pdf", slow)


def test_timeout_stops_a_document_rendered_in_this_process(
    campaign: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = campaign()
    out = tmp_path / "out"
    _slow_letter(monkeypatch)
    for args in (["-j", "1"], ["--recipient", "hr"]):  # -j 1; a single document
        code, _out, err = cli("build", path, "-o", out, "-f", "pdf", "--timeout", "1", *args)
        assert code == 1
        assert f"{path}: error: letter to hr: took longer than 1 s and was stopped" in err
        assert "Traceback" not in err
        assert not (out / "minimal" / "letters" / "hr.pdf").exists()
    assert (out / "minimal" / "letters" / "insider.pdf").is_file()
    # This process goes on rendering as before (preview, --watch).
    monkeypatch.undo()
    report = build([path], out, formats=("pdf",), recipients=["hr"], jobs=1)
    assert report.ok
    assert report.rendered == 1


def test_timeout_holds_when_the_renderer_swallows_the_alarm(
    campaign: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeasyPrint catches every exception while it draws an SVG and goes on without the
    # picture: the document must still fail, as too slow, not be written without it.
    from briefgen.write import WRITERS

    def swallowing(rendered, produced):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 120
        with contextlib.suppress(BaseException):
            while time.monotonic() < deadline:
                pass
        return b"%PDF-1.7 without its picture"

    monkeypatch.setitem(WRITERS, "pdf", swallowing)
    report = build([campaign()], tmp_path / "out", formats=("pdf",), recipients=["hr"], timeout=1)
    assert [(f.document, f.message) for f in report.failures] == [
        ("letter to hr", "took longer than 1 s and was stopped")
    ]
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_timeout_in_a_thread_renders_in_a_worker_process(
    campaign: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No alarm outside the main thread (the preview builds in threads): the document
    # renders in a worker process, which is stopped.
    path = campaign()
    _slow_letter(monkeypatch)
    reports = []
    thread = threading.Thread(
        target=lambda: reports.append(
            build([path], tmp_path / "out", formats=("pdf",), recipients=["hr"], timeout=1)
        )
    )
    thread.start()
    thread.join(timeout=120)
    assert [(f.document, f.message) for f in reports[0].failures] == [
        ("letter to hr", "took longer than 1 s and was stopped")
    ]


def test_time_limit_goes_through_code_that_catches_everything() -> None:
    # WeasyPrint catches every exception while it draws an SVG, and goes on.
    def busy(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pass

    def swallowing() -> None:
        with contextlib.suppress(BaseException):  # as WeasyPrint does
            busy(30)
        busy(30)

    started = time.monotonic()
    with pytest.raises(TimeLimit), time_limit(0.2):
        swallowing()
    assert time.monotonic() - started < 20


@pytest.mark.slow
def test_two_builds_into_one_folder_take_turns(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = with_recipients(campaign, _letters(40))
    out = tmp_path / "out"
    first = _briefgen(tmp_path / "first", "build", path, "-o", out, "-j", "1", "-f", "pdf")
    second = None
    try:
        _wait_for(lambda: (out / "minimal").is_dir())  # the first build is writing
        second = _briefgen(tmp_path / "second", "build", path, "-o", out, "-j", "1", "-f", "docx")
        first.wait(timeout=300)
        second.wait(timeout=300)
    finally:
        for process in (first, second):
            if process is not None:
                process.kill()
                process.wait()
    first_err = (tmp_path / "first").read_text(encoding="utf-8")
    second_err = (tmp_path / "second").read_text(encoding="utf-8")
    assert (first.returncode, second.returncode) == (0, 0), (first_err, second_err)
    assert (
        f"WARNING: another briefgen build is writing {out / 'minimal'}; waiting for it to finish"
        in second_err.splitlines()
    )
    manifest = json.loads((out / "minimal" / "manifest.json").read_text(encoding="utf-8"))
    formats = {(e["path"].rsplit(".", 1)[0], e["format"]) for e in manifest["files"]}
    documents = {name for name, _fmt in formats}
    assert len(documents) == 42
    assert formats == {(name, fmt) for name in documents for fmt in ("pdf", "docx")}
    assert all(len(sent["files"]) == 2 for sent in manifest["recipients"].values())
    # Both are in the build cache too: nothing to render again.
    report = build([path], out, formats=("pdf", "docx"), jobs=1)
    assert (report.rendered, report.unchanged) == (0, 42)


@contextlib.contextmanager
def _mounted(target: Path, *options: str) -> Iterator[bool]:
    """Mount ``target`` with ``mount OPTIONS`` if this machine allows it (root in a
    container may); yields whether it did."""
    done = subprocess.run(["mount", *options], capture_output=True, check=False).returncode == 0
    try:
        yield done
    finally:
        if done:
            subprocess.run(["umount", str(target)], capture_output=True, check=False)


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> contextlib.AbstractContextManager:
    """``folder`` made read-only: a read-only bind mount where the machine allows it (root
    ignores file modes), else every write refused as a read-only file system would."""
    stack = contextlib.ExitStack()
    bind = stack.enter_context(_mounted(folder, "--bind", str(folder), str(folder)))
    if (
        bind
        and subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return stack

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    stack.close()
    monkeypatch.setattr("tempfile.mkstemp", refuse)
    monkeypatch.setattr("os.replace", refuse)
    monkeypatch.setattr("os.unlink", refuse)
    return contextlib.nullcontext()


def test_a_build_with_nothing_to_do_writes_nothing(
    campaign: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = campaign()
    out = tmp_path / "out"
    code, _out, err = cli("build", path, "-o", out, "-j", "1")
    assert code == 0, err
    before = _snapshot(out)
    with _read_only(out, monkeypatch):
        code, _out, err = cli("build", path, "-o", out, "-j", "1")
    assert (code, err.splitlines()[-1]) == (
        0,
        f"0 files written to {out}/ (0 documents), 4 unchanged, 0 failed",
    )
    assert _snapshot(out) == before


def _fill(folder: Path) -> None:
    """Use up every byte of the file system ``folder`` is on."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as filler:
        while True:
            filler.write(b"\0" * 4096)
            filler.flush()


def test_a_full_disk_is_named_with_every_file(
    campaign: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = campaign()
    disk = tmp_path / "disk"
    disk.mkdir()
    with _mounted(disk, "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)) as small:
        out = disk / "out"
        (out / "minimal" / "letters").mkdir(parents=True)
        if small:
            _fill(disk)
        else:  # no tmpfs here: every write fails as on a full disk
            real = os.fsync

            def full(fd: int) -> None:
                real(fd)
                raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr("os.fsync", full)
        code, _out, err = cli("build", path, "-o", out, "-j", "1", "-f", "pdf")
        leftovers = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    documents = {
        "public brief (en)": "brief.public.en.pdf",
        "restricted brief (en)": "brief.restricted.en.pdf",
        "letter to hr": "letters/hr.pdf",
        "letter to insider": "letters/insider.pdf",
    }
    for document, file in documents.items():
        reason = f"no space left on device writing {out}/minimal/{file}"
        assert any(line.endswith(f"FAILED: {document}: {reason}") for line in lines), lines
        assert f"{path}: error: {document}: {reason}" in lines
    assert (
        f"{path}: error: build cache: no space left on device writing "
        f"{out}/minimal/.briefgen-cache.json"
    ) in lines
    assert lines[-1] == f"0 files written to {out}/ (0 documents), 0 unchanged, 5 failed"
    assert leftovers == []
