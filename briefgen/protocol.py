"""Forms of address: the salutation and closing that fit a recipient's role and language.

Every form is a gettext message (so the catalogs hold the French and Azerbaijani forms), with
a context naming the role and the form of address known for the recipient: ``female`` or
``male`` when the honorific says so ("Ms", "Madame", "Mr", "Monsieur"...), ``titled`` for
another honorific ("Dr"), ``neutral`` when none is given. English needs no gender; French
("Madame la Haute Représentante") and Azerbaijani ("Hörmətli xanım ...") do, and fall back
to a neutral form ("Madame, Monsieur,") rather than guess.
"""

from __future__ import annotations

import re
from typing import Protocol

from . import names
from .model import Recipient

FEMALE = {
    "ms",
    "ms.",
    "mrs",
    "mrs.",
    "miss",
    "madam",
    "madame",
    "mme",
    "mme.",
    "frau",
    "xanım",
    "signora",
    "señora",
    "sra.",
    "pani",
}
MALE = {"mr", "mr.", "monsieur", "m.", "herr", "cənab", "signor", "señor", "sr.", "pan"}


class Gettext(Protocol):
    def pgettext(self, context: str, message: str) -> str | object: ...


# The English forms, by role and form of address (the msgids of the catalogs).
FORMS: dict[str, dict[str, str]] = {
    role: {form: text for form in ("female", "male", "titled", "neutral")}
    for role, text in (
        ("high-representative", "Dear High Representative,"),
        ("special-representative", "Dear Special Representative,"),
        ("commissioner", "Dear Commissioner,"),
        ("president-european-council", "Dear President,"),
        ("committee-chair", "Dear Chair,"),
        ("working-party-chair", "Dear Chair,"),
        ("head-of-delegation", "Dear Ambassador,"),
        ("minister", "Dear Minister,"),
    )
}
# The plural of the role's form, for a joint letter to several people with the same role:
# "Dear Chairs," (French "Messieurs les Présidents," / "Mesdames les Présidentes,").
PLURALS: dict[str, str] = {
    "high-representative": "Dear High Representatives,",
    "special-representative": "Dear Special Representatives,",
    "commissioner": "Dear Commissioners,",
    "president-european-council": "Dear Presidents,",
    "committee-chair": "Dear Chairs,",
    "working-party-chair": "Dear Chairs,",
    "head-of-delegation": "Dear Ambassadors,",
    "minister": "Dear Ministers,",
    # Greeted by name: in English two people greeted alike share a family name and an
    # honorific; French greets a Member or another person by title ("Mesdames les Députées,").
    "mep": "Dear %(names)s,",
    "other": "Dear %(names)s,",
}
for _role in ("mep", "other"):
    FORMS[_role] = {
        "female": "Dear %(honorific)s %(family_name)s,",
        "male": "Dear %(honorific)s %(family_name)s,",
        "titled": "Dear %(honorific)s %(family_name)s,",
        "neutral": "Dear %(name)s,",
    }

CLOSING = "Yours sincerely,"
"""The complimentary close. A translation may contain ``{address}``, replaced by the
salutation without its final comma (French repeats it: "Veuillez agréer, Madame la
Haute Représentante, ...")."""


def form_of_address(honorific: str | None) -> str:
    """``female``, ``male``, ``titled`` or ``neutral`` for the honorific ``honorific``."""
    if not honorific:
        return "neutral"
    key = honorific.strip().lower()
    if key in FEMALE:
        return "female"
    if key in MALE:
        return "male"
    return "titled"


def family_name(name: str) -> str:
    """The family name used after an honorific, worked out from ``name`` (see
    :func:`briefgen.names.family_name`: particles, capitals, family name first...).

    A double surname without a particle ("Borrell Fontelles") needs the recipient's
    ``family_name`` field.
    """
    return names.family_name(name)


def salutation(
    recipient: Recipient,
    name: str,
    gettext: Gettext,
    override: str | None = None,
    family: str | None = None,
) -> str:
    """The greeting line of a letter to ``recipient`` (called ``name``) in ``gettext``'s language.

    ``override`` (the recipient's ``salutation`` field) wins over everything; ``family`` is
    the family name after an honorific (default: worked out from ``name``).
    """
    if override:
        return override
    form = form_of_address(recipient.honorific)
    english = FORMS[recipient.role][form]
    text = str(gettext.pgettext(f"{recipient.role}|{form}", english))
    return text % {
        "honorific": recipient.honorific or "",
        "family_name": family or family_name(name),
        "name": name,
    }


def closing(greeting: str, gettext: Gettext) -> str:
    """The complimentary close that goes with ``greeting``."""
    text = str(gettext.pgettext("closing", CLOSING))
    return text.replace("{address}", greeting.rstrip(" ,"))


def messages() -> list[tuple[str, str, str]]:
    """(context, English msgid, translator note) of every form of address, for the catalogs."""
    found = []
    for role, forms in FORMS.items():
        for form, english in forms.items():
            note = {
                "female": "The recipient is a woman (honorific Ms, Madame...).",
                "male": "The recipient is a man (honorific Mr, Monsieur...).",
                "titled": "The recipient's honorific is a title such as Dr; gender unknown.",
                "neutral": "No honorific given: use a form that does not assume a gender.",
            }[form]
            found.append((f"{role}|{form}", english, f"Salutation to a {role}. {note}"))
            plural = {
                "female": "All are women.",
                "male": "All are men.",
                "titled": "They are addressed by a title such as Dr; gender unknown.",
                "neutral": "No honorific given: use a form that does not assume a gender.",
            }[form]
            found.append(
                (
                    f"{role}|{form}|plural",
                    PLURALS[role],
                    f"Salutation of one letter to several people whose role is {role}, greeted "
                    f"together. {plural}"
                    + (" %(names)s: their full names." if "%(names)s" in PLURALS[role] else ""),
                )
            )
    found.append(
        (
            "closing",
            CLOSING,
            "Complimentary close. May contain {address}: the salutation without its final comma.",
        )
    )
    return found


# Languages whose salutations open with an adjective ("Dear", "Hörmətli") that is written in
# lower case when several greetings are combined: "Dear Commissioner, dear President,".
_LOWER_AFTER_FIRST = {"en": ("Dear ", "dear "), "az": ("Hörmətli ", "hörmətli ")}


def joint_salutation(
    people: list[tuple[Recipient, str, str | None, str | None]], gettext: Gettext, language: str
) -> str:
    """One salutation for a letter to several people: each addressed, none twice.

    ``people`` holds each recipient with their name, ``salutation`` field and family name
    (see :func:`salutation`). People greeted alike are greeted together in the plural of
    their form, as diplomatic letters do: "Dear Chairs,", "Messieurs les Présidents,",
    "Mesdames les Députées,"; in English two people greeted by the same name are greeted by
    their full names ("Dear Anna Roe and Ben Roe,"). A ``salutation`` written twice is said
    once.
    """
    from babel.lists import format_list

    from .i18n import BABEL_LOCALES

    greetings = [
        salutation(r, name, gettext, override, family) for r, name, override, family in people
    ]
    groups: dict[str, list[int]] = {}
    for k, greeting in enumerate(greetings):
        groups.setdefault(greeting.rstrip(" ,"), []).append(k)
    said = []
    for members in groups.values():
        if len(members) == 1 or any(people[k][2] for k in members):
            said.append(greetings[members[0]])
            continue
        first = people[members[0]][0]
        form = form_of_address(first.honorific)
        names = format_list(
            [people[k][1] for k in members], locale=BABEL_LOCALES.get(language, language)
        )
        text = str(gettext.pgettext(f"{first.role}|{form}|plural", PLURALS[first.role]))
        said.append(text % {"names": names})
    return combine(said, language)


def combine(greetings: list[str], language: str) -> str:
    """One salutation for a letter to several people: "Dear X, dear Y," / "Madame, Monsieur,"."""
    unique = list(dict.fromkeys(g.rstrip(" ,") for g in greetings))
    if len(unique) == 1:
        return unique[0] + ","
    first, *rest = unique
    prefix, lower = _LOWER_AFTER_FIRST.get(language, ("", ""))
    if prefix:
        rest = [lower + g[len(prefix) :] if g.startswith(prefix) else g for g in rest]
    return ", ".join([first, *rest]) + ","


_CONTACT = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<mail>[^<>\s]+@[^<>\s]+)>\s*$")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def contact(entry: str) -> tuple[str, str | None]:
    """(name, e-mail or ``None``) of a cc entry: "Name, Office <a@b.org>", "a@b.org" or "Name".

    Written by hand, not parsed as an RFC 5322 list: commas belong to the name.
    """
    match = _CONTACT.match(entry)
    if match:
        name = match["name"].strip()
        quoted = _QUOTED.fullmatch(name)  # written as '"Name, Office" <...>'
        if quoted:
            name = re.sub(r"\\(.)", r"\1", quoted[1]).strip()
        return name or match["mail"], match["mail"]
    text = entry.strip()
    if "@" in text and " " not in text:
        return text, text
    return text, None


def display_name(entry: str) -> str:
    """The name to print for a cc entry ("Name <mail@example.org>" → "Name")."""
    return contact(entry)[0]
