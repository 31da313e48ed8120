"""``briefgen new``: a campaign file with every section present and commented."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path

from .errors import OptionError
from .fields import MAX_ID, _slug
from .output import write_atomic
from .schema import SCHEMA_FILE, schema_text


def campaign_text(campaign_id: str, file: str, *, today: dt.date | None = None) -> str:
    """The scaffold for ``campaign_id``, dated ``today`` with the event a month later."""
    today = today or dt.date.today()
    text = files("briefgen").joinpath("scaffold.yaml").read_text(encoding="utf-8")
    for token, value in {
        "__SCHEMA__": SCHEMA_FILE,
        "__ID__": campaign_id,
        "__FILE__": file,
        "__DATE__": today.isoformat(),
        "__EVENT__": (today + dt.timedelta(days=30)).isoformat(),
    }.items():
        text = text.replace(token, value)
    return text


def new_campaign(name: str, folder: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write ``folder/NAME.yaml`` and the schema beside it; return both paths.

    ``name`` must be a valid id (it becomes the campaign id); an existing campaign file is
    never overwritten unless ``force``. The schema file is always refreshed, so editors see
    the schema of the installed briefgen.
    """
    try:
        campaign_id = _slug(name)
    except ValueError as exc:
        raise OptionError(f"NAME: {exc} (at most {MAX_ID} characters)") from None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{campaign_id}.yaml"
    if target.exists() and not force:
        raise OptionError(f"{target} already exists; choose another name or pass --force")
    write_atomic(target, campaign_text(campaign_id, target.as_posix()).encode("utf-8"))
    schema = folder / SCHEMA_FILE
    write_atomic(schema, schema_text().encode("utf-8"))
    return target, schema
