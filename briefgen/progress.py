"""How the command line shows a build going: a bar on a terminal, a line per document in a log."""

from __future__ import annotations

import sys
import time

import click

from .report import Progress


class PlainProgress(Progress):
    """A log line per document, for logs and pipes."""

    def __init__(self) -> None:
        self.total = 0
        self.count = 0

    def start(self, total: int, unchanged: int) -> None:
        self.total = total
        click.echo(f"{total} documents to render, {unchanged} unchanged", err=True)

    def done(self, document: str, ok: bool, reason: str | None = None) -> None:
        self.count += 1
        line = f"[{self.count}/{self.total}] {'done' if ok else 'FAILED'}: {document}"
        click.echo(f"{line}: {reason}" if reason and not ok else line, err=True)


class BarProgress(Progress):
    """A progress bar with count, rate and time left, for a terminal."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("rendering"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            transient=True,
        )
        self.task = self.bar.add_task("render", total=0, rate="")
        self.started = 0.0

    def start(self, total: int, unchanged: int) -> None:
        self.started = time.monotonic()
        self.bar.update(self.task, total=total)
        if total:
            self.bar.start()

    def done(self, document: str, ok: bool, reason: str | None = None) -> None:
        completed = self.bar.tasks[0].completed + 1
        rate = completed / max(time.monotonic() - self.started, 1e-6)
        self.bar.update(self.task, completed=completed, rate=f"{rate:.1f} docs/s")

    def close(self) -> None:
        self.bar.stop()


def progress_for(quiet: bool) -> Progress:
    """Nothing with ``quiet``; a bar on a terminal; else a line per document."""
    if quiet:
        return Progress()  # nothing
    if sys.stderr.isatty():
        return BarProgress()
    return PlainProgress()
