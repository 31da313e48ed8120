"""The send pack: what an e-mail draft attaches besides the letter, and the briefs a build
must write first so that the drafts can attach them.

A letter says "Enclosure: ... (policy brief, restricted edition)"; its draft attaches that
brief, the very PDF the build wrote into the output folder (byte for byte), in the letter's
edition and language (see :func:`briefgen.plan.enclosure`). When a build is asked for
letters only (``--only letters``, ``--recipient``) with ``-f eml``, the briefs the drafts
attach are built too (as PDF), before the letters.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .model import Campaign
from .plan import DocumentKey, DocumentPlan, enclosure

ATTACHABLE = ("pdf", "docx")
"""Formats of the letter a draft may attach: the PDF always, the DOCX when asked."""


def attached(attach_docx: bool) -> list[str]:
    """What a draft attaches (part of its cache key): the brief, the letter as PDF, and with
    ``attach_docx`` the letter as DOCX."""
    return ["brief", "pdf", *(["docx"] if attach_docx else [])]


def enclosures(
    campaign: Campaign, documents: Iterable[DocumentPlan]
) -> dict[DocumentKey, DocumentPlan]:
    """The briefs the e-mail drafts of ``documents`` attach (letters without an e-mail
    address have no draft, so need none)."""
    found = {}
    for doc in documents:
        letter = doc.letter
        if letter is not None and any(person.email for person in letter.to):
            brief = enclosure(campaign, letter)
            found[brief.key] = brief
    return found


def draft_files(
    campaign: Campaign,
    doc: DocumentPlan,
    folder: Path,
    produced: dict[str, bytes],
    attach: tuple[str, ...],
) -> tuple[dict[str, bytes] | None, list[str]]:
    """The files the draft of letter ``doc`` attaches, from what was ``produced`` for it and
    the brief in ``folder``; ``None`` and the reason if the brief is not there (it failed).

    Also returns notes: the brief attached is in another language than the letter.
    """
    from .write.eml import BRIEF

    assert doc.letter is not None
    files = {fmt: produced[fmt] for fmt in attach if fmt in produced}
    if not any(person.email for person in doc.letter.to):
        return files, []  # no draft: the writer says why
    brief = enclosure(campaign, doc.letter)
    path = brief.path("pdf")
    notes = []
    try:
        data = (folder / path).read_bytes()
    except OSError:
        return None, [f"eml draft not written: the brief it attaches, {path}, was not built"]
    if brief.language != doc.language:
        notes.append(
            f"the eml draft attaches {path}: the brief is not written in {doc.language} "
            "(campaign.languages)"
        )
    files[BRIEF] = data
    return files, notes
