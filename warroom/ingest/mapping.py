"""A mapping file: how a file as an agency publishes it is read as a dataset of the standard.

Two forms (docs/mapping.md):

- flat: `{source column: standard column}` (null or "" = ignore that column);
- full: `{"columns": {...}, "other_columns": "ignore"|"refuse",
  "skip_rows_where": {source column: [values]}, "outside_region": "skip"|"refuse",
  "sheet": name, "constants": {standard column: value}}` plus free text such as "description".

A source column is named by its header (any case, spaces for `_`) or by position, `#N`
(the N-th column, 1-based), which is how one of two equal headers is picked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

KNOWN_KEYS = ("columns", "other_columns", "skip_rows_where", "outside_region", "sheet", "constants")
# Keys that only describe the mapping for people.
TEXT_KEYS = ("description", "deskripsi", "source", "sumber", "notes", "catatan")
POSITION_RE = re.compile(r"^#\s*(\d+)$")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the key at fault."""


@dataclass
class Mapping:
    columns: dict[str, str | None] = field(default_factory=dict)
    other_columns: str = "ignore"
    skip_rows_where: dict[str, list[str]] = field(default_factory=dict)
    outside_region: str = "refuse"
    sheet: str | None = None
    constants: dict[str, str] = field(default_factory=dict)
    unknown_keys: list[str] = field(default_factory=list)

    @property
    def given(self) -> bool:
        return bool(self.columns or self.skip_rows_where or self.constants or self.sheet
                    or self.other_columns != "ignore" or self.outside_region != "refuse")


def position(key: str) -> int | None:
    """0-based position for `#N`, else None."""
    m = POSITION_RE.match(key.strip())
    return int(m.group(1)) - 1 if m else None


def is_full_form(obj) -> bool:
    return isinstance(obj, dict) and any(k in obj for k in KNOWN_KEYS if k != "columns") or (
        isinstance(obj, dict) and isinstance(obj.get("columns"), dict))


def _text(value, where: str) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise MappingError(f"{where}: expected a text or a number, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def parse(obj) -> Mapping:
    """A Mapping from the JSON object of a mapping file (flat or full form), or None/Mapping."""
    if obj is None:
        return Mapping()
    if isinstance(obj, Mapping):
        return obj
    if not isinstance(obj, dict):
        raise MappingError("expected a JSON object")
    if not is_full_form(obj):
        return Mapping(columns=_columns(obj, "mapping"))
    m = Mapping()
    m.columns = _columns(obj.get("columns") or {}, "columns")
    other = obj.get("other_columns", "ignore")
    if other not in ("ignore", "refuse"):
        raise MappingError(f'other_columns: expected "ignore" or "refuse", got {other!r}')
    m.other_columns = other
    outside = obj.get("outside_region", "refuse")
    if outside not in ("skip", "refuse"):
        raise MappingError(f'outside_region: expected "skip" or "refuse", got {outside!r}')
    m.outside_region = outside
    skip = obj.get("skip_rows_where") or {}
    if not isinstance(skip, dict):
        raise MappingError("skip_rows_where: expected {source column: [values]}")
    for col, vals in skip.items():
        if not isinstance(vals, list):
            vals = [vals]
        m.skip_rows_where[str(col)] = ["" if v is None else _text(v, f"skip_rows_where.{col}") for v in vals]
    sheet = obj.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise MappingError("sheet: expected the name of a sheet")
    m.sheet = sheet or None
    constants = obj.get("constants") or {}
    if not isinstance(constants, dict):
        raise MappingError("constants: expected {standard column: value}")
    m.constants = {str(k).strip().lower(): _text(v, f"constants.{k}") for k, v in constants.items()}
    m.unknown_keys = sorted(k for k in obj if k not in KNOWN_KEYS and k not in TEXT_KEYS
                            and not str(k).startswith(("_", "x-")))
    return m


def _columns(obj, where: str) -> dict[str, str | None]:
    if not isinstance(obj, dict):
        raise MappingError(f"{where}: expected {{source column: standard column}}")
    out = {}
    for k, v in obj.items():
        if not isinstance(k, str):
            raise MappingError(f"{where}: keys must be texts")
        if v is not None and not isinstance(v, str):
            raise MappingError(f"{where}.{k}: expected a standard column name or null")
        out[k] = v or None
    return out


def parse_set(items: list[str] | None) -> dict[str, str]:
    """`--set FIELD=VALUE` options as constants (a later one wins)."""
    out = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise MappingError(f"--set {item!r}: expected FIELD=VALUE")
        out[name.strip().lower()] = value.strip()
    return out


def with_constants(obj, constants: dict[str, str]) -> dict | None:
    """The mapping object in full form with `constants` added or overriding its own."""
    if not constants:
        return obj
    if obj is None:
        full = {}
    elif isinstance(obj, dict) and is_full_form(obj):
        full = dict(obj)
    elif isinstance(obj, dict):
        full = {"columns": dict(obj)}
    else:
        raise MappingError("expected a JSON object")
    full["constants"] = {**(full.get("constants") or {}), **constants}
    return full
