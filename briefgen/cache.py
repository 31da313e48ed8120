"""Incremental builds: a key for each output file, from everything that shapes it.

A file's key hashes its document's slice of the campaign (everything but the recipients, plus
the recipients of its own letter) and of its earlier rounds, the pictures (with those an SVG
embeds), the template folders (templates, CSS, fonts, reference document), the message
catalogs, the versions of briefgen and of the libraries that write files, the code that decides
what a DOCX takes from its reference document, its format, and for an e-mail draft the formats
it attaches; an archival PDF (PDF/A-3) also carries the campaign file itself. The cache records
each file's key with its size, modification time and SHA-256: a file whose key and file are
unchanged is not rendered again, and a file changed outside briefgen is.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import manifest, rounds
from .model import Campaign
from .options import FORMATS
from .output import write_if_changed
from .pictures import campaign_pictures, picture_files
from .plan import DocumentKey, DocumentPlan, document_files

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


DOCX_RULES = (
    "reference",
    "write/docx.py",
    "write/docx_inline.py",
    "write/docx_package.py",
    "write/docx_parts.py",
)
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
        # The earlier rounds of the dialogue: what changed since them is in the documents.
        for earlier in rounds.chain(campaign):
            digest.update(
                _json(
                    earlier.campaign.model_dump(
                        mode="json", exclude={"recipients", "joint_letters"}
                    )
                )
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

    def file(self, doc: DocumentPlan, fmt: str, attached: Iterable[str] | None = None) -> str:
        """The key of ``doc``'s file in ``fmt``; ``attached``: the formats an e-mail draft
        attaches."""
        digest = hashlib.sha256(self._document(doc).encode())
        digest.update(fmt.encode())
        if fmt == "eml":
            digest.update(_json(sorted(attached or [])))
        if fmt == "pdf" and self.archival:  # the campaign file travels inside the PDF
            digest.update(self.source.encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """What the cache records of a file briefgen wrote: its key, contents and stat."""

    key: str
    sha256: str
    size: int
    mtime_ns: int
    attached: tuple[str, ...] | None = None
    """For an e-mail draft: the formats it attaches."""

    @classmethod
    def of(cls, key: str, path: Path, sha256: str, attached: Iterable[str] | None) -> Entry:
        """The entry of a file just written at ``path``."""
        stat = path.stat()
        formats = None if attached is None else tuple(sorted(attached))
        return cls(key, sha256, stat.st_size, stat.st_mtime_ns, formats)

    @classmethod
    def parse(cls, data: Any) -> Entry | None:
        """The entry recorded as ``data``, or ``None`` if it is of another form (an older
        briefgen): that file then renders again. A value of the wrong type never matches."""
        if not isinstance(data, dict) or not isinstance(data.get("key"), str):
            return None

        def number(name: str) -> int:
            value = data.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else -1

        sha256 = data.get("sha256")
        attached = data.get("attached")
        return cls(
            data["key"],
            sha256 if isinstance(sha256, str) else "",
            number("size"),
            number("mtime_ns"),
            tuple(str(a) for a in attached) if isinstance(attached, list) else None,
        )

    def as_json(self) -> dict[str, Any]:
        recorded: dict[str, Any] = {
            "key": self.key,
            "sha256": self.sha256,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
        }
        if self.attached is not None:
            recorded["attached"] = sorted(self.attached)
        return recorded

    def check(self, path: Path) -> Entry | None:
        """This entry if the file at ``path`` is still the one it records — the same size
        and time, or (a file only touched or copied) the same size and contents, then with
        the file's new time — else ``None``."""
        try:
            stat = path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns):
            return self
        if stat.st_size != self.size:
            return None
        try:
            same = hashlib.sha256(path.read_bytes()).hexdigest() == self.sha256
        except OSError:
            return None
        return replace(self, mtime_ns=stat.st_mtime_ns) if same else None


def read(folder: Path) -> dict[str, Entry]:
    """What is recorded of the files in ``folder`` (relative path → entry); entries of
    another form (an older briefgen) are left out, so those files render again."""
    try:
        data = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    entries = {relative: Entry.parse(value) for relative, value in data.items()}
    return {relative: entry for relative, entry in entries.items() if entry is not None}


def write(folder: Path, entries: dict[str, Entry]) -> None:
    """Record ``entries`` for ``folder`` (atomically; not at all if nothing changed)."""
    data = {relative: entries[relative].as_json() for relative in sorted(entries)}
    write_if_changed(folder / CACHE_FILE, _json(data))


@dataclass(frozen=True)
class Decision:
    """What to do with one document: the files to render (relative path, key; empty:
    nothing), whether all of them were up to date, and what to tell the user."""

    files: tuple[tuple[str, str], ...] = ()
    up_to_date: bool = False
    notices: tuple[str, ...] = ()


@dataclass
class OutputFolder:
    """One campaign's output folder during a build, and the only judge of its files.

    It decides which files are up to date (their key is the campaign's as it is now and the
    file is the one briefgen wrote), keeps files edited outside briefgen aside before they
    are rendered again, records what the build writes, deletes what is out of date, and
    writes the build cache and the manifest. ``attached``: the formats an e-mail draft of
    this build attaches.
    """

    file: Path
    campaign: Campaign
    folder: Path
    keys: Keys
    attached: tuple[str, ...] = ("brief", "pdf")
    entries: dict[str, Entry] = field(default_factory=dict)
    """What the cache records of the folder's files, as the build goes."""
    selected: set[DocumentKey] = field(default_factory=set)
    """The documents this build was asked for (all, or those of --only/--recipient), and the
    briefs their e-mail drafts attach."""
    plans: dict[DocumentKey, DocumentPlan] = field(default_factory=dict)
    """Those documents by key."""

    @classmethod
    def open(
        cls, output: Path, file: Path, campaign: Campaign, keys: Keys, attached: Iterable[str]
    ) -> OutputFolder:
        """The folder of ``campaign`` in ``output``, with what its cache records; temporary
        files an interrupted build left there are removed."""
        folder = output / campaign.campaign.id
        clean_partial(folder)
        return cls(file, campaign, folder, keys, tuple(attached), read(folder))

    def _check(self, relative: str) -> bool:
        """Whether the recorded file at ``relative`` is the one briefgen wrote (its new time
        is recorded if only that changed)."""
        entry = self.entries.get(relative)
        found = entry.check(self.folder / relative) if entry is not None else None
        if found is not None and found is not entry:
            self.entries[relative] = found
        return found is not None

    def is_current(self, doc: DocumentPlan, fmt: str) -> bool:
        """Whether ``doc``'s file in ``fmt`` is there, unchanged, and rendered from the
        campaign as it is now."""
        relative = doc.path(fmt).as_posix()
        entry = self.entries.get(relative)
        if entry is None or not (self.folder / relative).is_file():
            return False
        return entry.key == self.keys.file(doc, fmt, entry.attached) and self._check(relative)

    def decide(self, doc: DocumentPlan, formats: tuple[str, ...], force: bool) -> Decision:
        """What to render of ``doc`` in ``formats``: nothing if its files are up to date
        (unless ``force``) or it has none in these formats (a brief, with -f eml). A file
        someone changed after briefgen wrote it (edited in Word, say) is kept under another
        name before the document is rendered again."""
        self.selected.add(doc.key)
        self.plans[doc.key] = doc
        formats = tuple(f for f in FORMATS if f in formats)
        wanted = {
            doc.path(fmt).as_posix(): self.keys.file(doc, fmt, self.attached)
            for fmt in doc.formats(formats)
        }
        if not wanted:
            return Decision()
        untouched = {relative: self._check(relative) for relative in wanted}
        if not force and all(
            relative in self.entries and self.entries[relative].key == key and untouched[relative]
            for relative, key in wanted.items()
        ):
            return Decision(up_to_date=True)
        notices = []
        for relative in wanted:
            edited = relative in self.entries and not untouched[relative]
            if edited and (self.folder / relative).is_file():
                kept = keep_aside(self.folder / relative)
                self.entries.pop(relative, None)
                notices.append(
                    f"{self.file}: {doc.name}: {relative} was changed outside briefgen; "
                    f"kept as {kept.relative_to(self.folder).as_posix()}, and rendered again"
                )
        return Decision(tuple(wanted.items()), notices=tuple(notices))

    def record(
        self, keys: Iterable[tuple[str, str]], files: Iterable[tuple[str, str]]
    ) -> list[Path]:
        """Record the ``files`` (relative path, SHA-256) a document just wrote, rendered
        with ``keys`` (relative path, key); return their paths."""
        key_of = dict(keys)
        written = []
        for relative, sha256 in files:
            path = self.folder / relative
            attached = self.attached if relative.endswith(".eml") else None
            self.entries[relative] = Entry.of(key_of[relative], path, sha256, attached)
            written.append(path)
        return written

    def remove(self, relatives: Iterable[str]) -> None:
        """Delete these files (a document that failed: an old copy would no longer match
        the campaign) and forget them."""
        for relative in relatives:
            self.entries.pop(relative, None)
            with contextlib.suppress(OSError):
                (self.folder / relative).unlink()

    def settle(self, documents: list[DocumentPlan]) -> tuple[dict[str, Entry], int]:
        """Sort the campaign's files after a build: return the current ones with their
        entries, and how many others are out of date or were changed outside briefgen.

        A document built now loses its older files in other formats (the restricted DOCX of
        a letter that is now public, say); other files that are not current are left in
        place, out of the manifest.
        """
        current: dict[str, Entry] = {}
        stale = 0
        for doc, fmt, relative in document_files(documents):
            path = self.folder / relative
            entry = self.entries.get(relative)
            if not path.is_file():
                self.entries.pop(relative, None)
                continue
            if entry is None:
                stale += 1
                continue
            key = self.keys.file(doc, fmt, entry.attached)
            untouched = self._check(relative)
            if entry.key == key and untouched:
                current[relative] = self.entries[relative]
            elif untouched and doc.key in self.selected:
                self.remove([relative])
            else:
                stale += 1
        return current, stale

    def save(self) -> None:
        """Write the build cache (raises :class:`OSError`)."""
        if self.entries or self.folder.is_dir():
            write(self.folder, self.entries)

    def write_manifest(self, documents: list[DocumentPlan], current: dict[str, Entry]) -> None:
        """Write the manifest of the ``current`` files of ``documents`` (all the campaign
        plans). Files the last manifest listed that belong to no planned document (a
        recipient removed from the campaign, say) are deleted, so the folder holds the
        campaign as it is now. Raises :class:`OSError`."""
        expected = {relative for _doc, _fmt, relative in document_files(documents)}
        for old in manifest.listed(self.folder):
            if old not in expected:
                stale = (self.folder / old).resolve()
                if stale.is_relative_to(self.folder.resolve()):
                    with contextlib.suppress(OSError):
                        stale.unlink()
        files = {relative: (entry.sha256, entry.size) for relative, entry in current.items()}
        manifest.write(self.folder, self.campaign.campaign.id, documents, files)


def keep_aside(path: Path) -> Path:
    """Rename ``path`` to a free ``NAME.edited[.N].EXT`` beside it; return the new path."""
    for n in range(1, 1000):
        suffix = ".edited" if n == 1 else f".edited.{n}"
        target = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        if not target.exists():
            path.rename(target)
            return target
    raise OSError(f"no free name to keep {path} aside")


def clean_partial(folder: Path) -> int:
    """Remove temporary files an interrupted build left behind; return how many."""
    removed = 0
    if folder.is_dir():
        for stray in folder.rglob(".*.tmp"):
            with contextlib.suppress(OSError):
                stray.unlink()
                removed += 1
    return removed
