"""What an e-mail draft of a letter carries, in the letter's language: a typed envelope.

The render stage makes it from the letter's template context (:func:`of`); the e-mail
writer prints it and never reads the template context, and the render stage's leak guard
reads the same words before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list

from . import i18n, protocol
from .plan import DocumentPlan


@dataclass(frozen=True)
class Envelope:
    """The addresses, words and attachment names of a letter's e-mail draft."""

    sender: tuple[str, str | None]
    """The organisation: (name, e-mail address or ``None``)."""
    recipients: tuple[tuple[str, str | None], ...]
    """Whom the letter is to: (name, e-mail address or ``None``)."""
    copies: tuple[tuple[str, str | None], ...]
    """Whom it goes to in copy (their ``cc`` entries): (name, e-mail address or ``None``)."""
    html_lang: str
    """The language of the draft's HTML part (``lang`` attribute)."""
    salutation: str
    note: tuple[str, ...]
    """The paragraphs between salutation and closing."""
    docx_note: str
    """The paragraph added when the letter is attached as a Word file too."""
    closing: str
    signatories: tuple[str, ...]
    letter_title: str
    """The letter's attachment name, without extension."""
    brief_title: str
    """The brief's attachment name, without extension."""

    def words(self) -> list[str]:
        """Every text the draft can add to the letter (for the leak guard)."""
        return [*self.note, self.docx_note, self.letter_title, self.brief_title]


def of(context: Mapping[str, Any], doc: DocumentPlan) -> Envelope:
    """The envelope of the letter ``doc`` from its template ``context``."""
    assert doc.letter is not None
    language = doc.language
    restricted = doc.edition == "restricted"
    organisation = context["organisation"]
    copies = [protocol.contact(c) for person in doc.letter.to for c in person.cc]
    paragraphs = note(context, language, restricted=restricted, docx=True)
    letter_title, brief_title = attachment_titles(context, language, restricted=restricted)
    return Envelope(
        sender=(organisation["name"], organisation["email"]),
        recipients=tuple((r["name"], r["email"]) for r in context["recipients"]),
        copies=tuple(copies),
        html_lang=context["doc"]["html_lang"],
        salutation=context["salutation"],
        note=tuple(paragraphs[:-1]),
        docx_note=paragraphs[-1],
        closing=context["closing"],
        signatories=tuple(s["name"] for s in context["signatories"]),
        letter_title=letter_title,
        brief_title=brief_title,
    )


def note(context: Mapping[str, Any], language: str, *, restricted: bool, docx: bool) -> list[str]:
    """The paragraphs of a draft's note, between its salutation and its closing.

    ``context`` is the letter's template context; ``restricted`` adds the request not to
    forward the brief, ``docx`` the line saying the letter is also attached as a Word file.
    """
    gettext = i18n.translations(language).gettext
    event = context["event"]
    event_name = event["name"]
    if language == "en":  # "Ahead of the %(event)s": "The ... Dialogue" has its article
        event_name = re.sub(r"^the\s+", "", event_name, flags=re.IGNORECASE)
    paragraphs = [
        gettext(i18n.EMAIL_BODY)
        % {
            "event": event_name,
            "place": event["place"],
            "date": event["date"],
            "title": context["brief_title"],
        }
    ]
    if restricted:
        paragraphs.append(gettext(i18n.EMAIL_RESTRICTED))
    if docx:
        paragraphs.append(gettext(i18n.EMAIL_DOCX))
    return paragraphs


def attachment_titles(
    context: Mapping[str, Any], language: str, *, restricted: bool
) -> tuple[str, str]:
    """(the letter's, the brief's) attachment names, without extension."""
    gettext = i18n.translations(language).gettext
    organisation = context["organisation"]["name"]
    locale = i18n.BABEL_LOCALES.get(language, language)
    addressees = format_list([r["name"] for r in context["recipients"]], locale=locale)
    letter = gettext(i18n.ATTACHMENT_LETTER) % {
        "organisation": organisation,
        "recipients": addressees,
    }
    brief = gettext(i18n.ATTACHMENT_BRIEF_RESTRICTED if restricted else i18n.ATTACHMENT_BRIEF) % {
        "organisation": organisation
    }
    return letter, brief


__all__ = ["Envelope", "attachment_titles", "note", "of"]
