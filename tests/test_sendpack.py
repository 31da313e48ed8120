"""The send pack: an e-mail draft carries what its letter announces, under names that read
well, with a short note written as a person would in the letter's language."""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from briefgen import build, document, load_campaign
from briefgen.errors import RenderError
from briefgen.plan import letters
from briefgen.write.eml import attachment_name
from tests.conftest import PAMIR, pdf_text

Cli = Callable[..., tuple[int, str, str]]

DRAFTED = ["hr", "droi-chair", "baku-desk", "sean-o-briain", "maire-ni-bhriain"]
"""Letters with an e-mail address: restricted en, public en, az (no az brief), public fr."""
DRAFTED_FR = "ana-de-la-fuente-ruiz"
ORG = "Pamir–Brussels Rights Network"


def _draft(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _attached(draft: EmailMessage) -> dict[str, bytes]:
    found = {}
    for part in draft.iter_attachments():
        name = part.get_filename()
        assert name is not None
        found[name] = part.get_content()
    return found


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Letters with e-mail drafts, built without the brief (--recipient): the output folder."""
    out = tmp_path_factory.mktemp("drafts")
    report = build([PAMIR], out, formats=("pdf", "eml"), recipients=[*DRAFTED, DRAFTED_FR])
    assert report.ok, (report.failures, report.problems)
    return out / "pamir-2025"


def test_a_draft_attaches_the_letter_and_the_brief_of_its_edition_and_language(
    drafts: Path,
) -> None:
    campaign = load_campaign(PAMIR)
    planned = {item.id: item for item in letters(campaign)}
    # The briefs the drafts attach were built although only letters were asked for.
    assert sorted(p.name for p in drafts.glob("brief.*")) == [
        "brief.public.en.pdf",
        "brief.public.fr.pdf",
        "brief.restricted.en.pdf",
    ]
    expected_brief = {
        "hr": "brief.restricted.en.pdf",
        "droi-chair": "brief.public.en.pdf",
        "baku-desk": "brief.public.en.pdf",  # the brief has no Azerbaijani edition
        "sean-o-briain": "brief.public.en.pdf",
        "maire-ni-bhriain": "brief.public.en.pdf",
        DRAFTED_FR: "brief.public.fr.pdf",
    }
    for letter_id, brief in expected_brief.items():
        letter = planned[letter_id]
        attached = _attached(_draft(drafts / "letters" / f"{letter_id}.eml"))
        assert len(attached) == 2, attached.keys()
        pdfs = list(attached.values())
        assert pdfs[0] == (drafts / "letters" / f"{letter_id}.pdf").read_bytes()
        assert pdfs[1] == (drafts / brief).read_bytes(), letter_id  # byte for byte
        assert brief.split(".")[1] == letter.edition
        enclosed = pdf_text(drafts / brief)
        if letter.edition == "public":  # never the restricted brief to a public letter
            assert "Gulbahor Pamirova-Canary" not in enclosed
            assert "RESTRICTED" not in enclosed
        else:
            assert "Gulbahor Pamirova-Canary" in enclosed
    manifest = json.loads((drafts / "manifest.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in manifest["files"]} >= set(expected_brief.values())


def test_attachment_names_read_well_and_are_encoded(drafts: Path) -> None:
    names = {
        letter_id: list(_attached(_draft(drafts / "letters" / f"{letter_id}.eml")))
        for letter_id in ("hr", "maire-ni-bhriain", DRAFTED_FR)
    }
    assert names == {
        "hr": [
            f"{ORG} – letter to Kaja Kallas.pdf",
            f"{ORG} – policy brief, restricted edition.pdf",
        ],
        "maire-ni-bhriain": [
            f"{ORG} – Máire Ní Bhriain üçün məktub.pdf",
            f"{ORG} – siyasət arayışı.pdf",
        ],
        DRAFTED_FR: [
            f"{ORG} – lettre à Ana de la Fuente Ruiz.pdf",
            f"{ORG} – note de plaidoyer.pdf",
        ],
    }
    raw = (drafts / "letters" / "hr.eml").read_bytes()
    # RFC 2231: the UTF-8 name percent-encoded, in the disposition and in the content type.
    assert b"filename*0*=utf-8''Pamir%E2%80%93Brussels%20Rights%20Network%20%E2%80%93" in raw
    assert b"name*0*=utf-8''Pamir%E2%80%93Brussels" in raw
    assert raw.isascii()


def test_attachment_names_are_safe_file_names() -> None:
    assert (
        attachment_name("Greens/EFA: Rights? <Network>", "pdf") == "Greens EFA Rights Network.pdf"
    )
    long = attachment_name("Rights Network – letter to " + "Maria Example, " * 20, "pdf")
    assert len(long) <= 160
    assert long.endswith("….pdf")
    assert attachment_name("...", "docx") == "document.docx"


NOTES = {
    "hr": [
        "[Restricted — not for publication]",  # a restricted letter's draft
        "Dear High Representative,",
        "Ahead of the EU–Tajikistan Human Rights Dialogue in Brussels on 12 June 2025, please "
        "find attached our letter, together with our policy brief “Rights in the Pamirs”.",
        "This is the restricted edition of the brief, shared with you in confidence: please do "
        "not publish or forward it.",
        "Yours sincerely,",
        "Firuza Shohzodamuhammadova",
        ORG,
    ],
    DRAFTED_FR: [
        "Madame,",
        "En vue de la réunion «\u00a0Dialogue UE–Tadjikistan sur les droits de l’homme\u00a0» "
        "(Bruxelles, 12 juin 2025), nous vous prions de trouver ci-joint notre lettre, "
        "accompagnée de notre note de plaidoyer «\u00a0Les droits dans le Pamir\u00a0».",
        "Nous vous prions d’agréer, Madame, l’expression de notre haute considération.",
        "Firuza Shohzodamuhammadova",
        ORG,
    ],
    "maire-ni-bhriain": [
        "Hörmətli xanım Ní Bhriain,",
        "“Aİ–Tacikistan insan hüquqları dialoqu” görüşü (Brüssel, 12 iyun 2025) ərəfəsində "
        "məktubumuzu və “Rights in the Pamirs” adlı siyasət arayışımızı əlavədə təqdim edirik.",
        "Hörmətlə,",
        "Firuza Shohzodamuhammadova",
        ORG,
    ],
}


@pytest.mark.parametrize("letter_id", list(NOTES))
def test_the_note_reads_naturally_in_the_letters_language(drafts: Path, letter_id: str) -> None:
    draft = _draft(drafts / "letters" / f"{letter_id}.eml")
    plain = draft.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().replace("\r\n", "\n").strip().split("\n\n") == NOTES[letter_id]
    html = draft.get_body(("html",))
    assert html is not None
    assert "our letter on the meeting" not in html.get_content()


def test_the_docx_is_attached_only_when_asked(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out"
    code, _, err = cli(
        "build", PAMIR, "-o", out, "-f", "pdf,docx,eml", "--recipient", "droi-chair", "-j", "1"
    )
    assert code == 0, err
    folder = out / "pamir-2025"
    draft = _draft(folder / "letters" / "droi-chair.eml")
    assert [n.rsplit(".", 1)[1] for n in _attached(draft)] == ["pdf", "pdf"]
    assert "public brief (en): built too, for the e-mail drafts" in err
    code, _, err = cli(
        "build",
        PAMIR,
        "-o",
        out,
        "-f",
        "pdf,docx,eml",
        "--recipient",
        "droi-chair",
        "--attach-docx",
        "-j",
        "1",
    )
    assert code == 0, err
    draft = _draft(folder / "letters" / "droi-chair.eml")
    attached = _attached(draft)
    assert list(attached) == [
        f"{ORG} – letter to Hannah Neumann.pdf",
        f"{ORG} – policy brief.pdf",
        f"{ORG} – letter to Hannah Neumann.docx",
    ]
    docx = attached[f"{ORG} – letter to Hannah Neumann.docx"]
    assert docx == (folder / "letters" / "droi-chair.docx").read_bytes()
    body = draft.get_body(("plain",))
    assert body is not None
    assert "The letter is also attached as a Word document." in body.get_content()


def test_a_draft_is_not_written_without_its_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = document.render_document

    def no_brief(renderer: object, doc: object, *options: object) -> object:
        if getattr(doc, "kind", "") == "brief":
            raise RenderError("the brief's logo is missing")
        return real(renderer, doc, *options)  # type: ignore[arg-type]

    monkeypatch.setattr(document, "render_document", no_brief)
    out = tmp_path / "out"
    report = build([PAMIR], out, formats=("pdf", "eml"), recipients=["droi-chair"], jobs=1)
    assert [(f.document, f.message) for f in report.failures] == [
        ("public brief (en)", "the brief's logo is missing")
    ]
    letters_folder = out / "pamir-2025" / "letters"
    assert sorted(p.name for p in letters_folder.iterdir()) == ["droi-chair.pdf"]
    assert (
        f"{PAMIR}: letter to droi-chair: eml draft not written: the brief it attaches, "
        "brief.public.en.pdf, was not built"
    ) in report.notices


def test_a_letter_in_a_language_the_brief_lacks_says_which_brief_it_attaches(
    drafts: Path, tmp_path: Path
) -> None:
    report = build([PAMIR], tmp_path, formats=("pdf", "eml"), recipients=["baku-desk"], jobs=1)
    assert report.ok
    assert (
        f"{PAMIR}: letter to baku-desk: the eml draft attaches brief.public.en.pdf: the brief is "
        "not written in az (campaign.languages)"
    ) in report.notices


def test_drafts_are_rebuilt_when_their_attachments_change(tmp_path: Path) -> None:
    first = build([PAMIR], tmp_path, formats=("pdf", "eml"), recipients=["droi-chair"], jobs=1)
    assert (first.rendered, first.failures) == (2, [])  # the brief, then the letter
    again = build([PAMIR], tmp_path, formats=("pdf", "eml"), recipients=["droi-chair"], jobs=1)
    assert (again.rendered, again.unchanged) == (0, 1)
    docx = build(
        [PAMIR],
        tmp_path,
        formats=("pdf", "eml"),
        recipients=["droi-chair"],
        jobs=1,
        attach_docx=True,
    )
    assert (docx.rendered, docx.unchanged) == (1, 1)  # the letter again; its brief is current
