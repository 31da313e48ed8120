"""Build options, defined once: the CLI, the API, the preview and the watcher all use them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

from .errors import OptionError

FORMATS = ("pdf", "docx", "html", "eml")
"""Output formats, in the order they are written (an e-mail draft attaches the others)."""

DEFAULT_FORMATS = ("pdf", "docx")

ONLY = ("brief", "letters")
"""What ``only`` may choose: the brief or the letters (``None``: both)."""

PdfVariant = Literal["pdf/ua-1", "pdf/a-3b", "pdf/a-3a", "pdf/a-3u"]
PDF_VARIANTS: tuple[str, ...] = get_args(PdfVariant)
"""PDF standards a build can write; PDF/A-3 variants embed the campaign file."""

DEFAULT_PDF_VARIANT: PdfVariant = "pdf/ua-1"

DOCUMENT_TIMEOUT: float = 300
"""Seconds a document may take before it is stopped (a runaway template)."""


@dataclass(frozen=True)
class BuildOptions:
    """What a build writes and how.

    ``formats`` are names from :data:`FORMATS`; ``only`` is ``"brief"``, ``"letters"`` or
    ``None`` (both); ``recipients`` limits letters to these ids (empty: all). ``jobs`` is the
    number of worker processes (``None``: one per CPU). ``force`` renders documents whose
    outputs are up to date. ``pdf_variant`` overrides the campaigns' ``campaign.pdf_variant``
    (``None``: theirs). A document taking longer than ``timeout`` seconds (``None``: no
    limit) is stopped and fails. E-mail drafts attach the letter's PDF and the brief it
    encloses, and with ``attach_docx`` its DOCX. Raises :class:`OptionError` for a value
    that cannot be used.
    """

    formats: tuple[str, ...] = DEFAULT_FORMATS
    only: str | None = None
    recipients: tuple[str, ...] = ()
    jobs: int | None = None
    force: bool = False
    pdf_variant: str | None = None
    timeout: float | None = DOCUMENT_TIMEOUT
    attach_docx: bool = False

    def __post_init__(self) -> None:
        # Lists are accepted from callers of the API and kept as tuples (frozen, hashable).
        object.__setattr__(self, "formats", tuple(self.formats))
        object.__setattr__(self, "recipients", tuple(self.recipients or ()))
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown:
            raise OptionError(f"unknown format '{unknown[0]}' (expected: {', '.join(FORMATS)})")
        if self.only is not None and self.only not in ONLY:
            raise OptionError(f"unknown --only '{self.only}' (expected: {', '.join(ONLY)})")
        if self.recipients and self.only == "brief":
            raise OptionError("--recipient chooses letters; it cannot go with --only brief")
        if self.pdf_variant is not None and self.pdf_variant not in PDF_VARIANTS:
            raise OptionError(
                f"unknown PDF variant '{self.pdf_variant}' (expected: {', '.join(PDF_VARIANTS)})"
            )
        if self.jobs is not None and self.jobs < 1:
            raise OptionError(f"jobs must be at least 1 (got {self.jobs})")

    def but(self, **changes: Any) -> BuildOptions:
        """These options with ``changes`` (field names of :class:`BuildOptions`)."""
        return replace(self, **changes) if changes else self
