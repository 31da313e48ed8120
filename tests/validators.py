"""Independent checkers of the outputs: page-validation (PDF/UA-1, PDF/A-3) and openxml-audit
(Open XML, as Microsoft's SDK validates it), plus the structure checks they do not make."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import page
import pikepdf
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def profile(pdf: Path | bytes) -> str:
    """The page-validation profile a PDF claims in its XMP: ``ua1``, ``3b``, ``3a``, ``3u``."""
    with pikepdf.open(pdf if isinstance(pdf, Path) else io.BytesIO(pdf)) as document:
        xmp = document.Root.Metadata.read_bytes().decode("utf-8")
    if 'pdfuaid:part="1"' in xmp:
        return "ua1"
    part = re.search(r'pdfaid:part="(\d)"', xmp)
    level = re.search(r'pdfaid:conformance="([ABU])"', xmp)
    assert part, "the PDF claims no PDF/UA or PDF/A conformance"
    assert level, "the PDF claims no PDF/A conformance level"
    return f"{part.group(1)}{level.group(1).lower()}"


def pdf_failures(pdf: Path | bytes, claimed: str | None = None) -> list[str]:
    """``RULE-ID: message`` for every rule the PDF fails in the profile it claims."""
    claimed = claimed or profile(pdf)
    if isinstance(pdf, Path):
        report = page.validate_pdf(pdf, profile=claimed)
    else:
        report = page.validate_pdf_bytes(pdf, profile=claimed)
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from the structure tree root, in tree order."""
    stack = list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            stack.extend(reversed(_kids(node)))


def marked_outside_tree(path: Path) -> list[str]:
    """Marked content with an MCID whose structure element is not reachable from the root
    (Matterhorn 18-001 for headers and footers): ``page N: MCID m (/Tag)``."""
    with pikepdf.open(path) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return []
        reachable = {e.objgen for e in elements(pdf)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        found = []
        for number, pdf_page in enumerate(pdf.pages, 1):
            entries = parents.get(int(pdf_page.get("/StructParents", -1)))
            for operands, operator in pikepdf.parse_content_stream(pdf_page):
                if str(operator) != "BDC" or "/MCID" not in operands[1]:
                    continue
                mcid = int(operands[1].MCID)
                element = entries[mcid] if entries is not None and mcid < len(entries) else None
                if not isinstance(element, pikepdf.Dictionary) or element.objgen not in reachable:
                    found.append(f"page {number}: MCID {mcid} ({operands[0]})")
        return found


def docx_errors(path: Path) -> list[str]:
    """Every error openxml-audit finds in the DOCX at ``path`` (Microsoft 365 level)."""
    # A validator per file: openxml-audit 0.8 caches cross-part lookups (footnote ids...)
    # under id(package), which Python reuses once a package is freed, so a second file can
    # be checked against the first one's footnotes. Creating one costs ~50 ms.
    result = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365).validate(path)
    return [str(e) for e in result.errors if e.severity.value == "error"]


_STYLE_REFERENCES = (
    "pStyle",
    "rStyle",
    "tblStyle",
    "numStyleLink",
    "styleLink",
    "basedOn",
    "next",
    "link",
)


def missing_styles(path: Path) -> list[str]:
    """``part: style id`` for every style a part of the DOCX refers to that styles.xml
    does not define."""
    with zipfile.ZipFile(path) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        defined = set(styles.xpath("//w:style/@w:styleId", namespaces={"w": W}))
        missing = []
        for name in sorted(package.namelist()):
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(package.read(name))
            for tag in _STYLE_REFERENCES:
                for value in root.xpath(f"//w:{tag}/@w:val", namespaces={"w": W}):
                    if value not in defined:
                        missing.append(f"{name}: {value}")
        return missing
