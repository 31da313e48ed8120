"""The typed campaign model: the contract of the campaign YAML format.

Field names here are the YAML keys users write. Every scalar arrives as the text the user
wrote (see :mod:`briefgen.loader`); validators below decide what that text means.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

LANGUAGES = ("en", "fr", "az")
"""Languages the default templates are written for."""

ROLES = (
    "high-representative",
    "special-representative",
    "commissioner",
    "mep",
    "head-of-delegation",
    "minister",
    "other",
)
"""Recipient roles; each decides the form of address (see :mod:`briefgen.protocol`)."""

EDITIONS = ("public", "restricted")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def _slug(value: str) -> str:
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
    return value


def _url(value: str) -> str:
    if not _URL.fullmatch(value):
        raise ValueError(f"'{value}' is not a web address; it must start with https:// or http://")
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


Text = Annotated[str, AfterValidator(_nonblank)]
Markdown = Annotated[str, AfterValidator(_nonblank)]
Id = Annotated[str, AfterValidator(_slug)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Email = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, AfterValidator(_url)]
Language = Literal["en", "fr", "az"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Event(_Model):
    name: Text
    place: Text
    date: Date


class CampaignInfo(_Model):
    id: Id
    language: Language
    date: Date
    event: Event
    templates: Text | None = Field(
        None,
        description="Folder of templates overriding the defaults file by file, "
        "relative to the campaign file.",
    )
    reference_docx: Text | None = Field(
        None,
        description="Word reference document (styles, page setup, header and footer) for "
        "DOCX output, relative to the campaign file.",
    )


class Organisation(_Model):
    name: Text
    address: list[Text] = Field(min_length=1)
    website: Url | None = None
    email: Email | None = None
    logo: Text | None = Field(None, description="Image file, relative to the campaign file.")


class Section(_Model):
    title: Text
    body: Markdown


class Brief(_Model):
    title: Text
    subtitle: Text | None = None
    summary: Markdown
    sections: list[Section] = []


class Letter(_Model):
    """Optional wording of the letters; the default templates supply sensible text."""

    subject: Text | None = None
    place: Text | None = Field(
        None, description="Place printed before the letter's date (default: the event's place)."
    )
    opening: Markdown | None = None
    closing: Markdown | None = None


class Demand(_Model):
    id: Id
    title: Text
    body: Markdown
    cases: list[Id]


class Case(_Model):
    id: Id
    name: Text
    summary: Markdown
    status: Text | None = None
    visibility: Literal["public", "restricted"]
    sources: list[Id] = []


class Source(_Model):
    id: Id
    title: Text
    publisher: Text | None = None
    date: Date
    url: Url | None = None


class Recipient(_Model):
    id: Id
    name: Text
    role: Literal[ROLES]  # type: ignore[valid-type]
    title: Text | None = None
    organisation: Text | None = None
    address: list[Text] = Field(min_length=1)
    email: Email | None = None
    language: Language | None = None
    edition: Literal["public", "restricted"] = "public"
    demands: list[Id] | None = None
    note: Markdown | None = None
    honorific: Text | None = None
    salutation: Text | None = None


class Signatory(_Model):
    name: Text
    title: Text
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
    recipients: list[Recipient]
    signatories: list[Signatory] = Field(min_length=1)

    def case(self, case_id: str) -> Case:
        """Return the case with id ``case_id`` (ids are checked to exist at validation)."""
        return next(c for c in self.cases if c.id == case_id)

    def source(self, source_id: str) -> Source:
        """Return the source with id ``source_id``."""
        return next(s for s in self.sources if s.id == source_id)
