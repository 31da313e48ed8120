"""Byte-for-byte check of a refactor: build fixed campaigns, record the SHA-256 of every file.

    python3 tools/outputs_digest.py save BEFORE.json [--bench] [--work DIR]
    python3 tools/outputs_digest.py compare BEFORE.json [--bench] [--work DIR]

Builds, with fixed settings (``--force -j 2``, in ``DIR``, default /tmp/briefgen-digest),
every campaign in briefs/ in every format (PDF, DOCX, HTML, e-mail drafts; once more with
``--attach-docx`` and once as PDF/A-3b), and with ``--bench`` the benchmark campaign
(benchmarks/campaign.py: 719 Members of the European Parliament, PDF and DOCX). ``save``
writes the digests to a JSON file; ``compare`` builds again and lists every file that was
added, removed or changed (exit code 1 if any). Run it with ``PYTHONPATH`` at the tree
to test; the campaigns come from the tree the tool is in.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import sys
from pathlib import Path

from briefgen import build

ROOT = Path(__file__).resolve().parent.parent
MEPS = ROOT / "briefs" / "data" / "ep-meps" / "ep-meps-10th-term.xml"

RUNS = {
    "all-formats": {"formats": ("pdf", "docx", "html", "eml")},
    "attach-docx": {"formats": ("pdf", "eml"), "attach_docx": True},
    "pdf-a-3b": {"formats": ("pdf",), "pdf_variant": "pdf/a-3b"},
}


def _make_campaign(folder: Path) -> Path:
    """The benchmark campaign (benchmarks/campaign.py), made in ``folder``."""
    spec = importlib.util.spec_from_file_location("campaign", ROOT / "benchmarks" / "campaign.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path: Path = module.make_campaign(folder, MEPS)
    return path


def _digest(path: Path) -> str:
    data = path.read_bytes()
    if path.name == ".briefgen-cache.json":
        # File times differ from build to build, and keys change with briefgen's own code
        # (that of the DOCX writer is in them): the rest of each entry is compared.
        entries = json.loads(data)
        for entry in entries.values():
            del entry["mtime_ns"], entry["key"]
        data = json.dumps(entries, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()


def _digests(folder: Path, prefix: str) -> dict[str, str]:
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}": _digest(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _build(paths: list[Path], output: Path, **options: object) -> None:
    shutil.rmtree(output, ignore_errors=True)
    print(f"building into {output}", file=sys.stderr, flush=True)  # noqa: T201
    report = build(paths, output, force=True, jobs=2, **options)  # type: ignore[arg-type]
    if report.failures or any(p.severity == "error" for p in report.problems):
        raise SystemExit(f"build into {output} failed: {report.failures or report.problems}")


def digest_all(work: Path, bench: bool) -> dict[str, str]:
    """Build everything and return relative path → SHA-256."""
    found: dict[str, str] = {}
    # The campaigns are copied to one place, so that a tree elsewhere builds them from the
    # same paths.
    briefs = work / "briefs"
    shutil.rmtree(briefs, ignore_errors=True)
    shutil.copytree(ROOT / "briefs", briefs)
    campaigns = sorted(briefs.glob("*.yaml"))
    for name, options in RUNS.items():
        out = work / name
        _build(campaigns, out, **options)
        found.update(_digests(out, name))
    if bench:
        folder = work / "bench-campaign"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        path = _make_campaign(folder)
        out = work / "bench"
        _build([path], out, formats=("pdf", "docx"))
        found.update(_digests(out, "bench"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("digests", type=Path)
    parser.add_argument("--bench", action="store_true", help="also the 719-letter campaign")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefgen-digest"))
    args = parser.parse_args()
    found = digest_all(args.work, args.bench)
    if args.action == "save":
        args.digests.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"{len(found)} files recorded in {args.digests}")  # noqa: T201
        return 0
    expected = json.loads(args.digests.read_text(encoding="utf-8"))
    if not args.bench:
        expected = {k: v for k, v in expected.items() if not k.startswith("bench/")}
    added = sorted(set(found) - set(expected))
    removed = sorted(set(expected) - set(found))
    changed = sorted(k for k in set(found) & set(expected) if found[k] != expected[k])
    for label, names in (("added", added), ("removed", removed), ("changed", changed)):
        for name in names:
            print(f"{label}: {name}")  # noqa: T201
    print(  # noqa: T201
        f"{len(found)} files compared: {len(added)} added, {len(removed)} removed, "
        f"{len(changed)} changed"
    )
    return 1 if added or removed or changed else 0


if __name__ == "__main__":
    sys.exit(main())
