"""Message catalogs: every template message translated into each language in use."""

from __future__ import annotations

from pathlib import Path

from .. import i18n
from ..errors import Problem
from ..model import Campaign
from ..plan import letters
from ..project import campaign_dir
from . import Found, Subject, found


def catalog_problems(campaign: Campaign, campaign_file: Path) -> list[Problem]:
    """A warning for every template message with no translation in a language in use.

    Covers briefgen's catalogs and the messages of the campaign's own template folder.
    """
    languages = sorted(
        set(campaign.brief_languages) | {letter.language for letter in letters(campaign)}
    )
    own: dict[str, list[tuple[str, int]]] = {}
    if campaign.campaign.templates:
        folder = (campaign_dir(campaign_file) / campaign.campaign.templates).resolve()
        own = i18n.template_messages(folder)
    problems = []
    for language in languages:
        catalog = i18n.catalog_path(language)
        for line, msgid in i18n.missing_messages(language, set(own)):
            if msgid in own:
                filename, at = own[msgid][0]
                folder = campaign_dir(campaign_file) / str(campaign.campaign.templates)
                problems.append(
                    Problem(
                        folder / filename,
                        f"no {language} translation for "
                        f"{msgid!r} (briefgen's catalogs do not have it)",
                        at,
                        1,
                        severity="warning",
                    )
                )
            else:
                problems.append(
                    Problem(
                        catalog,
                        f"message {msgid!r} is not translated",
                        line or None,
                        1 if line else None,
                        severity="warning",
                    )
                )
    return problems


def catalogs(subject: Subject) -> Found:
    """Warnings: template messages with no translation in a language in use."""
    return found(catalog_problems(subject.campaign, subject.loaded.path))
