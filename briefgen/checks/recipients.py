"""Recipients, once imports are read: ids, references, joint letters, letters that ask."""

from __future__ import annotations

from typing import Any

from .. import duplicates, leak_check
from ..errors import Problem, did_you_mean
from ..imports import Origin
from ..loader import Loaded, PathKey, format_path
from ..model import Campaign, Recipient, RecipientImport
from ..plan import letters
from . import Found, Subject, found


def recipients(subject: Subject) -> Found:
    """Ids, demand references and joint letters, once imports are read; if nothing was
    wrong before, also letters that would ask for nothing."""
    campaign, people, origins, loaded = (
        subject.written,
        subject.people,
        subject.origins,
        subject.loaded,
    )
    asks = not subject.errors  # else a letter's demands may be unknown ids
    problems: list[Problem] = []
    demand_ids = {d.id for d in campaign.demands}
    tags = {t for d in campaign.demands for t in d.tags}

    first: dict[str, int] = {}
    for k, person in enumerate(people):
        origin = origins[k]
        if person.id in first:
            file, line, col, field = origin.where(loaded, "id")
            other = origins[first[person.id]].describe(loaded)
            if other.startswith(f"{file.name} line "):
                other = other[len(file.name) + 1 :]
            problems.append(
                Problem(
                    file,
                    f"duplicate recipient id '{person.id}' (first used on {other})",
                    line,
                    col,
                    field,
                )
            )
        else:
            first[person.id] = k
        for key, known, what in (
            ("demands", demand_ids, "demand"),
            ("demand_tags", tags, "demand tag"),
        ):
            entry = campaign.recipients[origin.index]
            # An imported recipient's defaults and overrides are checked once, on the import
            # entry.
            given = getattr(entry.defaults, key) or [] if isinstance(entry, RecipientImport) else []
            if key in origin.overridden:
                continue
            for j, ref in enumerate(getattr(person, key) or []):
                if ref not in known and ref not in given:
                    file, line, col, field = origin.where(loaded, key, j)
                    extra = did_you_mean(ref, known)
                    problems.append(
                        Problem(file, f"unknown {what} '{ref}'{extra}", line, col, field)
                    )
    by_id = {p.id: p for p in people}
    in_joint: dict[str, str] = {}
    for i, joint in enumerate(campaign.joint_letters):

        def add(path: PathKey, message: str) -> None:
            line, col = loaded.where(path)
            problems.append(Problem(loaded.path, message, line, col, format_path(path)))

        if joint.id in by_id:
            add(
                ("joint_letters", i, "id"),
                f"'{joint.id}' is also a recipient id; a joint "
                "letter needs an id of its own (it names the file)",
            )
        languages: dict[str, list[str]] = {}
        editions: dict[str, list[str]] = {}
        for j, ref in enumerate(joint.to):
            if ref not in by_id:
                add(
                    ("joint_letters", i, "to", j),
                    f"unknown recipient id '{ref}'{did_you_mean(ref, by_id)}",
                )
                continue
            if ref in in_joint:
                add(
                    ("joint_letters", i, "to", j),
                    f"recipient '{ref}' is already in joint letter '{in_joint[ref]}'",
                )
            in_joint[ref] = joint.id
            languages.setdefault(campaign.recipient_language(by_id[ref]), []).append(ref)
            editions.setdefault(by_id[ref].edition, []).append(ref)
        problems.extend(_joint_mix(joint, i, languages, editions, loaded))
    if asks and not problems:
        problems += _empty_letters(campaign, people, origins, loaded)
    return found(problems)


def _joint_mix(
    joint: Any,
    index: int,
    languages: dict[str, list[str]],
    editions: dict[str, list[str]],
    loaded: Loaded,
) -> list[Problem]:
    """A joint letter whose recipients read different languages, or are some restricted and
    some public, must say which language and edition it is: nothing is chosen silently."""
    problems = []
    path: PathKey = ("joint_letters", index, "to")
    line, col = loaded.where(path)

    def who(groups: dict[str, list[str]]) -> str:
        return "; ".join(f"{key}: {', '.join(refs)}" for key, refs in sorted(groups.items()))

    if joint.language is None and len(languages) > 1:
        choices = " or ".join(f"'language: {lang}'" for lang in sorted(languages))
        problems.append(
            Problem(
                loaded.path,
                f"the recipients of this joint letter read different languages ({who(languages)}"
                f"); add {choices} to the joint letter: one letter is written in one language",
                line,
                col,
                format_path(path),
            )
        )
    if joint.edition is None and len(editions) > 1:
        problems.append(
            Problem(
                loaded.path,
                f"this joint letter goes to restricted and public recipients ({who(editions)}); "
                "add 'edition: public' to the joint letter (all of them get the public letter, "
                "without restricted material) or 'edition: restricted' (all of them, the public "
                "recipients too, get the restricted material), or write them separate letters",
                line,
                col,
                format_path(path),
            )
        )
    return problems


def _empty_letters(
    campaign: Campaign, people: list[Recipient], origins: list[Origin], loaded: Loaded
) -> list[Problem]:
    """Letters that would ask for nothing: no demand chosen, or only restricted demands
    in a public letter."""
    problems = []
    public = {d.id for d in campaign.demands if d.visibility == "public"}
    person = {p.id: k for k, p in enumerate(people)}
    joint = {j.id: i for i, j in enumerate(campaign.joint_letters)}
    for letter in letters(campaign.model_copy(update={"recipients": people})):
        if not letter.demands:
            why = "chooses no demand: it would ask for nothing"
        elif letter.edition == "public" and not public & set(letter.demands):
            why = (
                "is public but all its demands are restricted: it would ask for nothing "
                "(give it a public demand, or make its edition restricted)"
            )
        else:
            continue
        if letter.id in joint:
            path: PathKey = ("joint_letters", joint[letter.id], "demands")
            line, col = loaded.where(path)
            problems.append(
                Problem(loaded.path, f"this letter {why}", line, col, format_path(path))
            )
            continue
        source = letter.to[0]
        field_name = "demand_tags" if source.demand_tags and not source.demands else "demands"
        file, line, col, field = origins[person[letter.id]].where(loaded, field_name)
        problems.append(Problem(file, f"this letter {why}", line, col, field))
    return problems


def one_letter_each(subject: Subject) -> Found:
    """The same person twice (under two ids, from two imports): one letter each."""
    return found(
        duplicates.one_letter_each(subject.written, subject.people, subject.origins, subject.loaded)
    )


def leaks(subject: Subject) -> Found:
    """The leak guard: no text a public document prints names a confidential case."""
    assert subject.expanded is not None
    return found(
        leak_check.leak_problems(subject.written, subject.expanded, subject.origins, subject.loaded)
    )
