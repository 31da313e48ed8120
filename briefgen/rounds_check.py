"""Checks of a campaign against the round before it: each a small function returning problems.

:func:`link` reads the chain of earlier rounds (see :mod:`briefgen.rounds`), attaches it to
the campaign and runs the checks: the rounds follow each other, assessments are given to
demands of the last round and cite known sources, dropped demands were demands of the last
round; warnings for a demand of the last round left without an assessment and for a status
that changed without a dated, sourced history entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import leaks
from .errors import Problem, did_you_mean
from .loader import Loaded, PathKey, format_path
from .model import Campaign, LocalText, visible
from .rounds import Round, Status, attach, chain, load_chain, previous, status_at

NO_PREVIOUS = (
    "this campaign names no last round; add 'previous: <the last round's campaign file>' "
    "under campaign"
)


def link(
    written: Campaign,
    expanded: Campaign,
    loaded: Loaded,
    validate: Callable[[Loaded], Campaign],
) -> list[Problem]:
    """Read the rounds before the campaign in ``loaded`` (each checked by ``validate``),
    attach them to ``written`` and ``expanded`` (the campaign as written and with its
    imports read), and return every problem (errors and warnings) of the chain and of this
    round against the last."""
    rounds, files, problems = load_chain(expanded, loaded, validate)
    attach(written, rounds)
    attach(expanded, rounds)
    if problems:
        return problems  # an unreadable chain: what follows would only repeat it
    problems += source_problems(expanded, loaded)
    problems += link_problems(expanded, loaded)
    problems += assessment_problems(expanded, loaded)
    problems += dropped_problems(expanded, loaded)
    problems += carried_leaks(expanded, [*files, loaded])
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


def _located(
    campaign: Campaign, files: list[Loaded], case_id: str, index: int, status: Status
) -> tuple[Loaded, PathKey]:
    """The file and path of ``status``, the status of case ``case_id`` at round ``index``
    (``files``: the loaded file of each round, oldest first)."""
    campaigns = [*(r.campaign for r in chain(campaign)), campaign]
    for k in [len(campaigns) - 1, index]:  # the latest round's history, else that round's
        for i, case in enumerate(campaigns[k].cases):
            if case.id != case_id:
                continue
            for j, entry in enumerate(case.history):
                if entry is status.entry:
                    return files[k], ("cases", i, "history", j, "status")
            if status.entry is None and case.status is status.text:
                return files[k], ("cases", i, "status")
    return files[index], ()


def _carried(
    campaign: Campaign, files: list[Loaded]
) -> Iterator[tuple[str, LocalText, Loaded, PathKey, int, str]]:
    """(visibility, text, file, path, own case index or -1, what to do) of every text of an
    earlier round that this round's brief prints: the status of each case at each earlier round
    (since the last dialogue, the register) and the last round's demand titles (the
    scorecard)."""
    rounds = chain(campaign)
    for i, case in enumerate(campaign.cases):
        for k in range(len(rounds)):
            status = status_at(campaign, case.id, k)
            if status is not None:
                file, path = _located(campaign, files, case.id, k, status)
                date = rounds[k].event_date
                remedy = (
                    f"reword it, or record in '{files[-1].path.name}' a history entry for this "
                    f"case, dated on or before {date}, with the status to print"
                )
                yield case.visibility, status.text, file, path, i, remedy
    last = previous(campaign)
    if last is not None:
        now = {d.id: d.visibility for d in campaign.demands}
        dropped = {d.id: d.visibility for d in campaign.dropped_demands}
        for j, demand in enumerate(last.campaign.demands):
            level = now.get(demand.id) or dropped.get(demand.id) or demand.visibility
            yield level, demand.title, files[-2], ("demands", j, "title"), -1, "reword it"


def carried_leaks(campaign: Campaign, files: list[Loaded]) -> list[Problem]:
    """Text of an earlier round that this round's brief prints, naming a case that a brief
    printing it may not name now (a case public then, restricted now), located in the file
    it is written in."""
    problems = []
    guards = {edition: leaks.Guard(campaign, edition) for edition in ("public", "restricted")}
    name = files[-1].path.name
    for level, text, file, path, own, remedy in _carried(campaign, files):
        for edition, guard in guards.items():
            if not visible(level, edition):
                continue
            found = [
                m
                for value in text.texts()
                for m in guard.scan(value)
                if not (m.excused or m.warning) and m.person.index != own
            ]
            if found:
                who = found[0].person
                line, column = file.where(path)
                problems.append(
                    Problem(
                        file.path,
                        f"this text would name the {who.visibility} case "
                        f"{leaks.label(who)} of '{name}' in the {edition} brief of that round, "
                        "which prints it (since the last dialogue, the cases at each round); "
                        f"{remedy}",
                        line,
                        column,
                        format_path(path),
                    )
                )
                break
    return problems
