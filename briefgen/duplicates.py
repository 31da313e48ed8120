"""One person, one letter: recipients who are the same person, wherever they were written.

The same person may be listed by hand, imported from a contact database's CSV and imported
again from the Parliament's list, or be in a joint letter and get a letter of their own. Two
recipients are taken to be one person when they share an e-mail address (case does not
count), when they are the same Member in the Parliament's list, or when they have the same
name (accents, case, titles and word order do not count) and organisation. That is an error
unless one of them says, with ``also_receives``, that the other letter is meant too; the same
name with no organisation to compare is a warning.
"""

from __future__ import annotations

import re

from . import names
from .errors import Problem, did_you_mean
from .imports import EP_DEFAULTS, Origin
from .loader import Loaded
from .model import Campaign, LocalText, Recipient

# The Parliament's name in every letter language is one organisation.
_SAME_ORGANISATION = {
    organisation: EP_DEFAULTS["en"][1] for _title, organisation, _address in EP_DEFAULTS.values()
}


def _fold(text: str) -> str:
    text = _SAME_ORGANISATION.get(text.strip(), text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", names.ascii_fold(text).casefold()).split())


def _organisations(person: Recipient) -> set[str]:
    texts = person.organisation.texts() if person.organisation else []
    return {_fold(t) for t in texts} - {""}


def _same_organisation(first: set[str], second: set[str]) -> bool:
    """Whether two organisations are one: equal once folded, or one is the start of the other
    ("European Parliament" and "European Parliament, Subcommittee on Human Rights")."""
    return any(
        a == b or a.startswith(b + " ") or b.startswith(a + " ") for a in first for b in second
    )


def _name_keys(value: LocalText) -> set[tuple[str, ...]]:
    return {names.name_key(text) for text in value.texts()} - {()}


def one_letter_each(
    campaign: Campaign, people: list[Recipient], origins: list[Origin], loaded: Loaded
) -> list[Problem]:
    """Every person who would get more than one letter, and unknown ``also_receives`` ids.

    ``campaign`` is the campaign as written (for its joint letters); ``people`` every
    recipient once imports are expanded, ``origins`` where each was written.
    """
    problems: list[Problem] = []
    letter_of = {p.id: p.id for p in people}
    for joint in campaign.joint_letters:
        letter_of.update({ref: joint.id for ref in joint.to})
    known = set(letter_of) | set(letter_of.values())
    for k, person in enumerate(people):
        for j, ref in enumerate(person.also_receives):
            if ref not in known:
                file, line, column, what = origins[k].where(loaded, "also_receives", j)
                problems.append(
                    Problem(
                        file,
                        f"unknown letter '{ref}' (a recipient or joint letter id)"
                        + did_you_mean(ref, known),
                        line,
                        column,
                        what,
                    )
                )

    emails: dict[str, int] = {}
    members: dict[str, int] = {}
    by_name: dict[tuple[str, ...], list[int]] = {}
    reported: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int, str, str, bool]] = []  # first, second, field, why, error
    for k, person in enumerate(people):
        origin = origins[k]
        if person.email:
            address = person.email.strip().casefold()
            if address in emails:
                pairs.append((emails[address], k, "email", f"same e-mail address {address}", True))
            else:
                emails[address] = k
        if origin.key and origin.imported:
            member = f"{origin.file}#{origin.key}"
            if member in members:
                pairs.append(
                    (members[member], k, "name", f"the same person in {origin.file.name}", True)
                )
            else:
                members[member] = k
        for key in _name_keys(person.name):
            for other in by_name.setdefault(key, []):
                seen = origins[other]
                if seen.key and origin.key and seen.file == origin.file:
                    continue  # two Members of one list: two people who share a name
                mine, theirs = _organisations(person), _organisations(people[other])
                if mine and theirs:
                    if _same_organisation(mine, theirs):
                        pairs.append((other, k, "name", "same name and organisation", True))
                else:  # one of them has no organisation: they may be one person
                    pairs.append(
                        (other, k, "name", "same name (no organisation to tell them apart)", False)
                    )
            if k not in by_name[key]:
                by_name[key].append(k)

    for earlier, later, field, why, error in pairs:
        if (earlier, later) in reported:
            continue
        reported.add((earlier, later))
        a, b = people[earlier], people[later]
        if a.id == b.id:
            continue  # one entry written twice: a duplicate id, reported as such
        letter_a, letter_b = letter_of[a.id], letter_of[b.id]
        file, line, column, what = origins[later].where(loaded, field)
        place = origins[earlier].describe(loaded)
        if letter_a == letter_b:
            problems.append(
                Problem(
                    file,
                    f"{b.name} is recipient '{a.id}' too ({place}; {why}), and joint letter "
                    f"'{letter_a}' is addressed to both: it would greet the same person twice; "
                    "take one of them out of its 'to' list",
                    line,
                    column,
                    what,
                )
            )
            continue
        meant = {letter_b, b.id} & set(a.also_receives) or {letter_a, a.id} & set(b.also_receives)
        if meant:
            continue
        yours = "" if letter_b == b.id else f" (joint letter '{letter_b}')"
        first_letter = f"'{a.id}'" + ("" if letter_a == a.id else f", joint letter '{letter_a}'")
        if origins[later].imported:
            fix = (
                f"leave this one out with 'exclude: [{b.id}]' on the import, or, if both "
                f"letters are meant, add 'overrides: {{{b.id}: {{also_receives: [{letter_a}]}}}}'"
            )
        else:
            fix = f"remove one, or, if both letters are meant, add 'also_receives: [{letter_a}]'"
        verb = "would get" if error else "may get"
        problems.append(
            Problem(
                file,
                f"{b.name} {verb} two letters: this one{yours} and the letter to {first_letter} "
                f"({place}): {why}; {fix}",
                line,
                column,
                what,
                severity="error" if error else "warning",
            )
        )
    return problems
