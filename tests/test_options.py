"""Build options: one frozen object, checked once, shared by the CLI, the API and the model."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from briefgen import BuildOptions, OptionError, cli
from briefgen.model import CampaignInfo
from briefgen.options import DEFAULT_FORMATS, DOCUMENT_TIMEOUT, FORMATS, PDF_VARIANTS


def test_options_are_frozen_and_changed_by_copy() -> None:
    options = BuildOptions(formats=["pdf"], recipients=["hr"])  # type: ignore[arg-type]
    assert (options.formats, options.recipients) == (("pdf",), ("hr",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.force = True  # type: ignore[misc]
    forced = options.but(force=True)
    assert (forced.force, options.force, forced.recipients) == (True, False, ("hr",))
    assert BuildOptions().formats == DEFAULT_FORMATS


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"formats": ("pdf", "odt")}, "unknown format 'odt' (expected: pdf, docx, html, eml)"),
        (
            {"only": "brief", "recipients": ("hr",)},
            "--recipient chooses letters; it cannot go with --only brief",
        ),
        (
            {"pdf_variant": "pdf/x-4"},
            "unknown PDF variant 'pdf/x-4' (expected: pdf/ua-1, pdf/a-3b, pdf/a-3a, pdf/a-3u)",
        ),
        ({"jobs": 0}, "jobs must be at least 1 (got 0)"),
        ({"only": "cases"}, "unknown --only 'cases' (expected: brief, letters)"),
    ],
)
def test_an_option_that_cannot_be_used_is_refused_in_words(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(OptionError) as caught:
        BuildOptions(**changes)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_the_cli_and_the_model_take_the_options_from_one_place() -> None:
    build = cli.cli.commands["build"]
    params = {p.name: p for p in build.params}
    assert tuple(params["pdf_variant"].type.choices) == PDF_VARIANTS  # type: ignore[attr-defined]
    assert params["timeout"].default == DOCUMENT_TIMEOUT
    assert params["formats"].default == ",".join(DEFAULT_FORMATS)
    annotation = CampaignInfo.model_fields["pdf_variant"].annotation
    assert typing.get_args(annotation) == PDF_VARIANTS
    assert set(FORMATS) >= set(DEFAULT_FORMATS)
    # Every build option is a CLI option of the same name.
    fields = {f.name for f in dataclasses.fields(BuildOptions)}
    assert fields <= set(params)
