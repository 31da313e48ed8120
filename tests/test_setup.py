"""Issue 19: the README's two commands, what CI runs, and scripts/setup's decisions.

CI runs the real commands on a fresh machine (``.ci/run``); these tests check the script's
choices without installing anything: ``apt-get``, ``sudo``, ``dpkg-query``, ``id`` and
Python are stand-ins that record how they were called.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SETUP = ROOT / "scripts" / "setup"
RUNTIME = (
    "python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 "
    "libcairo2 fontconfig"
)
TESTS = (
    "pandoc libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea "
    "hyphen-en-gb hyphen-fr poppler-utils chromium libatomic1"
)


def readme_commands() -> list[str]:
    """The commands of the README's first code block (comments left out)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_ci_runs_the_readme_commands_as_written() -> None:
    commands = readme_commands()
    assert commands == [
        "./scripts/setup && .venv/bin/briefgen build",
        "./scripts/setup --test && .venv/bin/python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    run = [line.removesuffix(" || exit 1") for line in ci if line.endswith(" || exit 1")]
    assert run == commands
    assert os.access(SETUP, os.X_OK)


_STANDINS = {
    # Installed packages are those listed in $INSTALLED.
    "dpkg-query": 'case " $INSTALLED " in *" ${@: -1} "*) printf "install ok installed";; '
    "*) exit 1;; esac",
    "apt-get": 'echo "apt-get $*" >> "$LOG"',
    # Packages listed in $UNAVAILABLE are not in the package sources.
    "apt-cache": 'case " $UNAVAILABLE " in *" $2 "*) exit 100;; esac',
    "id": 'echo "$FAKE_UID"',
    "sudo": 'echo "sudo $1" >> "$LOG"; exec "$@"',
    # The system's Python: new enough; `-m venv DIR` makes a stand-in virtual environment.
    "python3": 'if [ "$1" = -m ]; then mkdir -p "$3/bin"; '
    'printf "#!/bin/sh\\n[ \\"\\$1\\" = -c ] || echo \\"venv-python \\$*\\" >> \\"\\$LOG\\"\\n" '
    '> "$3/bin/python"; '
    'chmod +x "$3/bin/python"; echo "python3 $*" >> "$LOG"; fi; '
    'if [ "$1" = --version ]; then echo "Python 3.11.2"; fi',
}


def _run_setup(
    tmp_path: Path,
    *args: str,
    uid: int = 0,
    sudo: bool = False,
    installed: str = "",
    unavailable: str = "",
) -> tuple[int, list[str], str]:
    """Run a copy of scripts/setup among stand-ins; (exit code, calls logged, stderr)."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True, exist_ok=True)
    shutil.copy(SETUP, repo / "scripts" / "setup")
    tools = tmp_path / "bin"
    tools.mkdir(exist_ok=True)
    for name in ("bash", "env", "dirname", "sed", "rm", "mkdir", "chmod", "cat"):
        real = shutil.which(name)
        assert real
        target = tools / name
        if not target.exists():
            target.symlink_to(real)
    for name, body in _STANDINS.items():
        if name == "sudo" and not sudo:
            (tools / name).unlink(missing_ok=True)
            continue
        (tools / name).write_text(f"#!{shutil.which('bash')}\n{body}\n", encoding="utf-8")
        (tools / name).chmod(0o755)
    log = tmp_path / "calls.log"
    log.write_text("", encoding="utf-8")
    result = subprocess.run(
        [str(tools / "bash"), str(repo / "scripts" / "setup"), *args],
        env={
            "PATH": str(tools),
            "LOG": str(log),
            "FAKE_UID": str(uid),
            "INSTALLED": installed,
            "UNAVAILABLE": unavailable,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode, log.read_text(encoding="utf-8").splitlines(), result.stderr


def test_setup_as_root_without_sudo_updates_then_installs_then_makes_the_venv(
    tmp_path: Path,
) -> None:
    code, calls, err = _run_setup(tmp_path)
    assert code == 0, err
    assert calls == [
        "apt-get update -qq",
        f"apt-get install -y -qq --no-install-recommends {RUNTIME}",
        "python3 -m venv .venv",
        "venv-python -m pip install --quiet --disable-pip-version-check --editable .",
    ]
    assert err.splitlines()[-1] == (
        "setup: done: run .venv/bin/briefgen, or '. .venv/bin/activate' and then 'briefgen'"
    )


def test_setup_as_a_user_installs_through_sudo_only_what_is_missing(tmp_path: Path) -> None:
    code, calls, err = _run_setup(
        tmp_path, "--test", uid=1000, sudo=True, installed=f"{RUNTIME} pandoc poppler-utils"
    )
    assert code == 0, err
    missing = (
        "libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea hyphen-en-gb "
        "hyphen-fr chromium libatomic1"
    )
    assert calls[:4] == [
        "sudo env",
        "apt-get update -qq",
        "sudo env",
        f"apt-get install -y -qq --no-install-recommends {missing}",
    ]
    # The test extras come from pyproject.toml, not from a list in the script.
    assert calls[-1] == (
        "venv-python -m pip install --quiet --disable-pip-version-check --editable .[test]"
    )


def test_setup_run_again_touches_no_system_package(tmp_path: Path) -> None:
    everything = f"{RUNTIME} {TESTS}"
    code, calls, err = _run_setup(tmp_path, "--test", uid=1000, installed=everything)
    assert code == 0, err
    assert calls == [
        "python3 -m venv .venv",
        "venv-python -m pip install --quiet --disable-pip-version-check --editable .[test]",
    ]
    # Once the virtual environment exists, it is kept.
    code, calls, err = _run_setup(tmp_path, "--test", uid=1000, installed=everything)
    assert code == 0, err
    assert calls == [
        "venv-python -m pip install --quiet --disable-pip-version-check --editable .[test]"
    ]


def test_setup_as_a_user_without_sudo_says_what_to_install(tmp_path: Path) -> None:
    code, calls, err = _run_setup(tmp_path, uid=1000, installed="python3 python3-venv")
    assert code == 1
    assert calls == []
    missing = (
        "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libcairo2 fontconfig"
    )
    assert err.splitlines() == [
        f"setup: these system packages are missing: {missing}",
        "setup: run this script as root, or install them as root first:",
        f"setup:   apt-get update && apt-get install -y --no-install-recommends {missing}",
    ]


def test_setup_goes_without_an_optional_package_the_system_lacks(tmp_path: Path) -> None:
    code, calls, err = _run_setup(tmp_path, unavailable="libharfbuzz-subset0")
    assert code == 0, err
    assert calls[1] == (
        "apt-get install -y -qq --no-install-recommends "
        + RUNTIME.replace(" libharfbuzz-subset0", "")
    )
    assert (
        "setup: note: libharfbuzz-subset0 is not available here; PDFs are written more slowly"
        in err.splitlines()
    )


def test_setup_names_a_needed_package_the_system_lacks(tmp_path: Path) -> None:
    code, calls, err = _run_setup(tmp_path, "--test", installed=RUNTIME, unavailable="pandoc")
    assert code == 1
    assert calls == ["apt-get update -qq"]
    assert err.splitlines()[-2:] == [
        "setup: your package sources do not have: pandoc",
        "setup: install them (or their equivalents) another way, then run this again",
    ]


@pytest.mark.parametrize("option", ["--tests", "test"])
def test_setup_refuses_an_unknown_option(tmp_path: Path, option: str) -> None:
    code, calls, err = _run_setup(tmp_path, option)
    assert (code, calls) == (2, [])
    assert err == f"setup: unknown option '{option}' (use --test, --dev or nothing)\n"
