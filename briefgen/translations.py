"""Which languages each text of a campaign must be written in: those of the documents that
print it, and no other.

Every language of the brief has a public and a restricted edition, so the brief's text,
restricted or not, is needed in every brief language. A letter prints its demands (those its
edition may show), the names of the cases they cite, its recipients' own fields and its note;
a restricted note only in a restricted letter. A withheld case is never printed: it needs no
translation.
"""

from __future__ import annotations

from .errors import Problem
from .loader import Loaded, PathKey, format_path
from .model import Campaign, LocalText, RecipientImport, iter_texts, visible
from .plan import Letter, letters

_OWN_FIELDS_IN_JOINT = {"name", "family_name", "title", "organisation", "address", "salutation"}
"""A recipient's fields a joint letter prints (its reason and notes are the joint letter's)."""


def needed_languages(
    path: PathKey, written: Campaign, campaign: Campaign, sent: list[Letter]
) -> tuple[list[str], bool]:
    """The languages the text at ``path`` of ``written`` is printed in, and whether a text
    written once is taken to be in each of them (a recipient's own fields are written in
    their letter's language)."""
    brief = campaign.brief_languages
    everywhere = sorted(set(brief) | {letter.language for letter in sent})
    head = path[0]
    index = int(path[1]) if len(path) > 1 and isinstance(path[1], int) else None
    field = path[2] if len(path) > 2 else None
    if head in ("brief", "sources"):
        return brief, False
    if head in ("letter", "co_signers"):
        return sorted({letter.language for letter in sent}), False
    if head == "cases" and index is not None:
        case = written.cases[index]
        if case.visibility == "withheld":
            return [], False
        if field != "name":  # letters name the cases their demands cite; only the brief
            return brief, False  # tells them
        printing = {
            letter.language
            for letter in sent
            if visible(case.visibility, letter.edition)
            and any(
                case.id in d.cases and visible(d.visibility, letter.edition)
                for d in campaign.demands
                if d.id in letter.demands
            )
        }
        return sorted(set(brief) | printing), False
    if head == "demands" and index is not None:
        demand = written.demands[index]
        restricted_only = field == "restricted_note"
        printing = {
            letter.language
            for letter in sent
            if demand.id in letter.demands
            and visible(demand.visibility, letter.edition)
            and (letter.edition == "restricted" or not restricted_only)
        }
        return sorted(set(brief) | printing), False
    if head == "joint_letters" and index is not None:
        joint = written.joint_letters[index]
        letter = next((item for item in sent if item.id == joint.id), None)
        if letter is None or (field == "restricted_note" and letter.edition != "restricted"):
            return [], True
        return [letter.language], True
    if head == "recipients" and index is not None:
        entry = written.recipients[index]
        fallback = campaign.campaign.language
        if isinstance(entry, RecipientImport):
            return [entry.defaults.language or fallback], True
        for letter in sent:
            if any(person.id == entry.id for person in letter.to):
                if letter.joint and field not in _OWN_FIELDS_IN_JOINT:
                    return [], True
                if field == "restricted_note" and letter.edition != "restricted":
                    return [], True
                return [letter.language], True
        return [], True
    return everywhere, False


def translation_problems(written: Campaign, campaign: Campaign, loaded: Loaded) -> list[Problem]:
    """A warning for every text field missing a language some document that prints it needs.

    ``written`` is the campaign as written, ``campaign`` the same with its imports expanded.
    """

    sent = letters(campaign)
    fallback = campaign.campaign.language
    problems = []
    for path, text in iter_texts(written):
        needed, own = needed_languages(path, written, campaign, sent)
        missing = _missing(text, needed, fallback, own)
        if not missing:
            continue
        line, col = loaded.where(path)
        state = (
            f"written once, in {fallback}"
            if text.plain is not None
            else f"translated into {', '.join(text.values)}"
        )
        problems.append(
            Problem(
                loaded.path,
                f"no translation into {', '.join(missing)} ({state}); "
                f"write it as a mapping such as '{missing[0]}: ...'",
                line,
                col,
                format_path(path),
                severity="warning",
            )
        )
    return problems


def _missing(text: LocalText, needed: list[str], fallback: str, own: bool) -> list[str]:
    if own:  # written once, it is in the letter's language
        return [lang for lang in needed if text.plain is None and lang not in text.values]
    return text.missing(needed, fallback)
