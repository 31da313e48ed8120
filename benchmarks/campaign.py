"""Campaign benchmark: 719 letters to every Member of the European Parliament, PDF + DOCX.

    python3 benchmarks/campaign.py [--meps PATH] [--jobs N] [--sample N]

Builds, in a temporary folder, the example campaign addressed to all Members listed in the
Parliament's MEP XML export (letters in PDF and DOCX, plus the brief in both editions), and
prints, measured in this run:

- cold build (wall time, documents per second), then a no-op rebuild, then a rebuild after
  editing one recipient's note;
- peak memory of the build (the main process plus its largest worker, times the workers);
- the naive baseline: a single-process loop that prints each letter's self-contained HTML
  output with a fresh ``weasyprint.HTML(...).write_pdf()`` (PDF/UA-1, briefgen's default
  variant) and builds each DOCX one by one,
  timed on a sample of letters and scaled to all of them; and the speed-up over it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MEPS = ROOT / "briefs" / "data" / "ep-meps" / "ep-meps-10th-term.xml"

# Runs one build in a fresh interpreter and reports its wall time and memory.
BUILD = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from briefgen import build
report = build([Path(sys.argv[1])], Path(sys.argv[2]), formats=("pdf", "docx"),
               jobs=int(sys.argv[3]))
wall = time.perf_counter() - started
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rendered": report.rendered, "unchanged": report.unchanged,
                  "failed": len(report.failures), "self_kb": own, "child_kb": children}))
"""


def make_campaign(folder: Path, meps: Path) -> Path:
    """The example campaign, English only, to one EU official and every Member."""
    shutil.copytree(ROOT / "briefs", folder / "briefs")
    shutil.copy(meps, folder / "briefs" / "meps.xml")
    path = folder / "briefs" / "eu-azerbaijan-2020.yaml"
    text = path.read_text(encoding="utf-8").replace("  languages: [en, fr, az]\n", "")
    start = text.index("recipients:\n")
    end = text.index("joint_letters:\n")
    text = (
        text[:start]
        + (
            "recipients:\n"
            "  - id: high-representative\n"
            "    name: Josep Borrell Fontelles\n"
            "    role: high-representative\n"
            "    address: [Rond-Point Robert Schuman 9A, 1046 Brussels, Belgium]\n"
            "    note: Original note.\n"
            "  - from: meps.xml\n"
            "    defaults: {language: en}\n\n"
        )
        + text[text.index("co_signers:\n") :]
    )
    del end
    path.write_text(text, encoding="utf-8")
    return path


def run_build(path: Path, out: Path, jobs: int) -> dict[str, float]:
    """Build in a fresh interpreter; "command" is the whole command's wall time (start-up
    and imports included), "wall" the build alone."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(path), str(out), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["command"] = time.perf_counter() - started
    return figures


def naive_baseline(path: Path, sample: int) -> float:
    """Seconds per letter of the naive loop, measured on ``sample`` letters."""
    import weasyprint

    from briefgen import load_campaign
    from briefgen.plan import plan
    from briefgen.render import Renderer
    from briefgen.write import write_docx, write_html

    campaign = load_campaign(path)
    renderer = Renderer(campaign, path)
    letters = [doc for doc in plan(campaign, only="letters")][:sample]
    prepared = []
    with tempfile.TemporaryDirectory() as tmp:
        for doc in letters:  # the letters' self-contained HTML outputs (not timed)
            html = Path(tmp) / f"{doc.letter.id}.html"
            rendered = renderer.render(doc)
            html.write_bytes(write_html(rendered))
            prepared.append((html, rendered))
        started = time.perf_counter()
        for html, rendered in prepared:
            # The same PDF variant as briefgen's default: tagged PDF/UA-1.
            weasyprint.HTML(filename=str(html)).write_pdf(pdf_variant="pdf/ua-1")
            write_docx(rendered)
        return (time.perf_counter() - started) / len(prepared)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meps", type=Path, default=DEFAULT_MEPS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--sample", type=int, default=40, help="letters the naive baseline is timed on (default 40)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_campaign(folder, args.meps)
        out = folder / "output"
        cold = run_build(path, out, args.jobs)
        noop = run_build(path, out, args.jobs)
        text = path.read_text(encoding="utf-8").replace("Original note.", "An edited note.")
        path.write_text(text, encoding="utf-8")
        edited = run_build(path, out, args.jobs)
        per_letter = naive_baseline(path, args.sample)
    documents = cold["rendered"]
    letters = documents - 2
    naive = per_letter * letters
    peak_mb = (cold["self_kb"] + args.jobs * cold["child_kb"]) / 1024
    print(  # noqa: T201
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, jobs={args.jobs}"
    )
    print(  # noqa: T201
        f"cold build: {cold['wall']:.1f} s for {documents} documents ({letters} letters + "
        f"2 briefs, PDF + DOCX = {documents * 2} files), "
        f"{documents / cold['wall']:.1f} documents/s, failed {cold['failed']:.0f}"
    )
    print(  # noqa: T201
        f"no-op rebuild: {noop['command']:.2f} s for the whole command "
        f"({noop['wall']:.2f} s after start-up; rendered {noop['rendered']:.0f}, "
        f"unchanged {noop['unchanged']:.0f})"
    )
    print(  # noqa: T201
        f"rebuild after editing one recipient: {edited['command']:.2f} s for the whole "
        f"command ({edited['wall']:.2f} s after start-up; rendered {edited['rendered']:.0f})"
    )
    print(  # noqa: T201
        f"peak memory: {peak_mb:.0f} MiB (main {cold['self_kb'] / 1024:.0f} MiB + "
        f"{args.jobs} x largest worker {cold['child_kb'] / 1024:.0f} MiB)"
    )
    print(  # noqa: T201
        f"naive baseline: {per_letter * 1000:.0f} ms per letter on {args.sample} letters, "
        f"{naive:.1f} s for {letters} letters (scaled)"
    )
    print(  # noqa: T201
        f"speed-up over the naive baseline: {naive / cold['wall']:.2f}x"
    )


if __name__ == "__main__":
    main()
