"""The campaign format itself: pydantic's errors, told in the words of the campaign file."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from ..errors import Problem, did_you_mean
from ..loader import Loaded, PathKey, format_path
from ..model import Campaign, Recipient, RecipientImport


def campaign(loaded: Loaded) -> tuple[Campaign | None, list[Problem]]:
    """The campaign ``loaded`` holds, as written (imports not read), or ``None`` and the
    errors: every place it does not follow the format."""
    try:
        return Campaign.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, [translate(err, loaded) for err in exc.errors()]


def _lookup(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'" if len(str(value)) < 40 else "a text value"


def _model_at(path: PathKey, data: Any) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path`` of ``data``."""
    model: Any = Campaign
    keyed = False  # the part before was a mapping of ids ("overrides"): this part is an id
    for k, part in enumerate(path):
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        if path[: k + 2] and part == "recipients" and k + 1 < len(path):
            # A recipients entry is a recipient, or an import when it has "from".
            entry = _lookup(data, path[: k + 2])
            model = RecipientImport if isinstance(entry, dict) and "from" in entry else Recipient
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        keyed = getattr(annotation, "__origin__", None) is dict
        for _ in range(3):
            args = getattr(annotation, "__args__", None)
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                break
            annotation = next((a for a in reversed(args or ()) if a is not type(None)), None)
        model = annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _location(loc: tuple[Any, ...], data: Any) -> PathKey:
    """The path of pydantic's error location ``loc`` in the campaign ``data``.

    pydantic puts the names of its validators and union members in the location
    (``function-after[...]``, ``recipient`` / ``import`` after a recipients index); a key of
    the file is kept as written, brackets and all (``notes[1]``, ``web[site]``).
    """
    parts: list[str | int] = []
    for p in loc:
        is_key = isinstance(data, dict) and p in data
        if not is_key and isinstance(p, str):
            if "[" in p:
                continue
            if p in ("recipient", "import") and parts and isinstance(parts[-1], int):
                continue
        parts.append(p)
        if is_key or (isinstance(data, list) and isinstance(p, int) and 0 <= p < len(data)):
            data = data[p]
        else:
            data = None
    return tuple(parts)


def translate(err: Any, loaded: Loaded) -> Problem:
    """The problem pydantic's error ``err`` reports, located in the campaign file."""
    loc: PathKey = _location(tuple(err["loc"]), loaded.data)
    kind = err["type"]
    field = format_path(loc)
    value = _lookup(loaded.data, loc)
    if kind == "missing":
        line, col = loaded.where(loc[:-1])
        message = "required field missing"
        model = _model_at(loc[:-1], loaded.data)
        annotation = model.model_fields[str(loc[-1])].annotation if model else None
        if getattr(annotation, "__origin__", None) is Literal:
            message += f" (one of: {', '.join(annotation.__args__)})"  # type: ignore[union-attr]
        return Problem(loaded.path, message, line, col, field)
    if kind == "extra_forbidden":
        line, col = loaded.where(loc, key=True)
        model = _model_at(loc[:-1], loaded.data)
        known = sorted(model.model_fields) if model else []
        hint = did_you_mean(str(loc[-1]), known)
        message = "unknown field" + hint
        if known and not hint:
            message += f" (expected one of: {', '.join(known)})"
        return Problem(loaded.path, message, line, col, field)
    line, col = loaded.where(loc)
    if kind == "literal_error":
        expected = err["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        name = str(loc[-1])
        return Problem(
            loaded.path,
            f"unknown {name} {_describe(value)} (expected one of: {expected})",
            line,
            col,
            field,
        )
    if kind in ("bool_parsing", "bool_type"):
        return Problem(
            loaded.path, f"expected true or false, got {_describe(value)}", line, col, field
        )
    if kind in ("string_type", "date_type", "date_from_datetime_parsing"):
        return Problem(
            loaded.path, f"expected a text value, got {_describe(value)}", line, col, field
        )
    if kind == "list_type":
        return Problem(
            loaded.path,
            f"expected a list ('- item' lines), got {_describe(value)}",
            line,
            col,
            field,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(
            loaded.path,
            f"expected a mapping (key: value lines), got {_describe(value)}",
            line,
            col,
            field,
        )
    if kind == "too_short":
        return Problem(loaded.path, "must list at least one item", line, col, field)
    if kind == "value_error":
        message = str(err["ctx"]["error"])
        return Problem(loaded.path, message, line, col, field)
    return Problem(loaded.path, err["msg"], line, col, field)  # pragma: no cover
