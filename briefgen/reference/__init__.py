"""Reference documents: the look taken from a Word letterhead, and what briefgen refuses.

A reference document (``campaign.reference_docx``) gives the DOCX outputs their styles,
numbering, page setup, headers and footers, theme and fonts — nothing else. :func:`prepare`
rebuilds it from a whitelist of parts, by relationship type: the body, notes, comments and
their authors, custom XML, the thumbnail, the glossary, properties, macros, embedded objects
and every other part are left behind, and the kept parts are cleaned of revision data
(:mod:`briefgen.reference.package`, :mod:`briefgen.reference.parts`). ``check`` and the DOCX
writer both call it, so ``check`` refuses exactly what a build would.
"""

from __future__ import annotations

import functools
import html
import io
import logging
import zipfile
from pathlib import Path

from .. import i18n, leaks
from ..model import Campaign
from ..names_guard import Mention, squash
from .package import NOT_DOCX, REPAIR, SAVE_AS, Package, Prepared, Rebuild, ReferenceRefused

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
"""The largest reference document accepted (a letterhead with pictures and fonts is far
smaller)."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def prepare(path: Path) -> Prepared:
    """The reference document at ``path``, keeping only what shapes the look.

    Raises :class:`ReferenceRefused` with the reason it cannot be used (not a Word document,
    Strict Open XML, encrypted, macro-enabled, too big, damaged...).
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise ReferenceRefused(f"cannot be read ({exc.strerror or exc})") from None
    return _prepare(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _prepare(path: str, _mtime: int, size: int) -> Prepared:
    if size > MAX_BYTES:
        raise ReferenceRefused(
            f"is too big ({size / 1024 / 1024:.1f} MB; a reference document may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB): remove large pictures or embedded fonts"
        )
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReferenceRefused(f"cannot be read ({exc.strerror or exc})") from None
    if data.startswith(_OLE):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ReferenceRefused(
                "is protected with a password; save a copy without one (in Word: File > "
                "Info > Protect Document > Encrypt with Password, and clear the password)"
            )
        raise ReferenceRefused(f"is a Word 97-2003 document (.doc); {SAVE_AS}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ReferenceRefused(NOT_DOCX) from None
    try:
        with archive:
            prepared = Rebuild(Package(archive)).run()
    except ReferenceRefused:
        raise
    except Exception as exc:  # a package no rule above foresaw: refused, and logged
        logger.warning("reference document %s could not be rebuilt", path, exc_info=True)
        raise ReferenceRefused(f"cannot be read ({type(exc).__name__}: {exc}); {REPAIR}") from None
    _try_with_python_docx(prepared.package)
    return prepared


def _try_with_python_docx(package: bytes) -> None:
    """Open the rebuilt package as the DOCX writer does, and read what it reads."""
    import docx  # the writer's library; imported here so that check stays light until now

    try:
        document = docx.Document(io.BytesIO(package))
        section = document.sections[-1]
        for value in ("page_width", "page_height", "left_margin", "right_margin"):
            getattr(section, value)
        section.different_first_page_header_footer  # noqa: B018
        stories = ("header", "first_page_header", "even_page_header")
        for story in (*stories, *(name.replace("header", "footer") for name in stories)):
            getattr(section, story).is_linked_to_previous  # noqa: B018 (reads the reference)
        for style in document.styles:
            style.name  # noqa: B018
        footer = next((style for style in document.styles if style.name == "Footer"), None)
        if hasattr(footer, "paragraph_format"):  # briefgen's footer clears its tab stops
            for stop in footer.paragraph_format.tab_stops:  # type: ignore[union-attr]
                stop.position  # noqa: B018
        document.settings.odd_and_even_pages_header_footer  # noqa: B018
    except Exception as exc:  # python-docx raises assorted errors on odd values
        raise ReferenceRefused(f"is damaged ({type(exc).__name__}: {exc}); {REPAIR}") from None


# -- what check and the render guard ask of a reference document -------------------------------


def leaks_in(prepared: Prepared, campaign: Campaign, edition: str) -> list[tuple[str, Mention]]:
    """(where, mention) for each case that a document of ``edition`` may not name and that
    the kept parts of the reference document name (its header, say), by any part of its name."""
    guard = leaks.guard(campaign, edition)
    found: list[tuple[str, Mention]] = []
    seen: set[int] = set()
    for where, text in prepared.texts:
        for mention in guard.document_leaks([html.escape(text)]):
            if mention.person.index not in seen:
                seen.add(mention.person.index)
                found.append((where, mention))
    return found


def markings_in(prepared: Prepared) -> list[str]:
    """Where the kept parts show the restricted marking (in any language): a reference that
    carries it would mark public documents restricted."""
    markings = {
        squash(i18n.translations(language).gettext(i18n.MARKING)) for language in i18n.LANGUAGES
    }
    return list(
        dict.fromkeys(
            where
            for where, text in prepared.texts
            if any(marking in squash(text) for marking in markings)
        )
    )


def problems(path: Path, name: str, campaign: Campaign) -> list[str]:
    """Why the reference document at ``path`` (written ``name`` in the campaign) cannot be
    used with ``campaign``: messages for ``campaign.reference_docx``, empty if it can."""
    try:
        prepared = prepare(path)
    except ReferenceRefused as exc:
        return [f"'{name}' {exc.reason}"]
    found = [
        f"'{name}' {leaks.describe(mention)} in every document (its {where}); remove that "
        "name from the reference document"
        for where, mention in leaks_in(prepared, campaign, "public")
    ]
    found += [
        f"'{name}' carries the restricted marking (its {where}); briefgen marks restricted "
        "documents itself, so remove it from the reference document, or every public "
        "document would be marked restricted"
        for where in markings_in(prepared)
    ]
    return found


__all__ = [
    "MAX_BYTES",
    "Prepared",
    "ReferenceRefused",
    "leaks_in",
    "markings_in",
    "prepare",
    "problems",
]
