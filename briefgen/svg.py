"""SVG pictures: parsed without network or external entities, sized, counted, made whole.

An SVG is read once by :func:`normalise`, which returns the SVG that every writer uses: the
XML declaration's entities expanded (Adobe Illustrator writes its namespaces as entities),
percentages in opacities written as numbers, scripts and metadata left out, and every
picture it shows embedded as a ``data:`` URL after being checked like any other picture.
What cannot be drawn safely is refused in words: no size, a loop of references, more shapes
than a document can draw in reasonable time, a reference to a file outside the campaign
folder or to the network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from .errors import PictureError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MAX_ELEMENTS = 50_000
"""Shapes an SVG may draw, counting each time a ``<use>`` repeats one: WeasyPrint draws
about 5,000 a second, in every document that shows the picture."""
MAX_DEPTH = 200
"""Elements nested in elements, and references followed from references."""

_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54}
_UNITS |= {"in": 96.0, "em": 16.0, "ex": 8.0}
_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*)\s*$")
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.DOTALL)
_EXTERNAL_ENTITY = re.compile(rb"<!ENTITY\s+%?\s*([\w.:-]+)\s+(?:SYSTEM|PUBLIC)\b")
_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
_OPACITY_ATTRIBUTES = ("opacity", "fill-opacity", "stroke-opacity", "stop-opacity", "flood-opacity")
_PERCENT = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+))%\s*$")
_STYLE_PERCENT = re.compile(r"((?:^|;)\s*(?:[a-z-]*opacity)\s*:\s*)([+-]?(?:\d+\.?\d*|\.\d+))%")
_PICTURE_ELEMENTS = {"image", "feImage"}
_FETCHING = {"use", "tref"}
"""The other elements whose reference to another file a renderer would read (for the rest,
renderers follow only the ``#fragment``)."""
_DROPPED = {"script", "metadata", "foreignObject"}


@dataclass(frozen=True)
class Svg:
    """An SVG made ready for the writers."""

    data: bytes
    width: float
    height: float
    """Its size in CSS pixels (1/96 inch)."""


Embed = Callable[[str, Path | None], tuple[str, Path | None]]
"""Turns a picture the SVG refers to (a ``data:`` URL, or a file) into a ``data:`` URL,
checking it like any picture; also returns the file it read, if any."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes) -> Any:
    """The root element of the SVG in ``data``, or :class:`PictureError` saying why not."""
    external = _EXTERNAL_ENTITY.search(data[:65536])
    if external:
        name = external.group(1).decode("ascii", "replace")
        raise PictureError(
            f"the SVG declares an external entity ('{name}'), which would read another file; "
            "remove it"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = re.sub(r",? line \d+, column \d+(?: \(.*\))?$", "", str(exc.msg or exc))
        if message.startswith("Excessive depth in document"):
            message = "elements are nested more than 256 deep"
        line, column = exc.position if exc.position else (None, None)
        where = f" (line {line}, column {column} of the SVG)" if line else ""
        raise PictureError(f"the SVG is not well-formed XML: {message}{where}") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise PictureError(f"the file is XML but not an SVG picture (it is <{name}>)")
    if etree.QName(root).namespace not in (None, SVG_NS):
        raise PictureError(
            f"the file is not an SVG picture (its <svg> is in '{etree.QName(root).namespace}', "
            f"not '{SVG_NS}')"
        )
    return root


def length(value: str | None) -> float | None:
    """A length attribute in CSS pixels; ``None`` if absent, a percentage or unreadable."""
    if value is None:
        return None
    match = _LENGTH.match(value)
    if not match or match.group(2).lower() not in _UNITS:
        return None
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


def size(root: Any) -> tuple[float, float]:
    """The size the SVG is drawn at by default, in CSS pixels, or :class:`PictureError`."""
    box = root.get("viewBox")
    view: tuple[float, float] | None = None
    if box is not None:
        numbers = re.split(r"[\s,]+", box.strip())
        try:
            x, y, w, h = (float(n) for n in numbers)
        except ValueError:
            raise PictureError(f"the SVG's viewBox '{box[:40]}' is not four numbers") from None
        if w <= 0 or h <= 0:
            raise PictureError(f"the SVG's viewBox '{box[:40]}' has no width or height")
        view = (w, h)
    width, height = length(root.get("width")), length(root.get("height"))
    if width is not None and height is not None:
        pass
    elif view is None:
        raise PictureError("the SVG has no width or height; give it a viewBox")
    elif width is not None:
        height = width * view[1] / view[0]
    elif height is not None:
        width = height * view[0] / view[1]
    else:
        width, height = view
    assert width is not None
    assert height is not None
    if width <= 0 or height <= 0:
        raise PictureError(
            f"the SVG's width or height is zero or less ({root.get('width')} × "
            f"{root.get('height')})"
        )
    return width, height


def _references(element: Any) -> list[str]:
    """The ``#id`` an element draws or paints with (its href, ``url(#id)`` values)."""
    found = []
    href = element.get(XLINK_HREF) or element.get("href")
    if href and href.strip().startswith("#") and etree.QName(element).localname != "a":
        found.append(href.strip()[1:])
    for name, value in element.attrib.items():
        if name not in (XLINK_HREF, "href") and "url(" in value:
            found.extend(u[1:] for _q, u in _URL.findall(value) if u.startswith("#"))
    return found


def count(root: Any) -> int:
    """How many elements drawing ``root`` visits, following references; refuses loops.

    Raises :class:`PictureError` when an element refers to itself (directly or through
    others) or when the count passes :data:`MAX_ELEMENTS`.
    """
    ids: dict[str, Any] = {}
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id") is not None:
            ids.setdefault(element.get("id"), element)
    done: dict[Any, int] = {}
    active: set[Any] = set()

    def visit(element: Any, depth: int) -> int:
        if element in done:
            return done[element]
        if depth > MAX_DEPTH:
            raise PictureError(f"the SVG nests elements or references more than {MAX_DEPTH} deep")
        active.add(element)
        total = 1
        for target in _references(element):
            other = ids.get(target)
            if other is None:
                continue
            if other in active:
                raise PictureError(
                    f"the SVG refers to '#{target}' from inside '#{target}', an endless loop"
                )
            total += visit(other, depth + 1)
            if total > MAX_ELEMENTS:
                break
        for child in element:
            if isinstance(child.tag, str):
                total += visit(child, depth + 1)
            if total > MAX_ELEMENTS:
                break
        active.discard(element)
        if total > MAX_ELEMENTS:
            raise PictureError(
                f"the SVG draws more than {MAX_ELEMENTS:,} shapes (counting each repeat of a "
                "<use>); simplify it"
            )
        done[element] = total
        return total

    return visit(root, 0)


def _outside(reference: str) -> PictureError:
    return PictureError(
        f"the SVG refers to '{reference[:100]}'; a picture may use only files from the "
        "campaign folder (embed it in the SVG, or save it next to the campaign file)"
    )


def _local(reference: str, folder: Path | None) -> Path:
    """The file a reference in an SVG names, or :class:`PictureError` if it names none."""
    parts = urlsplit(reference)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        return Path(unquote(parts.path))
    if parts.scheme or parts.netloc or folder is None:
        raise _outside(reference)
    return folder / unquote(parts.path)


def _fix_opacity(element: Any) -> None:
    """Opacities written as percentages (CSS Color 4) as numbers, which every renderer
    reads."""
    for name in _OPACITY_ATTRIBUTES:
        value = element.get(name)
        match = _PERCENT.match(value) if value is not None else None
        if match:
            element.set(name, f"{float(match.group(1)) / 100:g}")
    style = element.get("style")
    if style and "%" in style:
        element.set("style", _STYLE_PERCENT.sub(lambda m: f"{m[1]}{float(m[2]) / 100:g}", style))


def _check_styles(text: str, embed: Embed) -> None:
    """Refuse styles that would read a file; check the pictures they embed."""
    if _IMPORT.search(text):
        raise PictureError("the SVG's styles import another file (@import); put them in the SVG")
    for _quote, url in _URL.findall(text):
        if url.startswith("data:image/"):
            embed(url, None)  # within the limits, though no renderer here draws it
        elif not url.startswith(("#", "data:")):
            raise _outside(url)


def _ignored(element: Any) -> bool:
    """Elements no renderer draws: other vocabularies (an editor's notes, test suite
    descriptions, XInclude), scripts, metadata, foreign objects."""
    if not isinstance(element.tag, str):
        return False
    name = etree.QName(element)
    return name.namespace not in (None, SVG_NS) or name.localname in _DROPPED


def normalise(data: bytes, folder: Path | None, embed: Embed) -> Svg:
    """Check the SVG in ``data`` and return it ready to draw.

    ``folder`` is where the SVG's relative references start (``None``: it has none, an SVG
    from a ``data:`` URL); ``embed`` checks each picture it shows and returns it as a
    ``data:`` URL. Raises :class:`PictureError`.
    """
    root = parse(data)
    width, height = size(root)
    for element in [e for e in root.iter() if e is not root and _ignored(e)]:
        parent = element.getparent()
        if parent is not None:  # not inside one removed already
            parent.remove(element)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        for attribute in [a for a in element.attrib if a.startswith("on")]:
            del element.attrib[attribute]  # event handlers: nothing runs them here
        _fix_opacity(element)
        element.attrib.pop(XML_BASE, None)  # references are resolved here, once
        if name == "style":
            _check_styles(element.text or "", embed)
        for attribute, value in element.attrib.items():
            if attribute == "style" or "url(" in value:
                _check_styles(value, embed)
        for attribute in (XLINK_HREF, "href"):
            reference = (element.get(attribute) or "").strip()
            if not reference or reference.startswith("#"):
                continue
            if name in _PICTURE_ELEMENTS:
                element.set(attribute, embed(reference, folder)[0])
            elif name in _FETCHING:
                raise PictureError(
                    f"the SVG uses '{reference[:100]}' from another file; briefgen draws "
                    "only SVGs that hold everything they draw"
                )
            # Links, gradients, text paths...: renderers follow their #fragment only.
    count(root)
    text = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Svg(text, width, height)


def embed_reference(
    reference: str,
    folder: Path | None,
    roots: Sequence[Path],
    open_file: Callable[[Path], tuple[str, Path | None]],
    open_data: Callable[[str], str],
) -> tuple[str, Path | None]:
    """Resolve a picture an SVG refers to: a ``data:`` URL is checked by ``open_data``, a
    file inside ``roots`` by ``open_file``; anything else is refused."""
    if reference.startswith("data:"):
        return open_data(reference), None
    path = _local(reference, folder).resolve()
    if not any(path.is_relative_to(root) for root in roots):
        raise PictureError(
            f"the SVG refers to a file outside the campaign folder: '{reference[:100]}'"
        )
    if not path.is_file():
        raise PictureError(f"the SVG refers to a file that does not exist: '{reference[:100]}'")
    return open_file(path)
