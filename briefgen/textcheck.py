"""The rules for what campaign text may contain, the same wherever the text was written.

A text reaches a document from the campaign file, from an import's ``defaults`` or
``overrides``, or from a cell of an imported CSV file. ``check`` applies the same rules to
each, as the build reads them: Markdown fields (:data:`MARKDOWN_FIELDS`) may cite sources
(``[@id]``, which must exist) and hold web or mail links; every other text is printed as
written, so a citation there would be printed as typed and is refused. A copy (``cc``) is a
name, an address, or "Name <address>".
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from . import citations, markdown
from .errors import Problem, did_you_mean
from .fields import LANGUAGES, _email
from .imports import Origin
from .loader import Loaded, PathKey
from .model import Campaign, LocalText, Recipient

MARKDOWN_FIELDS = frozenset({"summary", "body", "note", "restricted_note", "opening", "closing"})
"""Fields rendered as Markdown: the only ones whose citations become footnotes."""

NOT_TEXT = frozenset(
    {"id", "url", "website", "email", "logo", "templates", "reference_docx", "from", "format"}
)
"""Keys whose values are not printed text (ids, addresses, paths): no text rules apply."""

PRINTED_STRINGS = frozenset({"cc", "email", "honorific", "website", "url", "number", "application"})
"""Fields that are never translated but are printed (in a document or an e-mail draft)."""


def field_name(path: PathKey) -> str | None:
    """The field a value at ``path`` belongs to: ``("cases", 2, "summary", "fr")`` and
    ``("recipients", 0, "address", 1)`` are ``summary`` and ``address``."""
    for k in range(len(path) - 1, -1, -1):
        part = path[k]
        if isinstance(part, int):
            continue
        if part in LANGUAGES and k > 0 and not isinstance(path[k - 1], int):
            continue  # a translation: {en: ..., fr: ...}
        return str(part)
    return None


def text_problems(field: str, text: str, sources: set[str]) -> list[tuple[int | None, str]]:
    """(offset in ``text`` or ``None`` for the whole value, message) of every problem of the
    value ``text`` of ``field``."""
    found: list[tuple[int | None, str]] = []
    if field in MARKDOWN_FIELDS:
        for href, message in markdown.bad_links(text):
            offset = text.find(href) if href else -1
            found.append((offset if offset >= 0 else None, message))
        for offset, group in citations.find(text):
            for cite in group:
                if cite.source not in sources:
                    found.append(
                        (
                            offset,
                            f"citation of unknown source '{cite.source}'"
                            + did_you_mean(cite.source, sources),
                        )
                    )
    elif field not in NOT_TEXT:
        for match in citations.CITATION.finditer(text):
            found.append(
                (
                    match.start(),
                    f"'{field}' is plain text: the citation '{match.group()}' would be printed "
                    "as typed; cite sources in a Markdown field (note, body, summary, "
                    "restricted_note, opening, closing)",
                )
            )
    return found


def cc_problem(entry: str) -> str | None:
    """Why a ``cc`` entry is not a name, an address or "Name <address>" (``None``: it is)."""
    from .protocol import contact

    name, mail = contact(entry)
    if mail is not None:
        try:
            _email(mail)
        except ValueError as exc:
            return str(exc)
        return None
    if "@" in entry or "<" in entry or ">" in entry:
        return (
            f"'{entry}' is not a name, an e-mail address or 'Name <address>'; "
            "write one copy per entry"
        )
    return None


def _values(value: Any) -> list[tuple[tuple[int, ...], str]]:
    """(index in a list or (), text) of every text of a field's value."""
    if isinstance(value, LocalText):
        return [((), text) for text in value.texts()]
    if isinstance(value, str):
        return [((), value)]
    if isinstance(value, list):
        return [((j,), text) for j, item in enumerate(value) for _, text in _values(item)]
    return []


def imported_problems(
    people: list[Recipient], origins: list[Origin], loaded: Loaded, sources: set[str]
) -> list[Problem]:
    """The problems of every recipient's text that the campaign file does not hold: the
    values read from an import file's rows, each reported at its cell. (What the campaign
    file holds, ``defaults`` and ``overrides`` included, is checked there.) And the ``cc``
    entries of every recipient, wherever they were written."""
    problems = []
    for person, origin in zip(people, origins, strict=True):
        for name in type(person).model_fields:
            from_file = origin.imported and name not in origin.overridden | origin.defaulted
            if not from_file and name != "cc":
                continue
            for index, text in _values(getattr(person, name)):
                file, line, column, what = origin.where(loaded, name, *index)
                found = text_problems(name, text, sources) if from_file else []
                if name == "cc" and (message := cc_problem(text)):
                    found.append((None, message))
                problems += [Problem(file, message, line, column, what) for _, message in found]
    return problems


def printed_strings(model: BaseModel, path: PathKey = ()) -> list[tuple[PathKey, LocalText]]:
    """(path, text) of every printed field of ``model`` that is not translatable (copies,
    e-mail and web addresses, honorifics, document numbers), nested models included."""
    found: list[tuple[PathKey, LocalText]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, str) and name in PRINTED_STRINGS and item.strip():
                found.append((where, LocalText(plain=item)))
            elif isinstance(item, BaseModel):
                found.extend(printed_strings(item, where))
    return found


def with_source_reach(
    campaign: Campaign, texts: list[tuple[PathKey, LocalText, str]]
) -> list[tuple[PathKey, LocalText, str]]:
    """``texts`` (path, text, edition) with each source's texts given the edition the source
    reaches: public if a public text or a public case refers to it, or nothing does (the
    public brief then lists it); restricted if only confidential material refers to it (a
    source about a restricted case may carry the person's name in its title or address)."""
    referenced: set[str] = set()
    public: set[str] = set()
    for path, text, edition in texts:
        if path[0] == "sources":
            continue
        cited = citations.sources_cited(text)
        referenced |= cited
        if edition == "public":
            public |= cited
    for case in campaign.cases:
        referenced |= case.source_ids()
        if case.visibility == "public":
            public |= case.source_ids()
    found = []
    for path, text, edition in texts:
        if path[0] == "sources" and isinstance(path[1], int):
            source = campaign.sources[path[1]].id
            if source in referenced and source not in public:
                edition = "restricted"
        found.append((path, text, edition))
    return found
