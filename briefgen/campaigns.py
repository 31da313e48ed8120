"""The campaigns of a command: found, checked, and each with an id of its own."""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, errors_in
from .loader import load
from .model import Campaign
from .project import find_campaigns
from .validate import check_file


def load_all(
    paths: list[Path], *, strict: bool = False
) -> tuple[list[tuple[Path, Campaign]], list[Problem]]:
    """Load and validate every campaign at ``paths``: the valid ones (file, campaign) and
    every problem found.

    With ``strict``, a missing translation is an error that makes the campaign invalid.
    """
    problems: list[Problem] = []
    campaigns = []
    for path in paths:
        if path.is_dir() and not find_campaigns([path]):
            problems.append(Problem(path, "no campaign file (*.yaml or *.yml) in this folder"))
    for file in find_campaigns(paths):
        campaign, found = check_file(file, strict=strict)
        problems.extend(found)
        if campaign is not None and not errors_in(found):
            campaigns.append((file, campaign))
    # Two campaigns with one id would write into one output folder, each over the other's
    # letters: neither is built until one of them is renamed.
    by_id: dict[str, list[Path]] = {}
    for file, campaign in campaigns:
        by_id.setdefault(campaign.campaign.id, []).append(file)
    for campaign_id, files in by_id.items():
        if len(files) < 2:
            continue
        for file in files:
            line, column = load(file).where(("campaign", "id"))
            others = ", ".join(str(f) for f in files if f != file)
            problems.append(
                Problem(
                    file,
                    f"'{campaign_id}' is also the id of {others}: each campaign needs its own "
                    "id (it names the output folder)",
                    line,
                    column,
                    "campaign.id",
                )
            )
    return [(file, c) for file, c in campaigns if len(by_id[c.campaign.id]) == 1], problems


def check(paths: list[Path], *, strict: bool = False) -> list[Problem]:
    """Validate the campaigns at ``paths`` and return every problem found (empty if none).

    Missing translations are warnings, or errors with ``strict``.
    """
    return load_all(paths, strict=strict)[1]
