"""Build the data a template sees for one document: filtered for its edition, in its language.

Confidentiality is enforced here, not in templates: a public document's context simply does
not contain restricted cases, nor sources cited only by them, so no template (default or
user-written) can print them.

Language is resolved here too: every translatable field becomes the text of the document's
language. A field with no translation shows its original text, marked with its language, and
is listed in ``untranslated`` so the document can say so instead of mixing languages
silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from . import citations, figures, i18n, protocol, rounds
from .leaks import public_texts
from .localise import Footnotes, Localiser, long_date
from .model import Campaign, Case, Demand, LocalText, Source, visible
from .names import ascii_fold
from .plan import DocumentPlan, Letter


@dataclass(frozen=True)
class SourceView:
    number: int
    html: Markup  # the full citation


def source_references(campaign: Campaign, edition: str) -> tuple[set[str], set[str]]:
    """(ids of sources the brief of ``edition`` refers to, ids referred to anywhere).

    A source is referred to by a case's ``sources`` or status history, or by a ``[@id]``
    citation in a text. Sources referred to only by what the edition may not show (a
    restricted case in a public brief, a withheld case, a restricted note) stay out of it.
    """
    shown: set[str] = set()
    everywhere: set[str] = set()
    for path, text, level in public_texts(campaign):
        ids = citations.sources_cited(text)
        everywhere |= ids
        if path[0] in ("recipients", "joint_letters", "letter"):
            continue  # letters cite in footnotes only; the brief does not list those
        if visible(level, edition):
            shown |= ids
    for case in campaign.cases:
        ids = case.source_ids()
        everywhere |= ids
        if visible(case.visibility, edition):
            shown |= ids
    for ids, visibility in rounds.assessment_sources(campaign):  # a scorecard's evidence
        everywhere |= ids
        if visible(visibility, edition):
            shown |= ids
    return shown, everywhere


@dataclass(frozen=True)
class CaseView:
    number: int
    anchor: str
    name: str
    summary: Markup
    status: Markup | None
    sources: list[SourceView]
    as_of: str | None = None


@dataclass(frozen=True)
class DemandView:
    number: int
    title: Markup
    body: Markup
    cases: list[CaseView]
    note: Markup | None = None


@dataclass
class Filtered:
    """The campaign content one edition may show, in one language."""

    demands: list[DemandView]
    cases: list[CaseView]
    sources: list[SourceView]
    confidential_cases: int
    withheld_cases: int
    anchors: dict[str, str] = field(default_factory=dict)
    """The anchor of each case the document names, by case id."""
    source_views: dict[str, SourceView] = field(default_factory=dict)
    """The entry of each source the document lists, by source id."""


def _sort_key(source: Source, loc: Localiser) -> tuple[str, str]:
    """Alphabetical order of a bibliography: by what each entry starts with (publisher,
    author or title), then title; accents and case ignored."""

    def text(value: LocalText | None) -> str:
        return value.resolve(loc.language, loc.fallback)[0] if value else ""

    title = text(source.title)
    # What the entry starts with (see citations.format_source).
    if source.kind == "news":
        first = text(source.author) or title
    elif source.kind == "law":
        first = title
    else:
        first = text(source.publisher) or title
    return ascii_fold(first).casefold(), ascii_fold(title).casefold()


def visible_cases(campaign: Campaign, edition: str) -> list[Case]:
    """The cases a document of ``edition`` may name, in campaign order (never withheld ones)."""
    return [c for c in campaign.cases if visible(c.visibility, edition)]


def _filter(
    campaign: Campaign,
    edition: str,
    loc: Localiser,
    demands: list[Demand] | None = None,
    *,
    letter: bool = False,
) -> Filtered:
    cases = visible_cases(campaign, edition)
    demands = [
        d
        for d in (demands if demands is not None else campaign.demands)
        if visible(d.visibility, edition)
    ]
    visible_ids = {c.id for c in cases}
    hidden_ids = {c.id for c in campaign.cases} - visible_ids
    sources: list[Source] = []
    if not letter:  # letters cite in footnotes only and list no sources
        shown, referenced = source_references(campaign, edition)
        sources = [s for s in campaign.sources if s.id in shown or s.id not in referenced]
        # The list of sources is a bibliography: unnumbered (the footnotes hold the only
        # numbering), in alphabetical order of publisher (or title).
        sources.sort(key=lambda s: _sort_key(s, loc))
    gettext = i18n.translations(loc.language)
    source_views = {
        s.id: SourceView(
            i,
            citations.format_source(
                s, loc.language, loc.fallback, long_date(s.date, loc.language), gettext
            ),
        )
        for i, s in enumerate(sources, 1)
    }
    # A letter prints only the cases its demands cite: render no other (their untranslated
    # text or citations would otherwise be reported for a letter that does not show them).
    cited = {c for d in demands for c in d.cases} if letter else None
    case_views = {}
    for i, c in enumerate(cases, 1):
        if cited is not None and c.id not in cited:
            continue
        name = loc.text(c.name, f"case {i}")
        status, as_of = c.current_status()
        # A case's sources are cited like any other citation: a footnote at the end of its
        # summary (for those the summary does not cite already). Letters show no summary.
        rests_on = [s.id for s in campaign.sources if s.id in c.source_ids()]
        case_views[c.id] = CaseView(
            i,
            f"case-{i}",
            name,
            loc.markdown(c.summary, name, cite=None if letter else rests_on),
            loc.inline(status, name) if status else None,
            sorted(
                (source_views[s] for s in c.source_ids() if s in source_views),
                key=lambda v: v.number,
            ),
            long_date(as_of, loc.language) if as_of else None,
        )
    demand_views = []
    for i, d in enumerate(demands, 1):
        title = loc.inline(d.title, f"#{i}")
        demand_views.append(
            DemandView(
                i,
                title,
                loc.markdown(d.body, f"#{i}"),
                [case_views[c] for c in d.cases if c in case_views],
                loc.markdown(d.restricted_note, f"#{i}")
                if d.restricted_note and edition == "restricted"
                else None,
            )
        )
    return Filtered(
        demand_views,
        list(case_views.values()),
        list(source_views.values()),
        sum(1 for c in campaign.cases if c.visibility == "restricted" and c.id in hidden_ids),
        sum(1 for c in campaign.cases if c.visibility == "withheld"),
        {case_id: view.anchor for case_id, view in case_views.items()},
        source_views,
    )


def _common(
    campaign: Campaign, doc: DocumentPlan, loc: Localiser, logo_url: str | None
) -> dict[str, Any]:
    org = campaign.organisation
    info = campaign.campaign
    return {
        "doc": {
            "kind": doc.kind,
            "edition": doc.edition,
            "restricted": doc.edition == "restricted",
            "language": doc.language,
            "html_lang": i18n.HTML_LANG.get(doc.language, doc.language),
            "date": long_date(info.date, doc.language),
            "iso_date": info.date.isoformat(),
        },
        "organisation": {
            "name": loc.text(org.name, "organisation"),
            "address": [loc.text(line, "organisation") for line in org.address],
            "website": org.website,
            "email": org.email,
            "logo_url": logo_url,
            "logo_alt": loc.text(org.logo_alt, "organisation") if org.logo_alt else "",
        },
        "event": {
            "name": loc.text(info.event.name, "event"),
            "place": loc.text(info.event.place, "event"),
            "date": long_date(info.event.date, doc.language),
        },
        "signatories": [
            {
                "name": loc.text(s.name, "signatories"),
                "title": loc.text(s.title, "signatories"),
                "organisation": loc.text(s.organisation, "signatories"),
            }
            for s in campaign.signatories
        ],
    }


def brief_context(
    campaign: Campaign, doc: DocumentPlan, logo_url: str | None, place: figures.Place
) -> dict[str, Any]:
    """The template context of the brief in ``doc.edition`` and ``doc.language``; ``place``
    finds the pictures of its cover and figures."""
    loc = Localiser(doc.language, campaign.campaign.language)
    content = _filter(campaign, doc.edition, loc)
    pictures = figures.brief_figures(campaign, doc.edition, loc, place)
    brief = campaign.brief
    context = _common(campaign, doc, loc, logo_url)
    sections = []
    shown = [s for s in brief.sections if visible(s.visibility, doc.edition)]
    for i, s in enumerate(shown, 1):
        title = loc.text(s.title, f"section {i}")
        sections.append(
            {
                "title": title,
                "body": loc.markdown(s.body, title),
                "anchor": f"section-{i}",
                "figures": pictures.sections[i - 1],
            }
        )
    from . import rounds_view  # it builds on this module's views

    context.update(
        since=rounds_view.since(campaign, doc.edition, loc, content),
        register=rounds_view.register(campaign, loc, content),
    )
    context.update(
        title=loc.text(brief.title, "title"),
        brief={
            "title": loc.inline(brief.title, "title"),
            "subtitle": loc.inline(brief.subtitle, "title") if brief.subtitle else None,
            "summary": loc.markdown(brief.summary, "summary"),
            "sections": sections,
            "cover": pictures.cover,
        },
        case_figures=pictures.cases,
        demands=content.demands,
        cases=content.cases,
        sources=content.sources,
        confidential_cases=content.confidential_cases,
        withheld_cases=content.withheld_cases,
        untranslated=list(dict.fromkeys(loc.untranslated)),
        original_language=i18n.language_name(campaign.campaign.language, doc.language),
        language_name=i18n.language_name(doc.language, doc.language),
        footnotes=Footnotes(campaign, doc.language, loc.citations),
    )
    return context


def _salutation(letter: Letter, loc: Localiser) -> str:
    """The greeting line of ``letter``: each recipient's, combined."""
    language = letter.language

    def own(value: LocalText | None) -> str:
        return loc.text(value, "recipient", fallback=language)

    people = [
        (person, own(person.name), own(person.salutation) or None, own(person.family_name) or None)
        for person in letter.to
    ]
    return protocol.joint_salutation(people, i18n.translations(language), language)


def letter_salutation(campaign: Campaign, letter: Letter) -> str:
    """The salutation ``letter`` opens with ("Dear Ms Ó Briain,"), as the letter prints it."""
    return _salutation(letter, Localiser(letter.language, campaign.campaign.language))


def letter_context(campaign: Campaign, doc: DocumentPlan, logo_url: str | None) -> dict[str, Any]:
    """The template context of the letter ``doc.letter`` (to one recipient or several)."""
    letter = doc.letter
    assert letter is not None
    language = doc.language
    loc = Localiser(language, campaign.campaign.language)
    demands = [d for d in campaign.demands if d.id in letter.demands]
    content = _filter(campaign, doc.edition, loc, demands, letter=True)
    wording = campaign.letter
    context = _common(campaign, doc, loc, logo_url)
    event = context["event"]
    subject = (
        loc.text(wording.subject, "subject")
        if wording.subject
        else f"{event['name']}, {event['place']}, {event['date']}"
    )
    gettext = i18n.translations(language)
    addressees: list[dict[str, Any]] = []
    for person in letter.to:
        # The recipient's own fields are written in the letter's language.
        def own(value: LocalText | None) -> str:
            return loc.text(value, "recipient", fallback=language)

        name = own(person.name)
        addressees.append(
            {
                "name": name,
                "title": own(person.title),
                "organisation": own(person.organisation),
                "address": [own(line) for line in person.address],
                "email": person.email,
            }
        )
    from . import rounds_view

    shown = [d for d in demands if visible(d.visibility, doc.edition)]
    since = rounds_view.letter_since(campaign, shown, loc)
    greeting = _salutation(letter, loc)
    cc = [protocol.display_name(c) for person in letter.to for c in person.cc]
    context.update(
        title=f"{subject} — {', '.join(a['name'] for a in addressees)}",
        subject=subject,
        place=loc.text(wording.place, "letter") if wording.place else event["place"],
        recipients=addressees,
        recipient=addressees[0],
        joint=letter.joint,
        salutation=greeting,
        closing=protocol.closing(greeting, gettext),
        reason=loc.text(letter.reason, "recipient", fallback=language) if letter.reason else None,
        co_signers=[loc.text(org, "co_signers") for org in campaign.co_signers],
        cc=list(dict.fromkeys(cc)),
        opening=loc.markdown(wording.opening, "opening") if wording.opening else None,
        closing_text=loc.markdown(wording.closing, "closing") if wording.closing else None,
        note=loc.markdown(letter.note, "note", fallback=language) if letter.note else None,
        restricted_note=loc.markdown(letter.restricted_note, "note", fallback=language)
        if letter.restricted_note and doc.edition == "restricted"
        else None,
        brief_title=loc.text(campaign.brief.title, "title"),
        demands=content.demands,
        cases=content.cases,  # those its demands cite (see _filter)
        since=since,
        untranslated=list(dict.fromkeys(loc.untranslated)),
        original_language=i18n.language_name(campaign.campaign.language, language),
        language_name=i18n.language_name(language, language),
        footnotes=Footnotes(campaign, language, loc.citations),
    )
    return context
