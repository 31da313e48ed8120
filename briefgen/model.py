"""The typed campaign model: the contract of the campaign YAML format.

Field names here are the YAML keys users write. Every scalar arrives as the text the user
wrote (see :mod:`briefgen.loader`); validators below decide what that text means.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
)

from .fields import (
    Date,
    Email,
    Id,
    Language,
    LanguageTag,
    LocalText,
    Markdown,
    Plain,
    Prose,
    Text,
    Url,
)
from .model_brief import Brief, Figure, Visibility, _Model
from .model_brief import Cover as Cover  # re-exported: the brief's models live there
from .model_brief import Section as Section
from .options import DEFAULT_PDF_VARIANT, PdfVariant

ROLES = (
    "high-representative",
    "special-representative",
    "commissioner",
    "president-european-council",
    "mep",
    "committee-chair",
    "working-party-chair",
    "head-of-delegation",
    "minister",
    "other",
)
"""Recipient roles; each decides the form of address (see :mod:`briefgen.protocol`)."""


class Event(_Model):
    name: Prose
    place: Text
    date: Date


class LeakAllow(_Model):
    """Words that look like part of a confidential case's name but do not name the person."""

    text: Plain = Field(
        description="The words as written in the text, e.g. 'Baku State University' or "
        "'Mr Qodirov' (another person); they are allowed wherever they stand."
    )
    case: Id = Field(description="The restricted or withheld case whose name they resemble.")
    reason: Plain = Field(description="Why these words do not name that person (required).")


class CampaignInfo(_Model):
    id: Id
    language: Language
    languages: list[Language] | None = Field(
        None, description="Languages of the brief (default: the campaign's language)."
    )
    date: Date
    event: Event
    pdf_variant: PdfVariant = Field(
        DEFAULT_PDF_VARIANT,
        description="pdf/ua-1 (tagged, accessible; default) or pdf/a-3b, pdf/a-3a (tagged), "
        "pdf/a-3u for archival copies that embed the campaign file.",
    )
    freshness_days: int = Field(
        30,
        ge=1,
        description="check warns when a case's status was last verified more than "
        "this many days before the event.",
    )
    templates: Plain | None = Field(
        None,
        description="Folder of templates overriding the defaults file by file, "
        "relative to the campaign file.",
    )
    reference_docx: Plain | None = Field(
        None,
        description="Word reference document (styles, page setup, header and footer) for "
        "DOCX output, relative to the campaign file.",
    )
    leak_allow: list[LeakAllow] = Field(
        [],
        description="Declared false positives of the leak guard: text that looks like part "
        "of a confidential case's name but is not about the person.",
    )
    previous: Plain | None = Field(
        None,
        description="The campaign file of the last round of this dialogue, relative to this "
        "file (e.g. eu-azerbaijan-2020.yaml): the brief then says what changed since, with a "
        "scorecard of the last round's demands. Cases and demands keep their ids across rounds.",
    )


class Organisation(_Model):
    name: Text
    address: list[Text] = Field(min_length=1)
    website: Url | None = None
    email: Email | None = None
    logo: Plain | None = Field(None, description="Image file, relative to the campaign file.")
    logo_alt: Text | None = Field(
        None, description="Text alternative of the logo (required when there is a logo)."
    )


class Letter(_Model):
    """Optional wording of the letters; the default templates supply sensible text."""

    subject: Prose | None = None
    place: Text | None = Field(
        None, description="Place printed before the letter's date (default: the event's place)."
    )
    opening: Markdown | None = None
    closing: Markdown | None = None


ASSESSMENTS = ("met", "partly-met", "not-met", "worse")
"""How a demand of the last round fared since (see :class:`Assessment`)."""


class Assessment(_Model):
    """How a demand of the last round fared since then, with its evidence."""

    status: Literal[ASSESSMENTS] = Field(  # type: ignore[valid-type]
        description="met, partly-met, not-met or worse."
    )
    note: Markdown | None = Field(None, description="What happened (citations as elsewhere).")
    sources: list[Id] = Field([], description="The sources that show it (source ids).")


class Demand(_Model):
    id: Id
    title: Prose
    body: Markdown
    cases: list[Id]
    tags: list[Id] = Field([], description="Topics, to pick demands for a recipient by tag.")
    visibility: Visibility = Field(
        "public", description="restricted: only in restricted documents."
    )
    restricted_note: Markdown | None = Field(
        None, description="A paragraph added to this demand in restricted documents only."
    )
    assessment: Assessment | None = Field(
        None,
        description="How this demand, made at the last round too (same id), fared since then.",
    )


class DroppedDemand(_Model):
    """A demand of the last round that this round no longer makes, and how it fared."""

    id: Id = Field(description="Its id in the last round's campaign file.")
    assessment: Assessment = Field(description="How it fared since the last round.")
    visibility: Visibility | None = Field(
        None, description="Default: its visibility in the last round."
    )


class StatusEntry(_Model):
    """One change of a case's status, with its date and the source that reports it."""

    date: Date
    status: Prose
    source: Id | None = None
    resolved: bool = Field(
        False,
        description="true when this status ends the case (released, acquitted, travel ban "
        "lifted): the brief of the next round lists the case as resolved.",
    )


class Case(_Model):
    id: Id
    name: Text
    summary: Markdown
    status: Prose | None = None
    visibility: Literal["public", "restricted", "withheld"] = Field(
        description="public: in every document; restricted: only in restricted editions; "
        "withheld: never printed, only counted. Required: there is no default."
    )
    aliases: list[Text] = Field(
        [],
        description="Other spellings of the name, kept out of documents that may not name "
        "the case (the name itself always is).",
    )
    sources: list[Id] = []
    last_verified: Date | None = Field(
        None, description="When the case's current status was last checked."
    )
    history: list[StatusEntry] = Field(
        [], description="Status changes (detained, sentenced, released...), each sourced."
    )
    figures: list[Figure] = Field(
        [],
        description="Pictures shown with the case in the brief's annex, where the case is "
        "shown (restricted case: restricted documents only; withheld: never).",
    )

    def source_ids(self) -> set[str]:
        """The sources this case rests on: its own, and those of its status history."""
        return set(self.sources) | {e.source for e in self.history if e.source}

    def current_status(self) -> tuple[LocalText | None, dt.date | None]:
        """The status to print and the date it holds as of (``None`` when unknown)."""
        entries = sorted(self.history, key=lambda e: e.date)
        status = entries[-1].status if entries else self.status
        as_of = self.last_verified or (entries[-1].date if entries else None)
        return status, as_of


SOURCE_KINDS = ("report", "news", "judgment", "law", "document", "other")
"""Kinds of source; each has its citation form (see :mod:`briefgen.citations`)."""


class Source(_Model):
    id: Id
    kind: Literal[SOURCE_KINDS] = Field(  # type: ignore[valid-type]
        "report",
        description="report, news, judgment, law, document (UN, Council of Europe...) or other.",
    )
    title: Text = Field(description="Title; for a judgment, the case name.")
    short_title: Text | None = Field(
        None,
        description="Title used when the source is cited again (default: the title up "
        "to its first colon).",
    )
    publisher: Text | None = Field(
        None,
        description="Publisher; the court for a judgment, the issuing body for a law or document.",
    )
    author: Text | None = None
    application: Plain | None = Field(None, description="Application number of a judgment.")
    number: Plain | None = Field(None, description="Number of a law or document symbol.")
    date: Date
    url: Url | None = None
    language: LanguageTag | None = Field(
        None,
        description="The language the title is written in, when it is not the campaign's "
        "(for example 'en' for an English report cited in a French campaign, 'az' or 'ru' "
        "for a court decision); documents in other languages tag the title with it, for "
        "screen readers, hyphenation and spell-checking. Default: the campaign's language "
        "(a title written per language is in the language it is written under).",
    )


Role = Literal[ROLES]  # type: ignore[valid-type]
Edition = Literal["public", "restricted"]


class Recipient(_Model):
    id: Id
    name: Text
    family_name: Text | None = Field(
        None,
        description="Family name after an honorific (default: worked out from the name: "
        "particles such as 'von der', capitals, 'Family, Given').",
    )
    role: Role
    title: Text | None = None
    organisation: Text | None = None
    address: list[Text] = Field(min_length=1)
    email: Email | None = None
    cc: list[Plain] = Field([], description="Copies: 'Name <address>' or a name.")
    language: Language | None = None
    edition: Edition = "public"
    demands: list[Id] | None = None
    demand_tags: list[Id] | None = None
    reason: Text | None = Field(
        None, description="Why this person: 'as Chair of the Subcommittee on Human Rights'."
    )
    note: Markdown | None = None
    restricted_note: Markdown | None = Field(
        None, description="A paragraph printed only if this recipient's letter is restricted."
    )
    honorific: Plain | None = None
    salutation: Text | None = None
    also_receives: list[Id] = Field(
        [],
        description="Letters (recipient or joint-letter ids) this same person is meant to get "
        "as well: check then does not report them as one person getting two letters.",
    )


class RecipientOverride(_Model):
    """Fields that replace an imported recipient's own (``overrides: {id: {field: value}}``)."""

    id: Id | None = None
    name: Text | None = None
    family_name: Text | None = None
    role: Role | None = None
    title: Text | None = None
    organisation: Text | None = None
    address: list[Text] | None = Field(None, min_length=1)
    email: Email | None = None
    cc: list[Plain] | None = None
    language: Language | None = None
    edition: Edition | None = None
    demands: list[Id] | None = None
    demand_tags: list[Id] | None = None
    reason: Text | None = None
    note: Markdown | None = None
    restricted_note: Markdown | None = None
    honorific: Plain | None = None
    salutation: Text | None = None
    also_receives: list[Id] | None = None


class RecipientDefaults(_Model):
    """Values given to every imported recipient (a row's own value wins)."""

    role: Role | None = None
    title: Text | None = None
    organisation: Text | None = None
    address: list[Text] | None = None
    cc: list[Plain] = []
    language: Language | None = None
    edition: Edition | None = None
    demands: list[Id] | None = None
    demand_tags: list[Id] | None = None
    reason: Text | None = None
    note: Markdown | None = None
    honorific: Plain | None = None


class ImportFilter(_Model):
    """Which imported rows to keep; an empty list keeps all."""

    country: list[Plain] = []
    political_group: list[Plain] = []


class RecipientImport(_Model):
    """``- from: meps.xml``: recipients read from a CSV file or the Parliament's MEP XML."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: Plain = Field(alias="from", description="CSV or XML file, relative to the campaign.")
    format: Literal["csv", "ep-xml"] | None = Field(
        None, description="Default: from the file name (.csv, .xml)."
    )
    defaults: RecipientDefaults = RecipientDefaults()
    filter: ImportFilter = ImportFilter()
    exclude: list[Id] = Field(
        [], description="Ids of imported recipients to leave out (they get no letter)."
    )
    overrides: dict[Id, RecipientOverride] = Field(
        {},
        description="Corrections of imported recipients, by id: {id: {field: value}} (any "
        "recipient field; the file's value is replaced).",
    )


def _recipient_kind(value: Any) -> str:
    return "import" if isinstance(value, dict) and "from" in value else "recipient"


RecipientEntry = Annotated[
    Annotated[Recipient, Tag("recipient")] | Annotated[RecipientImport, Tag("import")],
    Discriminator(_recipient_kind),
]


class JointLetter(_Model):
    """One letter addressed to several recipients at once, with one combined salutation."""

    id: Id
    to: list[Id] = Field(min_length=2)
    language: Language | None = Field(
        None,
        description="The letter's language (default: its recipients', when they share one; "
        "required when they do not).",
    )
    edition: Edition | None = Field(
        None,
        description="public or restricted (default: its recipients', when they share one; "
        "required when some are restricted and some public).",
    )
    demands: list[Id] | None = None
    demand_tags: list[Id] | None = None
    reason: Text | None = None
    note: Markdown | None = None
    restricted_note: Markdown | None = None


class Signatory(_Model):
    name: Text
    title: Prose
    organisation: Text


class Campaign(_Model):
    """A whole campaign file, validated."""

    campaign: CampaignInfo
    organisation: Organisation
    brief: Brief
    letter: Letter = Letter()
    demands: list[Demand] = Field(min_length=1)
    cases: list[Case]
    sources: list[Source]
    recipients: list[RecipientEntry]
    joint_letters: list[JointLetter] = []
    co_signers: list[Text] = Field(
        [], description="Co-signing organisations of a joint letter from several NGOs."
    )
    signatories: list[Signatory] = Field(min_length=1)
    dropped_demands: list[DroppedDemand] = Field(
        [],
        description="Demands of the last round (campaign.previous) this round no longer "
        "makes, each with how it fared, for the scorecard.",
    )
    _rounds: tuple[Any, ...] = PrivateAttr(default=())
    """The earlier rounds of the dialogue, oldest first (see :mod:`briefgen.rounds`)."""

    @property
    def people(self) -> list[Recipient]:
        """Every recipient, imports included (they are expanded at validation)."""
        return [r for r in self.recipients if isinstance(r, Recipient)]

    @property
    def brief_languages(self) -> list[str]:
        """The languages the brief is written in (``campaign.languages``, else the default)."""
        return list(self.campaign.languages or [self.campaign.language])

    def recipient_language(self, recipient: Recipient) -> str:
        """The language of the letter to ``recipient``."""
        return recipient.language or self.campaign.language

    def case(self, case_id: str) -> Case:
        """Return the case with id ``case_id`` (ids are checked to exist at validation)."""
        return next(c for c in self.cases if c.id == case_id)

    def source(self, source_id: str) -> Source:
        """Return the source with id ``source_id``."""
        return next(s for s in self.sources if s.id == source_id)


def visible(visibility: str, edition: str) -> bool:
    """Whether material of ``visibility`` may appear in a document of ``edition`` (what the
    context filter keeps; everything else is a secret the leak guard looks for)."""
    if visibility == "public":
        return True
    return visibility == "restricted" and edition == "restricted"


def iter_texts(model: BaseModel) -> list[tuple[tuple[str | int, ...], LocalText]]:
    """(path, text) of every translatable text field of ``model``, nested models included."""
    return _texts(model, ())


def _texts(
    model: BaseModel, path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], LocalText]]:
    found: list[tuple[tuple[str | int, ...], LocalText]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, LocalText):
                found.append((where, item))
            elif isinstance(item, BaseModel):
                found.extend(_texts(item, where))
    return found
