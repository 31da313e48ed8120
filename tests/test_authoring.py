"""Issue 11: start a campaign (new), editor help (schema), see changes live (preview, watch)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import EXAMPLE, ROOT, docx_text, pdf_text

from briefgen.scaffold import new_campaign
from briefgen.schema import SCHEMA_FILE, campaign_schema, schema_text

CLI = Callable[..., tuple[int, str, str]]


def _as_editor_reads(path: Path) -> Any:
    """The YAML as an editor's language server sees it: dates are strings."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_new_campaign_passes_check_and_builds(cli: CLI, tmp_path: Path) -> None:
    code, _out, err = cli("new", "dialogue-2027", "--dir", tmp_path / "briefs")
    assert code == 0, err
    created = tmp_path / "briefs" / "dialogue-2027.yaml"
    text = created.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_FILE}\n")
    assert (tmp_path / "briefs" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()
    # Every section is present, and the optional ones are shown commented.
    for key in (
        "campaign:",
        "organisation:",
        "brief:",
        "letter:",
        "demands:",
        "cases:",
        "sources:",
        "recipients:",
        "joint_letters:",
        "co_signers:",
        "signatories:",
    ):
        assert f"\n{key}" in text, key
    for commented in ("# languages:", "# visibility: restricted", "# - from:", "# history:"):
        assert commented in text, commented

    code, _out, err = cli("check", created)
    assert (code, err.strip()) == (0, "ok: no problems found")

    code, _out, err = cli("build", created, "-o", tmp_path / "out", "-q")
    assert code == 0, err
    folder = tmp_path / "out" / "dialogue-2027"
    assert "What the EU should ask for at the dialogue" in pdf_text(folder / "brief.public.en.pdf")
    letter = docx_text(folder / "letters" / "example-recipient.docx")
    assert "Release everyone detained for their peaceful activism" in letter


def test_new_never_overwrites_and_checks_the_name(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "one", "--dir", tmp_path)[0] == 0
    (tmp_path / "one.yaml").write_text("edited", encoding="utf-8")
    code, _out, err = cli("new", "one", "--dir", tmp_path)
    assert code == 2
    assert "already exists" in err
    assert (tmp_path / "one.yaml").read_text(encoding="utf-8") == "edited"
    assert cli("new", "one", "--dir", tmp_path, "--force")[0] == 0
    assert "campaign:" in (tmp_path / "one.yaml").read_text(encoding="utf-8")

    code, _out, err = cli("new", "Bad Name", "--dir", tmp_path)
    assert code == 2
    assert "'Bad Name' is not a valid id" in err
    assert not list(tmp_path.glob("Bad*"))


def test_committed_schema_is_current() -> None:
    committed = ROOT / "briefs" / SCHEMA_FILE
    assert committed.read_text(encoding="utf-8") == schema_text(), (
        "briefs/campaign.schema.json is stale: run  briefgen schema -o briefs/campaign.schema.json"
    )


def test_schema_describes_every_field() -> None:
    schema = campaign_schema()
    seen = 0
    for definition in [schema, *schema["$defs"].values()]:
        for name, prop in definition.get("properties", {}).items():
            seen += 1
            assert prop.get("description", "").strip(), name
    assert seen > 100


def test_schema_cli_prints_the_schema(cli: CLI) -> None:
    code, out, _err = cli("schema")
    assert code == 0
    assert json.loads(out) == campaign_schema()


def test_schema_accepts_the_example_and_the_scaffold(tmp_path: Path, cli: CLI) -> None:
    validator = jsonschema.Draft202012Validator(campaign_schema())
    cli("new", "fresh", "--dir", tmp_path)
    for path in (EXAMPLE, tmp_path / "fresh.yaml"):
        errors = [e.message for e in validator.iter_errors(_as_editor_reads(path))]
        assert errors == [], path


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("recipients", 0, "role"), "king"),
        (("campaign", "id"), "Not An Id"),
        (("campaign", "language"), "de"),
        (("sources", 0, "url"), "www.example.org"),
        (("brief", "title"), {"de": "Titel"}),
        (("brief", "colour"), "red"),
    ],
)
def test_schema_rejects_what_check_rejects(
    tmp_path: Path, cli: CLI, path: tuple[str | int, ...], value: Any
) -> None:
    data = _as_editor_reads(EXAMPLE)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    validator = jsonschema.Draft202012Validator(campaign_schema())
    assert list(validator.iter_errors(data)), "the editor would not flag it"
    edited = tmp_path / "edited.yaml"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for name in ("assets", "data"):
        (tmp_path / name).symlink_to(EXAMPLE.parent / name)
    code, _out, err = cli("check", edited)
    assert code == 1, err


def _wait_for(predicate: Callable[[], bool], process: subprocess.Popen[Any] | None = None) -> bool:
    """Wait until ``predicate()`` holds; False if ``process`` ends first, or after 10 minutes
    (a limit for a hang, far above what a build takes on a busy machine)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if predicate():
            return True
        if process is not None and process.poll() is not None:
            return predicate()
        time.sleep(0.2)
    return False


NOTE_BEFORE = "    email: first.last@example.org\n"
NOTE_AFTER = NOTE_BEFORE + "    note: We met you in Strasbourg last spring.\n"

# Runs `briefgen build --watch`, saving the campaign (NOTE_BEFORE -> NOTE_AFTER) right after
# the first build and before "watching" is printed: the window in which a watcher that is
# not yet listening loses the save.
SAVE_AFTER_FIRST_BUILD = f"""
import sys
from pathlib import Path
from briefgen import cli

build_once = cli._build_once
builds = []

def build_then_save(*args, **kwargs):
    result = build_once(*args, **kwargs)
    if not builds:
        builds.append(1)
        path = Path(sys.argv[2])
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace({NOTE_BEFORE!r}, {NOTE_AFTER!r}), encoding="utf-8")
    return result

cli._build_once = build_then_save
sys.exit(cli.main(sys.argv[1:]))
"""


@contextmanager
def _watching(tmp_path: Path, created: Path, *, save_after_first_build: bool = False) -> Any:
    """``briefgen build CAMPAIGN -f html --watch`` running; yields (its process, its stderr
    log file)."""
    log = tmp_path / "watch.log"
    out = tmp_path / "out"
    start = ["-c", SAVE_AFTER_FIRST_BUILD] if save_after_first_build else ["-m", "briefgen"]
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [sys.executable, *start, "build", str(created), "-o", str(out), "-f", "html"]
            + ["--watch"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=tmp_path,
        )
        try:
            yield process, log
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.mark.slow
def test_build_watch_rebuilds_only_what_a_save_changed(tmp_path: Path) -> None:
    created = new_campaign("watched", tmp_path / "briefs")[0]
    out = tmp_path / "out"
    letter = out / "watched" / "letters" / "example-recipient.html"
    with _watching(tmp_path, created) as (process, log):
        # "watching" is printed once the watcher listens: a save right after it is caught,
        # however busy the machine.
        assert _wait_for(lambda: "watching" in log.read_text("utf-8"), process), log.read_text(
            encoding="utf-8"
        )
        brief = out / "watched" / "brief.public.en.html"
        brief_bytes = brief.read_bytes()
        text = created.read_text(encoding="utf-8")
        created.write_text(text.replace(NOTE_BEFORE, NOTE_AFTER), encoding="utf-8")
        assert _wait_for(
            lambda: "We met you in Strasbourg" in letter.read_text(encoding="utf-8"), process
        ), log.read_text(encoding="utf-8")
        assert _wait_for(lambda: log.read_text(encoding="utf-8").count("watching") >= 2, process)
    output = log.read_text(encoding="utf-8")
    assert "changed: watched.yaml; rebuilding" in output
    # Only the letter the note is for was rendered again; the briefs were up to date.
    assert "1 documents to render, 2 unchanged" in output
    assert brief.read_bytes() == brief_bytes


@pytest.mark.slow
def test_build_watch_catches_a_save_made_during_the_first_build(tmp_path: Path) -> None:
    created = new_campaign("watched", tmp_path / "briefs")[0]
    letter = tmp_path / "out" / "watched" / "letters" / "example-recipient.html"
    with _watching(tmp_path, created, save_after_first_build=True) as (process, log):
        assert _wait_for(
            lambda: letter.is_file() and "We met you in Strasbourg" in letter.read_text("utf-8"),
            process,
        ), log.read_text(encoding="utf-8")
    output = log.read_text(encoding="utf-8")
    # The first build ran before the save; the save was then caught and rebuilt.
    assert output.index("watching") < output.index("changed: watched.yaml; rebuilding")


def test_watch_covers_templates_and_ignores_outputs_and_editor_litter(tmp_path: Path) -> None:
    from briefgen.project import default_templates
    from briefgen.watch import relevant, watched_folders

    created = new_campaign("w", tmp_path / "briefs")[0]
    own = tmp_path / "house-style"
    own.mkdir()
    _text = created.read_text(encoding="utf-8")
    created.write_text(
        _text.replace("  language: en ", "  templates: ../house-style\n  language: en ", 1),
        encoding="utf-8",
    )
    folders = watched_folders([created])
    assert created.parent.resolve() in folders
    assert own.resolve() in folders
    assert default_templates().resolve() in folders
    out = tmp_path / "briefs" / "output"
    assert relevant(created, out)
    assert relevant(own / "letter.html", out)
    assert not relevant(out / "w" / "brief.public.en.html", out)
    assert not relevant(created.parent / ".w.yaml.swp", out)
    assert not relevant(created.parent / "w.yaml~", out)
    assert not relevant(created.parent / ".brief.pdf.part", out)
