"""An independent leak scanner for the tests: every place a name can hide in an output.

Deliberately written without briefgen's own code, so that it checks briefgen rather than
agreeing with it.
"""

from __future__ import annotations

import email
import email.policy
import html
import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pikepdf
from pypdf import PdfReader

FOLD = str.maketrans({"ı": "i", "ə": "e", "Ə": "E", "ł": "l", "ø": "o", "ß": "ss"})


def variants(text: str) -> set[str]:
    """Normalised forms: NFKC, case-folded, soft and line-break hyphens removed, spaces
    collapsed; the same without any spaces or hyphens; and both ASCII-folded."""
    # A soft hyphen (how a PDF's text layer shows a word hyphenated at a line end) joins the
    # two halves across the line break.
    text = re.sub(r"\u00ad\s*", "", unicodedata.normalize("NFKC", text))
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text).casefold()
    text = re.sub(r"-\s*\n\s*", "-", text)  # a word hyphenated at a line end
    spaced = " ".join(text.split())
    tight = re.sub(r"[\s\-‐‑–—'’]+", "", spaced)
    found = {spaced, tight}
    for form in list(found):
        folded = unicodedata.normalize("NFKD", form.translate(FOLD))
        found.add("".join(c for c in folded if not unicodedata.combining(c)))
    return found


def _pdf_objects(value: object, seen: set[int], out: list[str]) -> None:
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        key = value.objgen
        if key in seen:
            return
        seen.add(key)
    if isinstance(value, pikepdf.String):
        out.append(str(value))
    elif isinstance(value, pikepdf.Name):
        out.append(str(value)[1:])
    elif isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
        for name, item in value.items():
            out.append(name[1:])
            _pdf_objects(item, seen, out)
    elif isinstance(value, pikepdf.Array):
        for item in value:
            _pdf_objects(item, seen, out)


def pdf_strings(data: bytes) -> list[str]:
    """Page text, document information, XMP, outline, links, names and tags of a PDF."""
    out = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    pdf = pikepdf.open(io.BytesIO(data))
    seen: set[tuple[int, int]] = set()
    for obj in pdf.objects:
        _pdf_objects(obj, seen, out)  # type: ignore[arg-type]
    metadata = pdf.Root.get("/Metadata")
    if metadata is not None:
        out.append(metadata.read_bytes().decode("utf-8", "replace"))
    return out


def docx_strings(data: bytes) -> list[str]:
    """Every XML part of a DOCX: its raw text and its text with tags stripped (runs joined)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            out.append(name)
            raw = archive.read(name)
            if name.endswith((".xml", ".rels")):
                text = raw.decode("utf-8", "replace")
                out.append(html.unescape(text))
                out.append(html.unescape(re.sub(r"<[^>]+>", "", text)))
    return out


def html_strings(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    return [html.unescape(text), html.unescape(re.sub(r"<[^>]+>", " ", text))]


def eml_strings(data: bytes) -> list[str]:
    message = email.message_from_bytes(data, policy=email.policy.default)
    out = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if part.is_multipart():
            continue
        out.append(part.get_filename() or "")
        payload = part.get_payload(decode=True) or b""
        kind = part.get_content_type()
        if kind == "application/pdf":
            out.extend(pdf_strings(payload))
        elif kind.endswith("wordprocessingml.document"):
            out.extend(docx_strings(payload))
        else:
            out.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return out


SCANNERS = {
    ".pdf": pdf_strings,
    ".docx": docx_strings,
    ".html": html_strings,
    ".eml": eml_strings,
    ".json": lambda data: [data.decode("utf-8")],
}


def scan(path: Path, root: Path, canaries: list[str]) -> set[str]:
    """The canaries found in the file at ``path`` (or in its name relative to ``root``)."""
    reader = SCANNERS.get(path.suffix, SCANNERS[".json"])
    strings = [path.relative_to(root).as_posix(), *reader(path.read_bytes())]
    haystack: set[str] = set()
    for text in strings:
        haystack |= variants(text)
    found = set()
    for canary in canaries:
        if any(form in hay for form in variants(canary) for hay in haystack):
            found.add(canary)
    return found


# --- Parts of names: a family name alone, folded, in capitals, after an initial or a title,
# with a possessive or an inflection ("Qodirov's", "QODIROV", "A. Qodirov", "Vəliyevskinin").

SCHWA_AS = ("e", "a")  # Vəliyevski is written Veliyevski; Məmmədov is written Mammadov


def _plain(text: str, schwa: str) -> str:
    """Lower case without accents, soft hyphens, or hyphens that split a word at a line end;
    ə (and the Cyrillic ә) as ``schwa``, ı and İ as i."""
    # A soft hyphen (how a PDF's text layer shows a word hyphenated at a line end) joins the
    # two halves across the line break.
    text = re.sub(r"\u00ad\s*", "", unicodedata.normalize("NFKC", text))
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)
    text = re.sub(r"[-\u2010\u2011]\s*\n\s*", "", text)
    text = text.replace("ә", "ə").replace("Ә", "Ə").replace("ə", schwa).replace("Ə", schwa)
    text = unicodedata.normalize("NFKD", text.replace("İ", "i").replace("ı", "i").lower())
    return "".join(c for c in text.translate(FOLD) if not unicodedata.combining(c))


def family_names(name: str) -> set[str]:
    """The family name of ``name`` (its last word, without a "(...)" note) and each part of
    it if hyphenated, as :func:`_plain` writes them with both readings of ə; parts shorter
    than four letters are left out (too many ordinary words)."""
    words = re.sub(r"\(.*?\)", "", name).split()
    last = words[-1] if words else ""
    found = set()
    for schwa in SCHWA_AS:
        for part in [last, *last.split("-")]:
            plain = _plain(part, schwa).replace("-", "")
            if len(plain) >= 4:
                found.add(plain)
    return found


def scan_parts(path: Path, root: Path, names: list[str]) -> set[str]:
    """The ``names`` whose family name begins a word in the file at ``path`` (or in its
    name), in any case, folded, after a title or initial, or with an ending added."""
    reader = SCANNERS.get(path.suffix, SCANNERS[".json"])
    strings = [path.relative_to(root).as_posix(), *reader(path.read_bytes())]
    texts = [_plain(html.unescape(s), schwa) for s in strings for schwa in SCHWA_AS]
    found = set()
    for name in names:
        for family in family_names(name):
            pattern = re.compile(r"(?<![^\W_])" + re.escape(family))
            if any(pattern.search(text) for text in texts):
                found.add(name)
    return found
