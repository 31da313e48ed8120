"""Plan stage: which documents a campaign produces, in which edition, language and formats."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from .model import Campaign, Recipient

FORMATS = ("pdf", "docx", "html")
"""Output formats, in the order they are written."""

KINDS = ("brief", "letters")


@dataclass(frozen=True)
class DocumentPlan:
    """One document to render: a brief edition, or the letter to one recipient."""

    kind: str  # "brief" or "letter"
    edition: str  # "public" or "restricted"
    language: str
    recipient: Recipient | None

    @property
    def name(self) -> str:
        """A short human name used in progress and error messages."""
        if self.recipient is not None:
            return f"letter to {self.recipient.id}"
        return f"{self.edition} brief ({self.language})"

    def path(self, fmt: str) -> PurePosixPath:
        """Path of this document's ``fmt`` file, relative to the campaign's output folder."""
        if self.recipient is not None:
            return PurePosixPath("letters", f"{self.recipient.id}.{fmt}")
        return PurePosixPath(f"brief.{self.edition}.{self.language}.{fmt}")


def plan(
    campaign: Campaign,
    *,
    only: str | None = None,
    recipients: list[str] | None = None,
) -> list[DocumentPlan]:
    """List the documents to render for ``campaign``.

    ``only`` is ``"brief"``, ``"letters"`` or ``None`` for both. ``recipients`` restricts the
    letters to these recipient ids (and, when given, skips the brief); ``None`` means all.
    """
    docs: list[DocumentPlan] = []
    if only in (None, "brief") and not recipients:
        for language in campaign.brief_languages:
            for edition in ("public", "restricted"):
                docs.append(DocumentPlan("brief", edition, language, None))
    if only in (None, "letters"):
        for recipient in campaign.recipients:
            if recipients and recipient.id not in recipients:
                continue
            language = campaign.recipient_language(recipient)
            docs.append(DocumentPlan("letter", recipient.edition, language, recipient))
    return docs
