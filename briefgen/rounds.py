"""Dialogue rounds: a campaign names the campaign file of the last round, and rounds chain.

``campaign.previous`` names the file of the round before (2019 → 2020 → 2021). The chain is
read when a campaign is validated (:func:`load_chain`): each earlier file with the same loader,
limits and checks as any campaign, its errors reported at its own lines. The earlier rounds
are attached to the campaign (:func:`chain`), so that everything downstream — the documents'
"since the last dialogue" section, the register of cases across rounds, the leak guard, the
cache keys — sees them. Cases and demands keep their ids across rounds; a case's status at a
round is the latest entry of its history dated on or before that round's event
(:func:`status_at`). What changed from one round to the next is :func:`changes`.

Visibility is today's: a case is shown or hidden as the latest round says, whatever it was
before; a case that is no longer in the latest round is never named by it, only counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CampaignError, Problem, errors_in
from .loader import Loaded, load
from .model import Campaign, Case, Demand, LocalText, StatusEntry
from .project import campaign_dir, check_local_file

SUFFIXES = {".yaml", ".yml"}


@dataclass(frozen=True)
class Round:
    """An earlier round of a dialogue: its campaign file (as named from the round after it,
    relative to where the chain was started) and its campaign, validated."""

    file: Path
    campaign: Campaign

    @property
    def event_date(self) -> dt.date:
        """The date of this round's meeting."""
        return self.campaign.campaign.event.date


def chain(campaign: Campaign) -> tuple[Round, ...]:
    """The earlier rounds of ``campaign``, oldest first (empty: it names no previous round)."""
    return campaign._rounds


def previous(campaign: Campaign) -> Round | None:
    """The round before ``campaign``'s, if it names one."""
    rounds = chain(campaign)
    return rounds[-1] if rounds else None


def attach(campaign: Campaign, rounds: list[Round]) -> None:
    """Record ``rounds`` (oldest first) as the earlier rounds of ``campaign``."""
    campaign._rounds = tuple(rounds)


def load_chain(
    campaign: Campaign, loaded: Loaded, validate: Callable[[Loaded], Campaign]
) -> tuple[list[Round], list[Loaded], list[Problem]]:
    """Read the rounds before ``campaign`` (the file ``loaded``), following
    ``campaign.previous`` from file to file; ``validate`` checks each earlier file (raises
    :class:`CampaignError`) and returns its campaign.

    Returns the rounds (oldest first), their loaded files (in the same order) and the
    problems found: a missing or unusable file, a cycle, the errors of an earlier file (at its
    own lines, with an error at the ``previous`` that names it). Each earlier campaign is
    validated on its own (its imports read, its references checked), without its own chain.
    """
    rounds: list[Round] = []
    files: list[Loaded] = []
    problems: list[Problem] = []
    seen = {loaded.path.resolve(): loaded.path}
    here, current = loaded, campaign
    while current.campaign.previous is not None:
        value = current.campaign.previous
        found, message, errors = _read(here, value, seen, validate)
        if found is None:
            line, column = here.where(("campaign", "previous"))
            problems.append(Problem(here.path, str(message), line, column, "campaign.previous"))
            problems += errors
            break
        earlier_loaded, earlier = found
        rounds.append(Round(earlier_loaded.path, earlier))
        files.append(earlier_loaded)
        seen[earlier_loaded.path.resolve()] = earlier_loaded.path
        here, current = earlier_loaded, earlier
    rounds.reverse()
    files.reverse()
    return rounds, files, problems


def _read(
    here: Loaded, value: str, seen: dict[Path, Path], validate: Callable[[Loaded], Campaign]
) -> tuple[tuple[Loaded, Campaign] | None, str | None, list[Problem]]:
    """The round ``here`` names as its previous one (``value``), loaded and validated; or
    why it cannot be read, and the errors of its file."""
    base = campaign_dir(here.path)
    trouble = check_local_file(base, value, SUFFIXES, "a campaign file")
    if trouble:
        return None, trouble, []
    target = (base / value).resolve()
    if target == here.path.resolve():
        return None, f"'{value}' is this file: a round cannot be its own previous round", []
    if target in seen:
        names = " → ".join(p.name for p in seen.values())
        return (
            None,
            f"'{value}' is a later round of this chain ({names} → {target.name}): rounds "
            "cannot form a cycle; name the file of the round before this one",
            [],
        )
    try:
        earlier_loaded = load(here.path.parent / value)
        earlier = validate(earlier_loaded)
    except CampaignError as exc:
        errors = errors_in(exc.problems)
        count = f"{len(errors)} error" + ("s" if len(errors) != 1 else "")
        message = (
            f"the previous round '{value}' has {count}, listed with its file name; fix them first"
        )
        return None, message, errors
    return (earlier_loaded, earlier), None, []


# --- Status at a round ---------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """A case's status at a round: the text, and the history entry it comes from (``None``
    when it is the case's ``status`` field, undated)."""

    text: LocalText
    entry: StatusEntry | None = None

    @property
    def resolved(self) -> bool:
        """Whether this status ends the case (its history entry says ``resolved: true``)."""
        return self.entry is not None and self.entry.resolved

    def key(self, language: str) -> str:
        """The status text as compared between rounds (case and spacing do not count)."""
        return " ".join(self.text.resolve(language, language)[0].split()).casefold()


def latest(case: Case, until: dt.date | None = None) -> StatusEntry | None:
    """The latest entry of ``case``'s history dated on or before ``until`` (any date when
    ``None``)."""
    entries = [e for e in case.history if until is None or e.date <= until]
    return max(entries, key=lambda e: e.date) if entries else None


def current(case: Case) -> Status | None:
    """The status a round's documents print for ``case`` (as :meth:`Case.current_status`)."""
    entry = latest(case)
    if entry is not None:
        return Status(entry.status, entry)
    return Status(case.status) if case.status is not None else None


def status_at(campaign: Campaign, case_id: str, index: int) -> Status | None:
    """The status of case ``case_id`` at round ``index`` of ``campaign``'s rounds (0: the
    oldest; ``len(chain(campaign))``: ``campaign`` itself).

    The latest history entry dated on or before that round's event, from the newest round
    that lists the case (histories span rounds); failing that, the status that round's own
    file gives it; ``None`` when neither knows one.
    """
    rounds = [*(r.campaign for r in chain(campaign)), campaign]
    if index == len(rounds) - 1:
        case = _find(campaign, case_id)
        return current(case) if case is not None else None
    event = rounds[index].campaign.event.date
    newest = next((c for c in reversed(rounds) if _find(c, case_id) is not None), None)
    if newest is not None:
        entry = latest(_find(newest, case_id), event)  # type: ignore[arg-type]
        if entry is not None:
            return Status(entry.status, entry)
    own = _find(rounds[index], case_id)
    return current(own) if own is not None else None


def _find(campaign: Campaign, case_id: str) -> Case | None:
    return next((c for c in campaign.cases if c.id == case_id), None)


# --- What changed since the last round -----------------------------------------------------


@dataclass(frozen=True)
class CaseChange:
    """A case whose status changed since the last round: where it stands in this round's
    ``cases`` (``index``), its status then and now."""

    index: int
    case: Case
    old: Status | None
    new: Status

    @property
    def resolved(self) -> bool:
        """Whether the case was resolved since (released, ban lifted...)."""
        return self.new.resolved and not (self.old is not None and self.old.resolved)


@dataclass
class Changes:
    """What changed between the last round and this one (empty lists: nothing)."""

    previous: Round
    changed: list[CaseChange] = field(default_factory=list)
    added: list[tuple[int, Case]] = field(default_factory=list)
    """Cases new in this round (index in this round's ``cases``, case)."""
    removed: list[tuple[int, Case]] = field(default_factory=list)
    """Cases of the last round no longer in this one (index in the last round's ``cases``)."""
    demands_added: list[Demand] = field(default_factory=list)
    demands_dropped: list[Demand] = field(default_factory=list)
    """Demands of the last round (as it wrote them) that this round no longer makes."""
    demands_reworded: list[Demand] = field(default_factory=list)
    """Demands of both rounds whose title or text changed (as this round writes them)."""


def changes(campaign: Campaign) -> Changes | None:
    """What changed since the round before ``campaign`` (``None``: it names none)."""
    last = previous(campaign)
    if last is None:
        return None
    language = campaign.campaign.language
    before = last.campaign
    found = Changes(last)
    old_ids = {c.id for c in before.cases}
    index_now = len(chain(campaign))
    for index, case in enumerate(campaign.cases):
        if case.id not in old_ids:
            found.added.append((index, case))
            continue
        new = status_at(campaign, case.id, index_now)
        old = status_at(campaign, case.id, index_now - 1)
        if new is None:
            continue
        if (
            old is None
            or old.key(language) != new.key(language)
            or (new.resolved and not old.resolved)
        ):
            found.changed.append(CaseChange(index, case, old, new))
    now_ids = {c.id for c in campaign.cases}
    found.removed = [(i, c) for i, c in enumerate(before.cases) if c.id not in now_ids]
    old_demands = {d.id: d for d in before.demands}
    for demand in campaign.demands:
        was = old_demands.get(demand.id)
        if was is None:
            found.demands_added.append(demand)
        elif _wording(was) != _wording(demand):
            found.demands_reworded.append(demand)
    now_demands = {d.id for d in campaign.demands}
    found.demands_dropped = [d for d in before.demands if d.id not in now_demands]
    return found


def _wording(demand: Demand) -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(" ".join(t.split()) for t in text.texts()) for text in (demand.title, demand.body)
    )


# --- Confidentiality across rounds ---------------------------------------------------------


def earlier_cases(campaign: Campaign) -> dict[str, list[Case]]:
    """For each case id of any earlier round, the case as each earlier round wrote it
    (newest first): their names and aliases are names of the same person."""
    found: dict[str, list[Case]] = {}
    for round_ in reversed(chain(campaign)):
        for case in round_.campaign.cases:
            found.setdefault(case.id, []).append(case)
    return found


def departed(campaign: Campaign) -> list[tuple[Round, int, Case]]:
    """Cases of earlier rounds that ``campaign`` no longer lists: the newest round that
    lists each, the case's index there and the case as it wrote it (its visibility there is
    the last one known)."""
    listed = {c.id for c in campaign.cases}
    found: list[tuple[Round, int, Case]] = []
    for round_ in reversed(chain(campaign)):
        for index, case in enumerate(round_.campaign.cases):
            if case.id not in listed:
                listed.add(case.id)
                found.append((round_, index, case))
    return found


def dropped_visibility(campaign: Campaign, index: int) -> str:
    """The visibility of ``campaign.dropped_demands[index]``: its own, else the one it had
    in the last round (restricted when that round cannot be read)."""
    entry = campaign.dropped_demands[index]
    if entry.visibility is not None:
        return entry.visibility
    last = previous(campaign)
    was = next((d for d in last.campaign.demands if d.id == entry.id), None) if last else None
    return was.visibility if was is not None else "restricted"


def assessment_sources(campaign: Campaign) -> list[tuple[set[str], str]]:
    """(source ids, visibility) of every assessment's evidence: the sources a brief that
    shows the assessment lists."""
    found: list[tuple[set[str], str]] = [
        (set(d.assessment.sources), str(d.visibility)) for d in campaign.demands if d.assessment
    ]
    found += [
        (set(d.assessment.sources), dropped_visibility(campaign, i))
        for i, d in enumerate(campaign.dropped_demands)
    ]
    return found
