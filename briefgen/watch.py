"""Watch campaign files, their assets and templates; call back when something changed.

Used by ``briefgen build --watch`` and ``briefgen preview``. Editors often save by writing
a new file and renaming it over the old one, so folders are watched, not single files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .cache import CACHE_FILE
from .errors import CampaignError
from .loader import load
from .project import campaign_dir, default_templates, find_campaigns

# Files never worth a rebuild: editor swap and backup files, our own partial writes, caches.
_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", ".part", "~", ".pyc")
_IGNORED_NAMES = {CACHE_FILE, "4913"}  # vim writes "4913" to test a folder


def watched_folders(paths: Iterable[Path]) -> list[Path]:
    """The folders whose changes can change the documents of the campaigns at ``paths``.

    The folder of each campaign file (campaign, assets, imported data, its own templates
    unless they live elsewhere, which are added), and the default templates.
    """
    folders: set[Path] = set()
    for path in paths:
        folders.add((path if path.is_dir() else path.parent).resolve())
    for file in find_campaigns(list(paths)):
        folders.add(campaign_dir(file).resolve())
        folders.update(f.parent.resolve() for f in _earlier_rounds(file))
        own = _own_templates(file)
        if own is not None and own.is_dir():
            folders.add(own.resolve())
    folders.add(default_templates().resolve())
    # A folder inside another watched folder is already covered.
    return sorted(f for f in folders if not any(p != f and p in f.parents for p in folders))


def _earlier_rounds(file: Path) -> list[Path]:
    """The campaign files of the rounds before ``file`` (``campaign.previous``, followed
    while each file can be read; check reports the rest)."""
    found: list[Path] = []
    seen = {file.resolve()}
    while True:
        try:
            value = load(file).data["campaign"]["previous"]
        except (CampaignError, KeyError, TypeError):
            return found
        if not isinstance(value, str):
            return found
        file = campaign_dir(file) / value
        if file.resolve() in seen or not file.is_file():
            return found
        seen.add(file.resolve())
        found.append(file)


def _own_templates(file: Path) -> Path | None:
    try:
        value = load(file).data["campaign"]["templates"]
    except (CampaignError, KeyError, TypeError):  # invalid: nothing to watch; check says why
        return None
    return campaign_dir(file) / value if isinstance(value, str) else None


def relevant(path: Path, output: Path | None) -> bool:
    """Whether a change to ``path`` should trigger a rebuild (not outputs, not editor litter)."""
    name = path.name
    if name in _IGNORED_NAMES or name.endswith(_IGNORED_SUFFIXES) or name.startswith(".#"):
        return False
    if any(part in {".git", "__pycache__", ".pytest_cache"} for part in path.parts):
        return False
    if output is not None:
        out = output.resolve()
        if path.resolve() == out or out in path.resolve().parents:
            return False
    return True


class Watcher:
    """Listens for changes from the moment it is made. (watchfiles itself starts listening
    only when its iterator is first advanced: a save made before that would be lost.)

    Make it before the first build, so that a save during the build is caught too; then
    iterate :meth:`changes`. Changes made in between are kept and come first.
    """

    def __init__(
        self,
        paths: list[Path],
        output: Path | None,
        *,
        stop: threading.Event | None = None,
        debounce_ms: int = 300,
    ) -> None:
        import watchfiles

        def keep(_change: watchfiles.Change, path: str) -> bool:
            return relevant(Path(path), output)

        self.folders = watched_folders(paths)
        # With yield_on_timeout, the first step returns (empty) once the watcher is set up:
        # from then on every change is buffered until the iterator asks for it.
        self._events = watchfiles.watch(
            *self.folders,
            watch_filter=keep,
            debounce=debounce_ms,
            stop_event=stop,
            raise_interrupt=False,
            rust_timeout=_ARMING_MS,
            yield_on_timeout=True,
        )
        self._pending: set[tuple[Any, str]] = set(next(self._events, None) or ())

    def changes(self) -> Iterator[list[Path]]:
        """Yield the changed files each time a save settles, until stopped or Ctrl-C."""
        if self._pending:
            batch, self._pending = self._pending, set()
            yield sorted({Path(p) for _change, p in batch})
        for batch in self._events:
            if batch:  # an empty batch: nothing changed within the timeout
                yield sorted({Path(p) for _change, p in batch})

    def run(self, action: Callable[[list[Path]], None]) -> None:
        """Call ``action(changed_files)`` after every settled save until stopped."""
        for changed in self.changes():
            action(changed)

    def close(self) -> None:
        """Stop listening."""
        self._events.close()


_ARMING_MS = 250
"""How long the watcher waits for a change before it checks for a stop (and, the first time,
reports that it is listening)."""


def run_on_changes(
    paths: list[Path],
    output: Path | None,
    action: Callable[[list[Path]], None],
    *,
    stop: threading.Event | None = None,
) -> None:
    """Call ``action(changed_files)`` after every settled save until stopped."""
    Watcher(paths, output, stop=stop).run(action)
