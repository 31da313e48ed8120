"""What ``briefgen rounds`` prints: the chain of rounds and what changed since the last one."""

from __future__ import annotations

from pathlib import Path

from .leaks import guard
from .model import Campaign, Case, LocalText
from .rounds import Round, chain, changes


def report(file: Path, campaign: Campaign) -> list[str]:
    """Lines describing the rounds of ``campaign`` (the file ``file``): the chain, oldest
    first, and what changed since the round before the latest. Cases are named by id when
    public today, else by their place in the file ("restricted case cases[5]"); statuses are
    shown only for public cases, and not when they would name a case that is not public."""
    rounds = [*chain(campaign), Round(file, campaign)]
    lines = [f"{file}: {len(rounds)} round{'s' if len(rounds) != 1 else ''}"]
    public = guard(campaign, "public")
    for number, round_ in enumerate(rounds, 1):
        info = round_.campaign.campaign
        name, place = (
            t.resolve(info.language, info.language)[0] for t in (info.event.name, info.event.place)
        )
        # An earlier round's event, id and file name were written before today's visibility:
        # they may name a case that is not public now.
        described = f"{info.id}  {name}, {place}  ({round_.file})"
        if any(not (m.excused or m.warning) for m in public.scan(described)):
            described = "(not shown: its event, id or file name names a case that is not public)"
        lines.append(f"  {number}. {info.event.date}  {described}")
    found = changes(campaign)
    if found is None:
        lines.append("  no previous round (campaign.previous names none)")
        return lines
    before = found.previous.campaign
    language = campaign.campaign.language

    def shown(text: LocalText | None) -> str:
        if text is None:
            return "(none recorded)"
        value = text.resolve(language, language)[0]
        if any(not (m.excused or m.warning) for m in public.scan(value)):
            return "(not shown: it names a case that is not public)"
        return " ".join(value.split())

    def who(index: int, case: Case, where: str = "") -> str:
        if case.visibility == "public":
            return case.id
        return f"{case.visibility} case cases[{index}]{where}"

    lines.append(f"since {before.campaign.id} ({found.previous.event_date}):")
    lines.append(_listed("cases added", [who(i, c) for i, c in found.added]))
    lines.append(
        _listed("cases removed", [who(i, c, " of the last round") for i, c in found.removed])
    )
    lines.append(f"  cases whose status changed: {len(found.changed) or 'none'}")
    for change in found.changed:
        entry = change.new.entry
        when = f", {entry.date}" if entry is not None else ""
        detail = f"{who(change.index, change.case)}{when}{', resolved' if change.resolved else ''}"
        if change.case.visibility == "public":
            old = shown(change.old.text if change.old else None)
            detail += f": {old} -> {shown(change.new.text)}"
        lines.append(f"    {detail}")
    was = {c.id: c.visibility for c in before.cases}
    hidden = [
        who(i, c)
        for i, c in enumerate(campaign.cases)
        if was.get(c.id) == "public" and c.visibility != "public"
    ]
    lines.append(_listed("cases no longer public", hidden))
    lines.append(_listed("demands added", [d.id for d in found.demands_added]))
    lines.append(_listed("demands dropped", [d.id for d in found.demands_dropped]))
    lines.append(_listed("demands reworded", [d.id for d in found.demands_reworded]))
    assessed = [f"{d.id} {d.assessment.status}" for d in campaign.demands if d.assessment]
    assessed += [f"{d.id} {d.assessment.status} (dropped)" for d in campaign.dropped_demands]
    lines.append(_listed("demands assessed", assessed))
    done = {d.id for d in campaign.demands if d.assessment} | {
        d.id for d in campaign.dropped_demands
    }
    lines.append(
        _listed("demands not assessed", [d.id for d in before.demands if d.id not in done])
    )
    return lines


def _listed(label: str, items: list[str]) -> str:
    return f"  {label}: {', '.join(items) if items else 'none'}"
