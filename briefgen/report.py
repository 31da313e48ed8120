"""What a build reports: while it runs (:class:`Progress`), and when it is over."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem, errors_in

if TYPE_CHECKING:
    from .plan import DocumentPlan
    from .pool import Outcome, Task
    from .schedule import TaskQueue


@dataclass(frozen=True)
class Failure:
    """A document that could not be written, and why."""

    campaign: Path
    document: str
    message: str

    def __str__(self) -> str:
        return f"{self.campaign}: {self.document}: {self.message}"


@dataclass
class BuildReport:
    """What a build did: files written, documents that failed, campaigns that were invalid."""

    written: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rendered: int = 0
    """Documents rendered in this build."""
    unchanged: int = 0
    """Documents whose outputs were up to date, so not rendered again."""
    campaigns: dict[str, Path] = field(default_factory=dict)
    """The valid campaigns built: their id and file."""

    @property
    def ok(self) -> bool:
        """True when every campaign was valid and every document was written."""
        return not self.failures and not errors_in(self.problems)

    def fail(self, failure: Failure) -> None:
        """Record ``failure`` (once)."""
        if failure not in self.failures:
            self.failures.append(failure)


class Progress:
    """What a build reports while it runs (the CLI shows a bar or log lines; default: nothing)."""

    def start(self, total: int, unchanged: int) -> None:
        """``total`` documents to render; ``unchanged`` were up to date."""

    def planned(
        self,
        report: BuildReport,
        documents: dict[str, list[DocumentPlan]],
        queue: TaskQueue[Task],
    ) -> None:
        """The campaigns are checked and planned; no document is rendered yet. ``report``
        holds the problems and the valid campaigns, ``documents`` every document of each
        valid campaign (by id), ``queue`` the documents to render, first first: its order
        may be changed, or the queue emptied, while the build runs."""

    def finished(self, outcome: Outcome) -> None:
        """A document was rendered (``outcome.files``) or failed (``outcome.error``)."""

    def done(self, document: str, ok: bool, reason: str | None = None) -> None:
        """One document finished (``ok``) or failed (and why)."""

    def close(self) -> None:
        """The build is over (a bar stops drawing)."""
