"""One build at a time per output folder: a second build waits for the first to finish.

Two builds writing one campaign's folder at once (``-f pdf`` in one terminal, ``-f docx`` in
another, or a save during ``--watch``) would each rewrite the build cache and the manifest
without the other's files. Each build holds an exclusive lock (``flock``) on every campaign
folder it writes, the folder itself (no lock file: a build with nothing to do writes
nothing), taken in a fixed order so that two builds of several campaigns cannot wait for
each other forever. The lock goes with the process: a build that is killed leaves no stale
lock behind.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)


def _open(folder: Path) -> int | None:
    """A descriptor of ``folder`` (created if need be), or ``None`` if it cannot be made or
    opened (a file in its place: the build reports that when it writes)."""
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True)
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None


@contextlib.contextmanager
def locked(folders: list[Path]) -> Iterator[None]:
    """Hold the lock of every folder in ``folders`` (waiting for other builds) while the
    block runs."""
    with contextlib.ExitStack() as stack:
        by_place = {Path(f).resolve(): Path(f) for f in folders}
        for place in sorted(by_place):
            folder = by_place[place]
            fd = _open(folder) if fcntl is not None else None
            if fd is None:
                continue
            stack.callback(os.close, fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                logger.warning(
                    "another briefgen build is writing %s; waiting for it to finish", folder
                )
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:  # a file system without locks: build unlocked
                continue
        yield
