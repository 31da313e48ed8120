"""Font subsets for the HTML output: the glyphs a document uses, as a small WOFF file.

HarfBuzz's subsetter (the library WeasyPrint uses for its PDFs, ``libharfbuzz-subset``) cuts
a Noto face down in about a millisecond; fontTools, used when that library is missing, takes
about a second per face (benchmarks/RESULTS.md). WeasyPrint's own binding of the library
declares only what it needs to subset by glyph id, so this module declares the few functions
needed to subset by character, through the same library and the same cffi.
"""

from __future__ import annotations

import atexit
import html as html_lib
import io
import os
import re
import shutil
import string
import struct
import threading
import zlib
from collections.abc import Iterable
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from weasyprint.text.constants import CAPS_KEYS, EAST_ASIAN_KEYS, LIGATURE_KEYS, NUMERIC_KEYS
from weasyprint.text.fonts import FontConfiguration

from ..errors import RenderError

# -- which characters and OpenType features a document needs -------------------------------

_GENERATED = (
    "\u00a0\u00ad\u2010\u2011\u2013\u2014\u2026\u2022\u25e6\u25aa\u202f\u2009\u200b"
    "\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb\u2039\u203a"
)
"""What CSS may print that is not in the document's text: hyphens (``hyphens: auto``),
no-break spaces, list bullets, the quotation marks of ``<q>`` in the supported languages."""

_CSS_KEYWORDS: dict[str, tuple[str, ...]] = {
    **{key: tuple(tags) for key, tags in LIGATURE_KEYS.items()},
    **{key: tuple(tags) for key, tags in CAPS_KEYS.items()},
    **{key: (tag,) for key, tag in NUMERIC_KEYS.items()},
    **{key: (tag,) for key, tag in EAST_ASIAN_KEYS.items()},
    "sub": ("subs",),
    "super": ("sups",),
    "historical-forms": ("hist",),
}
"""``font-variant`` keywords and the OpenType features WeasyPrint turns them into."""

_STYLE_TEXT = re.compile(r"<style\b[^>]*>(.*?)</style>|\bstyle=\"([^\"]*)\"", re.DOTALL | re.I)
_FEATURE_SETTING = re.compile(r"""font-feature-settings\s*:([^;}]*)""", re.I)
_FONT_VARIANT = re.compile(r"""\bfont(?:-variant[\w-]*)?\s*:([^;}]*)""", re.I)
_TAG = re.compile(r"""["']([\x20-\x7e]{4})["']""")
_WORD = re.compile(r"[a-z-]+", re.I)
_CHANGES_CASE = re.compile(r"text-transform|small-caps|petite-caps|unicase|titling-caps", re.I)


def _styles(html: str) -> list[str]:
    """The CSS of ``html``: its ``<style>`` elements and ``style`` attributes."""
    return [block or attribute for block, attribute in _STYLE_TEXT.findall(html)]


_TEXT = re.compile(r">[^<]+<")


def markup_characters(html: str) -> set[str]:
    """The characters of ``html`` outside its text: tags, attribute values (``attr()``,
    ``alt``), stylesheets (``content`` strings, page-margin labels); entities decoded."""
    markup = _TEXT.sub("><", html)
    return set(markup) | set(html_lib.unescape(markup)) | {c for css in _styles(html) for c in css}


@lru_cache(maxsize=4)
def _every_face(html: str) -> tuple[frozenset[str], bool]:
    """What every face of ``html`` carries, and whether its CSS changes case (worked out
    once per document, not once per face)."""
    every_face = markup_characters(html) | set(string.printable) | set(_GENERATED)
    return frozenset(every_face), any(_CHANGES_CASE.search(css) for css in _styles(html))


def characters(html: str, text: Iterable[str]) -> str:
    """The characters a face of ``html`` must carry, sorted: ``text`` (what the document sets
    in it), everything CSS may print in any face (:func:`markup_characters`, printable ASCII
    for counters, the marks of :data:`_GENERATED`) and, if its CSS changes case
    (``text-transform``, small capitals), the other case of every letter."""
    every_face, changes_case = _every_face(html)
    seen = set(text) | every_face
    if changes_case:
        cased = {variant for ch in seen for variant in (ch.upper(), ch.lower(), ch.title())}
        seen |= {c for variant in cased for c in variant}
    return "".join(sorted(seen))


def features(html: str) -> frozenset[str]:
    """OpenType features the stylesheets of ``html`` ask for beyond the default shaping ones
    (``font-variant: small-caps``, ``font-feature-settings: "onum"``...)."""
    found: set[str] = set()
    for css in _styles(html):
        for value in _FEATURE_SETTING.findall(css):
            found.update(_TAG.findall(value))
        for value in _FONT_VARIANT.findall(css):
            for word in _WORD.findall(value.lower()):
                found.update(_CSS_KEYWORDS.get(word, ()))
    return frozenset(found)


# -- HarfBuzz through cffi -------------------------------------------------------------------

_DECLARATIONS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_tag_t;
hb_blob_t *hb_blob_create_from_file(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
hb_tag_t hb_tag_from_string(const char *str, int len);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
void hb_set_add_range(hb_set_t *set, uint32_t first, uint32_t last);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_NO_HINTING = 0x01
_NOTDEF_OUTLINE = 0x40
_SET_NAME_ID = 4
_SET_LAYOUT_FEATURE_TAG = 6
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)
"""Name records kept: copyright, family, style, unique id, full name, version, PostScript
name, licence and licence URL (the SIL Open Font Licence travels with the font)."""


def _open(ffi: Any, *names: str) -> Any:
    for name in names:
        with suppress(OSError):
            return ffi.dlopen(name)
    return None


@lru_cache(maxsize=1)
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    """(ffi, libharfbuzz, libharfbuzz-subset), or None if the subset library is missing."""
    try:
        import cffi
    except ImportError:  # pragma: no cover - WeasyPrint depends on cffi
        return None
    ffi = cffi.FFI()
    ffi.cdef(_DECLARATIONS)
    hb = _open(ffi, "libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz")
    hb_subset = _open(
        ffi,
        "libharfbuzz-subset.so.0",
        "libharfbuzz-subset.0.dylib",
        "libharfbuzz-subset-0.dll",
        "harfbuzz-subset",
    )
    if hb is None or hb_subset is None:
        return None
    return ffi, hb, hb_subset


def harfbuzz_available() -> bool:
    """Whether fonts are subset with HarfBuzz (else with the much slower fontTools)."""
    return _harfbuzz() is not None


class _Face:
    """A font file opened by HarfBuzz once per process (the file is mapped, not copied)."""

    def __init__(self, path: Path) -> None:
        binding = _harfbuzz()
        assert binding is not None
        self.ffi, self.hb, self.hb_subset = binding
        blob = self.hb.hb_blob_create_from_file(os.fsencode(path))
        self.face = self.ffi.gc(self.hb.hb_face_create(blob, 0), self.hb.hb_face_destroy)
        self.hb.hb_blob_destroy(blob)  # the face holds its own reference
        if self.hb.hb_face_get_glyph_count(self.face) == 0:
            raise RenderError(f"'{path}' is not a font briefgen can read")

    def subset(self, text: str, wanted: Iterable[str]) -> bytes | None:
        ffi, hb, hb_subset = self.ffi, self.hb, self.hb_subset
        options = ffi.gc(
            hb_subset.hb_subset_input_create_or_fail(), hb_subset.hb_subset_input_destroy
        )
        if options == ffi.NULL:  # pragma: no cover - out of memory
            return None
        unicodes = hb_subset.hb_subset_input_unicode_set(options)
        for char in text:
            hb.hb_set_add(unicodes, ord(char))
        # The default feature set is every feature HarfBuzz applies when it shapes text (as
        # Pango does for WeasyPrint and a browser does); ``wanted`` adds what CSS asks for.
        layout = hb_subset.hb_subset_input_set(options, _SET_LAYOUT_FEATURE_TAG)
        for tag in sorted(wanted):
            hb.hb_set_add(layout, hb.hb_tag_from_string(tag.encode("ascii"), 4))
        names = hb_subset.hb_subset_input_set(options, _SET_NAME_ID)
        for name_id in _NAME_IDS:
            hb.hb_set_add(names, name_id)
        # No hinting: WeasyPrint lays text out and writes its PDFs without it too.
        hb_subset.hb_subset_input_set_flags(options, _NO_HINTING | _NOTDEF_OUTLINE)
        result = hb_subset.hb_subset_or_fail(self.face, options)
        if result == ffi.NULL:
            return None
        result = ffi.gc(result, hb.hb_face_destroy)
        blob = hb.hb_face_reference_blob(result)
        try:
            length = ffi.new("unsigned int *")
            data = hb.hb_blob_get_data(blob, length)
            return bytes(ffi.buffer(data, length[0]))
        finally:
            hb.hb_blob_destroy(blob)


_FACES: dict[tuple[str, int, int], _Face] = {}
_LOCK = threading.Lock()


def _face(path: Path) -> _Face:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)  # a font replaced on disk is reopened
    with _LOCK:
        if key not in _FACES:
            _FACES[key] = _Face(path)
        return _FACES[key]


def _fonttools_subset(path: Path, text: str, wanted: Iterable[str]) -> bytes:
    """The same subset with fontTools (about a thousand times slower)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = [*options.layout_features, *sorted(wanted)]
    options.name_IDs = list(_NAME_IDS)
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(str(path), recalcTimestamp=False)  # reproducible output
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=128)
def subset_woff(path: Path, mtime_ns: int, text: str, wanted: frozenset[str]) -> bytes:
    """The font at ``path`` cut down to the glyphs ``text`` needs with the OpenType features
    a browser or WeasyPrint applies (plus ``wanted``), packed as WOFF 1.0.

    ``mtime_ns`` is the file's modification time, so that a replaced font is not served from
    the cache. Raises :class:`RenderError` if the file is not a font HarfBuzz can subset.
    """
    del mtime_ns  # part of the cache key only
    if harfbuzz_available():
        sfnt = _face(path).subset(text, wanted)
        if sfnt is None:
            raise RenderError(f"'{path}' is not a font briefgen can subset")
    else:
        try:
            sfnt = _fonttools_subset(path, text, wanted)
        except Exception as exc:
            raise RenderError(f"'{path}' is not a font briefgen can subset ({exc})") from None
    return woff(sfnt)


# -- WOFF 1.0 ---------------------------------------------------------------------------------


def woff(sfnt: bytes) -> bytes:
    """``sfnt`` (a TrueType/OpenType font) as a WOFF 1.0 file: each table zlib-compressed
    when that makes it smaller (https://www.w3.org/TR/WOFF/). The same input always gives the
    same bytes."""
    flavor, count = struct.unpack_from(">IH", sfnt, 0)
    records = sorted(struct.unpack_from(">4sIII", sfnt, 12 + 16 * i) for i in range(count))
    offset = 44 + 20 * count
    directory, tables = [], []
    sfnt_size = 12 + 16 * count
    for tag, checksum, start, length in records:
        data = sfnt[start : start + length]
        packed = zlib.compress(data, 9)
        stored = packed if len(packed) < length else data
        directory.append(struct.pack(">4sIIII", tag, offset, len(stored), length, checksum))
        padding = b"\0" * (-len(stored) % 4)
        tables.append(stored + padding)
        offset += len(stored) + len(padding)
        sfnt_size += length + (-length % 4)
    header = struct.pack(
        ">4sIIHHIHHIIIII", b"wOFF", flavor, offset, count, 0, sfnt_size, 1, 0, 0, 0, 0, 0, 0
    )
    return header + b"".join(directory) + b"".join(tables)


__all__ = ["characters", "features", "harfbuzz_available", "subset_woff", "woff"]


_font_config: FontConfiguration | None = None


def font_config() -> FontConfiguration:
    """WeasyPrint's font configuration: one per process (costly to build, reusable)."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
        atexit.register(_close_fonts)
    return _font_config


def _close_fonts() -> None:
    """Remove the font configuration's temporary folder (WeasyPrint leaves it to ``__del__``,
    which may not run at interpreter exit)."""
    global _font_config
    folder = getattr(_font_config, "_folder", None)
    _font_config = None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
