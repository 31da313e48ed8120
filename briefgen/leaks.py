"""Keeping confidential case names out of documents that may not carry them.

The template context of a public document never contains restricted or withheld cases (see
:mod:`briefgen.context`). What the filter cannot see is a name typed into free text: a
section that mentions a restricted person, by name or by part of it ("Mr Qodirov"), a note
that copies a case summary. Two guards close that gap: :func:`campaign_findings` reports such
text at ``check`` time, and :meth:`Guard.document_leaks` refuses to write a rendered document
that names a case its edition may not name. Which parts of a name count, and how they are
found, is :mod:`briefgen.names_guard`'s business. Neither guard ever prints the name it found.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from . import citations, rounds
from . import names_guard as ng
from .citations import CITATION
from .model import Campaign, Case, LocalText, Recipient, RecipientImport, iter_texts, visible
from .textcheck import printed_strings, with_source_reach

PathKey = tuple[str | int, ...]


def case_names(case: Case) -> list[str]:
    """Every spelling of a case's name: all languages, aliases, and without "(...)" notes."""
    names: list[str] = []
    for value in (case.name, *case.aliases):
        for text in value.texts():
            names.append(text)
            bare = re.sub(r"\s*\([^)]*\)", "", text).strip()
            if bare and bare != text:
                names.append(bare)
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Guarded:
    """A case the leak guard knows: where it is (``index`` in ``campaign.cases``, negative
    for a case only earlier rounds list), its visibility today (for a case only earlier
    rounds list, the last one known), every name it has had in any round, and how messages
    name it."""

    index: int
    id: str
    visibility: str
    names: tuple[str, ...]
    label: str


def guarded(campaign: Campaign) -> list[Guarded]:
    """Every case of the campaign and of its earlier rounds (see :mod:`briefgen.rounds`)."""
    earlier = rounds.earlier_cases(campaign)

    def names(case: Case) -> tuple[str, ...]:
        found = case_names(case)
        for version in earlier.get(case.id, []):
            found += case_names(version)
        return tuple(dict.fromkeys(found))

    found = [
        Guarded(index, case.id, case.visibility, names(case), f"cases[{index}]")
        for index, case in enumerate(campaign.cases)
    ]
    for number, (round_, index, case) in enumerate(rounds.departed(campaign), 1):
        label = f"cases[{index}] of the earlier round {round_.file.name}"
        found.append(Guarded(-number, case.id, case.visibility, names(case), label))
    return found


def people(campaign: Campaign, edition: str) -> list[ng.Person]:
    """The people a document of ``edition`` may not name (withheld ones: no document may),
    by every name they had in any round of the dialogue."""
    return [
        ng.person(case.index, case.visibility, case.names, "" if case.index >= 0 else case.label)
        for case in guarded(campaign)
        if not visible(case.visibility, edition)
    ]


def public_names(campaign: Campaign) -> list[str]:
    """Names of the people and organisations the campaign names in public: a part of a
    confidential name standing inside one of them ("Rustam Qodirov", a public case, when
    "Anvar Qodirov" is restricted) is that other person's name."""
    found: list[str] = []
    for case in campaign.cases:
        if case.visibility == "public":
            found.extend(case_names(case))
    for _round, _index, case in rounds.departed(campaign):  # public when last followed
        if case.visibility == "public":
            found.extend(case_names(case))
    texts: list[LocalText | None] = [campaign.organisation.name, *campaign.co_signers]
    for person in campaign.people:
        texts += [person.name, person.organisation]
    for signatory in campaign.signatories:
        texts += [signatory.name, signatory.organisation]
    found.extend(t for text in texts if text is not None for t in text.texts())
    return list(dict.fromkeys(found))


def addressed(recipients: Iterable[Recipient]) -> list[str]:
    """How a letter names its addressees: their names, and their family name alone or after
    their honorific ("Ms Neumann"). A family name a confidential case shares is theirs there."""
    found: list[str] = []
    for person in recipients:
        names = person.name.texts()
        found.extend(names)
        family = person.family_name.texts() if person.family_name else []
        family += [name.split()[-1] for name in names if name.split()]
        found.extend(family)
        if person.honorific:
            found.extend(f"{person.honorific} {f}" for f in family)
    return list(dict.fromkeys(found))


class Guard:
    """The leak guard of one edition: who may not be named, what is allowed instead.

    Built once per campaign and edition (see :func:`guard`); :meth:`scan` finds mentions in
    any text.
    """

    def __init__(self, campaign: Campaign, edition: str) -> None:
        self.edition = edition
        self.people = people(campaign, edition)
        self.allowed: dict[int, ng.Phrases] = {}
        cases = {case.id: case.index for case in guarded(campaign)}
        for entry in campaign.campaign.leak_allow:
            if entry.case in cases:
                self.allowed.setdefault(cases[entry.case], ng.Phrases()).add(entry.text)
        self.others = ng.Phrases(public_names(campaign))
        self._addressees: dict[tuple[str, ...], ng.Phrases] = {}

    def scan(self, text: str, addressees: Iterable[str] = ()) -> list[ng.Mention]:
        """Every mention in ``text`` of someone this edition may not name (excused ones
        included; see :attr:`~briefgen.names_guard.Mention.excused`)."""
        if not self.people or not text:
            return []
        others = [self.others]
        extra = tuple(addressees)
        if extra:
            if extra not in self._addressees:
                self._addressees = {extra: ng.Phrases(extra)}  # one letter's at a time
            others.append(self._addressees[extra])
        return ng.mentions(text, self.people, self.allowed, others)

    def document_leaks(
        self, texts: Iterable[str], addressees: Iterable[str] = ()
    ) -> list[ng.Mention]:
        """The mentions that make a rendered document unfit for this edition (empty: none).

        ``texts`` are the document's HTML and every other text its writers use (title,
        subject, file names, e-mail addresses); ``addressees`` are the names of the letter's
        recipients (see :func:`addressed`).
        """
        if not self.people:
            return []
        per_text = [_document_texts(text) for text in texts]
        variants = [v for found in per_text for v in found]
        # Tags taken out or made spaces squash alike: the first and the last are enough.
        quick = [v for found in per_text for v in {found[0], found[-1]}]
        squashed = [ng.squash(v, schwa) for v in quick for schwa in ng.schwas(v)]
        if not ng.prefilter(squashed, self.people):
            return []
        extra = list(addressees)
        found: list[ng.Mention] = []
        for variant in variants:
            found += [m for m in self.scan(variant, extra) if not (m.excused or m.warning)]
            if found:
                break
        return found


_TAG = re.compile(r"<[^>]*>")
_HIDDEN = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')|<!--(.*?)-->""", re.DOTALL)


def _document_texts(text: str) -> list[str]:
    """A rendered text as a reader sees it (tags taken out, so "Na<b>me</b>" is "Name", and
    tags made spaces, so "<p>A</p><p>Name</p>" has "Name" as a word), and what it carries
    out of sight: attribute values (alt texts, link targets, titles) and comments, each on a
    line of its own. (Not the markup as written: a tag inside a name the document may print,
    "Gulchehra <span>Mirzoshoeva-Davlatmamadova</span>", would hide whose name it is.)"""
    if "<" not in text:
        return [html.unescape(text)]
    hidden = "\n".join(a or b or c for a, b, c in _HIDDEN.findall(text))
    return [
        html.unescape(_TAG.sub("", text)),
        html.unescape(_TAG.sub(" ", text)),
        html.unescape(hidden),
    ]


def guard(campaign: Campaign, edition: str) -> Guard:
    """The :class:`Guard` of ``edition`` for ``campaign``."""
    return Guard(campaign, edition)


KINDS = {
    "name": "",
    "family": " by its family name",
    "patronymic": " by its patronymic",
    "given": " by its given name",
}


def label(who: ng.Person) -> str:
    """How messages name a guarded case: ``cases[3]``, or where an earlier round lists it."""
    return who.label or f"cases[{who.index}]"


def describe(mention: ng.Mention) -> str:
    """What a mention would do, without repeating the name."""
    who = mention.person
    return f"would name the {who.visibility} case {label(who)}{KINDS[mention.part.kind]}"


ALLOW_HINT = ", or if it means someone or something else, declare it in campaign.leak_allow"


def remedy(mention: ng.Mention) -> str:
    """What to do about a mention found in the campaign's text."""
    if mention.part.kind == "name":
        return "remove that name from the text"
    return (
        "remove or reword it; if it means someone or something else, declare it in "
        "campaign.leak_allow (text, case, reason)"
    )


# --- Which text reaches which edition ------------------------------------------------------

_NOT_PRINTED = {
    # references to other entries, choices from a list, paths, dates and numbers
    "cases", "sources", "source", "demands", "demand_tags", "tags", "to", "visibility",
    "edition", "role", "kind", "language", "languages", "format", "pdf_variant",
    "templates", "reference_docx", "logo", "date", "last_verified", "freshness_days",
}  # fmt: skip
_NEVER_PRINTED = {"leak_allow", "filter", "defaults"}  # defaults: in the recipients they give
_IDS_PRINTED = {"campaign", "recipients", "joint_letters"}  # ids that name files and folders


def strings(model: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """(path, text) of every text a document can print of ``model``: text fields in each
    language (``path`` ends with the language when translated), e-mail addresses, links,
    copies, and the ids that name output files."""
    for name in type(model).model_fields:
        if name in _NEVER_PRINTED or (name == "id" and path and path[0] not in _IDS_PRINTED):
            continue
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if name in _NOT_PRINTED and not isinstance(item, BaseModel):
                continue  # a reference, a choice, a path (campaign.sources is not)
            if isinstance(item, LocalText):
                if item.plain is not None:
                    yield where, item.plain
                else:
                    yield from (((*where, lang), text) for lang, text in item.values.items())
            elif isinstance(item, str):
                yield where, item
            elif isinstance(item, BaseModel):
                yield from strings(item, where)


@dataclass(frozen=True)
class Text:
    """A text of the campaign: where, what, the edition it may reach ("never": printed
    nowhere), and the names of the letter's addressees when it is a letter's own text."""

    path: PathKey
    value: str
    edition: str
    addressees: tuple[str, ...] = ()


def texts(campaign: Campaign) -> list[Text]:
    """Every printable text of ``campaign`` (imports expanded), with its edition."""
    from .figures import in_restricted_figure

    found: list[Text] = []
    cited = _cited_editions(campaign)
    for path, value in strings(campaign):
        head = path[0]
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        edition = "public"
        who: tuple[str, ...] = ()
        if "restricted_note" in path:
            edition = "restricted"
        elif head == "cases" and index is not None:
            visibility = campaign.cases[index].visibility
            edition = {"public": "public", "restricted": "restricted"}.get(visibility, "never")
        elif head == "brief" and len(path) > 2 and path[1] == "sections":
            edition = campaign.brief.sections[int(path[2])].visibility
        elif head == "demands" and index is not None:
            edition = campaign.demands[index].visibility
        elif head == "dropped_demands" and index is not None:
            edition = rounds.dropped_visibility(campaign, index)
        elif head == "sources" and index is not None:
            edition = cited.get(campaign.sources[index].id, "public")
        elif head == "recipients" and index is not None:
            entry = campaign.recipients[index]
            if isinstance(entry, RecipientImport):
                continue  # its defaults are checked in the recipients they give
            edition = entry.edition
            who = tuple(addressed([entry]))
        elif head == "joint_letters" and index is not None:
            joint = campaign.joint_letters[index]
            to = [r for r in campaign.people if r.id in joint.to]
            edition = joint_edition(campaign, index)
            who = tuple(addressed(to))
        if edition == "public" and in_restricted_figure(campaign, path):
            edition = "restricted"  # the caption, alt text and credit of a restricted figure
        found.append(Text(path, value, edition, who))
    return found


def _cited_editions(campaign: Campaign) -> dict[str, str]:
    """The edition each cited source may reach: public if public text or a public case
    cites it, restricted if only restricted ones do, never if only withheld cases do."""
    rank = {"never": 0, "restricted": 1, "public": 2}
    found: dict[str, str] = {}

    def cite(ids: Iterable[str], edition: str) -> None:
        for source in ids:
            found[source] = max(found.get(source, "never"), edition, key=rank.__getitem__)

    for path, text, edition in public_texts(campaign):
        if path[0] == "cases":
            visibility = campaign.cases[int(path[1])].visibility
            edition = {"public": "public", "restricted": "restricted"}.get(visibility, "never")
        ids = {c.source for v in text.texts() for _o, group in citations.find(v) for c in group}
        cite(ids, edition)
    for case in campaign.cases:
        edition = {"public": "public", "restricted": "restricted"}.get(case.visibility, "never")
        cite(case.source_ids(), edition)
    for ids, level in rounds.assessment_sources(campaign):
        cite(ids, level)
    return found


def public_texts(campaign: Campaign) -> list[tuple[tuple[str | int, ...], LocalText, str]]:
    """(path, text, the edition it may reach) of every text field of the campaign.

    The edition is "public" for text that can reach a public document, "restricted" for text
    only restricted documents print.
    """
    from .figures import in_restricted_figure

    found = []
    # Translatable texts, and the printed texts that are not (copies, addresses, numbers).
    for path, text in [*iter_texts(campaign), *printed_strings(campaign)]:
        edition = "public"
        head = path[0]
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        if path[-1] == "restricted_note":
            edition = "restricted"
        elif head == "cases" and index is not None:
            if campaign.cases[index].visibility != "public":
                edition = (
                    "restricted" if campaign.cases[index].visibility == "restricted" else "withheld"
                )
        elif head == "brief" and len(path) > 2 and path[1] == "sections":
            edition = campaign.brief.sections[int(path[2])].visibility
        elif head == "demands" and index is not None:
            edition = campaign.demands[index].visibility
        elif head == "dropped_demands" and index is not None:
            edition = rounds.dropped_visibility(campaign, index)
        elif head == "recipients" and index is not None:
            entry = campaign.recipients[index]
            # An import entry's defaults reach the letters of the defaults' edition.
            given = getattr(entry, "defaults", entry)
            edition = getattr(given, "edition", None) or "public"
        elif head == "joint_letters" and index is not None:
            edition = joint_edition(campaign, index)
        if edition == "public" and in_restricted_figure(campaign, path):
            edition = "restricted"  # the caption, alt text and credit of a restricted figure
        found.append((path, text, edition))
    return with_source_reach(campaign, found)


def joint_edition(campaign: Campaign, index: int) -> str:
    """The edition of joint letter ``index``: its own, else restricted only if every
    recipient is (one not found, imported and not yet expanded, counts as public)."""
    joint = campaign.joint_letters[index]
    if joint.edition:
        return joint.edition
    people = {p.id: p for p in campaign.people}
    to = [people.get(ref) for ref in joint.to]
    return "restricted" if all(p and p.edition == "restricted" for p in to) else "public"


@dataclass(frozen=True)
class Finding:
    """A mention of a confidential case in a campaign text (see :func:`campaign_findings`)."""

    text: Text
    mention: ng.Mention


def campaign_findings(campaign: Campaign) -> list[Finding]:
    """Every mention, in a campaign text, of a case that a document of the text's edition
    may not name (excused ones included). A case's own fields do not count against it."""
    guards: dict[str, Guard] = {}
    found = []
    for text in texts(campaign):
        if text.edition == "never":
            continue
        if text.edition not in guards:
            guards[text.edition] = Guard(campaign, text.edition)
        value = _without_citation_keys(text.value)
        for mention in guards[text.edition].scan(value, text.addressees):
            if text.path[:2] != ("cases", mention.person.index):
                found.append(Finding(text, mention))
    return found


_CITATION_KEY = re.compile(r"@[a-z0-9]+(?:-[a-z0-9]+)*")


def _without_citation_keys(value: str) -> str:
    """``value`` with the keys of its citations blanked out (same length, so that positions
    hold): a document prints a citation as its source, never its key, and the source is
    checked where it is written ("[@rferl-qodirov]" names no one)."""

    def blank(match: re.Match[str]) -> str:
        return _CITATION_KEY.sub(lambda key: " " * len(key.group(0)), match.group(0))

    return CITATION.sub(blank, value)


def entirely_public(campaign: Campaign) -> bool:
    """Whether nothing in the campaign is restricted or withheld: the whole campaign file may
    then travel with a public document (as a PDF/A-3 attachment)."""
    if any(case.visibility != "public" for case in campaign.cases):
        return False
    if any(r.edition != "public" for r in campaign.people):
        return False
    return all(level == "public" for _path, _text, level in public_texts(campaign))
