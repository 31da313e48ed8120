"""Issue 19: the default output folder is the campaign's project's, wherever the command runs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: briefs/minimal.yaml, nothing else."""
    (tmp_path / "proj" / "briefs").mkdir(parents=True)
    shutil.copy(MINIMAL, tmp_path / "proj" / "briefs" / "minimal.yaml")
    return tmp_path / "proj"


def _written(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


EXPECTED = [
    "output/minimal/brief.public.en.html",
    "output/minimal/brief.restricted.en.html",
    "output/minimal/letters/hr.html",
    "output/minimal/letters/insider.html",
]


@pytest.mark.parametrize("args", [["minimal.yaml"], []], ids=["campaign named", "none named"])
def test_build_run_inside_briefs_writes_the_projects_output(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(project / "briefs")
    code, _out, err = cli("build", *args, "-f", "html")
    assert code == 0, err
    assert _written(project) == EXPECTED
    assert not (project / "briefs" / "output").exists()
    # The summary says where the files went.
    assert err.splitlines()[-1] == (
        f"4 files written to {project.resolve() / 'output'}/ (4 documents), 0 unchanged, 0 failed"
    )


def test_build_run_in_the_project_writes_output_here(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    code, _out, err = cli("build", "briefs/minimal.yaml", "-f", "html")
    assert code == 0, err
    assert _written(project) == EXPECTED
    assert err.splitlines()[-1] == (
        "4 files written to output/ (4 documents), 0 unchanged, 0 failed"
    )


def test_a_campaign_outside_briefs_writes_output_of_the_current_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "loose").mkdir()
    shutil.copy(MINIMAL, tmp_path / "loose" / "c.yaml")
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    code, _out, err = cli("build", "../loose/c.yaml", "-f", "html")
    assert code == 0, err
    assert _written(tmp_path / "here") == EXPECTED
    assert not (tmp_path / "loose" / "output").exists()


def test_check_and_new_inside_briefs_use_that_folder(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "briefs")
    assert cli("check") == (0, "", "ok: no problems found\n")
    code, _out, err = cli("new", "second")
    assert code == 0, err
    assert (project / "briefs" / "second.yaml").is_file()
    assert not (project / "briefs" / "briefs").exists()
