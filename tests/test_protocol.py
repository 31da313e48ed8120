"""Forms of address: salutations by role, honorific and override."""

from __future__ import annotations

import pytest

from briefgen.model import Recipient
from briefgen.protocol import salutation


def person(**fields: object) -> Recipient:
    return Recipient.model_validate(
        {
            "id": "x",
            "name": "Maria Example Name",
            "role": "other",
            "address": ["A street"],
            **fields,
        }
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"role": "high-representative"}, "Dear High Representative,"),
        ({"role": "special-representative"}, "Dear Special Representative,"),
        ({"role": "commissioner"}, "Dear Commissioner,"),
        ({"role": "head-of-delegation"}, "Dear Ambassador,"),
        ({"role": "minister"}, "Dear Minister,"),
        ({"role": "mep"}, "Dear Maria Example Name,"),
        ({"role": "mep", "honorific": "Ms"}, "Dear Ms Name,"),
        ({"role": "other", "honorific": "Dr"}, "Dear Dr Name,"),
        ({"role": "other"}, "Dear Maria Example Name,"),
        (
            {"role": "commissioner", "salutation": "Dear Commissioner Example,"},
            "Dear Commissioner Example,",
        ),
        ({"role": "mep", "honorific": "Ms", "salutation": "Dear Maria,"}, "Dear Maria,"),
    ],
)
def test_salutation(fields: dict[str, str], expected: str) -> None:
    assert salutation(person(**fields)) == expected
