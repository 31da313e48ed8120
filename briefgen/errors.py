"""Exceptions raised by briefgen; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def did_you_mean(value: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``known`` to a mistyped ``value``, or ""."""
    hint = difflib.get_close_matches(value, sorted(known), n=1, cutoff=cutoff)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
    "\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with control characters, line breaks and invisible direction or width
    characters written as escapes (``\\x1b``, ``\\n``, ``\\u202e``), so that what a message
    quotes from a file can neither drive the terminal nor split or reorder the line."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    ``line`` and ``column`` are 1-based; ``None`` when the problem has no position (an empty
    file, bytes that are not UTF-8). ``field`` is a dotted path such as
    ``recipients[2].language``, or ``None`` for problems with the file as a whole.
    """

    file: Path
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        field = f"{self.field}: " if self.field else ""
        return printable(f"{where}: {self.severity}: {field}{self.message}")

    @property
    def is_error(self) -> bool:
        """Whether this problem makes its campaign invalid (else it is a warning)."""
        return self.severity == "error"


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    """The errors among ``problems`` (the problems that make a campaign invalid)."""
    return [p for p in problems if p.is_error]


def split(problems: Iterable[Problem]) -> tuple[list[Problem], list[Problem]]:
    """``problems`` as (errors, warnings), each in the order given."""
    found = list(problems)
    return [p for p in found if p.is_error], [p for p in found if not p.is_error]


class BriefgenError(Exception):
    """Base class of every error briefgen raises on purpose."""


class CampaignError(BriefgenError):
    """The campaign file cannot be read or does not follow the campaign format."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(BriefgenError):
    """A template is missing, malformed or failed while rendering."""


class RenderError(BriefgenError):
    """A document could not be written (a resource was refused or missing, a writer failed)."""


class PictureError(RenderError):
    """A picture cannot be used: not a picture, damaged, too large, or it reads what it may
    not. ``reason`` says why in words; the message adds the picture's name."""

    def __init__(self, reason: str, name: str = "") -> None:
        self.reason = reason
        self.name = name
        super().__init__(f"picture '{name}': {reason}" if name else reason)


class OptionError(BriefgenError):
    """A build option does not fit the campaigns (for example an unknown recipient id)."""
