"""The command line: options, exit codes, help, and the files each option produces."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, pdf_text

Cli = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ([], "briefgen build briefs/eu-azerbaijan-2020.yaml -o output"),
        (["build"], "briefgen build briefs/eu-azerbaijan-2020.yaml --recipient mep-droi"),
        (["check"], "briefgen check briefs/eu-azerbaijan-2020.yaml"),
        (["recipients"], "briefgen recipients briefs/eu-azerbaijan-2020.yaml"),
        (["new"], "briefgen new eu-azerbaijan-2027"),
        (["preview"], "briefgen preview briefs/my-campaign.yaml --open"),
    ],
)
def test_help_on_every_command_with_an_example(cli: Cli, command: list[str], example: str) -> None:
    code, out, _ = cli(*command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: briefgen {' '.join(command)}".rstrip())
    # Each command's own example, on a line of its own (not wrapped by the help formatter).
    assert example in [line.strip() for line in out.splitlines()]


def test_check_valid_campaign(cli: Cli, campaign: Callable[..., Path]) -> None:
    assert cli("check", campaign()) == (0, "", "ok: no problems found\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "--format", "odt"],
            "Invalid value for '-f' / '--format': unknown format 'odt' (expected: pdf, docx, "
            "html, eml)",
        ),
        (["build", "--only", "memo"], "Invalid value for '--only'"),
        (["build", "no/such/file.yaml"], "Path 'no/such/file.yaml' does not exist"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (
            ["build", "--recipient", "hr", "--only", "brief"],
            "--recipient chooses letters; it cannot go with --only brief",
        ),
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: list[str], message: str) -> None:
    code, _, err = cli(*args)
    assert code == 2
    assert message in err


def test_unknown_recipient_is_a_usage_error(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    code, _, err = cli("build", campaign(), "-o", tmp_path, "--recipient", "nobody")
    assert code == 2
    assert "Error: unknown recipient 'nobody' (known: hr, insider)" in err
    assert not any(tmp_path.rglob("*.pdf"))


def test_recipient_option_writes_only_those_letters(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, _, err = cli("build", campaign(), "-o", out, "--recipient", "insider")
    assert code == 0, err
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert files == ["minimal/letters/insider.pdf"]
    assert "Dear Mr Roe," in pdf_text(out / "minimal" / "letters" / "insider.pdf")


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        ("brief", ["minimal/brief.public.en.pdf", "minimal/brief.restricted.en.pdf"]),
        ("letters", ["minimal/letters/hr.pdf", "minimal/letters/insider.pdf"]),
    ],
)
def test_only_option(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path, only: str, expected: list[str]
) -> None:
    out = tmp_path / "out"
    assert cli("build", campaign(), "-o", out, "--only", only)[0] == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == expected


def test_folder_argument_builds_every_campaign_and_reports_invalid_ones(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    campaign(name="a.yaml")
    campaign([("id: minimal", "id: second")], name="b.yaml")
    bad = campaign([("role: other", "role: x")], name="c.yaml")
    out = tmp_path / "out"
    code, _, err = cli("build", tmp_path, "-o", out)
    assert code == 1
    assert f"{bad}:37:11: error: recipients[1].role" in err
    assert (out / "minimal" / "brief.public.en.pdf").is_file()
    assert (out / "second" / "letters" / "hr.pdf").is_file()


def test_removed_recipient_disappears_from_output_and_manifest(
    cli: Cli, campaign: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert cli("build", campaign(), "-o", out)[0] == 0
    assert (out / "minimal" / "letters" / "insider.pdf").is_file()
    trimmed = campaign(
        [
            (
                "  - id: insider\n    name: John Roe\n    role: other\n    honorific: "
                "Mr\n    address: [Somewhere 2]\n    edition: restricted\n",
                "",
            )
        ]
    )
    assert cli("build", trimmed, "-o", out, "--only", "letters")[0] == 0
    assert not (out / "minimal" / "letters" / "insider.pdf").exists()
    assert not (out / "minimal" / "letters" / "insider.docx").exists()
    manifest = json.loads((out / "minimal" / "manifest.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["files"]] == [
        "brief.public.en.docx",
        "brief.public.en.pdf",
        "brief.restricted.en.docx",
        "brief.restricted.en.pdf",
        "letters/hr.docx",
        "letters/hr.pdf",
    ]


def test_default_path_is_briefs_folder(cli: Cli, tmp_path: Path) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        code, _, err = cli("check")
        assert code == 2
        assert "no campaign given and there is no 'briefs/' folder here" in err
        os.chdir(ROOT)
        code, _, err = cli("check")
        # Every campaign under briefs/ is checked; the second example has deliberate warnings.
        assert code == 0
        assert "briefs/eu-tajikistan-2025.yaml:" in err
        assert " error: " not in err
    finally:
        os.chdir(cwd)


def test_new_and_schema_say_when_they_cannot_write(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    code, _out, err = cli("new", "foo", "--dir", blocker / "sub")
    assert (code, err) == (1, f"error: cannot write {blocker / 'sub'}: Not a directory\n")
    code, _out, err = cli("schema", "-o", blocker / "x.json")
    assert code == 1
    assert err.startswith("error: cannot write ")
    assert "Traceback" not in err


def test_a_folder_without_campaigns_is_an_error(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"  # a folder, named like a campaign file
    folder.mkdir()
    for command in ("check", "build"):
        code, _out, err = cli(
            command, folder, *(["-o", tmp_path / "out"] if command == "build" else [])
        )
        assert code == 1
        assert f"{folder}: error: no campaign file (*.yaml or *.yml) in this folder" in err
