"""Source headers -> standard columns: any order and case, spaces for `_`, a saved mapping."""
from __future__ import annotations

import difflib
import re

from warroom.datasets import Dataset
from warroom.ingest.report import Problem, problem

# Lineage columns a file may carry: the sender of each row (walidata only) and the
# upload id of an export, which a new upload replaces with its own.
SENDER_COLUMN = "sumber_opd"
IGNORED_LINEAGE = ("upload_id",)


def normalise(header: str) -> str:
    h = header.replace("\ufeff", "").strip().lower()
    h = re.sub(r"[\s\-]+", "_", h)
    return h.strip("_")


def map_headers(ds: Dataset, headers: list[str], mapping: dict | None, lang: str
                ) -> tuple[dict[str, int], list[str], list[Problem]]:
    """(standard column -> position, notes, problems)."""
    wanted = set(ds.columns) | {SENDER_COLUMN}
    saved = {normalise(k): v for k, v in (mapping or {}).items()}
    found: dict[str, int] = {}
    extra, problems, notes = [], [], []
    for i, raw in enumerate(headers):
        key = normalise(raw)
        target = saved.get(key, key)
        if target is None or target == "":
            extra.append(raw)
            continue
        target = normalise(str(target))
        if target in wanted:
            if target in found:
                problems.append(problem("header.duplicate", lang, row=1, column=target, value=raw,
                                        other=headers[found[target]]))
            else:
                found[target] = i
        elif target in IGNORED_LINEAGE:
            extra.append(raw)
        else:
            extra.append(raw)
    if saved:
        notes.append(("mapping", len(saved)))
    missing = [f.name for f in ds.fields if f.required and f.name not in found]
    if not found:
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
