"""What an ingest answers: accepted or refused, every problem (row, column, value, reason,
suggestion) and the notes on what was tolerated. Plain data, JSON round-trip, text rendering."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from warroom.i18n import t

# Problems kept per (code, column); the count of every problem is always exact.
MAX_PROBLEMS_PER_CHECK = 1000


@dataclass
class Problem:
    row: int | None        # as Excel numbers it: header = 1, first data row = 2
    column: str | None
    value: str | None
    reason: str
    suggestion: str | None
    code: str

    def as_row(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value,
                "reason": self.reason, "suggestion": self.suggestion}


class Refused(Exception):
    """Raised inside the engine to stop at the first stage that found problems."""

    def __init__(self, problems: list[Problem], counts: dict[str, int] | None = None):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
        # "code:column" -> how many rows, when the checks counted more rows than they listed
        self.counts = counts


def problem(code: str, lang: str, *, row=None, column=None, value=None, suggestion_key: str | None = None,
            **params) -> Problem:
    """A Problem with its reason (and suggestion) looked up in the catalogue in `lang`."""
    params = {k: v for k, v in params.items()}
    reason = t(f"ingest.problem.{code}", lang, column=column, value=value, **params)
    key = suggestion_key or f"ingest.suggest.{code}"
    try:
        suggestion = t(key, lang, column=column, value=value, **params)
    except KeyError:
        suggestion = None
    return Problem(row, column, None if value is None else str(value), reason, suggestion or None, code)


@dataclass
class IngestResult:
    dataset: str
    kode_opd: str
    lang: str = "id"
    accepted: bool = False
    dry_run: bool = False
    upload_id: int | None = None
    file_name: str | None = None
    sha256: str | None = None
    rows_total: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Exact number of problems per code (problems itself keeps at most
    # MAX_PROBLEMS_PER_CHECK per check, so a million bad rows stay readable).
    problem_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # What the preview shows (warroom.ingest.preview): names read as codes and levels, rows at
    # another level than the file's main one, and old -> new values of replaced rows.
    resolved_names: list[dict] = field(default_factory=list)
    level_counts: dict[str, int] = field(default_factory=dict)
    odd_level_rows: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    title_rows: int = 0     # rows above the header, skipped (row numbers count them)

    @property
    def problems_total(self) -> int:
        return sum(self.problem_counts.values()) if self.problem_counts else len(self.problems)

    def report_rows(self) -> list[dict]:
        return [p.as_row() for p in self.problems]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["problems_total"] = self.problems_total
        return d

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict) -> "IngestResult":
        d = dict(d)
        d.pop("problems_total", None)
        d["problems"] = [Problem(**p) for p in d.get("problems", [])]
        return cls(**d)

    def log_report(self) -> dict:
        """What the upload log keeps: notes and problems (capped as above)."""
        return {"notes": self.notes, "problems": [asdict(p) for p in self.problems],
                "problem_counts": self.problem_counts, "lang": self.lang}

    def summary_lines(self) -> list[str]:
        """Problems grouped by reason and column and counted, most frequent first."""
        counts = self.problem_counts or dict(Counter(_count_key(p.code, p.column) for p in self.problems))
        lines = []
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            code, _, column = key.partition(":")
            lines.append(t("ingest.cli.group", self.lang, n=n, column=column or "-", code=code))
        return lines

    def render_text(self) -> str:
        """The command line's answer; the same text whether run here or handed to the app."""
        L = self.lang
        out = []
        if self.accepted:
            head = "ingest.cli.dry_ok" if self.dry_run else "ingest.cli.accepted"
            out.append(t(head, L, upload_id=self.upload_id, dataset=self.dataset, total=self.rows_total,
                         inserted=self.rows_inserted, updated=self.rows_updated, unchanged=self.rows_unchanged))
        else:
            out.append(t("ingest.cli.refused", L, dataset=self.dataset, n=self.problems_total,
                         upload_id=self.upload_id if self.upload_id is not None else "-"))
            for line in self.summary_lines():
                out.append("  " + line)
            out.append(t("ingest.cli.table_head", L))
            for p in self.problems:
                cells = [str(p.row) if p.row is not None else "-", p.column or "-",
                         _clip(p.value) if p.value is not None else "-", p.reason]
                line = "  " + " | ".join(cells)
                if p.suggestion:
                    line += f" → {p.suggestion}"
                out.append(line)
            shown = len(self.problems)
            if shown < self.problems_total:
                out.append(t("ingest.cli.more", L, n=self.problems_total - shown))
        for note in self.notes:
            out.append(t("ingest.cli.note", L, note=note))
        return "\n".join(out)


def _count_key(code: str, column: str | None) -> str:
    return f"{code}:{column or ''}"


def _clip(text: str, width: int = 60) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"
