"""The documents of a build still to render, in an order that may change while it runs.

A build takes its next document from the front of a :class:`TaskQueue`. The preview moves
the document someone has just opened to the front, so it is rendered next, and empties the
queue when a save makes the rest out of date.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class TaskQueue(Generic[T]):
    """Tasks in the order they will be rendered; safe to use from several threads."""

    def __init__(self, tasks: Iterable[T] = ()) -> None:
        self._tasks = list(tasks)
        self._lock = threading.Lock()
        self.steered = False
        """Set by whoever reorders the queue while the build runs (the preview): a pool
        then hands its workers no document ahead of time, so the next one is chosen as
        late as possible."""

    def __len__(self) -> int:
        return len(self._tasks)

    def __bool__(self) -> bool:
        return bool(self._tasks)

    def snapshot(self) -> list[T]:
        """The tasks waiting, first to be rendered first."""
        with self._lock:
            return list(self._tasks)

    def peek(self) -> T | None:
        """The task to render next, or None if there is none (the queue may be emptied by
        another thread at any time)."""
        with self._lock:
            return self._tasks[0] if self._tasks else None

    def take(self, task: T) -> None:
        """Remove ``task``, which is being rendered now (a no-op if it has gone)."""
        with self._lock:
            if self._tasks and self._tasks[0] == task:
                del self._tasks[0]
            elif task in self._tasks:
                self._tasks.remove(task)

    def pop(self) -> T | None:
        """Remove and return the task to render next, or None if there is none."""
        with self._lock:
            return self._tasks.pop(0) if self._tasks else None

    def put_back(self, tasks: Iterable[T]) -> None:
        """Put ``tasks`` (interrupted ones) at the front again."""
        with self._lock:
            self._tasks[:0] = list(tasks)

    def prioritise(self, wanted: Callable[[T], bool]) -> bool:
        """Move the tasks for which ``wanted`` is true to the front, keeping their order.
        Returns whether there was any."""
        with self._lock:
            first = [t for t in self._tasks if wanted(t)]
            if first:
                self._tasks = first + [t for t in self._tasks if not wanted(t)]
            return bool(first)

    def clear(self) -> list[T]:
        """Drop every waiting task (the build ends after those in progress); return them."""
        with self._lock:
            dropped, self._tasks = self._tasks, []
            return dropped


__all__ = ["TaskQueue"]
