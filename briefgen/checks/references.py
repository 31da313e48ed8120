"""Ids and references of the campaign as written: each id once, each reference known."""

from __future__ import annotations

from typing import Any

from ..errors import Problem, did_you_mean
from ..loader import PathKey
from ..model import RecipientImport
from . import Found, Subject, found


def duplicate_ids(subject: Subject) -> Found:
    """Demands, cases, sources and joint letters: each id once."""
    problems: list[Problem] = []
    for key in ("demands", "cases", "sources", "joint_letters"):
        first: dict[str, int] = {}
        for i, item in enumerate(getattr(subject.written, key)):
            if item.id in first:
                line, _ = subject.loaded.where((key, first[item.id], "id"))
                problems.append(
                    subject.problem(
                        (key, i, "id"), f"duplicate id '{item.id}' (first used on line {line})"
                    )
                )
            else:
                first[item.id] = i
    return found(problems)


def references(subject: Subject) -> Found:
    """Cases, sources, demands and demand tags named by id: each one the campaign has."""
    campaign = subject.written
    problems: list[Problem] = []
    case_ids = {c.id for c in campaign.cases}
    source_ids = {s.id for s in campaign.sources}
    demand_ids = {d.id for d in campaign.demands}

    def refs(path: PathKey, ids: list[str] | None, known: set[str], what: str) -> None:
        for j, ref in enumerate(ids or []):
            if ref not in known:
                message = f"unknown {what} id '{ref}'{did_you_mean(ref, known)}"
                problems.append(subject.problem((*path, j), message))

    for i, demand in enumerate(campaign.demands):
        refs(("demands", i, "cases"), demand.cases, case_ids, "case")
    for i, case in enumerate(campaign.cases):
        refs(("cases", i, "sources"), case.sources, source_ids, "source")
    tags = {t for d in campaign.demands for t in d.tags}
    for i, joint in enumerate(campaign.joint_letters):
        refs(("joint_letters", i, "demands"), joint.demands, demand_ids, "demand")
        refs(("joint_letters", i, "demand_tags"), joint.demand_tags, tags, "demand tag")
    for i, entry in enumerate(campaign.recipients):
        if isinstance(entry, RecipientImport):
            given: list[tuple[PathKey, Any]] = [(("defaults",), entry.defaults)]
            given += [(("overrides", key), fix) for key, fix in entry.overrides.items()]
            for where, values in given:
                at = ("recipients", i, *where)
                refs((*at, "demands"), values.demands, demand_ids, "demand")
                refs((*at, "demand_tags"), values.demand_tags, tags, "demand tag")
    return found(problems)
