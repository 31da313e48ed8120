"""E-mail draft writer: one RFC 5322 message per letter, carrying what the letter announces.

A draft attaches the letter as PDF and the policy brief it encloses (the brief of the
letter's edition and language, the very file the build wrote), and the letter as DOCX only
when asked. briefgen never sends anything: the ``.eml`` file opens in Thunderbird or Outlook
as a draft (``X-Unsent: 1``) for a person to review and send.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from markupsafe import Markup, escape

from ..errors import BriefgenError, RenderError
from ..render import Rendered
from .mailheaders import address_list, mailbox

MEDIA_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
BRIEF = "brief"
"""The key of the enclosed brief's PDF among the files handed to :func:`write_eml`."""
MAX_NAME = 150
"""Characters an attachment's name may have before its extension."""

# Characters Windows and macOS refuse in file names, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


class NoEmailAddress(BriefgenError):
    """The letter has no recipient with an e-mail address, so no draft can be addressed."""


def attachment_name(text: str, extension: str) -> str:
    """A file name that reads as ``text`` (an organisation's name kept as written), with the
    characters file systems refuse replaced and a length every mail client accepts."""
    name = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rsplit(" ", 1)[0].rstrip(" ,–-") + "…"
    return f"{name or 'document'}.{extension}"


def write_eml(rendered: Rendered, produced: Mapping[str, bytes] | None = None) -> bytes:
    """An e-mail draft of the letter ``rendered``.

    ``produced`` holds the files to attach: ``"pdf"`` the letter (printed here if absent),
    ``"docx"`` the letter as DOCX (attached only if present), :data:`BRIEF` the PDF of the
    brief the letter encloses (required). Raises :class:`NoEmailAddress` when no recipient
    has an address, :class:`RenderError` when the organisation has none or the brief is
    missing.
    """
    letter = rendered.envelope
    if letter is None:  # pragma: no cover - the plan gives e-mail drafts to letters only
        raise RenderError("only letters have e-mail drafts")
    org_name, org_email = letter.sender
    to = [(name, mail) for name, mail in letter.recipients if mail]
    if not to:
        names_ = ", ".join(name for name, _mail in letter.recipients)
        raise NoEmailAddress(f"no e-mail address for {names_}")
    if not org_email:
        raise RenderError("e-mail drafts need organisation.email (the sender's address)")
    files = dict(produced or {})
    if BRIEF not in files:
        raise RenderError("the e-mail draft needs the PDF of the brief the letter encloses")
    if "pdf" not in files:  # pragma: no cover - the document stage prints it first
        raise RenderError("the e-mail draft needs the PDF of the letter")

    message = EmailMessage(policy=SMTP)
    # Address headers are written as they must read (see mailheaders), not refolded.
    sender = mailbox(org_name, org_email)
    message.set_raw("From", address_list([sender], "From"))
    message.set_raw("Reply-To", address_list([sender], "Reply-To"))
    message.set_raw("To", address_list([mailbox(name, mail) for name, mail in to], "To"))
    with_mail = [mailbox(name, mail) for name, mail in dict.fromkeys(letter.copies) if mail]
    if with_mail:
        message.set_raw("Cc", address_list(with_mail, "Cc"))
    restricted = rendered.plan.edition == "restricted"
    marking = rendered.meta.marking
    # A restricted draft says so where a reader looks first: the subject (and Outlook's
    # sensitivity banner), then the first line of the message.
    message["Subject"] = (
        f"[{marking}] {rendered.meta.subject}" if restricted else rendered.meta.subject
    )
    if restricted:
        message["Sensitivity"] = "Company-Confidential"
    message["Date"] = format_datetime(
        dt.datetime.combine(rendered.meta.date, dt.time(9, 0), tzinfo=dt.UTC)
    )
    message["X-Unsent"] = "1"

    note = [*letter.note, *([letter.docx_note] if "docx" in files else [])]
    signers = list(letter.signatories)
    heading = [f"[{marking}]"] if restricted else []
    plain = (
        "\n\n".join(
            [
                *heading,
                letter.salutation,
                *note,
                letter.closing,
                "\n".join(signers),
                org_name,
            ]
        )
        + "\n"
    )
    message.set_content(plain, subtype="plain", charset="utf-8", cte="quoted-printable")
    paragraphs = [letter.salutation, *note, letter.closing, Markup("<br>").join(signers)]
    html = (
        f'<!DOCTYPE html><html lang="{escape(letter.html_lang)}"><body>'
        + "".join(f'<p class="marking"><strong>{escape(m)}</strong></p>' for m in heading)
        + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        + f"<p>{escape(org_name)}</p></body></html>"
    )
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")

    attachments = [
        (files["pdf"], "pdf", letter.letter_title),
        (files[BRIEF], "pdf", letter.brief_title),
    ]
    if "docx" in files:
        attachments.append((files["docx"], "docx", letter.letter_title))
    for data, fmt, name in attachments:
        main, sub = MEDIA_TYPES[fmt]
        filename = attachment_name(name, fmt)
        message.add_attachment(
            data, maintype=main, subtype=sub, filename=filename, params={"name": filename}
        )
    message["Content-Language"] = rendered.meta.tag
    # Fixed MIME boundaries, so the same letter gives the same bytes.
    seed = hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_briefgen_{number}_{seed}")
    # Headers set raw (the addresses) are written as they are; the others fold themselves.
    return message.as_bytes(policy=SMTP.clone(refold_source="none"))
