"""Languages: message catalogs for the templates' fixed strings, and text that follows a locale.

Catalogs are gettext ``.po`` files under ``briefgen/locale/<lang>/LC_MESSAGES/briefgen.po``,
managed with Babel (``python tools/i18n.py``: extract, update, compile). A wheel carries the
compiled ``.mo`` files; a source checkout compiles the ``.po`` in memory when no ``.mo`` is
newer.
"""

from __future__ import annotations

import io
import logging
import re
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "briefgen"
LANGUAGES = ("en", "fr", "az")

# BCP 47 tags written into documents (HTML lang, PDF /Lang, DOCX w:lang): EU English is British.
TAGS = {"en": "en-GB", "fr": "fr-FR", "az": "az-Latn-AZ"}
HTML_LANG = {"en": "en-GB", "fr": "fr", "az": "az"}
BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR", "az": "az_Latn_AZ"}


PAGE_LABEL = "Page %(page)s of %(pages)s"
MARKING = "Restricted — not for publication"
EMAIL_BODY = (
    "Ahead of the %(event)s in %(place)s on %(date)s, please find attached our letter, "
    "together with our policy brief “%(title)s”."
)
EMAIL_RESTRICTED = (
    "This is the restricted edition of the brief, shared with you in confidence: please do not "
    "publish or forward it."
)
EMAIL_DOCX = "The letter is also attached as a Word document."
ATTACHMENT_LETTER = "%(organisation)s – letter to %(recipients)s"
ATTACHMENT_BRIEF = "%(organisation)s – policy brief"
ATTACHMENT_BRIEF_RESTRICTED = "%(organisation)s – policy brief, restricted edition"
PYTHON_MESSAGES = [
    PAGE_LABEL,
    MARKING,
    EMAIL_BODY,
    EMAIL_RESTRICTED,
    EMAIL_DOCX,
    ATTACHMENT_LETTER,
    ATTACHMENT_BRIEF,
    ATTACHMENT_BRIEF_RESTRICTED,
]
"""Messages briefgen's code looks up (besides the templates' and the forms of address)."""

_FIELD = re.compile(r"%\((\w+)\)s")


def split_label(label: str) -> list[tuple[str, str | None]]:
    """Split "Page %(page)s of %(pages)s" into (text, field) pairs: ("Page ", "page")..."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for match in _FIELD.finditer(label):
        parts.append((label[position : match.start()], match.group(1)))
        position = match.end()
    if position < len(label):
        parts.append((label[position:], None))
    return parts


def catalog_path(language: str, suffix: str = ".po") -> Path:
    """Where the catalog of ``language`` lives (``.po`` source or ``.mo`` compiled)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def read_catalog(language: str) -> Catalog:
    """The ``.po`` catalog of ``language`` as a Babel :class:`Catalog`."""
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


@cache
def translations(language: str) -> Translations:
    """gettext translations for ``language`` (compiled once per process).

    A message with no translation falls back to its English msgid; :func:`missing_messages`
    and ``briefgen check`` report those, and the build logs them once.
    """
    mo = catalog_path(language, ".mo")
    po = catalog_path(language)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    catalog = read_catalog(language)
    missing = [m.id for m in catalog if m.id and (not _translated(m) or m.fuzzy)]
    if missing and language != "en":
        logger.warning(
            "%d messages have no %s translation and will show in English: %s",
            len(missing),
            language,
            ", ".join(repr(str(m)) for m in missing[:5]),
        )
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _translated(message: object) -> bool:
    string = getattr(message, "string", None)
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def missing_messages(language: str, wanted: set[str] | None = None) -> list[tuple[int, str]]:
    """(line, msgid) of messages the ``language`` catalog leaves untranslated or fuzzy.

    ``wanted`` adds msgids that must be in the catalog (strings of a campaign's own templates);
    those absent from it are reported with line 0.
    """
    catalog = read_catalog(language)
    problems = [
        (m.lineno or 0, str(m.id if isinstance(m.id, str) else m.id[0]))
        for m in catalog
        if m.id and (not _translated(m) or m.fuzzy)
    ]
    for msgid in sorted(wanted or set()):
        if catalog.get(msgid) is None:
            problems.append((0, msgid))
    return problems


def language_name(language: str, in_language: str) -> str:
    """The name of ``language`` written in ``in_language`` ("français", "French")."""
    name = Locale.parse(BABEL_LOCALES.get(language, language)).get_display_name(
        BABEL_LOCALES.get(in_language, in_language)
    )
    return (name or language).split(" (")[0]


def upper(text: str, language: str) -> str:
    """Upper-case ``text`` by the rules of ``language`` (Azerbaijani: i → İ, ı → I)."""
    if language in ("az", "tr"):
        text = text.replace("i", "\u0130").replace("\u0131", "I")
    return text.upper()


def lower(text: str, language: str) -> str:
    """Lower-case ``text`` by the rules of ``language`` (Azerbaijani: I → ı, İ → i)."""
    if language in ("az", "tr"):
        text = text.replace("I", "\u0131").replace("\u0130", "i")
    return text.lower()


def template_messages(folder: Path) -> dict[str, list[tuple[str, int]]]:
    """Messages the Jinja templates (``*.html``, ``*.css``) in ``folder`` mark for translation.

    Returns ``{msgid: [(file name, line), ...]}``; a plural message is keyed by its singular.
    """
    from babel.messages.extract import extract_from_dir

    method_map = [("**.html", "jinja2"), ("**.css", "jinja2")]
    options = {"**": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(folder),
        method_map,
        options_map=options,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, []).append((filename, line))
    return found
