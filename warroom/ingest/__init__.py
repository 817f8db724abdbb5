"""The one-data gate: every number enters the store through `ingest_file`.

Contract (used by the upload page, the HTTP API and the command line):

    result = ingest_file(con, dataset, source, *, kode_opd, username, file_name=None,
                         mapping=None, dry_run=False, lang="id", progress=None)

- source: a path or the file's bytes (CSV in UTF-8/UTF-16/Windows-1252, `,` `;` tab, or .xlsx);
- mapping: a mapping file's object for files from other systems: flat {source column: standard
  column} or the full form {"columns", "other_columns", "skip_rows_where", "outside_region",
  "sheet", "constants"} (warroom.ingest.mapping, docs/mapping.md); a source column is a header
  or `#N`;
- progress: optional callable(done, total) called per stage.

`result.accepted`, `result.upload_id` (refused uploads get an upload-log entry too,
unless dry_run), `rows_total/rows_inserted/rows_updated/rows_unchanged`, `problems`
(Problem: row as Excel numbers it, column, value, reason in `lang`, suggestion, code),
`notes` (what was tolerated), `report_rows()`, `to_json()`, `render_text()`.

covid19_harian may carry cumulative totals (`*_kumulatif`): the daily counts are derived per
sender and area, a fall stored negative and flagged `koreksi` (warroom.ingest.cumulative).

Modules: reading (bytes, encoding, delimiter, xlsx), headers (header mapping), mapping (mapping
files), cumulative (daily counts from totals), values
(number/date formats as SQL), codes (region and agency codes/names), points (area of a
point), checks (the standard's checks as SQL), load (upsert), report (the answer).
"""
from warroom.ingest.engine import ingest_file, walidata_of
from warroom.ingest.report import IngestResult, Problem

__all__ = ["ingest_file", "IngestResult", "Problem", "walidata_of"]
