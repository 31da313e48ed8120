"""The brief in the campaign model: its title, summary and sections, its cover photo and its
figures (see :mod:`briefgen.figures` for where each picture is shown, and
:mod:`briefgen.raster` for what is left out of every picture)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .fields import Markdown, Plain, Prose, Text

Visibility = Literal["public", "restricted"]


class _Model(BaseModel):
    """The base of every model of the campaign (here and in :mod:`briefgen.model`)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=False, arbitrary_types_allowed=True
    )


class Cover(_Model):
    """A photo under the brief's title, in every edition."""

    file: Plain = Field(
        description="Picture file (PNG, JPEG, GIF, WebP or SVG), relative to the campaign "
        "file. Its metadata (camera, author, GPS position...) never reaches a document."
    )
    alt: Prose = Field(
        description="Text alternative: what the picture shows, for screen readers (required)."
    )
    caption: Prose | None = Field(None, description="Printed under the picture, as written.")
    credit: Text | None = Field(
        None,
        description="Who made the picture, printed after the caption as written "
        "(e.g. '© 2020 Meydan TV').",
    )


class Figure(Cover):
    """A picture in a section of the brief or in a case."""

    visibility: Visibility = Field(
        "public",
        description="restricted: only in restricted documents. A figure of a restricted case "
        "is shown only where the case is (never, for a withheld case).",
    )


class Section(_Model):
    visibility: Visibility = Field(
        "public", description="restricted: only in the restricted edition of the brief."
    )
    title: Prose
    body: Markdown
    figures: list[Figure] = Field([], description="Pictures shown after the section's text.")


class Brief(_Model):
    title: Prose
    subtitle: Prose | None = None
    cover: Cover | None = Field(None, description="A photo under the title.")
    summary: Markdown
    sections: list[Section] = []
