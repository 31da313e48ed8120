"""Manage briefgen's message catalogs with Babel: extract, update, compile, check.

python tools/i18n.py extract   # templates + code -> briefgen/locale/briefgen.pot
python tools/i18n.py update    # merge the .pot into every <lang>/LC_MESSAGES/briefgen.po
python tools/i18n.py compile   # .po -> .mo (the wheel build does this too)
python tools/i18n.py check     # exit 1 if the .pot is stale or a catalog is incomplete
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from briefgen import citations, i18n, protocol, rounds_view

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
POT = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"


def build_template_catalog(templates: Path) -> Catalog:
    """The ``.pot`` catalog: the templates' messages, briefgen's own, and the forms of address."""
    catalog = Catalog(domain=i18n.DOMAIN, project="briefgen", charset="utf-8", fuzzy=False)
    method_map = [("**.html", "jinja2"), ("**.css", "jinja2")]
    options = {"**": {"extensions": "jinja2.ext.i18n"}}
    for filename, line, message, comments, context in extract_from_dir(
        str(templates),
        method_map,
        options_map=options,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        catalog.add(
            message,
            locations=[(f"templates/{filename}", line)],
            auto_comments=comments,
            context=context,
        )
    for message in [*i18n.PYTHON_MESSAGES, *citations.MESSAGES, *rounds_view.MESSAGES]:
        catalog.add(message, locations=[("briefgen/i18n.py", 0)])
    for context, message, comment in protocol.messages():
        catalog.add(
            message,
            locations=[("briefgen/protocol.py", 0)],
            context=context,
            auto_comments=[comment] if comment else [],
        )
    return catalog


def _pot_bytes() -> bytes:
    catalog = build_template_catalog(TEMPLATES)
    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, sort_output=True, width=100, include_lineno=False)
    return out.getvalue()


def _strip_dates(data: bytes) -> bytes:
    return b"\n".join(line for line in data.splitlines() if b"-Date:" not in line)


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written.

    Catalogs are inputs of every document's cache key: rewriting one with the same content
    (a new timestamp, say) would make the next build render everything again.
    """
    if path.is_file() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def extract() -> None:
    """Write the template catalog, keeping the file (and its POT-Creation-Date) as it is when
    no message changed."""
    data = _pot_bytes()
    if POT.is_file() and _strip_dates(POT.read_bytes()) == _strip_dates(data):
        print(f"{POT} is up to date")  # noqa: T201
        return
    POT.write_bytes(data)
    print(f"wrote {POT}")  # noqa: T201


def update() -> None:
    with POT.open("rb") as handle:
        template = read_po(handle)
    for language in i18n.LANGUAGES:
        path = i18n.catalog_path(language)
        if path.is_file():
            catalog = i18n.read_catalog(language)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=language, domain=i18n.DOMAIN)
            path.parent.mkdir(parents=True, exist_ok=True)
        catalog.update(template, no_fuzzy_matching=True)
        out = io.BytesIO()
        write_po(
            out, catalog, sort_output=True, width=100, include_lineno=False, ignore_obsolete=True
        )
        if _write_if_changed(path, out.getvalue()):
            print(f"updated {path}")  # noqa: T201
        else:
            print(f"{path} is up to date")  # noqa: T201


def compile_all(target: Path | None = None) -> list[Path]:
    """Compile every catalog to ``.mo`` (next to the ``.po``, or under ``target``)."""
    written = []
    for language in i18n.LANGUAGES:
        catalog = i18n.read_catalog(language)
        mo = i18n.catalog_path(language, ".mo")
        if target is not None:
            mo = target / mo.relative_to(i18n.LOCALE_DIR)
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def check() -> int:
    problems = []
    if _strip_dates(POT.read_bytes()) != _strip_dates(_pot_bytes()):
        problems.append(f"{POT} is out of date: run 'python tools/i18n.py extract update'")
    with POT.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for language in i18n.LANGUAGES:
        catalog = i18n.read_catalog(language)
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        for msgid in sorted(wanted - have):
            problems.append(f"{i18n.catalog_path(language)}: missing message {msgid!r}")
        for line, msgid in i18n.missing_messages(language):
            problems.append(f"{i18n.catalog_path(language)}:{line}: untranslated {msgid!r}")
    for problem in problems:
        print(problem, file=sys.stderr)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    commands = sys.argv[1:] or ["extract", "update", "compile"]
    for command in commands:
        if command == "extract":
            extract()
        elif command == "update":
            update()
        elif command == "compile":
            for path in compile_all():
                print(f"compiled {path}")  # noqa: T201
        elif command == "check":
            sys.exit(check())
        else:
            sys.exit(f"unknown command {command!r}; see the module docstring")
