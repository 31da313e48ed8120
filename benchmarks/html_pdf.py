"""HTML against PDF: time of ``build -f html --force`` and ``-f pdf --force``, and HTML sizes.

    python3 benchmarks/html_pdf.py [--meps PATH] [--reps N] [--meps-reps N] [--jobs N] [--no-meps]

For the example campaign (every language, 13 documents) and the example addressed to all 719
Members of the European Parliament (``--meps``, the Parliament's XML export; 722 documents),
runs the whole command ``python3 -m briefgen build FILE -f FORMAT --force`` in a fresh
interpreter, HTML and PDF alternated (HTML first in odd repetitions, PDF first in even ones),
and prints each time, the median and spread of both and of their ratio (the ratio of each
repetition's pair), the sizes of the HTML files (largest letter, median letter, largest
brief, total) and whether every repetition wrote byte-identical HTML. The machine may be
shared: only the ratios of one run are comparable, which is why the two are alternated.

The code measured is the ``briefgen`` that ``python3 -m briefgen`` imports: set
``PYTHONPATH`` to measure another checkout (for example ``main``'s) with the same script.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from campaign import DEFAULT_MEPS, ROOT, make_campaign


def timed_build(path: Path, out: Path, fmt: str, jobs: int) -> float:
    """Wall time of the whole command (start-up included), in seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(path), "-f", fmt, "--force", "-q"]
        + ["-o", str(out), "-j", str(jobs)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def html_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*.html")):
        digest.update(file.relative_to(folder).as_posix().encode() + file.read_bytes())
    return digest.hexdigest()


def spread(values: list[float], unit: str = " s", digits: int = 1) -> str:
    return (
        f"median {statistics.median(values):.{digits}f}{unit} "
        f"(min {min(values):.{digits}f}, max {max(values):.{digits}f}; n={len(values)})"
    )


def measure(name: str, path: Path, folder: Path, reps: int, jobs: int) -> None:
    times: dict[str, list[float]] = {"html": [], "pdf": []}
    digests = set()
    for rep in range(reps):
        order = ("html", "pdf") if rep % 2 == 0 else ("pdf", "html")
        for fmt in order:
            out = folder / f"out-{fmt}"
            times[fmt].append(timed_build(path, out, fmt, jobs))
        digests.add(html_digest(folder / "out-html"))
        print(  # noqa: T201
            f"  {name} rep {rep + 1}: html {times['html'][-1]:.1f} s, pdf {times['pdf'][-1]:.1f} s",
            flush=True,
        )
    ratios = [h / p for h, p in zip(times["html"], times["pdf"], strict=True)]
    out = next((folder / "out-html").iterdir())
    letters = sorted(f.stat().st_size for f in (out / "letters").glob("*.html"))
    briefs = sorted(f.stat().st_size for f in out.glob("*.html"))
    total = sum(letters) + sum(briefs)
    print(f"{name}:")  # noqa: T201
    print(f"  -f html --force: {spread(times['html'])}")  # noqa: T201
    print(f"  -f pdf --force:  {spread(times['pdf'])}")  # noqa: T201
    print(f"  html / pdf:      {spread(ratios, unit='x', digits=2)}")  # noqa: T201
    print(  # noqa: T201
        f"  HTML sizes: largest letter {letters[-1] / 1000:.1f} kB, median letter "
        f"{statistics.median(letters) / 1000:.1f} kB ({len(letters)} letters), largest brief "
        f"{briefs[-1] / 1000:.1f} kB ({len(briefs)} briefs), total {total / 1e6:.2f} MB"
    )
    print(  # noqa: T201
        f"  HTML byte-identical across the {reps} repetitions: "
        f"{'yes' if len(digests) == 1 else f'NO ({len(digests)} different outputs)'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meps", type=Path, default=DEFAULT_MEPS)
    parser.add_argument("--no-meps", action="store_true", help="only the example campaign")
    parser.add_argument("--reps", type=int, default=5, help="repetitions, example campaign")
    parser.add_argument("--meps-reps", type=int, default=3, help="repetitions, 719 letters")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    import briefgen

    print(  # noqa: T201
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, jobs={args.jobs}, briefgen from "
        f"{Path(briefgen.__file__).parent}, load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        example = folder / "example"
        example.mkdir()
        measure(
            "example campaign (13 documents)",
            ROOT / "briefs" / "eu-azerbaijan-2020.yaml",
            example,
            args.reps,
            args.jobs,
        )
        if not args.no_meps and args.meps_reps:
            meps = folder / "meps"
            meps.mkdir()
            path = make_campaign(meps, args.meps)
            measure("719 Members (722 documents)", path, meps, args.meps_reps, args.jobs)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")  # noqa: T201


if __name__ == "__main__":
    main()
