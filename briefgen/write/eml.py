"""E-mail draft writer: one RFC 5322 message per letter, with the letter attached.

briefgen never sends anything: the ``.eml`` file opens in Thunderbird or Outlook as a draft
(``X-Unsent: 1``) for a person to review and send.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from markupsafe import Markup, escape

from .. import i18n, names, protocol
from ..errors import BriefgenError, RenderError
from ..render import Rendered

MEDIA_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


class NoEmailAddress(BriefgenError):
    """The letter has no recipient with an e-mail address, so no draft can be addressed."""


def _address(name: str, mail: str) -> Address:
    user, _, domain = mail.partition("@")
    return Address(display_name=name, username=user, domain=domain)


def write_eml(rendered: Rendered, produced: Mapping[str, bytes] | None = None) -> bytes:
    """An e-mail draft of the letter ``rendered``, attaching its PDF (and DOCX if built).

    ``produced`` holds the other formats already written for this letter; a PDF is printed
    here if the build does not write one. Raises :class:`NoEmailAddress` when no recipient
    has an address, :class:`RenderError` when the organisation has none.
    """
    from .pdf import write_pdf

    letter = rendered.plan.letter
    context = rendered.meta.context
    if letter is None:  # pragma: no cover - the plan gives e-mail drafts to letters only
        raise RenderError("only letters have e-mail drafts")
    org = context["organisation"]
    to = [(r["name"], r["email"]) for r in context["recipients"] if r["email"]]
    if not to:
        names_ = ", ".join(r["name"] for r in context["recipients"])
        raise NoEmailAddress(f"no e-mail address for {names_}")
    if not org["email"]:
        raise RenderError("e-mail drafts need organisation.email (the sender's address)")
    produced = dict(produced or {})
    if "pdf" not in produced:
        produced["pdf"] = write_pdf(rendered)

    message = EmailMessage(policy=SMTP)
    message["From"] = _address(org["name"], org["email"])
    message["Reply-To"] = _address(org["name"], org["email"])
    message["To"] = [_address(name, mail) for name, mail in to]
    copies = [protocol.contact(c) for person in letter.to for c in person.cc]
    with_mail = [(name, mail) for name, mail in copies if mail]
    if with_mail:
        message["Cc"] = [_address(name, mail) for name, mail in with_mail]
    message["Subject"] = rendered.meta.subject
    message["Date"] = format_datetime(
        dt.datetime.combine(rendered.meta.date, dt.time(9, 0), tzinfo=dt.UTC)
    )
    message["X-Unsent"] = "1"

    gettext = i18n.translations(rendered.meta.language)
    event = context["event"]
    intro = gettext.gettext(i18n.EMAIL_BODY) % {
        "event": event["name"],
        "place": event["place"],
        "date": event["date"],
    }
    stem = f"{names.slug(org['name'])}-{letter.id}"
    files = [f"{stem}.{fmt}" for fmt in MEDIA_TYPES if fmt in produced]
    attached = gettext.gettext(i18n.EMAIL_ATTACHED) % {"files": ", ".join(files)}
    signers = [s["name"] for s in context["signatories"]]
    plain = (
        "\n\n".join(
            [
                context["salutation"],
                intro,
                attached,
                context["closing"],
                "\n".join(signers),
                org["name"],
            ]
        )
        + "\n"
    )
    message.set_content(plain, subtype="plain", charset="utf-8", cte="quoted-printable")
    paragraphs = [
        context["salutation"],
        intro,
        attached,
        context["closing"],
        Markup("<br>").join(signers),
    ]
    html = (
        f'<!DOCTYPE html><html lang="{escape(context["doc"]["html_lang"])}"><body>'
        + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        + f"<p>{escape(org['name'])}</p></body></html>"
    )
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for fmt, (main, sub) in MEDIA_TYPES.items():
        if fmt in produced:
            message.add_attachment(
                produced[fmt], maintype=main, subtype=sub, filename=f"{stem}.{fmt}"
            )
    message["Content-Language"] = rendered.meta.tag
    # Fixed MIME boundaries, so the same letter gives the same bytes.
    seed = hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_briefgen_{number}_{seed}")
    return message.as_bytes()
