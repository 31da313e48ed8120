"""Incremental builds: a key for each output file, from everything that shapes it.

A file's key hashes its document's slice of the campaign (everything but the recipients,
plus the recipients of its own letter), the pictures (with those an SVG embeds), the
template folders (templates, CSS, fonts, reference document), the message catalogs, the
versions of briefgen and of the libraries that write files, the code that decides what a
DOCX takes from its reference document, its format, and for an e-mail draft the formats it
attaches; an archival PDF (PDF/A-3) also carries the campaign file itself. The cache records
each file's key with its size, modification time and SHA-256: a file whose key and file are
unchanged is not rendered again, and a file changed outside briefgen is.
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
from .output import write_if_changed
from .pictures import campaign_pictures, picture_files
from .plan import DocumentKey, DocumentPlan

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
    "pillow",
    "lxml",
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


DOCX_RULES = ("reference", "write/docx.py", "write/docx_parts.py")
"""briefgen's modules that decide what a DOCX takes from its reference document."""


@lru_cache(maxsize=1)
def _code_digest(*names: str) -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in names:
        path = package / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


class Keys:
    """Computes the cache keys of one campaign's output files.

    ``folders`` are the template folders in use, ``reference`` the reference document,
    ``source`` the campaign file.
    """

    def __init__(
        self,
        campaign: Campaign,
        folders: list[Path],
        reference: Path | None,
        locale: Path,
        source: Path,
    ) -> None:
        digest = hashlib.sha256()
        digest.update(_versions().encode())
        digest.update(
            _json(campaign.model_dump(mode="json", exclude={"recipients", "joint_letters"}))
        )
        for folder in folders:
            digest.update(_folder_digest(folder).encode())
        if reference is not None and reference.is_file():
            digest.update(hashlib.sha256(reference.read_bytes()).digest())
        # What is taken from a reference document, and where the marking goes, is decided
        # by code: a change there (a fix of what a reference passes on) renders DOCX again.
        digest.update(_code_digest(*DOCX_RULES).encode())
        # The pictures' contents (and of those an SVG embeds): a new logo under the same
        # name renders again.
        base = Path(source).resolve().parent
        for _where, relative in campaign_pictures(campaign):
            for file in picture_files(base / relative, [base, *folders]):
                digest.update(file.as_posix().encode())
                with contextlib.suppress(OSError):
                    digest.update(hashlib.sha256(file.read_bytes()).digest())
        digest.update(_folder_digest(locale).encode())
        self.common = digest.hexdigest()
        self.joint = {j.id: j.model_dump(mode="json") for j in campaign.joint_letters}
        self.archival = campaign.campaign.pdf_variant.startswith("pdf/a-3")
        self.source = hashlib.sha256(source.read_bytes()).hexdigest() if self.archival else ""
        self._documents: dict[DocumentKey, str] = {}

    def _document(self, doc: DocumentPlan) -> str:
        name = doc.key
        if name not in self._documents:
            digest = hashlib.sha256(self.common.encode())
            digest.update(_json([doc.kind, doc.edition, doc.language]))
            if doc.letter is not None:
                digest.update(_json([r.model_dump(mode="json") for r in doc.letter.to]))
                digest.update(_json(self.joint.get(doc.letter.id)))
            self._documents[name] = digest.hexdigest()
        return self._documents[name]

    def file(self, doc: DocumentPlan, fmt: str, attached: list[str] | None = None) -> str:
        """The key of ``doc``'s file in ``fmt``; ``attached``: the formats an e-mail draft
        attaches."""
        digest = hashlib.sha256(self._document(doc).encode())
        digest.update(fmt.encode())
        if fmt == "eml":
            digest.update(_json(sorted(attached or [])))
        if fmt == "pdf" and self.archival:  # the campaign file travels inside the PDF
            digest.update(self.source.encode())
        return digest.hexdigest()


def entry(key: str, path: Path, sha256: str, attached: list[str] | None = None) -> dict[str, Any]:
    """What the cache records of a file just written at ``path``."""
    stat = path.stat()
    recorded: dict[str, Any] = {
        "key": key,
        "sha256": sha256,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }
    if attached is not None:
        recorded["attached"] = sorted(attached)
    return recorded


def unchanged(recorded: dict[str, Any] | None, path: Path) -> bool:
    """Whether the file at ``path`` is still the one ``recorded``: the same size and time,
    or (a file only touched or copied) the same size and contents; then its new time is
    recorded."""
    if not isinstance(recorded, dict):
        return False
    try:
        stat = path.stat()
    except OSError:
        return False
    if (stat.st_size, stat.st_mtime_ns) == (recorded.get("size"), recorded.get("mtime_ns")):
        return True
    if stat.st_size != recorded.get("size"):
        return False
    try:
        same = hashlib.sha256(path.read_bytes()).hexdigest() == recorded.get("sha256")
    except OSError:
        return False
    if same:
        recorded["mtime_ns"] = stat.st_mtime_ns
    return same


def keep_aside(path: Path) -> Path:
    """Rename ``path`` to a free ``NAME.edited[.N].EXT`` beside it; return the new path."""
    for n in range(1, 1000):
        suffix = ".edited" if n == 1 else f".edited.{n}"
        target = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        if not target.exists():
            path.rename(target)
            return target
    raise OSError(f"no free name to keep {path} aside")


def read(folder: Path) -> dict[str, dict[str, Any]]:
    """What is recorded of the files in ``folder`` (relative path → :func:`entry`); entries
    of another form (an older briefgen) are left out, so those files render again."""
    try:
        data = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("key"), str)}


def write(folder: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Record ``entries`` for ``folder`` (atomically; not at all if nothing changed)."""
    write_if_changed(folder / CACHE_FILE, _json(dict(sorted(entries.items()))))


def clean_partial(folder: Path) -> int:
    """Remove temporary files an interrupted build left behind; return how many."""
    removed = 0
    if folder.is_dir():
        for stray in folder.rglob(".*.tmp"):
            with contextlib.suppress(OSError):
                stray.unlink()
                removed += 1
    return removed
