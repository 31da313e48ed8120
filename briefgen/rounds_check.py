"""Checks of a campaign against the round before it: each a small function returning problems.

:func:`link` reads the chain of earlier rounds (see :mod:`briefgen.rounds`), attaches it to
the campaign and runs the checks: the rounds follow each other, assessments are given to
demands of the last round and cite known sources, dropped demands were demands of the last
round; warnings for a demand of the last round left without an assessment and for a status
that changed without a dated, sourced history entry.
"""

from __future__ import annotations

from .errors import Problem, did_you_mean
from .loader import Loaded, PathKey, format_path
from .model import Campaign
from .rounds import Round, attach, load_chain, previous, status_at

NO_PREVIOUS = (
    "this campaign names no last round; add 'previous: <the last round's campaign file>' "
    "under campaign"
)


def link(written: Campaign, expanded: Campaign, loaded: Loaded) -> list[Problem]:
    """Read the rounds before the campaign in ``loaded``, attach them to ``written`` and
    ``expanded`` (the campaign as written and with its imports read), and return every
    problem (errors and warnings) of the chain and of this round against the last."""
    rounds, _files, problems = load_chain(expanded, loaded)
    attach(written, rounds)
    attach(expanded, rounds)
    problems += source_problems(expanded, loaded)
    if problems:
        return problems  # an unreadable chain: what follows would only repeat it
    problems += link_problems(expanded, loaded)
    problems += assessment_problems(expanded, loaded)
    problems += dropped_problems(expanded, loaded)
    if not problems:
        problems += unassessed_warnings(expanded, loaded)
        problems += status_warnings(expanded, loaded)
    return problems


def _problem(loaded: Loaded, path: PathKey, message: str, severity: str = "error") -> Problem:
    line, column = loaded.where(path)
    return Problem(loaded.path, message, line, column, format_path(path), severity=severity)


def _last_name(last: Round) -> str:
    return last.file.name


def source_problems(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """Assessments that list an unknown source as evidence."""
    known = {s.id for s in campaign.sources}
    problems = []
    given = [(("demands", i), d.assessment) for i, d in enumerate(campaign.demands)]
    given += [
        (("dropped_demands", i), d.assessment) for i, d in enumerate(campaign.dropped_demands)
    ]
    for where, assessment in given:
        if assessment is None:
            continue
        for j, source in enumerate(assessment.sources):
            if source not in known:
                path = (*where, "assessment", "sources", j)
                message = f"unknown source id '{source}'{did_you_mean(source, known)}"
                problems.append(_problem(loaded, path, message))
    return problems


def link_problems(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """The last round must come before this one and have an id of its own."""
    last = previous(campaign)
    if last is None:
        return []
    problems = []
    info, before = campaign.campaign, last.campaign.campaign
    if before.id == info.id:
        problems.append(
            _problem(
                loaded,
                ("campaign", "id"),
                f"'{info.id}' is also the id of the last round ('{_last_name(last)}'); each "
                "round needs an id of its own (it names the output folder)",
            )
        )
    if before.event.date >= info.event.date:
        problems.append(
            _problem(
                loaded,
                ("campaign", "previous"),
                f"the event of '{_last_name(last)}' ({before.event.date}) is not before this "
                f"round's ({info.event.date}); name the file of the round before this one",
            )
        )
    return problems


def assessment_problems(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """An assessment belongs to a demand the last round made too (the same id)."""
    last = previous(campaign)
    problems = []
    for i, demand in enumerate(campaign.demands):
        if demand.assessment is None:
            continue
        path = ("demands", i, "assessment")
        if last is None:
            problems.append(
                _problem(
                    loaded,
                    path,
                    f"an assessment says how a demand fared since the last round, "
                    f"but {NO_PREVIOUS}",
                )
            )
        elif all(d.id != demand.id for d in last.campaign.demands):
            problems.append(
                _problem(
                    loaded,
                    path,
                    f"demand '{demand.id}' is new in this round ('{_last_name(last)}' has no "
                    "demand with this id): there is nothing to assess yet; remove the "
                    "assessment, or give the demand the id it had in the last round",
                )
            )
    return problems


def dropped_problems(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """Dropped demands are demands of the last round that this round no longer makes."""
    if not campaign.dropped_demands:
        return []
    last = previous(campaign)
    if last is None:
        return [
            _problem(
                loaded,
                ("dropped_demands",),
                f"dropped demands are demands of the last round, but {NO_PREVIOUS}",
            )
        ]
    problems = []
    now = {d.id: i for i, d in enumerate(campaign.demands)}
    before = [d.id for d in last.campaign.demands]
    first: dict[str, int] = {}
    for i, entry in enumerate(campaign.dropped_demands):
        path = ("dropped_demands", i, "id")
        if entry.id in first:
            line, _ = loaded.where(("dropped_demands", first[entry.id], "id"))
            problems.append(
                _problem(loaded, path, f"duplicate id '{entry.id}' (first used on line {line})")
            )
            continue
        first[entry.id] = i
        if entry.id in now:
            problems.append(
                _problem(
                    loaded,
                    path,
                    f"'{entry.id}' is still a demand of this round (demands[{now[entry.id]}]): "
                    "give it its assessment there",
                )
            )
        elif entry.id not in before:
            candidates = [d for d in before if d not in now]
            problems.append(
                _problem(
                    loaded,
                    path,
                    f"'{entry.id}' is not a demand of the last round ('{_last_name(last)}')"
                    + did_you_mean(entry.id, candidates),
                )
            )
    return problems


def unassessed_warnings(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """Demands of the last round that the scorecard would show without an assessment."""
    last = previous(campaign)
    if last is None:
        return []
    problems = []
    before = {d.id for d in last.campaign.demands}
    for i, demand in enumerate(campaign.demands):
        if demand.id in before and demand.assessment is None:
            problems.append(
                _problem(
                    loaded,
                    ("demands", i, "id"),
                    "this demand was made at the last round too: give it an assessment "
                    "(met, partly-met, not-met or worse), or the scorecard shows it as not "
                    "assessed",
                    "warning",
                )
            )
    listed = {d.id for d in campaign.dropped_demands} | {d.id for d in campaign.demands}
    for demand in last.campaign.demands:
        if demand.id not in listed:
            problems.append(
                _problem(
                    loaded,
                    ("campaign", "previous"),
                    f"demand '{demand.id}' of the last round is not a demand of this round and "
                    "has no assessment: list it under dropped_demands with one, or the "
                    "scorecard shows it as dropped, not assessed",
                    "warning",
                )
            )
    return problems


def status_warnings(campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """A status that changed since the last round without a dated, sourced history entry
    after it: the brief could not say when it changed, nor cite it."""
    last = previous(campaign)
    if last is None:
        return []
    problems = []
    language = campaign.campaign.language
    before = {c.id for c in last.campaign.cases}
    now = len(campaign._rounds)
    for i, case in enumerate(campaign.cases):
        if case.id not in before:
            continue
        new, old = status_at(campaign, case.id, now), status_at(campaign, case.id, now - 1)
        if new is None or old is None or new.key(language) == old.key(language):
            continue
        if new.entry is None or new.entry.date <= last.event_date:
            problems.append(
                _problem(
                    loaded,
                    ("cases", i),
                    "the status changed since the last round, but not through a history "
                    f"entry dated after it ({last.event_date}): record the change in "
                    "'history' (date, status, source), so that the brief can say when it "
                    "changed and cite it",
                    "warning",
                )
            )
    return problems
