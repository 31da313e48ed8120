"""Render stage: one document's HTML from Jinja2 templates and its filtered context."""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_decimal
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from . import context as ctx
from . import envelope, figures, i18n, leaks, names, reference, typography
from .errors import RenderError, TemplateError
from .model import Campaign
from .options import FORMATS
from .plan import DocumentPlan
from .project import campaign_dir, default_templates

TEMPLATES = {"brief": "brief.html", "letter": "letter.html"}


@dataclass(frozen=True)
class DocumentMeta:
    """What writers put in a document's properties, and what they need besides the HTML."""

    title: str
    author: str
    subject: str
    language: str
    tag: str
    date: dt.date
    restricted: bool
    template: str
    reference_docx: Path
    page_label: str
    marking: str
    pdf_variant: str = "pdf/ua-1"
    source_file: Path | None = None
    """The campaign file (embedded in PDF/A-3 documents)."""

    @property
    def variant_name(self) -> str:
        """The PDF standard written, as people write it: "PDF/UA-1"."""
        return self.pdf_variant.upper()


@dataclass(frozen=True)
class Rendered:
    """A document rendered to HTML, ready for a writer.

    ``base_url`` resolves relative URLs; ``roots`` are the folders its resources may come
    from (the campaign folder and the template folders).
    """

    plan: DocumentPlan
    html: str
    base_url: str
    roots: tuple[Path, ...]
    meta: DocumentMeta
    envelope: envelope.Envelope | None = None
    """A letter's e-mail envelope: addresses, note, attachment names (``None``: a brief)."""
    notes: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What a writer learns while writing, for the writers after it (the PDF writer notes
    the fit class a letter was laid out with: ``notes["fit"]``)."""

    @property
    def title(self) -> str:
        """The document's title (PDF title, DOCX core property, HTML ``<title>``)."""
        return self.meta.title


def _css_string(value: str) -> Markup:
    """Quote ``value`` as a CSS string (for page-margin labels such as the organisation name).

    Backslashes, quotes, ``<`` and line breaks are written as CSS escapes, so no value can end
    the string, the rule or the ``<style>`` element.
    """
    escaped = "".join(f"\\{ord(ch):x} " if ch in '\\"<>\n\r\f' else ch for ch in str(value))
    return Markup(f'"{escaped}"')


@jinja2.pass_context
def _upper(context: Any, value: str) -> str:
    """Upper case by the rules of the document's language (Azerbaijani i → İ)."""
    return i18n.upper(str(value), context["doc"]["language"])


@jinja2.pass_context
def _lower(context: Any, value: str) -> str:
    return i18n.lower(str(value), context["doc"]["language"])


@jinja2.pass_context
def _number(context: Any, value: float) -> str:
    """``value`` formatted for the document's language (1,234.5 / 1 234,5)."""
    language = context["doc"]["language"]
    return format_decimal(value, locale=i18n.BABEL_LOCALES.get(language, language))


def _docx_field(value: object, instruction: str) -> Markup:
    """``value`` marked as the shown result of the Word field ``instruction`` (a caption's
    ``SEQ Figure`` number): the DOCX writer makes it a field, other formats print it."""
    return Markup('<span data-docx-field="{}">{}</span>').format(instruction, str(value))


def _nobreak(value: str) -> str:
    """``value`` with no-break spaces: a date ("17 October 2025") kept on one line."""
    return str(value).replace(" ", "\u00a0")


def _css_page_label(label: str) -> Markup:
    """The CSS ``content`` of the translated "Page %(page)s of %(pages)s" label."""
    parts = []
    for text, counter in i18n.split_label(label):
        if text:
            parts.append(_css_string(text))
        if counter:
            parts.append(Markup(f"counter({counter})"))
    return Markup(" ").join(parts)


class Renderer:
    """Renders a campaign's documents to HTML; keeps its compiled templates between calls.

    ``campaign_file`` locates relative paths (logo, templates override folder).
    """

    def __init__(self, campaign: Campaign, campaign_file: Path) -> None:
        self.campaign = campaign
        self.base = campaign_dir(campaign_file)
        self.source_file = Path(campaign_file).resolve()
        self.entirely_public = leaks.entirely_public(campaign)
        self._guards: dict[str, leaks.Guard] = {}
        folders = [default_templates()]
        if campaign.campaign.templates:
            folders.insert(0, (self.base / campaign.campaign.templates).resolve())
        self.folders = folders
        self._asset_urls: dict[str, str] = {}
        # Templates are code written by users: sandboxed, they cannot reach Python internals.
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(f) for f in folders]),
            autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals["asset"] = self.asset
        self.env.filters["css_string"] = _css_string
        self.env.filters["upper"] = _upper
        self.env.filters["lower"] = _lower
        self.env.filters["number"] = _number
        self.env.filters["nobreak"] = _nobreak
        self.env.filters["docx_field"] = _docx_field
        logo = campaign.organisation.logo
        self.logo_url = (self.base / logo).resolve().as_uri() if logo else None
        reference = campaign.campaign.reference_docx
        self.reference_docx = (
            (self.base / reference).resolve() if reference else self.asset_path("reference.docx")
        )

    def asset(self, name: str) -> str:
        """The ``file:`` URL of template asset ``name`` (campaign override first)."""
        if name not in self._asset_urls:  # the fonts of every document: looked up once
            self._asset_urls[name] = self.asset_path(name).as_uri()
        return self._asset_urls[name]

    def asset_path(self, name: str) -> Path:
        """The file of template asset ``name`` (campaign override first)."""
        for folder in self.folders:
            path = (folder / name).resolve()
            if path.is_relative_to(folder) and path.is_file():
                return path
        raise TemplateError(
            f"template asset '{name}' not found in {', '.join(str(f) for f in self.folders)}"
        )

    def render(self, doc: DocumentPlan) -> Rendered:
        """Render ``doc`` to HTML. Raises :class:`TemplateError` naming template and line."""
        if doc.kind == "brief":
            place = figures.placer(self.base, (self.base, *self.folders))
            context = ctx.brief_context(self.campaign, doc, self.logo_url, place)
        else:
            context = ctx.letter_context(self.campaign, doc, self.logo_url)
        name = TEMPLATES[doc.kind]
        translations = i18n.translations(doc.language)
        self.env.install_gettext_translations(  # type: ignore[attr-defined]
            translations, newstyle=True
        )
        page_label = translations.gettext(i18n.PAGE_LABEL)
        marking = translations.gettext(i18n.MARKING)
        context["page_label_css"] = _css_page_label(page_label)
        context["marking"] = marking
        try:
            template = self.env.get_template(name)
            html = template.render(context)
        except TemplateError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(
                f"template '{exc.name}' not found in {', '.join(str(f) for f in self.folders)}"
            ) from None
        except Exception as exc:
            where = self._template_frame(exc)
            if where is None:
                raise
            if isinstance(exc, jinja2.UndefinedError):
                message = f"undefined variable: {exc.message}"
            elif isinstance(exc, MemoryError):
                message = "ran out of memory: the template produces too much output"
            else:
                message = f"{type(exc).__name__}: {exc}"
            raise TemplateError(f"{where}: {message}") from None
        html = context["footnotes"].fill(html)
        html = typography.refine(html, doc.language, typography.protected_names(context))
        self._reference_guard(doc.edition)
        roots = (self.base, *self.folders)
        info = self.campaign.campaign
        meta = DocumentMeta(
            title=context["title"],
            author=context["organisation"]["name"],
            subject=context.get("subject")
            or ", ".join(context["event"][k] for k in ("name", "place", "date")),
            language=doc.language,
            tag=i18n.TAGS.get(doc.language, doc.language),
            date=info.date,
            restricted=doc.edition == "restricted",
            template=name,
            reference_docx=self.reference_docx,
            page_label=page_label,
            marking=marking,
            pdf_variant=info.pdf_variant,
            # The campaign file goes into a document only if the document may show all of
            # it: a restricted one, or any when the campaign holds nothing confidential.
            source_file=self.source_file
            if doc.edition == "restricted" or self.entirely_public
            else None,
        )
        letter = envelope.of(context, doc) if doc.letter is not None else None
        self._guard(doc, html, meta, letter)
        return Rendered(doc, html, self.base.as_uri() + "/", roots, meta, letter)

    def _guard(
        self, doc: DocumentPlan, html: str, meta: DocumentMeta, letter: envelope.Envelope | None
    ) -> None:
        """The last line: refuse a document whose HTML, properties, file names or e-mail
        fields would name a case its edition may not name (whatever put it there)."""
        if doc.edition not in self._guards:
            self._guards[doc.edition] = leaks.guard(self.campaign, doc.edition)
        guard = self._guards[doc.edition]
        if not guard.people:
            return
        texts = [html, meta.title, meta.subject, meta.author, meta.page_label, meta.marking]
        texts.append(self.campaign.organisation.email or "")  # an e-mail draft's sender
        texts += [str(doc.path(fmt)) for fmt in FORMATS]
        addressees: list[str] = []
        if doc.letter is not None and letter is not None:
            # What an e-mail draft adds: its note (from the catalog), attachments, addresses.
            texts += letter.words()
            texts.append(f"{names.slug(meta.author)}-{doc.letter.id}")
            for person in doc.letter.to:
                texts += [person.email or "", *person.cc]
            addressees = leaks.addressed(doc.letter.to)
        found = guard.document_leaks(texts, addressees)
        if found:
            from .locate import leak_origin  # only when a document is refused

            where = leak_origin(self.campaign, self.source_file, found[0])
            hint = "" if found[0].part.kind == "name" else leaks.ALLOW_HINT
            raise RenderError(
                f"this {doc.edition} document {leaks.describe(found[0])}{where}; remove it{hint}"
            )

    def _reference_guard(self, edition: str) -> None:
        """Refuse a document whose reference document's header, footer or styles would
        name a case ``edition`` may not name (the reference changed since ``check``)."""
        try:
            prepared = reference.prepare(self.reference_docx)
        except reference.ReferenceRefused:
            return  # the DOCX writer reports it; the other formats do not use it
        for where, mention in reference.leaks_in(prepared, self.campaign, edition):
            raise RenderError(
                f"this {edition} document {leaks.describe(mention)} in the {where} of its "
                f"reference document '{self.reference_docx}'; remove that name from the "
                "reference document"
            )

    def _template_frame(self, exc: BaseException) -> str | None:
        """``file:line`` of the innermost template frame of ``exc``'s traceback."""
        where = None
        for frame, line in traceback.walk_tb(exc.__traceback__):
            filename = frame.f_code.co_filename
            if any(filename.startswith(str(f)) for f in self.folders):
                where = f"{filename}:{line}"
        return where


__all__ = ["Renderer", "Rendered"]
