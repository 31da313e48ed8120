"""The worker runtime: documents on a roomy frame stack, crashes and workers that die."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefgen import pool


def test_documents_run_on_a_roomy_frame_stack() -> None:
    # The wrapper that gives rendering one large frame-stack chunk passes results and
    # errors through unchanged.
    assert pool.on_roomy_stack(lambda x: x * 2, 21) == 42
    assert pool.on_roomy_stack.__code__.co_stacksize >= 32_000

    def fail(_: object) -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        pool.on_roomy_stack(fail, None)


def _sleep_or_crash(task: pool.Task) -> pool.Outcome:
    kind, seconds = task.name.split(":")
    time.sleep(float(seconds))
    if kind == "crash":
        os._exit(1)
    return pool.Outcome(task, task.name)


def test_a_worker_crash_while_the_build_is_busy_loses_no_document(tmp_path: Path) -> None:
    # A worker dies while this process is busy with an earlier result (saving the cache):
    # the pool is broken when the next document is handed to it. That document must still
    # be rendered, and only the crashing one reported as failed.
    names = ["a:0.2", "crash:0.5", "d:0.3", "e:0.1", "f:0.1"]
    tasks = [
        pool.Task(0, ("letter", "public", "en", n), n, ("pdf",), tmp_path, (), ()) for n in names
    ]
    outcomes = []
    for outcome in pool.run_in_workers(tasks, [], _sleep_or_crash, 2, 30):
        outcomes.append(outcome)
        if outcome.name == "a:0.2":
            time.sleep(1.5)
    assert sorted(o.name for o in outcomes) == sorted(names)
    assert [(o.name, o.error) for o in outcomes if o.error] == [
        ("crash:0.5", "the worker process rendering this document crashed")
    ]


def _die(*_: object) -> None:
    os._exit(1)


def test_workers_that_cannot_start_fail_every_document_and_the_build_ends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pool, "start_worker", _die)
    names = ["a:0", "b:0", "c:0"]
    tasks = [
        pool.Task(0, ("letter", "public", "en", n), n, ("pdf",), tmp_path, (), ()) for n in names
    ]
    outcomes = list(pool.run_in_workers(tasks, [], _sleep_or_crash, 2, 30))
    assert sorted(o.name for o in outcomes) == names
    assert {o.error for o in outcomes} == {"the worker process rendering this document crashed"}
