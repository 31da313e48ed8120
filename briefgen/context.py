"""Build the data a template sees for one document, filtered for the document's edition.

Confidentiality is enforced here, not in templates: a public document's context simply does
not contain restricted cases, nor sources cited only by them, so no template (default or
user-written) can print them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from markupsafe import Markup

from . import markdown, protocol
from .model import Campaign, Case, Demand, Source
from .plan import DocumentPlan

_BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR", "az": "az_Latn_AZ"}


def long_date(value: dt.date, language: str) -> str:
    """``value`` as a long date in ``language``: "2 March 2020", "2 mars 2020"."""
    return format_date(value, "long", locale=_BABEL_LOCALES.get(language, language))


@dataclass(frozen=True)
class SourceView:
    number: int
    title: str
    publisher: str | None
    date: str
    url: str | None


@dataclass(frozen=True)
class CaseView:
    number: int
    anchor: str
    name: str
    summary: Markup
    status: str | None
    sources: list[SourceView]


@dataclass(frozen=True)
class DemandView:
    number: int
    title: str
    body: Markup
    cases: list[CaseView]


@dataclass
class Filtered:
    """The campaign content one edition may show."""

    demands: list[DemandView]
    cases: list[CaseView]
    sources: list[SourceView]
    confidential_cases: int
    extra: dict[str, Any] = field(default_factory=dict)


def visible_cases(campaign: Campaign, edition: str) -> list[Case]:
    """The cases a document of ``edition`` may name, in campaign order."""
    if edition == "restricted":
        return list(campaign.cases)
    return [c for c in campaign.cases if c.visibility == "public"]


def _filter(
    campaign: Campaign, edition: str, language: str, demands: list[Demand] | None = None
) -> Filtered:
    cases = visible_cases(campaign, edition)
    visible_ids = {c.id for c in cases}
    hidden_ids = {c.id for c in campaign.cases} - visible_ids
    cited_by_hidden = {s for c in campaign.cases if c.id in hidden_ids for s in c.sources}
    cited_by_visible = {s for c in cases for s in c.sources}
    sources: list[Source] = [
        s for s in campaign.sources if s.id in cited_by_visible or s.id not in cited_by_hidden
    ]
    source_views = {
        s.id: SourceView(i, s.title, s.publisher, long_date(s.date, language), s.url)
        for i, s in enumerate(sources, 1)
    }
    case_views = {
        c.id: CaseView(
            i,
            f"case-{i}",
            c.name,
            markdown.render(c.summary),
            c.status,
            sorted((source_views[s] for s in c.sources), key=lambda v: v.number),
        )
        for i, c in enumerate(cases, 1)
    }
    demand_views = [
        DemandView(
            i, d.title, markdown.render(d.body), [case_views[c] for c in d.cases if c in case_views]
        )
        for i, d in enumerate(demands if demands is not None else campaign.demands, 1)
    ]
    return Filtered(
        demand_views, list(case_views.values()), list(source_views.values()), len(hidden_ids)
    )


def _common(campaign: Campaign, doc: DocumentPlan, logo_url: str | None) -> dict[str, Any]:
    org = campaign.organisation
    info = campaign.campaign
    return {
        "doc": {
            "kind": doc.kind,
            "edition": doc.edition,
            "restricted": doc.edition == "restricted",
            "language": doc.language,
            "date": long_date(info.date, doc.language),
            "iso_date": info.date.isoformat(),
        },
        "organisation": {
            "name": org.name,
            "address": org.address,
            "website": org.website,
            "email": org.email,
            "logo_url": logo_url,
        },
        "event": {
            "name": info.event.name,
            "place": info.event.place,
            "date": long_date(info.event.date, doc.language),
        },
        "signatories": campaign.signatories,
    }


def brief_context(campaign: Campaign, doc: DocumentPlan, logo_url: str | None) -> dict[str, Any]:
    """The template context of the brief in ``doc.edition`` and ``doc.language``."""
    content = _filter(campaign, doc.edition, doc.language)
    brief = campaign.brief
    context = _common(campaign, doc, logo_url)
    context.update(
        title=brief.title,
        brief={
            "title": brief.title,
            "subtitle": brief.subtitle,
            "summary": markdown.render(brief.summary),
            "sections": [
                {"title": s.title, "body": markdown.render(s.body), "anchor": f"section-{i}"}
                for i, s in enumerate(brief.sections, 1)
            ],
        },
        demands=content.demands,
        cases=content.cases,
        sources=content.sources,
        confidential_cases=content.confidential_cases if doc.edition == "public" else 0,
    )
    return context


def letter_context(campaign: Campaign, doc: DocumentPlan, logo_url: str | None) -> dict[str, Any]:
    """The template context of the letter to ``doc.recipient``."""
    recipient = doc.recipient
    assert recipient is not None
    wanted = recipient.demands
    demands = [d for d in campaign.demands if wanted is None or d.id in wanted]
    content = _filter(campaign, doc.edition, doc.language, demands)
    letter = campaign.letter
    context = _common(campaign, doc, logo_url)
    subject = (
        letter.subject
        or f"{campaign.campaign.event.name}, {context['event']['place']}, "
        f"{context['event']['date']}"
    )
    context.update(
        title=f"{subject} — {recipient.name}",
        subject=subject,
        place=letter.place or campaign.campaign.event.place,
        recipient={
            "name": recipient.name,
            "title": recipient.title,
            "organisation": recipient.organisation,
            "address": recipient.address,
            "email": recipient.email,
        },
        salutation=protocol.salutation(recipient),
        closing=protocol.closing(recipient),
        opening=markdown.render(letter.opening) if letter.opening else None,
        closing_text=markdown.render(letter.closing) if letter.closing else None,
        note=markdown.render(recipient.note) if recipient.note else None,
        brief_title=campaign.brief.title,
        demands=content.demands,
        cases=[c for c in content.cases if any(c in d.cases for d in content.demands)],
    )
    return context
