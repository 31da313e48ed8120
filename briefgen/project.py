"""Where a campaign's project is: the folder holding ``briefs/``, whose ``output/`` builds write.

A project is laid out as the README shows: campaign files under ``briefs/``, documents
written into ``output/`` beside it. Found from the campaign, not from the folder a command
is run in, so that ``briefgen build my-campaign.yaml`` run inside ``briefs/`` still writes
``output/`` of the project, not ``briefs/output/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

CAMPAIGNS = "briefs"
OUTPUT = "output"


def project_folder(path: Path) -> Path | None:
    """The project of the campaign file or folder ``path``: the folder holding the nearest
    ``briefs/`` folder it is in (or is), or ``None`` if it is in none."""
    here = Path(path).resolve()
    for folder in (here, *here.parents):
        if folder.name == CAMPAIGNS and folder.is_dir():
            return folder.parent
    return None


def default_output(paths: Iterable[Path], cwd: Path | None = None) -> Path:
    """The folder ``build`` writes into when no ``--output`` is given.

    ``output/`` of the campaigns' project (see :func:`project_folder`). Campaigns outside
    any ``briefs/`` folder, or from several projects at once, write into ``output/`` of the
    current folder (``cwd``). The path is relative to ``cwd`` when it is below it.
    """
    cwd = (cwd or Path.cwd()).resolve()
    projects = {project_folder(p) for p in paths}
    project = projects.pop() if len(projects) == 1 else None
    target = (project or cwd) / OUTPUT
    return Path(os.path.relpath(target, cwd)) if target.is_relative_to(cwd) else target


def default_campaigns(cwd: Path | None = None) -> Path | None:
    """The campaigns folder to use when none is named: ``briefs/`` in the current folder, or
    the current folder itself when it is (or is inside) a ``briefs/`` folder."""
    cwd = (cwd or Path.cwd()).resolve()
    if (cwd / CAMPAIGNS).is_dir():
        return Path(CAMPAIGNS)
    project = project_folder(cwd)
    if project is None:
        return None
    return Path(os.path.relpath(project / CAMPAIGNS, cwd))
