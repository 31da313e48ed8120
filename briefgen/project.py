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

from .errors import TemplateError

CAMPAIGNS = "briefs"
CAMPAIGN_SUFFIXES = (".yaml", ".yml")
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


def find_campaigns(paths: list[Path]) -> list[Path]:
    """Campaign files named by ``paths``: files as given, folders searched for ``*.yaml``."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in CAMPAIGN_SUFFIXES and p.is_file() and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    unique: dict[Path, Path] = {}  # the same file named twice (say relative and absolute)
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def campaign_dir(campaign_file: Path) -> Path:
    """The folder that relative paths in ``campaign_file`` are resolved against."""
    return Path(campaign_file).resolve().parent


def default_templates() -> Path:
    """The folder of briefgen's own templates (inside the wheel, or the source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "brief.html").is_file():
            return candidate
    raise TemplateError(f"default templates not found next to {here}")  # pragma: no cover


def check_local_file(
    base: Path, relative: str, suffixes: set[str], kind: str = "an image"
) -> str | None:
    """Return why ``relative`` (a path written in the campaign) is unusable, or ``None``."""
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        return f"'{relative}' is outside the campaign folder"
    if target.is_dir():
        return f"'{relative}' is a folder, not {kind}"
    if not target.is_file():
        return f"file '{relative}' does not exist (paths are relative to the campaign file)"
    if target.suffix.lower() not in suffixes:
        return f"'{relative}' is not {kind} ({', '.join(sorted(suffixes))})"
    return None
