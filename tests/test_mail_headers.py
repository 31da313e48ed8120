"""E-mail drafts: address headers that read back as the names and addresses written, however
long the names and whatever they contain; restricted drafts marked as such."""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest

from briefgen import build
from briefgen.write.mailheaders import MAX_LINE, address_list, mailbox
from tests.khujand import khujand_copy

ORG = ("Khujand–Brussels Rights Initiative", "advocacy@khujand-rights.example.org")
CC_HR = [
    (
        "Managing Director for Russia, Eastern Partnership, Central Asia, Regional "
        "Cooperation and OSCE",
        "md-east@eeas.example.org",
    ),
    ('Office of the Chair, "DROI" Subcommittee', "droi-office@europarl.example.org"),
    (
        "Əli Həsənov, Cabinet of the Commissioner for International Partnerships",
        "ali.hasanov@ec.example.org",
    ),
    (
        "Бузургмеҳр Ёров, адвокат, Ассоциация юристов Памира и Согдийской области",
        "lawyers@pamir.example.org",
    ),
]
"""The copies of the letter to the High Representative that have an address, as written."""
CC_CSV = [
    ("Central Asia Division, EEAS", "central-asia@eeas.example.org"),
    ('"Zoë" Ölmez, Human Rights Desk', "zoe.olmez@eeas.example.org"),
]
"""The copies in a CSV cell ("...; ""Zoë"" Ölmez, Human Rights Desk <...>")."""


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Drafts of a public letter with hard copies, of a CSV recipient's letter and of a
    restricted letter (in English, and in French for the CSV's French recipient made
    restricted): the letters folder."""
    folder = tmp_path_factory.mktemp("drafts")
    path = khujand_copy(folder, csv=[("fr;public;", "fr;restricted;")])
    wanted = [
        "high-representative",
        "special-representative",
        "nilufar-sharipova-davlatzoda",
        "claire-dubois-lefevre",
        "parliament-chairs",
    ]
    report = build([path], folder / "out", formats=("pdf", "eml"), recipients=wanted)
    assert report.ok, (report.failures, report.problems)
    return folder / "out" / "khujand-2025" / "letters"


def _read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _modern(message: EmailMessage, header: str) -> list[tuple[str, str]]:
    """The addresses of ``header`` as Python's current parser (headerregistry) reads them."""
    return [(a.display_name, a.addr_spec) for a in message[header].addresses]


def _classic(path: Path, header: str) -> list[tuple[str, str]]:
    """The addresses of ``header`` as the older parser reads them (email.utils.getaddresses
    on the raw header, each name decoded by RFC 2047's rules: the space between two encoded
    words is not part of the text)."""
    raw = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    return _decoded(raw.get_all(header, []))


def _decoded(values: list[str]) -> list[tuple[str, str]]:
    unfolded = [re.sub(r"\r?\n", "", value) for value in values]  # RFC 5322 unfolding
    return [
        (str(make_header(decode_header(name))), address)
        for name, address in email.utils.getaddresses(unfolded)
    ]


def _header_lines(path: Path) -> list[str]:
    head = path.read_bytes().split(b"\r\n\r\n", 1)[0].decode("ascii")
    return head.split("\r\n")


def test_copies_with_commas_quotes_and_other_scripts_read_back_exactly(drafts: Path) -> None:
    path = drafts / "high-representative.eml"
    message = _read(path)
    # Both parsers find four copies (the fifth copy has no address), each exactly as written.
    assert _classic(path, "Cc") == CC_HR
    modern = _modern(message, "Cc")
    assert modern[:3] == CC_HR[:3]
    # The long Cyrillic name needs three encoded words; Python 3.11's parser keeps the space
    # between two of them (RFC 2047 says it is not part of the text), so it reads extra spaces.
    assert (" ".join(modern[3][0].split()), modern[3][1]) == CC_HR[3]
    assert _modern(message, "To") == [("Kaja Kallas", "hrvp-office@eeas.example.org")]
    assert _modern(message, "From") == [ORG]
    # Every line of the head fits in 78 characters, folded between words only.
    assert all(len(line) <= MAX_LINE for line in _header_lines(path))


def test_copies_from_a_csv_cell_read_back_exactly(drafts: Path) -> None:
    path = drafts / "nilufar-sharipova-davlatzoda.eml"
    assert _modern(_read(path), "Cc") == CC_CSV
    assert _classic(path, "Cc") == CC_CSV
    assert _modern(_read(path), "To") == [
        ("Nilufar Sharipova-Davlatzoda", "nilufar.sharipova@eeas.example.org")
    ]


def test_a_joint_letter_is_addressed_to_each_recipient(drafts: Path) -> None:
    path = drafts / "parliament-chairs.eml"
    expected = [
        ("Rustam Nazarov", "droi-chair@europarl.example.org"),
        ("Jean-Baptiste Lemaire-Dufour", "afet-chair@europarl.example.org"),
    ]
    assert _modern(_read(path), "To") == expected
    assert _classic(path, "To") == expected


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Kaja Kallas", "hr@example.org"),
        ("Office of the Chair, DROI", "droi@example.org"),
        ('A "quoted" name, with a backslash \\ too', "q@example.org"),
        ("O'Brien-Smith Jr.", "ob@example.org"),
        ("=?utf-8?q?not-an-encoded-word?=", "trap@example.org"),
        ("Ölmez, Zoë", "zoe@example.org"),
        ("Гульбахор Курбоналиева-Толибзода", "g@example.org"),
        ("", "nobody@example.org"),
        ("Leyla Məmmədova", "leyla@bakı.example.org"),
    ],
)
def test_any_name_survives_a_folded_header(name: str, address: str) -> None:
    # Three copies of it in one header, so that it is folded somewhere in the middle.
    others = [("Managing Director for Russia, Eastern Partnership", "md@example.org")]
    pairs = [*others, (name, address), *others]
    value = address_list([mailbox(n, a) for n, a in pairs], "Cc")
    raw = f"From: a@example.org\r\nCc: {value.replace(chr(10), chr(13) + chr(10))}\r\n\r\nx\r\n"
    assert all(len(line) <= MAX_LINE for line in raw.split("\r\n"))
    message = email.message_from_bytes(raw.encode("ascii"), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    domain = address.partition("@")[2]
    expected = [*others, (name, address.replace(domain, domain.encode("idna").decode())), *others]
    # Read by RFC 2047's rules, every name is exact.
    assert _decoded([value]) == expected
    modern = [(a.display_name, a.addr_spec) for a in message["Cc"].addresses]
    if name.isascii() or len(name.encode("utf-8")) <= 45:  # in one encoded word
        assert modern == expected
    else:  # Python 3.11 reads a space between encoded words (see above)
        assert [(" ".join(n.split()), a) for n, a in modern] == expected


def test_a_restricted_draft_says_so_in_its_subject_and_its_first_line(drafts: Path) -> None:
    subject = "EU–Tajikistan Human Rights Dialogue, Brussels, 17 October 2025"
    restricted = _read(drafts / "special-representative.eml")
    assert restricted["Subject"] == f"[Restricted — not for publication] {subject}"
    assert restricted["Sensitivity"] == "Company-Confidential"
    plain = restricted.get_body(("plain",))
    html = restricted.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert (
        plain.get_content()
        .replace("\r\n", "\n")
        .startswith("[Restricted — not for publication]\n\nDear Special Representative,")
    )
    assert re.search(
        r"<body><p class=\"marking\"><strong>\[Restricted — not for publication\]</strong></p>"
        r"<p>Dear Special Representative,</p>",
        html.get_content(),
    )
    # In the letter's language.
    french = _read(drafts / "claire-dubois-lefevre.eml")
    assert french["Subject"] == (
        "[Diffusion restreinte — ne pas publier] Dialogue UE–Tadjikistan sur les droits de "
        "l’homme, Bruxelles, 17 octobre 2025"
    )
    body = french.get_body(("plain",))
    assert body is not None
    assert (
        body.get_content()
        .replace("\r\n", "\n")
        .startswith("[Diffusion restreinte — ne pas publier]\n\nMadame,")
    )
    # A public draft carries no marking.
    public = _read(drafts / "high-representative.eml")
    assert public["Subject"] == subject
    assert public["Sensitivity"] is None
    for part in public.walk():
        if part.get_content_maintype() == "text":
            assert "Restricted" not in part.get_content()
