"""Where documents render: worker processes that end with their build, time limits.

A build killed outright (``kill -9``, the machine's out-of-memory killer) cannot stop its
workers itself. On Linux the kernel ends each worker when its parent dies
(``PR_SET_PDEATHSIG``); everywhere, a worker checks that its parent is still the build
before each document and before writing any file. A document rendered in the build's own
process (``-j 1``, a single document) is stopped by an alarm when it takes too long.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

PR_SET_PDEATHSIG = 1

_PARENT: dict[str, int] = {}


def die_with_parent(parent: int) -> None:
    """In a worker process: be killed when process ``parent`` (the build) ends."""
    _PARENT["pid"] = parent
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    exit_if_orphaned()  # the build may have died before the line above


def exit_if_orphaned() -> None:
    """In a worker process: end at once if the build that started it is gone."""
    parent = _PARENT.get("pid")
    if parent is not None and os.getppid() != parent:
        os._exit(1)


class TimeLimit(BaseException):
    """A document rendered in this process took too long (a :class:`BaseException`, so
    that code catching ``Exception`` lets it through)."""


def can_limit_time() -> bool:
    """Whether :func:`time_limit` works here: in the main thread of a POSIX process."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@dataclass
class Timer:
    """Whether a :func:`time_limit` ran out (even if the code it interrupted went on)."""

    expired: bool = False


@contextlib.contextmanager
def time_limit(seconds: float | None, timer: Timer | None = None) -> Iterator[None]:
    """Raise :class:`TimeLimit` in the block once it has run ``seconds`` (``None``: never).

    Only in the main thread (see :func:`can_limit_time`). The alarm repeats every quarter
    of a second until the block ends, since some libraries catch every exception (WeasyPrint
    goes on without an SVG it was drawing); ``timer`` tells afterwards that it rang."""
    if seconds is None or not can_limit_time():
        yield
        return

    def expired(_signum: int, _frame: object) -> None:
        if timer is not None:
            timer.expired = True
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
