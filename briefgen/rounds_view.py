"""What documents show of the earlier rounds of a dialogue, for one edition and language.

- :func:`since`: the brief's "Since the last dialogue" section: cases whose status changed,
  cases resolved, new cases, and a scorecard of the last round's demands.
- :func:`register`: the register of cases across rounds (each case's status at each round)
  with counts per round, as a table and as a chart.
- :func:`letter_since`: a letter's short account of how its demands fared.

Only what the edition may show is named: a case restricted today (whatever it was before) is
left out of a public document and only counted, as is a withheld case; a case the latest
round no longer lists is never named, only counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from babel.dates import format_date
from markupsafe import Markup

from . import chart, i18n, rounds
from .localise import Localiser, long_date
from .model import Assessment, Campaign, Demand, LocalText, visible

if TYPE_CHECKING:
    from .context import Filtered

LABELS = {"met": "Met", "partly-met": "Partly met", "not-met": "Not met", "worse": "Worse"}
"""How an assessment status reads in a document (translated)."""
NOT_ASSESSED = "Not assessed"
OPEN = "Open"
NEW = "New since the round before"
RESOLVED = "Resolved since the round before"
CHART_ALT = "Bar chart of the cases at each round: %(rounds)s."
CHART_FIRST = "%(date)s, %(open)s open"
CHART_ROUND = (
    "%(date)s, %(open)s open, %(new)s new and %(resolved)s resolved since the round before"
)
LEGEND = {"open": "Open", "new": "New", "resolved": "Resolved"}
MESSAGES = [
    *LABELS.values(),
    NOT_ASSESSED,
    OPEN,
    NEW,
    RESOLVED,
    CHART_ALT,
    CHART_FIRST,
    CHART_ROUND,
    *LEGEND.values(),
]
"""Messages this module looks up (added to the catalogs by tools/i18n.py)."""

COLOURS = {"open": "#1d3d5c", "new": "#a4161a", "resolved": "#3b7a3f"}


@dataclass(frozen=True)
class CaseLine:
    """A case in the "since" section: its name and anchor, its status at the last round
    (``old``, ``None`` for a new case or none recorded) and now, the date of the change and
    the footnote marker citing its source (empty when it has none)."""

    name: str
    anchor: str
    old: Markup | None
    new: Markup | None
    date: str | None
    note: Markup


@dataclass(frozen=True)
class ScoreRow:
    """A demand of the last round in the scorecard."""

    title: Markup
    key: str
    """met, partly-met, not-met, worse, or "" when not assessed."""
    status: str
    note: Markup | None
    """What happened, with its evidence cited in a footnote at its end."""
    dropped: bool
    """The demand is no longer among this round's."""


@dataclass
class Since:
    """The "Since the last dialogue" section of one brief."""

    date: str
    event: str
    changed: list[CaseLine] = field(default_factory=list)
    resolved: list[CaseLine] = field(default_factory=list)
    added: list[CaseLine] = field(default_factory=list)
    unnamed: int = 0
    """Cases changed, resolved or new since that this edition does not name."""
    removed: int = 0
    """Cases of the last round this round no longer follows."""
    scorecard: list[ScoreRow] = field(default_factory=list)
    hidden_demands: int = 0
    """Demands of the last round this edition does not show."""
    new_demands: list[Markup] = field(default_factory=list)


def _label(key: str, language: str) -> str:
    return i18n.translations(language).gettext(LABELS.get(key, NOT_ASSESSED))


def _line(loc: Localiser, content: Filtered, change: rounds.CaseChange) -> CaseLine:
    """A case of the "since" section; a status from the history has its date and a footnote
    citing its source."""
    case = change.case
    name = loc.text(case.name, f"case {change.index + 1}")
    entry = change.new.entry
    return CaseLine(
        name,
        content.anchors[case.id],
        loc.inline(change.old.text, name) if change.old else None,
        loc.inline(change.new.text, name),
        long_date(entry.date, loc.language) if entry else None,
        loc.cite(entry.source) if entry and entry.source else Markup(""),
    )


def since(campaign: Campaign, edition: str, loc: Localiser, content: Filtered) -> Since | None:
    """The "Since the last dialogue" section of the brief of ``edition`` (``None``: the
    campaign names no previous round). ``content`` is what the brief shows."""
    found = rounds.changes(campaign)
    if found is None:
        return None
    last = found.previous
    info = last.campaign.campaign
    section = Since(
        long_date(info.event.date, loc.language),
        loc.text(info.event.name, "event", fallback=info.language),
        removed=len(found.removed),
    )
    for change in found.changed:
        if change.case.id not in content.anchors:
            section.unnamed += 1
            continue
        line = _line(loc, content, change)
        (section.resolved if change.resolved else section.changed).append(line)
    for index, case in found.added:
        status = rounds.current(case)
        if case.id not in content.anchors:
            section.unnamed += 1
        elif status is not None:
            line = _line(loc, content, rounds.CaseChange(index, case, None, status))
            section.added.append(line)
        else:
            name = loc.text(case.name, f"case {index + 1}")
            anchor = content.anchors[case.id]
            section.added.append(CaseLine(name, anchor, None, None, None, Markup("")))
    _scorecard(campaign, edition, loc, content, last, section)
    section.new_demands = [
        loc.inline(d.title, d.id) for d in found.demands_added if visible(d.visibility, edition)
    ]
    return section


def _scorecard(
    campaign: Campaign,
    edition: str,
    loc: Localiser,
    content: Filtered,
    last: rounds.Round,
    section: Since,
) -> None:
    now = {d.id: d for d in campaign.demands}
    dropped = {d.id: i for i, d in enumerate(campaign.dropped_demands)}
    for old in last.campaign.demands:
        demand: Demand = now.get(old.id, old)
        assessment: Assessment | None = demand.assessment if old.id in now else None
        visibility: str = demand.visibility
        if old.id in dropped:
            assessment = campaign.dropped_demands[dropped[old.id]].assessment
            visibility = rounds.dropped_visibility(campaign, dropped[old.id])
        if not visible(visibility, edition):
            section.hidden_demands += 1
            continue
        key = assessment.status if assessment else ""
        section.scorecard.append(
            ScoreRow(
                loc.inline(old.title, old.id),  # what was asked then
                key,
                _label(key, loc.language),
                _note(assessment, old.id, loc, content),
                old.id not in now,
            )
        )


def _note(
    assessment: Assessment | None, label: str, loc: Localiser, content: Filtered
) -> Markup | None:
    """What happened, as the scorecard shows it: the note, its evidence (the sources the
    assessment rests on that the brief lists) cited in a footnote at its end, as a case's
    sources are."""
    if assessment is None:
        return None
    evidence = [s for s in assessment.sources if s in content.source_views]
    if assessment.note is None and not evidence:
        return None
    return loc.markdown(assessment.note or LocalText(plain=""), label, cite=evidence)


@dataclass(frozen=True)
class Cell:
    """A case's status at one round (``None``: none known then), and whether the case was
    new in that round."""

    status: Markup | None
    new: bool


@dataclass(frozen=True)
class RegisterRow:
    name: str
    anchor: str
    cells: list[Cell]


@dataclass(frozen=True)
class Count:
    """The cases of one round: open (not resolved), new and resolved since the round before
    (``None`` for the first round)."""

    date: str
    open: int
    new: int | None
    resolved: int | None


@dataclass
class Register:
    """The register of cases across rounds of one brief."""

    rounds: list[str]
    rows: list[RegisterRow]
    counts: list[Count]
    unnamed: int
    """Cases counted in the figures that this edition does not name."""
    chart: str
    """The chart of the counts, as a ``data:`` URL of an SVG picture."""
    alt: str
    """The chart's text alternative (the same figures in words)."""


def register(campaign: Campaign, loc: Localiser, content: Filtered) -> Register | None:
    """The register of the brief that shows ``content`` (``None``: no earlier round)."""
    campaigns = [*(r.campaign for r in rounds.chain(campaign)), campaign]
    if len(campaigns) < 2:
        return None
    listed = [{c.id for c in c_.cases} for c_ in campaigns]
    rows = []
    for case in campaign.cases:
        if case.id not in content.anchors:
            continue
        name = loc.text(case.name, "register")
        cells = []
        for k in range(len(campaigns)):
            status = rounds.status_at(campaign, case.id, k)
            new = k > 0 and case.id in listed[k] and case.id not in listed[k - 1]
            cells.append(Cell(loc.inline(status.text, name) if status else None, new))
        rows.append(RegisterRow(name, content.anchors[case.id], cells))
    counts = [_count(campaign, campaigns, listed, k, loc.language) for k in range(len(campaigns))]
    every = set().union(*listed)
    svg = chart.bar_chart(
        [
            format_date(c.campaign.event.date, "MMM y", locale=_locale(loc.language))
            for c in campaigns
        ],
        _series(counts, loc.language),
    )
    return Register(
        [long_date(c.campaign.event.date, loc.language) for c in campaigns],
        rows,
        counts,
        len(every - set(content.anchors)),
        chart.data_url(svg),
        _alt(counts, loc.language),
    )


def _locale(language: str) -> str:
    return i18n.BABEL_LOCALES.get(language, language)


def _count(
    campaign: Campaign, campaigns: list[Campaign], listed: list[set[str]], k: int, language: str
) -> Count:
    def resolved(case_id: str, at: int) -> bool:
        status = rounds.status_at(campaign, case_id, at)
        return status is not None and status.resolved

    date = long_date(campaigns[k].campaign.event.date, language)
    still = sum(1 for case_id in sorted(listed[k]) if not resolved(case_id, k))
    if k == 0:
        return Count(date, still, None, None)
    new = len(listed[k] - listed[k - 1])
    ended = sum(
        1
        for case_id in sorted(listed[k] | listed[k - 1])
        if resolved(case_id, k) and not resolved(case_id, k - 1)
    )
    return Count(date, still, new, ended)


def _series(counts: list[Count], language: str) -> list[chart.Series]:
    gettext = i18n.translations(language).gettext
    return [
        chart.Series(gettext(LEGEND["open"]), COLOURS["open"], tuple(c.open for c in counts)),
        chart.Series(gettext(LEGEND["new"]), COLOURS["new"], tuple(c.new for c in counts)),
        chart.Series(
            gettext(LEGEND["resolved"]), COLOURS["resolved"], tuple(c.resolved for c in counts)
        ),
    ]


def _alt(counts: list[Count], language: str) -> str:
    gettext = i18n.translations(language).gettext
    parts = []
    for c in counts:
        if c.new is None:
            parts.append(gettext(CHART_FIRST) % {"date": c.date, "open": c.open})
        else:
            values = {"date": c.date, "open": c.open, "new": c.new, "resolved": c.resolved}
            parts.append(gettext(CHART_ROUND) % values)
    return gettext(CHART_ALT) % {"rounds": "; ".join(parts)}


@dataclass
class LetterSince:
    """A letter's account of how its demands fared since the last round."""

    date: str
    event: str
    items: list[ScoreRow]


def letter_since(campaign: Campaign, demands: list[Demand], loc: Localiser) -> LetterSince | None:
    """How the letter's ``demands`` (those it shows) fared since the last round: ``None``
    when none of them has an assessment, or there is no last round."""
    last = rounds.previous(campaign)
    if last is None:
        return None
    items = [
        ScoreRow(
            loc.inline(d.title, d.id),
            d.assessment.status,
            _label(d.assessment.status, loc.language),
            loc.markdown(d.assessment.note, d.id) if d.assessment.note else None,
            False,
        )
        for d in demands
        if d.assessment is not None
    ]
    if not items:
        return None
    info = last.campaign.campaign
    return LetterSince(
        long_date(info.event.date, loc.language),
        loc.text(info.event.name, "event", fallback=info.language),
        items,
    )
