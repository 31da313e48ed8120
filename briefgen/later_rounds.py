"""Visibility is today's, for an earlier round built again too.

A round's file cannot know what later rounds decided: the 2020 file says a case is public,
and the 2021 file, whose ``campaign.previous`` names it, restricts it because the family
asked. Building the project again (``briefgen build`` builds every campaign under
``briefs/``) must not publish the 2020 brief with that name. So a campaign is read with the
strictest visibility that any later round in its folder gives each of its cases: a later
round is a campaign file beside it whose chain of ``campaign.previous`` reaches it.

The later files are only parsed (with the same loader and limits as any campaign), not
validated: a later round with mistakes still restricts what it restricts, and its own errors
are reported when it is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BriefgenError
from .loader import load
from .model import Campaign

SUFFIXES = (".yaml", ".yml")
STRICTNESS = {"public": 0, "restricted": 1, "withheld": 2}


@dataclass(frozen=True)
class Later:
    """A case's visibility in a later round: the strictest one, and the file saying so."""

    visibility: str
    file: Path


def later_visibility(path: Path) -> dict[str, Later]:
    """Case id → its strictest visibility in the later rounds of the campaign file ``path``
    (those in its folder), for the cases a later round makes stricter than public."""
    here = Path(path).resolve()
    previous: dict[Path, Path] = {}
    cases: dict[Path, list[tuple[str, str]]] = {}
    for file in sorted(here.parent.iterdir()):
        if file.suffix.lower() not in SUFFIXES or file.resolve() == here:
            continue
        data = _parse(file)
        if data is None:
            continue
        named = _get(data, "campaign", "previous")
        if isinstance(named, str) and named.strip():
            previous[file.resolve()] = (file.parent / named).resolve()
            cases[file.resolve()] = _visibilities(data)
    found: dict[str, Later] = {}
    for file, visibilities in cases.items():
        if not _reaches(file, here, previous):
            continue
        for case_id, visibility in visibilities:
            strict = STRICTNESS.get(visibility, 0)
            known = found.get(case_id)
            if strict and (known is None or strict > STRICTNESS[known.visibility]):
                found[case_id] = Later(visibility, file)
    return found


def apply(campaign: Campaign, later: dict[str, Later]) -> tuple[Campaign, list[int]]:
    """``campaign`` with each case as strict as ``later`` says, and the indexes of the cases
    made stricter."""
    raised = [
        i
        for i, case in enumerate(campaign.cases)
        if case.id in later and STRICTNESS[later[case.id].visibility] > STRICTNESS[case.visibility]
    ]
    if not raised:
        return campaign, []
    cases = [
        case.model_copy(update={"visibility": later[case.id].visibility}) if i in raised else case
        for i, case in enumerate(campaign.cases)
    ]
    return campaign.model_copy(update={"cases": cases}), raised


def _parse(file: Path) -> Any:
    """The data of the campaign file ``file``, or None if it names no previous round or
    cannot be read (its own check says why)."""
    try:
        if b"previous" not in file.read_bytes():  # most files: not a later round
            return None
        return load(file).data
    except (OSError, BriefgenError):
        return None


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _visibilities(data: Any) -> list[tuple[str, str]]:
    cases = data.get("cases") if isinstance(data, dict) else None
    return [
        (str(case["id"]), str(case["visibility"]))
        for case in cases or []
        if isinstance(case, dict) and "id" in case and "visibility" in case
    ]


def _reaches(file: Path, target: Path, previous: dict[Path, Path]) -> bool:
    """Whether the chain of previous rounds from ``file`` reaches ``target``."""
    seen = {file}
    current = previous.get(file)
    while current is not None and current not in seen:
        if current == target:
            return True
        seen.add(current)
        current = previous.get(current)
    return False


__all__ = ["Later", "apply", "later_visibility"]
