"""Forms of address: the salutation and closing that fit a recipient's role."""

from __future__ import annotations

from .model import Recipient

# Salutations by role that do not depend on knowing the person's form of address.
_ROLE_SALUTATIONS = {
    "high-representative": "Dear High Representative,",
    "special-representative": "Dear Special Representative,",
    "commissioner": "Dear Commissioner,",
    "head-of-delegation": "Dear Ambassador,",
    "minister": "Dear Minister,",
}


def family_name(name: str) -> str:
    """The family name used after an honorific: the last word of ``name``.

    Compound family names ("Borrell Fontelles") need the ``salutation`` field.
    """
    return name.split()[-1]


def salutation(recipient: Recipient) -> str:
    """The greeting line of a letter to ``recipient``.

    ``salutation`` overrides everything; a role with its own form ("Dear High
    Representative,") comes next; then "Dear <honorific> <family name>," where the honorific
    is known; otherwise the neutral "Dear <full name>,".
    """
    if recipient.salutation:
        return recipient.salutation
    if recipient.role in _ROLE_SALUTATIONS:
        return _ROLE_SALUTATIONS[recipient.role]
    if recipient.honorific:
        return f"Dear {recipient.honorific} {family_name(recipient.name)},"
    return f"Dear {recipient.name},"


def closing(recipient: Recipient) -> str:
    """The complimentary close; "Yours sincerely" fits every role in English."""
    return "Yours sincerely,"
