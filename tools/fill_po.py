"""Fill untranslated catalog entries from a JSON file of translations (a maintainer's aid).

    python tools/fill_po.py translations.json

The JSON maps a language to {msgid: translation} (a list for plural messages, keyed by the
singular). English entries are filled with their msgid. Entries already translated are kept.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from babel.messages.pofile import write_po

from briefgen import i18n


def fill(table: dict[str, dict[str, str | list[str]]]) -> list[str]:
    missing = []
    for language in i18n.LANGUAGES:
        catalog = i18n.read_catalog(language)
        for message in catalog:
            if not message.id:
                continue
            done = message.string and all(
                message.string if isinstance(message.string, tuple) else [message.string]
            )
            if done and not message.fuzzy:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if language == "en":
                message.string = (
                    message.id
                    if isinstance(message.id, str)
                    else tuple([message.id[0]] + [message.id[1]] * (catalog.num_plurals - 1))
                )
            elif key in table.get(language, {}):
                value = table[language][key]
                message.string = tuple(value) if isinstance(value, list) else value
            else:
                missing.append(f"{language}: {key}")
                continue
            message.flags.discard("fuzzy")
        out = io.BytesIO()
        write_po(
            out, catalog, sort_output=True, width=100, include_lineno=False, ignore_obsolete=True
        )
        i18n.catalog_path(language).write_bytes(out.getvalue())
    return missing


if __name__ == "__main__":
    left = fill(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    for item in left:
        print(f"still untranslated: {item}", file=sys.stderr)  # noqa: T201
    sys.exit(1 if left else 0)
