"""The typed campaign model: the contract of the campaign YAML format.

Field names here are the YAML keys users write. Every scalar arrives as the text the user
wrote (see :mod:`briefgen.loader`); validators below decide what that text means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)

LANGUAGES = ("en", "fr", "az")
"""Languages the default templates are written for."""

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


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
# The part of an address before the @ as mail headers can carry it (a dot-atom).
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


# Names Windows reserves for devices: a file "letters/con.pdf" cannot be created there.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
MAX_ID = 64


def _slug(value: str) -> str:
    if len(value) > MAX_ID:
        raise ValueError(
            f"id is {len(value)} characters long; ids name files and may have at most {MAX_ID}"
        )
    if value in _RESERVED:
        raise ValueError(f"'{value}' cannot be an id: it is a reserved device name on Windows")
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lowercase letters, digits and "
            "single hyphens, e.g. 'release-detained'"
        )
    return value


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if not _DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2020-03-02")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date") from None


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError(f"'{value}' is not an e-mail address")
    local, _, domain = value.rpartition("@")
    try:
        domain.encode("idna")  # how a mail header writes a domain in other letters
    except UnicodeError:
        domain = ""
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(
            f"'{value}' is not an e-mail address: the part after the @ is not a domain name"
        )
    if not local.isascii():
        raise ValueError(
            f"'{value}': an e-mail address with letters outside A-Z before the @ cannot be "
            "written into an e-mail draft; ask for the person's plain address"
        )
    if not _LOCAL_PART.fullmatch(local):
        raise ValueError(
            f"'{value}' is not an e-mail address: '{local}' before the @ has characters an "
            "address cannot have (spaces, quotes, commas, brackets...)"
        )
    return value


def _url(value: str) -> str:
    if _URL.fullmatch(value):
        return value
    space = re.search(r"\s+", value)
    if space and _URL.fullmatch(value[: space.start()]):
        rest = value[space.end() :]
        raise ValueError(
            f"'{value}' is not a web address: it has a space before '{rest}'. Write the "
            "address alone (a note such as a language belongs in the title, or after a '#' "
            "as a YAML comment); a space that is part of the address is written %20"
        )
    raise ValueError(f"'{value}' is not a web address; it must start with https:// or http://")


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _language_tag(value: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a language code: write one such as 'en', 'fr', 'az', 'ru' or 'en-US'"
        )
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


@dataclass(frozen=True)
class LocalText:
    """A text field that may be written once or once per language.

    ``plain`` is a text written once; ``values`` maps languages to their text. ``prose`` marks
    prose (titles, summaries, demands...): written once, it is taken to be in the campaign's
    language, so another language's document shows it as untranslated. Other fields (names,
    addresses) written once are the same in every language.
    """

    plain: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    prose: bool = False

    def resolve(self, language: str, fallback: str) -> tuple[str, str | None]:
        """The text for ``language``, and the language it is really in if not that one.

        ``fallback`` is the campaign's language: the one a plain prose text is written in,
        and the first choice when a translation is missing.
        """
        if self.plain is not None:
            if self.prose and language != fallback:
                return self.plain, fallback
            return self.plain, None
        if language in self.values:
            return self.values[language], None
        source = fallback if fallback in self.values else next(iter(self.values))
        return self.values[source], source

    def missing(self, languages: list[str], fallback: str) -> list[str]:
        """Which of ``languages`` this text has no translation for."""
        return [lang for lang in languages if self.resolve(lang, fallback)[1] is not None]

    def texts(self) -> list[str]:
        """Every text written for this field, in any language."""
        return [self.plain] if self.plain is not None else list(self.values.values())

    def __str__(self) -> str:
        return self.plain if self.plain is not None else next(iter(self.values.values()))


def _local(value: Any, prose: bool) -> LocalText:
    if isinstance(value, LocalText):
        return value
    if isinstance(value, str):
        return LocalText(plain=_nonblank(value), prose=prose)
    if isinstance(value, dict) and value:
        values = {}
        for language, text in value.items():
            if language not in LANGUAGES:
                raise ValueError(
                    f"unknown language '{language}' in translations (expected one "
                    f"of: {', '.join(LANGUAGES)})"
                )
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"the '{language}' text must be a non-empty text value")
            values[language] = text.strip()
        return LocalText(values=values, prose=prose)
    got = (
        "a list" if isinstance(value, list) else "nothing" if value is None else "an empty mapping"
    )
    raise ValueError(
        f"expected a text value or a mapping of language to text (en: ..., fr: ...), got {got}"
    )


_TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "description": "The text in each language, e.g. {en: ..., fr: ...}.",
            "propertyNames": {"enum": list(LANGUAGES)},
            "additionalProperties": {"type": "string", "minLength": 1},
            "minProperties": 1,
        },
    ]
}
Text = Annotated[
    LocalText, BeforeValidator(lambda v: _local(v, prose=False)), WithJsonSchema(_TEXT_SCHEMA)
]
"""A name, address line or other text that is the same in every language unless translated."""
Prose = Annotated[
    LocalText, BeforeValidator(lambda v: _local(v, prose=True)), WithJsonSchema(_TEXT_SCHEMA)
]
"""Prose (plain text or Markdown) in the campaign's language unless translated."""
Markdown = Prose
Plain = Annotated[
    str, AfterValidator(_nonblank), WithJsonSchema({"type": "string", "minLength": 1})
]
"""A text value that is never translated (a path, an honorific, an override line)."""
Id = Annotated[
    str,
    AfterValidator(_slug),
    WithJsonSchema({"type": "string", "pattern": "^" + _SLUG.pattern + "$", "maxLength": MAX_ID}),
]
Date = Annotated[
    dt.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})
]
Email = Annotated[
    str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})
]
Url = Annotated[
    str, AfterValidator(_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})
]
Language = Literal["en", "fr", "az"]
LanguageTag = Annotated[
    str,
    AfterValidator(_language_tag),
    WithJsonSchema({"type": "string", "pattern": "^" + _LANGUAGE_TAG.pattern + "$"}),
]
"""Any language (a BCP 47 tag), not only one briefgen writes documents in."""


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=False, arbitrary_types_allowed=True
    )


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
    pdf_variant: Literal["pdf/ua-1", "pdf/a-3b", "pdf/a-3a", "pdf/a-3u"] = Field(
        "pdf/ua-1",
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


class Organisation(_Model):
    name: Text
    address: list[Text] = Field(min_length=1)
    website: Url | None = None
    email: Email | None = None
    logo: Plain | None = Field(None, description="Image file, relative to the campaign file.")
    logo_alt: Text | None = Field(
        None, description="Text alternative of the logo (required when there is a logo)."
    )


Visibility = Literal["public", "restricted"]


class Cover(_Model):
    """A photo under the brief's title, in every edition."""

    file: Plain = Field(
        description="Picture file (PNG, JPEG, GIF, WebP or SVG), relative to the campaign "
        "file. Its metadata (camera, author, GPS position...) never reaches a document."
    )
    alt: Prose = Field(
        description="Text alternative: what the picture shows, for screen readers (required)."
    )
    caption: Prose | None = Field(None, description="Printed under the picture, as written.")
    credit: Text | None = Field(
        None,
        description="Who made the picture, printed after the caption as written "
        "(e.g. '© 2020 Meydan TV').",
    )


class Figure(Cover):
    """A picture in a section of the brief or in a case."""

    visibility: Visibility = Field(
        "public",
        description="restricted: only in restricted documents. A figure of a restricted case "
        "is shown only where the case is (never, for a withheld case).",
    )


class Section(_Model):
    visibility: Visibility = Field(
        "public", description="restricted: only in the restricted edition of the brief."
    )
    title: Prose
    body: Markdown
    figures: list[Figure] = Field([], description="Pictures shown after the section's text.")


class Brief(_Model):
    title: Prose
    subtitle: Prose | None = None
    cover: Cover | None = Field(None, description="A photo under the title.")
    summary: Markdown
    sections: list[Section] = []


class Letter(_Model):
    """Optional wording of the letters; the default templates supply sensible text."""

    subject: Prose | None = None
    place: Text | None = Field(
        None, description="Place printed before the letter's date (default: the event's place)."
    )
    opening: Markdown | None = None
    closing: Markdown | None = None


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


class StatusEntry(_Model):
    """One change of a case's status, with its date and the source that reports it."""

    date: Date
    status: Prose
    source: Id | None = None


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
