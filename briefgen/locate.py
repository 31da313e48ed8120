"""Where a campaign's text was written, for a problem found after validation.

``check`` reports every problem at its place as it validates. The build's last-line leak
guard looks at a rendered document instead; when it refuses one, this module finds the texts
of the campaign that carry the name, and where each was written (the campaign file, an
import's defaults or overrides, a row of an import file), so the refusal says what to fix.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from . import imports, leaks
from .errors import BriefgenError
from .loader import PathKey, format_path, load
from .model import Campaign
from .names_guard import Mention


def texts_naming(campaign: Campaign, mention: Mention) -> list[PathKey]:
    """The paths of the campaign's texts (imports expanded) that name the person of
    ``mention`` where their edition may not (the case's own fields left out)."""
    return list(
        dict.fromkeys(
            finding.text.path
            for finding in leaks.campaign_findings(campaign)
            if finding.mention.person.index == mention.person.index
            and finding.mention.allowed is None
            and not finding.mention.other
        )
    )


def describe_places(campaign_file: Path, paths: list[PathKey]) -> list[str]:
    """Each path as ``file:line:column (field)``: the campaign is read again (imports too),
    only to be pointed at."""
    try:
        loaded = load(campaign_file)
        written = Campaign.model_validate(loaded.data)
        entries = list(enumerate(written.recipients))
        _people, origins, _problems = imports.expand(entries, loaded, written.campaign.language)
    except (BriefgenError, ValidationError, OSError):
        # The file changed since the build read it: name the fields only.
        return [format_path(path) for path in paths]
    places = []
    for path in paths:
        if path[0] == "recipients" and isinstance(path[1], int) and path[1] < len(origins):
            file, line, column, what = origins[path[1]].where(loaded, *path[2:])
        else:
            file, (line, column), what = loaded.path, loaded.where(path), format_path(path)
        places.append(f"{file}:{line}:{column or 1} ({what})" if line else f"{file} ({what})")
    return places


def leak_origin(campaign: Campaign, campaign_file: Path, mention: Mention) -> str:
    """Where the name a document was refused for comes from, as the end of a message."""
    paths = texts_naming(campaign, mention)
    if not paths:
        return (
            "; the name is in no text of the campaign: it comes from the templates "
            "(campaign.templates)"
        )
    return "; the name is in " + ", ".join(describe_places(campaign_file, paths))
