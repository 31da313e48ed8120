"""Checks: small functions that look at one campaign and return ``(errors, warnings)``.

:mod:`briefgen.validate` runs them in passes, as MkDocs validates its configuration: before
(the campaign format itself, :mod:`.schema`), main (cross-references, text, evidence,
files, then the recipients once imports are read) and after (warnings ``briefgen check``
adds: translations, message catalogs, evidence). Each check takes a :class:`Subject`: the
file as loaded, the campaign as written and, once read, the recipients of its imports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, split
from ..imports import Origin
from ..loader import Loaded, PathKey, format_path
from ..model import Campaign, Recipient

Found = tuple[list[Problem], list[Problem]]
"""What a check found: (errors, warnings)."""

NOTHING: Found = ([], [])


@dataclass
class Subject:
    """What the checks look at: the campaign file as ``loaded``, the campaign as
    ``written`` (imports not read) and, once the imports are read, every recipient
    (``people``, each with its ``origins``) and the campaign with them (``expanded``)."""

    loaded: Loaded
    written: Campaign
    base: Path
    """The folder relative paths in the campaign are resolved against."""
    people: list[Recipient] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    expanded: Campaign | None = None
    errors: int = 0
    """Errors the checks run before this one found."""

    @property
    def campaign(self) -> Campaign:
        """The campaign with its imports read, or as written before they are."""
        return self.expanded or self.written

    def problem(self, path: PathKey, message: str, severity: str = "error") -> Problem:
        """A problem at ``path`` of the campaign file."""
        line, col = self.loaded.where(path)
        return Problem(self.loaded.path, message, line, col, format_path(path), severity)


Check = Callable[[Subject], Found]


def found(problems: Sequence[Problem]) -> Found:
    """``problems`` as a check's result: (errors, warnings)."""
    return split(problems)


def run(checks: Sequence[Check], subject: Subject) -> Found:
    """Run ``checks`` in order on ``subject``; return every error and warning found."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for check in checks:
        more_errors, more_warnings = check(subject)
        errors += more_errors
        warnings += more_warnings
        subject.errors += len(more_errors)
    return errors, warnings
