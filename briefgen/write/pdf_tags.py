"""PDF/UA repairs of the structure tree WeasyPrint writes, made before the file is written.

WeasyPrint 70 tags a document from its boxes (``weasyprint/pdf/tags.py``), but leaves what
PDF/UA-1 (ISO 14289-1, and the Matterhorn protocol that checks it) counts as failures, or
what a screen reader gets wrong. briefgen repairs the pydyf objects in WeasyPrint's
``finisher`` hook, just before they are written: no second parse, a few milliseconds, and the
bytes stay reproducible. Upstream issues, to drop a repair once WeasyPrint fixes it:

- running headers and footers (``@page`` margin boxes) are marked content whose structure
  elements are not reachable from the tree (Kozea/WeasyPrint#1836, #2829): they become
  pagination artifacts (Matterhorn 18-001);
- block children of ``<li>`` (a heading, paragraphs) sit beside ``LBody`` (#1837, #2505) and
  a nested list is hoisted out of its item, before the item's following text (#2874): each
  item becomes ``Lbl`` and one ``LBody`` holding its content in order (Matterhorn 09-005);
- tags inside a link (``<a><em>…</em></a>``) carry their own link annotation inside a
  non-Link element (#185): the annotation moves to the Link (Matterhorn 28-011);
- footnote calls and bodies are plain spans: they become ``Reference`` and ``Note`` with an
  ``ID`` (Matterhorn 19-003), the note following its call;
- a link annotation's ``Contents`` is its target ("case-2", a bare URL): it gets a description
  made of text the document shows (the link's text, what it points to, or the citation it is
  in), so a public document says nothing it does not already print;
- ``lang`` attributes inside the document are dropped: their elements get ``Lang``.

Repairs outside the structure tree (text layer, metadata, streams) are in ``pdf_fixes``.

The repairs need to know which box each structure element was made for. WeasyPrint creates
the elements in the order it walks the boxes (:func:`_walk` follows that walk), so the two
sequences are matched one to one and checked element by element; a WeasyPrint whose tagging
differs fails the document with a clear message rather than writing a wrong tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

import pydyf
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from ..errors import RenderError
from .pdf_links import describe_link

_INLINE = {"/Span", "/Link", "/NonStruct", "/Lbl", "/Reference", "/Note", "/Quote", "/Code"}


@dataclass(frozen=True)
class _Node:
    """A structure element and the box WeasyPrint made it for."""

    box: Any
    element: pydyf.Dictionary
    page: int
    ancestors: tuple[Any, ...]
    """The boxes around ``box``, outermost first."""
    margin: str | None
    """The at-keyword of the page margin box it is in (``@top-center``), if any."""
    text: bool
    """The span WeasyPrint makes around the text of one text box."""


def repair(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """Repair the structure tree and the link descriptions of ``pdf`` in place.

    ``document`` is the rendered document ``pdf`` was generated from. Untagged variants
    (PDF/A-3b, PDF/A-3u) have no tree: nothing to do.
    """
    if "StructTreeRoot" not in pdf.catalog:
        return
    tree = _Tree(pdf, _match(document, pdf))
    tree.artifacts()
    tree.lists()
    tree.links(document)
    tree.footnotes()
    tree.languages()
    tree.id_tree()


# -- matching boxes and elements ---------------------------------------------------------


_TAGS = {
    "div": "Div",
    "span": "Span",
    "main": "Part",
    "article": "Art",
    "section": "Sect",
    "blockquote": "BlockQuote",
    "p": "P",
    "li::marker": "Lbl",
    "table": "Table",
    "img": "Figure",
    "{http://www.w3.org/2000/svg}svg": "Figure",
    "caption": "Caption",
    "figcaption": "Caption",
    "tr": "TR",
    "th": "TH",
    "td": "TD",
    "thead": "THead",
    "tbody": "TBody",
    "tfoot": "TFoot",
    **{f"h{level}": f"H{level}" for level in range(1, 7)},
    **dict.fromkeys(("dl", "ul", "ol"), "L"),
    **dict.fromkeys(("li", "dt", "dd"), "LI"),
}


def _pdf_tag(tag: str | None) -> str:
    """The structure type WeasyPrint gives an element (``_get_pdf_tag`` in its tags.py)."""
    if tag is None:
        return "NonStruct"
    if tag.split(":")[0] == "a":
        return "Link"
    return _TAGS.get(tag, "NonStruct")


@dataclass(frozen=True)
class _Expected:
    box: Any
    tag: str
    ancestors: tuple[Any, ...]
    margin: str | None
    page: int
    text: bool = False


def _walk(
    box: Any, parent: str, ancestors: tuple[Any, ...], margin: str | None, page: int
) -> Iterator[_Expected]:
    """The elements WeasyPrint creates for ``box``, in the order it creates them."""
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    element_tag = None if box.element is None else box.element_tag
    tag = _pdf_tag(element_tag)
    inside = (*ancestors, box)
    if element_tag in ("html", "body") or isinstance(box, boxes.PageBox):
        if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
            for child in box.children:
                yield from _walk(child, parent, inside, margin, page)
            return
    elif isinstance(box, boxes.MarginBox):
        for child in box.children:
            yield from _walk(child, parent, inside, box.at_keyword, page)
        return
    elif tag in ("TD", "TH"):
        if parent in ("TD", "TH"):
            tag = "NonStruct"
    elif tag == "LI":
        no_bullet = box.element_tag == "li" and (
            "list-item" not in box.style["display"] or box.style["list_style_type"] == "none"
        )
        if parent == "LI":
            tag = "LBody"
        elif parent == "LBody":
            tag = "NonStruct"
        elif box.element_tag in ("dt", "dd") or no_bullet:
            yield _Expected(box, "LI", ancestors, margin, page)  # a wrapping list item
            parent, tag = "LI", "LBody"
    yield _Expected(box, tag, ancestors, margin, page)
    children = box.children if isinstance(box, boxes.ParentBox) else []
    if tag == "Table" and box.is_table_wrapper:
        table = box.get_wrapped_table()
        if table:
            children = [
                c for child in box.children for c in (child.children if child is table else [child])
            ]
    for child in children:
        for kid in child.children if isinstance(child, boxes.LineBox) else [child]:
            if isinstance(kid, boxes.TextBox):
                if tag != "Link":
                    yield _Expected(kid, "Span", inside, margin, page, text=True)
            else:
                hoisted = kid.element_tag in ("ul", "ol") and tag == "LI"
                yield from _walk(kid, parent if hoisted else tag, inside, margin, page)


def _match(document: weasyprint.Document, pdf: pydyf.PDF) -> list[_Node]:
    """Every structure element but the document's, with the box it was made for."""
    expected = [
        item
        for number, page in enumerate(document.pages)
        for item in _walk(page._page_box, "Document", (), None, number)
    ]
    elements = [
        o for o in pdf.objects if type(o) is pydyf.Dictionary and o.get("Type") == "/StructElem"
    ][1:]
    if len(elements) != len(expected):
        raise _mismatch(f"{len(elements)} structure elements for {len(expected)} boxes")
    nodes = []
    for item, element in zip(expected, elements, strict=True):
        kids = element["K"]
        if element["S"] != f"/{item.tag}" or (
            item.text and not (len(kids) == 1 and isinstance(kids[0], int))
        ):
            raise _mismatch(f"{element['S']} where {item.tag} was expected")
        nodes.append(_Node(item.box, element, item.page, item.ancestors, item.margin, item.text))
    return nodes


def _mismatch(detail: str) -> RenderError:
    return RenderError(
        f"PDF/UA: the structure tree WeasyPrint {weasyprint.__version__} wrote is not the one "
        f"briefgen knows how to repair ({detail}); use WeasyPrint 70"
    )


# -- repairs ----------------------------------------------------------------------------


def _ref(obj: pydyf.Object) -> bytes:
    return obj.reference


class _Tree:
    """The structure tree of one PDF, with the nodes matched to their boxes."""

    def __init__(self, pdf: pydyf.PDF, nodes: list[_Node]) -> None:
        self.pdf = pdf
        self.nodes = nodes
        self.root = self.get(pdf.catalog["StructTreeRoot"])
        self.parent_tree = self.get(self.root["ParentTree"])["Nums"]
        self.by_box: dict[int, _Node] = {}
        for node in nodes:
            self.by_box.setdefault(id(node.box), node)  # a wrapping list item comes first
        self.elements = {id(node.box): node for node in nodes}  # the box's own element

    def get(self, reference: Any) -> Any:
        """The object a reference (``b"12 0 R"``) points to."""
        return self.pdf.objects[int(bytes(reference).split()[0])]

    def parent(self, element: pydyf.Dictionary) -> pydyf.Dictionary:
        return self.get(element["P"])

    def detach(self, element: pydyf.Dictionary) -> None:
        """Take ``element`` out of its parent's kids."""
        kids = self.parent(element)["K"]
        kids[:] = [k for k in kids if k != _ref(element)]

    def new_element(self, tag: str, parent: pydyf.Dictionary, kids: list[Any]) -> Any:
        element = pydyf.Dictionary(
            {
                "Type": "/StructElem",
                "S": f"/{tag}",
                "K": pydyf.Array(kids),
                "P": _ref(parent),
                "Pg": parent["Pg"],
            }
        )
        self.pdf.add_object(element)
        return element

    def drop(self, element: pydyf.Dictionary) -> None:
        """Empty an element no longer in the tree (pydyf cannot free a compressed object)."""
        element.clear()

    # Running headers and footers -------------------------------------------------------

    def artifacts(self) -> None:
        """Mark the content of page margin boxes as pagination artifacts, out of the tree."""
        kinds: dict[tuple[int, int], str] = {}
        for node in self.nodes:
            if node.margin is None:
                continue
            subtype = (
                "Header" if "top" in node.margin else "Footer" if "bottom" in node.margin else ""
            )
            for kid in node.element["K"]:
                if isinstance(kid, int):
                    kinds[node.page, kid] = subtype
            self.drop(node.element)
        for page, reference in enumerate(self.pdf.page_references):
            mcids = {mcid: kind for (p, mcid), kind in kinds.items() if p == page}
            if not mcids:
                continue
            stream = self.get(self.get(reference)["Contents"])
            items = stream.stream
            for i, item in enumerate(items):
                if type(item) is pydyf.Dictionary and item.get("MCID") in mcids:
                    subtype = mcids[item["MCID"]]
                    items[i - 1] = "/Artifact"
                    items[i] = pydyf.Dictionary(
                        {"Type": "/Pagination", **({"Subtype": f"/{subtype}"} if subtype else {})}
                    )
            numbers = self.parent_tree[self.parent_tree.index(page) + 1]
            for mcid in mcids:
                numbers[mcid] = b"null"

    # List items --------------------------------------------------------------------------

    def lists(self) -> None:
        """Give every list item only a label and one body holding its content in order."""
        for node in self.nodes:
            if node.element.get("S") == "/LI" and self.elements[id(node.box)] is node:
                self._list_item(node)
        for node in self.nodes:
            element = node.element
            if element.get("S") == "/LI":
                tags = [self.get(k)["S"] for k in element["K"]]
                if any(t not in ("/Lbl", "/LBody") for t in tags) or tags.count("/LBody") != 1:
                    raise _mismatch(f"a list item holds {', '.join(tags)}")

    def _list_item(self, node: _Node) -> None:
        item = node.element
        ordered: list[pydyf.Dictionary] = []
        for child in node.box.children:
            for kid in child.children if isinstance(child, boxes.LineBox) else [child]:
                box = kid._box if isinstance(kid, AbsolutePlaceholder) else kid
                found = self.by_box.get(id(box))
                if found is not None and all(found.element is not e for e in ordered):
                    ordered.append(found.element)
        for element in ordered:
            if element["P"] != _ref(item):  # a nested list hoisted out of its item
                self.detach(element)
        labels = [e for e in ordered if e["S"] == "/Lbl"]
        content = [e for e in ordered if e["S"] != "/Lbl"]
        if len(content) == 1 and content[0]["S"] == "/LBody":
            item["K"] = pydyf.Array([_ref(e) for e in ordered])
            return
        body = self.new_element("LBody", item, [_ref(e) for e in content])
        for element in content:
            element["P"] = _ref(body)
            if element["S"] == "/LBody":  # an anonymous block: a paragraph of inline content
                kids = [self.get(k)["S"] for k in element["K"] if not isinstance(k, int)]
                element["S"] = "/P" if set(kids) <= _INLINE else "/Div"
        item["K"] = pydyf.Array([_ref(e) for e in labels] + [_ref(body)])

    # Links --------------------------------------------------------------------------------

    def links(self, document: weasyprint.Document) -> None:
        """Describe every link annotation, and keep it in its Link element."""
        html = _Html(document.pages[0]._page_box.children[0].element) if document.pages else None
        for node in self.nodes:
            annotation = getattr(node.box, "link_annotation", None)
            if annotation is None or html is None:
                continue
            anchor = html.link_of(node.box.element)
            if anchor is not None:
                annotation["Contents"] = pydyf.String(describe_link(anchor, html))
            if node.element["S"] == "/Link":
                continue
            link = next(
                (
                    self.elements[id(box)].element
                    for box in reversed(node.ancestors)
                    if id(box) in self.elements
                    and self.elements[id(box)].element.get("S") == "/Link"
                ),
                None,
            )
            if link is None:
                continue
            kids = node.element["K"]
            for kid in list(kids):
                if not isinstance(kid, int) and self.get(kid).get("Obj") == _ref(annotation):
                    kids.remove(kid)
                    link["K"].insert(0, kid)
            key = self.parent_tree.index(annotation["StructParent"])
            self.parent_tree[key + 1] = _ref(link)

    # Footnotes ----------------------------------------------------------------------------

    def footnotes(self) -> None:
        """Tag footnote calls as Reference and footnote bodies as Note, each note after its
        call."""
        calls: dict[int, pydyf.Dictionary] = {}
        bodies: dict[int, list[pydyf.Dictionary]] = {}
        for node in self.nodes:
            tag = node.box.element_tag if node.box.element is not None else None
            if node.text:
                continue
            if tag and tag.endswith("::footnote-call"):
                calls.setdefault(id(node.box.element), node.element)
            elif tag and tag.endswith("::footnote-marker"):
                node.element["S"] = "/Lbl"
            elif node.ancestors and isinstance(node.ancestors[-1], boxes.FootnoteAreaBox):
                bodies.setdefault(id(node.box.element), []).append(node.element)
        areas = []
        for number, (key, call) in enumerate(calls.items(), 1):
            if key not in bodies:
                continue
            note, *rest = bodies[key]
            areas.append(self.parent(note))
            for more in rest:  # a note continued on the next page
                areas.append(self.parent(more))
                self.detach(more)
                for kid in more["K"]:
                    self.get(kid)["P"] = _ref(note)
                    note["K"].append(kid)
                self.drop(more)
            call["S"] = "/Reference"
            note["S"] = "/Note"
            note["ID"] = pydyf.String(f"note-{number}")
            self.detach(note)
            host = self.parent(call)
            at = host["K"].index(_ref(call)) + 1
            host["K"].insert(at, _ref(note))
            note["P"] = _ref(host)
        for area in areas:
            if area and not area["K"]:
                self.detach(area)
                self.drop(area)

    # Languages ----------------------------------------------------------------------------

    def languages(self) -> None:
        """Give ``Lang`` to the elements of HTML elements with a ``lang`` of their own."""
        for node in self.nodes:
            element = node.box.element
            tag = node.box.element_tag if element is not None else None
            if node.text or tag is None or "::" in tag or not node.element:
                continue
            lang = element.get("lang")
            if lang and tag != "html":
                node.element["Lang"] = pydyf.String(lang)

    def id_tree(self) -> None:
        """List the elements that have an ``ID`` (notes, table headers) in an ID tree."""
        names = sorted(
            (str(node.element["ID"].string), _ref(node.element))
            for node in self.nodes
            if "ID" in node.element
        )
        if names:
            flat = [x for name, ref in names for x in (pydyf.String(name), ref)]
            self.root["IDTree"] = pydyf.Dictionary({"Names": pydyf.Array(flat)})


class _Html:
    """The document's HTML tree: parents and ids (WeasyPrint's elements know neither)."""

    def __init__(self, root: Element) -> None:
        self.parents = {child: parent for parent in root.iter() for child in parent}
        self.ids = {e.get("id"): e for e in root.iter() if e.get("id")}

    def link_of(self, element: Element | None) -> Element | None:
        """The ``<a href>`` that is ``element`` or holds it."""
        while element is not None:
            if element.tag == "a" and element.get("href"):
                return element
            element = self.parents.get(element)
        return None
