"""The Khujand campaign (tests/data/khujand): a copy a test may edit, and where a text is."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import DATA

KHUJAND = DATA / "khujand" / "campaign.yaml"
"""Recipients listed, from a CSV export and from the Parliament's list; joint letters in
three languages; copies with commas, quotes and letters outside ASCII; a restricted and a
withheld case."""
PHONE_WARNING = "contacts.csv:1:93: warning: unknown column 'Phone' (column M) is ignored"
"""The only thing check says about the campaign as it is (its CSV has a phone column)."""


def khujand_copy(
    folder: Path,
    replace: list[tuple[str, str]] | None = None,
    csv: list[tuple[str, str]] | None = None,
) -> Path:
    """A copy of the campaign folder in ``folder``, with text replacements (each ``old``
    must occur) in the campaign file (``replace``) and in its CSV file (``csv``)."""
    target = folder / "khujand"
    shutil.copytree(KHUJAND.parent, target)
    for name, changes in (("campaign.yaml", replace), ("contacts.csv", csv)):
        path = target / name
        text = path.read_bytes().decode("utf-8")
        for old, new in changes or []:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_bytes(text.encode("utf-8"))
    return target / "campaign.yaml"


def at(path: Path, needle: str, after: str = "") -> str:
    """``name:line:column`` of the first ``needle`` in the file ``path`` (the first after
    ``after``), as :func:`check` shows places."""
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    start = text.index(needle, text.index(after))
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return f"{path.name}:{line}:{column}"


def check(cli: Callable[..., tuple[int, str, str]], path: Path) -> tuple[int, list[str]]:
    """Exit code and the lines ``briefgen check`` prints, file names relative to the
    campaign's folder."""
    code, _out, err = cli("check", path)
    return code, [line.replace(f"{path.parent}/", "") for line in err.splitlines()]
