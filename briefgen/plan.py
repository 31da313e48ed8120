"""Plan stage: which documents a campaign produces, in which edition, language and formats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from .model import Campaign, LocalText, Recipient
from .options import FORMATS

LETTER_ONLY_FORMATS = ("eml",)
"""Formats that exist for letters only (the brief is not e-mailed on its own)."""

KINDS = ("brief", "letters")


@dataclass(frozen=True)
class Letter:
    """One letter: to one recipient, or a joint letter to several at once.

    ``demands`` are the demand ids it asks for, in campaign order.
    """

    id: str
    to: tuple[Recipient, ...]
    demands: tuple[str, ...]
    reason: LocalText | None
    note: LocalText | None
    restricted_note: LocalText | None
    edition: str
    language: str

    @property
    def joint(self) -> bool:
        """Whether the letter is addressed to several recipients."""
        return len(self.to) > 1


DocumentKey = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class DocumentPlan:
    """One document to render: a brief edition, or a letter."""

    kind: str  # "brief" or "letter"
    edition: str  # "public" or "restricted"
    language: str
    letter: Letter | None = None

    @property
    def name(self) -> str:
        """A short human name used in progress and error messages."""
        if self.letter is not None:
            return f"{'joint letter' if self.letter.joint else 'letter to'} {self.letter.id}"
        return f"{self.edition} brief ({self.language})"

    @property
    def key(self) -> DocumentKey:
        """What identifies this document among a campaign's (kind, edition, language, letter)."""
        return (self.kind, self.edition, self.language, self.letter.id if self.letter else None)

    def formats(self, wanted: tuple[str, ...]) -> tuple[str, ...]:
        """Which of the ``wanted`` formats this document is written in, in the order of
        :data:`FORMATS` (an e-mail draft comes last, so it attaches the files made before)."""
        return tuple(
            f
            for f in FORMATS
            if f in wanted and (self.letter is not None or f not in LETTER_ONLY_FORMATS)
        )

    def path(self, fmt: str) -> PurePosixPath:
        """Path of this document's ``fmt`` file, relative to the campaign's output folder."""
        if self.letter is not None:
            return PurePosixPath("letters", f"{self.letter.id}.{fmt}")
        return PurePosixPath(f"brief.{self.edition}.{self.language}.{fmt}")


def chosen_demands(
    campaign: Campaign, ids: list[str] | None, tags: list[str] | None
) -> tuple[str, ...]:
    """Demand ids picked by ``ids`` and ``tags`` (both ``None``: every demand), in order."""
    if ids is None and tags is None:
        return tuple(d.id for d in campaign.demands)
    wanted_ids, wanted_tags = set(ids or ()), set(tags or ())
    return tuple(d.id for d in campaign.demands if d.id in wanted_ids or wanted_tags & set(d.tags))


def letters(campaign: Campaign) -> list[Letter]:
    """Every letter of the campaign: joint letters, then one per remaining recipient."""
    by_id = {r.id: r for r in campaign.people}
    in_joint = set()
    found = []
    for joint in campaign.joint_letters:
        to = tuple(by_id[i] for i in joint.to)
        in_joint.update(joint.to)
        # Without its own edition and language, a joint letter takes its recipients' (check
        # refuses recipients who differ: the letter must then say which).
        edition = joint.edition or (
            "restricted" if all(r.edition == "restricted" for r in to) else "public"
        )
        found.append(
            Letter(
                joint.id,
                to,
                chosen_demands(campaign, joint.demands, joint.demand_tags),
                joint.reason,
                joint.note,
                joint.restricted_note,
                edition,
                joint.language or campaign.recipient_language(to[0]),
            )
        )
    for r in campaign.people:
        if r.id in in_joint:
            continue
        found.append(
            Letter(
                r.id,
                (r,),
                chosen_demands(campaign, r.demands, r.demand_tags),
                r.reason,
                r.note,
                r.restricted_note,
                r.edition,
                campaign.recipient_language(r),
            )
        )
    return found


def enclosure(campaign: Campaign, letter: Letter) -> DocumentPlan:
    """The brief ``letter`` encloses (its e-mail draft attaches it): the brief of the letter's
    edition, in the letter's language if the brief is written in it, else in the campaign's
    language (or the brief's first). A public letter never encloses the restricted brief."""
    languages = campaign.brief_languages
    language = next(
        lang
        for lang in (letter.language, campaign.campaign.language, *languages)
        if lang in languages
    )
    return DocumentPlan("brief", letter.edition, language)


def plan(
    campaign: Campaign,
    *,
    only: str | None = None,
    recipients: list[str] | None = None,
) -> list[DocumentPlan]:
    """List the documents to render for ``campaign``.

    ``only`` is ``"brief"``, ``"letters"`` or ``None`` for both. ``recipients`` restricts the
    letters to these recipient or joint-letter ids (and, when given, skips the brief);
    ``None`` means all.
    """
    docs: list[DocumentPlan] = []
    if only in (None, "brief") and not recipients:
        for language in campaign.brief_languages:
            for edition in ("public", "restricted"):
                docs.append(DocumentPlan("brief", edition, language))
    if only in (None, "letters"):
        for letter in letters(campaign):
            if recipients and not ({letter.id, *(r.id for r in letter.to)} & set(recipients)):
                continue
            docs.append(DocumentPlan("letter", letter.edition, letter.language, letter))
    return docs


def document_files(
    documents: Iterable[DocumentPlan], formats: tuple[str, ...] = FORMATS
) -> Iterator[tuple[DocumentPlan, str, str]]:
    """Every file of every document in ``formats`` it has: (document, format, path relative
    to the campaign's output folder)."""
    for doc in documents:
        for fmt in doc.formats(formats):
            yield doc, fmt, doc.path(fmt).as_posix()
