"""Manifest stage: ``manifest.json`` lists every document file of a campaign's current output."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from .output import write_if_changed
from .plan import FORMATS, DocumentPlan

MANIFEST = "manifest.json"


def read(folder: Path) -> dict[str, Any]:
    """The manifest in ``folder``, or an empty one if there is none or it is unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": []}
    return data if isinstance(data, dict) and isinstance(data.get("files"), list) else {"files": []}


def update(
    folder: Path,
    campaign_id: str,
    documents: list[DocumentPlan],
    current: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Rewrite ``folder``'s manifest for the campaign's ``documents`` (all it plans).

    ``current`` holds the files that are up to date with the campaign, with their build
    cache entries (size and SHA-256, as written by briefgen and unchanged since): only they
    are listed. Files a previous
    build recorded that belong to no planned document (a recipient removed from the
    campaign, say) are deleted, so the folder holds the campaign as it is now.
    """
    entries: list[dict[str, Any]] = []
    send_log: dict[str, dict[str, Any]] = {}
    expected = set()
    for doc in documents:
        for fmt in doc.formats(FORMATS):
            relative = doc.path(fmt).as_posix()
            expected.add(relative)
            if relative not in current:
                continue
            sha256, size = current[relative]["sha256"], current[relative]["size"]
            entries.append(
                {
                    "path": relative,
                    "kind": doc.kind,
                    "edition": doc.edition,
                    "language": doc.language,
                    "recipient": doc.letter.id if doc.letter else None,
                    "format": fmt,
                    "sha256": sha256,
                    "bytes": size,
                }
            )
            # The send log: per recipient, which files went to them, with their hashes.
            for person in doc.letter.to if doc.letter else ():
                sent = send_log.setdefault(
                    person.id,
                    {
                        "name": person.name.resolve(doc.language, doc.language)[0],
                        "email": person.email,
                        "letter": doc.path(fmt).stem,
                        "language": doc.language,
                        "edition": doc.edition,
                        "files": [],
                    },
                )
                sent["files"].append({"path": relative, "format": fmt, "sha256": sha256})
    for old in read(folder)["files"]:
        old_path = old.get("path") if isinstance(old, dict) else None
        if isinstance(old_path, str) and old_path not in expected:
            stale = (folder / old_path).resolve()
            if stale.is_relative_to(folder.resolve()):
                with contextlib.suppress(OSError):
                    stale.unlink()
    manifest = {
        "campaign": campaign_id,
        "files": sorted(entries, key=lambda e: str(e["path"])),
        "recipients": dict(sorted(send_log.items())),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_if_changed(folder / MANIFEST, text.encode("utf-8"))
    return manifest
