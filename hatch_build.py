"""Wheel build hook: compile the gettext catalogs (.po -> .mo) into the package."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "briefgen" / "locale"
        self._tmp = tempfile.TemporaryDirectory()
        for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            relative = po.relative_to(locale).with_suffix(".mo")
            mo = Path(self._tmp.name) / relative
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parts[-3])
            with mo.open("wb") as target:
                write_mo(target, catalog, use_fuzzy=False)
            build_data["force_include"][str(mo)] = f"briefgen/locale/{relative.as_posix()}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        self._tmp.cleanup()
