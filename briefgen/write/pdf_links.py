"""Descriptions of PDF links (the annotation's ``Contents``), made of text the document shows.

PDF/UA asks every link annotation for a description (ISO 14289-1, 7.18.5). A description is
read out instead of, or beside, the link text, so it must say where the link goes; and since
it is hidden from sight, it must not carry anything the page does not: a public document
never names someone in a link description that it does not print. So every description is
built from the document's own visible text:

- a link whose text says where it goes keeps it ("Human Rights Watch");
- a link to a place in the document ("#case-2", "#source-1") is described by that place: its
  heading or its text, and the heading of the section it is in ("Khadija Ismayilova (Annex:
  cases)");
- a bare URL (the link text is the address) is described by the citation or the clause it
  ends ("Human Rights Watch, World Report 2020, 14 January 2020"; "The full text"), else the
  one it starts, else by the address without its scheme.

An ``aria-label`` (or ``title``) on the ``<a>`` of a template wins over all of these.
"""

from __future__ import annotations

import re
from typing import Protocol
from xml.etree.ElementTree import Element

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = {"li", "p", "td", "th", "dd", "dt", "blockquote", "figcaption", "caption", "address"}
_URL = re.compile(r"(?:https?://|mailto:)\S+")
LIMIT = 160
"""Longest description, in characters (a description is a label, not a paragraph)."""


class Tree(Protocol):
    """The HTML tree a link is in: its elements' parents, and its elements by id."""

    parents: dict[Element, Element]
    ids: dict[str | None, Element]


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def shorten(text: str, limit: int = LIMIT) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


def _bare(address: str) -> str:
    """An address as people write it: no scheme, no ``www.``, no final slash."""
    address = re.sub(r"^(?:https?://|mailto:)", "", address.strip(), flags=re.IGNORECASE)
    return address.removeprefix("www.").rstrip("/")


def _heading(element: Element) -> Element | None:
    """The first heading inside ``element`` (or ``element`` itself, if it is one)."""
    if element.tag in _HEADINGS:
        return element
    return next((e for e in element.iter() if e.tag in _HEADINGS), None)


def _section_title(element: Element, tree: Tree) -> str:
    """The heading of the nearest section around ``element`` (that is not its own)."""
    parent = tree.parents.get(element)
    while parent is not None:
        heading = next((c for c in parent if c.tag in _HEADINGS), None)
        if heading is not None and heading is not _heading(element):
            return _text(heading)
        parent = tree.parents.get(parent)
    return ""


def _without_urls(text: str) -> str:
    return " ".join(_URL.sub("", text).split()).strip(" ,;:.")


def describe_link(anchor: Element, tree: Tree) -> str:
    """The description of the link ``anchor`` (an ``<a href>``) in ``tree``."""
    label = anchor.get("aria-label") or anchor.get("title")
    if label and label.strip():
        return shorten(" ".join(label.split()))
    text = _text(anchor)
    href = anchor.get("href") or ""
    if href.startswith("#"):
        target = tree.ids.get(href[1:])
        if target is None:
            return text or href
        heading = _heading(target)
        title = _text(heading) if heading is not None else _without_urls(_text(target))
        if text and re.search(r"\w", text) and text not in title:
            title = f"{text}: {title}" if title else text
        section = _section_title(target, tree)
        return shorten(f"{title} ({section})" if section and section != title else title)
    if text and _bare(text).casefold() != _bare(href).casefold():
        return shorten(text)
    block = tree.parents.get(anchor)
    while (
        block is not None
        and block.tag not in _BLOCKS
        and "footnote" not in (block.get("class") or "").split()
    ):
        block = tree.parents.get(block)
    before, after = _around(anchor, block) if block is not None else ("", "")
    for context in (before, after):
        if len(re.findall(r"\w+", context)) >= 2:
            return shorten(context)
    return shorten(_bare(href) or text)


def _around(anchor: Element, block: Element) -> tuple[str, str]:
    """The clause of ``block`` before ``anchor`` and the one after it: the text between
    ``anchor`` and the nearest other link, semicolon (between two citations) or the block's
    edge, without addresses."""
    before: list[str] = []
    after: list[str] = []
    current = before

    def walk(element: Element) -> None:
        nonlocal current
        if element is anchor:
            current = after
        elif element.tag == "a" and element is not block:  # another link: a clause ends
            current.append(";")
        else:
            current.append(element.text or "")
            for child in element:
                walk(child)
                current.append(child.tail or "")

    walk(block)
    return (
        _without_urls("".join(before).split(";")[-1]),
        _without_urls("".join(after).split(";")[0]),
    )
