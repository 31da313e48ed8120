"""Rendering reads only allowed files, escapes data, and fails one document cleanly."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import build
from briefgen.fetcher import ResourceRefused, SafeFetcher
from tests.conftest import pdf_text, with_templates

Cli = Callable[..., tuple[int, str, str]]


def test_fetcher_refuses_everything_but_allowed_files(tmp_path: Path) -> None:
    allowed = tmp_path / "campaign"
    allowed.mkdir()
    from PIL import Image

    Image.new("RGB", (2, 2)).save(allowed / "logo.png")
    (tmp_path / "secret.txt").write_text("secret")
    (allowed / "link.png").symlink_to(tmp_path / "secret.txt")
    fetcher = SafeFetcher([allowed])
    data, media_type = fetcher.read((allowed / "logo.png").as_uri())
    assert media_type == "image/png"
    assert Image.open(io.BytesIO(data)).size == (2, 2)  # the picture, as every writer gets it
    refused = {
        "file:///etc/passwd": "outside the campaign folder",
        "file:///dev/urandom": "outside the campaign folder",
        (allowed / ".." / "secret.txt").as_uri(): "outside the campaign folder",
        (allowed / "link.png").as_uri(): "outside the campaign folder",
        (allowed / "missing.png").as_uri(): "file not found",
        "http://127.0.0.1:9/x.png": "documents may only use files",
        "https://example.org/logo.png": "documents may only use files",
        "file://otherhost/etc/passwd": "documents may only use files",
    }
    for url, reason in refused.items():
        with pytest.raises(ResourceRefused, match=reason):
            fetcher.read(url)


def test_template_override_file_by_file(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {"letter.css": ".subject { color: red; } .custom-marker { }"},
    )
    (tmp_path / "my-templates" / "letter.html").write_text(
        '{% extends "base.html" %}{% block body %}<p>Custom letter for '
        "{{ recipient.name }}</p>{% endblock %}",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, _, err = cli("build", path, "-o", out)
    assert code == 0, err
    assert "Custom letter for Jane Doe" in pdf_text(out / "minimal" / "letters" / "hr.pdf")
    # The brief still comes from the default templates.
    assert "Recommendations" in pdf_text(out / "minimal" / "brief.public.en.pdf")


def test_template_reading_a_local_file_fails_that_document_only(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}'
            '<img src="file:///etc/passwd" alt="x"><link rel="attachment" '
            'href="file:///etc/hostname">{% endblock %}'
        },
    )
    out = tmp_path / "out"
    code, _, err = cli("build", path, "-o", out, "-f", "pdf,html")
    assert code == 1
    assert (
        f"{path}: error: letter to hr: refused to load '/etc/passwd': it is outside the "
        "campaign folder and the templates" in err
    )
    assert not (out / "minimal" / "letters").exists()
    # The briefs (default templates) are complete.
    assert (out / "minimal" / "brief.public.en.pdf").stat().st_size > 1000
    assert (out / "minimal" / "brief.public.en.html").is_file()


def test_undefined_variable_names_template_and_line(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}\n{% block body %}\n'
            "<p>{{ recipient.nam }}</p>\n{% endblock %}\n"
        },
    )
    code, _, err = cli("build", path, "-o", tmp_path / "out", "--only", "letters")
    assert code == 1
    template = tmp_path / "my-templates" / "letter.html"
    assert (
        f"{path}: error: letter to hr: {template}:3: undefined variable: 'dict object' has "
        "no attribute 'nam'" in err.splitlines()
    )
    assert "Traceback" not in err


def test_template_syntax_error_names_template_and_line(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {"brief.html": "line one\n{% if %}\n"},
    )
    code, _, err = cli("build", path, "-o", tmp_path / "out", "--only", "brief")
    template = tmp_path / "my-templates" / "brief.html"
    assert code == 1
    assert (
        f"{path}: error: public brief (en): {template}:2: template syntax error: "
        "Expected an expression, got 'end of statement block'" in err.splitlines()
    )


def test_data_is_escaped_and_never_run_as_a_template(
    tmp_path: Path, campaign: Callable[..., Path]
) -> None:
    path = campaign(
        [
            ("  name: Public Person", '  name: "<script>alert(1)</script> {{ 7*7 }}"'),
            ("summary: A short summary.", 'summary: "<b>bold?</b> {% if true %}x{% endif %}"'),
        ]
    )
    report = build([path], tmp_path / "out", formats=("pdf", "html"))
    assert report.ok, report.failures
    html = (tmp_path / "out" / "minimal" / "brief.public.en.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html
    assert "<script>" not in html
    assert "&lt;b&gt;bold?&lt;/b&gt; {% if true %}x{% endif %}" in html
    text = pdf_text(tmp_path / "out" / "minimal" / "brief.public.en.pdf")
    assert "<script>alert(1)</script> {{ 7*7 }}" in text
    assert "49" not in text


def test_failed_document_leaves_no_file_and_removes_stale_copy(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli
) -> None:
    path = campaign()
    out = tmp_path / "out"
    assert cli("build", path, "-o", out)[0] == 0
    stale = out / "minimal" / "letters" / "hr.pdf"
    assert stale.is_file()
    path = with_templates(
        campaign,
        tmp_path,
        {"letter.html": "{{ nope }}"},
    )
    code, _, _ = cli("build", path, "-o", out)
    assert code == 1
    assert not stale.exists()
    assert not list(out.rglob("*.tmp"))
    assert (out / "minimal" / "brief.restricted.en.pdf").is_file()


def test_atomic_write_keeps_old_file_on_error(tmp_path: Path) -> None:
    from briefgen.output import write_atomic

    target = tmp_path / "doc.pdf"
    write_atomic(target, b"old")

    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]
