"""The output folder: typed cache entries, what is up to date, edited files, the manifest."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import build, cache, i18n, load_campaign
from briefgen.plan import DocumentPlan, plan
from briefgen.render import Renderer


def _folder(path: Path, output: Path) -> tuple[cache.OutputFolder, list[DocumentPlan]]:
    campaign = load_campaign(path)
    renderer = Renderer(campaign, path)
    keys = cache.Keys(campaign, renderer.folders, renderer.reference_docx, i18n.LOCALE_DIR, path)
    return cache.OutputFolder.open(output, path, campaign, keys, ("brief", "pdf")), plan(campaign)


def test_an_entry_is_frozen_and_checking_it_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "letter.html"
    path.write_bytes(b"<p>hello</p>")
    sha = hashlib.sha256(b"<p>hello</p>").hexdigest()
    entry = cache.Entry.of("key", path, sha, None)
    assert entry.check(path) is entry
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.size = 3  # type: ignore[misc]
    os.utime(path, ns=(1, entry.mtime_ns + 10**9))  # touched (or copied), same contents
    touched = entry.check(path)
    assert touched is not None
    assert (touched.mtime_ns, entry.mtime_ns) == (entry.mtime_ns + 10**9, touched.mtime_ns - 10**9)
    path.write_bytes(b"<p>hellO</p>")  # same size, other contents
    assert entry.check(path) is None
    path.unlink()
    assert entry.check(path) is None


def test_entries_of_another_form_are_left_out_and_the_format_is_kept(tmp_path: Path) -> None:
    (tmp_path / cache.CACHE_FILE).write_text(
        json.dumps(
            {
                "a.pdf": {"key": "k", "sha256": "s", "size": 3, "mtime_ns": 4},
                "b.eml": {"key": "k", "sha256": "s", "size": 3, "mtime_ns": 4, "attached": ["pdf"]},
                "old.pdf": {"hash": "from an older briefgen"},
                "odd.pdf": {"key": "k", "size": "three"},
            }
        ),
        encoding="utf-8",
    )
    entries = cache.read(tmp_path)
    assert sorted(entries) == ["a.pdf", "b.eml", "odd.pdf"]
    assert entries["b.eml"].attached == ("pdf",)
    assert entries["odd.pdf"].size == -1  # never matches a file: rendered again
    cache.write(tmp_path, {k: v for k, v in entries.items() if k != "odd.pdf"})
    assert json.loads((tmp_path / cache.CACHE_FILE).read_text(encoding="utf-8")) == {
        "a.pdf": {"key": "k", "sha256": "s", "size": 3, "mtime_ns": 4},
        "b.eml": {"key": "k", "sha256": "s", "size": 3, "mtime_ns": 4, "attached": ["pdf"]},
    }


def test_the_folder_decides_what_is_up_to_date_and_keeps_edited_files(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign()
    out = tmp_path / "out"
    assert build([path], out, formats=("html",), jobs=1).ok
    folder, documents = _folder(path, out)
    letter = next(d for d in documents if d.letter is not None)
    relative = letter.path("html").as_posix()
    assert folder.is_current(letter, "html")
    assert folder.decide(letter, ("html",), force=False) == cache.Decision(up_to_date=True)
    forced = folder.decide(letter, ("html",), force=True)
    assert (forced.up_to_date, [r for r, _key in forced.files]) == (False, [relative])
    (out / "minimal" / relative).write_text("edited in a browser", encoding="utf-8")
    assert not folder.is_current(letter, "html")
    decision = folder.decide(letter, ("html",), force=False)
    kept = relative.replace(".html", ".edited.html")
    assert decision.notices == (
        f"{path}: {letter.name}: {relative} was changed outside briefgen; kept as {kept}, "
        "and rendered again",
    )
    assert (out / "minimal" / kept).read_text(encoding="utf-8") == "edited in a browser"
    assert not (out / "minimal" / relative).exists()
    assert relative not in folder.entries


def test_only_the_folder_deletes_and_it_writes_the_manifest(
    campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = campaign()
    out = tmp_path / "out"
    assert build([path], out, formats=("html",), jobs=1).ok
    folder, documents = _folder(path, out)
    letter = next(d for d in documents if d.letter is not None)
    relative = letter.path("html").as_posix()
    folder.remove([relative])  # a failed document loses its old copy
    assert not (out / "minimal" / relative).exists()
    others = [d for d in documents if d is not letter]
    current, stale = folder.settle(others)
    assert stale == 0
    folder.save()
    folder.write_manifest(others, current)  # the letter is no longer planned
    listed = json.loads((out / "minimal" / "manifest.json").read_text(encoding="utf-8"))
    assert relative not in [f["path"] for f in listed["files"]]
    assert sorted(f["path"] for f in listed["files"]) == sorted(current)
    assert relative not in cache.read(out / "minimal")
