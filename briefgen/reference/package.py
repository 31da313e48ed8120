"""A reference document's package rebuilt from a whitelist of parts.

Parts are kept by relationship type from the main document — styles, numbering, settings,
theme, font table (with embedded fonts), the separators of the notes, the headers and
footers the last section shows, and the pictures those use — under Word's usual names.
Their XML is cleaned by :mod:`briefgen.reference.parts`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..errors import RenderError
from ..project import default_templates
from .parts import WP, Cleaner, R, last_section, texts, w
from .pictures import without_metadata

MAX_UNPACKED = 100 * 1024 * 1024
"""The most its parts may unpack to (a zip bomb stops here)."""

SAVE_AS = "save it from Word or LibreOffice as 'Word Document (.docx)'"
REPAIR = "open it in Word or LibreOffice and save it again"
NOT_DOCX = f"is not a valid .docx file ({SAVE_AS})"
STRICT = (
    "is a Strict Open XML document, which briefgen cannot read; save it as "
    "'Word Document (.docx)', not 'Strict Open XML Document'"
)

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG_RT = "http://schemas.openxmlformats.org/package/2006/relationships/"
_STRICT = "http://purl.oclc.org/ooxml/"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_CT = "application/vnd.openxmlformats-officedocument."
_WML = _CT + "wordprocessingml."
_MAIN_TYPES = {_WML + "document.main+xml", _WML + "template.main+xml"}
_MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_CORE_TYPES = {
    _PKG_RT + "metadata/core-properties",
    _RT + "metadata/core-properties",
}

# Parts kept from the main document, by relationship type: (part name, content type).
_SINGLE = {
    "styles": ("word/styles.xml", _WML + "styles+xml"),
    "numbering": ("word/numbering.xml", _WML + "numbering+xml"),
    "settings": ("word/settings.xml", _WML + "settings+xml"),
    "theme": ("word/theme/theme1.xml", _CT + "theme+xml"),
    "fontTable": ("word/fontTable.xml", _WML + "fontTable+xml"),
    "footnotes": ("word/footnotes.xml", _WML + "footnotes+xml"),
    "endnotes": ("word/endnotes.xml", _WML + "endnotes+xml"),
}
_STORY = {"header": _WML + "header+xml", "footer": _WML + "footer+xml"}
# What a kept part may refer to: pictures, web links, and (the font table) embedded fonts.
_PICTURES = {"image"}
_CHILDREN = {
    "header": _PICTURES | {"hyperlink"},
    "footer": _PICTURES | {"hyperlink"},
    "footnotes": _PICTURES | {"hyperlink"},
    "endnotes": _PICTURES | {"hyperlink"},
    "numbering": _PICTURES,
    "theme": _PICTURES,
    "fontTable": {"font"},
}
_IMAGE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
    "image/x-emf": "emf",
    "image/x-wmf": "wmf",
    "image/svg+xml": "svg",
}
_FONT_TYPE = _CT + "obfuscatedFont"
_LINK_SCHEMES = ("http://", "https://", "mailto:")


class ReferenceRefused(RenderError):
    """The reference document cannot be used; ``reason`` follows its name in a message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Prepared:
    """A reference document rebuilt from its kept parts.

    ``package`` is the .docx the writer starts each output from; ``texts`` are (where,
    text) pairs of everything readable it carries ("header", "first-page footer", "style
    names"...), for the leak guard.
    """

    package: bytes
    texts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Rel:
    rid: str
    kind: str
    target: str
    external: bool


class Package:
    """The parts of an Open XML package, read within limits."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members = {info.filename.lower(): info for info in archive.infolist()}
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise ReferenceRefused(
                f"is too big once unpacked (more than {MAX_UNPACKED // 1024 // 1024} MB); "
                f"{SAVE_AS} without large pictures or embedded fonts"
            )
        if "mimetype" in self.members and b"opendocument" in self.read("mimetype"):
            raise ReferenceRefused(
                f"is an OpenDocument file (.odt), not a Word document; {SAVE_AS}"
            )
        types = self.xml("[Content_Types].xml")
        if types is None:
            raise ReferenceRefused(NOT_DOCX)
        self.defaults = {
            (e.get("Extension") or "").lower(): e.get("ContentType") or ""
            for e in types.iter(f"{{{_TYPES_NS}}}Default")
        }
        self.overrides = {
            (e.get("PartName") or "").lstrip("/").lower(): e.get("ContentType") or ""
            for e in types.iter(f"{{{_TYPES_NS}}}Override")
        }

    def has(self, name: str) -> bool:
        return name.lower() in self.members

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(self.members[name.lower()])
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, KeyError) as exc:
            raise ReferenceRefused(
                f"is damaged: {name} cannot be unpacked ({exc}); {REPAIR}"
            ) from None

    def xml(self, name: str) -> Any:
        """The parsed part ``name`` (``None`` if the package has none)."""
        if not self.has(name):
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            return etree.fromstring(self.read(name), parser)
        except etree.XMLSyntaxError as exc:
            line, column = exc.position
            raise ReferenceRefused(
                f"is damaged: {name} is not well-formed XML (line {line}, column {column}); "
                f"{REPAIR}"
            ) from None

    def content_type(self, name: str) -> str:
        return self.overrides.get(name.lower()) or self.defaults.get(
            PurePosixPath(name).suffix.lstrip(".").lower(), ""
        )

    def rels(self, name: str) -> list[_Rel]:
        """The relationships of part ``name`` ("" for the package's own)."""
        folder, base = posixpath.split(name)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        if root is None:
            return []
        found = []
        for element in root.iter(f"{{{_RELS_NS}}}Relationship"):
            kind, target = element.get("Type") or "", element.get("Target") or ""
            external = element.get("TargetMode") == "External"
            if not external:
                target = unquote(target.split("#")[0])
                joined = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                target = posixpath.normpath(joined)
            found.append(_Rel(element.get("Id") or "", kind, target, external))
        return found


def _short(kind: str) -> str:
    """ "styles" for the relationship type ``.../relationships/styles``."""
    return kind.rsplit("/", 1)[-1]


class Rebuild:
    """Builds the kept package: each part cleaned, renamed in Word's way, and listed."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.parts: dict[str, tuple[str, bytes]] = {}  # name: (content type, bytes)
        self.rels: dict[str, list[_Rel]] = {}  # part name: its kept relationships
        self.texts: list[tuple[str, str]] = []
        self.counters: dict[str, int] = {}
        self.story_roots: dict[str, Any] = {}  # part name: its cleaned XML
        self.drawings = 4096  # the last drawing id given to a header's or footer's picture

    def run(self) -> Prepared:
        package = self.package
        rels = package.rels("")
        if any(rel.kind.startswith(_STRICT) for rel in rels):
            raise ReferenceRefused(STRICT)
        main = next((r for r in rels if r.kind == _RT + "officeDocument" and not r.external), None)
        if main is None or not package.has(main.target):
            raise ReferenceRefused(f"is not a Word document; {SAVE_AS}")
        content_type = package.content_type(main.target)
        if content_type in _MACRO_TYPES:
            raise ReferenceRefused(
                "is a macro-enabled Word file; save it as 'Word Document (.docx)' (briefgen "
                "takes no macros from a reference document)"
            )
        if content_type not in _MAIN_TYPES:
            raise ReferenceRefused(f"is not a Word document; {SAVE_AS}")
        document = package.xml(main.target)
        if etree.QName(document).namespace.startswith(_STRICT):
            raise ReferenceRefused(STRICT)
        if document.tag != w("document") or document.find(w("body")) is None:
            raise ReferenceRefused(
                f"is damaged: {main.target} holds no Word document body; {REPAIR}"
            )
        self.main(main.target, document)
        core = next((r for r in rels if r.kind in _CORE_TYPES and not r.external), None)
        package_rels = [_Rel(main.rid, main.kind, "word/document.xml", False)]
        if core is not None and package.has(core.target) and core.rid != main.rid:
            root = package.xml(core.target)
            cleaner = Cleaner()
            cleaner.core(root)
            cleaner.markup(root)
            self.parts["docProps/core.xml"] = (
                "application/vnd.openxmlformats-package.core-properties+xml",
                _serialise(root),
            )
            kind = _PKG_RT + "metadata/core-properties"
            package_rels.append(_Rel(core.rid, kind, "docProps/core.xml", False))
        order = [r.rid for r in rels]
        self.rels[""] = sorted(package_rels, key=lambda r: order.index(r.rid))
        return Prepared(self.zip(), tuple(self.texts))

    # -- the main document and the parts it keeps ------------------------------------------

    def main(self, name: str, document: Any) -> None:
        rels = self.package.rels(name)
        by_id = {rel.rid: rel for rel in rels}
        body = document.find(w("body"))
        try:
            section = last_section(body)
        except ValueError as exc:
            raise ReferenceRefused(f"is damaged: {exc}; {REPAIR}") from None
        kept: list[_Rel] = []
        # The parts kept whole, once each: styles, numbering, settings, theme, fonts, notes.
        notes: dict[str, set[str]] = {}
        settings: tuple[_Rel, Any] | None = None
        for rel in rels:
            kind = _short(rel.kind)
            if rel.kind != _RT + kind or kind not in _SINGLE or rel.external:
                continue
            if any(_short(k.kind) == kind for k in kept) or not self.package.has(rel.target):
                continue
            target, content_type = _SINGLE[kind]
            root = self.package.xml(rel.target)
            cleaner = Cleaner()
            if kind in ("footnotes", "endnotes"):
                notes[kind[:-1]] = cleaner.notes(root, kind[:-1])
            elif kind == "settings":
                settings = (rel, root)
                kept.append(_Rel(rel.rid, rel.kind, target, False))
                continue  # cleaned once the notes kept are known
            elif kind in ("styles", "numbering"):
                cleaner.content(root)
                self.collect(kind if kind == "numbering" else "style names", root)
            self.part(rel.target, target, content_type, kind, root, cleaner)
            kept.append(_Rel(rel.rid, rel.kind, target, False))
        if settings is not None:
            rel, root = settings
            cleaner = Cleaner()
            cleaner.settings(root, notes)
            cleaner.references(root, ())  # the settings keep no relationship
            cleaner.markup(root)
            self.parts["word/settings.xml"] = (_SINGLE["settings"][1], _serialise(root))
            self.rels["word/settings.xml"] = []
        if not any(_short(rel.kind) == "styles" for rel in kept):
            kept.append(self.default_styles(by_id))
        # Headers and footers: those the last section shows.
        stories: dict[str, str] = {}  # relationship id: new part name
        for reference in list(section.iterchildren(w("headerReference"), w("footerReference"))):
            rid = reference.get(f"{{{R}}}id") or ""
            story = "header" if reference.tag == w("headerReference") else "footer"
            found = by_id.get(rid)
            if (
                found is None
                or found.kind != _RT + story
                or found.external
                or not self.package.has(found.target)
            ):
                section.remove(reference)  # a broken reference: Word would show nothing
                continue
            rel = found
            label = {"default": "", "first": "first-page ", "even": "even-page "}.get(
                reference.get(w("type")) or "default", ""
            ) + story
            if rid not in stories:
                root = self.package.xml(rel.target)
                cleaner = Cleaner()
                cleaner.content(root)
                _drop_marking(root, cleaner)
                # Drawing ids are unique in a document: numbered apart from the body's
                # pictures (python-docx numbers those from 1), and from each other.
                for drawing in root.iter(f"{{{WP}}}docPr"):
                    self.drawings += 1
                    drawing.set("id", str(self.drawings))
                stories[rid] = self.name(story, "xml")
                self.part(rel.target, stories[rid], _STORY[story], story, root, cleaner)
                kept.append(_Rel(rid, rel.kind, stories[rid], False))
            self.collect(label, self.story_roots[stories[rid]])
        # The page's background colour or picture is part of the look; nothing else of the body.
        new_body = etree.SubElement(etree.Element(document.tag, nsmap=document.nsmap), w("body"))
        new_document = new_body.getparent()
        for key, value in document.attrib.items():
            new_document.set(key, value)
        background = document.find(w("background"))
        if background is not None:
            new_body.addprevious(background)
        section.tail = None
        new_body.append(section)
        cleaner = Cleaner()
        cleaner.content(new_document)
        cleaner.markup(new_document)
        picture_ids = {
            r.rid
            for r in rels
            if r.kind == _RT + "image"
            and not r.external
            and self.package.has(r.target)
            and self.package.content_type(r.target) in _IMAGE_TYPES
        }
        used = cleaner.references(new_document, {r.rid for r in kept} | picture_ids)
        for rid in sorted(used & picture_ids, key=[r.rid for r in rels].index):
            kept.append(self.picture(by_id[rid]))
        self.parts["word/document.xml"] = (_WML + "document.main+xml", _serialise(new_document))
        order = [r.rid for r in rels]
        self.rels["word/document.xml"] = sorted(
            kept, key=lambda r: order.index(r.rid) if r.rid in order else len(order)
        )

    def part(
        self, source: str, target: str, content_type: str, kind: str, root: Any, cleaner: Cleaner
    ) -> None:
        """Keep part ``source`` as ``target``, with the relationships its kind may have."""
        allowed = _CHILDREN.get(kind, set())
        candidates = {}
        for rel in self.package.rels(source):
            child = _short(rel.kind)
            if rel.kind != _RT + child or child not in allowed:
                continue
            if child == "hyperlink":
                if rel.external and rel.target.lower().startswith(_LINK_SCHEMES):
                    candidates[rel.rid] = rel
            elif not rel.external and self.package.has(rel.target):
                picture = self.package.content_type(rel.target) in _IMAGE_TYPES
                if child == "font" or picture:
                    candidates[rel.rid] = rel
        used = cleaner.references(root, candidates)
        kept = []
        for rid, rel in candidates.items():
            if rid not in used:
                continue
            if _short(rel.kind) == "hyperlink":
                kept.append(rel)
            elif _short(rel.kind) == "font":
                name = self.name("font", "odttf", folder="word/fonts")
                self.parts[name] = (_FONT_TYPE, self.package.read(rel.target))
                kept.append(_Rel(rid, rel.kind, name, False))
            else:
                kept.append(self.picture(rel))
        cleaner.markup(root)
        if cleaner.changed or kind in ("header", "footer"):
            data = _serialise(root)
        else:
            data = self.package.read(source)  # unchanged: its bytes as they were
        self.parts[target] = (content_type, data)
        self.rels[target] = kept
        self.story_roots[target] = root

    def picture(self, rel: _Rel) -> _Rel:
        content_type = self.package.content_type(rel.target)
        name = self.name("image", _IMAGE_TYPES[content_type], folder="word/media")
        data = without_metadata(self.package.read(rel.target), content_type)
        self.parts[name] = (content_type, data)
        return _Rel(rel.rid, rel.kind, name, False)

    def default_styles(self, by_id: dict[str, _Rel]) -> _Rel:
        """briefgen's own styles, for a reference document without a styles part."""
        with zipfile.ZipFile(default_templates() / "reference.docx") as default:
            data = default.read("word/styles.xml")
        self.parts["word/styles.xml"] = (_SINGLE["styles"][1], data)
        self.rels["word/styles.xml"] = []
        rid = next(f"rId{n}" for n in range(1, len(by_id) + 2) if f"rId{n}" not in by_id)
        return _Rel(rid, _RT + "styles", "word/styles.xml", False)

    def name(self, stem: str, extension: str, folder: str = "word") -> str:
        """The next part name of a kind: word/header1.xml, word/media/image2.png..."""
        self.counters[stem] = self.counters.get(stem, 0) + 1
        return f"{folder}/{stem}{self.counters[stem]}.{extension}"

    def collect(self, where: str, root: Any) -> None:
        self.texts.extend((where, text) for text in texts(root))

    # -- the package -------------------------------------------------------------------------

    def zip(self) -> bytes:
        """The kept parts as a .docx (an intermediate file: python-docx reads it)."""
        types = etree.Element(f"{{{_TYPES_NS}}}Types", nsmap={None: _TYPES_NS})
        for extension, content_type in (
            ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
            ("xml", "application/xml"),
        ):
            etree.SubElement(
                types, f"{{{_TYPES_NS}}}Default", Extension=extension, ContentType=content_type
            )
        for name, (content_type, _data) in self.parts.items():
            etree.SubElement(
                types, f"{{{_TYPES_NS}}}Override", PartName=f"/{name}", ContentType=content_type
            )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", _serialise(types))
            for name, rels in self.rels.items():
                if not rels:
                    continue
                folder, base = posixpath.split(name)
                archive.writestr(
                    posixpath.join(folder, "_rels", f"{base}.rels"), _rels_xml(folder, rels)
                )
            for name, (_content_type, data) in self.parts.items():
                archive.writestr(name, data)
        return out.getvalue()


def _rels_xml(folder: str, rels: list[_Rel]) -> bytes:
    root = etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})
    for rel in rels:
        element = etree.SubElement(root, f"{{{_RELS_NS}}}Relationship", Id=rel.rid, Type=rel.kind)
        if rel.external:
            element.set("Target", rel.target)
            element.set("TargetMode", "External")
        else:
            element.set("Target", posixpath.relpath(rel.target, folder or "."))
    return _serialise(root)


def _serialise(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _drop_marking(root: Any, cleaner: Cleaner) -> None:
    """Remove paragraphs in briefgen's Restricted Marking style (a reference made from a
    restricted output would otherwise mark public documents)."""
    for paragraph in list(root.iter(w("p"))):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        if style is not None and style.get(w("val")) == "RestrictedMarking":
            cleaner.remove(paragraph)
    if root.find(w("p")) is None and root.find(w("tbl")) is None:
        etree.SubElement(root, w("p"))  # a header holds at least one paragraph
