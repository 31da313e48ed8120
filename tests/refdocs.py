"""Real reference documents for the tests: made with python-docx, then given by zip surgery
the parts Word, LibreOffice and other tools put in real files (notes, comments and their
authors, custom XML, a thumbnail, a glossary, tracked changes, macros, embedded objects...).

Every text that must never reach an output contains a canary from :data:`CANARIES`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm
from lxml import etree
from PIL import Image, PngImagePlugin

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."

LETTERHEAD = "ACME Rights Watch — Rue de la Loi 1, Brussels"
FIRST_PAGE = "ACME first-page letterhead"
EVEN_PAGE = "ACME even-page header"
FOOTER = "ACME footer line"
INSERTED = "since 1998"  # tracked insertion in the header: kept, as accepted

CANARIES = [
    "BodyCanary",
    "EndnoteCanary",
    "FootnoteCanary",
    "CommentCanary",
    "CommentAuthorCanary",
    "PeopleCanary",
    "CustomXmlCanary",
    "ThumbnailCanary",
    "GlossaryCanary",
    "DeletedCanary",
    "ReviserCanary",
    "CustomPropertyCanary",
    "CompanyCanary",
    "ManagerCanary",
    "VbaCanary",
    "OleCanary",
    "AltChunkCanary",
    "WebSettingsCanary",
    "TemplatePathCanary",
    "ProtectionHashCanary",
    "MailMergeCanary",
    "DocVarCanary",
    "PrinterCanary",
    "CreatorCanary",
    "DescriptionCanary",
    "PublisherCanary",
    "EditorCanary",
    "BindingCanary",
    "StyleChangeCanary",
    "BodyPictureCanary",
    "LocalPathCanary",
    "SecondSectionCanary",
    "PngTextCanary",
    "ExifCanary",
    "XmlCommentCanary",
]
"""Texts of the parts a reference document must not carry into any output."""

DROPPED_PARTS = [
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/commentsIds.xml",
    "word/commentsExtensible.xml",
    "word/people.xml",
    "customXml/item1.xml",
    "customXml/itemProps1.xml",
    "docProps/thumbnail.jpeg",
    "docProps/custom.xml",
    "docProps/app.xml",
    "word/glossary/document.xml",
    "word/vbaProject.bin",
    "word/embeddings/oleObject1.bin",
    "word/afchunk.html",
    "word/webSettings.xml",
    "word/printerSettings/printerSettings1.bin",
]


def png(color: str = "#1f4e79", size: tuple[int, int] = (120, 40), text: str = "") -> bytes:
    """A PNG picture; ``text`` goes into a tEXt chunk (its "Author")."""
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Author", text)
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg(artist: str) -> bytes:
    """A JPEG photo whose EXIF names its ``artist``, with an XMP packet and a comment."""
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "#446688").save(
        out,
        "JPEG",
        exif=exif,
        comment=f"comment {artist}".encode(),
        xmp=f"<x>{artist}</x>".encode(),
    )
    return out.getvalue()


def letterhead(
    path: Path,
    *,
    header: str | None = LETTERHEAD,
    first: str | None = None,
    even: str | None = None,
    footer: str | None = FOOTER,
    logo: bytes | None = None,
    body: str = "",
) -> Path:
    """A Word letterhead made with python-docx: a header (with ``logo``, PNG bytes), and if
    given a different first-page header (``w:titlePg``) and even-page header
    (``w:evenAndOddHeaders``)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if header is not None:
        section.header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        if logo is not None:
            paragraph.add_run().add_picture(io.BytesIO(logo), height=Mm(8))
        paragraph.add_run(header)
    if first is not None:
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        section.first_page_header.paragraphs[0].text = first
    if even is not None:
        document.settings.odd_and_even_pages_header_footer = True
        section.even_page_header.is_linked_to_previous = False
        section.even_page_header.paragraphs[0].text = even
    if footer is not None:
        section.footer.is_linked_to_previous = False
        section.footer.paragraphs[0].text = footer
    if body:
        document.add_paragraph(body)
    document.save(str(path))
    return path


def edit(
    path: Path, change: Callable[[dict[str, bytes]], None], target: Path | None = None
) -> Path:
    """Rewrite the package at ``path`` (to ``target``): ``change`` edits its parts by name."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    target = target or path
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def add_part(
    parts: dict[str, bytes],
    name: str,
    data: bytes | str,
    content_type: str,
    source: str,
    kind: str,
    external: bool = False,
    rid: str | None = None,
) -> str:
    """Add part ``name`` (or an external target) related from ``source``; return its rId."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not external:
        parts[name] = data
        types = parts["[Content_Types].xml"].decode()
        types = types.replace(
            "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'
        )
        parts["[Content_Types].xml"] = types.encode()
    folder, _, base = source.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    rels = parts.get(
        rels_name,
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>',
    ).decode()
    rid = rid or f"rIdCanary{len(re.findall('<Relationship ', rels)) + 1}"
    if external:
        target = name
    elif folder and name.startswith(folder + "/"):
        target = name[len(folder) + 1 :]
    else:
        target = "/" + name
    mode = ' TargetMode="External"' if external else ""
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/></Relationships>',
    )
    parts[rels_name] = rels.encode()
    return rid


def _insert(parts: dict[str, bytes], name: str, before: str, xml: str) -> None:
    text = parts[name].decode()
    assert before in text, (name, before)
    parts[name] = text.replace(before, xml + before, 1).encode()


def _default_header(parts: dict[str, bytes]) -> tuple[str, str]:
    """(relationship id, part name) of the default header of the document's first section."""
    document = etree.fromstring(parts["word/document.xml"])
    reference = document.find(f".//{{{W_NS}}}headerReference[@{{{W_NS}}}type='default']")
    assert reference is not None
    rid = reference.get(f"{{{R_NS}}}id")
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return rid, "word/" + target


def kitchen_sink(path: Path, secret_name: str) -> Path:
    """A letterhead carrying everything a reference document must not pass on: the body
    (naming ``secret_name``, a restricted case), notes, comments and their authors,
    custom XML, a thumbnail, a glossary, tracked changes, macros, embedded objects,
    properties, web settings, and settings with paths and hashes; and the look that must
    be kept: a header with a logo, first-page and even-page headers, a footer."""
    letterhead(path, first=FIRST_PAGE, even=EVEN_PAGE, logo=png(text="PngTextCanary"))
    document = docx.Document(str(path))
    # A photo with EXIF, XMP and a comment in the first-page header.
    first = document.sections[0].first_page_header.paragraphs[0]
    first.add_run().add_picture(io.BytesIO(jpeg("ExifCanary")), height=Mm(8))
    paragraph = document.add_paragraph(f"BodyCanary: a letter about {secret_name}.")
    document.add_comment(
        paragraph.runs, text="CommentCanary: check this", author="CommentAuthorCanary"
    )
    paragraph.add_run().add_picture(io.BytesIO(png("#ff0000")), height=Mm(5))
    # An earlier section with a header of its own: only the last section is kept.
    document.add_section(WD_SECTION.NEW_PAGE)
    normal = document.styles["Normal"]
    normal.element.get_or_add_rPr().append(
        parse_xml(
            f'<w:rPrChange {nsdecls("w")} w:id="90" w:author="StyleChangeCanary" '
            'w:date="2020-01-01T00:00:00Z"><w:rPr><w:b/></w:rPr></w:rPrChange>'
        )
    )
    document.save(str(path))

    def change(parts: dict[str, bytes]) -> None:
        header_id, header = _default_header(parts)
        # The body picture is called BodyPictureCanary in its alt text.
        parts["word/document.xml"] = re.sub(
            rb'descr="[^"]*"', b'descr="BodyPictureCanary"', parts["word/document.xml"]
        )
        # Tracked changes, a permission range, a content control bound to custom XML, a
        # link to a local file and one to the web, in the default header.
        _insert(
            parts,
            header,
            "</w:p>",
            '<w:ins w:id="91" w:author="ReviserCanary" w:date="2020-01-01T00:00:00Z">'
            f'<w:r w:rsidR="00AB12CD"><w:t xml:space="preserve"> {INSERTED}</w:t></w:r></w:ins>'
            '<w:del w:id="92" w:author="ReviserCanary" w:date="2020-01-01T00:00:00Z">'
            "<w:r><w:delText>DeletedCanary</w:delText></w:r></w:del>"
            '<w:permStart w:id="93" w:ed="EditorCanary@example.org"/><w:permEnd w:id="93"/>',
        )
        web = add_part(parts, "https://acme.example.org/", "", "", header, RT + "hyperlink", True)
        local = add_part(
            parts,
            "file:///C:/Users/LocalPathCanary/secret.docx",
            "",
            "",
            header,
            RT + "hyperlink",
            True,
        )
        _insert(
            parts,
            header,
            "</w:hdr>",
            f'<w:p><w:hyperlink r:id="{web}"><w:r><w:t>acme.example.org</w:t></w:r>'
            '</w:hyperlink><w:r><w:t xml:space="preserve"> </w:t></w:r>'
            f'<w:hyperlink r:id="{local}">'
            "<w:r><w:t>our files</w:t></w:r></w:hyperlink></w:p>"
            '<w:sdt><w:sdtPr><w:alias w:val="Company"/><w:dataBinding w:xpath="/BindingCanary" '
            'w:storeItemID="{00000000-0000-0000-0000-000000000001}"/><w:placeholder>'
            '<w:docPart w:val="BindingCanaryPlaceholder"/></w:placeholder></w:sdtPr><w:sdtContent>'
            "<w:p><w:r><w:t>Registered charity 12345</w:t></w:r></w:p></w:sdtContent></w:sdt>",
        )
        # An endnote and a footnote of the body, with Word's separators.
        notes = (
            '<w:{k} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{k}>'
            '<w:{k} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            '</w:r></w:p></w:{k}><w:{k} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{k}>'
        )
        for kind, text in (("endnote", "EndnoteCanary"), ("footnote", "FootnoteCanary")):
            add_part(
                parts,
                f"word/{kind}s.xml",
                f'<w:{kind}s xmlns:w="{W_NS}">{notes.format(k=kind, text=text)}</w:{kind}s>',
                f"{WML}{kind}s+xml",
                "word/document.xml",
                f"{RT}{kind}s",
            )
        comments = "http://schemas.microsoft.com/office/2011/relationships/"
        for name, kind in (
            ("commentsExtended", comments + "commentsExtended"),
            (
                "commentsIds",
                "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
            ),
            (
                "commentsExtensible",
                "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
            ),
        ):
            add_part(
                parts,
                f"word/{name}.xml",
                f'<w15:x xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
                f"CommentCanary {name}</w15:x>",
                f"application/vnd.openxmlformats-officedocument.wordprocessingml.{name}+xml",
                "word/document.xml",
                kind,
            )
        add_part(
            parts,
            "word/people.xml",
            '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
            '<w15:person w15:author="PeopleCanary"/></w15:people>',
            WML + "people+xml",
            "word/document.xml",
            comments + "people",
        )
        add_part(
            parts,
            "customXml/item1.xml",
            "<canary>CustomXmlCanary</canary>",
            "application/xml",
            "word/document.xml",
            RT + "customXml",
        )
        add_part(
            parts,
            "customXml/itemProps1.xml",
            '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
            'customXml" ds:itemID="{CustomXmlCanary}"/>',
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
            "customXml/item1.xml",
            RT + "customXmlProps",
        )
        add_part(
            parts,
            "docProps/thumbnail.jpeg",
            b"\xff\xd8\xff\xe0ThumbnailCanary",
            "image/jpeg",
            "",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
        )
        add_part(
            parts,
            "docProps/custom.xml",
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
            'name="Case"><vt:lpwstr>CustomPropertyCanary</vt:lpwstr></property></Properties>',
            "application/vnd.openxmlformats-officedocument.custom-properties+xml",
            "",
            RT + "custom-properties",
        )
        add_part(
            parts,
            "docProps/app.xml",
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>Microsoft Office Word</Application>'
            "<Company>CompanyCanary</Company><Manager>ManagerCanary</Manager></Properties>",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            "",
            RT + "extended-properties",
        )
        add_part(
            parts,
            "word/glossary/document.xml",
            f'<w:glossaryDocument xmlns:w="{W_NS}"><w:docParts><w:docPart><w:docPartBody>'
            "<w:p><w:r><w:t>GlossaryCanary</w:t></w:r></w:p></w:docPartBody></w:docPart>"
            "</w:docParts></w:glossaryDocument>",
            WML + "document.glossary+xml",
            "word/document.xml",
            RT + "glossaryDocument",
        )
        add_part(
            parts,
            "word/vbaProject.bin",
            b"VbaCanary",
            "application/vnd.ms-office.vbaProject",
            "word/document.xml",
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        )
        add_part(
            parts,
            "word/embeddings/oleObject1.bin",
            b"OleCanary",
            "application/vnd.openxmlformats-officedocument.oleObject",
            "word/document.xml",
            RT + "oleObject",
        )
        chunk = add_part(
            parts,
            "word/afchunk.html",
            "<html><body>AltChunkCanary</body></html>",
            "text/html",
            "word/document.xml",
            RT + "aFChunk",
        )
        _insert(parts, "word/document.xml", "<w:sectPr", f'<w:altChunk r:id="{chunk}"/>')
        add_part(
            parts,
            "word/webSettings.xml",
            f'<w:webSettings xmlns:w="{W_NS}"><w:divs><w:div w:id="1"/></w:divs>'
            "<!-- WebSettingsCanary --></w:webSettings>",
            WML + "webSettings+xml",
            "word/document.xml",
            RT + "webSettings",
        )
        printer = add_part(
            parts,
            "word/printerSettings/printerSettings1.bin",
            b"PrinterCanary",
            WML + "printerSettings",
            "word/document.xml",
            RT + "printerSettings",
        )
        document = parts["word/document.xml"].decode()
        last = document.rindex("</w:sectPr>")
        parts["word/document.xml"] = (
            document[:last] + f'<w:printerSettings r:id="{printer}"/>' + document[last:]
        ).encode()
        # The first section shows a header of its own (SecondSectionCanary); the last one
        # shows the letterhead as its default header and inherits the first section's
        # first-page and even-page headers.
        old = add_part(
            parts,
            "word/header9.xml",
            f'<w:hdr xmlns:w="{W_NS}"><w:p><w:r><w:t>SecondSectionCanary</w:t></w:r></w:p></w:hdr>',
            WML + "header+xml",
            "word/document.xml",
            RT + "header",
        )
        document = parts["word/document.xml"].decode()
        document = document.replace(f'r:id="{header_id}"', f'r:id="{old}"', 1)
        last = document.rindex("<w:sectPr")
        last = document.index(">", last) + 1
        document = (
            document[:last]
            + f'<w:headerReference w:type="default" r:id="{header_id}"/>'
            + document[last:]
        )
        parts["word/document.xml"] = document.encode()
        # Settings: revision ids, the attached template, a protection hash, mail merge with
        # its data source, document variables, the document id.
        template = add_part(
            parts,
            "file:///C:/Users/TemplatePathCanary/Normal.dotm",
            "",
            "",
            "word/settings.xml",
            RT + "attachedTemplate",
            True,
        )
        source = add_part(
            parts,
            "file:///C:/Users/MailMergeCanary/list.xlsx",
            "",
            "",
            "word/settings.xml",
            RT + "mailMergeSource",
            True,
        )
        settings = parts["word/settings.xml"].decode()
        settings = re.sub(
            r"<w:zoom [^>]*/>",
            lambda m: (
                m.group(0)
                + (
                    "<w:removePersonalInformation/>"
                    '<w:documentProtection w:edit="readOnly" w:enforcement="1" '
                    'w:hash="ProtectionHashCanary" w:salt="c2FsdA=="/>'
                    f'<w:attachedTemplate r:id="{template}"/>'
                    '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>'
                    '<w:dataType w:val="native"/><w:query w:val="SELECT * FROM MailMergeCanary"/>'
                    f'<w:dataSource r:id="{source}"/></w:mailMerge>'
                    "<w:trackRevisions/>"
                )
            ),
            settings,
            count=1,
        )
        settings = settings.replace(
            "</w:settings>",
            '<w:rsids><w:rsidRoot w:val="00AB12CD"/><w:rsid w:val="00AB12CD"/></w:rsids>'
            '<w:docVars><w:docVar w:name="case" w:val="DocVarCanary"/></w:docVars>'
            "</w:settings>",
        )
        parts["word/settings.xml"] = settings.encode()
        core = parts["docProps/core.xml"].decode()
        core = re.sub(r"<dc:creator>[^<]*</dc:creator>|<dc:creator/>", "", core)
        core = core.replace(
            "</cp:coreProperties>",
            "<dc:creator>CreatorCanary</dc:creator><dc:description>DescriptionCanary"
            "</dc:description><dc:publisher>PublisherCanary</dc:publisher></cp:coreProperties>",
        )
        parts["docProps/core.xml"] = core.encode()
        # Notes a tool left in kept parts: XML comments and a processing instruction.
        for name in ("word/theme/theme1.xml", "word/styles.xml", "word/fontTable.xml"):
            text = parts[name].decode()
            end = text.index(">", text.index("?>") + 2) + 1  # after the root's start tag
            parts[name] = (
                text[:end] + "<!-- XmlCommentCanary --><?tool XmlCommentCanary?>" + text[end:]
            ).encode()

    return edit(path, change)


def without_section(source: Path, target: Path) -> Path:
    """``source`` with no section properties (``w:sectPr``) at all."""

    def change(parts: dict[str, bytes]) -> None:
        parts["word/document.xml"] = re.sub(
            rb"<w:sectPr.*?</w:sectPr>|<w:sectPr[^>]*/>",
            b"",
            parts["word/document.xml"],
            flags=re.S,
        )

    return edit(source, change, target)


STRICT = {
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": (
        b"http://purl.oclc.org/ooxml/drawingml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/math": (
        b"http://purl.oclc.org/ooxml/officeDocument/math"
    ),
}


def strict(source: Path, target: Path) -> Path:
    """``source`` as Word saves a "Strict Open XML Document": the ISO namespaces."""

    def change(parts: dict[str, bytes]) -> None:
        for name, data in parts.items():
            for old, new in STRICT.items():
                data = data.replace(old, new)
            parts[name] = data

    return edit(source, change, target)


def macro_enabled(source: Path, target: Path) -> Path:
    """``source`` as a macro-enabled document (.docm) with a VBA project."""

    def change(parts: dict[str, bytes]) -> None:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )
        add_part(
            parts,
            "word/vbaProject.bin",
            b"VbaCanary",
            "application/vnd.ms-office.vbaProject",
            "word/document.xml",
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        )

    return edit(source, change, target)


def encrypted(source: Path, target: Path, password: str = "letterhead") -> Path:
    """``source`` protected with a password, as Word encrypts it (an OLE compound file)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with source.open("rb") as plain:
        OOXMLFile(plain).encrypt(password, out)
    target.write_bytes(out.getvalue())
    return target
