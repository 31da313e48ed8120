"""Who gets which letter: the list ``briefgen recipients`` shows before anything is sent.

Each recipient with their letter's language, edition, salutation and demands, and, once
the letter is built and up to date with the campaign, its number of pages (read from the
PDF in the output folder), so a person can read down the list before sending 700 letters.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import cache, context, i18n
from .model import Campaign, visible
from .plan import DocumentPlan, letters
from .render import Renderer

NOT_BUILT = "not built"
OUT_OF_DATE = "out of date"


@dataclass(frozen=True)
class Entry:
    """One recipient of one letter."""

    letter: str
    """The letter's files without extension, relative to the output folder."""
    name: str
    role: str
    language: str
    edition: str
    email: str | None
    salutation: str
    pages: int | None
    """Pages of the letter's PDF, if it is built and up to date."""
    state: str
    """"2 pages", "not built" or "out of date"."""
    demands: tuple[str, ...]
    """The demands the letter shows (those its edition may show)."""


def roster(campaign_file: Path, campaign: Campaign, output: Path) -> list[Entry]:
    """Every recipient of ``campaign``, letter by letter, with the state of the letter's PDF
    in ``output/<campaign id>/``."""
    folder = output / campaign.campaign.id
    renderer = Renderer(campaign, campaign_file)
    keys = cache.Keys(
        campaign, renderer.folders, renderer.reference_docx, i18n.LOCALE_DIR, campaign_file
    )
    outputs = cache.OutputFolder.open(output, campaign_file, campaign, keys, ())
    found = []
    for letter in letters(campaign):
        doc = DocumentPlan("letter", letter.edition, letter.language, letter)
        relative = doc.path("pdf").as_posix()
        path = folder / relative
        pages = None
        if not path.is_file():
            state = NOT_BUILT
        elif outputs.is_current(doc, "pdf"):
            pages = pdf_pages(path.read_bytes())
            state = f"{pages} page{'s' if pages != 1 else ''}" if pages else OUT_OF_DATE
        else:
            state = OUT_OF_DATE
        greeting = context.letter_salutation(campaign, letter)
        # The demands the letter shows: a public letter never lists a restricted demand.
        asks = tuple(
            d.id
            for d in campaign.demands
            if d.id in letter.demands and visible(d.visibility, letter.edition)
        )
        for person in letter.to:
            found.append(
                Entry(
                    doc.path("pdf").with_suffix("").as_posix(),
                    person.name.resolve(letter.language, letter.language)[0],
                    person.role,
                    letter.language,
                    letter.edition,
                    person.email,
                    greeting,
                    pages,
                    state,
                    asks,
                )
            )
    return found


def table(campaign_file: Path, campaign: Campaign, entries: list[Entry]) -> list[str]:
    """The lines ``briefgen recipients`` prints for ``entries``: a title, a table with a
    column per field (demands last, as they vary most in length), a count of those without
    an e-mail address."""
    header = ("LETTER", "TO", "ROLE", "LANG", "EDITION", "PAGES", "E-MAIL", "SALUTATION")
    rows = [header] + [
        (e.letter, e.name, e.role, e.language, e.edition, e.state, e.email or "-", e.salutation)
        for e in entries
    ]
    demands = ["DEMANDS", *(",".join(e.demands) or "-" for e in entries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    count = len({e.letter for e in entries})
    lines = [f"{campaign_file}: {campaign.campaign.id}: {len(entries)} recipients, {count} letters"]
    for row, asks in zip(rows, demands, strict=True):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + "  " + asks)
    missing = sum(1 for e in entries if not e.email)
    if missing:
        lines.append(f"{missing} recipients have no e-mail address (no e-mail draft for them)")
    return lines


_OBJECT_STREAM = re.compile(
    rb"\d+\s+\d+\s+obj\s*<<((?:(?!>>).)*?/Type\s*/ObjStm(?:(?!>>).)*)>>\s*stream\r?\n", re.DOTALL
)
_PAGES = (
    re.compile(rb"/Type\s*/Pages\b(?:(?!>>|<<).)*?/Count\s+(\d+)", re.DOTALL),
    re.compile(rb"/Count\s+(\d+)(?:(?!>>|<<).)*?/Type\s*/Pages\b", re.DOTALL),
)


def pdf_pages(data: bytes) -> int | None:
    """The number of pages of the PDF ``data`` as briefgen writes it (its page tree may sit
    in compressed object streams), or ``None`` if it cannot be found."""
    bodies = [data]
    for match in _OBJECT_STREAM.finditer(data):
        try:
            bodies.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    counts = [
        int(m.group(1)) for body in bodies for pattern in _PAGES for m in pattern.finditer(body)
    ]
    return max(counts) if counts else None
