"""Load stage: read a campaign YAML file into plain data, keeping every value's position.

PyYAML's own constructors are not used: they turn ``NO`` into ``False``, ``1:30`` into ``90``,
silently keep the last of two duplicate keys and happily build Python objects from tags. We
compose the node graph (which carries source positions) and build the data ourselves: every
scalar stays the text that was written (only an empty value, ``~`` or ``null`` becomes
``None``); the schema decides what the text means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import CampaignError, Problem
from .yaml12 import Yaml12Scanner
from .yaml_syntax import explain, must_quote

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_BREAKS_AND_TABS = re.compile("[\t\n\r\u2028\u2029]")  # fine in text, not in a key
_NULLS = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
# Characters XML (and so DOCX and HTML) cannot hold, plus invisible direction overrides.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u202a-\u202e"
    "\u2066-\u2069\u200b\u200e\u200f\u2060\ufeff]"
)
"""Control characters (C0 but tab and line breaks, DEL, C1), lone surrogates, bidirectional
overrides, zero-width spaces and direction marks: invisible, so a name could look right and
still not match its id or could be shown in another order than it was written.
(U+200C/U+200D, which some scripts need between letters, are allowed.)"""


@dataclass
class Loaded:
    """A campaign file as plain data plus where each value was written."""

    path: Path
    data: dict[str, Any]
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    """The file's text (UTF-8 decoded)."""
    spans: dict[PathKey, tuple[int, int, str | None]] = field(default_factory=dict)
    """For each text value: where it starts and ends in :attr:`text`, and its YAML style
    (``None`` plain, ``'"'``, ``"'"``, ``"|"``, ``">"``)."""

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """Return the (line, column) of ``path``, or of its nearest ancestor that has one.

        ``key=True`` prefers the position of the mapping key over that of its value.
        """
        path = tuple(path)
        while True:
            table = self.key_positions if key else self.positions
            if path in table:
                return table[path]
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None, None
            path = path[:-1]


def format_path(path: PathKey) -> str:
    """Format ``('recipients', 2, 'language')`` as ``recipients[2].language``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Composer(Yaml12Scanner, yaml.SafeLoader):
    """A loader whose composer refuses aliases and deep nesting, with positions.

    Anchors (``&name``) are allowed and may be defined again, as in YAML 1.2: with aliases
    refused, they name nothing.
    """

    def __init__(self, stream: str, file: Path) -> None:
        super().__init__(stream)
        self._depth = 0
        self._file = file

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        """Untagged nodes are text, lists and mappings: the schema decides what text means
        (so neither `yes` nor `=` nor `<<` gets a YAML 1.1 type)."""
        if kind is MappingNode:
            return "tag:yaml.org,2002:map"
        if kind is SequenceNode:
            return "tag:yaml.org,2002:seq"
        return _STR

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            mark = self.peek_event().start_mark
            quote = must_quote(self.buffer, mark.line, mark.column, "starting with '*'")
            raise CampaignError(
                [
                    _problem(
                        self._file,
                        mark,
                        f"{quote}; YAML aliases (*name) are not supported, write the value "
                        "out in full",
                    )
                ]
            )
        self.anchors.clear()
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise CampaignError(
                [_problem(self._file, mark, f"nesting deeper than {MAX_DEPTH} levels")]
            )
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return,unused-ignore]
        finally:
            self._depth -= 1


def _problem(file: Path, mark: Any, message: str, field: str | None = None) -> Problem:
    return Problem(file, message, mark.line + 1, mark.column + 1, field)


def load(path: Path) -> Loaded:
    """Read ``path`` and return its data with positions.

    Raises :class:`CampaignError` (with every problem found) for anything a user got wrong:
    unreadable or oversized file, bytes that are not UTF-8, YAML syntax, tags, aliases,
    duplicate keys, a root that is not a mapping, characters that documents cannot hold.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CampaignError(
                [
                    Problem(
                        path,
                        f"file is {size / 1048576:.1f} MB; campaign "
                        f"files are limited to {MAX_FILE_BYTES // 1048576} MB",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise CampaignError([Problem(path, f"cannot read file: {exc.strerror}")]) from None
    return loads(raw, path)


class NotUtf8(ValueError):
    """Bytes that are not UTF-8 text; ``line`` is where the first bad byte is."""

    def __init__(self, line: int, byte: int) -> None:
        super().__init__(f"byte 0x{byte:02x} on line {line}")
        self.line = line
        self.byte = byte


def decode(raw: bytes) -> str:
    """UTF-8 text of ``raw`` (a byte order mark is dropped); raises :class:`NotUtf8`."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(raw[: exc.start].count(b"\n") + 1, raw[exc.start]) from None


def loads(raw: bytes, path: Path) -> Loaded:
    """Parse campaign bytes ``raw``; ``path`` is only used to name the file in errors."""
    try:
        text = decode(raw)
    except NotUtf8 as exc:
        raise CampaignError(
            [
                Problem(
                    path,
                    f"file is not UTF-8 text (byte 0x{exc.byte:02x} on line {exc.line}); "
                    "save it as UTF-8",
                )
            ]
        ) from None
    if all(_blank(line) for line in text.splitlines()):
        raise CampaignError(
            [
                Problem(
                    path,
                    "file is empty; a campaign file starts with "
                    "'campaign:' (see briefs/eu-azerbaijan-2020.yaml)",
                )
            ]
        )
    try:
        composer = _Composer(text, path)
    except yaml.reader.ReaderError as exc:
        raise CampaignError([_reader_problem(path, text, exc)]) from None
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        where = explain(exc, text)
        field = format_path(where.path) if where.path else None
        raise CampaignError(
            [Problem(path, where.message, where.line + 1, where.column + 1, field)]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise CampaignError([_reader_problem(path, text, exc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error is marked
        raise CampaignError([Problem(path, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise CampaignError([Problem(path, "nesting too deep")]) from None
    finally:
        composer.dispose()
    if node is None:
        raise CampaignError([Problem(path, "file is empty")])
    loaded = Loaded(path, {}, text=text)
    problems: list[Problem] = []
    if not isinstance(node, MappingNode):
        raise CampaignError(
            [
                _problem(
                    path,
                    node.start_mark,
                    "the file must be a mapping of keys such as 'campaign:' "
                    f"and 'recipients:', not a {_kind(node)}",
                )
            ]
        )
    loaded.data = _build(node, (), loaded, problems)
    if problems:
        raise CampaignError(problems)
    return loaded


def _blank(line: str) -> bool:
    """A line with nothing, a comment, or a document marker ('---', '...') alone."""
    content = line.strip()
    for marker in ("---", "..."):
        if content == marker or content.startswith(marker + " #"):
            return True
    return not content or content.startswith("#")


def _reader_problem(path: Path, text: str, exc: yaml.reader.ReaderError) -> Problem:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    return Problem(
        path,
        f"the character U+{exc.character:04X} is not allowed in a campaign file; remove it",
        line,
        column,
    )


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "single value"


def _build(node: Node, path: PathKey, loaded: Loaded, problems: list[Problem]) -> Any:
    file = loaded.path
    loaded.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _STANDARD_TAGS:
        message = f"YAML tag '{_short_tag(node.tag)}' is not allowed"
        line, column = node.start_mark.line, node.start_mark.column
        if isinstance(node, ScalarNode) and loaded.text.split("\n")[line][column:].startswith("!"):
            message += "; " + must_quote(loaded.text, line, column, "starting with '!'")
        problems.append(_problem(file, node.start_mark, message, format_path(path)))
        return None
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.append(
                    _problem(
                        file, key_node.start_mark, "keys must be plain names", format_path(path)
                    )
                )
                continue
            key = key_node.value
            if key == "<<" and key_node.style is None and key_node.tag == _STR:
                problems.append(
                    _problem(
                        file,
                        key_node.start_mark,
                        "YAML merge keys (<<) are not supported",
                        format_path(path),
                    )
                )
                continue
            if key_node.tag not in _STANDARD_TAGS:
                problems.append(
                    _problem(
                        file,
                        key_node.start_mark,
                        f"YAML tag '{_short_tag(key_node.tag)}' is not allowed on a key; "
                        "write the key alone",
                        format_path((*path, key)),
                    )
                )
                continue
            bad = _BAD_CHARS.search(key) or _BREAKS_AND_TABS.search(key)
            if bad:
                problems.append(
                    _problem(
                        file,
                        key_node.start_mark,
                        f"the key contains the invisible or control character "
                        f"U+{ord(bad.group()):04X}; remove it (it often comes from copying out "
                        "of another program)",
                        format_path((*path, key)),
                    )
                )
                continue
            if key in seen:
                first = seen[key]
                problems.append(
                    _problem(
                        file,
                        key_node.start_mark,
                        f"duplicate key '{key}' (first defined on line {first.line + 1})",
                        format_path((*path, key)),
                    )
                )
                continue
            seen[key] = key_node.start_mark
            child = (*path, key)
            loaded.key_positions[child] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = _build(value_node, child, loaded, problems)
        return result
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), loaded, problems) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    value: str = node.value
    loaded.spans[path] = (node.start_mark.index, node.end_mark.index, node.style)
    if node.style is None and value in _NULLS:
        return None
    bad = _BAD_CHARS.search(value)
    if bad:
        problems.append(
            _problem(
                file,
                node.start_mark,
                f"contains the invisible or control character U+{ord(bad.group()):04X}; "
                "remove it (it often comes from copying out of another program)",
                format_path(path),
            )
        )
        return value
    return unicodedata.normalize("NFC", value)
