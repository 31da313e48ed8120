"""Hostile and broken input: bounded, located, never a traceback, never a partial file."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen import build
from tests.conftest import MINIMAL, with_templates
from tests.leakscan import scan

Cli = Callable[..., tuple[int, str, str]]


def test_oversized_campaign_file(cli: Cli, campaign: Callable[..., Path]) -> None:
    path = campaign(text=MINIMAL.read_text(encoding="utf-8") + "#" + "x" * 6_000_000 + "\n")
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}: error: file is 5.7 MB; campaign files are limited to 5 MB"
    ]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (
            [("  name: Public Person", '  name: "Public\\u200bPerson"')],
            "22:11: error: cases[0].name: contains the invisible or control character U+200B; "
            "remove it (it often comes from copying out of another program)",
        ),
        (
            [("  - id: insider", "  - id: " + "a" * 70)],
            "35:9: error: recipients[1].id: id is 70 characters long; ids name files and may "
            "have at most 64",
        ),
        (
            [("  - id: insider", "  - id: ../etc/passwd")],
            "35:9: error: recipients[1].id: '../etc/passwd' is not a valid id: use lowercase "
            "letters, digits and single hyphens, e.g. 'release-detained'",
        ),
        (
            [("  - id: insider", "  - id: con")],
            "35:9: error: recipients[1].id: 'con' cannot be an id: it is a reserved device name "
            "on Windows",
        ),
        (
            [
                ("  title: Minimal brief", "  title: '+4712345678'"),
                ("  summary: A short summary.", "  summary: 1:30 NO on 012345"),
            ],
            None,
        ),  # kept exactly as written, valid
    ],
    ids=["zero-width space", "long id", "path id", "reserved id", "kept as written"],
)
def test_text_traps(
    cli: Cli, campaign: Callable[..., Path], replace: list[tuple[str, str]], expected: str | None
) -> None:
    path = campaign(replace)
    code, _, err = cli("check", path)
    if expected is None:
        assert code == 0, err
        from briefgen import load_campaign

        brief = load_campaign(path).brief
        assert str(brief.title) == "+4712345678"
        assert str(brief.summary) == "1:30 NO on 012345"
    else:
        assert code == 1
        assert err.splitlines() == [f"{path}:{expected}"]


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_image_is_refused(campaign: Callable[..., Path], tmp_path: Path) -> None:
    (tmp_path / "bomb.png").write_bytes(_png(60_000, 60_000))  # 100 bytes, 3.6 Gpixels
    path = campaign([("  address: [Main", "  logo: bomb.png\n  logo_alt: Logo\n  address: [Main")])
    report = build([path], tmp_path / "out", formats=("pdf",), jobs=1)
    assert [str(p) for p in report.problems] == [  # found by check, before any decoding
        f"{path}:11:9: error: organisation.logo: the picture is 3600 million pixels "
        "(60000 × 60000); at most 40 million"
    ]
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_gigantic_template_output_fails_only_its_document(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}{% block body %}{% if recipient.name == '
            '"Jane Doe" %}{{ "x" * 6000000000 }}{% endif %}<p>Hi</p>{% endblock %}'
        },
    )
    report = build([path], tmp_path / "out", formats=("pdf",), jobs=2)
    template = tmp_path / "my-templates" / "letter.html"
    assert [(f.document, f.message) for f in report.failures] == [
        ("letter to hr", f"{template}:1: ran out of memory: the template produces too much output")
    ]
    assert (tmp_path / "out" / "minimal" / "letters" / "insider.pdf").is_file()


# -- property-based: random mutations of a valid campaign ------------------------------------

LINES = MINIMAL.read_text(encoding="utf-8").splitlines(keepends=True)
WEIRD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
LOCATED = re.compile(r"^.+?(:\d+:\d+)?: (error|warning): ")


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate", "insert"]))
        line = lines[index]
        if action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(WEIRD)}\n"
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        else:
            lines.insert(
                index,
                draw(
                    st.sampled_from(
                        [
                            "  extra: 1\n",
                            "- [\n",
                            "\t\n",
                            "x: &a [*a]\n",
                            "  name: {{ 7*7 }}\n",
                            "---\n",
                            "  : \n",
                            f"  note: {draw(WEIRD)}\n",
                        ]
                    )
                ),
            )
    return "".join(lines)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=mutated())
def test_any_mutation_is_a_located_error_or_complete_outputs(tmp_path: Path, text: str) -> None:
    import tempfile

    from briefgen.cli import main

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["check", str(path)])
    assert code in (0, 1)
    assert "Traceback" not in err.getvalue()
    for line in err.getvalue().splitlines():
        if line != "ok: no problems found":
            assert LOCATED.match(line), line
    if code != 0:
        return
    out = folder / "out"
    report = build([path], out, formats=("pdf", "html"), jobs=1)
    for failure in report.failures:
        assert "internal error" not in failure.message, failure
    assert not list(out.rglob("*.tmp"))
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1
    for public in [*out.rglob("brief.public.*"), *out.rglob("letters/hr.*")]:
        assert scan(public, out, ["Zəhra Gizli-Canary"]) == set(), public


def test_unknown_filter_in_a_template_is_located(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = with_templates(
        campaign,
        tmp_path,
        {
            "letter.html": '{% extends "base.html" %}\n{% block body %}{{ recipient.name | shout }}'
            "{% endblock %}"
        },
    )
    report = build([path], tmp_path / "out", formats=("pdf",), only="letters", jobs=1)
    template = tmp_path / "my-templates" / "letter.html"
    assert {f.message for f in report.failures} == {
        f"{template}:2: template syntax error: No filter named 'shout'."
    }


@pytest.mark.slow
def test_a_one_megabyte_paragraph_renders(campaign: Callable[..., Path], tmp_path: Path) -> None:
    paragraph = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 18_000)[:1_000_000]
    path = campaign([("  summary: A short summary.", "  summary: |\n    " + paragraph)])
    report = build([path], tmp_path / "out", formats=("pdf", "docx"), only="brief", jobs=2)
    assert report.ok, report.failures
    pdf = tmp_path / "out" / "minimal" / "brief.public.en.pdf"
    assert len(PdfReader(pdf).pages) > 100


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    text=st.text(
        alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from("ae \u0301\u0308ıİə")),
        max_size=60,
    )
)
def test_ascii_folding_of_runs_equals_folding_the_whole_text(text: str) -> None:
    # The leak guard folds whole documents; folding only the non-ASCII runs must find the
    # same forms as folding everything (names like "Nəsibova" → "Nasibova" in any context).
    from briefgen.names import _fold, ascii_fold

    assert ascii_fold(text) == _fold(text)
    assert ascii_fold("Zəhra Gizli-Canary, Khadija İsmayılova ß Ø æ") == (
        "Zehra Gizli-Canary, Khadija Ismayilova ss O ae"
    )
