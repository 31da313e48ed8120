"""Evidence: dates, sourced status changes, fresh status, sources cited and told apart."""

from __future__ import annotations

from .. import citations
from ..context import source_references
from ..errors import Problem, did_you_mean
from ..loader import PathKey
from . import Found, Subject, found


def dates_and_sources(subject: Subject) -> Found:
    """Errors: dates after the campaign's, status changes without a known source."""
    campaign = subject.written
    problems: list[Problem] = []

    def add(path: PathKey, message: str) -> None:
        problems.append(subject.problem(path, message))

    source_ids = {s.id for s in campaign.sources}
    today = campaign.campaign.date
    for i, source in enumerate(campaign.sources):
        if source.date > today:
            add(("sources", i, "date"), f"{source.date} is after the campaign date ({today})")
    for i, case in enumerate(campaign.cases):
        if case.last_verified and case.last_verified > today:
            add(
                ("cases", i, "last_verified"),
                f"{case.last_verified} is after the campaign date ({today})",
            )
        for j, change in enumerate(case.history):
            if change.date > today:
                add(
                    ("cases", i, "history", j, "date"),
                    f"{change.date} is after the campaign date ({today})",
                )
            if change.source is None:
                add(
                    ("cases", i, "history", j),
                    "status entry has no source; add "
                    "'source: <source id>' (a status change must be sourced)",
                )
            elif change.source not in source_ids:
                add(
                    ("cases", i, "history", j, "source"),
                    f"unknown source id '{change.source}'"
                    + did_you_mean(change.source, source_ids),
                )
    return found(problems)


def warnings(subject: Subject) -> Found:
    """Warnings about sources and case status: stale or unverified status, sources never
    cited, two sources with one URL, two sources whose short forms read alike."""
    campaign = subject.written
    problems: list[Problem] = []

    def warn(path: PathKey, message: str) -> None:
        problems.append(subject.problem(path, message, severity="warning"))

    event = campaign.campaign.event.date
    limit = campaign.campaign.freshness_days
    for i, case in enumerate(campaign.cases):
        status, _as_of = case.current_status()
        if status is None or case.visibility == "withheld":
            continue
        if case.last_verified is None:
            warn(
                ("cases", i),
                "the status has no last_verified date; record when it was last checked",
            )
        elif (event - case.last_verified).days > limit:
            warn(
                ("cases", i, "last_verified"),
                f"status last verified on {case.last_verified}, "
                f"{(event - case.last_verified).days} days before the event ({event}); "
                f"verify it again (limit: {limit} days, campaign.freshness_days)",
            )
    _shown, referenced = source_references(campaign, "restricted")
    seen_urls: dict[str, int] = {}
    for i, source in enumerate(campaign.sources):
        if source.id not in referenced:
            warn(("sources", i, "id"), f"source '{source.id}' is never cited")
        if source.url:
            if source.url in seen_urls:
                warn(("sources", i, "url"), f"same URL as sources[{seen_urls[source.url]}]")
            else:
                seen_urls[source.url] = i
    languages = [*campaign.brief_languages, *map(campaign.recipient_language, campaign.people)]
    languages = list(dict.fromkeys(languages))
    for i, j, language, form in citations.short_form_clashes(
        campaign.sources, languages, campaign.campaign.language
    ):
        warn(
            ("sources", i, "title"),
            f'cited again, this source and sources[{j}] would both read "{form}" '
            f"({language}); give one of them a short_title that tells them apart",
        )
    return found(problems)
