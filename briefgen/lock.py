"""One build at a time per output folder: a second build waits for the first to finish.

Two builds writing one campaign's folder at once (``-f pdf`` in one terminal, ``-f docx`` in
another, or a save during ``--watch``) would each rewrite the build cache and the manifest
without the other's files. Each build holds an exclusive lock (``flock``) on
``.briefgen.lock`` in every campaign folder it writes, taken in a fixed order so that two
builds of several campaigns cannot wait for each other forever. The lock goes with the
process: a build that is killed leaves no stale lock behind.
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

LOCK_FILE = ".briefgen.lock"


def _open(folder: Path) -> int | None:
    """A descriptor of the folder's lock file, created if need be; ``None`` when it can be
    neither created nor opened (a read-only folder from before locks: nothing can be
    written there anyway)."""
    path = folder / LOCK_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        pass
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)  # a read-only folder
    except OSError:
        return None


@contextlib.contextmanager
def locked(folders: list[Path]) -> Iterator[None]:
    """Hold the lock of every folder in ``folders`` (waiting for other builds) while the
    block runs. The lock file is never written to: it only exists."""
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
