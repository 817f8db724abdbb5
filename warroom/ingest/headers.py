"""Source headers -> standard columns: any order and case, spaces for `_`, a saved mapping."""
from __future__ import annotations

import difflib
import re

from warroom.datasets import Dataset
from warroom.ingest import mapping as mapping_mod
from warroom.ingest.report import Problem, problem

# Lineage columns a file may carry: the sender of each row (walidata only) and the
# upload id of an export, which a new upload replaces with its own.
SENDER_COLUMN = "sumber_opd"
IGNORED_LINEAGE = ("upload_id",)


def normalise(header: str) -> str:
    h = header.replace("\ufeff", "").strip().lower()
    h = re.sub(r"[\s\-]+", "_", h)
    return h.strip("_")


def positions(key: str, headers: list[str]) -> list[int]:
    """Where a source column named in a mapping (`#N` or a header) is in the file (0-based)."""
    pos = mapping_mod.position(key)
    if pos is not None:
        return [pos] if 0 <= pos < len(headers) else []
    want = normalise(key)
    return [i for i, h in enumerate(headers) if normalise(h) == want]


def _where(positions_: list[int]) -> str:
    return ", ".join(f"#{i + 1}" for i in positions_)


def map_headers(ds: Dataset, headers: list[str], mapping, lang: str
                ) -> tuple[dict[str, int], list[tuple[str, int | str]], list[Problem]]:
    """(standard column -> position, notes, problems). `mapping`: a dict (flat or full form)
    or a warroom.ingest.mapping.Mapping; a header the mapping does not name is taken when it
    is a standard column's name (unless the mapping already chose that column elsewhere)."""
    m = mapping_mod.parse(mapping)
    derived = {f.name for f in ds.fields if f.spec.get("x-derived")}
    wanted = (set(ds.columns) - derived) | {SENDER_COLUMN}
    found: dict[str, int] = {}
    extra: list[str] = []
    problems: list[Problem] = []
    notes: list[tuple[str, int | str]] = []
    chosen: dict[int, str | None] = {}       # position -> target named by the mapping (None: ignore)
    unclear: set[str] = set()                # targets of an ambiguous header: not "missing" too
    for key, target in m.columns.items():
        where = positions(key, headers)
        if len(where) > 1:
            problems.append(problem("header.ambiguous", lang, row=1, column=key, value=key,
                                    positions=_where(where), first=where[0] + 1))
            if target:
                unclear.add(normalise(str(target)))
            continue
        if not where:
            if mapping_mod.position(key) is not None:
                problems.append(problem("mapping.position", lang, row=1, column=key, value=key, n=len(headers)))
            continue
        chosen[where[0]] = normalise(str(target)) if target else None
    named = {t for t in chosen.values() if t}
    for i, raw in enumerate(headers):
        if i in chosen:
            target = chosen[i]
            if target is None:
                extra.append(raw)
                continue
        else:
            target = normalise(raw)
            if target in named:      # the mapping took this column from another position
                extra.append(raw)
                continue
        if target in wanted:
            if target in found:
                problems.append(problem("header.duplicate", lang, row=1, column=target, value=raw,
                                        other=headers[found[target]]))
            else:
                found[target] = i
        else:
            if i in chosen or (m.other_columns == "refuse" and target not in derived
                               and target not in IGNORED_LINEAGE):
                code = "mapping.unknown_target" if i in chosen else "header.unexpected"
                problems.append(problem(code, lang, row=1, column=f"#{i + 1}", value=raw, target=target))
            extra.append(raw)
    if m.columns:
        notes.append(("mapping", len(m.columns)))
    constants = set(m.constants)
    missing = [name for name in ds.missing_required(set(found) | constants | unclear)]
    if not found and not constants:
        problems.append(problem("file.not_table", lang, row=1))
        return found, notes, problems
    for name in missing:
        near = difflib.get_close_matches(name, [normalise(h) for h in extra], n=1, cutoff=0.6)
        problems.append(problem("header.missing", lang, row=1, column=name,
                                suggestion_key="ingest.suggest.header.missing_near" if near else None,
                                near=near[0] if near else ""))
    if extra:
        notes.append(("extra", ", ".join(h for h in extra if h)))
    return found, notes, problems


def skip_positions(mapping, headers: list[str], lang: str
                   ) -> tuple[dict[str, list[int]], list[str], list[Problem]]:
    """skip_rows_where columns -> positions. A header that occurs more than once is read at
    every position (a row is skipped when any of them holds a listed value); a condition on a
    column the file lacks is noted (layouts change from month to month)."""
    m = mapping_mod.parse(mapping)
    out, notes = {}, []
    for key in m.skip_rows_where:
        where = positions(key, headers)
        if not where:
            notes.append(key)
        else:
            out[key] = where
    return out, notes, []
