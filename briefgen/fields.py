"""Field types of the campaign model: ids, dates, addresses, and text in several languages.

Each type checks and normalises what the campaign file says (``Annotated`` pydantic types);
:class:`LocalText` holds a text in one language or several.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

LANGUAGES = ("en", "fr", "az")
"""Languages the default templates are written for."""

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
