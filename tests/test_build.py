"""Batch builds: cache, parallel workers, crashes, interruption, reproducibility."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import build, document, pipeline
from tests.conftest import EP_MEPS, EXAMPLE, MINIMAL


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_unchanged_documents_are_not_rendered_again(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign()
    out = tmp_path / "out"
    first = build([path], out, formats=("pdf", "docx"), jobs=1)
    assert (first.rendered, first.unchanged) == (4, 0)
    before = {p: (out / "minimal" / p).stat().st_mtime_ns for p in _files(out / "minimal")}
    again = build([path], out, formats=("pdf", "docx"), jobs=1)
    assert (again.rendered, again.unchanged, again.written) == (0, 4, [])
    after = {p: (out / "minimal" / p).stat().st_mtime_ns for p in _files(out / "minimal")}
    assert {p: t for p, t in after.items() if p.endswith((".pdf", ".docx"))} == {
        p: t for p, t in before.items() if p.endswith((".pdf", ".docx"))
    }


def test_editing_one_recipient_renders_only_that_letter(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign()
    out = tmp_path / "out"
    build([path], out, formats=("pdf",), jobs=1)
    edited = campaign(
        [("    edition: restricted\n", "    edition: restricted\n    note: A new personal note.\n")]
    )
    report = build([edited], out, formats=("pdf",), jobs=1)
    assert report.rendered == 1
    assert report.written == [out / "minimal" / "letters" / "insider.pdf"]
    assert report.unchanged == 3
    # A change every document sees (a demand) renders them all; so does --force.
    changed = campaign([("    body: Release them now.", "    body: Release them today.")])
    assert build([changed], out, formats=("pdf",), jobs=1).rendered == 4
    assert build([changed], out, formats=("pdf",), jobs=1, force=True).rendered == 4


def test_template_change_renders_again(campaign: Callable[..., Path], tmp_path: Path) -> None:
    from tests.conftest import pdf_text, with_templates

    letter = '{% extends "base.html" %}{% block body %}<p>Template version {}.</p>{% endblock %}'
    path = with_templates(campaign, tmp_path, {"letter.html": letter.replace("{}", "one")})
    out = tmp_path / "out"
    assert build([path], out, formats=("pdf",), jobs=1).rendered == 4
    again = build([path], out, formats=("pdf",), jobs=1)
    assert (again.rendered, again.unchanged) == (0, 4)
    # Only a file of the templates folder changes: the campaign file stays as it was.
    campaign_text = path.read_bytes()
    (tmp_path / "my-templates" / "letter.html").write_text(
        letter.replace("{}", "two"), encoding="utf-8"
    )
    report = build([path], out, formats=("pdf",), jobs=1)
    assert path.read_bytes() == campaign_text
    assert (report.rendered, report.unchanged) == (4, 0)
    assert "Template version two." in pdf_text(out / "minimal" / "letters" / "hr.pdf")


def test_a_build_in_this_process_leaves_the_garbage_collector_as_it_was(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    # Documents are rendered with a high collection threshold and what outlives the first
    # one is frozen; a long-running process (build --watch) must get its collector back.
    import gc

    threshold = gc.get_threshold()
    report = build([campaign()], tmp_path / "out", formats=("pdf",), jobs=1)
    assert report.rendered == 4
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0
    # Objects the process froze itself stay frozen: briefgen then freezes nothing of its own.
    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        report = build([campaign()], tmp_path / "out", formats=("pdf",), jobs=1, force=True)
        assert report.rendered == 4
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_parallel_and_serial_builds_are_byte_identical(tmp_path: Path) -> None:
    formats = ("pdf", "docx", "html", "eml")
    assert build([EXAMPLE], tmp_path / "a", formats=formats, jobs=2).ok
    assert build([EXAMPLE], tmp_path / "b", formats=formats, jobs=1).ok
    assert build([EXAMPLE], tmp_path / "b", formats=formats, jobs=2, force=True).ok
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    # The build cache records file times: bookkeeping, not a document.
    for files in (first, second):
        del files["eu-azerbaijan-2020/.briefgen-cache.json"]
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_one_crashing_worker_fails_only_its_document(
    campaign: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = document.render_document

    def crash_on_hr(renderer: object, doc: object, *options: object) -> object:
        if getattr(doc, "name", "") == "letter to hr":
            os._exit(3)  # a worker process dying in a library
        return real(renderer, doc, *options)  # type: ignore[arg-type]

    monkeypatch.setattr(document, "render_document", crash_on_hr)
    report = build([campaign()], tmp_path / "out", formats=("pdf",), jobs=2)
    assert [(f.document, f.message) for f in report.failures] == [
        ("letter to hr", "the worker process rendering this document crashed")
    ]
    assert report.rendered == 3
    assert not (tmp_path / "out" / "minimal" / "letters" / "hr.pdf").exists()
    assert (tmp_path / "out" / "minimal" / "letters" / "insider.pdf").is_file()


def test_missing_harfbuzz_is_said_once(
    campaign: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(pipeline, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING):
        report = build([campaign()], tmp_path / "out", formats=("pdf",), jobs=1)
    assert report.rendered == 4
    messages = [r.getMessage() for r in caplog.records if "HarfBuzz" in r.getMessage()]
    assert messages == [pipeline.HARFBUZZ_FIX]
    assert "sudo apt-get install libharfbuzz-subset0" in messages[0]


def test_stray_temporary_files_are_cleaned(campaign: Callable[..., Path], tmp_path: Path) -> None:
    folder = tmp_path / "out" / "minimal" / "letters"
    folder.mkdir(parents=True)
    stray = folder / ".hr.pdf.abc123.tmp"
    stray.write_bytes(b"%PDF-1.7 truncated")
    build([campaign()], tmp_path / "out", formats=("pdf",), jobs=1)
    assert not stray.exists()


@pytest.mark.slow
def test_interrupted_build_leaves_complete_files_and_resumes(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    shutil.copy(EP_MEPS, tmp_path / "meps.xml")
    path = campaign(
        [
            (
                "  - id: insider\n",
                "  - from: meps.xml\n    filter: {country: [Germany]}\n  - id: insider\n",
            )
        ]
    )
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "briefgen",
        "build",
        str(path),
        "-o",
        str(out),
        "-f",
        "pdf",
        "--only",
        "letters",
        "-j",
        "2",
        "-q",
    ]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    letters = out / "minimal" / "letters"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(letters.glob("*.pdf"))) < 5:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    written = list(letters.glob("*.pdf"))
    assert 5 <= len(written) < 98
    assert not list(out.rglob("*.tmp"))
    for pdf in written:
        assert len(PdfReader(pdf).pages) >= 1  # complete, readable files only
    result = subprocess.run(
        command[:-1], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    rendered = int(summary.split("(")[1].split()[0])
    assert rendered < 98
    assert len(list(letters.glob("*.pdf"))) == 98


def test_runaway_template_is_stopped_and_the_rest_written(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    from tests.conftest import with_templates

    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}{% if recipient.name == '
            '"Jane Doe" %}{% for i in range(100000) %}{% for j in range(100000) %}'
            "{% endfor %}{% endfor %}{% endif %}<p>Hello</p>{% endblock %}"
        },
    )
    started = time.monotonic()
    report = build([path], tmp_path / "out", formats=("pdf",), jobs=2, timeout=3)
    assert time.monotonic() - started < 60
    assert [(f.document, f.message) for f in report.failures] == [
        ("letter to hr", "took longer than 3 s and was stopped")
    ]
    assert report.rendered == 3
    assert (tmp_path / "out" / "minimal" / "letters" / "insider.pdf").is_file()


def test_rendering_never_opens_a_network_connection(
    campaign: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network connection attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    path = campaign(
        [("summary: A short summary.", "summary: See [the report](https://example.org/report).")]
    )
    report = build([path], tmp_path / "out", formats=("pdf", "docx", "html", "eml"), jobs=1)
    assert report.ok, report.failures


def test_a_single_document_from_own_templates_runs_under_the_limits(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    from tests.conftest import with_templates

    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}{% for i in range(100000) %}'
            "{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}"
        },
    )
    report = build([path], tmp_path / "out", formats=("pdf",), recipients=["hr"], jobs=1, timeout=2)
    assert [(f.document, f.message) for f in report.failures] == [
        ("letter to hr", "took longer than 2 s and was stopped")
    ]


def test_two_campaigns_with_one_id_are_refused_and_the_others_built(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    # They would write into one output folder, over each other's letters.
    folder = tmp_path / "briefs"
    folder.mkdir()
    minimal = MINIMAL.read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(minimal, encoding="utf-8")
    (folder / "b.yaml").write_text(minimal.replace("Jane Doe", "Janet Roe"), encoding="utf-8")
    (folder / "c.yaml").write_text(minimal.replace("id: minimal", "id: third"), encoding="utf-8")
    code, _out, err = cli("check", folder)
    assert code == 1
    assert err.splitlines() == [
        f"{folder / 'a.yaml'}:2:7: error: campaign.id: 'minimal' is also the id of "
        f"{folder / 'b.yaml'}: each campaign needs its own id (it names the output folder)",
        f"{folder / 'b.yaml'}:2:7: error: campaign.id: 'minimal' is also the id of "
        f"{folder / 'a.yaml'}: each campaign needs its own id (it names the output folder)",
    ]
    report = build([folder], tmp_path / "out", formats=("pdf",), jobs=1)
    assert not report.ok
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["third"]
    # One file named twice is one campaign, not two with the same id.
    same = [folder / "c.yaml", (folder / "c.yaml").resolve(), tmp_path / "briefs" / "." / "c.yaml"]
    assert cli("check", *same)[0] == 0


def test_output_that_cannot_be_written_is_a_clear_error(
    campaign: Callable[..., Path], tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = campaign()
    # A file where the letters folder should be: the letters fail, the briefs are written.
    out = tmp_path / "out"
    (out / "minimal").mkdir(parents=True)
    (out / "minimal" / "letters").write_text("not a folder")
    code, _out, err = cli("build", path, "-o", out, "-j", "1", "-f", "pdf")
    assert code == 1
    assert "Traceback" not in err
    assert (
        f"{path}: error: letter to hr: cannot write {out}/minimal/letters/hr.pdf "
        f"({out}/minimal/letters: File exists)"
    ) in err
    assert (out / "minimal" / "brief.public.en.pdf").is_file()
    # A file where the campaign's folder should be: nothing can be written.
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "minimal").write_text("not a folder")
    code, _out, err = cli("build", path, "-o", blocked, "-j", "1", "-f", "pdf")
    assert code == 1
    assert "Traceback" not in err
    assert err.splitlines()[-2:] == [
        f"{path}: error: manifest: cannot write {blocked}/minimal/manifest.json "
        f"({blocked}/minimal: File exists)",
        f"0 files written to {blocked}/ (0 documents), 0 unchanged, 5 failed",
    ]


def _manifest_files(folder: Path) -> dict[str, str]:
    import json

    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry["sha256"] for entry in data["files"]}


def test_older_files_of_a_document_built_again_do_not_stay_behind(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    # The restricted letter becomes public and only its PDF is built again: its restricted
    # DOCX and HTML from before must not stay beside it, nor be listed as public.
    out = tmp_path / "out"
    build([campaign()], out, formats=("pdf", "docx", "html"), jobs=1)
    letters = out / "minimal" / "letters"
    assert (letters / "insider.docx").is_file()
    public = campaign([("    edition: restricted\n", "    edition: public\n")])
    report = build([public], out, formats=("pdf",), jobs=1)
    assert report.rendered == 1
    assert sorted(p.name for p in letters.iterdir()) == [
        "hr.docx",
        "hr.html",
        "hr.pdf",
        "insider.pdf",
    ]
    listed = _manifest_files(out / "minimal")
    assert "letters/insider.docx" not in listed
    assert "letters/insider.pdf" in listed
    # Building one other letter leaves out-of-date files of the rest in place, unlisted.
    changed = campaign(
        [
            ("    edition: restricted\n", "    edition: public\n"),
            ("    body: Release them now.", "    body: Release them today."),
        ]
    )
    report = build([changed], out, formats=("pdf",), recipients=["hr"], jobs=1)
    assert report.rendered == 1
    assert (letters / "insider.pdf").is_file()
    assert "letters/insider.pdf" not in _manifest_files(out / "minimal")
    assert any("out of date" in notice for notice in report.notices)


def test_a_file_changed_outside_briefgen_is_kept_aside_and_rendered_again(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    import hashlib

    out = tmp_path / "out"
    path = campaign()
    build([path], out, formats=("pdf", "docx"), jobs=1)
    letters = out / "minimal" / "letters"
    edited = letters / "hr.docx"
    # Only touched (or copied): the same bytes, so nothing to render.
    os.utime(edited, ns=(1, 1))
    assert build([path], out, formats=("pdf", "docx"), jobs=1).rendered == 0
    # Changed by someone: their copy is kept beside it, and the letter is rendered again.
    edited.write_bytes(b"my edits")
    report = build([path], out, formats=("pdf", "docx"), jobs=1)
    assert report.rendered == 1
    assert edited.read_bytes()[:2] == b"PK"
    assert (letters / "hr.edited.docx").read_bytes() == b"my edits"
    assert any(
        "letters/hr.docx was changed outside briefgen; kept as letters/hr.edited.docx" in n
        for n in report.notices
    )
    listed = _manifest_files(out / "minimal")
    assert listed["letters/hr.docx"] == hashlib.sha256(edited.read_bytes()).hexdigest()
    assert "letters/hr.edited.docx" not in listed
    # A second edit does not overwrite the first kept copy.
    edited.write_bytes(b"more edits")
    build([path], out, formats=("pdf", "docx"), jobs=1)
    assert (letters / "hr.edited.2.docx").read_bytes() == b"more edits"
    assert (letters / "hr.edited.docx").read_bytes() == b"my edits"


def test_a_new_logo_under_the_same_name_renders_again(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    logo = tmp_path / "logo.svg"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect fill="{}" width="10" height="10"/></svg>'
    )
    logo.write_text(svg.format("red"), encoding="utf-8")
    path = campaign(
        [
            (
                "  name: Test Rights Group\n",
                "  name: Test Rights Group\n  logo: logo.svg\n  logo_alt: Logo\n",
            )
        ]
    )
    out = tmp_path / "out"
    assert build([path], out, formats=("html",), jobs=1).rendered == 4
    assert build([path], out, formats=("html",), jobs=1).rendered == 0
    logo.write_text(svg.format("blue"), encoding="utf-8")
    assert build([path], out, formats=("html",), jobs=1).rendered == 4


def test_documents_without_a_file_in_the_formats_asked_are_not_rendered_each_time(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign(
        [
            (
                "    address: [Somewhere 2]\n",
                "    address: [Somewhere 2]\n    email: j@example.org\n",
            ),
            ("  name: Test Rights Group\n", "  name: Test Rights Group\n  email: us@example.org\n"),
        ]
    )
    out = tmp_path / "out"
    first = build([path], out, formats=("eml",), jobs=1)
    # The briefs have no e-mail draft, but the draft to insider attaches the restricted one
    # (its PDF is written); the letter to hr has no address (a note, no file).
    assert (first.rendered, first.unchanged, first.failures) == (3, 0, [])
    assert sorted(p.name for p in (out / "minimal").glob("brief.*")) == ["brief.restricted.en.pdf"]
    again = build([path], out, formats=("eml",), jobs=1)
    assert (again.rendered, again.unchanged) == (1, 1)  # hr: still no address, so no file
