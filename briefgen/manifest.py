"""Manifest stage: ``manifest.json`` lists every document file of a campaign's current output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .output import write_if_changed
from .plan import DocumentPlan, document_files

MANIFEST = "manifest.json"


def read(folder: Path) -> dict[str, Any]:
    """The manifest in ``folder``, or an empty one if there is none or it is unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": []}
    return data if isinstance(data, dict) and isinstance(data.get("files"), list) else {"files": []}


def listed(folder: Path) -> list[str]:
    """The paths ``folder``'s manifest lists (relative to it)."""
    files = [f.get("path") if isinstance(f, dict) else None for f in read(folder)["files"]]
    return [path for path in files if isinstance(path, str)]


def write(
    folder: Path,
    campaign_id: str,
    documents: list[DocumentPlan],
    current: dict[str, tuple[str, int]],
) -> dict[str, Any]:
    """Write ``folder``'s manifest for the campaign's ``documents`` (all it plans).

    ``current`` holds the files that are up to date with the campaign, with their SHA-256
    and size (as written by briefgen and unchanged since): only they are listed, with the
    send log (per recipient, which files went to them).
    """
    entries: list[dict[str, Any]] = []
    send_log: dict[str, dict[str, Any]] = {}
    for doc, fmt, relative in document_files(documents):
        if relative not in current:
            continue
        sha256, size = current[relative]
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
    manifest = {
        "campaign": campaign_id,
        "files": sorted(entries, key=lambda e: str(e["path"])),
        "recipients": dict(sorted(send_log.items())),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_if_changed(folder / MANIFEST, text.encode("utf-8"))
    return manifest
