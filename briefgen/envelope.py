"""The words of an e-mail draft: its note and its attachments' names, in the letter's language.

The e-mail writer prints them, and the render stage's leak guard reads them before anything
is written, so both see the same text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from babel.lists import format_list

from . import i18n


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


__all__ = ["attachment_titles", "note"]
