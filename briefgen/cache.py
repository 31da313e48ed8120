"""Incremental builds: a key for each output, from everything that shapes it.

A document's key hashes its slice of the campaign (everything but the recipients, plus the
recipients of its own letter), the template folders (templates, CSS, fonts, reference
document), the message catalogs, the versions of briefgen and of the libraries that write
files, and the formats built together (an e-mail draft attaches the PDF and DOCX). An output
whose key and file are unchanged is not rendered again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .model import Campaign
from .output import write_atomic
from .plan import DocumentPlan

CACHE_FILE = ".briefgen-cache.json"
LIBRARIES = (
    "briefgen",
    "weasyprint",
    "pydyf",
    "python-docx",
    "jinja2",
    "babel",
    "markdown-it-py",
    "fonttools",
    "cairosvg",
    "pydantic",
)


@lru_cache(maxsize=1)
def _versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ";".join(found)


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


class Keys:
    """Computes the cache keys of one campaign's documents.

    ``folders`` are the template folders in use, ``reference`` the reference document,
    ``options`` anything else that changes the output (the formats built together).
    """

    def __init__(
        self,
        campaign: Campaign,
        folders: list[Path],
        reference: Path | None,
        locale: Path,
        options: dict[str, Any],
    ) -> None:
        digest = hashlib.sha256()
        digest.update(_versions().encode())
        digest.update(_json(options))
        digest.update(
            _json(campaign.model_dump(mode="json", exclude={"recipients", "joint_letters"}))
        )
        for folder in folders:
            digest.update(_folder_digest(folder).encode())
        if reference is not None and reference.is_file():
            digest.update(hashlib.sha256(reference.read_bytes()).digest())
        digest.update(_folder_digest(locale).encode())
        self.common = digest.hexdigest()
        self.joint = {j.id: j.model_dump(mode="json") for j in campaign.joint_letters}

    def document(self, doc: DocumentPlan) -> str:
        """The key of ``doc`` (the same for all its formats)."""
        digest = hashlib.sha256(self.common.encode())
        digest.update(_json([doc.kind, doc.edition, doc.language]))
        if doc.letter is not None:
            digest.update(_json([r.model_dump(mode="json") for r in doc.letter.to]))
            digest.update(_json(self.joint.get(doc.letter.id)))
        return digest.hexdigest()


def read(folder: Path) -> dict[str, str]:
    """The keys recorded for the files in ``folder`` (relative path → key)."""
    try:
        data = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write(folder: Path, keys: dict[str, str]) -> None:
    """Record ``keys`` for ``folder`` (atomically)."""
    write_atomic(folder / CACHE_FILE, _json(dict(sorted(keys.items()))))


def clean_partial(folder: Path) -> int:
    """Remove temporary files an interrupted build left behind; return how many."""
    removed = 0
    if folder.is_dir():
        for stray in folder.rglob(".*.tmp"):
            with contextlib.suppress(OSError):
                stray.unlink()
                removed += 1
    return removed
