"""Files on disk: atomic writes and safe removal inside an output folder."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the file is
    renamed over ``path``; on any error the temporary file is removed. An :class:`OSError`
    names ``path`` (not the temporary file) unless another file was the cause.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _naming(exc, path) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """:func:`write_atomic`, unless ``path`` already holds ``data``: a build with nothing to
    do writes nothing (and works in a read-only folder). Returns whether it wrote."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` with ``path`` as its file when it names none, or only the temporary file
    (a full disk is reported while writing, with no file name)."""
    if exc.filename is None or Path(str(exc.filename)).name.endswith(".tmp"):
        return type(exc)(exc.errno, exc.strerror or str(exc), str(path))
    return exc


_IN_WORDS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
}


def write_error(exc: OSError, target: Path) -> str:
    """Why ``target`` could not be written, naming it: ``no space left on device writing
    output/x/letters/a.pdf``, or ``cannot write TARGET (FOLDER: File exists)``."""
    if exc.errno in _IN_WORDS:
        return f"{_IN_WORDS[exc.errno]} writing {target}"
    culprit = f"{exc.filename}: " if exc.filename and exc.filename != str(target) else ""
    return f"cannot write {target} ({culprit}{exc.strerror or exc})"
